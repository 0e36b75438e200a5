"""Documentos in a real browser (issue 8 item 9): the owner configures the columns (hide
one, show a custom one, drag one to a new place, move one with the keyboard arrows, pin
one, rename one), filters by date and payment state, exports CSV and XLSX, and the files
say exactly what the screen says; publishes the columns as the company default, resets
their own to it, and finds another view with its own columns; a Sales user sees no cost
column in the page or the export. The data comes from the services: invoices paid,
partly paid and unpaid."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from urllib.parse import parse_qs, urlparse

import pytest
from openpyxl import load_workbook

from cuadra.catalog import services as catalog
from cuadra.catalog.models import Tax
from cuadra.contacts import services as contacts
from cuadra.documents import custom_fields
from cuadra.documents.models import ColumnConfig, DocumentRecord
from cuadra.sales import payment_services as pay
from cuadra.sales import services as sales
from tests.e2e.conftest import login
from tests.sales.conftest import opening_stock

pytestmark = [pytest.mark.e2e]

D = Decimal
# the owner's columns after the configurator: party pinned first, "Importe" renamed and
# dragged up, "Tipo" moved above "Número" with the arrow, "Estado" hidden, "Costo" shown
OWNER_HEADERS = ["Cliente / proveedor", "Total factura", "Tipo", "Número", "Fecha", "Empresa",
                 "Pago", "Costo"]


def _invoice(company, owner, client, date, lines):
    invoice = sales.sales_invoice_create(company=company, actor=owner, client=client,
                                         date=date, lines=lines)
    sales.sales_invoice_issue(company=company, actor=owner, invoice=invoice)
    invoice.refresh_from_db()
    return invoice


def _pay(company, owner, client, invoice, amount, date):
    pay.payment_register(company=company, actor=owner, client=client, amount=amount,
                         allocations=[{"invoice": invoice, "amount": D(amount)}],
                         method="BANK_TRANSFER", date=date)


def _cost(company, owner, invoice, value):
    record = DocumentRecord.objects.get(document_type="SALES_INVOICE", object_id=invoice.pk)
    custom_fields.document_custom_fields_set(company=company, actor=owner,
                                             record_id=record.pk, values={"cost": value})


@pytest.fixture
def invoices(live_db, platform):
    """Four issued invoices of DEMO: March paid (goods, from opening stock), March partly
    paid, March unpaid, and a paid one in February (outside the date filter)."""
    demo, owner = platform.demo, platform.owner
    itbms7 = Tax.objects.get(company=demo, code="01")
    client = contacts.client_create(company=demo, actor=owner, code="C-E2E",
                                    legal_name="Abarrotes Luna", payment_terms_days=30)
    other = contacts.client_create(company=demo, actor=owner, code="C-E2F",
                                   legal_name="Bodega Sol", payment_terms_days=30)
    galletas = catalog.item_create(company=demo, actor=owner, sku="E2E-GAL", name="Galletas",
                                   default_tax=itbms7, base_price="1.25")
    opening_stock(demo, owner, [(galletas, 100, "0.80")])
    custom_fields.custom_field_definition_create(company=demo, actor=owner, key="cost",
                                                 label="Costo", field_type="money")
    service = {"description": "Servicio", "quantity": "1", "unit_price": "100",
               "tax": itbms7}
    old = _invoice(demo, owner, other, dt.date(2025, 2, 1), [service])
    _pay(demo, owner, other, old, "107.00", dt.date(2025, 2, 2))  # numbers follow dates
    paid = _invoice(demo, owner, client, dt.date(2025, 3, 10),
                    [{"item": galletas, "quantity": "40", "unit_price": "1.25",
                      "tax": itbms7}])  # 50.00 + 3.50
    _pay(demo, owner, client, paid, "53.50", dt.date(2025, 3, 11))
    _cost(demo, owner, paid, "32.00")
    partial = _invoice(demo, owner, other, dt.date(2025, 3, 14), [service])  # 107.00
    _pay(demo, owner, other, partial, "50", dt.date(2025, 3, 15))
    _cost(demo, owner, partial, "61.25")
    _invoice(demo, owner, client, dt.date(2025, 3, 20), [service])  # unpaid
    return {"paid": paid, "partial": partial}


def headers(page) -> list[str]:
    return [t.strip() for t in page.locator("#documents thead th").all_inner_texts()]


def screen_rows(page) -> list[list[str]]:
    return [[c.strip() for c in row.locator("td").all_inner_texts()]
            for row in page.locator("#documents tbody tr[data-record]").all()]


def download(page, selector: str) -> bytes:
    with page.expect_download() as info:
        page.click(selector)
    return open(info.value.path(), "rb").read()


def csv_of(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8").lstrip("\ufeff"))))


def xlsx_of(data: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(data)).active
    return [[c.value for c in row] for row in sheet.iter_rows()]


def as_screen(value) -> str:
    """An XLSX cell written as the page writes it (money keeps its two places)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, int | float):
        return f"{D(str(value)):.2f}"
    return str(value)


