"""What every Inventario page shares: the tab bar (only the pages the user may open), the
page frame, reading a company's row (another company's id is a 404), the choices the
forms offer (warehouses, goods items and their unit levels) and quantity text."""

from __future__ import annotations

from decimal import Decimal

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cuadra.access.permissions import Action, Path
from cuadra.catalog.enums import ItemKind
from cuadra.catalog.models import Item, ItemUnit
from cuadra.core.errors import NotFound
from cuadra.inventory import selectors
from cuadra.web.accounting.common import can

# (tab key, label, url name, permission that opens it)
TABS = (
    ("stock", _("Stock on hand"), "web:inventory_index", Path.INVENTORY),
    ("adjustments", _("Storage in / out"), "web:inventory_adjustments",
     Path.STOCK_ADJUSTMENTS),
    ("transfers", _("Transfers"), "web:inventory_transfers", Path.STOCK_TRANSFERS),
    ("counts", _("Counts"), "web:inventory_counts", Path.INVENTORY_COUNTS),
    ("reports", _("Reports"), "web:inventory_valuation", Path.INVENTORY),
    ("warehouses", _("Warehouses"), "web:inventory_warehouses", Path.WAREHOUSES),
)

STATE_LABELS = {
    "draft": _("Draft"), "issued": _("Issued"), "voided": _("Voided"),
    "cancelled": _("Cancelled"), "in_transit": _("In transit"), "received": _("Received"),
    "audited": _("Audited"), "confirmed": _("Confirmed"),
}

ACTION_LABELS = {
    "issue": _("Issue"), "void": _("Void"), "cancel": _("Cancel draft"),
    "send": _("Send"), "receive": _("Receive"), "audit": _("Audit"),
    "confirm": _("Confirm"),
}


def tabs(request, current: str) -> list[dict]:
    return [{"key": key, "label": label, "url": reverse(url), "current": key == current}
            for key, label, url, path in TABS if can(request, path, Action.VIEW)]


def page(request, template: str, tab: str, context: dict, status: int = 200):
    return render(request, f"web/inventory/{template}", {
        "current_section": "inventory", "tabs": tabs(request, tab), **context},
        status=status)


def get_or_404(getter, **kwargs):
    """A selector's NotFound (also another company's id) is the page's 404."""
    try:
        return getter(**kwargs)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def quantity_text(value: Decimal | None) -> str:
    """A quantity without exponent or trailing zeros: 24, 1.5."""
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "0") else text


def warehouses(company, *, active_only: bool = True):
    return selectors.warehouses_list(company=company, active_only=active_only)


def goods(company):
    return Item.objects.filter(company=company, is_active=True, kind=ItemKind.GOODS
                               ).order_by("sku")


def units(company):
    """Every unit level of the goods items: the line's unit choice (any level)."""
    return (ItemUnit.objects.filter(company=company, is_active=True, item__is_active=True,
                                    item__kind=ItemKind.GOODS)
            .select_related("item").order_by("item__sku", "depth", "code"))


def pick(rows, value):
    """The row of ``rows`` whose pk is the posted ``value``, or None."""
    text = (value or "").strip()
    return next((row for row in rows if str(row.pk) == text), None) if text else None
