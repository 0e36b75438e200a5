"""Documentos page: views, filters from the URL, coloured states, htmx table, column
chooser (save, reset, publish), exports matching the screen, permissions."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from openpyxl import load_workbook

from cuadra.documents.models import ColumnConfig, CustomFieldDefinition
from tests.conftest import row_counts
from tests.documents.registry_helpers import make_record

D = Decimal
User = get_user_model()


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
        ["F-3", "Invoice", "2025-02-01", "Café Río", "DEMO", "7.25", "Unpaid", "Issued"],
        ["F-2", "Invoice", "2025-01-06", "Bodega Sol", "DEMO", "20.00", "Partial", "Issued"],
        ["F-1", "Invoice", "2025-01-05", "Abarrotes Luna", "DEMO", "1234.50", "Paid",
         "Issued"]]
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


def options(html: str, name: str) -> list[tuple[str, str, bool]]:
    """(value, label, selected) of the select ``name`` of the filter panel."""
    select = re.search(rf'<select name="{re.escape(name)}"[^>]*>(.*?)</select>', html, re.S)
    return [(v, label, bool(sel)) for v, sel, label in re.findall(
        r'<option value="([^"]*)"( selected)?>([^<]*)</option>', select.group(1))]


def test_pickers_name_people_of_the_users_companies(records, demo, platform, owner_web):
    from django.contrib.auth import get_user_model

    from cuadra.contacts import services as contacts

    owner = platform.owner
    luis = contacts.salesperson_create(company=demo, actor=owner, code="V1",
                                       name="Luis Batista")
    contacts.salesperson_create(company=platform.otra, actor=owner, code="V9",
                                name="Ajeno de Otra")
    users = {u.username: str(u.pk) for u in get_user_model().objects.all()}
    html = owner_web.get(f"/documents/?team_member={users['ventas']}&manager={luis.pk}"
                         ).content.decode()
    # by the name shown: the full name when there is one, else the user name
    people = [("", "Anyone", False), (users["auditor"], "auditor", False),
              (users["bodega"], "bodega", False), (users["compras"], "compras", False),
              (users["contador"], "contador", False), (users["demo"], "Dueña Demo", False),
              (users["ventas"], "ventas", True)]
    assert options(html, "team_member") == people
    assert options(html, "shared_with") == [(v, label, False) for v, label, _s in people]
    # the other company's salesperson and its owner are not offered
    assert options(html, "manager") == [("", "Anyone", False),
                                        (str(luis.pk), "Luis Batista", True)]
    assert 'name="team_member" size' not in html and "Team member (id)" not in html
    assert options(html, "customer_status") == [
        ("PROSPECT", "Prospect", False), ("ACTIVE", "Active", False),
        ("ON_HOLD", "On hold", False), ("BLOCKED", "Blocked", False)]
    assert ("issued", "Issued", False) in options(html, "status")
    assert ("SUCCEEDED", "Succeeded", False) in options(html, "status")


def test_tags_picker_only_when_tags_exist(records, demo, owner_web):
    assert '<select name="tags"' not in owner_web.get("/documents/").content.decode()
    make_record(demo, number="F-9", tags=",vip,", payment_state="PAID")
    make_record(demo, number="F-10", tags=",export,vip,", payment_state="PAID")
    html = owner_web.get("/documents/?tags=vip").content.decode()
    assert options(html, "tags") == [("export", "export", False), ("vip", "vip", True)]
    assert [r[0] for r in table(html)] == ["F-10", "F-9"]


def test_custom_field_inputs_and_their_url(records, demo, platform, owner_web):
    from cuadra.documents import custom_fields

    owner = platform.owner
    for key, label, kind, choices in (("cost", "Costo", "money", None),
                                      ("region", "Región", "choice", ["Norte", "Sur"]),
                                      ("due_check", "Revisión", "date", None),
                                      ("note", "Nota", "text", None)):
        custom_fields.custom_field_definition_create(company=demo, actor=owner, key=key,
                                                     label=label, field_type=kind,
                                                     choices=choices)
    url = ("/documents/?view=moved&payment_state=PAID&cf.cost.min=5&cf.cost.max=10.50"
           "&cf.region=Sur&cf.note=")
    html = owner_web.get(url).content.decode()
    inputs = re.findall(r'data-custom-field="(\w+)">([^<]*)<(input|select)([^>]*)>', html)
    assert [(k, label.strip(), tag) for k, label, tag, _a in inputs] == [
        ("cost", "Costo from", "input"), ("cost", "Costo to", "input"),
        ("due_check", "Revisión from", "input"), ("due_check", "Revisión to", "input"),
        ("note", "Nota", "input"), ("region", "Región", "select")]
    attrs = [a for *_k, a in inputs]
    assert 'type="text" name="cf.cost.min" size="8" value="5"' in attrs[0]
    assert 'name="cf.cost.max" size="8" value="10.50"' in attrs[1]
    assert 'type="date" name="cf.due_check.min"' in attrs[2]
    assert 'name="cf.note" size="10" value=""' in attrs[4]
    assert options(html, "cf.region") == [("", "Any", False), ("Norte", "Norte", False),
                                          ("Sur", "Sur", True)]
    # the filters travel with the pager, the view tabs and the exports (empty ones do not)
    carried = "cf.cost.min=5&amp;cf.cost.max=10.50&amp;cf.region=Sur&amp;payment_state=PAID"
    assert f'href="/documents/export.csv?view=moved&amp;{carried}"' in html
    assert f'href="?view=everything&amp;{carried}"' in html
    # a Sales user: the cost field is neither a column nor a filter
    response = _client("ventas").get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-custom-field="cost"' not in html and 'data-custom-field="region"' in html
    # ... and a URL that filters on it is refused like any unreadable filter, not served
    assert 'id="filter-errors"' in html and "No custom field &#x27;cost&#x27;" in html


def test_column_configurator_rows_drag_and_arrows(records, owner_web):
    html = owner_web.get("/documents/").content.decode()
    chooser = html.split('id="column-list"', 1)[1].split("</tbody>", 1)[0]
    keys = re.findall(r'<tr data-column="([^"]+)" draggable="true">', chooser)
    assert keys[:8] == ["number", "kind", "date", "party", "company", "amount",
                        "payment_state", "status"]
    assert chooser.count('data-move="up"') == chooser.count('data-move="down"') == len(keys)
    assert 'aria-label="Move Amount up"' in chooser
    assert '<script src="/static/web/documents.js" defer></script>' in html


def test_spanish_filters_refusals_and_timeline(records, demo, platform, owner_web):
    from cuadra.documents.models import DocumentHistory, DocumentRecord

    owner_web.cookies["django_language"] = "es"
    html = owner_web.get("/documents/?date_from=31-01-2025&amount_min=diez").content.decode()
    alert = re.search(r'id="filter-errors">(.*?)</div>', html, re.S).group(1)
    assert alert == ("Algunos filtros no se pudieron leer, así que no se aplicó ninguno: "
                     "Desde: indique una fecha como 2025-01-31. "
                     "Monto desde: indique un monto exacto como 100.00.")
    assert len(table(html)) == 3
    assert ("ACTIVE", "Activo", False) in options(html, "customer_status")
    assert options(html, "team_member")[0] == ("", "Cualquiera", False)
    assert "Miembro del equipo" in html and "Subir Número" in html
    assert [r[6:] for r in table(html)] == [["Sin pagar", "Emitida"], ["Parcial", "Emitida"],
                                            ["Pagada", "Emitida"]]
    rec = DocumentRecord.objects.get(number="F-1")
    DocumentHistory.objects.create(company=demo, document_type=rec.document_type,
                                   object_id=rec.object_id, action="issue",
                                   from_state="draft", to_state="issued",
                                   actor=platform.owner, comment="ok")
    page = owner_web.get(f"/documents/{rec.pk}/timeline/").content.decode()
    cells = [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td>(.*?)</td>", page)]
    assert cells[1:4] == ["demo", "Emitido", "Borrador → Emitida: ok"]


def test_multi_company_user_picks_companies_and_sees_both(records, demo, otra, platform,
                                                          owner_web):
    from cuadra.access import services as access
    from cuadra.access.models import Role

    assert '<select name="company"' not in owner_web.get("/documents/").content.decode()
    role = Role.objects.get(organization=otra.organization, key="owner")
    access.role_assign(company=otra, user=platform.owner, role=role,
                       actor=User.objects.get(username="otra"))
    make_record(otra, number="O-1", payment_state="UNPAID", document_date=dt.date(2025, 3, 1))
    html = owner_web.get("/documents/?company=OTRA").content.decode()
    assert options(html, "company") == [("DEMO", "DEMO · Demo PYME, S.A.", False),
                                        ("OTRA", "OTRA · Otra Empresa, S.A.", True)]
    assert [r[0] for r in table(html)] == ["O-1"]
    both = owner_web.get("/documents/").content.decode()
    assert [r[0] for r in table(both)] == ["O-1", "F-3", "F-2", "F-1"]


def test_rows_come_first_and_the_pager_total_follows(demo, owner_web, monkeypatch):
    from cuadra.web.documents import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    for n in range(5):
        make_record(demo, number=f"P-{n}", document_date=dt.date(2025, 3, 1 + n))
    html = owner_web.get("/documents/?q=P-").content.decode()
    assert 'id="page-count" hx-get="/documents/count/?' in html and "(counting…)" in html
    assert len(table(html)) == 2
    count = owner_web.get("/documents/count/?view=everything&q=P-&page=2").content.decode()
    assert "Page 2 of 3 (5 documents)" in count
    last = owner_web.get("/documents/?q=P-&page=3").content.decode()  # no count needed
    assert "Page 3 of 3 (5 documents)" in last and "(counting…)" not in last
