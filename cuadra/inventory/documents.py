"""Inventory documents through the lifecycle machinery: storage in/out, spoilage and
manual adjustments (one model, ``kind``), transfers between warehouses, inventory counts.

Each takes its number from its series (STOCK_ADJUSTMENT / STOCK_TRANSFER /
INVENTORY_COUNT) at the stage that moves stock, makes its moves through
:mod:`cuadra.inventory.services`, and posts one entry through the posting service:

* adjustment out / spoilage: Dr counter (INVENTORY_LOSS by default) / Cr inventory;
  adjustment in / storage in: Dr inventory / Cr counter, at the entered unit cost;
* transfer ``send`` (seed out_out + out_in): Dr GOODS_IN_TRANSIT / Cr inventory at FIFO
  cost (the *expected* cost); ``receive`` (in_out + in_in): Dr inventory / Cr
  GOODS_IN_TRANSIT with the value that left (the *actual* cost of the layers created);
  ``audit`` compares them (``cost_difference``);
* count: short quantities are issued, over quantities received at the last unit cost;
  one entry nets both against INVENTORY_LOSS.

``void`` reverses the moves (``stock_reverse``) and the entry (``journal_entry_reverse``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from decimal import Decimal

from django.db import transaction

from cuadra.catalog.models import Item, ItemUnit
from cuadra.core.audit import audit_create
from cuadra.core.errors import ErrorCollector, ValidationError
from cuadra.core.money import ZERO, to_decimal
from cuadra.documents import lifecycle
from cuadra.documents.presets import LEDGER, SIMPLE, STOCK
from cuadra.inventory import posting, selectors, services
from cuadra.inventory.enums import (
    ADJUSTMENT_TYPE,
    COUNT_TYPE,
    INBOUND_KINDS,
    TRANSFER_TYPE,
    AdjustmentKind,
    ProcessStatus,
)
from cuadra.inventory.models import (
    InventoryCount,
    InventoryCountLine,
    StockAdjustment,
    StockAdjustmentLine,
    StockMove,
    StockTransfer,
    StockTransferLine,
    Warehouse,
)
from cuadra.inventory.workflows import (
    ADJUSTMENT_WORKFLOWS,
    COUNT_WORKFLOWS,
    RECEIVE_STAGE,
    SEND_STAGE,
    TRANSFER,
    TRANSFER_WORKFLOWS,
)
from cuadra.ledger.enums import AccountRole
from cuadra.ledger.services import journal_entry_reverse
from cuadra.sequences.services import sequence_next

LINE_MODELS = {ADJUSTMENT_TYPE: StockAdjustmentLine, TRANSFER_TYPE: StockTransferLine,
               COUNT_TYPE: InventoryCountLine}


def register() -> None:
    posting.register_counter_role(ADJUSTMENT_TYPE, AccountRole.INVENTORY_LOSS)
    posting.register_counter_role(COUNT_TYPE, AccountRole.INVENTORY_LOSS)
    posting.register_counter_role(TRANSFER_TYPE, AccountRole.GOODS_IN_TRANSIT)
    lifecycle.register_document_type(ADJUSTMENT_TYPE, model=StockAdjustment,
                                     workflows=ADJUSTMENT_WORKFLOWS, default_workflow=SIMPLE)
    lifecycle.register_effect(ADJUSTMENT_TYPE, STOCK, apply=_adjustment_stock,
                              compensate=_stock_reverse, name="inventory.stock")
    lifecycle.register_effect(ADJUSTMENT_TYPE, LEDGER, apply=_adjustment_post,
                              compensate=_entry_reverse, name="inventory.ledger")
    lifecycle.register_document_type(COUNT_TYPE, model=InventoryCount,
                                     workflows=COUNT_WORKFLOWS, default_workflow=SIMPLE)
    lifecycle.register_effect(COUNT_TYPE, STOCK, apply=_count_stock,
                              compensate=_stock_reverse, name="inventory.stock")
    lifecycle.register_effect(COUNT_TYPE, LEDGER, apply=_count_post,
                              compensate=_entry_reverse, name="inventory.ledger")
    lifecycle.register_document_type(TRANSFER_TYPE, model=StockTransfer,
                                     workflows=TRANSFER_WORKFLOWS, default_workflow=TRANSFER)
    lifecycle.register_effect(TRANSFER_TYPE, SEND_STAGE, apply=_transfer_send,
                              compensate=_transfer_unsend, name="inventory.send")
    lifecycle.register_effect(TRANSFER_TYPE, RECEIVE_STAGE, apply=_transfer_receive,
                              compensate=None, name="inventory.receive")


# --- shared effect helpers -------------------------------------------------------------------

def _number(ctx) -> None:
    doc = ctx.document
    if not doc.lines.exists():
        raise ValidationError("A document with no lines is not issued.", field="lines")
    if not doc.number:
        doc.number = sequence_next(company=ctx.company, document_type=doc.document_type,
                                   date=doc.date, object_type=doc._meta.label,
                                   object_id=doc.pk)
        doc.save(update_fields=["number", "updated_at"])


def _moves(doc) -> list[StockMove]:
    return list(StockMove.objects.filter(company=doc.company, source_type=doc.document_type,
                                         source_id=str(doc.pk), reversals__isnull=True,
                                         kind__in=["receipt", "issue"])
                .select_related("item").order_by("id"))


def _stock_reverse(ctx) -> None:
    services.stock_reverse(company=ctx.company, actor=ctx.actor,
                           source_type=ctx.document.document_type, source_id=ctx.document.pk)


def _entry_reverse(ctx, field: str = "journal_entry") -> None:
    doc = ctx.document
    entry = getattr(doc, field)
    if entry is None:
        return
    journal_entry_reverse(company=ctx.company, actor=ctx.actor, entry=entry, date=doc.date,
                          memo=f"{ctx.transition.action} {doc.number}: {ctx.comment}")
    setattr(doc, field, None)
    doc.save(update_fields=[field, "updated_at"])


def _post(ctx, amounts, *, field: str = "journal_entry", step: str = "post") -> None:
    doc = ctx.document
    entry = posting.post(company=ctx.company, actor=ctx.actor, date=doc.date,
                         reference=doc.number, memo=f"{doc.document_type} {doc.number}",
                         source_type=doc.document_type, source_id=doc.pk, amounts=amounts,
                         key=f"{doc.document_type}:{doc.pk}:{step}:{_posts(doc)}")
    setattr(doc, field, entry)
    doc.save(update_fields=[field, "updated_at"])


def _posts(doc) -> int:
    from cuadra.ledger.models import JournalEntry

    return JournalEntry.objects.filter(company=doc.company, source_type=doc.document_type,
                                       source_id=str(doc.pk)).count()


# --- adjustments ---------------------------------------------------------------------------

def _adjustment_stock(ctx) -> None:
    _number(ctx)
    doc: StockAdjustment = ctx.document
    total = ZERO
    for line in doc.lines.select_related("item", "unit").order_by("line_no"):
        common = dict(company=ctx.company, actor=ctx.actor, item=line.item,
                      warehouse=doc.warehouse, quantity=line.quantity, unit=line.unit,
                      date=doc.date, source_type=doc.document_type, source_id=doc.pk)
        if doc.kind in INBOUND_KINDS:
            move = services.stock_receive(unit_cost=line.unit_cost, **common)
        else:
            move = services.stock_issue(**common)
        total += abs(move.value)
    doc.total_cost = total
    doc.approved_by = doc.approved_by or ctx.actor  # seed 001: who approved the movement
    doc.save(update_fields=["total_cost", "approved_by", "updated_at"])


def _adjustment_post(ctx) -> None:
    doc: StockAdjustment = ctx.document
    counter = doc.counter_account_id or posting.role_account(
        ctx.company, AccountRole.INVENTORY_LOSS, "counterAccountId").pk
    amounts: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for move in _moves(doc):
        amounts[posting.inventory_account_id(move.item)] += move.value
        amounts[counter] -= move.value
    _post(ctx, amounts)


# --- counts ----------------------------------------------------------------------------------

def _count_stock(ctx) -> None:
    _number(ctx)
    doc: InventoryCount = ctx.document
    short = over = ZERO
    for line in doc.lines.select_related("item", "unit").order_by("line_no"):
        factor = line.unit.factor_to_base if line.unit_id else Decimal(1)
        expected = selectors.stock_quantity(company=ctx.company, item=line.item,
                                            warehouse=doc.warehouse, as_of=doc.date)
        diff = line.counted * factor - expected
        common = dict(company=ctx.company, actor=ctx.actor, item=line.item,
                      warehouse=doc.warehouse, quantity=abs(diff), date=doc.date,
                      source_type=doc.document_type, source_id=doc.pk)
        if diff < 0:
            short -= services.stock_issue(**common).value
        elif diff > 0:
            cost = (services._last_unit_cost(ctx.company, line.item, doc.warehouse)
                    or line.item.cost or ZERO)
            over += services.stock_receive(unit_cost=cost, **common).value
        line.expected_qty = expected
        line.short_qty, line.over_qty = max(-diff, ZERO), max(diff, ZERO)
        line.save(update_fields=["expected_qty", "short_qty", "over_qty", "updated_at"])
    doc.short_value, doc.over_value = short, over
    doc.save(update_fields=["short_value", "over_value", "updated_at"])


def _count_post(ctx) -> None:
    loss = posting.role_account(ctx.company, AccountRole.INVENTORY_LOSS, "account").pk
    amounts: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for move in _moves(ctx.document):
        amounts[posting.inventory_account_id(move.item)] += move.value
        amounts[loss] -= move.value
    _post(ctx, amounts)


# --- transfers -------------------------------------------------------------------------------

def _transfer_send(ctx) -> None:
    _number(ctx)
    doc: StockTransfer = ctx.document
    transit = posting.role_account(ctx.company, AccountRole.GOODS_IN_TRANSIT, "account").pk
    amounts: dict[int, Decimal] = defaultdict(lambda: ZERO)
    expected = ZERO
    for line in doc.lines.select_related("item", "unit").order_by("line_no"):
        move = services.stock_issue(company=ctx.company, actor=ctx.actor, item=line.item,
                                    warehouse=doc.from_warehouse, quantity=line.quantity,
                                    unit=line.unit, date=doc.date,
                                    source_type=doc.document_type, source_id=doc.pk)
        expected -= move.value
        amounts[posting.inventory_account_id(line.item)] += move.value  # out_out
        amounts[transit] -= move.value  # out_in
    doc.expected_cost = expected
    doc.save(update_fields=["expected_cost", "updated_at"])
    _post(ctx, amounts, step="send")


def _transfer_unsend(ctx) -> None:
    _stock_reverse(ctx)
    _entry_reverse(ctx)


def _transfer_receive(ctx) -> None:
    doc: StockTransfer = ctx.document
    transit = posting.role_account(ctx.company, AccountRole.GOODS_IN_TRANSIT, "account").pk
    amounts: dict[int, Decimal] = defaultdict(lambda: ZERO)
    actual = ZERO
    issues = [m for m in _moves(doc) if m.warehouse_id == doc.from_warehouse_id]
    for out in issues:
        move = services.stock_receive(
            company=ctx.company, actor=ctx.actor, item=out.item, warehouse=doc.to_warehouse,
            quantity=-out.quantity, unit_cost=out.unit_cost, value=-out.value,
            date=doc.date, source_type=doc.document_type, source_id=doc.pk)
        actual += move.value
        amounts[posting.inventory_account_id(out.item)] += move.value  # in_in
        amounts[transit] -= move.value  # in_out
    doc.actual_cost = actual
    doc.save(update_fields=["actual_cost", "updated_at"])
    _post(ctx, amounts, field="receive_entry", step="receive")


def transfer_cost_difference(transfer: StockTransfer) -> Decimal:
    """The audit's comparison: actual minus expected cost (0 when nothing was lost)."""
    return transfer.actual_cost - transfer.expected_cost


