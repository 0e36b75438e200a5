"""GraphQL types of inventory: warehouses, stock rows, ledger rows, documents. Amounts and
quantities go out as the exact ``Amount`` string; inputs take the Decimal scalar."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import strawberry
import strawberry_django

from cuadra.api.ledger.types import Amount
from cuadra.inventory import models as m


@strawberry_django.type(m.Location, name="Location")
class LocationType:
    id: strawberry.ID
    code: str
    name: str
    is_active: bool


@strawberry_django.type(m.Warehouse, name="Warehouse")
class WarehouseType:
    id: strawberry.ID
    code: str
    name: str
    is_active: bool
    locations: list[LocationType]

    @strawberry.field
    def branch_id(self) -> strawberry.ID | None:
        return self.branch_id


@strawberry_django.filter_type(m.Warehouse, lookups=False)
class WarehouseFilter:
    is_active: bool | None


@strawberry_django.type(m.RecostJob, name="RecostJob")
class RecostJobType:
    """One entry of the re-cost queue: the later issues of an item in a warehouse,
    re-costed after a backdated move; its valuation is stale until ``state`` is done."""

    id: strawberry.ID
    from_date: dt.date
    state: str
    moves_recosted: int
    difference: Amount
    error: str
    created_at: dt.datetime
    updated_at: dt.datetime

    @strawberry.field
    def item_id(self) -> strawberry.ID:
        return self.item_id

    @strawberry.field
    def item_sku(self) -> str:
        return self.item.sku

    @strawberry.field
    def warehouse_id(self) -> strawberry.ID:
        return self.warehouse_id

    @strawberry.field
    def warehouse_code(self) -> str:
        return self.warehouse.code


@strawberry.type(name="StockOnHand")
class StockRowType:
    item_id: strawberry.ID
    warehouse_id: strawberry.ID
    quantity: Amount
    value: Amount
    stale: bool = strawberry.field(description="A re-cost job for this item and warehouse "
                                               "has not finished: the value may change")


@strawberry_django.type(m.StockMove, name="StockMove")
class StockMoveType:
    id: strawberry.ID
    date: dt.date
    kind: str
    quantity: Amount
    unit_cost: Amount
    value: Amount
    source_type: str
    source_id: str

    @strawberry.field
    def item_id(self) -> strawberry.ID:
        return self.item_id

    @strawberry.field
    def warehouse_id(self) -> strawberry.ID:
        return self.warehouse_id


@strawberry.type(name="InventoryLedgerRow")
class LedgerRowType:
    move: StockMoveType
    running_quantity: Amount
    running_value: Amount


@strawberry.type(name="InventoryValuation")
class ValuationType:
    total: Amount
    inventory_accounts: Amount
    stale: bool
    rows: list[StockRowType]


@strawberry.interface(name="StockDocumentLine")
class LineFields:
    id: strawberry.ID
    line_no: int

    @strawberry.field
    def item_id(self) -> strawberry.ID:
        return self.item_id

    @strawberry.field
    def unit_id(self) -> strawberry.ID | None:
        return self.unit_id


@strawberry_django.type(m.StockAdjustmentLine, name="StockAdjustmentLine")
class AdjustmentLineType(LineFields):
    quantity: Amount
    unit_cost: Amount | None


@strawberry_django.type(m.StockTransferLine, name="StockTransferLine")
class TransferLineType(LineFields):
    quantity: Amount


@strawberry_django.type(m.InventoryCountLine, name="InventoryCountLine")
class CountLineType(LineFields):
    counted: Amount
    expected_qty: Amount
    short_qty: Amount
    over_qty: Amount


@strawberry.interface(name="StockDocument")
class DocumentFields:
    id: strawberry.ID
    status: str
    number: str
    date: dt.date
    notes: str

    @strawberry.field
    def journal_entry_id(self) -> strawberry.ID | None:
        return self.journal_entry_id


@strawberry_django.type(m.StockAdjustment, name="StockAdjustment")
class AdjustmentType(DocumentFields):
    kind: str
    employee: str
    total_cost: Amount
    lines: list[AdjustmentLineType]

    @strawberry.field
    def warehouse_id(self) -> strawberry.ID:
        return self.warehouse_id


@strawberry_django.type(m.StockTransfer, name="StockTransfer")
class TransferType(DocumentFields):
    expected_cost: Amount
    actual_cost: Amount
    lines: list[TransferLineType]

    @strawberry.field
    def cost_difference(self) -> Amount:
        return self.actual_cost - self.expected_cost

    @strawberry.field
    def from_warehouse_id(self) -> strawberry.ID:
        return self.from_warehouse_id

    @strawberry.field
    def to_warehouse_id(self) -> strawberry.ID:
        return self.to_warehouse_id


@strawberry.type(name="ImportProblem")
class ImportProblemType:
    row: int
    message: str


@strawberry_django.type(m.InventoryCount, name="InventoryCount")
class CountType(DocumentFields):
    process_status: str
    short_value: Amount
    over_value: Amount
    lines: list[CountLineType]

    @strawberry.field
    def process_errors(self) -> list[ImportProblemType]:
        return [ImportProblemType(row=p["row"], message=p["message"])
                for p in self.process_errors]

    @strawberry.field
    def warehouse_id(self) -> strawberry.ID:
        return self.warehouse_id


@strawberry.input
class StockLineInput:
    item_id: strawberry.ID
    quantity: Decimal
    unit_id: strawberry.ID | None = None
    unit_cost: Decimal | None = None

    def as_data(self) -> dict:
        return {"item_id": self.item_id, "unit_id": self.unit_id, "quantity": self.quantity,
                "unit_cost": self.unit_cost}


@strawberry.input
class CountLineInput:
    item_id: strawberry.ID
    counted: Decimal
    unit_id: strawberry.ID | None = None

    def as_data(self) -> dict:
        return {"item_id": self.item_id, "unit_id": self.unit_id, "counted": self.counted}


@strawberry.input
class StockAdjustmentInput:
    kind: str
    warehouse_id: strawberry.ID
    date: dt.date
    lines: list[StockLineInput]
    employee: str = ""
    notes: str = ""
    counter_account_id: strawberry.ID | None = None


@strawberry.input
class StockTransferInput:
    from_warehouse_id: strawberry.ID
    to_warehouse_id: strawberry.ID
    date: dt.date
    lines: list[StockLineInput]
    notes: str = ""


@strawberry.input
class InventoryCountInput:
    warehouse_id: strawberry.ID
    date: dt.date
    lines: list[CountLineInput] | None = None
    notes: str = ""
