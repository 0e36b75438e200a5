"""Demo purchasing: a year of requisitions (some rejected, some escalated), orders,
receipts, supplier invoices, payments and expenses, issued and posted once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from cuadra.approvals.models import ApprovalRequest, ApprovalStep
from cuadra.approvals.selectors import pending_approvals_for
from cuadra.demo import approvals as demo_approvals
from cuadra.demo import catalog as demo_catalog
from cuadra.demo import contacts as demo_contacts
from cuadra.demo import purchasing as demo_purchasing
from cuadra.ledger.models import JournalLine
from cuadra.ledger.selectors import ledger_verify
from cuadra.purchasing.models import (
    Expense,
    GoodsReceipt,
    PurchaseOrder,
    PurchaseRequisition,
    SupplierInvoice,
    SupplierPayment,
)
from tests.conftest import row_counts

TODAY = dt.date(2026, 11, 21)


def _load(demo, platform) -> int:
    return demo_purchasing.load(company=demo, actor=platform.owner, today=TODAY)


def test_a_year_of_purchasing_is_issued_posted_once(demo, platform):
    demo_contacts.load(company=demo, actor=platform.owner)
    demo_approvals.load(company=demo, actor=platform.owner)
    demo_catalog.load(company=demo, actor=platform.owner)
    loaded = _load(demo, platform)
    requisitions = PurchaseRequisition.objects.filter(company=demo)
    invoices = SupplierInvoice.objects.filter(company=demo)
    orders = PurchaseOrder.objects.filter(company=demo)
    assert requisitions.count() == WEEKS_REQ + 1
    states = sorted(set(requisitions.values_list("status", flat=True)))
    assert states == ["cancelled", "released", "submitted"]
    # today's restock waits in the owner's inbox
    waiting = requisitions.get(status="submitted")
    assert waiting.date == TODAY
    assert [d.step.request.document_id for d in pending_approvals_for(company=demo,
                                                         user=platform.owner)] == [waiting.pk]
    rejected = ApprovalRequest.objects.filter(company=demo, status="REJECTED").count()
    assert rejected == requisitions.filter(status="cancelled").count() > 0
    assert ApprovalStep.objects.filter(company=demo, escalated_at__isnull=False).count() == 2
    assert rejected == 2
    assert ApprovalRequest.objects.filter(company=demo, status="APPROVED").count() > 0
    released = requisitions.filter(status="released").count()
    assert loaded == invoices.count() == orders.count() == released == 24
    assert {o.status for o in orders} <= {"issued", "closed"}
    assert set(invoices.values_list("status", flat=True)) == {"issued"}
    receipts = GoodsReceipt.objects.filter(company=demo)
    assert set(receipts.values_list("status", flat=True)) == {"issued"}
    assert receipts.count() == 31  # seven orders arrived in two parts
    assert all(i.number.startswith("FP-") and i.journal_entry_id for i in invoices)
    payments = SupplierPayment.objects.filter(company=demo)
    assert payments.count() == 21
    assert set(payments.values_list("status", flat=True)) == {"SUCCEEDED"}
    expenses = Expense.objects.filter(company=demo)
    assert expenses.count() == 19  # one or two a month
    assert set(expenses.values_list("status", flat=True)) == {"issued"}
    assert set(expenses.values_list("payment_method", flat=True)) == {
        "CASH", "BANK_TRANSFER", "CREDIT"}

    # the payables in the books equal what the supplier invoices and credit expenses owe
    owed = sum((i.amount_due for i in invoices), Decimal(0))
    owed += sum((e.total for e in expenses.filter(payment_method="CREDIT")), Decimal(0))
    assert owed == Decimal("2082.74")
    payable = sum((c - d for d, c in JournalLine.objects.filter(
        company=demo, account__role="PAYABLE").values_list("debit", "credit")), Decimal(0))
    assert payable == owed
    assert ledger_verify(company=demo).ok

    before = row_counts()
    assert _load(demo, platform) == 0
    assert row_counts() == before


WEEKS_REQ = len(range(0, demo_purchasing.WEEKS, demo_purchasing.EVERY))
