"""Quotes, orders, invoices (seed 004 kinds) and credit notes, each a lifecycle document.

``number`` is blank in draft and taken from the document's series inside the transition
that issues it (invoices and credit notes: the ``entry_audit`` stage, which ``simple``
runs at ``issue``). Line amounts follow :mod:`cuadra.sales.totals`; the header keeps the
sums of its lines, written by the services whenever lines change."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from cuadra.core.errors import ImmutableRecord
from cuadra.core.money import ZERO, DecimalSum, MoneyField, QuantityField
from cuadra.documents.models import LifecycleDocument
from cuadra.sales.enums import (
    CREDIT_TYPE,
    INVOICE_TYPE,
    ORDER_TYPE,
    PAYMENT_TYPE,
    QUOTE_TYPE,
    InvoiceKind,
    PaymentMethod,
    PaymentState,
    PaymentStatus,
)
from cuadra.sales.workflows import STATUS_CHOICES
from cuadra.tenancy.models import TenantModel


class SalesDocument(LifecycleDocument):
    status = models.CharField(max_length=32, db_index=True, choices=STATUS_CHOICES)
    number = models.CharField(max_length=64, blank=True)
    client = models.ForeignKey("contacts.Client", on_delete=models.PROTECT, related_name="+")
    branch = models.ForeignKey("tenancy.Branch", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    date = models.DateField()
    currency = models.CharField(max_length=3)
    salesperson = models.ForeignKey("contacts.Salesperson", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    notes = models.TextField(blank=True)
    subtotal = MoneyField(default=0)
    tax_total = MoneyField(default=0)
    total = MoneyField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.number or f"draft #{self.pk}"

    def lifecycle_amount(self):
        return self.total

    def lifecycle_requester_id(self):
        return self.created_by_id


class SalesLine(TenantModel):
    line_no = models.PositiveIntegerField()
    item = models.ForeignKey("catalog.Item", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    unit = models.ForeignKey("catalog.ItemUnit", null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    description = models.CharField(max_length=500)
    quantity = QuantityField()
    unit_price = MoneyField()
    discount_percent = MoneyField(default=0)
    tax = models.ForeignKey("catalog.Tax", null=True, blank=True, on_delete=models.PROTECT,
                            related_name="+")
    tax_rate = MoneyField(default=0, help_text="The tax's rate when the line was priced")
    tax_inclusive = models.BooleanField(default=False)
    base_amount = MoneyField(default=0)
    tax_amount = MoneyField(default=0)
    total_amount = MoneyField(default=0)

    class Meta:
        abstract = True
        ordering = ["document", "line_no"]


def _doc_constraints(prefix: str) -> list:
    return [models.UniqueConstraint(fields=["company", "number"], condition=~Q(number=""),
                                    name=f"{prefix}_company_number")]


def _doc_indexes(prefix: str) -> list:
    return [models.Index(fields=["company", "status", "date"], name=f"{prefix}_status_date"),
            models.Index(fields=["company", "client"], name=f"{prefix}_client")]


class SalesQuote(SalesDocument):
    document_type = QUOTE_TYPE
    valid_until = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["company", "-date", "-id"]
        constraints = _doc_constraints("salesquote")
        indexes = _doc_indexes("salesquote")


class SalesQuoteLine(SalesLine):
    document = models.ForeignKey(SalesQuote, on_delete=models.CASCADE, related_name="lines")

    class Meta(SalesLine.Meta):
        pass


class SalesOrder(SalesDocument):
    document_type = ORDER_TYPE
    quote = models.ForeignKey(SalesQuote, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="orders")

    class Meta:
        ordering = ["company", "-date", "-id"]
        constraints = _doc_constraints("salesorder")
        indexes = _doc_indexes("salesorder")


class SalesOrderLine(SalesLine):
    document = models.ForeignKey(SalesOrder, on_delete=models.CASCADE, related_name="lines")

    class Meta(SalesLine.Meta):
        pass


class SalesInvoice(SalesDocument):
    document_type = INVOICE_TYPE
    kind = models.CharField(max_length=24, choices=InvoiceKind.choices,
                            default=InvoiceKind.INVOICE)
    due_date = models.DateField(null=True, blank=True)
    order = models.ForeignKey(SalesOrder, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="invoices")
    payment_account = models.ForeignKey(
        "ledger.Account", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text="Cash sale: the CASH or BANK account debited (default: the first CASH)")
    journal_entry = models.ForeignKey("ledger.JournalEntry", null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+",
                                      help_text="The live posting (cleared when reversed)")
    issue_key = models.CharField(max_length=100, blank=True,
                                 help_text="Client idempotency key of the issue call")
    # payment tracking, rewritten from allocations and credit notes in the transaction of
    # every change (cuadra.sales.payment_services.invoice_payment_refresh)
    amount_credited = MoneyField(default=0)
    amount_paid = MoneyField(default=0)
    payment_state = models.CharField(max_length=8, choices=PaymentState.choices,
                                     default=PaymentState.UNPAID, db_index=True)

    class Meta:
        ordering = ["company", "-date", "-id"]
        constraints = [*_doc_constraints("salesinvoice"), models.UniqueConstraint(
            fields=["company", "issue_key"], condition=~Q(issue_key=""),
            name="salesinvoice_issue_key")]
        indexes = _doc_indexes("salesinvoice")

    @property
    def amount_due(self):
        """What the invoice still asks for: total - credited - paid. A cash sale (paid at
        issue) and a voided or cancelled invoice ask nothing; a draft shows its total."""
        if self.kind == InvoiceKind.RECEIPT_TAX_INVOICE or self.status in ("voided",
                                                                             "cancelled"):
            return ZERO
        return self.total - self.amount_credited - self.amount_paid

    def is_overdue(self, as_of) -> bool:
        """Derived, never stored: past its due date and not PAID."""
        return (self.payment_state != PaymentState.PAID and self.due_date is not None
                and self.due_date < as_of and self.amount_due > 0)


class SalesInvoiceLine(SalesLine):
    document = models.ForeignKey(SalesInvoice, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey(SalesOrderLine, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="invoice_lines")

    class Meta(SalesLine.Meta):
        pass


class SalesCreditNote(SalesDocument):
    """A credit invoice against one issued invoice (DGI iDoc 04)."""

    document_type = CREDIT_TYPE
    invoice = models.ForeignKey(SalesInvoice, on_delete=models.PROTECT,
                                related_name="credit_notes")
    reason = models.CharField(max_length=500)
    journal_entry = models.ForeignKey("ledger.JournalEntry", null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")
    issue_key = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["company", "-date", "-id"]
        constraints = [*_doc_constraints("salescredit"), models.UniqueConstraint(
            fields=["company", "issue_key"], condition=~Q(issue_key=""),
            name="salescredit_issue_key")]
        indexes = _doc_indexes("salescredit")


class SalesCreditNoteLine(SalesLine):
    document = models.ForeignKey(SalesCreditNote, on_delete=models.CASCADE,
                                 related_name="lines")
    invoice_line = models.ForeignKey(SalesInvoiceLine, on_delete=models.PROTECT,
                                     related_name="credit_lines")

    class Meta(SalesLine.Meta):
        pass


# --- payments ------------------------------------------------------------------------------

class Payment(LifecycleDocument):
    """Money received from a client. ``number`` is the RECEIPT-series legal number of the
    receipt issued when the payment succeeds (blank while PENDING, and for a payment that
    failed before succeeding). What is neither allocated (live allocations) nor refunded is
    the client's unapplied credit, refundable: :attr:`unapplied`, computed from those rows
    (never stored, so a credit note that frees an allocation never writes the payment row
    and lock order stays payment -> invoices everywhere)."""

    document_type = PAYMENT_TYPE
    status = models.CharField(max_length=16, db_index=True, choices=PaymentStatus.choices)
    number = models.CharField(max_length=64, blank=True)
    client = models.ForeignKey("contacts.Client", on_delete=models.PROTECT, related_name="+")
    method = models.CharField(max_length=16, choices=PaymentMethod.choices)
    date = models.DateField()
    amount = MoneyField()
    currency = models.CharField(max_length=3)
    account = models.ForeignKey("ledger.Account", on_delete=models.PROTECT, related_name="+",
                                help_text="The CASH or BANK account debited")
    reference = models.CharField(max_length=100, blank=True,
                                 help_text="Cheque number, transfer or card reference")
    idempotency_key = models.CharField(max_length=100, blank=True)
    journal_entry = models.ForeignKey("ledger.JournalEntry", null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")
    reversal_entry = models.ForeignKey("ledger.JournalEntry", null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="+",
                                       help_text="The reversal posted when it failed")
    failure_reason = models.CharField(max_length=500, blank=True)
    failed_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["company", "-date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["company", "number"], condition=~Q(number=""),
                                    name="payment_company_number"),
            models.UniqueConstraint(fields=["company", "idempotency_key"],
                                    condition=~Q(idempotency_key=""),
                                    name="payment_idempotency_key")]
        indexes = [models.Index(fields=["company", "status", "date"], name="payment_status_date"),
                   models.Index(fields=["company", "client"], name="payment_client")]

    def __str__(self) -> str:
        return self.number or f"payment #{self.pk}"

    @property
    def amount_allocated(self):
        if hasattr(self, "allocated_sum"):  # annotated by payment_selectors.with_sums
            return self.allocated_sum or ZERO
        return self.allocations.live().aggregate(s=DecimalSum("amount"))["s"] or ZERO

    @property
    def amount_refunded(self):
        if hasattr(self, "refunded_sum"):  # annotated by payment_selectors.with_sums
            return self.refunded_sum or ZERO
        return self.refunds.aggregate(s=DecimalSum("amount"))["s"] or ZERO

    @property
    def unapplied(self):
        if self.status != PaymentStatus.SUCCEEDED:
            return ZERO
        return self.amount - self.amount_allocated - self.amount_refunded

    def lifecycle_amount(self):
        return self.amount

    def lifecycle_requester_id(self):
        return self.created_by_id


class AllocationQuerySet(models.QuerySet):
    def delete(self):
        raise ImmutableRecord("Payment allocations are never deleted; unallocate instead.")

    _raw_delete = delete

    def live(self):
        return self.filter(reversed=False)


class PaymentAllocation(TenantModel):
    """Part of a payment applied to one invoice, dated ``max(payment date, invoice date)``
    (Odoo's partial-reconcile max_date). Never deleted: undone by setting ``reversed`` with
    the date it stopped counting (``reversed_on``), so the aging as of any past date sees
    what was allocated then."""

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="allocations")
    invoice = models.ForeignKey(SalesInvoice, on_delete=models.PROTECT,
                                related_name="allocations")
    amount = MoneyField()
    date = models.DateField()
    reversed = models.BooleanField(default=False)
    reversed_on = models.DateField(null=True, blank=True)
    reversed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")

    objects = AllocationQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["company", "invoice"], name="payalloc_invoice"),
                   models.Index(fields=["company", "payment"], name="payalloc_payment")]

    def delete(self, *args, **kwargs):
        raise ImmutableRecord("Payment allocations are never deleted; unallocate instead.")


class PaymentRefund(TenantModel):
    """Unapplied credit paid back to the client: debit receivable, credit cash or bank."""

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    amount = MoneyField()
    date = models.DateField()
    account = models.ForeignKey("ledger.Account", on_delete=models.PROTECT, related_name="+")
    journal_entry = models.ForeignKey("ledger.JournalEntry", on_delete=models.PROTECT,
                                      related_name="+")
    idempotency_key = models.CharField(max_length=100, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["company", "idempotency_key"],
                                               condition=~Q(idempotency_key=""),
                                               name="payrefund_idempotency_key")]
