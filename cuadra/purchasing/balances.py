"""What remains due on a supplier invoice (``amount_due = total - amount_credited -
amount_paid``) or on an expense on credit (``total - amount_paid``), with its payment
state. Changed only on rows locked in primary-key order (payments allocate to several
documents at once: invoices first, then expenses)."""

from __future__ import annotations

from decimal import Decimal

from cuadra.purchasing.enums import ExpensePayment, PaymentState
from cuadra.purchasing.models import Expense, SupplierInvoice

ZERO = Decimal(0)


def _lock(model, ids) -> dict:
    rows = model._base_manager.select_for_update().filter(
        pk__in=sorted(set(ids))).order_by("pk")
    return {row.pk: row for row in rows}


def lock_invoices(ids) -> dict[int, SupplierInvoice]:
    """Lock the invoices in primary-key order (so concurrent allocations never
    deadlock) and return them by id."""
    return _lock(SupplierInvoice, ids)


def lock_expenses(ids) -> dict[int, Expense]:
    return _lock(Expense, ids)


def _state(document) -> str:
    settled = document.amount_paid + getattr(document, "amount_credited", ZERO)
    return (PaymentState.PAID if document.amount_due <= 0 else
            PaymentState.PARTIAL if settled > 0 else PaymentState.UNPAID)


def invoice_balance_apply(invoice: SupplierInvoice, *, paid: Decimal = ZERO,
                          credited: Decimal = ZERO) -> None:
    """Add ``paid``/``credited`` (negative to undo) to a locked invoice."""
    invoice.amount_paid += paid
    invoice.amount_credited += credited
    invoice.amount_due = invoice.total - invoice.amount_credited - invoice.amount_paid
    invoice.payment_state = _state(invoice)
    invoice.save(update_fields=["amount_paid", "amount_credited", "amount_due",
                                "payment_state", "updated_at"])


def expense_balance_apply(expense: Expense, *, paid: Decimal = ZERO,
                          posted: bool = True) -> None:
    """Add ``paid`` (negative to undo) to a locked expense on credit. ``posted=False``
    (a void) owes nothing. An expense paid at once is paid when posted."""
    if expense.payment_method != ExpensePayment.CREDIT:
        expense.amount_paid = expense.total if posted else ZERO
        expense.amount_due = ZERO
        expense.payment_state = PaymentState.PAID if posted else PaymentState.UNPAID
    else:
        expense.amount_paid += paid
        expense.amount_due = expense.total - expense.amount_paid if posted else ZERO
        expense.payment_state = _state(expense) if posted else PaymentState.UNPAID
    expense.save(update_fields=["amount_paid", "amount_due", "payment_state", "updated_at"])
