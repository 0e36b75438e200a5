"""Expenses on credit paid through supplier payments (partial, never more than owed, a
failed payment gives the debt back, the payment run), and related credit notes on paid
invoices: the excess becomes the payment's unapplied credit, allocated later or refunded.
After every step the payables aging equals the PAYABLE balance."""

from __future__ import annotations

import pytest

from cuadra.core.errors import DomainError, ValidationError
from cuadra.ledger.models import JournalLine
from cuadra.purchasing import selectors, services
from tests.conftest import GraphQLClient, row_counts
from tests.purchasing.conftest import BANK, CASH, DAY, EXPENSE, PAYABLE, D, entry_lines


def _payable_balance(company) -> D:
    total = D(0)
    for debit, credit in JournalLine.objects.filter(
            company=company, account__role="PAYABLE").values_list("debit", "credit"):
        total += credit - debit
    return total


def _aging_total(company) -> D:
    return sum((r.total for r in selectors.payables_aging(company=company, as_of=DAY)), D(0))


def _state(doc):
    doc.refresh_from_db()
    return doc.amount_paid, doc.amount_due, doc.payment_state


@pytest.fixture
def credit_expense(demo, owner, supplier, acct, itbms7):
    """100.00 + ITBMS 7% = 107.00 owed to PRV-1, posted."""
    expense = services.expense_create(
        company=demo, actor=owner, description="Reparación aire", amount="100",
        tax=itbms7.pk, payment_method="CREDIT", expense_account=acct(EXPENSE).pk,
        supplier=supplier.pk, date=DAY)
    services.expense_post(company=demo, actor=owner, expense=expense)
    expense.refresh_from_db()
    return expense


@pytest.fixture
def make_invoice(demo, owner, supplier):
    def make(amount: str, number: str, quantity: str = "1", item=None):
        line = {"quantity": quantity, "unit_price": amount}
        line.update({"item": item} if item else {"description": "Servicio", "tax": None})
        invoice = services.supplier_invoice_create(
            company=demo, actor=owner, supplier=supplier, date=DAY, supplier_number=number,
            lines=[line])
        services.supplier_invoice_issue(company=demo, actor=owner, invoice=invoice)
        invoice.refresh_from_db()
        return invoice
    return make


# --- expenses on credit ---------------------------------------------------------------------

def test_expense_on_credit_is_paid_in_parts(demo, compras, supplier, credit_expense):
    assert _state(credit_expense) == (D("0.00"), D("107.00"), "UNPAID")
    assert _payable_balance(demo) == _aging_total(demo) == D("107.00")
    first = services.supplier_payment_register(
        company=demo, actor=compras, supplier=supplier, amount="40", method="CASH",
        date=DAY, allocations=[{"expense": credit_expense.pk, "amount": "40"}])
    assert entry_lines(first.journal_entry) == [(PAYABLE, D("40.00"), D("0")),
                                                (CASH, D("0"), D("40.00"))]
    assert _state(credit_expense) == (D("40.00"), D("67.00"), "PARTIAL")
    assert _payable_balance(demo) == _aging_total(demo) == D("67.00")
    services.supplier_payment_register(
        company=demo, actor=compras, supplier=supplier, amount="67", method="BANK_TRANSFER",
        date=DAY, allocations=[{"expense": credit_expense.pk, "amount": "67"}])
    assert _state(credit_expense) == (D("107.00"), D("0.00"), "PAID")
    assert _payable_balance(demo) == _aging_total(demo) == D("0.00")


def test_paying_an_expense_more_than_it_owes_writes_nothing(demo, compras, supplier,
                                                            credit_expense):
    before = row_counts()
    with pytest.raises(ValidationError) as exc:
        services.supplier_payment_register(
            company=demo, actor=compras, supplier=supplier, amount="200", method="CASH",
            date=DAY, allocations=[{"expense": credit_expense.pk, "amount": "107.01"}])
    assert exc.value.errors[0].field == "allocations[0].amount"
    # two allocations that each fit but together exceed what it owes
    with pytest.raises(ValidationError) as exc:
        services.supplier_payment_register(
            company=demo, actor=compras, supplier=supplier, amount="200", method="CASH",
            date=DAY, allocations=[{"expense": credit_expense.pk, "amount": "100"},
                                   {"expense": credit_expense.pk, "amount": "10"}])
    assert exc.value.errors[0].field == "allocations[1].amount"
    assert row_counts() == before
    assert _state(credit_expense) == (D("0.00"), D("107.00"), "UNPAID")


