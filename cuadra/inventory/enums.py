"""Choices, document types and stable error codes of the inventory domain."""

from __future__ import annotations

from django.db import models

INSUFFICIENT_STOCK = "INSUFFICIENT_STOCK"
DEFAULT_WAREHOUSE = "PRINCIPAL"

ADJUSTMENT_TYPE = "STOCK_ADJUSTMENT"
TRANSFER_TYPE = "STOCK_TRANSFER"
COUNT_TYPE = "INVENTORY_COUNT"


class MoveKind(models.TextChoices):
    RECEIPT = "receipt", "Receipt"
    ISSUE = "issue", "Issue"
    REVERSAL = "reversal", "Reversal"
    REVALUATION = "revaluation", "Revaluation (quantity 0)"
    RECOST = "recost", "Re-cost of a backdated change (quantity 0)"


class AdjustmentKind(models.TextChoices):
    """Seed 001 Storage In / Storage Out / Spoilage, and a manual adjustment."""

    STORAGE_IN = "storage_in", "Storage in"
    STORAGE_OUT = "storage_out", "Storage out"
    SPOILAGE = "spoilage", "Spoilage"
    ADJUSTMENT_IN = "adjustment_in", "Adjustment in"
    ADJUSTMENT_OUT = "adjustment_out", "Adjustment out"


INBOUND_KINDS = frozenset({AdjustmentKind.STORAGE_IN, AdjustmentKind.ADJUSTMENT_IN})


class ProcessStatus(models.TextChoices):
    """Seed 001 Inventory Count / Opening Balance ``process_status`` of a CSV import."""

    NONE = "", "Entered by hand"
    PROCESSING = "processing", "Processing"
    FINAL = "final", "Imported"
    ERROR = "error", "Error"


class RecostState(models.TextChoices):
    PENDING = "pending", "Pending"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"
