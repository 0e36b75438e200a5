"""GraphQL for inventory. Thin: input -> one service or selector call -> payload.

Permissions: warehouses under WAREHOUSES; stock on hand, the inventory ledger, the
valuation and the inventory settings under INVENTORY; storage in/out, spoilage and
adjustments under STOCK_ADJUSTMENTS; transfers under STOCK_TRANSFERS; counts under
INVENTORY_COUNTS (the lifecycle checks ``post`` for issue/void/send/receive itself)."""

from __future__ import annotations

import base64
import binascii
import datetime as dt

import strawberry
import strawberry_django
from strawberry_django.pagination import OffsetPaginated

from cuadra.access.permissions import Action, Path
from cuadra.api.base import actor, company, requires
from cuadra.api.inventory.types import (
    AdjustmentType,
    CountType,
    InventoryCountInput,
    LedgerRowType,
    RecostJobType,
    StockAdjustmentInput,
    StockRowType,
    StockTransferInput,
    TransferType,
    ValuationType,
    WarehouseFilter,
    WarehouseType,
)
from cuadra.core.errors import ValidationError
from cuadra.inventory import documents as docs
from cuadra.inventory import selectors, services
from cuadra.inventory.models import InventoryCount, StockAdjustment, StockTransfer
from cuadra.tenancy.models import Branch

W, INV = Path.WAREHOUSES, Path.INVENTORY
ADJ, TRA, CNT = Path.STOCK_ADJUSTMENTS, Path.STOCK_TRANSFERS, Path.INVENTORY_COUNTS


def _rows(rows) -> list[StockRowType]:
    return [StockRowType(item_id=r.item_id, warehouse_id=r.warehouse_id, quantity=r.quantity,
                         value=r.value, stale=r.stale) for r in rows]


def _branch(info, branch_id):
    if branch_id is None:
        return None
    found = Branch.objects.filter(company=company(info), pk=docs._pk(branch_id)).first()
    if found is None:
        raise ValidationError("No such branch in this company.", field="branchId")
    return found


def _id_or_none(info, value):
    return docs._pk(value) if value is not None else None