def test_cash_expense_and_another_suppliers_expense_are_not_paid(demo, owner, compras,
                                                                 supplier, other_supplier,
                                                                 credit_expense, acct):
    cash = services.expense_create(company=demo, actor=owner, description="Taxi",
                                   amount="5", payment_method="CASH", supplier=supplier.pk,
                                   expense_account=acct(EXPENSE).pk, date=DAY)
    services.expense_post(company=demo, actor=owner, expense=cash)
    assert _state(cash) == (D("5.00"), D("0.00"), "PAID")
    before = row_counts()
    for payee, target, field in ((supplier, cash, "expenseId"),
                                 (other_supplier, credit_expense, "expenseId")):
        with pytest.raises(ValidationError) as exc:
            services.supplier_payment_register(
                company=demo, actor=compras, supplier=payee, amount="5", method="CASH",
                date=DAY, allocations=[{"expense": target.pk, "amount": "5"}])
        assert exc.value.errors[0].field == f"allocations[0].{field}"
    with pytest.raises(ValidationError) as exc:
        services.supplier_payment_register(
            company=demo, actor=compras, supplier=supplier, amount="5", method="CASH",
            allocations=[{"expense": credit_expense.pk, "invoice": 1, "amount": "5"}])
    assert row_counts() == before


def test_failed_payment_gives_the_expense_its_debt_back(demo, owner, compras, supplier,
                                                        credit_expense):
    payment = services.supplier_payment_register(
        company=demo, actor=compras, supplier=supplier, amount="107", method="CHEQUE",
        date=DAY, allocations=[{"expense": credit_expense.pk, "amount": "107"}])
    assert _state(credit_expense)[2] == "PAID"
    # an expense with a live payment is not voided
    with pytest.raises(DomainError) as exc:
        services.supplier_document_void(company=demo, actor=owner, document=credit_expense,
                                        reason="error")
    assert exc.value.code == "INVALID_TRANSITION"
    services.supplier_payment_fail(company=demo, actor=compras, payment=payment,
                                   reason="cheque rebotado")
    assert _state(credit_expense) == (D("0.00"), D("107.00"), "UNPAID")
    assert _payable_balance(demo) == _aging_total(demo) == D("107.00")
    services.supplier_document_void(company=demo, actor=owner, document=credit_expense,
                                    reason="error")
    assert _state(credit_expense) == (D("0.00"), D("0.00"), "UNPAID")
    assert _payable_balance(demo) == _aging_total(demo) == D("0.00")


def test_payment_run_pays_invoices_and_expenses(demo, compras, supplier, credit_expense,
                                                make_invoice):
    invoice = make_invoice("30", "F-1")
    payment = services.supplier_payment_run(company=demo, actor=compras, supplier=supplier,
                                            method="BANK_TRANSFER", date=DAY)
    assert payment.amount == D("137.00")
    assert [(al.invoice_id, al.expense_id, al.amount)
            for al in payment.allocations.order_by("pk")] == [
        (invoice.pk, None, D("30.00")), (None, credit_expense.pk, D("107.00"))]
    assert _state(invoice)[2] == _state(credit_expense)[2] == "PAID"
    assert entry_lines(payment.journal_entry) == [(PAYABLE, D("137.00"), D("0")),
                                                  (BANK, D("0"), D("137.00"))]
    assert _payable_balance(demo) == _aging_total(demo) == D("0.00")


def test_payment_run_of_named_expenses_only(demo, owner, compras, supplier, credit_expense,
                                            make_invoice):
    invoice = make_invoice("30", "F-1")
    payment = services.supplier_payment_run(company=demo, actor=compras, supplier=supplier,
                                            expenses=[credit_expense.pk], method="CASH",
                                            date=DAY)
    assert payment.amount == D("107.00")
    assert _state(invoice)[2] == "UNPAID"
    before = row_counts()
    with pytest.raises(ValidationError) as exc:
        services.supplier_payment_run(company=demo, actor=compras, supplier=supplier,
                                      expenses=[credit_expense.pk], method="CASH")
    assert exc.value.field == "expenseIds"
    assert row_counts() == before


def test_expense_paid_over_graphql(platform, demo, supplier, credit_expense):
    client = GraphQLClient().login("compras", "compras", company="DEMO")
    result = client.execute("""mutation($s: ID!, $e: ID!) { registerSupplierPayment(input: {
        supplierId: $s, amount: "50", method: "CASH", date: "2025-03-14",
        allocations: [{expenseId: $e, amount: "50"}]})
        { amount allocated unapplied allocations { invoiceId expenseId amount } } }""",
                            {"s": str(supplier.pk), "e": str(credit_expense.pk)})
    assert "errors" not in result, result
    assert result["data"]["registerSupplierPayment"] == {
        "amount": "50", "allocated": "50", "unapplied": "0",
        "allocations": [{"invoiceId": None, "expenseId": str(credit_expense.pk),
                         "amount": "50"}]}
    owner = GraphQLClient().login("demo", "demo", company="DEMO")
    result = owner.execute("query($id: ID!) { expense(id: $id) { amountPaid amountDue "
                           "paymentState } }", {"id": str(credit_expense.pk)})
    assert result["data"]["expense"] == {"amountPaid": "50", "amountDue": "57",
                                         "paymentState": "PARTIAL"}


# --- credit notes on paid invoices ----------------------------------------------------------

