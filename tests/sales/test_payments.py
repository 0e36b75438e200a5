"""Payments: receipt numbers, exact ledger lines, allocation and invoice payment state,
overpayment as unapplied credit, refunds, failures with reversals, idempotency, and
refusals that write nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from cuadra.contacts import services as contacts
from cuadra.core.errors import DomainError, InvalidTransition, NotFound, ValidationError
from cuadra.documents.models import DocumentHistory
from cuadra.ledger.models import JournalEntry
from cuadra.sales import payment_selectors as ps
from cuadra.sales import payment_services as pay
from cuadra.sales import selectors, services
from cuadra.sales.enums import INVOICE_HAS_PAYMENTS
from cuadra.sales.models import Payment, PaymentAllocation
from tests.conftest import row_counts
from tests.sales.conftest import DAY, D, entry_lines

LATER = DAY + dt.timedelta(days=5)


@pytest.fixture
def invoice_of(demo, owner, client, itbms7):
    """An issued invoice of ``base`` + 7% ITBMS (100 -> 107.00)."""
    def make(base="100", who=None, issue=True, **extra):
        inv = services.sales_invoice_create(
            company=demo, actor=owner, client=who or client, date=DAY,
            lines=[{"description": "Servicio", "quantity": "1", "unit_price": base,
                    "tax": itbms7}], **extra)
        if issue:
            services.sales_invoice_issue(company=demo, actor=owner, invoice=inv)
            inv.refresh_from_db()
        return inv
    return make


@pytest.fixture
def register(demo, owner, client):
    def make(amount, allocations=(), **kw):
        kw.setdefault("method", "BANK_TRANSFER")
        kw.setdefault("date", DAY)
        return pay.payment_register(company=demo, actor=owner, client=kw.pop("who", client),
                                    amount=amount, allocations=allocations, **kw)
    return make


def state(inv):
    inv.refresh_from_db()
    return inv.amount_paid, inv.amount_due, inv.payment_state


def test_succeeded_payment_takes_a_receipt_number_and_posts_bank_against_receivable(
        demo, owner, invoice_of, register):
    inv = invoice_of()
    assert (inv.total, inv.amount_due, inv.payment_state) == (D("107.00"), D("107.00"),
                                                               "UNPAID")
    p = register("50", [{"invoice": inv, "amount": D("50")}], reference="TRF-881")
    assert (p.status, p.number) == ("SUCCEEDED", "REC-2025-000001")
    assert p.account.code == "110103" and p.journal_entry.journal.code == "BAN"
    assert entry_lines(p.journal_entry) == [("110103", D("50"), D("0")),
                                            ("110201", D("0"), D("50"))]
    assert [li.partner for li in p.journal_entry.lines.order_by("line_no")] == ["", "C-T1"]
    assert state(inv) == (D("50"), D("57.00"), "PARTIAL")
    assert p.unapplied == D("0")
    assert list(DocumentHistory.objects.filter(object_id=p.pk, document_type="SALES_PAYMENT")
                .values_list("from_state", "to_state")) == [("PENDING", "SUCCEEDED")]

    cash = register("57", [{"invoice": inv.pk, "amount": "57"}], method="CASH")
    assert cash.number == "REC-2025-000002" and cash.journal_entry.journal.code == "CAJ"
    assert entry_lines(cash.journal_entry) == [("110101", D("57"), D("0")),
                                               ("110201", D("0"), D("57"))]
    assert state(inv) == (D("107.00"), D("0.00"), "PAID")
    assert not inv.is_overdue(DAY + dt.timedelta(days=400))


def test_overpayment_is_unapplied_credit_and_refundable_up_to_it(demo, owner, client,
                                                                 invoice_of, register):
    inv = invoice_of()
    p = register("150", [{"invoice": inv, "amount": "107"}])
    assert state(inv) == (D("107"), D("0.00"), "PAID")
    assert ps.payment_get(company=demo, payment_id=p.pk).unapplied == D("43")
    assert ps.client_unapplied_credit(company=demo, client=client) == D("43")
    assert selectors.client_open_balance(company=demo, client=client) == D("-43")

    before = row_counts()
    with pytest.raises(ValidationError) as err:
        pay.payment_refund(company=demo, actor=owner, payment=p, amount="43.01", date=LATER)
    assert err.value.field == "amount" and row_counts() == before

    refund = pay.payment_refund(company=demo, actor=owner, payment=p, amount="40",
                                date=LATER, idempotency_key="ref-1")
    assert entry_lines(refund.journal_entry) == [("110201", D("40"), D("0")),
                                                 ("110103", D("0"), D("40"))]
    assert refund.journal_entry.lines.get(line_no=1).partner == "C-T1"
    again = pay.payment_refund(company=demo, actor=owner, payment=p, amount="40",
                               date=LATER, idempotency_key="ref-1")
    assert again.pk == refund.pk and p.refunds.count() == 1
    assert ps.client_unapplied_credit(company=demo, client=client) == D("3")
    assert selectors.client_open_balance(company=demo, client=client) == D("-3")


def test_a_bounced_cheque_reverses_its_posting_and_undoes_its_allocations(
        demo, owner, invoice_of, register):
    a, b = invoice_of(), invoice_of("50")
    cheque = register("130", [{"invoice": a, "amount": "100"}, {"invoice": b, "amount": "30"}],
                      method="CHEQUE", reference="CHQ-0042")
    assert state(a) == (D("100"), D("7.00"), "PARTIAL")
    assert state(b) == (D("30"), D("23.50"), "PARTIAL")
    failed = pay.payment_fail(company=demo, actor=owner, payment=cheque,
                              reason="fondos insuficientes", date=LATER)
    assert (failed.status, failed.failure_reason, failed.failed_on) == (
        "FAILED", "fondos insuficientes", LATER)
    assert failed.reversal_entry.date == LATER
    assert failed.reversal_entry.reversal_of_id == failed.journal_entry_id
    assert entry_lines(failed.reversal_entry) == [("110103", D("0"), D("130")),
                                                  ("110201", D("130"), D("0"))]
    assert state(a) == (D("0"), D("107.00"), "UNPAID")
    assert state(b) == (D("0"), D("53.50"), "UNPAID")
    rows = list(PaymentAllocation.objects.filter(payment=cheque).values_list(
        "amount", "reversed", "reversed_on"))
    assert rows == [(D("100"), True, LATER), (D("30"), True, LATER)]
    assert failed.unapplied == D("0")
    with pytest.raises(InvalidTransition):
        pay.payment_fail(company=demo, actor=owner, payment=failed, reason="again")


def test_pending_payment_posts_nothing_until_it_succeeds_and_fails_without_posting(
        demo, owner, client, invoice_of, register):
    inv = invoice_of()
    entries = JournalEntry.objects.filter(company=demo).count()
    pending = register("107", status="PENDING", method="CHEQUE")
    assert (pending.status, pending.number, pending.journal_entry_id) == ("PENDING", "", None)
    assert JournalEntry.objects.filter(company=demo).count() == entries
    assert ps.client_unapplied_credit(company=demo, client=client) == D("0")
    with pytest.raises(InvalidTransition):  # allocated once it clears
        pay.payment_allocate(company=demo, actor=owner, payment=pending,
                             allocations=[{"invoice": inv, "amount": "1"}])
    pay.payment_succeed(company=demo, actor=owner, payment=pending)
    pending.refresh_from_db()
    assert (pending.status, pending.number) == ("SUCCEEDED", "REC-2025-000001")
    assert entry_lines(pending.journal_entry) == [("110103", D("107"), D("0")),
                                                  ("110201", D("0"), D("107"))]
    pay.payment_allocate(company=demo, actor=owner, payment=pending,
                         allocations=[{"invoice": inv, "amount": "107"}])
    assert state(inv)[2] == "PAID"

    declined = register("20", status="PENDING", method="CARD")
    count = JournalEntry.objects.filter(company=demo).count()
    pay.payment_fail(company=demo, actor=owner, payment=declined, reason="tarjeta rechazada",
                     date=DAY)
    declined.refresh_from_db()
    assert (declined.status, declined.number, declined.reversal_entry_id) == ("FAILED", "",
                                                                              None)
    assert JournalEntry.objects.filter(company=demo).count() == count


def test_allocation_refusals_write_nothing(demo, owner, client, invoice_of, register):
    inv = invoice_of()
    other_client = contacts.client_create(company=demo, actor=owner, code="C-T2",
                                          legal_name="Otro Cliente")
    foreign = invoice_of(who=other_client)
    draft = invoice_of(issue=False)
    voided = invoice_of()
    services.sales_document_void(company=demo, actor=owner, document=voided, reason="error")
    cash_sale = invoice_of(kind="RECEIPT_TAX_INVOICE")
    p = register("200")
    failed = register("10")
    pay.payment_fail(company=demo, actor=owner, payment=failed, reason="rebotado", date=DAY)

    cases = [
        (p, [{"invoice": inv, "amount": "107.01"}], "allocations[0].amount"),
        (p, [{"invoice": foreign, "amount": "1"}], "allocations[0].invoiceId"),
        (p, [{"invoice": draft, "amount": "1"}], "allocations[0].invoiceId"),
        (p, [{"invoice": voided, "amount": "1"}], "allocations[0].invoiceId"),
        (p, [{"invoice": cash_sale, "amount": "1"}], "allocations[0].invoiceId"),
        (p, [{"invoice": inv, "amount": "0"}], "allocations[0].amount"),
        (p, [{"invoice": inv, "amount": "-5"}], "allocations[0].amount"),
        (p, [{"invoice": 999999, "amount": "1"}], "allocations[0].invoiceId"),
        (p, [], "allocations"),
    ]
    before = row_counts()
    for payment, rows, path in cases:
        with pytest.raises(ValidationError) as err:
            pay.payment_allocate(company=demo, actor=owner, payment=payment, allocations=rows)
        assert err.value.field == path, (rows, err.value.errors)
    with pytest.raises(InvalidTransition):
        pay.payment_allocate(company=demo, actor=owner, payment=failed,
                             allocations=[{"invoice": inv, "amount": "1"}])
    pay.payment_allocate(company=demo, actor=owner, payment=p,
                         allocations=[{"invoice": inv, "amount": "100"}])
    second = invoice_of()
    mid = row_counts()
    with pytest.raises(ValidationError) as err:  # 100 left on the payment, 101 asked
        pay.payment_allocate(company=demo, actor=owner, payment=p,
                             allocations=[{"invoice": second, "amount": "101"}])
    assert err.value.field == "allocations" and row_counts() == mid
    assert before["sales.PaymentAllocation"] + 1 == mid["sales.PaymentAllocation"]
    assert state(inv) == (D("100"), D("7.00"), "PARTIAL") and state(second)[0] == D("0")


def test_register_refusals_write_nothing(demo, owner, otra, client, invoice_of, register):
    before = row_counts()
    for kw, path in [({"amount": "0"}, "amount"), ({"amount": "-1"}, "amount"),
                     ({"amount": "1", "method": "BITCOIN"}, "method"),
                     ({"amount": "1", "status": "FAILED"}, "status"),
                     ({"amount": "1", "account": "110201"}, "accountId"),
                     ({"amount": "1", "status": "PENDING",
                       "allocations": [{"invoice": invoice_of(issue=False), "amount": "1"}]},
                      "allocations")]:
        with pytest.raises(ValidationError) as err:
            register(**kw)
        assert err.value.field == path
    with pytest.raises(ValidationError):  # a float is never money
        pay.payment_register(company=demo, actor=owner, client=client, amount=1.5,
                             method="CASH", date=DAY)
    with pytest.raises(NotFound):
        pay.payment_register(company=otra, actor=owner, client=client, amount="1",
                             method="CASH", date=DAY)
    after = row_counts()
    # the draft invoices the cases build (and their registry rows) are the only new rows
    made_by_the_test = ("sales.SalesInvoice", "documents.DocumentRecord")
    assert {k: v for k, v in after.items() if not k.startswith(made_by_the_test)} == {
        k: v for k, v in before.items() if not k.startswith(made_by_the_test)}


def test_register_is_idempotent(demo, owner, invoice_of, register):
    inv = invoice_of()
    first = register("60", [{"invoice": inv, "amount": "60"}], idempotency_key="pay-7")
    counts = row_counts()
    again = register("60", [{"invoice": inv, "amount": "60"}], idempotency_key="pay-7")
    assert again.pk == first.pk and row_counts() == counts
    assert state(inv) == (D("60"), D("47.00"), "PARTIAL")


def test_unallocate_keeps_the_row_reversed_and_frees_credit(demo, owner, client, invoice_of,
                                                           register):
    inv = invoice_of()
    p = register("107", [{"invoice": inv, "amount": "107"}])
    allocation = p.allocations.get()
    undone = pay.payment_unallocate(company=demo, actor=owner, allocation=allocation.pk,
                                    date=LATER)
    assert (undone.reversed, undone.reversed_on) == (True, LATER)
    assert state(inv) == (D("0"), D("107.00"), "UNPAID")
    assert ps.client_unapplied_credit(company=demo, client=client) == D("107")
    assert list(ps.invoice_allocations(invoice=inv)) == [undone]
    with pytest.raises(InvalidTransition):
        pay.payment_unallocate(company=demo, actor=owner, allocation=undone)
    with pytest.raises(DomainError):
        PaymentAllocation.objects.filter(pk=undone.pk).delete()


def test_a_paid_invoice_is_not_voided_until_unallocated(demo, owner, invoice_of, register):
    inv = invoice_of()
    p = register("10", [{"invoice": inv, "amount": "10"}])
    before = row_counts()
    with pytest.raises(InvalidTransition) as err:
        services.sales_document_void(company=demo, actor=owner, document=inv, reason="x")
    assert err.value.code == INVOICE_HAS_PAYMENTS
    assert {k: v for k, v in row_counts().items() if k != "core.AuditLog"} == before
    pay.payment_unallocate(company=demo, actor=owner, allocation=p.allocations.get())
    services.sales_document_void(company=demo, actor=owner, document=inv, reason="x")
    inv.refresh_from_db()
    assert (inv.status, inv.amount_paid, inv.amount_due, inv.payment_state) == (
        "voided", D("0"), D("0"), "UNPAID")


def test_crediting_a_paid_invoice_frees_the_excess_as_unapplied_credit(
        demo, owner, client, invoice_of, register):
    inv = invoice_of()
    p1 = register("60", [{"invoice": inv, "amount": "60"}])
    p2 = register("47", [{"invoice": inv, "amount": "47"}], date=LATER)
    assert state(inv) == (D("107"), D("0.00"), "PAID")
    note = services.sales_credit_note_create(company=demo, actor=owner, invoice=inv,
                                             reason="descuento", date=LATER,
                                             lines=[{"line_id": inv.lines.get().pk,
                                                     "quantity": "0.5"}])
    services.sales_document_transition(company=demo, actor=owner, document=note,
                                       action="issue")
    note.refresh_from_db()
    assert note.total == D("53.50")
    inv.refresh_from_db()
    assert (inv.amount_credited, inv.amount_paid, inv.amount_due, inv.payment_state) == (
        D("53.50"), D("53.50"), D("0.00"), "PAID")
    # the newest allocation (47) goes whole, then 6.50 of the 60
    assert list(PaymentAllocation.objects.filter(invoice=inv).values_list(
        "payment_id", "amount", "reversed")) == [(p1.pk, D("60"), True),
                                                 (p2.pk, D("47"), True),
                                                 (p1.pk, D("53.50"), False)]
    assert ps.client_unapplied_credit(company=demo, client=client) == D("53.50")
    assert selectors.client_open_balance(company=demo, client=client) == D("-53.50")

    services.sales_document_void(company=demo, actor=owner, document=note, reason="x")
    inv.refresh_from_db()
    assert (inv.amount_credited, inv.amount_due, inv.payment_state) == (
        D("0"), D("53.50"), "PARTIAL")


def test_a_cash_sale_is_paid_at_issue_and_overdue_is_derived(demo, owner, invoice_of):
    sale = invoice_of(kind="RECEIPT_TAX_INVOICE")
    assert (sale.amount_paid, sale.amount_due, sale.payment_state) == (D("107.00"), D("0"),
                                                                       "PAID")
    inv = invoice_of()
    assert inv.due_date == DAY + dt.timedelta(days=30)
    assert not inv.is_overdue(inv.due_date)
    assert inv.is_overdue(inv.due_date + dt.timedelta(days=1))
    assert list(ps.invoices_overdue(company=demo, as_of=inv.due_date)) == []
    assert list(ps.invoices_overdue(company=demo, as_of=inv.due_date + dt.timedelta(days=1))
                ) == [inv]
    draft = invoice_of(issue=False)
    assert (draft.amount_due, draft.payment_state) == (D("107.00"), "UNPAID")


def test_lists_and_gets_are_tenant_scoped(demo, otra, owner, client, register):
    p = register("5")
    assert list(ps.payments_list(company=demo, client_id=client.pk, status="succeeded")) == [p]
    assert list(ps.payments_list(company=otra)) == []
    with pytest.raises(NotFound):
        ps.payment_get(company=otra, payment_id=p.pk)
    with pytest.raises(NotFound):
        pay.payment_refund(company=otra, actor=owner, payment=p, amount="1", date=DAY)
    assert Payment.objects.get(pk=p.pk).company_id == demo.pk
