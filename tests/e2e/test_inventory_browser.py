"""Inventory in a browser: the owner opens a second warehouse, receives 10 boxes of 12
(storage in, by the box), sells 30 units on a sales invoice, transfers 2 boxes to the
second warehouse (send → receive → audit → confirm), counts a shortage of 6 units, and
sees the valuation report equal the ledger's inventory accounts to the cent.

Figures: 120 u at 0.50 = 60.00; sold 30 → 90 u = 45.00; 24 u (12.00) to NORTE → PRINCIPAL
66 u = 33.00; counted 5 boxes (60 u) → short 6 u = 3.00 → PRINCIPAL 60 u = 30.00, NORTE
24 u = 12.00, total 42.00 = the INVENTORY accounts."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from cuadra.catalog import services as catalog
from cuadra.catalog.models import Tax
from cuadra.contacts import services as contacts
from cuadra.inventory import selectors
from cuadra.inventory.models import InventoryCount, StockAdjustment, StockTransfer, Warehouse
from cuadra.ledger.models import Account
from tests.e2e.conftest import login

pytestmark = [pytest.mark.e2e]


def _text(page, selector: str) -> str:
    return page.text_content(selector).strip()


def _setup(platform):
    demo, owner = platform.demo, platform.owner
    jugo = catalog.item_create(company=demo, actor=owner, sku="E2E-JUGO", name="Jugo 500 ml",
                               default_tax=Tax.objects.get(company=demo, code="01"),
                               base_price="1.00", units=[{"code": "caja", "name": "Caja",
                                                          "factor": "12"}])
    client = contacts.client_create(company=demo, actor=owner, code="C-INV",
                                    legal_name="Tienda La Esquina", payment_terms_days=30)
    equity = Account.objects.filter(company=demo, type="EQUITY", is_group=False,
                                    is_active=True).order_by("code").first()
    return jugo, jugo.units.get(code="caja"), client, equity


def _line(page, item, unit, quantity: str, cost: str | None = None) -> None:
    page.select_option('select[name="line-0-item"]', str(item.pk))
    # the unit choice reloads with the item's own levels
    page.wait_for_selector(f'select[name="line-0-unit"] option[value="{unit.pk}"]',
                           state="attached")
    page.select_option('select[name="line-0-unit"]', str(unit.pk))
    page.fill('input[name="line-0-quantity"]', quantity)
    if cost is not None:
        page.fill('input[name="line-0-unit_cost"]', cost)


def _step(page, action: str, state: str) -> None:
    page.click(f"#action-{action}")
    page.wait_for_selector(f'#doc-state[data-state="{state}"]')


def test_receive_sell_transfer_count_and_value(live_db, platform, live_server, browser_page):
    jugo, caja, client, equity = _setup(platform)
    demo, page, url = platform.demo, browser_page, live_server.url
    login(page, live_server, "demo")

    # a second warehouse
    page.click("nav >> text=Inventario")
    page.wait_for_url(f"{url}/inventory/")
    page.click(".subnav >> text=Bodegas")
    page.fill("#wh-code", "NORTE")
    page.fill("#wh-name", "Bodega norte")
    page.click("#wh-save")
    page.wait_for_selector("#location-form")
    norte = Warehouse.objects.get(company=demo, code="NORTE")
    principal = selectors.warehouse_default(company=demo)
    assert _text(page, ".message") == "Bodega NORTE creada."

    # storage in: 10 boxes of 12 at 6.00 a box
    page.goto(f"{url}/inventory/adjustments/new/")
    page.select_option("#doc-kind", "storage_in")
    page.select_option("#doc-warehouse", str(principal.pk))
    page.fill("#doc-employee", "Ana Pérez")
    page.select_option("#doc-counter", str(equity.pk))
    _line(page, jugo, caja, "10", "6.00")
    page.click("#doc-save")
    page.wait_for_selector("#action-issue")
    assert _text(page, '[data-col="base"]') == "120"
    _step(page, "issue", "issued")
    receipt = StockAdjustment.objects.get(company=demo)
    assert _text(page, "#doc-number") == receipt.number
    assert _text(page, '[data-field="total_cost"]') == "60.00"
    assert _text(page, '[data-field="approved_by"]') != "—"

    # sell 30 units on an invoice
    page.goto(f"{url}/sales/invoices/new/")
    page.select_option("#doc-client", str(client.pk))
    page.select_option('select[aria-label="Artículo 1"]', str(jugo.pk))
    page.wait_for_selector('input[aria-label="Precio unitario 1"][placeholder="1.00"]')
    page.fill('input[aria-label="Cantidad 1"]', "30")
    page.click("#save-document")
    page.wait_for_selector("#action-issue")
    page.click("#action-issue")
    page.wait_for_selector("#action-void")
    assert selectors.stock_quantity(company=demo, item=jugo, warehouse=principal) == D(90)

    # transfer 2 boxes to NORTE through its four steps
    page.goto(f"{url}/inventory/transfers/new/")
    page.select_option("#doc-from", str(principal.pk))
    page.select_option("#doc-to", str(norte.pk))
    _line(page, jugo, caja, "2")
    page.click("#doc-save")
    page.wait_for_selector("#action-send")
    _step(page, "send", "in_transit")
    assert _text(page, "#doc-state") == "En tránsito"
    assert _text(page, '[data-field="expected_cost"]') == "12.00"
    _step(page, "receive", "received")
    _step(page, "audit", "audited")
    assert _text(page, '[data-field="actual_cost"]') == "12.00"
    assert _text(page, '[data-field="difference"]') == "0.00"
    _step(page, "confirm", "confirmed")
    assert StockTransfer.objects.get(company=demo).status == "confirmed"

    # count 5 boxes where 66 units are expected: 6 short
    page.goto(f"{url}/inventory/counts/new/")
    page.select_option("#doc-warehouse", str(principal.pk))
    _line(page, jugo, caja, "5")
    page.click("#doc-save")
    page.wait_for_selector("#action-issue")
    _step(page, "issue", "issued")
    assert _text(page, '[data-col="expected"]') == "66"
    assert _text(page, '[data-col="short"]') == "6"
    assert _text(page, '[data-field="short_value"]') == "3.00"
    assert InventoryCount.objects.get(company=demo).short_value == D("3.00")

    # the valuation equals the ledger
    page.click(".subnav >> text=Reportes")
    page.wait_for_url(f"{url}/inventory/valuation/")
    assert _text(page, "h1") == "Valuación"
    rows = page.eval_on_selector_all(
        "#report tbody tr", "rows => rows.map(r => Array.from(r.cells).map("
                            "c => c.textContent.trim()))")
    assert rows == [["NORTE", "E2E-JUGO", "Jugo 500 ml", "24", "12.00", ""],
                    ["PRINCIPAL", "E2E-JUGO", "Jugo 500 ml", "60", "30.00", ""]]
    assert _text(page, '[data-total="stock"]') == "42.00"
    assert _text(page, '[data-total="books"]') == "42.00"
    assert _text(page, '[data-total="difference"]') == "0.00"
    assert selectors.inventory_accounts_balance(company=demo) == D("42.00")
    assert selectors.inventory_verify(company=demo).ok

    # and the stock ledger of PRINCIPAL runs down to the same figures
    page.goto(f"{url}/inventory/ledger/?item={jugo.pk}&warehouse={principal.pk}"
              "&date_from=2000-01-01")
    running = page.eval_on_selector_all('[data-col="running_value"]',
                                        "cells => cells.map(c => c.textContent.trim())")
    assert running == ["60.00", "45.00", "33.00", "30.00"]
    assert _text(page, '[data-total="closing_quantity"]') == "60"
