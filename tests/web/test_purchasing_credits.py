"""Compras → Notas de crédito de proveedor and refunds: a related credit drafted from a
posted invoice's page and posted from its own page (exact figures on an unpaid and on a
paid invoice), a free credit, the refund of a payment's unapplied credit, every refusal
writing nothing, permissions and another company's documents."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from cuadra.catalog import services as catalog
from cuadra.catalog.enums import ItemKind
from cuadra.catalog.models import Tax
from cuadra.contacts import services as contacts
from cuadra.core.models import AuditLog
from cuadra.purchasing import services
from cuadra.purchasing.models import SupplierCredit, SupplierPaymentRefund
from tests.conftest import row_counts

DAY = dt.date(2025, 3, 14)
PAYABLE, BANK = "210101", "110103"


def _client(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=username)
    return client


@pytest.fixture
def compras(platform) -> Client:
    return _client("compras")


@pytest.fixture
def owner_user(platform):
    return platform.owner


@pytest.fixture
def supplier(demo, owner_user):
    return contacts.supplier_create(company=demo, actor=owner_user, code="NC-1",
                                    legal_name="Limpiezas del Istmo", payment_terms_days=30)


@pytest.fixture
def invoice(demo, owner_user, supplier):
    """3 cleaning services at 10.00 + ITBMS 7% = 32.10, posted."""
    item = catalog.item_create(company=demo, actor=owner_user, sku="NC-LIM", name="Limpieza",
                               kind=ItemKind.SERVICE,
                               default_tax=Tax.objects.get(company=demo, code="01"))
    doc = services.supplier_invoice_create(
        company=demo, actor=owner_user, supplier=supplier, date=DAY, supplier_number="F-100",
        lines=[{"item": item, "quantity": "3", "unit_price": "10"}])
    services.supplier_invoice_issue(company=demo, actor=owner_user, invoice=doc)
    doc.refresh_from_db()
    return doc


def _credit_one(client, invoice, quantity="1", **extra):
    line = invoice.lines.get()
    return client.post(f"/purchasing/invoices/{invoice.pk}/credit/", {
        "reason": "mal servicio", "date": "2025-03-14", "supplier_number": "NC-7",
        f"qty-{line.pk}": quantity, **extra})


def _money(invoice):
    invoice.refresh_from_db()
    return (invoice.amount_credited, invoice.amount_paid, invoice.amount_due,
            invoice.payment_state)


def test_credit_part_of_an_unpaid_invoice_from_its_page(compras, demo, invoice):
    page = compras.get(f"/purchasing/invoices/{invoice.pk}/").content.decode()
    assert 'id="invoice-credit"' in page and "Nota de crédito" in page
    line = invoice.lines.get()
    form = compras.get(f"/purchasing/invoices/{invoice.pk}/credit/").content.decode()
    assert f'name="qty-{line.pk}" value="3"' in form  # prefilled with what remains

    response = _credit_one(compras, invoice)
    credit = SupplierCredit.objects.get(company=demo)
    assert response.status_code == 302
    assert response["Location"] == f"/purchasing/credits/{credit.pk}/"
    assert (credit.kind, credit.status, credit.invoice_id, credit.reason,
            credit.supplier_number, credit.date) == (
        "related", "draft", invoice.pk, "mal servicio", "NC-7", DAY)
    assert (credit.subtotal, credit.tax_total, credit.total) == (
        D("10.00"), D("0.70"), D("10.70"))
    assert [li.quantity for li in credit.lines.all()] == [D("1")]
    assert _money(invoice) == (D("0.00"), D("0.00"), D("32.10"), "UNPAID")  # a draft

    detail = compras.get(response["Location"]).content.decode()
    assert '<span class="tag state-draft">Borrador</span>' in detail
    assert 'data-field="total">10.70<' in detail and 'id="credit-invoice"' in detail
    assert 'id="credit-issue"' in detail and 'id="credit-cancel"' in detail
    assert compras.post(f"/purchasing/credits/{credit.pk}/move/",
                        {"action": "issue", "issue_key": "k1"}).status_code == 302
    credit.refresh_from_db()
    assert (credit.status, credit.number) == ("issued", "NCP-2025-000001")
    assert credit.journal_entry_id is not None
    assert _money(invoice) == (D("10.70"), D("0.00"), D("21.40"), "PARTIAL")

    # the next form offers only what remains
    form = compras.get(f"/purchasing/invoices/{invoice.pk}/credit/").content.decode()
    assert f'name="qty-{line.pk}" value="2"' in form
    listing = compras.get("/purchasing/credits/").content.decode()
    assert f'data-credit="{credit.pk}"' in listing and "NCP-2025-000001" in listing
    assert '<span class="tag state-issued">Emitida</span>' in listing
    assert "Relacionada" in listing and invoice.number in listing
    assert f'data-credit="{credit.pk}"' in compras.get(
        "/purchasing/credits/?status=issued").content.decode()
    assert f'data-credit="{credit.pk}"' not in compras.get(
        "/purchasing/credits/?status=draft").content.decode()


def test_credit_on_a_paid_invoice_is_refunded_from_the_payments_page(compras, demo,
                                                                     platform, supplier,
                                                                     invoice):
    compras_user = get_user_model().objects.get(username="compras")
    payment = services.supplier_payment_register(
        company=demo, actor=compras_user, supplier=supplier, amount="32.10",
        method="BANK_TRANSFER", date=DAY, allocations=[{"invoice": invoice.pk,
                                                        "amount": "32.10"}])
    assert 'id="refund-form' not in compras.get("/purchasing/payments/").content.decode()
    assert _credit_one(compras, invoice).status_code == 302
    credit = SupplierCredit.objects.get(company=demo)
    assert compras.post(f"/purchasing/credits/{credit.pk}/move/",
                        {"action": "issue"}).status_code == 302
    assert _money(invoice) == (D("10.70"), D("21.40"), D("0.00"), "PAID")
    payment.refresh_from_db()
    assert (payment.allocated, payment.unapplied) == (D("21.40"), D("10.70"))

    listing = compras.get("/purchasing/payments/").content.decode()
    assert f'id="refund-form-{payment.pk}"' in listing
    assert f'data-unapplied="{payment.pk}">10.70<' in listing
    assert "Reembolso" in listing

    before = row_counts()
    refused = compras.post(f"/purchasing/payments/{payment.pk}/refund/",
                           {"amount": "10.71", "date": "2025-03-20"})
    assert refused.status_code == 400
    html = refused.content.decode()
    assert 'data-error="amount"' in html and 'value="10.71"' in html
    assert row_counts() == before

    done = compras.post(f"/purchasing/payments/{payment.pk}/refund/",
                        {"amount": "10.70", "date": "2025-03-20", "reference": "TRF-55"})
    assert done.status_code == 302
    refund = SupplierPaymentRefund.objects.get(company=demo)
    assert (refund.amount, refund.date, refund.reference) == (
        D("10.70"), dt.date(2025, 3, 20), "TRF-55")
    assert sorted((li.account.code, li.debit, li.credit)
                  for li in refund.journal_entry.lines.select_related("account")) == [
        (BANK, D("10.70"), D("0")), (PAYABLE, D("0"), D("10.70"))]
    payment.refresh_from_db()
    assert (payment.refunded, payment.unapplied) == (D("10.70"), D("0.00"))
    listing = compras.get("/purchasing/payments/").content.decode()
    assert f'data-refund="{refund.pk}"' in listing and "TRF-55" in listing
    assert f'id="refund-form-{payment.pk}"' not in listing  # nothing left to refund


def test_credit_refusals_are_shown_and_write_nothing(compras, demo, invoice):
    line = invoice.lines.get()
    before = row_counts()
    over = _credit_one(compras, invoice, quantity="4")
    assert over.status_code == 400
    html = over.content.decode()
    assert f'data-error="qty-{line.pk}"' in html and "Only 3 of line 1" in html
    assert f'name="qty-{line.pk}" value="4"' in html  # what was typed comes back
    no_reason = _credit_one(compras, invoice, reason="")
    assert no_reason.status_code == 400 and 'data-error="reason"' in no_reason.content.decode()
    nothing = _credit_one(compras, invoice, quantity="0")
    assert nothing.status_code == 400 and 'id="refusal"' in nothing.content.decode()
    assert compras.post("/purchasing/credits/new/", {
        "reason": "x", "line-0-description": "Bonificación", "line-0-quantity": "1",
        "line-0-unit_price": "5", "line-0-tax": ""}).status_code == 400  # no supplier
    assert row_counts() == before
    refusal = AuditLog.objects.filter(company_id=demo.pk, action="refused").latest("id")
    assert (refusal.operation, refusal.error_code) == ("web_supplier_credit_create",
                                                       "NOT_FOUND")

    assert _credit_one(compras, invoice).status_code == 302
    credit = SupplierCredit.objects.get(company=demo)
    before = row_counts()
    unsaid = compras.post(f"/purchasing/credits/{credit.pk}/move/",
                          {"action": "cancel", "reason": ""})
    assert unsaid.status_code == 400 and 'data-code="VALIDATION"' in unsaid.content.decode()
    bogus = compras.post(f"/purchasing/credits/{credit.pk}/move/", {"action": "void",
                                                                    "reason": "x"})
    assert 'data-code="INVALID_TRANSITION"' in bogus.content.decode()
    assert row_counts() == before
    credit.refresh_from_db()
    assert credit.status == "draft"
    assert compras.post(f"/purchasing/credits/{credit.pk}/move/",
                        {"action": "cancel", "reason": "duplicada"}).status_code == 302
    credit.refresh_from_db()
    assert credit.status == "cancelled"


def test_free_credit_form(compras, demo, supplier):
    form = compras.get("/purchasing/credits/new/").content.decode()
    assert "Nueva nota de crédito" in form and f'value="{supplier.pk}"' in form
    response = compras.post("/purchasing/credits/new/", {
        "supplier": str(supplier.pk), "reason": "bonificación", "date": "2025-03-14",
        "line-0-description": "Bonificación por volumen", "line-0-quantity": "2",
        "line-0-unit_price": "12.50", "line-0-tax": "",
        "line-1-tax": "default"})  # an untouched line is dropped
    credit = SupplierCredit.objects.get(company=demo)
    assert response["Location"] == f"/purchasing/credits/{credit.pk}/"
    assert (credit.kind, credit.invoice_id, credit.total, credit.tax_total) == (
        "free", None, D("25.00"), D("0.00"))
    detail = compras.get(response["Location"]).content.decode()
    assert "Libre" in detail and 'id="credit-invoice"' not in detail
    assert compras.post(f"/purchasing/credits/{credit.pk}/move/",
                        {"action": "issue"}).status_code == 302
    credit.refresh_from_db()
    assert credit.status == "issued" and credit.number


def test_free_credit_lines_are_added_with_htmx_and_errors_shown_on_their_line(compras,
                                                                            supplier):
    added = compras.get("/purchasing/credits/form/line/?n=3",
                        HTTP_HX_REQUEST="true").content.decode()
    assert 'name="line-3-unit_price"' in added
    assert "?n=4" in added and 'hx-swap-oob="true"' in added
    assert compras.get("/purchasing/credits/form/line/?remove=1").content == b""
    before = row_counts()
    refused = compras.post("/purchasing/credits/new/", {
        "supplier": str(supplier.pk), "reason": "x",
        "line-0-description": "Bonificación", "line-0-quantity": "uno",
        "line-0-unit_price": "5", "line-0-tax": ""})
    assert refused.status_code == 400
    html = refused.content.decode()
    assert 'class="credit-line has-error" data-line="0"' in html and 'value="uno"' in html
    assert row_counts() == before


def test_roles_without_permission_are_refused(platform, demo, compras, invoice, supplier):
    assert _credit_one(compras, invoice).status_code == 302
    credit = SupplierCredit.objects.get(company=demo)
    bodega, contador = _client("bodega"), _client("contador")
    auditor, ventas = _client("auditor"), _client("ventas")
    before = row_counts()  # logged in first: their sessions are rows too
    # bodega: no supplier credits at all
    assert bodega.get("/purchasing/credits/").status_code == 403
    assert bodega.get(f"/purchasing/credits/{credit.pk}/").status_code == 403
    assert bodega.post(f"/purchasing/credits/{credit.pk}/move/",
                       {"action": "issue"}).status_code == 403
    # contador views and posts credits, may not create them
    assert 'id="invoice-credit"' not in contador.get(
        f"/purchasing/invoices/{invoice.pk}/").content.decode()
    assert contador.get(f"/purchasing/invoices/{invoice.pk}/credit/").status_code == 403
    assert _credit_one(contador, invoice).status_code == 403
    assert contador.get("/purchasing/credits/new/").status_code == 403
    # auditor reads only: no step buttons, a step is refused
    page = auditor.get(f"/purchasing/credits/{credit.pk}/").content.decode()
    assert 'id="credit-issue"' not in page
    denied = auditor.post(f"/purchasing/credits/{credit.pk}/move/", {"action": "issue"})
    assert denied.status_code == 400
    assert 'data-code="PERMISSION_DENIED"' in denied.content.decode()
    assert ventas.get("/purchasing/payments/").status_code == 403
    assert row_counts() == before
    credit.refresh_from_db()
    assert credit.status == "draft"
    # the accountant posts it (SUPPLIER_CREDITS:post)
    assert 'id="credit-issue"' in contador.get(
        f"/purchasing/credits/{credit.pk}/").content.decode()
    assert contador.post(f"/purchasing/credits/{credit.pk}/move/",
                         {"action": "issue"}).status_code == 302


def test_refund_refused_without_permission_writes_nothing(platform, demo, compras, supplier,
                                                          invoice):
    compras_user = get_user_model().objects.get(username="compras")
    payment = services.supplier_payment_register(
        company=demo, actor=compras_user, supplier=supplier, amount="50",
        method="BANK_TRANSFER", date=DAY, allocations=[{"invoice": invoice.pk,
                                                        "amount": "32.10"}])
    auditor, ventas = _client("auditor"), _client("ventas")
    assert f'id="refund-form-{payment.pk}"' not in auditor.get(
        "/purchasing/payments/").content.decode()
    before = row_counts()
    denied = auditor.post(f"/purchasing/payments/{payment.pk}/refund/", {"amount": "1"})
    assert denied.status_code == 400
    assert 'data-code="PERMISSION_DENIED"' in denied.content.decode()
    assert ventas.post(f"/purchasing/payments/{payment.pk}/refund/",
                       {"amount": "1"}).status_code == 403
    zero = compras.post(f"/purchasing/payments/{payment.pk}/refund/", {"amount": "0"})
    assert zero.status_code == 400 and 'data-error="amount"' in zero.content.decode()
    assert row_counts() == before
    payment.refresh_from_db()
    assert (payment.refunded, payment.unapplied) == (D("0.00"), D("17.90"))


def test_another_companys_credit_invoice_and_payment_are_not_found(platform, otra, demo,
                                                                   compras):
    otra_owner = get_user_model().objects.get(username="otra")
    supplier = contacts.supplier_create(company=otra, actor=otra_owner, code="S1",
                                        legal_name="Otro")
    credit = services.supplier_credit_create(
        company=otra, actor=otra_owner, kind="free", supplier=supplier, reason="x",
        lines=[{"description": "x", "quantity": "1", "unit_price": "5", "tax": None}])
    foreign = services.supplier_invoice_create(
        company=otra, actor=otra_owner, supplier=supplier,
        lines=[{"description": "x", "quantity": "1", "unit_price": "5", "tax": None}])
    services.supplier_invoice_issue(company=otra, actor=otra_owner, invoice=foreign)
    payment = services.supplier_payment_register(
        company=otra, actor=otra_owner, supplier=supplier, amount="9", method="CASH")
    owner = _client("demo")
    before = row_counts()
    assert owner.get(f"/purchasing/credits/{credit.pk}/").status_code == 404
    assert owner.post(f"/purchasing/credits/{credit.pk}/move/",
                      {"action": "issue"}).status_code == 404
    assert owner.get(f"/purchasing/invoices/{foreign.pk}/credit/").status_code == 404
    assert owner.post(f"/purchasing/invoices/{foreign.pk}/credit/",
                      {"reason": "x"}).status_code == 404
    assert owner.post(f"/purchasing/payments/{payment.pk}/refund/",
                      {"amount": "1"}).status_code == 404
    assert f'data-credit="{credit.pk}"' not in owner.get("/purchasing/credits/"
                                                         ).content.decode()
    assert row_counts() == before


def test_credit_tab_speaks_spanish(compras, platform):
    html = compras.get("/purchasing/credits/").content.decode()
    assert "Notas de crédito de proveedor" in html
    assert "Aún no hay notas de crédito de proveedor." in html
    assert "Nueva nota de crédito" in html
