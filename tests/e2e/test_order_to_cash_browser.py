"""Order to cash in a browser: the owner creates a client, writes an invoice of two items
at 7% ITBMS (lines added and removed with htmx, live totals checked to the cent: the
ITBMS is rounded per line, DGI style), issues it, downloads its PDF, and registers a
partial payment and then the rest while the badge goes unpaid → partial → paid."""

from __future__ import annotations

import os

import pytest
from pypdf import PdfReader

from cuadra.catalog import services as catalog
from cuadra.catalog.models import Tax
from cuadra.contacts.models import Client
from cuadra.sales.models import SalesInvoice
from tests.e2e.conftest import login
from tests.sales.conftest import opening_stock

pytestmark = [pytest.mark.e2e]
SHOTS = os.environ.get("CUADRA_SCREENSHOTS")  # a directory: keep screenshots there


def _shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, name), full_page=True)


def _items(platform):
    demo, owner = platform.demo, platform.owner
    itbms7 = Tax.objects.get(company=demo, code="01")
    cafe = catalog.item_create(company=demo, actor=owner, sku="E2E-CAFE",
                               name="Café molido 500 g", default_tax=itbms7, base_price="4.50")
    azucar = catalog.item_create(company=demo, actor=owner, sku="E2E-AZU",
                                 name="Azúcar 2 kg", default_tax=itbms7, base_price="2.35")
    opening_stock(demo, owner, [(cafe, 100, "3.00"), (azucar, 100, "1.50")])
    return cafe, azucar


def _text(page, selector: str) -> str:
    return page.text_content(selector).strip()


def _wait_text(page, selector: str, expected: str) -> None:
    page.wait_for_function(
        "([s, t]) => { const e = document.querySelector(s); "
        "return e && e.textContent.trim() === t; }", arg=[selector, expected])


def _settled(page) -> None:
    """htmx binds the triggers of swapped-in content when it settles (20 ms later): a
    choice made before that sends nothing. A person is never that fast; the test is."""
    page.wait_for_function(
        "() => !document.querySelector('.htmx-added, .htmx-settling, .htmx-request')")


def _choose_item(page, number: int, item, price_hint: str) -> None:
    """Pick an item: htmx re-renders the lines with its units and resolved price."""
    _settled(page)
    page.select_option(f'select[aria-label="Artículo {number}"]', str(item.pk))
    page.wait_for_selector(f'input[aria-label="Precio unitario {number}"]'
                           f'[placeholder="{price_hint}"]')


def test_order_to_cash(live_db, platform, live_server, browser_page):
    cafe, azucar = _items(platform)
    page = browser_page
    login(page, live_server, "demo")

    # a client, through the form
    page.click("nav >> text=Ventas")
    page.wait_for_url(f"{live_server.url}/sales/invoices/")
    page.click(".subnav >> text=Clientes")
    page.click("#new-client")
    page.fill("#client-code", "C-E2E")
    page.fill("#client-legal-name", "Ferretería El Tornillo, S.A.")
    page.select_option("#client-tax-id-type", "RUC")
    page.fill("#client-tax-id", "155596713-2-2015")
    page.fill("#client-tax-dv", "59")
    page.select_option("#client-receiver-type", "01")
    page.fill("#client-terms", "30")
    page.click("#save-client")
    page.wait_for_selector("#client-facts")
    client = Client.objects.get(company=platform.demo, code="C-E2E")
    assert _text(page, ".message") == "Cliente C-E2E guardado."
    assert _text(page, '[data-field="tax_id"]') == "RUC 155596713-2-2015 DV 59"

    # an invoice for that client: two lines at 7%, added and removed with htmx
    page.click("#invoice-client")
    page.wait_for_selector("#doc-form")
    assert page.input_value("#doc-client") == str(client.pk)
    _choose_item(page, 1, cafe, "4.50")
    _settled(page)  # the totals swapped in by the last change listen again
    page.fill('input[aria-label="Cantidad 1"]', "3")
    _wait_text(page, "#total-total", "14.45")
    page.click('button[aria-label="Quitar línea 2"]')  # drop the blank second row
    page.wait_for_function("document.querySelectorAll('tr.doc-line').length === 1")
    assert page.input_value('input[aria-label="Cantidad 1"]') == "3"  # typed value kept
    _settled(page)
    page.click("#add-line")
    page.wait_for_selector('select[aria-label="Artículo 2"]')
    _choose_item(page, 2, azucar, "2.35")
    _settled(page)  # the totals swapped in by the last change listen again
    page.fill('input[aria-label="Cantidad 2"]', "2")
    # 13.50 + 4.70; ITBMS per line 0.945 -> 0.95 and 0.329 -> 0.33 (not 18.20 x 7% = 1.27)
    _wait_text(page, "#total-total", "19.48")
    assert _text(page, "#total-subtotal") == "18.20"
    assert _text(page, '#doc-totals tr[data-rate="01"] .tax-amount') == "1.28"
    assert _text(page, "#line-amount-0") == "14.45"
    assert _text(page, "#line-amount-1") == "5.03"
    _shot(page, "invoice_form.png")

    page.click("#save-document")
    page.wait_for_selector("#action-issue")
    invoice = SalesInvoice.objects.get(company=platform.demo)
    assert _text(page, '[data-total="subtotal"]') == "18.20"
    assert _text(page, '#doc-totals tr[data-rate="01"] .tax-amount') == "1.28"
    assert _text(page, '[data-total="total"]') == "19.48"

    page.click("#action-issue")
    page.wait_for_selector("#action-void")
    invoice.refresh_from_db()
    assert invoice.status == "issued" and invoice.number
    assert _text(page, ".message") == f"Factura {invoice.number}: Emitida."
    assert _text(page, "#doc-state") == "Emitida"
    _shot(page, "invoice_issued.png")

    _pay_in_two_parts(page, invoice)
    _download_pdf(page, invoice)


def _download_pdf(page, invoice) -> None:
    with page.expect_download() as info:
        page.click("#invoice-pdf")
    download = info.value
    assert download.suggested_filename == f"{invoice.number}.pdf"
    text = "".join(p.extract_text() for p in PdfReader(download.path()).pages)
    assert invoice.number in text and "Ferretería El Tornillo, S.A." in text and "19.48" in text


def _pay_in_two_parts(page, invoice) -> None:
    _wait_text(page, "#payment-badge .badge", "Sin pagar")
    page.fill("#payment-amount", "10.00")
    page.select_option("#payment-method", "CASH")
    page.click("#register-payment")
    _wait_text(page, "#payment-badge .badge", "Pago parcial")
    assert _text(page, '[data-field="amount_due"]') == "9.48"
    assert page.input_value("#payment-amount") == "9.48"  # the rest is offered
    page.click("#register-payment")
    _wait_text(page, "#payment-badge .badge", "Pagada")
    assert page.locator("#payment-form").count() == 0
    invoice.refresh_from_db()
    assert invoice.payment_state == "PAID"
    _shot(page, "invoice_paid.png")
