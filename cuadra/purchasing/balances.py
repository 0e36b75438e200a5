"""What remains due on a supplier invoice: ``amount_due = total - amount_credited -
amount_paid``, with its payment state. Changed only on rows locked in primary-key order
(payments allocate to several invoices at once)."""

from __future__ import annotations

from decimal import Decimal

from cuadra.purchasing.enums import PaymentState
from cuadra.purchasing.models import SupplierInvoice

ZERO = Decimal(0)


def lock_invoices(ids) -> dict[int, SupplierInvoice]:
    """Lock the invoices in primary-key order (so concurrent allocations never
    deadlock) and return them by id."""
    rows = SupplierInvoice._base_manager.select_for_update().filter(
        pk__in=sorted(set(ids))).order_by("pk")
    return {row.pk: row for row in rows}


def invoice_balance_apply(invoice: SupplierInvoice, *, paid: Decimal = ZERO,
                          credited: Decimal = ZERO) -> None:
    """Add ``paid``/``credited`` (negative to undo) to a locked invoice."""
    invoice.amount_paid += paid
    invoice.amount_credited += credited
    invoice.amount_due = invoice.total - invoice.amount_credited - invoice.amount_paid
    settled = invoice.amount_paid + invoice.amount_credited
    invoice.payment_state = (PaymentState.PAID if invoice.amount_due <= 0 else
                             PaymentState.PARTIAL if invoice.amount_paid > 0 or settled > 0
                             else PaymentState.UNPAID)
    invoice.save(update_fields=["amount_paid", "amount_credited", "amount_due",
                                "payment_state", "updated_at"])
