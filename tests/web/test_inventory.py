"""Inventario pages: warehouses and locations, storage in / out, spoilage, adjustments,
transfers (send, receive, audit, confirm), counts (entered and imported), and the
reports (stock on hand, ledger, valuation next to the books, movements, slow movers,
CSV/XLSX). Each page: 200 for the owner, 403 for Ventas (no inventory rights), a POST
that writes through the service, a bad POST that writes nothing."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from cuadra.catalog import services as catalog
from cuadra.core.models import AuditLog
from cuadra.inventory import documents, selectors, services
from cuadra.inventory.models import (
    InventoryCount,
    Location,
    StockAdjustment,
    StockTransfer,
    Warehouse,
)
from cuadra.ledger.models import Account
from tests.conftest import row_counts

DAY = dt.date(2025, 3, 14)


def _client(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=username)
    return client


def text(response) -> str:
    return response.content.decode()


@pytest.fixture
def owner_web(platform) -> Client:
    return _client("demo")


@pytest.fixture
def ventas(platform) -> Client:
    return _client("ventas")


@pytest.fixture
def principal(demo):
    return selectors.warehouse_default(company=demo)


@pytest.fixture
def norte(demo, platform):
    return services.warehouse_create(company=demo, actor=platform.owner, code="NORTE",
                                     name="Bodega norte")


@pytest.fixture
def jugo(demo, platform):
    return catalog.item_create(company=demo, actor=platform.owner, sku="W-JUGO",
                               name="Jugo", base_price="1.00")


@pytest.fixture
def caja(demo, platform, jugo):
    return catalog.unit_level_create(company=demo, actor=platform.owner, item=jugo,
                                     code="caja", factor="12")


@pytest.fixture
def equity(demo):
    return Account.objects.filter(company=demo, type="EQUITY", is_group=False,
                                  is_active=True).order_by("code").first()


@pytest.fixture
def stocked(demo, platform, principal, jugo, caja, equity):
    """10 boxes of 12 at 6.00 a box (0.50 a unit) in PRINCIPAL."""
    doc = documents.stock_adjustment_create(
        company=demo, actor=platform.owner, kind="storage_in", warehouse=principal,
        date=DAY, counter_account=equity,
        lines=[{"item": jugo, "unit": caja, "quantity": "10", "unit_cost": "6.00"}])
    return documents.document_move(company=demo, actor=platform.owner, document=doc,
                                   action="issue")


def _qty(demo, item, warehouse) -> D:
    return selectors.stock_quantity(company=demo, item=item, warehouse=warehouse)


# --- the section -------------------------------------------------------------------------

PAGES = ["/inventory/", "/inventory/valuation/", "/inventory/ledger/",
         "/inventory/movements/", "/inventory/slow-movers/", "/inventory/warehouses/",
         "/inventory/adjustments/", "/inventory/adjustments/new/", "/inventory/transfers/",
         "/inventory/transfers/new/", "/inventory/counts/", "/inventory/counts/new/"]


@pytest.mark.parametrize("url", PAGES)
def test_every_page_opens_for_the_owner_and_is_refused_to_sales(owner_web, ventas, url):
    assert owner_web.get(url).status_code == 200
    assert ventas.get(url).status_code == 403


def test_the_nav_links_the_inventory_section(owner_web):
    body = text(owner_web.get("/inventory/"))
    assert '<a href="/inventory/" aria-current="page">Inventario</a>' in body
    assert "<h1>Inventario</h1>" in body
    assert "Todavía no disponible" not in body


# --- warehouses --------------------------------------------------------------------------

def test_create_a_warehouse_and_a_location(owner_web, demo):
    response = owner_web.post("/inventory/warehouses/", {"code": "sur", "name": "Bodega sur"})
    assert response.status_code == 302
    wh = Warehouse.objects.get(company=demo, code="SUR")
    assert wh.name == "Bodega sur"
    assert AuditLog.objects.filter(operation="warehouse_create", object_id=str(wh.pk)).exists()
    response = owner_web.post(f"/inventory/warehouses/{wh.pk}/locations/",
                              {"code": "a-1", "name": "Pasillo 1"})
    assert response.status_code == 302
    assert list(Location.objects.filter(warehouse=wh).values_list("code", "name")) == [
        ("A-1", "Pasillo 1")]
    body = text(owner_web.get(f"/inventory/warehouses/{wh.pk}/"))
    assert 'data-location="A-1"' in body


def test_a_duplicate_warehouse_code_writes_nothing(owner_web, demo):
    before = row_counts()
    response = owner_web.post("/inventory/warehouses/", {"code": "PRINCIPAL", "name": "X"})
    assert response.status_code == 400
    assert 'data-error="code"' in text(response)
    assert row_counts() == before


def test_sales_may_not_create_a_warehouse(ventas, demo):
    before = row_counts()
    assert ventas.post("/inventory/warehouses/", {"code": "X", "name": "X"}).status_code == 403
    assert row_counts() == before


def test_another_companys_warehouse_is_not_found(owner_web, otra):
    wh = selectors.warehouse_default(company=otra)
    assert owner_web.get(f"/inventory/warehouses/{wh.pk}/").status_code == 404


# --- storage in / out --------------------------------------------------------------------

def test_storage_in_by_the_box_then_issue(owner_web, demo, principal, jugo, caja, equity):
    response = owner_web.post("/inventory/adjustments/new/", {
        "kind": "storage_in", "warehouse": principal.pk, "date": "2025-03-14",
        "employee": "Ana Pérez", "counter_account": equity.pk,
        "line-0-item": jugo.pk, "line-0-unit": caja.pk, "line-0-quantity": "10",
        "line-0-unit_cost": "6.00", "line-1-item": "", "line-1-quantity": ""})
    assert response.status_code == 302
    doc = StockAdjustment.objects.get(company=demo)
    assert (doc.status, doc.employee, doc.lines.count()) == ("draft", "Ana Pérez", 1)
    detail = text(owner_web.get(response["Location"]))
    assert 'data-col="base">120<' in detail
    response = owner_web.post(f"/inventory/adjustments/{doc.pk}/move/",
                              {"action": "issue", "issue_key": "k1"})
    assert response.status_code == 302
    doc.refresh_from_db()
    assert doc.status == "issued" and doc.number
    assert doc.total_cost == D("60.00")
    assert doc.approved_by.username == "demo"
    assert _qty(demo, jugo, principal) == D(120)
    body = text(owner_web.get(f"/inventory/adjustments/{doc.pk}/"))
    assert 'data-field="total_cost">60.00<' in body
    assert 'id="doc-state" data-state="issued"' in body


def test_storage_out_with_a_chosen_approver(owner_web, demo, platform, principal, jugo,
                                            stocked):
    response = owner_web.post("/inventory/adjustments/new/", {
        "kind": "storage_out", "warehouse": principal.pk, "date": "2025-03-15",
        "employee": "Luis", "approved_by": platform.owner.pk,
        "line-0-item": jugo.pk, "line-0-quantity": "6"})
    assert response.status_code == 302
    doc = StockAdjustment.objects.get(company=demo, kind="storage_out")
    assert doc.approved_by == platform.owner
    owner_web.post(f"/inventory/adjustments/{doc.pk}/move/", {"action": "issue"})
    doc.refresh_from_db()
    assert (doc.status, doc.total_cost) == ("issued", D("3.00"))
    assert _qty(demo, jugo, principal) == D(114)


def test_a_bad_adjustment_writes_nothing(owner_web, demo, principal, jugo, caja):
    before = row_counts()
    response = owner_web.post("/inventory/adjustments/new/", {
        "kind": "storage_in", "warehouse": principal.pk, "date": "",
        "line-0-item": jugo.pk, "line-0-unit": caja.pk, "line-0-quantity": "-1",
        "line-0-unit_cost": "abc"})
    assert response.status_code == 400
    body = text(response)
    assert 'data-error="date"' in body and 'data-error="quantity"' in body
    assert 'data-error="unitCost"' in body
    assert row_counts() == before


def test_spoilage_beyond_stock_is_refused_and_leaves_the_draft(owner_web, demo, principal,
                                                                jugo, stocked):
    doc = documents.stock_adjustment_create(
        company=demo, actor=None, kind="spoilage", warehouse=principal, date=DAY,
        lines=[{"item": jugo, "quantity": "500"}])
    before = row_counts()
    response = owner_web.post(f"/inventory/adjustments/{doc.pk}/move/", {"action": "issue"})
    assert response.status_code == 400
    assert 'data-code="INSUFFICIENT_STOCK"' in text(response)
    assert row_counts() == before
    doc.refresh_from_db()
    assert doc.status == "draft"


def test_sales_may_not_issue_a_stock_document(ventas, demo, principal, jugo, stocked):
    doc = documents.stock_adjustment_create(
        company=demo, actor=None, kind="spoilage", warehouse=principal, date=DAY,
        lines=[{"item": jugo, "quantity": "1"}])
    assert ventas.post(f"/inventory/adjustments/{doc.pk}/move/",
                       {"action": "issue"}).status_code == 403
    doc.refresh_from_db()
    assert doc.status == "draft"


def test_form_line_adds_a_row_whose_units_follow_its_item(owner_web, demo, platform, jugo,
                                                          caja):
    body = text(owner_web.get("/inventory/transfers/form/line/?n=3"))
    assert 'name="line-3-unit"' in body and "?n=4" in body
    assert "W-JUGO · caja (12)" not in body  # no item chosen yet: the base unit only
    catalog.item_create(company=demo, actor=platform.owner, sku="W-AGUA", name="Agua",
                        base_price="0.50",
                        units=[{"code": "paca", "name": "Paca", "factor": "24"}])
    cell = text(owner_web.get(f"/inventory/transfers/form/units/?n=3&line-3-item={jugo.pk}"))
    assert 'id="unit-cell-3"' in cell and f'<option value="{caja.pk}">W-JUGO · caja (12)' in cell
    assert "Paca" not in cell and "W-AGUA" not in cell
    empty = text(owner_web.get("/inventory/transfers/form/units/?n=3&line-3-item=x"))
    assert empty.count("<option") == 1


# --- transfers ---------------------------------------------------------------------------

def test_transfer_send_receive_audit_confirm(owner_web, demo, principal, norte, jugo, caja,
                                             stocked):
    response = owner_web.post("/inventory/transfers/new/", {
        "from_warehouse": principal.pk, "to_warehouse": norte.pk, "date": "2025-03-20",
        "line-0-item": jugo.pk, "line-0-unit": caja.pk, "line-0-quantity": "2"})
    assert response.status_code == 302
    doc = StockTransfer.objects.get(company=demo)
    for action, state in (("send", "in_transit"), ("receive", "received"),
                          ("audit", "audited"), ("confirm", "confirmed")):
        r = owner_web.post(f"/inventory/transfers/{doc.pk}/move/",
                           {"action": action, "issue_key": f"t-{action}"})
        assert r.status_code == 302, text(r)
        doc.refresh_from_db()
        assert doc.status == state
        if action == "send":
            assert _qty(demo, jugo, principal) == D(96)
            assert _qty(demo, jugo, norte) == D(0)
    assert (doc.expected_cost, doc.actual_cost) == (D("12.00"), D("12.00"))
    assert _qty(demo, jugo, norte) == D(24)
    body = text(owner_web.get(f"/inventory/transfers/{doc.pk}/"))
    assert 'data-field="difference">0.00<' in body
    assert selectors.inventory_verify(company=demo).ok


def test_a_transfer_to_the_same_warehouse_writes_nothing(owner_web, principal, jugo):
    before = row_counts()
    response = owner_web.post("/inventory/transfers/new/", {
        "from_warehouse": principal.pk, "to_warehouse": principal.pk, "date": "2025-03-20",
        "line-0-item": jugo.pk, "line-0-quantity": "2"})
    assert response.status_code == 400
    assert 'data-error="toWarehouseId"' in text(response)
    assert row_counts() == before


def test_an_impossible_step_is_refused(owner_web, demo, principal, norte, jugo, stocked):
    doc = documents.stock_transfer_create(company=demo, actor=None, from_warehouse=principal,
                                          to_warehouse=norte, date=DAY,
                                          lines=[{"item": jugo, "quantity": "1"}])
    before = row_counts()
    response = owner_web.post(f"/inventory/transfers/{doc.pk}/move/", {"action": "receive"})
    assert response.status_code == 400
    assert 'data-code="INVALID_TRANSITION"' in text(response)
    assert row_counts() == before


# --- counts ------------------------------------------------------------------------------

def test_count_entered_by_hand_reconciles_a_shortage(owner_web, demo, principal, jugo, caja,
                                                     stocked):
    response = owner_web.post("/inventory/counts/new/", {
        "warehouse": principal.pk, "date": "2025-03-31",
        "line-0-item": jugo.pk, "line-0-unit": caja.pk, "line-0-quantity": "9"})
    assert response.status_code == 302
    doc = InventoryCount.objects.get(company=demo)
    owner_web.post(f"/inventory/counts/{doc.pk}/move/", {"action": "issue"})
    doc.refresh_from_db()
    assert (doc.status, doc.short_value, doc.over_value) == ("issued", D("6.00"), D("0"))
    body = text(owner_web.get(f"/inventory/counts/{doc.pk}/"))
    assert 'data-col="expected">120<' in body and 'data-col="short">12<' in body
    assert _qty(demo, jugo, principal) == D(108)
    assert selectors.inventory_verify(company=demo).ok


def test_count_imported_from_csv_and_xlsx(owner_web, demo, principal, jugo, caja, stocked):
    doc = documents.inventory_count_create(company=demo, actor=None, warehouse=principal,
                                           date=DAY)
    upload = SimpleUploadedFile("conteo.csv", b"sku,counted,unit\nW-JUGO,11,caja\n",
                                content_type="text/csv")
    response = owner_web.post(f"/inventory/counts/{doc.pk}/import/", {"file": upload})
    assert response.status_code == 302
    doc.refresh_from_db()
    assert doc.process_status == "final"
    assert [(li.item_id, li.unit_id, li.counted) for li in doc.lines.all()] == [
        (jugo.pk, caja.pk, D(11))]
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["sku", "counted"])
    wb.active.append(["W-JUGO", 130])
    data = io.BytesIO()
    wb.save(data)
    upload = SimpleUploadedFile("conteo.xlsx", data.getvalue())
    owner_web.post(f"/inventory/counts/{doc.pk}/import/", {"file": upload})
    doc.refresh_from_db()
    assert [(li.unit_id, li.counted) for li in doc.lines.all()] == [(None, D(130))]
    owner_web.post(f"/inventory/counts/{doc.pk}/move/", {"action": "issue"})
    doc.refresh_from_db()
    assert (doc.short_value, doc.over_value) == (D("0"), D("5.00"))


def test_a_bad_import_changes_no_line(owner_web, demo, principal, jugo, stocked):
    doc = documents.inventory_count_create(company=demo, actor=None, warehouse=principal,
                                           date=DAY, lines=[{"item": jugo, "counted": "5"}])
    upload = SimpleUploadedFile("conteo.csv", b"W-JUGO,7\nNOPE,3\n")
    response = owner_web.post(f"/inventory/counts/{doc.pk}/import/", {"file": upload})
    assert response.status_code == 302
    doc.refresh_from_db()
    assert doc.process_status == "error"
    assert [li.counted for li in doc.lines.all()] == [D(5)]
    assert "unknown SKU &#x27;NOPE&#x27;" in text(owner_web.get(response["Location"]))
    before = row_counts()
    response = owner_web.post(f"/inventory/counts/{doc.pk}/import/", {})
    assert response.status_code == 400
    assert row_counts() == before


# --- reports -----------------------------------------------------------------------------

def test_stock_and_valuation_equal_the_books(owner_web, demo, principal, jugo, stocked):
    body = text(owner_web.get("/inventory/?as_of=2025-03-31"))
    assert 'data-col="quantity">120<' in body and 'data-col="value">60.00<' in body
    body = text(owner_web.get("/inventory/valuation/?as_of=2025-03-31"))
    books = selectors.inventory_accounts_balance(company=demo, as_of=DAY)
    assert books == D("60.00")
    assert 'data-total="stock">60.00<' in body and 'data-total="books">60.00<' in body
    assert 'data-total="difference">0.00<' in body
    assert 'id="stale"' not in body
    before = text(owner_web.get("/inventory/valuation/?as_of=2025-03-13"))
    assert 'data-total="stock">0.00<' in before


def test_valuation_marks_stale_while_a_recost_is_pending(owner_web, demo, platform,
                                                         principal, jugo, stocked):
    services.recost_schedule(company=demo, actor=platform.owner, item=jugo,
                             warehouse=principal, from_date=DAY)
    body = text(owner_web.get("/inventory/valuation/?as_of=2025-03-31"))
    assert 'id="stale"' in body and "stale" in body.split('id="report"')[1]


def test_ledger_shows_running_quantity_and_value(owner_web, demo, platform, principal, jugo,
                                                 stocked):
    spoiled = documents.stock_adjustment_create(
        company=demo, actor=platform.owner, kind="spoilage", warehouse=principal,
        date=dt.date(2025, 3, 20), lines=[{"item": jugo, "quantity": "10"}])
    documents.document_move(company=demo, actor=platform.owner, document=spoiled,
                            action="issue")
    body = text(owner_web.get(f"/inventory/ledger/?item={jugo.pk}&warehouse={principal.pk}"
                              "&date_from=2025-03-01&date_to=2025-03-31"))
    assert 'data-col="running_quantity">120<' in body
    assert 'data-col="running_value">60.00<' in body
    assert 'data-col="running_quantity">110<' in body
    spoiled.refresh_from_db()
    assert f'data-col="source">{spoiled.number}<' in body
    assert 'data-total="closing_quantity">110<' in body
    assert 'data-total="closing_value">55.00<' in body
    assert "Elija un artículo" not in body
    assert "Elija un artículo y una bodega" in text(owner_web.get("/inventory/ledger/"))


def test_movements_and_slow_movers(owner_web, demo, principal, jugo, stocked):
    body = text(owner_web.get("/inventory/movements/?date_from=2025-03-01"
                              "&date_to=2025-03-31"))
    assert 'data-col="quantity_in">120<' in body and 'data-col="value_in">60.00<' in body
    body = text(owner_web.get("/inventory/slow-movers/?as_of=2025-06-30&days=30"))
    assert "W-JUGO" in body


def test_downloads_csv_and_xlsx(owner_web, ventas, demo, principal, jugo, stocked):
    response = owner_web.get("/inventory/reports/valuation/export/csv/?as_of=2025-03-31")
    assert response.status_code == 200
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    assert content.splitlines()[1] == "PRINCIPAL,W-JUGO,Jugo,120,60,"
    response = owner_web.get("/inventory/reports/stock/export/xlsx/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:2] == b"PK"
    assert owner_web.get("/inventory/reports/nope/export/csv/").status_code == 404
    assert ventas.get("/inventory/reports/stock/export/csv/").status_code == 403
