"""Supplier payments: partial and multiple allocations, paying more than is owed,
unapplied credit allocated later, a failed payment reversed and unallocated, the payment
run, idempotency, a closed period."""

from __future__ import annotations

import pytest

from cuadra.core.errors import DomainError, ValidationError
from cuadra.ledger.models import JournalEntry
from cuadra.ledger.services.periods import period_close, period_for_date
from cuadra.purchasing import selectors, services
from tests.conftest import row_counts
from tests.purchasing.conftest import BANK, CASH, DAY, PAYABLE, D, entry_lines


@pytest.fixture
def make_invoice(demo, owner, supplier):
    def make(amount: str, number: str):
        invoice = services.supplier_invoice_create(
            company=demo, actor=owner, supplier=supplier, date=DAY, supplier_number=number,
            lines=[{"description": "Servicio", "quantity": "1", "unit_price": amount,
                    "tax": None}])
        services.supplier_invoice_issue(company=demo, actor=owner, invoice=invoice)
        invoice.refresh_from_db()
        return invoice
    return make


def _state(invoice):
    invoice.refresh_from_db()
    return invoice.amount_paid, invoice.amount_due, invoice.payment_state


def test_partial_payment_posts_the_treasury_transaction(demo, compras, supplier,
                                                       make_invoice):
    invoice = make_invoice("100", "F-1")
    payment = services.supplier_payment_register(
        company=demo, actor=compras, supplier=supplier, amount="40", method="CASH",
        date=DAY, allocations=[{"invoice": invoice.pk, "amount": "40"}])
    assert (payment.status, payment.number) == ("SUCCEEDED", "PP-2025-000001")
    assert entry_lines(payment.journal_entry) == [(PAYABLE, D("40.00"), D("0")),
                                                  (CASH, D("0"), D("40.00"))]
    assert payment.journal_entry.lines.get(account__code=PAYABLE).partner == "PRV-1"
    assert _state(invoice) == (D("40.00"), D("60.00"), "PARTIAL")


def test_paying_more_than_is_owed_is_refused(demo, compras, supplier, make_invoice):
    invoice = make_invoice("100", "F-1")
    before = row_counts()
    with pytest.raises(ValidationError) as exc:
        services.supplier_payment_register(
            company=demo, actor=compras, supplier=supplier, amount="150",
            method="BANK_TRANSFER", allocations=[{"invoice": invoice.pk, "amount": "100.01"}])
    assert exc.value.errors[0].field == "allocations[0].amount"
    assert row_counts() == before
    with pytest.raises(ValidationError) as exc:
        services.supplier_payment_register(
            company=demo, actor=compras, supplier=supplier, amount="50",
            method="BANK_TRANSFER", allocations=[{"invoice": invoice.pk, "amount": "60"}])
    assert exc.value.errors[0].field == "allocations"
    assert row_counts() == before
    assert _state(invoice) == (D("0.00"), D("100.00"), "UNPAID")


def test_unapplied_credit_is_allocated_later(demo, compras, supplier, make_invoice):
    a, b = make_invoice("30", "F-1"), make_invoice("50", "F-2")
    payment = services.supplier_payment_register(
        company=demo, actor=compras, supplier=supplier, amount="100", method="CHEQUE",
        date=DAY, allocations=[{"invoice": a.pk, "amount": "30"}])
    assert payment.unapplied == D("70.00")
    services.supplier_payment_allocate(company=demo, actor=compras, payment=payment,
                                       allocations=[{"invoice": b.pk, "amount": "50"}])
    payment.refresh_from_db()
    assert (payment.allocated, payment.unapplied) == (D("80.00"), D("20.00"))
    assert _state(a)[2] == _state(b)[2] == "PAID"
    # unapplied 20 lowers what is owed to the supplier, as the payable account says
    [row] = selectors.payables_aging(company=demo, as_of=DAY)
    assert row.total == D("-20.00")


