"""Register a payment on the invoice page, and the payment state badge: unpaid (red) →
partial (yellow) → paid (green), overdue past the due date; overpayment kept as client
credit; refusals (bad amount, draft invoice, no permission, another company) write
nothing; a double submit registers one payment."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from cuadra.catalog import services as catalog
from cuadra.catalog.models import Tax
from cuadra.contacts import services as contacts
from cuadra.core.models import AuditLog
from cuadra.sales import services as sales
from cuadra.sales.models import Payment
from tests.conftest import row_counts
from tests.sales.conftest import opening_stock

D = Decimal


def _http(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=username)
    return client


def text(response) -> str:
    return response.content.decode()


@pytest.fixture
def counts():
    return lambda: row_counts(exclude=("core.AuditLog", "sessions.Session"))


@pytest.fixture
def owner(platform) -> Client:
    return _http("demo")


@pytest.fixture
def invoice(demo, platform):
    """An issued invoice of 19.48 dated today: 3 x 4.50 and 2 x 2.35 at 7% (ITBMS rounded
    per line)."""
    actor = platform.owner
    itbms7 = Tax.objects.get(company=demo, code="01")
    buyer = contacts.client_create(company=demo, actor=actor, code="C-P1",
                                   legal_name="Cliente que Paga", payment_terms_days=30)
    cafe = catalog.item_create(company=demo, actor=actor, sku="P-CAFE", name="Café",
                               default_tax=itbms7, base_price="4.50")
    azucar = catalog.item_create(company=demo, actor=actor, sku="P-AZU", name="Azúcar",
                                 default_tax=itbms7, base_price="2.35")
    opening_stock(demo, actor, [(cafe, 1000, "3.00"), (azucar, 1000, "1.50")])
    draft = sales.sales_invoice_create(company=demo, actor=actor, client=buyer,
                                       date=timezone.localdate(),
                                       lines=[{"item": cafe.pk, "quantity": "3"},
                                              {"item": azucar.pk, "quantity": "2"}])
    issued = sales.sales_invoice_issue(company=demo, actor=actor, invoice=draft).document
    assert issued.total == D("19.48")
    return issued


def pay(client, invoice, amount, **extra):
    data = {"amount": amount, "method": "BANK_TRANSFER",
            "date": timezone.localdate().isoformat(),
            "reference": "TRF-1", **extra}
    return client.post(f"/sales/invoices/{invoice.pk}/payment/", data)


def badge(html: str) -> str:
    return re.search(r'<span class="badge ([^"]*)" data-payment-state="(\w+)">([^<]*)</span>',
                     html).groups()


def test_badge_goes_unpaid_partial_paid(owner, invoice):
    html = text(owner.get(f"/sales/invoices/{invoice.pk}/"))
    assert badge(html)[1:] == ("UNPAID", "Sin pagar")
    assert 'id="payment-amount" value="19.48"' in html  # what is due is offered

    response = pay(owner, invoice, "10.00")
    assert response.status_code == 302
    invoice.refresh_from_db()
    assert (invoice.amount_paid, invoice.amount_due, invoice.payment_state) == (
        D("10.00"), D("9.48"), "PARTIAL")
    payment = Payment.objects.get(company=invoice.company)
    assert (payment.amount, payment.method, payment.date, payment.reference) == (
        D("10.00"), "BANK_TRANSFER", timezone.localdate(), "TRF-1")
    html = text(owner.get(response["Location"]))
    assert f"Pago {payment.number} de 10.00 registrado." in html
    assert badge(html)[1:] == ("PARTIAL", "Pago parcial")
    assert '<dd data-field="amount_due">9.48</dd>' in html
    assert 'id="payment-amount" value="9.48"' in html

    pay(owner, invoice, "9.48")
    invoice.refresh_from_db()
    assert invoice.payment_state == "PAID"
    html = text(owner.get(f"/sales/invoices/{invoice.pk}/"))
    assert badge(html) == ("paid", "PAID", "Pagada")
    assert 'id="payment-form"' not in html
    listed = text(owner.get("/sales/invoices/"))
    assert 'data-payment-state="PAID">Pagada</span>' in listed


def test_overpayment_stays_as_client_credit(owner, invoice):
    response = pay(owner, invoice, "25.00")
    assert response.status_code == 302
    invoice.refresh_from_db()
    assert (invoice.amount_paid, invoice.payment_state) == (D("19.48"), "PAID")
    payment = Payment.objects.get(company=invoice.company)
    assert (payment.amount, payment.unapplied) == (D("25.00"), D("5.52"))
    html = text(owner.get(response["Location"]))
    assert "5.52 queda a favor del cliente." in html


@pytest.mark.parametrize("amount", ["0", "abc", "-5"])
def test_a_bad_amount_is_shown_on_its_field_and_nothing_is_written(owner, invoice, counts,
                                                                  amount):
    before = counts()
    response = pay(owner, invoice, amount)
    assert response.status_code == 400
    html = text(response)
    assert '<span class="field-error" data-error="amount">' in html
    assert f'id="payment-amount" value="{amount}"' in html  # what was typed comes back
    assert counts() == before
    assert AuditLog.objects.filter(operation="web_payment_register",
                                   error_code="VALIDATION").count() == 1


def test_a_draft_invoice_takes_no_payment(owner, demo, platform, invoice, counts):
    draft = sales.sales_invoice_create(company=demo, actor=platform.owner,
                                       client=invoice.client, date=timezone.localdate(),
                                       lines=[{"description": "Flete", "quantity": "1",
                                               "unit_price": "5"}])
    assert 'id="payment-form"' not in text(owner.get(f"/sales/invoices/{draft.pk}/"))
    before = counts()
    response = pay(owner, draft, "5.00")
    assert response.status_code == 400
    assert "only a posted invoice is paid" in text(response)
    assert counts() == before


def test_overdue_is_shown(owner, invoice):
    type(invoice).objects.filter(pk=invoice.pk).update(due_date="2020-01-31")
    html = text(owner.get(f"/sales/invoices/{invoice.pk}/"))
    assert badge(html) == ("unpaid overdue", "UNPAID", "Sin pagar · vencida")


def test_a_double_submit_registers_one_payment(owner, invoice):
    html = text(owner.get(f"/sales/invoices/{invoice.pk}/"))
    key = re.search(r'name="payment_key" value="(\w+)"', html).group(1)
    pay(owner, invoice, "5.00", payment_key=key)
    pay(owner, invoice, "5.00", payment_key=key)
    assert Payment.objects.filter(company=invoice.company).count() == 1
    invoice.refresh_from_db()
    assert invoice.amount_paid == D("5.00")


def test_accountant_may_not_register_payments(platform, invoice, counts):
    contador = _http("contador")
    html = text(contador.get(f"/sales/invoices/{invoice.pk}/"))
    assert badge(html)[1] == "UNPAID" and 'id="payment-form"' not in html
    before = counts()
    assert pay(contador, invoice, "5.00").status_code == 403
    assert counts() == before


def test_warehouse_may_not_register_payments(platform, invoice, counts):
    before = counts()
    assert pay(_http("bodega"), invoice, "5.00").status_code == 403
    assert counts() == before


def test_another_companys_invoice_takes_no_payment_here(platform, otra, invoice, counts):
    before = counts()
    response = pay(_http("otra"), invoice, "5.00")
    assert response.status_code == 404
    assert counts() == before
