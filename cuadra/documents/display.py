"""Cells as a person reads them, in the active language: the registry stores codes
(``PAID``, ``issued``, ``ACTIVE``) and the page and the exports show the same words, so
an exported file matches the screen exactly (seed 004 "Export Logic"). The API keeps the
codes."""

from __future__ import annotations

from django.utils.translation import gettext, gettext_lazy, pgettext_lazy

PAYMENT_STATE_LABELS = {"PAID": gettext_lazy("Paid"), "PARTIAL": gettext_lazy("Partial"),
                        "UNPAID": gettext_lazy("Unpaid")}

STATUS_LABELS = {
    "draft": gettext_lazy("Draft"), "issued": gettext_lazy("Issued"),
    "voided": gettext_lazy("Voided"), "cancelled": gettext_lazy("Cancelled"),
    "audited": gettext_lazy("Audited"), "confirmed": gettext_lazy("Confirmed"),
    "storage_audit": gettext_lazy("Storage audit"), "entry_audit": gettext_lazy("Entry audit"),
    "final": gettext_lazy("Final"), "PENDING": gettext_lazy("Pending"),
    "SUCCEEDED": gettext_lazy("Succeeded"), "FAILED": gettext_lazy("Failed"),
}

CUSTOMER_STATUS_LABELS = {
    "PROSPECT": pgettext_lazy("customer status", "Prospect"),
    "ACTIVE": pgettext_lazy("customer status", "Active"),
    "ON_HOLD": pgettext_lazy("customer status", "On hold"),
    "BLOCKED": pgettext_lazy("customer status", "Blocked"),
}


def _label(labels: dict, value) -> str:
    return str(labels.get(value, value))


def payment_state_label(value: str) -> str:
    return _label(PAYMENT_STATE_LABELS, value)


def status_label(value: str) -> str:
    return _label(STATUS_LABELS, value)


def customer_status_label(value: str) -> str:
    return _label(CUSTOMER_STATUS_LABELS, value)


def display_value(column, value):
    """``value`` (a typed cell) as shown: coded columns become words, the rest (numbers,
    dates, names) stay as they are so XLSX keeps numbers numeric."""
    if column.key == "payment_state":
        return payment_state_label(value)
    if column.key == "status":
        return status_label(value)
    if column.key == "customer_status":
        return customer_status_label(value)
    if column.key == "kind":
        return gettext(value) if value else ""
    return value
