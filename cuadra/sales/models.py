"""Quotes, orders, invoices (seed 004 kinds) and credit notes, each a lifecycle document.

``number`` is blank in draft and taken from the document's series inside the transition
that issues it (invoices and credit notes: the ``entry_audit`` stage, which ``simple``
runs at ``issue``). Line amounts follow :mod:`cuadra.sales.totals`; the header keeps the
sums of its lines, written by the services whenever lines change."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from cuadra.core.money import MoneyField, QuantityField
from cuadra.documents.models import LifecycleDocument
from cuadra.sales.enums import CREDIT_TYPE, INVOICE_TYPE, ORDER_TYPE, QUOTE_TYPE, InvoiceKind
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

    class Meta:
        ordering = ["company", "-date", "-id"]
        constraints = [*_doc_constraints("salesinvoice"), models.UniqueConstraint(
            fields=["company", "issue_key"], condition=~Q(issue_key=""),
            name="salesinvoice_issue_key")]
        indexes = _doc_indexes("salesinvoice")


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
