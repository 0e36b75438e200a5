"""Choices and document types of the sales domain."""

from __future__ import annotations

from django.db import models

QUOTE_TYPE = "SALES_QUOTE"
ORDER_TYPE = "SALES_ORDER"
INVOICE_TYPE = "SALES_INVOICE"
CREDIT_TYPE = "SALES_CREDIT"


class InvoiceKind(models.TextChoices):
    """Seed 004's document types. All four take the INVOICE series (in Panama each is a
    factura); a credit note is its own model and series (CREDIT)."""

    INVOICE = "INVOICE", "Invoice"                      # requests payment
    TAX_INVOICE = "TAX_INVOICE", "Tax invoice"          # legal tax declaration
    RECEIPT_TAX_INVOICE = "RECEIPT_TAX_INVOICE", "Receipt tax invoice"  # cash sale


PAYMENT_TYPE = "SALES_PAYMENT"
# an invoice with live payment allocations is not voided (Tryton's rule): unallocate first
INVOICE_HAS_PAYMENTS = "INVOICE_HAS_PAYMENTS"


class PaymentMethod(models.TextChoices):
    CASH = "CASH", "Cash"
    BANK_TRANSFER = "BANK_TRANSFER", "Bank transfer"
    CHEQUE = "CHEQUE", "Cheque"
    CARD = "CARD", "Card"


class PaymentStatus(models.TextChoices):
    """PENDING (a cheque not yet cleared) posts nothing; SUCCEEDED takes a RECEIPT number
    and posts; FAILED (bounced cheque, declined card) is terminal."""

    PENDING = "PENDING", "Pending"
    SUCCEEDED = "SUCCEEDED", "Succeeded"
    FAILED = "FAILED", "Failed"


class PaymentState(models.TextChoices):
    """An invoice's payment state (seed 004: paid green, unpaid red, partial yellow)."""

    UNPAID = "UNPAID", "Unpaid"
    PARTIAL = "PARTIAL", "Partial"
    PAID = "PAID", "Paid"
