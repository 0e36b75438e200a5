"""Vocabulary of the books: account types and roles, journal kinds, entry and period states."""

from __future__ import annotations

from django.db import models

from cuadra.core.errors import ErrorCode


class AccountType(models.TextChoices):
    ASSET = "ASSET"
    LIABILITY = "LIABILITY"
    EQUITY = "EQUITY"
    INCOME = "INCOME"
    EXPENSE = "EXPENSE"


class AccountRole(models.TextChoices):
    """What other domains look an account up by, so no code hard-wires account codes."""

    NONE = "", "—"
    RECEIVABLE = "RECEIVABLE"
    PAYABLE = "PAYABLE"
    BANK = "BANK"
    CASH = "CASH"
    INVENTORY = "INVENTORY"
    TAX_PAYABLE = "TAX_PAYABLE"
    TAX_RECEIVABLE = "TAX_RECEIVABLE"
    REVENUE = "REVENUE"
    COGS = "COGS"
    RETAINED_EARNINGS = "RETAINED_EARNINGS"
    FX_GAIN_LOSS = "FX_GAIN_LOSS"
    ROUNDING = "ROUNDING"
    SUSPENSE = "SUSPENSE"
    GRNI = "GRNI", "Goods received not invoiced"
    GOODS_IN_TRANSIT = "GOODS_IN_TRANSIT"
    INVENTORY_LOSS = "INVENTORY_LOSS", "Inventory loss (shrinkage, spoilage, count differences)"
    EXPENSE = "EXPENSE", "Default operating expense"
    CUSTOMER_ADVANCE = "CUSTOMER_ADVANCE", "Customer advances (unapplied client credit)"
    SUPPLIER_ADVANCE = "SUPPLIER_ADVANCE", "Supplier advances (unapplied supplier credit)"


class JournalKind(models.TextChoices):
    SALES = "SALES"
    PURCHASES = "PURCHASES"
    CASH = "CASH"
    BANK = "BANK"
    GENERAL = "GENERAL"
    OPENING = "OPENING"


class EntryState(models.TextChoices):
    DRAFT = "draft"
    POSTED = "posted"


class PeriodState(models.TextChoices):
    OPEN = "open"
    CLOSED = "closed"
    LOCKED = "locked"


# Period transitions are data (DESIGN.md convention 3). LOCKED has no way out.
PERIOD_TRANSITIONS: dict[str, set[str]] = {
    PeriodState.OPEN: {PeriodState.CLOSED},
    PeriodState.CLOSED: {PeriodState.OPEN, PeriodState.LOCKED},
    PeriodState.LOCKED: set(),
}

# Default journals created with the chart: code -> (kind, name)
DEFAULT_JOURNALS: dict[str, tuple[str, str]] = {
    "VEN": (JournalKind.SALES, "Ventas"),
    "COM": (JournalKind.PURCHASES, "Compras"),
    "CAJ": (JournalKind.CASH, "Caja"),
    "BAN": (JournalKind.BANK, "Banco"),
    "GEN": (JournalKind.GENERAL, "General"),
    "APE": (JournalKind.OPENING, "Apertura"),
}

CANONICAL_VERSION = 1
GENESIS_HASH = "0" * 64

UNBALANCED_ENTRY = ErrorCode.UNBALANCED_ENTRY
PERIOD_CLOSED = ErrorCode.PERIOD_CLOSED


# The year-end closing entry carries this source type: it zeroes income and expense into
# retained earnings, so the income statement of a closed year leaves it out.
CLOSING_SOURCE_TYPE = "ledger.FiscalYear"