@strawberry.type
class InventoryQuery:
    @strawberry_django.offset_paginated(OffsetPaginated[WarehouseType],
                                        extensions=requires(W, Action.VIEW))
    def warehouses(self, info: strawberry.Info, filter: WarehouseFilter | None = None):
        qs = selectors.warehouses_list(company=company(info))
        if filter is not None and filter.is_active is not None:
            qs = qs.filter(is_active=filter.is_active)
        return qs

    @strawberry_django.field(extensions=requires(W, Action.VIEW))
    def warehouse(self, info: strawberry.Info, id: strawberry.ID) -> WarehouseType:
        return selectors.warehouse_get(company=company(info), warehouse_id=id)

    @strawberry.field(extensions=requires(INV, Action.VIEW))
    def stock_on_hand(self, info: strawberry.Info, as_of: dt.date | None = None,
                      item_id: strawberry.ID | None = None,
                      warehouse_id: strawberry.ID | None = None) -> list[StockRowType]:
        return _rows(selectors.stock_on_hand(company=company(info), as_of=as_of,
                                             item_id=_id_or_none(info, item_id),
                                             warehouse_id=_id_or_none(info, warehouse_id)))

    @strawberry.field(extensions=requires(INV, Action.VIEW))
    def inventory_ledger(self, info: strawberry.Info, item_id: strawberry.ID,
                         warehouse_id: strawberry.ID, date_from: dt.date | None = None,
                         date_to: dt.date | None = None) -> list[LedgerRowType]:
        rows = selectors.inventory_ledger(company=company(info), item_id=docs._pk(item_id),
                                          warehouse_id=docs._pk(warehouse_id),
                                          date_from=date_from, date_to=date_to)
        return [LedgerRowType(move=r.move, running_quantity=r.running_quantity,
                              running_value=r.running_value) for r in rows]

    @strawberry.field(extensions=requires(INV, Action.VIEW))
    def inventory_valuation(self, info: strawberry.Info,
                            as_of: dt.date | None = None) -> ValuationType:
        rows = selectors.stock_on_hand(company=company(info), as_of=as_of)
        return ValuationType(
            total=sum((r.value for r in rows), selectors.ZERO),
            inventory_accounts=selectors.inventory_accounts_balance(company=company(info),
                                                                    as_of=as_of),
            stale=any(r.stale for r in rows), rows=_rows(rows))

    @strawberry_django.offset_paginated(OffsetPaginated[RecostJobType],
                                        extensions=requires(INV, Action.VIEW))
    def recost_jobs(self, info: strawberry.Info, states: list[str] | None = None):
        """The re-cost queue, newest first; ``states`` e.g. ["failed"]."""
        return selectors.recost_jobs_list(company=company(info), states=states)

    @strawberry_django.offset_paginated(OffsetPaginated[AdjustmentType],
                                        extensions=requires(ADJ, Action.VIEW))
    def stock_adjustments(self, info: strawberry.Info, status: str | None = None):
        qs = StockAdjustment.objects.filter(company=company(info))
        return qs.filter(status=status) if status else qs

    @strawberry_django.field(extensions=requires(ADJ, Action.VIEW))
    def stock_adjustment(self, info: strawberry.Info, id: strawberry.ID) -> AdjustmentType:
        return selectors.stock_adjustment_get(company=company(info), adjustment_id=id)

    @strawberry_django.offset_paginated(OffsetPaginated[TransferType],
                                        extensions=requires(TRA, Action.VIEW))
    def stock_transfers(self, info: strawberry.Info, status: str | None = None):
        qs = StockTransfer.objects.filter(company=company(info))
        return qs.filter(status=status) if status else qs

    @strawberry_django.field(extensions=requires(TRA, Action.VIEW))
    def stock_transfer(self, info: strawberry.Info, id: strawberry.ID) -> TransferType:
        return selectors.stock_transfer_get(company=company(info), transfer_id=id)

    @strawberry_django.offset_paginated(OffsetPaginated[CountType],
                                        extensions=requires(CNT, Action.VIEW))
    def inventory_counts(self, info: strawberry.Info, status: str | None = None):
        qs = InventoryCount.objects.filter(company=company(info))
        return qs.filter(status=status) if status else qs

    @strawberry_django.field(extensions=requires(CNT, Action.VIEW))
    def inventory_count(self, info: strawberry.Info, id: strawberry.ID) -> CountType:
        return selectors.inventory_count_get(company=company(info), count_id=id)


def _move(info, document, action: str, comment: str = "", key: str | None = None):
    return docs.document_move(company=company(info), actor=actor(info), document=document,
                              action=action, comment=comment, idempotency_key=key)