# --- create / move services ----------------------------------------------------------------

_pk = services.pk_or_none


def _line_values(errors: ErrorCollector, company, i: int, data: dict, *, qty_key: str,
                 needs_cost: bool = False) -> dict:
    path = f"lines[{i}]."
    item = data.get("item")
    if not isinstance(item, Item):
        item = Item.objects.filter(company=company, pk=_pk(data.get("item_id"))).first()
    if item is None or item.company_id != company.pk:
        errors.add(f"{path}itemId", "No such item in this company.")
    unit = data.get("unit")
    if unit is None and data.get("unit_id") is not None:
        unit = ItemUnit.objects.filter(company=company, pk=_pk(data["unit_id"])).first()
        if unit is None:
            errors.add(f"{path}unitId", "No such unit level.")
    if unit is not None and item is not None and unit.item_id != item.pk:
        errors.add(f"{path}unitId", "This unit level belongs to another item.")
    qty = None
    try:
        qty = to_decimal(data.get(qty_key))
        if not qty.is_finite() or qty < 0 or (qty == 0 and qty_key == "quantity"):
            errors.add(f"{path}{qty_key}", "Use a quantity above zero.")
    except (TypeError, ValueError):
        errors.add(f"{path}{qty_key}", "A quantity is a decimal string, never a float.")
    cost = None
    if needs_cost:
        try:
            cost = to_decimal(data.get("unit_cost"))
            if not cost.is_finite() or cost < 0:
                errors.add(f"{path}unitCost", "A unit cost is zero or more.")
        except (TypeError, ValueError):
            errors.add(f"{path}unitCost", "An inbound line needs a unit cost (a decimal "
                                          "string).")
    return {"item": item, "unit": unit, qty_key: qty, **({"unit_cost": cost}
                                                            if needs_cost else {})}


