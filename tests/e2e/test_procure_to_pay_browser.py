"""Issue 6's browser story: the owner's policy "PURCHASE_REQUISITION anything over $500 →
me"; ``compras`` submits an $800 requisition; the owner sees it on the home page count and
in the inbox and approves it; it converts to a purchase order, which is issued, received
and invoiced, every step asserted on screen."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cuadra.approvals.services import approval_config_create
from cuadra.catalog import services as catalog
from cuadra.catalog.models import Tax
from cuadra.contacts import services as contacts
from cuadra.purchasing import services
from cuadra.purchasing.models import PurchaseRequisition, SupplierInvoice
from tests.e2e.conftest import login

pytestmark = [pytest.mark.e2e]


def test_requisition_over_500_approved_then_ordered_received_invoiced(live_db, platform,
                                                                       live_server,
                                                                       browser_page):
    demo, owner = platform.demo, platform.owner
    approval_config_create(company=demo, actor=owner, document_type="PURCHASE_REQUISITION",
                           threshold="500", approver_user_ids=[owner.pk])
    supplier = contacts.supplier_create(company=demo, actor=owner, code="P2P-1",
                                        legal_name="Papelera Istmeña", payment_terms_days=30)
    papel = catalog.item_create(company=demo, actor=owner, sku="P2P-PAP", name="Papel bond",
                                default_tax=Tax.objects.get(company=demo, code="01"))
    services.supplier_price_create(company=demo, actor=owner, supplier=supplier, item=papel,
                                   price="8.00", min_quantity="1")
    page, url = browser_page, live_server.url

    # compras asks for 100 reams at 8.00, with a free-text line added and removed again
    login(page, live_server, "compras")
    page.goto(f"{url}/purchasing/requisitions/new/")
    page.select_option("select[name='line-0-item']", str(papel.pk))
    page.fill("input[name='line-0-quantity']", "100")
    page.fill("input[name='line-0-estimated_price']", "8.00")
    page.click("#add-line")
    page.wait_for_selector("input[name='line-3-quantity']")
    page.locator("tr[data-line='3'] .remove-line").click()
    page.wait_for_selector("input[name='line-3-quantity']", state="detached")
    page.click("#req-save")
    page.wait_for_selector("#req-submit")
    assert page.text_content("[data-field='total']") == "800.00"
    page.click("#req-submit")
    page.wait_for_selector("#req-convert")
    assert page.text_content("[data-field='status']") == "Enviada"
    requisition = PurchaseRequisition.objects.get(company=demo)
    assert requisition.number == page.text_content("#doc-number")
    page.context.clear_cookies()

    # the owner: the home page counts it and links to the inbox, where it is approved
    login(page, live_server, "demo")
    assert page.text_content("#pending-approvals-link") == "1"
    page.click("#pending-approvals-link")
    page.wait_for_url(f"{url}/purchasing/approvals/")
    row = page.locator(f"tr[data-document='PURCHASE_REQUISITION-{requisition.pk}']")
    assert "800.00" in row.text_content()
    row.locator("input[name='comment']").fill("ok")
    row.locator("button.approve").click()
    page.wait_for_url(f"{url}/purchasing/approvals/")
    assert page.locator("#inbox tbody tr[data-document]").count() == 0

    # converted to an order for the supplier, issued, received, invoiced
    page.goto(f"{url}/purchasing/requisitions/{requisition.pk}/")
    line = requisition.lines.get()
    page.select_option(f"select[name='supplier-{line.pk}']", str(supplier.pk))
    page.click("#req-convert")
    page.wait_for_selector("#order-issue")
    assert page.text_content("[data-field='total']") == "856.00"
    page.click("#order-issue")
    page.wait_for_selector("#order-receive")
    assert page.text_content("[data-field='status']") == "Emitida"
    assert page.text_content("#doc-number").startswith("OC-")
    page.click("#order-receive")
    page.wait_for_selector("#order-receipts")
    assert page.text_content("td.received") == "100"
    page.fill("#supplier-number", "F-7781")
    page.click("#order-invoice")
    page.wait_for_selector("#invoice-issue")
    assert page.locator("#match-ok").count() == 1
    page.click("#invoice-issue")
    page.wait_for_selector("[data-field='amount-due']")
    assert page.text_content("[data-field='status']") == "Emitida"
    assert page.text_content("[data-field='amount-due']") == "856.00"
    invoice = SupplierInvoice.objects.get(company=demo)
    assert (invoice.status, invoice.amount_due, invoice.supplier_number) == (
        "issued", Decimal("856.00"), "F-7781")
    assert page.text_content("#doc-number") == invoice.number
