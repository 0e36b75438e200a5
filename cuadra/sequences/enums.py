"""Document types that take a legal number, and how a series restarts."""

from __future__ import annotations

from django.db import models


class DocumentType(models.TextChoices):
    QUOTE = "QUOTE"
    ORDER = "ORDER"
    INVOICE = "INVOICE"
    RECEIPT = "RECEIPT"
    PAYMENT = "PAYMENT"
    PURCHASE_REQUISITION = "PURCHASE_REQUISITION"
    PURCHASE_ORDER = "PURCHASE_ORDER"
    JOURNAL = "JOURNAL"
    CREDIT = "CREDIT"
    SUPPLIER_INVOICE = "SUPPLIER_INVOICE"
    SUPPLIER_CREDIT = "SUPPLIER_CREDIT"
    SUPPLIER_PAYMENT = "SUPPLIER_PAYMENT"
    EXPENSE = "EXPENSE"
    GOODS_RECEIPT = "GOODS_RECEIPT"
    STOCK_TRANSFER = "STOCK_TRANSFER"
    INVENTORY_COUNT = "INVENTORY_COUNT"
    STOCK_ADJUSTMENT = "STOCK_ADJUSTMENT"


class ResetStrategy(models.TextChoices):
    NEVER = "NEVER"
    YEARLY = "YEARLY"
    MONTHLY = "MONTHLY"


# The series every new company starts with (editable afterwards): prefix, padding, reset.
DEFAULT_SEQUENCES: dict[str, tuple[str, int, str]] = {
    DocumentType.QUOTE: ("COT-{YYYY}-", 6, ResetStrategy.YEARLY),
    DocumentType.ORDER: ("PED-{YYYY}-", 6, ResetStrategy.YEARLY),
    DocumentType.INVOICE: ("FAC-{YYYY}-", 6, ResetStrategy.YEARLY),
    DocumentType.RECEIPT: ("REC-{YYYY}-", 6, ResetStrategy.YEARLY),
    DocumentType.PAYMENT: ("PAG-{YYYY}-", 6, ResetStrategy.YEARLY),
    DocumentType.PURCHASE_REQUISITION: ("RC-{YYYY}-", 6, ResetStrategy.YEARLY),
    DocumentType.PURCHASE_ORDER: ("OC-{YYYY}-", 6, ResetStrategy.YEARLY),
    DocumentType.JOURNAL: ("AS-{YYYY}-", 6, ResetStrategy.YEARLY),
    DocumentType.CREDIT: ("NC-{YYYY}-", 6, ResetStrategy.YEARLY),
    DocumentType.SUPPLIER_INVOICE: ("FP-{YYYY}-", 6, ResetStrategy.YEARLY),
    DocumentType.SUPPLIER_CREDIT: ("NCP-{YYYY}-", 6, ResetStrategy.YEARLY),
    DocumentType.SUPPLIER_PAYMENT: ("PP-{YYYY}-", 6, ResetStrategy.YEARLY),
    DocumentType.EXPENSE: ("GAS-{YYYY}-", 6, ResetStrategy.YEARLY),
    DocumentType.GOODS_RECEIPT: ("ENT-{YYYY}-", 6, ResetStrategy.YEARLY),
    DocumentType.STOCK_TRANSFER: ("TRA-{YYYY}-", 6, ResetStrategy.YEARLY),
    DocumentType.INVENTORY_COUNT: ("CON-{YYYY}-", 6, ResetStrategy.YEARLY),
    DocumentType.STOCK_ADJUSTMENT: ("AJU-{YYYY}-", 6, ResetStrategy.YEARLY),
}

# Series whose documents are legal numbers issued to third parties keep Tryton's chronology
# rule (a later number never carries an earlier date). Internal series start without it:
# a journal takes backdated adjustments and reversals, stock documents are dated by the
# movement. A company can switch the rule on or off per series.
CHRONOLOGY_OFF_BY_DEFAULT = frozenset({
    DocumentType.JOURNAL, DocumentType.GOODS_RECEIPT, DocumentType.STOCK_TRANSFER,
    DocumentType.INVENTORY_COUNT, DocumentType.STOCK_ADJUSTMENT,
})

PREFIX_TOKENS = ("{YYYY}", "{YY}", "{MM}")
MAX_PREFIX_LENGTH = 40
MAX_PADDING = 12
MAX_NUMBER_LENGTH = 64