def _warehouse(errors, company, value, field: str) -> Warehouse | None:
    wh = value if isinstance(value, Warehouse) else Warehouse.objects.filter(
        company=company, pk=_pk(value)).first()
    if wh is None or wh.company_id != company.pk:
        errors.add(field, "No such warehouse in this company.")
        return None
    if not wh.is_active:
        errors.add(field, "The warehouse is inactive.")
    return wh


def _check_date(errors: ErrorCollector, date) -> None:
    if not isinstance(date, dt.date):
        errors.add("date", "A stock document needs a date.")


def _create(model, *, company, actor, header: dict, lines: list[dict], operation: str):
    doc = model.objects.create(company=company, created_by=actor, **header)
    line_model = LINE_MODELS[model.document_type]
    line_model.objects.bulk_create([line_model(company=company, document=doc, line_no=i + 1,
                                               **li) for i, li in enumerate(lines)])
    audit_create(actor=actor, company_id=company.pk, obj=doc, operation=operation)
    return doc


@transaction.atomic
def stock_adjustment_create(*, company, actor, kind: str, warehouse, date, lines: list[dict],
                            employee: str = "", approved_by=None, counter_account=None,
                            notes: str = "") -> StockAdjustment:
    errors = ErrorCollector()
    if kind not in AdjustmentKind.values:
        errors.add("kind", f"Choose one of {', '.join(AdjustmentKind.values)}.")
    wh = _warehouse(errors, company, warehouse, "warehouseId")
    _check_date(errors, date)
    if counter_account is not None and not hasattr(counter_account, "pk"):
        from cuadra.ledger.models import Account

        counter_account = Account.objects.filter(company=company, is_group=False,
                                                 pk=_pk(counter_account)).first()
        if counter_account is None:
            errors.add("counterAccountId", "No such postable account in this company.")
    elif counter_account is not None and counter_account.company_id != company.pk:
        errors.add("counterAccountId", "No such account in this company.")
    if not lines:
        errors.add("lines", "Add at least one line.")
    values = [_line_values(errors, company, i, li, qty_key="quantity",
                           needs_cost=kind in INBOUND_KINDS) for i, li in enumerate(lines)]
    errors.raise_if_any()
    return _create(StockAdjustment, company=company, actor=actor, lines=values,
                   operation="stock_adjustment_create",
                   header=dict(kind=kind, warehouse=wh, date=date, employee=employee,
                               approved_by=approved_by, counter_account=counter_account,
                               notes=notes))


