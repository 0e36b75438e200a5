"""The three inventory documents the pages show (storage in/out and adjustments,
transfers, counts), each with its model, RBAC path, selector and create service, so one
set of views serves them all."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cuadra.access.permissions import Path
from cuadra.inventory import documents, selectors
from cuadra.inventory.enums import AdjustmentKind
from cuadra.inventory.models import InventoryCount, StockAdjustment, StockTransfer


@dataclass(frozen=True)
class Kind:
    slug: str            # URL segment: inventory/<slug>/ and the tab
    model: type
    path: Path
    label: Promise
    plural: Promise
    new_label: Promise
    get: Callable
    qty_key: str         # the service's name of a line's quantity
    with_cost: bool = False

    @property
    def name(self) -> str:
        return f"web:inventory_{self.slug}"


KINDS = {
    "adjustments": Kind("adjustments", StockAdjustment, Path.STOCK_ADJUSTMENTS,
                        _("Stock document"), _("Storage in / out"), _("New stock document"),
                        lambda c, pk: selectors.stock_adjustment_get(company=c,
                                                                     adjustment_id=pk),
                        "quantity", with_cost=True),
    "transfers": Kind("transfers", StockTransfer, Path.STOCK_TRANSFERS, _("Transfer"),
                      _("Transfers"), _("New transfer"),
                      lambda c, pk: selectors.stock_transfer_get(company=c, transfer_id=pk),
                      "quantity"),
    "counts": Kind("counts", InventoryCount, Path.INVENTORY_COUNTS, _("Inventory count"),
                   _("Counts"), _("New count"),
                   lambda c, pk: selectors.inventory_count_get(company=c, count_id=pk),
                   "counted"),
}

ADJUSTMENT_KIND_LABELS = {
    AdjustmentKind.STORAGE_IN: _("Storage in"),
    AdjustmentKind.STORAGE_OUT: _("Storage out"),
    AdjustmentKind.SPOILAGE: _("Spoilage"),
    AdjustmentKind.ADJUSTMENT_IN: _("Adjustment in"),
    AdjustmentKind.ADJUSTMENT_OUT: _("Adjustment out"),
}

PROCESS_LABELS = {"": _("Entered by hand"), "processing": _("Processing"),
                  "final": _("Imported"), "error": _("Import error")}


def create(kind: Kind, *, company, actor, header: dict, lines: list[dict]):
    """The kind's create service with the form's header and lines."""
    if kind.slug == "adjustments":
        return documents.stock_adjustment_create(company=company, actor=actor, lines=lines,
                                                 **header)
    if kind.slug == "transfers":
        return documents.stock_transfer_create(company=company, actor=actor, lines=lines,
                                               **header)
    return documents.inventory_count_create(company=company, actor=actor, lines=lines,
                                            **header)