def test_failed_payment_is_reversed_and_unallocated(demo, owner, compras, supplier,
                                                    make_invoice):
    invoice = make_invoice("100", "F-1")
    payment = services.supplier_payment_register(
        company=demo, actor=compras, supplier=supplier, amount="100", method="CHEQUE",
        date=DAY, allocations=[{"invoice": invoice.pk, "amount": "100"}])
    assert _state(invoice)[2] == "PAID"
    entry = payment.journal_entry
    services.supplier_payment_fail(company=demo, actor=compras, payment=payment,
                                   reason="cheque rebotado")
    payment.refresh_from_db()
    assert (payment.status, payment.allocated, payment.journal_entry) == (
        "FAILED", D("0.00"), None)
    reversal = JournalEntry.objects.get(reversal_of=entry)
    assert entry_lines(reversal) == [(PAYABLE, D("0"), D("100.00")),
                                     (BANK, D("100.00"), D("0"))]
    assert _state(invoice) == (D("0.00"), D("100.00"), "UNPAID")
    assert payment.allocations.get().released_at is not None
    with pytest.raises(DomainError) as exc:
        services.supplier_payment_allocate(company=demo, actor=compras, payment=payment,
                                           allocations=[{"invoice": invoice.pk,
                                                         "amount": "1"}])
    assert exc.value.code == "INVALID_TRANSITION"


def test_pending_payment_posts_when_it_succeeds(demo, compras, supplier, make_invoice):
    invoice = make_invoice("10", "F-1")
    payment = services.supplier_payment_register(
        company=demo, actor=compras, supplier=supplier, amount="10", method="CARD",
        date=DAY, succeeded=False, allocations=[{"invoice": invoice.pk, "amount": "10"}])
    assert (payment.status, payment.journal_entry_id) == ("PENDING", None)
    services.supplier_payment_succeed(company=demo, actor=compras, payment=payment)
    payment.refresh_from_db()
    assert payment.status == "SUCCEEDED" and payment.journal_entry is not None


def test_payment_run_pays_several_invoices_at_once(demo, compras, supplier, make_invoice):
    a, b, c = make_invoice("30", "F-1"), make_invoice("45.50", "F-2"), make_invoice("5", "F-3")
    services.supplier_payment_register(company=demo, actor=compras, supplier=supplier,
                                       amount="5", method="CASH", date=DAY,
                                       allocations=[{"invoice": c.pk, "amount": "5"}])
    payment = services.supplier_payment_run(company=demo, actor=compras, supplier=supplier,
                                            method="BANK_TRANSFER", date=DAY,
                                            idempotency_key="run-1")
    assert payment.amount == D("75.50")
    assert sorted((al.invoice_id, al.amount) for al in payment.allocations.all()) == [
        (a.pk, D("30.00")), (b.pk, D("45.50"))]
    assert _state(a)[2] == _state(b)[2] == "PAID"
    before = row_counts()
    again = services.supplier_payment_run(company=demo, actor=compras, supplier=supplier,
                                          method="BANK_TRANSFER", date=DAY,
                                          idempotency_key="run-1")
    assert again.pk == payment.pk and row_counts() == before
    with pytest.raises(ValidationError):
        services.supplier_payment_run(company=demo, actor=compras, supplier=supplier,
                                      method="BANK_TRANSFER")


def test_closed_period_refuses_and_writes_nothing(demo, owner, compras, supplier,
                                                  make_invoice):
    invoice = make_invoice("100", "F-1")
    period_close(company=demo, actor=owner, period=period_for_date(company=demo, date=DAY))
    before = row_counts()
    with pytest.raises(DomainError) as exc:
        services.supplier_payment_register(
            company=demo, actor=compras, supplier=supplier, amount="100", method="CASH",
            date=DAY, allocations=[{"invoice": invoice.pk, "amount": "100"}])
    assert exc.value.code == "PERIOD_CLOSED"
    assert row_counts() == before
    assert _state(invoice)[2] == "UNPAID"


def test_another_suppliers_invoice_is_not_allocated(demo, compras, other_supplier,
                                                    make_invoice):
    invoice = make_invoice("10", "F-1")
    with pytest.raises(ValidationError) as exc:
        services.supplier_payment_register(
            company=demo, actor=compras, supplier=other_supplier, amount="10", method="CASH",
            allocations=[{"invoice": invoice.pk, "amount": "10"}])
    assert exc.value.errors[0].field == "allocations[0].invoiceId"
