"""Documentos page: views, filters from the URL, coloured states, htmx table, column
chooser (save, reset, publish), exports matching the screen, permissions."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.test import Client
from openpyxl import load_workbook

from cuadra.documents.models import ColumnConfig, CustomFieldDefinition
from tests.conftest import row_counts
from tests.documents.registry_helpers import make_record

D = Decimal


def _client(username: str, language: str = "en") -> Client:
    client = Client()
    assert client.login(username=username, password=username)
    client.cookies["django_language"] = language
    return client


@pytest.fixture
def owner_web(platform) -> Client:
    return _client("demo")


@pytest.fixture
def records(demo):
    make_record(demo, number="F-1", amount=D("1234.50"), payment_state="PAID",
                document_date=dt.date(2025, 1, 5), party_name="Abarrotes Luna")
    make_record(demo, number="F-2", amount=D("20.00"), payment_state="PARTIAL",
                document_date=dt.date(2025, 1, 6), party_name="Bodega Sol")
    make_record(demo, number="F-3", amount=D("7.25"), payment_state="UNPAID",
                document_date=dt.date(2025, 2, 1), party_name="Café Río",
                custom={"cost": "5.00"})


def table(html: str) -> list[list[str]]:
    body = html.split('id="documents"', 1)[1].split("</tbody>", 1)[0]
    rows = re.findall(r'<tr data-record="\d+">(.*?)</tr>', body, re.S)
    return [[re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", r,
                                                                    re.S)] for r in rows]


def headers(html: str) -> list[str]:
    head = html.split('id="documents"', 1)[1].split("</thead>", 1)[0]
    return [re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r"<th[^>]*>(.*?)</th>", head)]


def test_page_shows_rows_with_coloured_states(records, owner_web):
    html = owner_web.get("/documents/").content.decode()
    assert table(html) == [
        ["F-3", "Invoice", "2025-02-01", "Café Río", "DEMO", "7.25", "Unpaid", "issued"],
        ["F-2", "Invoice", "2025-01-06", "Bodega Sol", "DEMO", "20.00", "Partial", "issued"],
        ["F-1", "Invoice", "2025-01-05", "Abarrotes Luna", "DEMO", "1234.50", "Paid",
         "issued"]]
    assert [m for m in re.findall(r'class="chip (\w+)"', html)] == ["red", "yellow", "green"]


def test_filters_in_the_url_and_the_htmx_fragment(records, owner_web):
    url = ("/documents/?view=everything&date_from=2025-01-06&payment_state=PARTIAL"
           "&payment_state=UNPAID")
    html = owner_web.get(url).content.decode()
    assert [r[0] for r in table(html)] == ["F-3", "F-2"]
    fragment = owner_web.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert fragment.startswith('<div id="documents-table">')
    assert "<html" not in fragment and [r[0] for r in table(fragment)] == ["F-3", "F-2"]
    assert 'href="/documents/export.csv?view=everything&amp;date_from=2025-01-06' \
           '&amp;payment_state=PARTIAL&amp;payment_state=UNPAID"' in html


def test_column_chooser_save_reset_and_exports_match_the_screen(records, demo, owner_web):
    CustomFieldDefinition.objects.create(company=demo, key="cost", label="Costo",
                                         field_type="money")
    response = owner_web.post("/documents/columns/", {
        "view": "everything", "action": "save",
        "key": ["number", "amount", "cf:cost", "party", "status"],
        "visible_number": "1", "visible_amount": "1", "visible_cf:cost": "1",
        "visible_party": "1", "position_number": "3", "position_amount": "1",
        "position_cf:cost": "2", "label_amount": "Monto", "pinned_party": "1"})
    assert response.status_code == 302
    html = owner_web.get("/documents/?payment_state=PAID&payment_state=UNPAID",
                         ).content.decode()
    assert headers(html) == ["Customer / supplier", "Monto", "Costo", "Number"]
    screen = table(html)
    assert screen == [["Café Río", "7.25", "5.00", "F-3"],
                      ["Abarrotes Luna", "1234.50", "", "F-1"]]
    got = owner_web.get("/documents/export.csv?view=everything&payment_state=PAID"
                        "&payment_state=UNPAID")
    text = b"".join(got.streaming_content).decode("utf-8").lstrip("\ufeff")
    assert list(csv.reader(io.StringIO(text))) == [headers(html), *screen]
    got = owner_web.get("/documents/export.xlsx?view=everything&payment_state=PAID"
                        "&payment_state=UNPAID")
    sheet = load_workbook(io.BytesIO(b"".join(got.streaming_content))).active
    assert [[c.value for c in r] for r in sheet.iter_rows()] == [
        headers(html), ["Café Río", 7.25, 5, "F-3"], ["Abarrotes Luna", 1234.5, None, "F-1"]]
    owner_web.post("/documents/columns/", {"view": "everything", "action": "reset"})
    assert ColumnConfig.objects.count() == 0


def test_sales_user_sees_no_cost_column_nor_publish(records, demo, owner_web):
    CustomFieldDefinition.objects.create(company=demo, key="cost", label="Costo",
                                         field_type="money")
    owner_web.post("/documents/columns/", {
        "view": "everything", "action": "publish", "key": ["number", "cf:cost"],
        "visible_number": "1", "visible_cf:cost": "1"})
    assert ColumnConfig.objects.get(user=None).columns == [
        {"key": "number", "label": "", "pinned": False},
        {"key": "cf:cost", "label": "", "pinned": False}]
    ventas = _client("ventas")
    html = ventas.get("/documents/").content.decode()
    assert headers(html) == ["Number"] and "cf:cost" not in html
    assert "Publish as company default" not in html
    got = ventas.get("/documents/export.csv?view=everything")
    text = b"".join(got.streaming_content).decode("utf-8")
    assert "Costo" not in text and "5.00" not in text
    before = row_counts(exclude=("core.AuditLog",))
    ventas.post("/documents/columns/", {"view": "everything", "action": "publish",
                                        "key": ["party"], "visible_party": "1"})
    assert row_counts(exclude=("core.AuditLog",)) == before


def test_user_without_documents_right_is_refused(records, platform):
    otra = _client("otra")
    html = otra.get("/documents/").content.decode()
    assert table(html) == []


def test_large_export_becomes_a_job_with_a_download(records, owner_web, settings, tmp_path,
                                                    django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    settings.CUADRA_EXPORT_SYNC_MAX_ROWS = 2
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_web.get("/documents/export.csv?view=everything")
    assert response.status_code == 302
    page = owner_web.get(response["Location"]).content.decode()
    assert 'data-state="DONE"' in page and 'id="export-download"' in page
    job_id = re.search(r"/documents/exports/(\d+)/download", page).group(1)
    file = owner_web.get(f"/documents/exports/{job_id}/download")
    assert b"".join(file.streaming_content).decode("utf-8").count("\r\n") == 4


def test_spanish_page(records, owner_web):
    owner_web.cookies["django_language"] = "es"
    html = owner_web.get("/documents/").content.decode()
    assert "<h1>Documentos</h1>" in html and "Pagada" in html and "Todo" in html


def test_number_links_to_the_timeline_and_foreign_ids_are_not_found(records, owner_web):
    from cuadra.documents.models import DocumentRecord

    rec = DocumentRecord.objects.get(number="F-1")
    html = owner_web.get("/documents/").content.decode()
    assert f'href="/documents/{rec.pk}/timeline/"' in html
    assert owner_web.get(f"/documents/{rec.pk}/timeline/").status_code == 200
    assert _client("otra").get(f"/documents/{rec.pk}/timeline/").status_code in (403, 404)
