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