@transaction.atomic
def stock_transfer_create(*, company, actor, from_warehouse, to_warehouse, date,
                          lines: list[dict], notes: str = "") -> StockTransfer:
    errors = ErrorCollector()
    src = _warehouse(errors, company, from_warehouse, "fromWarehouseId")
    _check_date(errors, date)
    dst = _warehouse(errors, company, to_warehouse, "toWarehouseId")
    if src is not None and src == dst:
        errors.add("toWarehouseId", "A transfer goes to another warehouse.")
    if not lines:
        errors.add("lines", "Add at least one line.")
    values = [_line_values(errors, company, i, li, qty_key="quantity")
              for i, li in enumerate(lines)]
    errors.raise_if_any()
    return _create(StockTransfer, company=company, actor=actor, lines=values,
                   operation="stock_transfer_create",
                   header=dict(from_warehouse=src, to_warehouse=dst, date=date, notes=notes))


@transaction.atomic
def inventory_count_create(*, company, actor, warehouse, date, lines: list[dict] | None = None,
                           notes: str = "") -> InventoryCount:
    errors = ErrorCollector()
    wh = _warehouse(errors, company, warehouse, "warehouseId")
    _check_date(errors, date)
    values = [_line_values(errors, company, i, li, qty_key="counted")
              for i, li in enumerate(lines or [])]
    errors.raise_if_any()
    return _create(InventoryCount, company=company, actor=actor, lines=values,
                   operation="inventory_count_create",
                   header=dict(warehouse=wh, date=date, notes=notes))


