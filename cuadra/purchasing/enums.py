"""Choices, document types and refusal codes of the purchasing domain."""

from __future__ import annotations

from django.db import models

from cuadra.core.errors import ValidationError

REQUISITION_TYPE = "PURCHASE_REQUISITION"
ORDER_TYPE = "PURCHASE_ORDER"
RECEIPT_TYPE = "GOODS_RECEIPT"
INVOICE_TYPE = "SUPPLIER_INVOICE"
CREDIT_TYPE = "SUPPLIER_CREDIT"
PAYMENT_TYPE = "SUPPLIER_PAYMENT"
EXPENSE_TYPE = "EXPENSE"

MATCH_FAILED = "MATCH_FAILED"


class MatchFailed(ValidationError):
    """Three-way match differences block posting; ``errors`` holds one entry per
    difference (field ``lines[i].quantity`` / ``lines[i].unitPrice``)."""

    code = MATCH_FAILED


class CreditKind(models.TextChoices):
    RELATED = "related", "Related to an invoice"
    FREE = "free", "Free (standalone)"


class PaymentMethod(models.TextChoices):
    CASH = "CASH"
    BANK_TRANSFER = "BANK_TRANSFER"
    CHEQUE = "CHEQUE"
    CARD = "CARD"


class PaymentStatus(models.TextChoices):
    PENDING = "PENDING"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"


class PaymentState(models.TextChoices):
    UNPAID = "UNPAID"
    PARTIAL = "PARTIAL"
    PAID = "PAID"


class ExpensePayment(models.TextChoices):
    """How an expense is settled: at once from a cash/bank account, or on credit."""

    CASH = "CASH"
    BANK_TRANSFER = "BANK_TRANSFER"
    CHEQUE = "CHEQUE"
    CARD = "CARD"
    CREDIT = "CREDIT"
