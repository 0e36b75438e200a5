"""Compras pages: requisition form and detail, the approvals inbox, purchase orders
(issue, cancel, receive, invoice), supplier invoices with the three-way match and its
override, expenses with a stored receipt file."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from cuadra.approvals.selectors import approval_requests_for_document
from cuadra.approvals.services import approval_config_create
from cuadra.catalog import services as catalog
from cuadra.catalog.models import Tax
from cuadra.contacts import services as contacts
from cuadra.core.models import AuditLog
from cuadra.ledger.models import Account
from cuadra.purchasing import services
from cuadra.purchasing.models import (
    Expense,
    GoodsReceipt,
    PurchaseOrder,
    PurchaseRequisition,
    StoredFile,
    SupplierInvoice,
)
from tests.conftest import row_counts

DAY = dt.date(2025, 3, 14)


def _client(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=username)
    return client


@pytest.fixture
def owner(platform) -> Client:
    return _client("demo")


@pytest.fixture
def compras(platform) -> Client:
    return _client("compras")


@pytest.fixture
def compras_user(platform):
    return get_user_model().objects.get(username="compras")


@pytest.fixture
def setup(demo, platform):
    supplier = contacts.supplier_create(company=demo, actor=platform.owner, code="P2P-1",
                                        legal_name="Papelera Istmeña", payment_terms_days=30)
    papel = catalog.item_create(company=demo, actor=platform.owner, sku="P2P-PAP",
                                name="Papel bond",
                                default_tax=Tax.objects.get(company=demo, code="01"))
    services.supplier_price_create(company=demo, actor=platform.owner, supplier=supplier,
                                   item=papel, price="8.00", min_quantity="1")
    return {"supplier": supplier, "papel": papel}


def _issued_order(demo, actor, setup, quantity="100"):
    order = services.purchase_order_create(
        company=demo, actor=actor, supplier=setup["supplier"], date=DAY,
        lines=[{"item": setup["papel"], "quantity": quantity}])
    services.purchase_order_issue(company=demo, actor=actor, order=order)
    order.refresh_from_db()
    return order


def test_requisition_form_saves_item_and_free_text_lines(compras, demo, setup):
    response = compras.post("/purchasing/requisitions/new/", {
        "date": "2025-03-14", "notes": "oficina",
        "line-0-item": str(setup["papel"].pk), "line-0-quantity": "100",
        "line-0-estimated_price": "8.00", "line-0-needed_by": "2025-03-31",
        "line-1-description": "", "line-1-quantity": "",  # an untouched line is dropped
        "line-2-description": "Servicio de mensajería", "line-2-quantity": "2",
        "line-2-estimated_price": "12.50"})
    req = PurchaseRequisition.objects.get(company=demo)
    assert response.status_code == 302
    assert response["Location"] == f"/purchasing/requisitions/{req.pk}/"
    assert (req.status, req.total, req.notes, req.date) == ("draft", D("825.00"), "oficina",
                                                            DAY)
    assert [(li.description, li.quantity, li.estimated_amount, li.needed_by)
            for li in req.lines.order_by("line_no")] == [
        ("Papel bond", D("100"), D("800.00"), dt.date(2025, 3, 31)),
        ("Servicio de mensajería", D("2"), D("25.00"), None)]
    page = compras.get(response["Location"]).content.decode()
    assert 'data-field="total">825.00<' in page and 'id="req-submit"' in page


def test_a_field_error_is_shown_on_its_line_and_nothing_is_written(compras, demo, setup):
    before = row_counts()
    response = compras.post("/purchasing/requisitions/new/", {
        "line-0-item": str(setup["papel"].pk), "line-0-quantity": "cien",
        "line-1-description": "Tóner", "line-1-quantity": "1"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="req-line has-error" data-line="0"' in html
    assert 'value="cien"' in html and 'value="Tóner"' in html  # what was typed comes back
    assert row_counts() == before
    refusal = AuditLog.objects.filter(company_id=demo.pk, action="refused").latest("id")
    assert (refusal.operation, refusal.error_code) == ("web_purchase_requisition_create",
                                                       "VALIDATION")


def test_htmx_adds_a_numbered_line_and_removes_one(compras, setup):
    added = compras.get("/purchasing/requisitions/form/line/?n=3",
                        HTTP_HX_REQUEST="true").content.decode()
    assert 'name="line-3-quantity"' in added
    assert "?n=4" in added and 'hx-swap-oob="true"' in added  # the add button counts on
    assert compras.get("/purchasing/requisitions/form/line/?remove=1").content == b""


def test_sales_user_may_not_create_requisitions(platform, demo, setup):
    ventas = _client("ventas")
    before = row_counts()
    assert ventas.get("/purchasing/requisitions/new/").status_code == 403
    assert ventas.post("/purchasing/requisitions/new/", {
        "line-0-description": "x", "line-0-quantity": "1"}).status_code == 403
    assert row_counts() == before


def test_another_companys_documents_are_not_found(owner, platform, otra, demo, setup):
    otra_owner = get_user_model().objects.get(username="otra")
    req = services.purchase_requisition_create(
        company=otra, actor=otra_owner, lines=[{"description": "x", "quantity": "1"}])
    supplier = contacts.supplier_create(company=otra, actor=otra_owner, code="S1",
                                        legal_name="Otro proveedor")
    order = services.purchase_order_create(company=otra, actor=otra_owner, supplier=supplier,
                                           lines=[{"description": "x", "quantity": "1",
                                                   "unit_price": "1"}])
    before = row_counts()
    assert owner.get(f"/purchasing/requisitions/{req.pk}/").status_code == 404
    assert owner.post(f"/purchasing/requisitions/{req.pk}/submit/").status_code == 404
    assert owner.get(f"/purchasing/orders/{order.pk}/").status_code == 404
    assert owner.post(f"/purchasing/orders/{order.pk}/issue/").status_code == 404
    assert owner.post("/purchasing/approvals/approve/", {
        "document_type": "PURCHASE_REQUISITION",
        "document_id": str(req.pk)}).status_code == 400
    assert row_counts() == before
    req.refresh_from_db()
    order.refresh_from_db()
    assert (req.status, order.status) == ("draft", "draft")


def test_approval_then_conversion_order_receipts_and_invoice(owner, compras, demo, platform,
                                                             setup, compras_user):
    approval_config_create(company=demo, actor=platform.owner,
                           document_type="PURCHASE_REQUISITION", threshold="500",
                           approver_user_ids=[platform.owner.pk])
    req = services.purchase_requisition_create(
        company=demo, actor=compras_user, date=DAY,
        lines=[{"item": setup["papel"], "quantity": "100", "estimated_price": "8.00"}])
    assert compras.post(f"/purchasing/requisitions/{req.pk}/submit/").status_code == 302
    req.refresh_from_db()
    assert (req.status, req.number) == ("submitted", "RC-2025-000001")
    line = req.lines.get()
    convert = {f"supplier-{line.pk}": str(setup["supplier"].pk), "date": "2025-03-14"}

    # before the owner approves, the conversion is refused and says why
    before = row_counts()
    refused = compras.post(f"/purchasing/requisitions/{req.pk}/convert/", convert)
    assert refused.status_code == 400
    assert 'data-code="APPROVAL_REQUIRED"' in refused.content.decode()
    assert row_counts() == before

    # the owner's home page counts it and links to the inbox, which lists it
    home = owner.get("/").content.decode()
    assert 'data-field="pending-approvals"><a href="/purchasing/approvals/"' in home
    assert 'id="pending-approvals-link">1</a>' in home
    inbox = owner.get("/purchasing/approvals/").content.decode()
    assert f'data-document="PURCHASE_REQUISITION-{req.pk}"' in inbox and "800.00" in inbox
    assert owner.post("/purchasing/approvals/approve/", {
        "document_type": "PURCHASE_REQUISITION", "document_id": str(req.pk),
        "comment": "ok"}).status_code == 302
    assert f"PURCHASE_REQUISITION-{req.pk}" not in owner.get(
        "/purchasing/approvals/").content.decode()

    converted = compras.post(f"/purchasing/requisitions/{req.pk}/convert/", convert)
    order = PurchaseOrder.objects.get(company=demo)
    assert converted["Location"] == f"/purchasing/orders/{order.pk}/"
    assert (order.status, order.total) == ("draft", D("856.00"))
    assert compras.post(f"/purchasing/orders/{order.pk}/issue/").status_code == 302
    order.refresh_from_db()
    assert (order.status, order.number) == ("issued", "OC-2025-000001")

    order_line = order.lines.get()
    # receiving more than ordered is refused on the page and writes nothing
    before = row_counts()
    over = compras.post(f"/purchasing/orders/{order.pk}/receive/",
                        {f"receive-{order_line.pk}": "101", "date": "2025-03-14"})
    assert over.status_code == 400 and 'data-code="VALIDATION"' in over.content.decode()
    assert row_counts() == before
    compras.post(f"/purchasing/orders/{order.pk}/receive/",
                 {f"receive-{order_line.pk}": "60", "date": "2025-03-14"})
    compras.post(f"/purchasing/orders/{order.pk}/receive/", {"date": "2025-03-14"})
    assert [list(r.lines.values_list("quantity", flat=True))
            for r in GoodsReceipt.objects.filter(order=order).order_by("id")] == [
        [D("60")], [D("40")]]
    page = compras.get(f"/purchasing/orders/{order.pk}/").content.decode()
    assert '<td class="num received">100</td>' in page

    made = compras.post(f"/purchasing/orders/{order.pk}/invoice/",
                        {"supplier_number": "F-7781", "date": "2025-03-14"})
    invoice = SupplierInvoice.objects.get(company=demo)
    assert made["Location"] == f"/purchasing/invoices/{invoice.pk}/"
    detail = compras.get(made["Location"]).content.decode()
    assert 'id="match-ok"' in detail
    assert compras.post(f"/purchasing/invoices/{invoice.pk}/issue/").status_code == 302
    invoice.refresh_from_db()
    assert (invoice.status, invoice.number, invoice.amount_due) == (
        "issued", "FP-2025-000001", D("856.00"))
    listed = compras.get("/purchasing/invoices/").content.decode()
    assert "FP-2025-000001" in listed and "F-7781" in listed


def test_owner_rejects_with_a_reason(owner, demo, platform, setup, compras_user):
    approval_config_create(company=demo, actor=platform.owner,
                           document_type="PURCHASE_REQUISITION", threshold="500",
                           approver_user_ids=[platform.owner.pk])
    req = services.purchase_requisition_create(
        company=demo, actor=compras_user,
        lines=[{"description": "Sillas", "quantity": "10", "estimated_price": "90"}])
    services.purchase_requisition_submit(company=demo, actor=compras_user, requisition=req)
    data = {"document_type": "PURCHASE_REQUISITION", "document_id": str(req.pk)}
    before = row_counts()
    blank = owner.post("/purchasing/approvals/reject/", {**data, "reason": " "})
    assert blank.status_code == 400 and 'id="refusal"' in blank.content.decode()
    assert row_counts() == before
    assert owner.post("/purchasing/approvals/reject/",
                      {**data, "reason": "no hay presupuesto"}).status_code == 302
    req.refresh_from_db()
    assert req.status == "draft"  # back to its requester, who may change and resubmit
    assert list(approval_requests_for_document(
        company=demo, document_type="PURCHASE_REQUISITION", document_id=req.pk
    ).values_list("status", "reason")) == [("REJECTED", "no hay presupuesto")]
    assert "no hay presupuesto" in owner.get(
        f"/purchasing/requisitions/{req.pk}/").content.decode()


def test_match_differences_shown_and_override_needs_approve(owner, compras, demo, platform,
                                                            setup, compras_user):
    order = _issued_order(demo, compras_user, setup)
    services.goods_receipt_receive(company=demo, actor=compras_user, order=order, date=DAY)
    line = order.lines.get()
    invoice = services.supplier_invoice_from_order(
        company=demo, actor=compras_user, order=order, date=DAY, supplier_number="F-1",
        lines=[{"line_id": line.pk, "quantity": "100", "unit_price": "9.00"}])
    page = compras.get(f"/purchasing/invoices/{invoice.pk}/").content.decode()
    assert 'data-kind="PRICE"' in page
    assert "unit price 9 against the order&#x27;s 8" in page
    assert 'id="invoice-override"' not in page  # compras holds no approve

    before = row_counts()
    refused = compras.post(f"/purchasing/invoices/{invoice.pk}/issue/")
    assert refused.status_code == 400
    assert 'data-code="MATCH_FAILED"' in refused.content.decode()
    denied = compras.post(f"/purchasing/invoices/{invoice.pk}/override/", {"reason": "ok"})
    assert 'data-code="PERMISSION_DENIED"' in denied.content.decode()
    assert row_counts() == before

    assert 'id="invoice-override"' in owner.get(
        f"/purchasing/invoices/{invoice.pk}/").content.decode()
    assert owner.post(f"/purchasing/invoices/{invoice.pk}/override/",
                      {"reason": "precio nuevo acordado"}).status_code == 302
    assert compras.post(f"/purchasing/invoices/{invoice.pk}/issue/").status_code == 302
    invoice.refresh_from_db()
    assert (invoice.status, invoice.total, invoice.match_override_reason) == (
        "issued", D("963.00"), "precio nuevo acordado")


def test_cancel_an_order_needs_a_reason(compras, demo, setup, compras_user):
    order = _issued_order(demo, compras_user, setup)
    assert compras.post(f"/purchasing/orders/{order.pk}/cancel/",
                        {"reason": ""}).status_code == 400
    order.refresh_from_db()
    assert order.status == "issued"
    assert compras.post(f"/purchasing/orders/{order.pk}/cancel/",
                        {"reason": "ya no se necesita"}).status_code == 302
    order.refresh_from_db()
    assert order.status == "cancelled"
    listed = compras.get("/purchasing/orders/").content.decode()
    assert f'data-order="{order.pk}"' in listed and "cancelled" in listed


def test_expense_form_stores_the_receipt_and_posts(compras, demo, setup):
    account = Account.objects.filter(company=demo, type="EXPENSE", is_group=False,
                                     is_active=True).order_by("code").first()
    tax = Tax.objects.get(company=demo, code="01")
    form = compras.get("/purchasing/expenses/new/").content.decode()
    assert f'value="{account.pk}"' in form
    response = compras.post("/purchasing/expenses/new/", {
        "date": "2025-03-14", "description": "Taxi al banco", "amount": "20.00",
        "expense_account": str(account.pk), "tax": str(tax.pk), "payment_method": "CASH",
        "receipt": SimpleUploadedFile("recibo.pdf", b"%PDF-1.4 recibo",
                                      content_type="application/pdf")})
    assert response.status_code == 302
    expense = Expense.objects.get(company=demo)
    assert (expense.status, expense.amount, expense.tax_amount, expense.total) == (
        "issued", D("20.00"), D("1.40"), D("21.40"))
    assert expense.number and expense.journal_entry_id
    stored = StoredFile.objects.get(company=demo)
    assert (expense.receipt_file_id, stored.name, stored.size) == (stored.pk, "recibo.pdf", 15)
    assert "Taxi al banco" in compras.get("/purchasing/expenses/").content.decode()


def test_expense_without_account_is_refused_and_writes_nothing(compras, demo, setup):
    before = row_counts()
    response = compras.post("/purchasing/expenses/new/", {
        "description": "Taxi", "amount": "20", "payment_method": "CASH"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Choose a postable EXPENSE account" in html or "EXPENSE" in html
    assert 'value="Taxi"' in html
    assert row_counts() == before


def test_invoice_from_one_receipt_and_a_foreign_receipt_is_refused(compras, owner, platform,
                                                                   otra, demo, setup,
                                                                   compras_user):
    order = _issued_order(demo, compras_user, setup)
    line = order.lines.get()
    first = services.goods_receipt_receive(company=demo, actor=compras_user, order=order,
                                           date=DAY, lines=[{"line_id": line.pk,
                                                             "quantity": "60"}])
    other_order = _issued_order(demo, compras_user, setup, quantity="5")
    elsewhere = services.goods_receipt_receive(company=demo, actor=compras_user,
                                               order=other_order, date=DAY)
    page = compras.get(f"/purchasing/orders/{order.pk}/").content.decode()
    assert f'<option value="{first.pk}">{first.number}</option>' in page

    before = row_counts()
    wrong = compras.post(f"/purchasing/orders/{order.pk}/invoice/",
                         {"receipt": str(elsewhere.pk), "supplier_number": "F-9"})
    assert wrong.status_code == 400 and 'data-code="NOT_FOUND"' in wrong.content.decode()
    assert row_counts() == before

    made = compras.post(f"/purchasing/orders/{order.pk}/invoice/",
                        {"receipt": str(first.pk), "supplier_number": "F-9",
                         "date": "2025-03-14"})
    invoice = SupplierInvoice.objects.get(company=demo)
    assert made["Location"] == f"/purchasing/invoices/{invoice.pk}/"
    assert (invoice.receipt_id, invoice.total) == (first.pk, D("513.60"))  # 60 × 8 + 7%
    assert [li.quantity for li in invoice.lines.all()] == [D("60")]


def test_pages_speak_spanish_and_tabs_follow_permissions(compras, platform):
    html = compras.get("/purchasing/").content.decode()
    assert "Requisiciones" in html and "Nueva requisición" in html
    assert "Órdenes de compra" in html and "Gastos" in html
    ventas = _client("ventas")
    assert ventas.get("/purchasing/").status_code == 403
    inbox = ventas.get("/purchasing/approvals/").content.decode()
    assert "Nada espera su decisión." in inbox
    assert "Requisiciones" not in inbox  # the tab a sales user may not open is not shown


def test_states_show_spanish_labels_as_chips(compras, demo, setup, compras_user):
    req = services.purchase_requisition_create(
        company=demo, actor=compras_user, date=DAY,
        lines=[{"description": "Tóner", "quantity": "1", "estimated_price": "5"}])
    listing = compras.get("/purchasing/").content.decode()
    assert '<span class="tag state-draft">Borrador</span>' in listing
    services.purchase_requisition_submit(company=demo, actor=compras_user, requisition=req)
    detail = compras.get(f"/purchasing/requisitions/{req.pk}/").content.decode()
    assert '<span class="tag state-submitted">Enviada</span>' in detail
    order = _issued_order(demo, compras_user, setup)
    orders = compras.get("/purchasing/orders/").content.decode()
    assert '<span class="tag state-issued">Emitida</span>' in orders
    assert f'data-order="{order.pk}"' in orders or "Emitida" in orders


def test_unit_choice_follows_the_item(compras, demo, setup):
    from cuadra.catalog.models import ItemUnit

    papel = setup["papel"]
    base = ItemUnit.objects.get(item=papel, lower=None)
    cell = compras.get(f"/purchasing/requisitions/form/units/?n=2&line-2-item={papel.pk}",
                       HTTP_HX_REQUEST="true").content.decode()
    assert 'id="unit-cell-2"' in cell and 'name="line-2-unit"' in cell
    assert cell.count("<option") == ItemUnit.objects.filter(item=papel).count()
    assert f'value="{base.pk}"' in cell
    free = compras.get("/purchasing/requisitions/form/units/?n=2&line-2-item=",
                       HTTP_HX_REQUEST="true").content.decode()
    assert 'name="line-2-unit_name"' in free and "<select" not in free
    form = compras.get("/purchasing/requisitions/new/").content.decode()
    assert "purchasing/requisitions/form/units/?n=0" in form


def test_a_unit_of_another_item_is_refused_on_the_form(compras, demo, setup, platform):
    from cuadra.catalog.models import ItemUnit

    other = catalog.item_create(company=demo, actor=platform.owner, sku="P2P-OTR",
                                name="Otro")
    before = row_counts()
    response = compras.post("/purchasing/requisitions/new/", {
        "line-0-item": str(setup["papel"].pk), "line-0-quantity": "1",
        "line-0-unit": str(ItemUnit.objects.get(item=other, lower=None).pk)})
    assert response.status_code == 400
    assert "is not a unit level of item P2P-PAP" in response.content.decode()
    assert row_counts() == before
    saved = compras.post("/purchasing/requisitions/new/", {
        "line-0-description": "Cajas", "line-0-quantity": "2", "line-0-unit_name": "paquete",
        "line-0-estimated_price": "3"})
    assert saved.status_code == 302
    line = PurchaseRequisition.objects.get(company=demo).lines.get()
    assert (line.unit_id, line.unit_name) == (None, "paquete")
    assert "2 paquete" in compras.get(saved["Location"]).content.decode()


def test_supplier_payment_form_pays_an_expense_on_credit(compras, demo, setup, compras_user,
                                                          owner, platform):
    account = Account.objects.filter(company=demo, type="EXPENSE", is_group=False,
                                     is_active=True).order_by("code").first()
    supplier = setup["supplier"]
    expense = services.expense_create(
        company=demo, actor=platform.owner, description="Reparación", amount="100",
        tax=Tax.objects.get(company=demo, code="01").pk, payment_method="CREDIT",
        expense_account=account.pk, supplier=supplier.pk, date=DAY)
    services.expense_post(company=demo, actor=platform.owner, expense=expense)
    expense.refresh_from_db()
    listing = owner.get("/purchasing/expenses/").content.decode()
    assert f"?supplier={supplier.pk}&amp;expense-{expense.pk}=107.00" in listing
    form = owner.get(f"/purchasing/payments/new/?supplier={supplier.pk}").content.decode()
    assert f'name="expense-{expense.pk}"' in form and "Gasto a crédito" in form
    data = {"supplier": str(supplier.pk), "amount": "150", "method": "CASH",
            "date": "2025-03-14", f"expense-{expense.pk}": "107.01"}
    before = row_counts()
    refused = owner.post("/purchasing/payments/new/", data)
    assert refused.status_code == 400 and "107.01 is more" in refused.content.decode()
    assert row_counts() == before
    done = owner.post("/purchasing/payments/new/", {**data, f"expense-{expense.pk}": "60"})
    assert done.status_code == 302 and done["Location"] == "/purchasing/payments/"
    expense.refresh_from_db()
    assert (expense.amount_paid, expense.amount_due, expense.payment_state) == (
        D("60.00"), D("47.00"), "PARTIAL")
    payments = owner.get("/purchasing/payments/").content.decode()
    assert "Realizado" in payments and "90.00" in payments  # 150 - 60 unapplied
    assert "Pago parcial" in owner.get("/purchasing/expenses/").content.decode()
