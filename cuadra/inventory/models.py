"""Warehouses, the append-only stock ledger, FIFO cost layers and their consumption,
per-period snapshots, settings, re-cost jobs, and the inventory documents.

Quantities are in the item's base unit (a quantity entered in another unit level is
multiplied by that level's exact ``factor_to_base``). Quantity on hand and value per
(item, warehouse) are sums of moves (from the last snapshot on), never a stored counter;
the live FIFO state is the layers' ``remaining`` / ``remaining_value``, which always add
up to the same value (``cuadra.inventory.selectors.inventory_verify``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from cuadra.core.models import AppendOnlyQuerySet
from cuadra.core.money import MoneyField, QuantityField
from cuadra.documents.models import LifecycleDocument
from cuadra.inventory.enums import (
    ADJUSTMENT_TYPE,
    COUNT_TYPE,
    TRANSFER_TYPE,
    AdjustmentKind,
    MoveKind,
    ProcessStatus,
    RecostState,
)
from cuadra.inventory.workflows import ADJUSTMENT_STATUS, COUNT_STATUS, TRANSFER_STATUS
from cuadra.tenancy.models import TenantModel


class AppendOnlyTenantQuerySet(AppendOnlyQuerySet):
    def for_company(self, company):
        return self.filter(company=company)


class AppendOnlyTenantModel(TenantModel):
    objects = AppendOnlyTenantQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        from cuadra.core.errors import ImmutableRecord

        if self.pk is not None and not self._state.adding:
            raise ImmutableRecord(f"{type(self).__name__} rows are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        from cuadra.core.errors import ImmutableRecord

        raise ImmutableRecord(f"{type(self).__name__} rows are append-only")


class InventorySettings(TenantModel):
    allow_negative_stock = models.BooleanField(
        default=False, help_text="Issue beyond stock on a negative layer costed at the last "
                                 "known unit cost (cuadra.inventory.valuation)")

    class Meta:
        verbose_name_plural = "inventory settings"
        constraints = [models.UniqueConstraint(fields=["company"],
                                               name="inventorysettings_company")]


class Warehouse(TenantModel):
    branch = models.ForeignKey("tenancy.Branch", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    code = models.CharField(max_length=20)
    name = models.CharField(max_length=120)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["company", "code"]
        constraints = [models.UniqueConstraint(fields=["company", "code"],
                                               name="warehouse_company_code")]

    def __str__(self) -> str:
        return self.code


class Location(TenantModel):
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT,
                                  related_name="locations")
    code = models.CharField(max_length=20)
    name = models.CharField(max_length=120, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["company", "warehouse", "code"]
        constraints = [models.UniqueConstraint(fields=["company", "warehouse", "code"],
                                               name="location_company_code")]

    def __str__(self) -> str:
        return f"{self.warehouse_id}/{self.code}"


class StockMove(AppendOnlyTenantModel):
    """One line of the inventory ledger: +in / -out in base units, never changed."""

    item = models.ForeignKey("catalog.Item", on_delete=models.PROTECT, related_name="+")
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="moves")
    location = models.ForeignKey(Location, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    date = models.DateField()
    kind = models.CharField(max_length=16, choices=MoveKind.choices)
    quantity = QuantityField(help_text="Base units: + in, - out, 0 for a value change")
    unit_cost = MoneyField(default=0)
    value = MoneyField(help_text="Signed change of the stock value")
    source_type = models.CharField(max_length=40)
    source_id = models.CharField(max_length=64)
    reversal_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="reversals")
    adjusts = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="adjustments",
                                help_text="RECOST: the issue whose cost this move corrects")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["company", "date", "id"]
        indexes = [
            models.Index(fields=["company", "item", "warehouse", "date", "id"],
                         name="stockmove_item_wh_date"),
            models.Index(fields=["company", "source_type", "source_id"],
                         name="stockmove_source"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.kind} {self.quantity} {self.source_type}:{self.source_id}"


class CostLayer(TenantModel):
    """A receipt's FIFO layer (or a negative layer). ``remaining`` and
    ``remaining_value`` are the only columns that change, under a row lock."""

    move = models.OneToOneField(StockMove, on_delete=models.PROTECT, related_name="layer")
    item = models.ForeignKey("catalog.Item", on_delete=models.PROTECT, related_name="+")
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="+")
    date = models.DateField()
    quantity = QuantityField()
    unit_cost = MoneyField()
    value = MoneyField()
    remaining = QuantityField()
    remaining_value = MoneyField()

    class Meta:
        ordering = ["company", "item", "warehouse", "date", "id"]
        indexes = [models.Index(fields=["company", "item", "warehouse", "date", "id"],
                                name="costlayer_fifo")]


class LayerConsumption(AppendOnlyTenantModel):
    """What a move drew from a layer (negative quantities put it back: a reversal, a
    re-cost or a settlement)."""

    move = models.ForeignKey(StockMove, on_delete=models.PROTECT, related_name="consumptions")
    layer = models.ForeignKey(CostLayer, on_delete=models.PROTECT,
                              related_name="consumptions")
    quantity = QuantityField()
    value = MoneyField()

    class Meta:
        indexes = [models.Index(fields=["company", "layer"], name="layerconsumption_layer")]


class StockSnapshot(TenantModel):
    """Quantity and value of (item, warehouse) at the end of ``period_end`` (inclusive),
    so balances as of a date sum only the moves after the last snapshot. A move dated on
    or before a snapshot drops the snapshots from its date on."""

    item = models.ForeignKey("catalog.Item", on_delete=models.PROTECT, related_name="+")
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="+")
    period_end = models.DateField()
    quantity = QuantityField()
    value = MoneyField()

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["company", "item", "warehouse", "period_end"], name="stocksnapshot_key")]


class RecostJob(TenantModel):
    """Re-costing of the issues of one (item, warehouse) dated on or after ``from_date``,
    after a backdated move. ``cursor`` is the last move re-costed (resumable)."""

    item = models.ForeignKey("catalog.Item", on_delete=models.PROTECT, related_name="+")
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="+")
    from_date = models.DateField()
    state = models.CharField(max_length=16, choices=RecostState.choices,
                             default=RecostState.PENDING)
    cursor = models.BigIntegerField(default=0)
    moves_recosted = models.PositiveIntegerField(default=0)
    difference = MoneyField(default=0)
    error = models.TextField(blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["company", "item", "warehouse", "state"],
                                name="recostjob_item_wh_state")]


# --- documents -----------------------------------------------------------------------------

class StockDocument(LifecycleDocument):
    number = models.CharField(max_length=64, blank=True)
    date = models.DateField()
    notes = models.TextField(blank=True)
    journal_entry = models.ForeignKey("ledger.JournalEntry", null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")
    issue_key = models.CharField(max_length=100, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.number or f"draft #{self.pk}"

    def lifecycle_requester_id(self):
        return self.created_by_id


def _doc_constraints(prefix: str) -> list:
    return [models.UniqueConstraint(fields=["company", "number"], condition=~Q(number=""),
                                    name=f"{prefix}_number"),
            models.UniqueConstraint(fields=["company", "issue_key"], condition=~Q(issue_key=""),
                                    name=f"{prefix}_issue_key")]


class StockAdjustment(StockDocument):
    """Storage in / out (employee, approver), spoilage and manual adjustments."""

    document_type = ADJUSTMENT_TYPE
    status = models.CharField(max_length=32, db_index=True, choices=ADJUSTMENT_STATUS)
    kind = models.CharField(max_length=20, choices=AdjustmentKind.choices)
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="+")
    employee = models.CharField(max_length=120, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    counter_account = models.ForeignKey(
        "ledger.Account", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text="Account against inventory (default: INVENTORY_LOSS role)")
    total_cost = MoneyField(default=0)

    class Meta:
        ordering = ["company", "-date", "-id"]
        constraints = _doc_constraints("stockadjustment")


class StockAdjustmentLine(TenantModel):
    document = models.ForeignKey(StockAdjustment, on_delete=models.CASCADE,
                                 related_name="lines")
    line_no = models.PositiveIntegerField()
    item = models.ForeignKey("catalog.Item", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("catalog.ItemUnit", null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    quantity = QuantityField()
    unit_cost = MoneyField(null=True, blank=True, help_text="Inbound only, per entered unit")

    class Meta:
        ordering = ["document", "line_no"]


class StockTransfer(StockDocument):
    """Seed 001 transfer order: ``out`` moves the goods from ``from_warehouse`` into
    transit (out_out on the source, out_in on GOODS_IN_TRANSIT), ``receive`` brings them
    into ``to_warehouse`` (in_out of transit, in_in on the destination) at the cost the
    out step took; ``expected_cost`` and ``actual_cost`` are compared in the audit."""

    document_type = TRANSFER_TYPE
    status = models.CharField(max_length=32, db_index=True, choices=TRANSFER_STATUS)
    from_warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="+")
    to_warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="+")
    expected_cost = MoneyField(default=0)
    actual_cost = MoneyField(default=0)
    receive_entry = models.ForeignKey("ledger.JournalEntry", null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["company", "-date", "-id"]
        constraints = _doc_constraints("stocktransfer")


class StockTransferLine(TenantModel):
    document = models.ForeignKey(StockTransfer, on_delete=models.CASCADE, related_name="lines")
    line_no = models.PositiveIntegerField()
    item = models.ForeignKey("catalog.Item", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("catalog.ItemUnit", null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    quantity = QuantityField()

    class Meta:
        ordering = ["document", "line_no"]


class InventoryCount(StockDocument):
    document_type = COUNT_TYPE
    status = models.CharField(max_length=32, db_index=True, choices=COUNT_STATUS)
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="+")
    process_status = models.CharField(max_length=16, choices=ProcessStatus.choices,
                                      blank=True, default=ProcessStatus.NONE)
    process_errors = models.JSONField(default=list, blank=True)
    short_value = MoneyField(default=0)
    over_value = MoneyField(default=0)

    class Meta:
        ordering = ["company", "-date", "-id"]
        constraints = _doc_constraints("inventorycount")


class InventoryCountLine(TenantModel):
    document = models.ForeignKey(InventoryCount, on_delete=models.CASCADE,
                                 related_name="lines")
    line_no = models.PositiveIntegerField()
    item = models.ForeignKey("catalog.Item", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("catalog.ItemUnit", null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    counted = QuantityField(help_text="In the entered unit")
    expected_qty = QuantityField(default=0, help_text="Base units on hand when issued")
    short_qty = QuantityField(default=0)
    over_qty = QuantityField(default=0)

    class Meta:
        ordering = ["document", "line_no"]