@strawberry.type
class InventoryMutation:
    @strawberry.mutation(extensions=requires(W, Action.CREATE))
    def create_warehouse(self, info: strawberry.Info, code: str, name: str,
                         branch_id: strawberry.ID | None = None) -> WarehouseType:
        return services.warehouse_create(company=company(info), actor=actor(info), code=code,
                                         name=name, branch=_branch(info, branch_id))

    @strawberry.mutation(extensions=requires(W, Action.UPDATE))
    def update_warehouse(self, info: strawberry.Info, id: strawberry.ID,
                         code: str | None = None, name: str | None = None,
                         is_active: bool | None = None) -> WarehouseType:
        wh = selectors.warehouse_get(company=company(info), warehouse_id=id)
        changes = {k: v for k, v in {"code": code, "name": name,
                                     "is_active": is_active}.items() if v is not None}
        return services.warehouse_update(company=company(info), actor=actor(info),
                                         warehouse=wh, **changes)

    @strawberry.mutation(extensions=requires(INV, Action.UPDATE))
    def update_inventory_settings(self, info: strawberry.Info,
                                  allow_negative_stock: bool) -> bool:
        row = services.inventory_settings_update(company=company(info), actor=actor(info),
                                                 allow_negative_stock=allow_negative_stock)
        return row.allow_negative_stock

    @strawberry.mutation(extensions=requires(INV, Action.UPDATE))
    def retry_recost_job(self, info: strawberry.Info, id: strawberry.ID) -> RecostJobType:
        """Queue a failed or stalled re-cost job again (it resumes from its cursor)."""
        return services.recost_job_retry(company=company(info), actor=actor(info), job_id=id)

    # --- storage in / out, spoilage, adjustments -----------------------------------------

    @strawberry.mutation(extensions=requires(ADJ, Action.CREATE))
    def create_stock_adjustment(self, info: strawberry.Info,
                                input: StockAdjustmentInput) -> AdjustmentType:
        return docs.stock_adjustment_create(
            company=company(info), actor=actor(info), kind=input.kind,
            warehouse=input.warehouse_id, date=input.date, employee=input.employee,
            notes=input.notes, counter_account=input.counter_account_id,
            lines=[li.as_data() for li in input.lines])

    @strawberry.mutation(extensions=requires(ADJ, Action.POST))
    def issue_stock_adjustment(self, info: strawberry.Info, id: strawberry.ID,
                               idempotency_key: str | None = None) -> AdjustmentType:
        doc = selectors.stock_adjustment_get(company=company(info), adjustment_id=id)
        return _move(info, doc, "issue", key=idempotency_key)

    @strawberry.mutation(extensions=requires(ADJ, Action.POST))
    def void_stock_adjustment(self, info: strawberry.Info, id: strawberry.ID,
                              reason: str) -> AdjustmentType:
        doc = selectors.stock_adjustment_get(company=company(info), adjustment_id=id)
        return _move(info, doc, "void", comment=reason)

    # --- transfers -----------------------------------------------------------------------

    @strawberry.mutation(extensions=requires(TRA, Action.CREATE))
    def create_stock_transfer(self, info: strawberry.Info,
                              input: StockTransferInput) -> TransferType:
        return docs.stock_transfer_create(
            company=company(info), actor=actor(info), from_warehouse=input.from_warehouse_id,
            to_warehouse=input.to_warehouse_id, date=input.date, notes=input.notes,
            lines=[li.as_data() for li in input.lines])

    @strawberry.mutation(extensions=requires(TRA, Action.POST))
    def move_stock_transfer(self, info: strawberry.Info, id: strawberry.ID, action: str,
                            comment: str = "",
                            idempotency_key: str | None = None) -> TransferType:
        """send (out: into transit), receive (in), audit, confirm, void (from transit),
        cancel (a draft)."""
        doc = selectors.stock_transfer_get(company=company(info), transfer_id=id)
        return _move(info, doc, action, comment=comment, key=idempotency_key)

    # --- counts --------------------------------------------------------------------------

    @strawberry.mutation(extensions=requires(CNT, Action.CREATE))
    def create_inventory_count(self, info: strawberry.Info,
                               input: InventoryCountInput) -> CountType:
        return docs.inventory_count_create(
            company=company(info), actor=actor(info), warehouse=input.warehouse_id,
            date=input.date, notes=input.notes,
            lines=[li.as_data() for li in input.lines or []])

    @strawberry.mutation(extensions=requires(CNT, Action.UPDATE))
    def import_inventory_count(self, info: strawberry.Info, id: strawberry.ID, content: str,
                               filename: str = "count.csv",
                               base64_encoded: bool = False) -> CountType:
        """Rows ``sku, counted[, unit code]`` as CSV text, or a CSV/XLSX file in base64."""
        doc = selectors.inventory_count_get(company=company(info), count_id=id)
        try:
            data = base64.b64decode(content, validate=True) if base64_encoded else \
                content.encode()
        except (binascii.Error, ValueError):
            raise ValidationError("The content is not base64.", field="content") from None
        return docs.inventory_count_import(company=company(info), actor=actor(info),
                                           count=doc, content=data, filename=filename)

    @strawberry.mutation(extensions=requires(CNT, Action.POST))
    def issue_inventory_count(self, info: strawberry.Info, id: strawberry.ID,
                              idempotency_key: str | None = None) -> CountType:
        doc = selectors.inventory_count_get(company=company(info), count_id=id)
        return _move(info, doc, "issue", key=idempotency_key)

    @strawberry.mutation(extensions=requires(CNT, Action.POST))
    def void_inventory_count(self, info: strawberry.Info, id: strawberry.ID,
                             reason: str) -> CountType:
        doc = selectors.inventory_count_get(company=company(info), count_id=id)
        return _move(info, doc, "void", comment=reason)
