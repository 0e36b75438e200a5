"""Expenses (paid at once or on credit, receipt files stored once by SHA-256) and the
reports: payables aging equals the PAYABLE balance, purchases by supplier and item,
received-not-invoiced."""

from __future__ import annotations

import hashlib

import pytest
from django.test import override_settings

from cuadra.core.errors import ValidationError
from cuadra.ledger.models import JournalLine
from cuadra.purchasing import selectors, services
from cuadra.purchasing.models import StoredFile
from cuadra.purchasing.services.expenses import stored_file_path
from tests.conftest import row_counts
from tests.purchasing.conftest import (
    CASH,
    DAY,
    EXPENSE,
    ITBMS_IN,
    PAYABLE,
    D,
    entry_lines,
)


@pytest.fixture(autouse=True)
def media(tmp_path):
    with override_settings(MEDIA_ROOT=tmp_path):
        yield tmp_path


def test_same_receipt_file_is_stored_once(demo, otra, owner, platform, media):
    content = b"%PDF-1.4 recibo 123"
    sha = hashlib.sha256(content).hexdigest()
    first = services.stored_file_put(company=demo, actor=owner, content=content,
                                     name="recibo.pdf", content_type="application/pdf")
    again = services.stored_file_put(company=demo, actor=owner, content=content,
                                     name="otro-nombre.pdf")
    assert first.pk == again.pk and first.sha256 == sha and first.size == len(content)
    assert stored_file_path(sha) == media / sha[:2] / sha
    assert stored_file_path(sha).read_bytes() == content
    assert StoredFile.objects.filter(company=demo).count() == 1
    with pytest.raises(ValidationError):
        services.stored_file_put(company=demo, actor=owner, content=b"")


def test_cash_expense_with_tax_and_receipt(demo, owner, acct):
    stored = services.stored_file_put(company=demo, actor=owner, content=b"ticket")
    expense = services.expense_create(
        company=demo, actor=owner, description="Taxi al banco", amount="12.50",
        expense_account=acct("6208").pk, tax=None, payment_method="CASH", date=DAY,
        receipt_file=stored.pk)
    assert (expense.amount, expense.tax_amount, expense.total) == (
        D("12.50"), D("0"), D("12.50"))
    services.expense_post(company=demo, actor=owner, expense=expense, idempotency_key="e1")
    expense.refresh_from_db()
    assert (expense.status, expense.number) == ("issued", "GAS-2025-000001")
    assert entry_lines(expense.journal_entry) == [("6208", D("12.50"), D("0")),
                                                  (CASH, D("0"), D("12.50"))]
    assert expense.receipt_file == stored


def test_expense_on_credit_owes_the_supplier(demo, owner, supplier, itbms7, acct):
    expense = services.expense_create(
        company=demo, actor=owner, description="Mantenimiento", amount="200",
        expense_account=acct("6205").pk, tax=itbms7.pk, payment_method="CREDIT",
        supplier=supplier.pk, date=DAY)
    services.expense_post(company=demo, actor=owner, expense=expense)
    expense.refresh_from_db()
    assert entry_lines(expense.journal_entry) == [
        ("6205", D("200.00"), D("0")), (ITBMS_IN, D("14.00"), D("0")),
        (PAYABLE, D("0"), D("214.00"))]
    assert expense.journal_entry.lines.get(account__code=PAYABLE).partner == "PRV-1"


def test_bad_expense_is_refused_with_every_field(demo, owner, acct):
    before = row_counts()
    with pytest.raises(ValidationError) as exc:
        services.expense_create(company=demo, actor=owner, description="", amount="-1",
                                expense_account=acct(CASH).pk, payment_method="CREDIT")
    assert [e.field for e in exc.value.errors] == [
        "description", "amount", "supplierId", "expenseAccountId"]
    assert row_counts() == before


def _payable_balance(company) -> D:
    credit_minus_debit = D(0)
    for debit, credit in JournalLine.objects.filter(
            company=company, account__role="PAYABLE").values_list("debit", "credit"):
        credit_minus_debit += credit - debit
    return credit_minus_debit


def test_aging_equals_the_payable_balance(demo, owner, supplier, other_supplier, papel,
                                          limpieza, issued_order, acct):
    import datetime as dt

    old = services.supplier_invoice_create(
        company=demo, actor=owner, supplier=supplier, date=dt.date(2025, 1, 2),
        lines=[{"item": limpieza, "quantity": "1", "unit_price": "100"}])
    services.supplier_invoice_issue(company=demo, actor=owner, invoice=old)
    new = services.supplier_invoice_create(
        company=demo, actor=owner, supplier=other_supplier, date=DAY,
        lines=[{"description": "x", "quantity": "2", "unit_price": "20", "tax": None}])
    services.supplier_invoice_issue(company=demo, actor=owner, invoice=new)
    free = services.supplier_credit_create(
        company=demo, actor=owner, kind="free", supplier=supplier, reason="r", date=DAY,
        lines=[{"description": "b", "quantity": "1", "unit_price": "7", "tax": None}])
    services.document_transition(company=demo, actor=owner, document=free, action="issue")
    services.supplier_payment_register(company=demo, actor=owner, supplier=supplier,
                                       amount="60", method="CASH", date=DAY,
                                       allocations=[{"invoice": old.pk, "amount": "50"}])
    expense = services.expense_create(
        company=demo, actor=owner, description="m", amount="10", payment_method="CREDIT",
        expense_account=acct(EXPENSE).pk, supplier=other_supplier.pk, date=DAY)
    services.expense_post(company=demo, actor=owner, expense=expense)
    aging = selectors.payables_aging(company=demo, as_of=DAY)
    # PRV-1: 107.00 due 2025-02-01 (41 days late) - 50 paid; -7 free credit; -10 unapplied
    assert [(r.supplier_code, {k: v for k, v in r.buckets.items() if v}) for r in aging] == [
        ("PRV-1", {"current": D("-17.00"), "31-60": D("57.00")}),
        ("PRV-2", {"current": D("50.00")})]
    assert sum((r.total for r in aging), D(0)) == _payable_balance(demo) == D("90.00")
    # received-not-invoiced and purchases reports
    line = issued_order.lines.get()
    services.goods_receipt_receive(company=demo, actor=owner, order=issued_order,
                                   lines=[{"line_id": line.pk, "quantity": "3"}])
    [rni] = selectors.received_not_invoiced(company=demo)
    assert (rni.order_number, rni.received, rni.amount) == ("OC-2025-000001", D("3"),
                                                             D("24.00"))
    rows = selectors.purchases_by_supplier(company=demo)
    assert [(r.key, r.total) for r in rows] == [("PRV-1", D("100.00")),
                                               ("PRV-2", D("40.00"))]
    assert [(r.key, r.total) for r in selectors.purchases_by_item(company=demo)] == [
        ("", D("33.00")), ("T-LIM", D("107.00"))]
