"""What every Ventas page shares: the tab bar (only the pages the user may open), the
page frame, a refusal as the page shows it, and money/number text for the forms."""

from __future__ import annotations

from decimal import Decimal

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cuadra.access.permissions import Action, Path
from cuadra.core.errors import DomainError, ErrorCode
from cuadra.web.accounting.common import can
from cuadra.web.actions import field_errors

# (tab key, label, url name, permission that opens it)
TABS = (
    ("invoices", _("Invoices"), "web:sales_invoices", Path.SALES_INVOICES),
    ("quotes", _("Quotes"), "web:sales_quotes", Path.SALES_QUOTES),
    ("orders", _("Orders"), "web:sales_orders", Path.SALES_ORDERS),
    ("credit_notes", _("Credit notes"), "web:sales_credit_notes", Path.CREDIT_NOTES),
    ("clients", _("Clients"), "web:contacts_clients", Path.CLIENTS),
    ("items", _("Items"), "web:catalog_items", Path.ITEMS),
)

REFUSAL_TITLES = {
    ErrorCode.VALIDATION: _("Please correct the marked fields."),
    ErrorCode.NOT_FOUND: _("Something the document names does not exist."),
    ErrorCode.INVALID_TRANSITION: _("That is not possible in the document's state."),
    ErrorCode.PERMISSION_DENIED: _("You may not do that here."),
    ErrorCode.PERIOD_CLOSED: _("The period is closed."),
}


def tabs(request, current: str) -> list[dict]:
    return [{"key": key, "label": label, "url": reverse(url), "current": key == current}
            for key, label, url, path in TABS if can(request, path, Action.VIEW)]


def page(request, template: str, tab: str, context: dict, status: int = 200):
    return render(request, template, {
        "current_section": "sales", "tabs": tabs(request, tab), **context}, status=status)


def refusal(error: DomainError | None) -> dict | None:
    if error is None:
        return None
    return {"code": error.code, "title": REFUSAL_TITLES.get(error.code, _("Refused.")),
            "message": error.message, "fields": field_errors(error)}


def forbidden(request, error: DomainError):
    return render(request, "web/forbidden.html", {"message": error.message}, status=403)


def money_plain(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    whole, _dot, frac = text.partition(".")
    return f"{whole}.{frac.ljust(2, '0')}"


def quantity_text(value: Decimal | None) -> str:
    """A quantity without exponent or trailing zeros: 24, 1.5."""
    return "" if value is None else format(value.normalize(), "f")