def test_credit_on_a_paid_invoice_becomes_unapplied_credit(demo, owner, compras, supplier,
                                                            limpieza, make_invoice):
    """32.10 invoice paid in full; a 10.70 credit note frees 10.70 of the payment, which
    then pays a later 5.35 invoice and the supplier refunds the last 5.35."""
    invoice = make_invoice("10", "F-1", quantity="3", item=limpieza)
    payment = services.supplier_payment_register(
        company=demo, actor=compras, supplier=supplier, amount="32.10", method="BANK_TRANSFER",
        date=DAY, allocations=[{"invoice": invoice.pk, "amount": "32.10"}])
    assert _state(invoice) == (D("32.10"), D("0.00"), "PAID")
    note = services.supplier_credit_create(
        company=demo, actor=owner, kind="related", invoice=invoice, reason="mal servicio",
        date=DAY, lines=[{"line_id": invoice.lines.get().pk, "quantity": "1"}])
    services.document_transition(company=demo, actor=owner, document=note, action="issue")
    note.refresh_from_db()
    assert entry_lines(note.journal_entry) == [
        (EXPENSE, D("0"), D("10.00")), ("110401", D("0"), D("0.70")),
        (PAYABLE, D("10.70"), D("0"))]
    invoice.refresh_from_db()
    assert (invoice.amount_credited, invoice.amount_paid, invoice.amount_due,
            invoice.payment_state) == (D("10.70"), D("21.40"), D("0.00"), "PAID")
    payment.refresh_from_db()
    assert (payment.allocated, payment.unapplied) == (D("21.40"), D("10.70"))
    assert sorted((a.amount, a.released_at is None) for a in payment.allocations.all()) == [
        (D("21.40"), True), (D("32.10"), False)]
    # the supplier owes us 10.70: the payable is in debit, the aging shows the credit
    assert _payable_balance(demo) == _aging_total(demo) == D("-10.70")

    later = make_invoice("5.35", "F-2")
    services.supplier_payment_allocate(company=demo, actor=compras, payment=payment,
                                       allocations=[{"invoice": later.pk, "amount": "5.35"}])
    assert _state(later) == (D("5.35"), D("0.00"), "PAID")
    assert _payable_balance(demo) == _aging_total(demo) == D("-5.35")

    before = row_counts()
    with pytest.raises(ValidationError) as exc:
        services.supplier_payment_refund(company=demo, actor=compras, payment=payment,
                                         amount="5.36", date=DAY)
    assert exc.value.field == "amount"
    assert row_counts() == before
    refund = services.supplier_payment_refund(company=demo, actor=compras, payment=payment,
                                              amount="5.35", date=DAY, idempotency_key="rf1")
    assert entry_lines(refund.journal_entry) == [(BANK, D("5.35"), D("0")),
                                                 (PAYABLE, D("0"), D("5.35"))]
    assert refund.journal_entry.lines.get(account__code=PAYABLE).partner == "PRV-1"
    payment.refresh_from_db()
    assert (payment.refunded, payment.unapplied) == (D("5.35"), D("0.00"))
    assert _payable_balance(demo) == _aging_total(demo) == D("0.00")
    before = row_counts()
    again = services.supplier_payment_refund(company=demo, actor=compras, payment=payment,
                                             amount="5.35", date=DAY, idempotency_key="rf1")
    assert again.pk == refund.pk and row_counts() == before
    with pytest.raises(DomainError) as exc:
        services.supplier_payment_fail(company=demo, actor=compras, payment=payment,
                                       reason="x")
    assert exc.value.code == "INVALID_TRANSITION"
    assert row_counts() == before


def test_credit_on_a_partly_paid_invoice_frees_only_the_excess(demo, owner, compras,
                                                               supplier, limpieza,
                                                               make_invoice):
    invoice = make_invoice("10", "F-1", quantity="3", item=limpieza)
    payment = services.supplier_payment_register(
        company=demo, actor=compras, supplier=supplier, amount="20", method="CASH",
        date=DAY, allocations=[{"invoice": invoice.pk, "amount": "20"}])
    note = services.supplier_credit_create(
        company=demo, actor=owner, kind="related", invoice=invoice, reason="devolución",
        date=DAY, lines=[{"line_id": invoice.lines.get().pk, "quantity": "2"}])
    services.document_transition(company=demo, actor=owner, document=note, action="issue")
    invoice.refresh_from_db()
    # 32.10 - 21.40 credited = 10.70 still to pay; of the 20 paid, 9.30 is freed
    assert (invoice.amount_credited, invoice.amount_paid, invoice.amount_due) == (
        D("21.40"), D("10.70"), D("0.00"))
    payment.refresh_from_db()
    assert payment.unapplied == D("9.30")
    assert _payable_balance(demo) == _aging_total(demo) == D("-9.30")
    # the last unit is still creditable; crediting it frees the rest of the payment
    last = services.supplier_credit_create(company=demo, actor=owner, kind="related",
                                           invoice=invoice, reason="x", date=DAY)
    services.document_transition(company=demo, actor=owner, document=last, action="issue")
    payment.refresh_from_db()
    assert (payment.allocated, payment.unapplied) == (D("0.00"), D("20.00"))
    assert _state(invoice) == (D("0.00"), D("0.00"), "PAID")
    assert _payable_balance(demo) == _aging_total(demo) == D("-20.00")