def _read_rows(content: bytes, filename: str) -> list[list[str]]:
    if filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
        return [["" if c is None else (str(c) if not isinstance(c, float) else repr(c))
                 for c in row] for row in sheet.iter_rows(values_only=True)]
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


@transaction.atomic
def inventory_count_import(*, company, actor, count: InventoryCount, content: bytes,
                           filename: str = "count.csv") -> InventoryCount:
    """Replace a draft count's lines from CSV/XLSX rows ``sku, counted[, unit code]`` (a
    header row is skipped). Every bad row is reported in ``process_errors`` with
    ``process_status = error`` and the lines are left as they were; otherwise
    ``final``."""
    doc = InventoryCount.objects.select_for_update().get(pk=count.pk, company=company)
    if doc.status != "draft":
        raise ValidationError("Only a draft count takes an import.", field="id")
    problems, lines = [], []
    rows = _read_rows(content, filename)
    if rows and rows[0] and rows[0][0].strip().lower() in ("sku", "item", "codigo", "código"):
        rows = rows[1:]
    items = {i.sku: i for i in Item.objects.filter(company=company)}
    for n, row in enumerate(rows, start=1):
        if not any(c.strip() for c in row):
            continue
        sku = row[0].strip()
        item = items.get(sku)
        if item is None:
            problems.append({"row": n, "message": f"unknown SKU {sku!r}"})
            continue
        unit = None
        if len(row) > 2 and row[2].strip():
            unit = ItemUnit.objects.filter(company=company, item=item,
                                           code=row[2].strip()).first()
            if unit is None:
                problems.append({"row": n, "message": f"{sku}: unknown unit {row[2]!r}"})
                continue
        try:
            counted = to_decimal(row[1] if len(row) > 1 else "")
            if not counted.is_finite() or counted < 0:
                raise ValueError
        except (TypeError, ValueError, ArithmeticError):
            problems.append({"row": n, "message": f"{sku}: bad quantity"})
            continue
        lines.append(InventoryCountLine(company=company, document=doc, line_no=len(lines) + 1,
                                        item=item, unit=unit, counted=counted))
    if problems:
        doc.process_status, doc.process_errors = ProcessStatus.ERROR, problems
    else:
        doc.lines.all().delete()
        InventoryCountLine.objects.bulk_create(lines)
        doc.process_status, doc.process_errors = ProcessStatus.FINAL, []
    doc.save(update_fields=["process_status", "process_errors", "updated_at"])
    return doc


def document_move(*, company, actor, document, action: str, comment: str = "",
                  idempotency_key: str | None = None):
    """Run a lifecycle action; with a key, a retry returns the document moved first."""
    if idempotency_key:
        seen = type(document).objects.filter(company=company,
                                             issue_key=idempotency_key).first()
        if seen is not None:
            return seen
        with transaction.atomic():
            locked = type(document).objects.select_for_update().get(pk=document.pk)
            locked.issue_key = idempotency_key
            locked.save(update_fields=["issue_key", "updated_at"])
            return lifecycle.transition(document=locked, action=action, actor=actor,
                                        comment=comment)
    return lifecycle.transition(document=document, action=action, actor=actor,
                                comment=comment)
