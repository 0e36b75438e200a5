"""Requisitions, purchase orders, goods receipts, supplier invoices and credit notes,
supplier payments and expenses, each a lifecycle document; supplier prices, the company's
purchasing settings and content-addressed stored files.

``number`` is blank in draft and taken from the document's series inside the transition
that issues it (payments: when registered). Line amounts follow
:mod:`cuadra.sales.totals`' DGI rules (shared helper); the header keeps the sums."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from cuadra.core.money import MoneyField, QuantityField
from cuadra.documents.models import LifecycleDocument
from cuadra.purchasing.enums import (
    CREDIT_TYPE,
    EXPENSE_TYPE,
    INVOICE_TYPE,
    ORDER_TYPE,
    PAYMENT_TYPE,
    RECEIPT_TYPE,
    REQUISITION_TYPE,
    CreditKind,
    ExpensePayment,
    PaymentMethod,
    PaymentState,
)
from cuadra.purchasing.workflows import PAYMENT_STATUS_CHOICES, STATUS_CHOICES
from cuadra.tenancy.models import TenantModel


def _user_fk(**extra):
    return models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+", **extra)


def _fk(to, **extra):
    return models.ForeignKey(to, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+", **extra)


def _number_unique(prefix: str) -> list:
    return [models.UniqueConstraint(fields=["company", "number"], condition=~Q(number=""),
                                    name=f"{prefix}_company_number")]


def _key_unique(prefix: str, field: str = "issue_key") -> list:
    return [models.UniqueConstraint(fields=["company", field], condition=~Q(**{field: ""}),
                                    name=f"{prefix}_{field}")]


class PurchasingSettings(TenantModel):
    """One row per company (created on first use): the match tolerances."""

    receipt_tolerance_percent = MoneyField(
        default=0, help_text="How far past the ordered quantity a receipt may go, in %")
    price_tolerance_percent = MoneyField(
        default=0, help_text="How far an invoiced unit price may differ from the PO's, in %")

    class Meta:
        verbose_name_plural = "purchasing settings"
        constraints = [models.UniqueConstraint(fields=["company"],
                                               name="purchasingsettings_company")]


class SupplierPrice(TenantModel):
    """A supplier's price for an item in a unit, from ``min_quantity`` up, valid between
    two dates (either open)."""

    supplier = models.ForeignKey("contacts.Supplier", on_delete=models.CASCADE,
                                 related_name="+")
    item = models.ForeignKey("catalog.Item", on_delete=models.CASCADE, related_name="+")
    unit = _fk("catalog.ItemUnit")
    price = MoneyField()
    currency = models.CharField(max_length=3, default="USD")
    min_quantity = QuantityField(default=0)
    valid_from = models.DateField(null=True, blank=True)
    valid_until = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["company", "supplier", "item", "min_quantity"]
        indexes = [models.Index(fields=["company", "supplier", "item"],
                                name="supplierprice_lookup")]


class StoredFile(TenantModel):
    """A file kept once per company by its SHA-256, on disk at
    ``MEDIA_ROOT/<sha[:2]>/<sha>``."""

    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    name = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    created_by = _user_fk()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["company", "sha256"],
                                               name="storedfile_company_sha256")]

    def __str__(self) -> str:
        return f"{self.sha256[:12]} {self.name}"


# --- requisitions ---------------------------------------------------------------------------

class PurchaseRequisition(LifecycleDocument):
    document_type = REQUISITION_TYPE
    status = models.CharField(max_length=32, db_index=True, choices=STATUS_CHOICES)
    number = models.CharField(max_length=64, blank=True)
    date = models.DateField()
    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    branch = _fk("tenancy.Branch")
    notes = models.TextField(blank=True)
    total = MoneyField(default=0, help_text="Sum of the lines' estimated amounts")

    class Meta:
        ordering = ["company", "-date", "-id"]
        constraints = _number_unique("purchaserequisition")

    def __str__(self) -> str:
        return self.number or f"draft #{self.pk}"

    def lifecycle_amount(self):
        return self.total

    def lifecycle_requester_id(self):
        return self.requester_id


class PurchaseRequisitionLine(TenantModel):
    document = models.ForeignKey(PurchaseRequisition, on_delete=models.CASCADE,
                                 related_name="lines")
    line_no = models.PositiveIntegerField()
    item = _fk("catalog.Item")
    unit = _fk("catalog.ItemUnit")
    unit_name = models.CharField(max_length=30, blank=True,
                                 help_text="A free-text line's own unit (no item levels)")
    description = models.CharField(max_length=500)
    quantity = QuantityField()
    estimated_price = MoneyField(default=0)
    estimated_amount = MoneyField(default=0)
    needed_by = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["document", "line_no"]


# --- priced documents -------------------------------------------------------------------------

class PurchaseDocument(LifecycleDocument):
    status = models.CharField(max_length=32, db_index=True, choices=STATUS_CHOICES)
    number = models.CharField(max_length=64, blank=True)
    supplier = models.ForeignKey("contacts.Supplier", on_delete=models.PROTECT,
                                 related_name="+")
    branch = _fk("tenancy.Branch")
    date = models.DateField()
    currency = models.CharField(max_length=3)
    notes = models.TextField(blank=True)
    subtotal = MoneyField(default=0)
    tax_total = MoneyField(default=0)
    total = MoneyField(default=0)
    created_by = _user_fk()
    issue_key = models.CharField(max_length=100, blank=True,
                                 help_text="Client idempotency key of the issue call")

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.number or f"draft #{self.pk}"

    def lifecycle_amount(self):
        return self.total

    def lifecycle_requester_id(self):
        return self.created_by_id


class PurchaseLine(TenantModel):
    line_no = models.PositiveIntegerField()
    item = _fk("catalog.Item")
    unit = _fk("catalog.ItemUnit")
    description = models.CharField(max_length=500)
    quantity = QuantityField()
    unit_price = MoneyField()
    discount_percent = MoneyField(default=0)
    tax = _fk("catalog.Tax")
    tax_rate = MoneyField(default=0)
    tax_inclusive = models.BooleanField(default=False)
    account = _fk("ledger.Account", help_text="Debited instead of the item's/EXPENSE role")
    base_amount = MoneyField(default=0)
    tax_amount = MoneyField(default=0)
    total_amount = MoneyField(default=0)

    class Meta:
        abstract = True
        ordering = ["document", "line_no"]


def _doc_meta(prefix: str) -> dict:
    return {"constraints": [*_number_unique(prefix), *_key_unique(prefix)],
            "indexes": [models.Index(fields=["company", "status", "date"],
                                     name=f"{prefix}_status_date"),
                        models.Index(fields=["company", "supplier"],
                                     name=f"{prefix}_supplier")]}


class PurchaseOrder(PurchaseDocument):
    document_type = ORDER_TYPE
    expected_date = models.DateField(null=True, blank=True)
    terms = models.TextField(blank=True)

    class Meta:
        ordering = ["company", "-date", "-id"]
        constraints = _doc_meta("purchaseorder")["constraints"]
        indexes = _doc_meta("purchaseorder")["indexes"]


class PurchaseOrderLine(PurchaseLine):
    document = models.ForeignKey(PurchaseOrder, on_delete=models.CASCADE,
                                 related_name="lines")
    requisition_line = models.ForeignKey(PurchaseRequisitionLine, null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="order_lines")

    class Meta(PurchaseLine.Meta):
        pass


class GoodsReceipt(LifecycleDocument):
    """What arrived of one purchase order. Its stock effect is
    :func:`cuadra.purchasing.posting.receipt_stock_effect`."""

    document_type = RECEIPT_TYPE
    status = models.CharField(max_length=32, db_index=True, choices=STATUS_CHOICES)
    number = models.CharField(max_length=64, blank=True)
    order = models.ForeignKey(PurchaseOrder, on_delete=models.PROTECT, related_name="receipts")
    date = models.DateField()
    branch = _fk("tenancy.Branch")
    notes = models.TextField(blank=True)
    created_by = _user_fk()
    issue_key = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["company", "-date", "-id"]
        constraints = [*_number_unique("goodsreceipt"), *_key_unique("goodsreceipt")]

    def __str__(self) -> str:
        return self.number or f"draft #{self.pk}"

    def lifecycle_requester_id(self):
        return self.created_by_id


class GoodsReceiptLine(TenantModel):
    document = models.ForeignKey(GoodsReceipt, on_delete=models.CASCADE, related_name="lines")
    line_no = models.PositiveIntegerField()
    order_line = models.ForeignKey(PurchaseOrderLine, on_delete=models.PROTECT,
                                   related_name="receipt_lines")
    quantity = QuantityField()

    class Meta:
        ordering = ["document", "line_no"]


class SupplierInvoice(PurchaseDocument):
    document_type = INVOICE_TYPE
    supplier_number = models.CharField(max_length=64, blank=True,
                                       help_text="The supplier's own invoice number")
    due_date = models.DateField(null=True, blank=True)
    order = models.ForeignKey(PurchaseOrder, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="invoices")
    receipt = models.ForeignKey(GoodsReceipt, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="invoices")
    journal_entry = _fk("ledger.JournalEntry")
    amount_paid = MoneyField(default=0)
    amount_credited = MoneyField(default=0)
    amount_due = MoneyField(default=0)
    payment_state = models.CharField(max_length=8, choices=PaymentState.choices,
                                     default=PaymentState.UNPAID)
    match_override_by = _user_fk()
    match_override_reason = models.CharField(max_length=500, blank=True)
    match_override_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["company", "-date", "-id"]
        constraints = [*_doc_meta("supplierinvoice")["constraints"], models.UniqueConstraint(
            fields=["company", "supplier", "supplier_number"],
            condition=~Q(supplier_number="") & ~Q(status="cancelled"),
            name="supplierinvoice_supplier_number")]
        indexes = _doc_meta("supplierinvoice")["indexes"]


class SupplierInvoiceLine(PurchaseLine):
    document = models.ForeignKey(SupplierInvoice, on_delete=models.CASCADE,
                                 related_name="lines")
    order_line = models.ForeignKey(PurchaseOrderLine, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="invoice_lines")
    receipt_line = models.ForeignKey(GoodsReceiptLine, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="invoice_lines")

    class Meta(PurchaseLine.Meta):
        pass


class SupplierCredit(PurchaseDocument):
    """Seed 001 purchase refund: ``related`` to an invoice (never more than remains
    creditable) or ``free`` (standalone)."""

    document_type = CREDIT_TYPE
    kind = models.CharField(max_length=8, choices=CreditKind.choices)
    invoice = models.ForeignKey(SupplierInvoice, null=True, blank=True,
                                on_delete=models.PROTECT, related_name="credit_notes")
    supplier_number = models.CharField(max_length=64, blank=True)
    reason = models.CharField(max_length=500)
    journal_entry = _fk("ledger.JournalEntry")

    class Meta:
        ordering = ["company", "-date", "-id"]
        constraints = _doc_meta("suppliercredit")["constraints"]
        indexes = _doc_meta("suppliercredit")["indexes"]


class SupplierCreditLine(PurchaseLine):
    document = models.ForeignKey(SupplierCredit, on_delete=models.CASCADE,
                                 related_name="lines")
    invoice_line = models.ForeignKey(SupplierInvoiceLine, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="credit_lines")

    class Meta(PurchaseLine.Meta):
        pass


# --- payments ------------------------------------------------------------------------------

class SupplierPayment(LifecycleDocument):
    """Money paid to a supplier, allocated to one or several of its invoices and expenses
    on credit; what is neither allocated nor refunded is unapplied credit (usable on later
    documents, or refunded by the supplier). Posted (the treasury transaction) when it
    succeeds."""

    document_type = PAYMENT_TYPE
    status = models.CharField(max_length=32, db_index=True, choices=PAYMENT_STATUS_CHOICES)
    number = models.CharField(max_length=64, blank=True)
    supplier = models.ForeignKey("contacts.Supplier", on_delete=models.PROTECT,
                                 related_name="+")
    date = models.DateField()
    method = models.CharField(max_length=16, choices=PaymentMethod.choices)
    amount = MoneyField()
    currency = models.CharField(max_length=3)
    account = models.ForeignKey("ledger.Account", on_delete=models.PROTECT, related_name="+",
                                help_text="The CASH or BANK account credited")
    reference = models.CharField(max_length=100, blank=True)
    allocated = MoneyField(default=0)
    refunded = MoneyField(default=0, help_text="Unapplied credit the supplier paid back")
    journal_entry = _fk("ledger.JournalEntry")
    created_by = _user_fk()
    idempotency_key = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["company", "-date", "-id"]
        constraints = [*_number_unique("supplierpayment"),
                       *_key_unique("supplierpayment", "idempotency_key")]
        indexes = [models.Index(fields=["company", "supplier"], name="supplierpayment_supp")]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"

    @property
    def unapplied(self):
        return self.amount - self.allocated - self.refunded

    def lifecycle_amount(self):
        return self.amount

    def lifecycle_requester_id(self):
        return self.created_by_id


class SupplierPaymentAllocation(TenantModel):
    """Part of a payment applied to one supplier invoice or one expense on credit."""

    payment = models.ForeignKey(SupplierPayment, on_delete=models.PROTECT,
                                related_name="allocations")
    invoice = models.ForeignKey(SupplierInvoice, null=True, blank=True,
                                on_delete=models.PROTECT, related_name="allocations")
    expense = models.ForeignKey("Expense", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="allocations")
    amount = MoneyField()
    released_at = models.DateTimeField(
        null=True, blank=True,
        help_text="Set when the payment failed or a credit note freed the amount")

    class Meta:
        ordering = ["payment", "id"]
        constraints = [models.CheckConstraint(
            condition=(Q(invoice__isnull=False, expense__isnull=True)
                       | Q(invoice__isnull=True, expense__isnull=False)),
            name="supplierpaymentallocation_one_target")]


class SupplierPaymentRefund(TenantModel):
    """The supplier paid back part of a payment's unapplied credit (e.g. what a credit
    note on a paid invoice freed): debit the cash/bank account, credit PAYABLE."""

    payment = models.ForeignKey(SupplierPayment, on_delete=models.PROTECT,
                                related_name="refunds")
    date = models.DateField()
    amount = MoneyField()
    account = models.ForeignKey("ledger.Account", on_delete=models.PROTECT, related_name="+",
                                help_text="The CASH or BANK account debited")
    reference = models.CharField(max_length=100, blank=True)
    journal_entry = _fk("ledger.JournalEntry")
    created_by = _user_fk()
    idempotency_key = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["payment", "id"]
        constraints = _key_unique("supplierpaymentrefund", "idempotency_key")


# --- expenses -------------------------------------------------------------------------------

class Expense(LifecycleDocument):
    document_type = EXPENSE_TYPE
    status = models.CharField(max_length=32, db_index=True, choices=STATUS_CHOICES)
    number = models.CharField(max_length=64, blank=True)
    date = models.DateField()
    supplier = models.ForeignKey("contacts.Supplier", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    branch = _fk("tenancy.Branch")
    description = models.CharField(max_length=500)
    currency = models.CharField(max_length=3)
    expense_account = models.ForeignKey("ledger.Account", on_delete=models.PROTECT,
                                        related_name="+")
    amount = MoneyField(help_text="Before tax")
    tax = _fk("catalog.Tax")
    tax_rate = MoneyField(default=0)
    tax_amount = MoneyField(default=0)
    total = MoneyField(default=0)
    payment_method = models.CharField(max_length=16, choices=ExpensePayment.choices)
    payment_account = _fk("ledger.Account", help_text="Paid at once: the CASH/BANK account")
    receipt_file = models.ForeignKey(StoredFile, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="expenses")
    amount_paid = MoneyField(default=0, help_text="On credit: supplier payments allocated")
    amount_due = MoneyField(default=0, help_text="On credit and posted: what is still owed")
    payment_state = models.CharField(max_length=8, choices=PaymentState.choices,
                                     default=PaymentState.UNPAID)
    journal_entry = _fk("ledger.JournalEntry")
    created_by = _user_fk()
    issue_key = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["company", "-date", "-id"]
        constraints = [*_number_unique("expense"), *_key_unique("expense")]

    def __str__(self) -> str:
        return self.number or f"draft #{self.pk}"

    def lifecycle_amount(self):
        return self.total

    def lifecycle_requester_id(self):
        return self.created_by_id