def configure_columns(page) -> None:
    page.click("#column-chooser summary")
    chooser = page.locator("#column-list")
    chooser.locator("tr[data-column=status] .column-visible").uncheck()
    chooser.locator("tr[data-column='cf:cost'] .column-visible").check()
    # drag "Importe" onto the upper half of "Número": it lands right above it
    page.drag_and_drop("tr[data-column=amount] .drag-handle", "tr[data-column=number]",
                       target_position={"x": 40, "y": 3})
    assert chooser.locator("tr").evaluate_all(
        "rows => rows.slice(0, 2).map(r => r.dataset.column)") == ["amount", "number"]
    # the keyboard way: focus "Tipo"'s up arrow and press Enter
    chooser.locator("tr[data-column=kind] .move-up").focus()
    page.keyboard.press("Enter")
    assert chooser.locator("tr").evaluate_all(
        "rows => rows.slice(0, 3).map(r => r.dataset.column)") == ["amount", "kind", "number"]
    # the shown columns are renumbered in row order, the hidden ones have no number
    assert chooser.locator("tr").evaluate_all(
        "rows => rows.filter(r => r.querySelector('.column-position').value)"
        ".map(r => r.dataset.column + '=' + r.querySelector('.column-position').value)"
    ) == ["amount=1", "kind=2", "number=3", "date=4", "party=5", "company=6",
          "payment_state=7", "cf:cost=8"]
    chooser.locator("tr[data-column=party] input[name=pinned_party]").check()
    chooser.locator("input[name=label_amount]").fill("Total factura")
    page.click("#columns-save")
    page.wait_for_selector(".message.success")


def test_configure_filter_export_and_sales_sees_no_cost(invoices, live_server, browser_page):
    page = browser_page
    login(page, live_server, "demo")
    page.goto(f"{live_server.url}/documents/")
    assert page.text_content("h1") == "Documentos"
    configure_columns(page)
    assert page.text_content(".message.success") == "Columnas guardadas."
    assert headers(page) == OWNER_HEADERS
    assert page.locator("#documents thead th.pinned").all_inner_texts() == [
        "Cliente / proveedor"]

    # filter: March, paid or partly paid
    page.fill("input[name=date_from]", "2025-03-01")
    page.fill("input[name=date_to]", "2025-03-31")
    page.select_option("select[name=payment_state]", ["PAID", "PARTIAL"])
    page.click("#filter-apply")
    page.wait_for_url("**/documents/?*")
    # only what was chosen travels in the URL (empty fields are left out)
    assert parse_qs(urlparse(page.url).query) == {
        "view": ["everything"], "date_from": ["2025-03-01"], "date_to": ["2025-03-31"],
        "payment_state": ["PAID", "PARTIAL"]}
    screen = screen_rows(page)
    partial, paid = invoices["partial"].number, invoices["paid"].number
    assert screen == [
        ["Bodega Sol", "107.00", "Factura", partial, "2025-03-14", "DEMO", "Parcial", "61.25"],
        ["Abarrotes Luna", "53.50", "Factura", paid, "2025-03-10", "DEMO", "Pagada", "32.00"]]
    assert page.locator("#documents .chip").evaluate_all(
        "chips => chips.map(c => c.className)") == ["chip yellow", "chip green"]
    # the bookmark: the same URL opened afresh shows the same table
    page.goto(page.url)
    assert screen_rows(page) == screen

    assert csv_of(download(page, "#export-csv")) == [OWNER_HEADERS, *screen]
    sheet = xlsx_of(download(page, "#export-xlsx"))
    assert sheet[0] == OWNER_HEADERS
    assert [[as_screen(v) for v in row] for row in sheet[1:]] == screen
    assert [row[1] for row in sheet[1:]] == [107, 53.5]  # money is a number, not text

    # publish these columns as DEMO's default for Everything
    page.click("#column-chooser summary")
    page.click("#columns-publish")
    page.wait_for_selector(".message.success")
    assert ColumnConfig.objects.get(company_id=invoices["paid"].company_id, user=None,
                                    view="everything").columns[-1]["key"] == "cf:cost"

    # reset: the owner's own columns go, the published default (the same columns) applies
    page.click("#column-chooser summary")
    page.click("#columns-reset")
    page.wait_for_selector(".message.success")
    assert not ColumnConfig.objects.filter(user__username="demo").exists()
    assert headers(page) == OWNER_HEADERS and screen_rows(page) == screen
    # another view keeps its own columns, and the filters go along to it
    page.click("#view-tabs a[data-view=moved]")
    page.wait_for_url("**view=moved**")
    assert parse_qs(urlparse(page.url).query)["payment_state"] == ["PAID", "PARTIAL"]
    assert headers(page) == ["Número", "Tipo", "Fecha", "Cliente / proveedor", "Monto",
                             "Impuesto", "Pagado", "Empresa"]

    # a Sales user: the company default, without the cost, in the page and the export
    page.context.clear_cookies()
    login(page, live_server, "ventas")
    page.goto(f"{live_server.url}/documents/?view=everything&date_from=2025-03-01"
              "&date_to=2025-03-31&payment_state=PAID&payment_state=PARTIAL")
    sales_headers = OWNER_HEADERS[:-1]
    assert headers(page) == sales_headers
    sales_screen = screen_rows(page)
    assert sales_screen == [row[:-1] for row in screen]
    assert "Costo" not in page.content() and "cf:cost" not in page.content()
    assert page.locator("#column-list tr[data-column='cf:cost']").count() == 0
    assert page.locator("[data-custom-field=cost]").count() == 0
    assert page.locator("#columns-publish").count() == 0
    exported = csv_of(download(page, "#export-csv"))
    assert exported == [sales_headers, *sales_screen]
    sheet = xlsx_of(download(page, "#export-xlsx"))
    assert sheet[0] == sales_headers and len(sheet) == 3
    assert not {32.0, 61.25} & {v for row in sheet for v in row if isinstance(v, float)}
