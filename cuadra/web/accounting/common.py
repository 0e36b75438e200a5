"""What every Contabilidad page shares: the tab bar (only the pages the user may open),
account names in the page's language, and lenient parsing of typed amounts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from cuadra.access.permissions import Action, Path
from cuadra.access.selectors import has_perm

# (tab key, label, url name, the permissions that open it: any one suffices)
TABS = (
    ("overview", _("Overview"), "web:accounting_index",
     ((Path.LEDGER, Action.VIEW), (Path.REPORTS, Action.VIEW))),
    ("accounts", _("Chart of accounts"), "web:accounting_accounts",
     ((Path.ACCOUNTS, Action.VIEW),)),
    ("entries", _("Journal entries"), "web:accounting_entries",
     ((Path.JOURNAL_ENTRIES, Action.VIEW),)),
    ("reports", _("Reports"), "web:accounting_trial_balance",
     ((Path.REPORTS, Action.VIEW), (Path.LEDGER, Action.VIEW))),
    ("integrity", _("Integrity"), "web:accounting_integrity",
     ((Path.LEDGER, Action.VIEW),)),
)


def can(request, path: Path, action: Action) -> bool:
    return has_perm(user=request.user, company=request.active_company, path=path,
                    action=action)


def can_any(request, perms) -> bool:
    return any(can(request, path, action) for path, action in perms)


def tabs(request, current: str) -> list[dict]:
    return [{"key": key, "label": label, "url": reverse(url), "current": key == current}
            for key, label, url, perms in TABS if can_any(request, perms)]


def page(request, template: str, tab: str, context: dict, status: int = 200):
    return render(request, f"web/accounting/{template}", {
        "current_section": "accounting", "tabs": tabs(request, tab), **context},
        status=status)


def account_name(account) -> str:
    if (get_language() or "").startswith("en") and account.name_en:
        return account.name_en
    return account.name_es


def parse_amount(text) -> Decimal | None:
    """A typed amount, Panama style (1,234.56): the comma only groups thousands.
    None for blank or unreadable input (the service then says what is wrong)."""
    text = (text or "").strip().replace(",", "")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def parse_date(text, default: dt.date | None = None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((text or "").strip())
    except ValueError:
        return default


ACCOUNT_TYPE_LABELS = {
    "ASSET": pgettext_lazy("account type", "Asset"),
    "LIABILITY": pgettext_lazy("account type", "Liability"),
    "EQUITY": pgettext_lazy("account type", "Equity"),
    "INCOME": pgettext_lazy("account type", "Income"),
    "EXPENSE": pgettext_lazy("account type", "Expense"),
}

ACCOUNT_ROLE_LABELS = {
    "RECEIVABLE": _("Receivable"), "PAYABLE": _("Payable"), "BANK": _("Bank"),
    "CASH": _("Cash"), "INVENTORY": _("Inventory"), "TAX_PAYABLE": _("Tax payable"),
    "TAX_RECEIVABLE": _("Tax receivable"), "REVENUE": _("Revenue"),
    "COGS": _("Cost of goods sold"), "RETAINED_EARNINGS": _("Retained earnings"),
    "FX_GAIN_LOSS": _("FX gain/loss"), "ROUNDING": _("Rounding"), "SUSPENSE": _("Suspense"),
}
