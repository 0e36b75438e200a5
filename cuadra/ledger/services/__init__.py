"""Writes of the books. Only this package creates journal lines (DESIGN.md invariant 2)."""

from cuadra.ledger.services.balances import balances_rebuild
from cuadra.ledger.services.chart import (
    account_create,
    account_deactivate,
    account_delete,
    account_update,
    chart_load,
    company_books_setup,
)
from cuadra.ledger.services.periods import (
    fiscal_year_ensure,
    period_close,
    period_for_date,
    period_get,
    period_lock,
    period_reopen,
)
from cuadra.ledger.services.posting import (
    UnbalancedEntry,
    journal_entries_post,
    journal_entry_create,
    journal_entry_delete,
    journal_entry_post,
    journal_entry_reverse,
    journal_entry_update,
)

__all__ = [
    "UnbalancedEntry", "account_create", "account_deactivate", "account_delete",
    "account_update", "balances_rebuild", "chart_load", "company_books_setup",
    "fiscal_year_ensure", "journal_entries_post", "journal_entry_create",
    "journal_entry_delete", "journal_entry_post", "journal_entry_reverse",
    "journal_entry_update", "period_close", "period_for_date", "period_get", "period_lock",
    "period_reopen",
]
