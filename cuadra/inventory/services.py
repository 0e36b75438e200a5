"""Stock writes other domains call, inside their own transaction (keyword-only, company
and actor first). Costing is :mod:`cuadra.inventory.valuation`; this module only loads
the live layers of one (company, item, warehouse) under a row lock, runs the queue and
writes back what it changed.

Locking: ``stock_issue`` locks the live layers of (company, item, warehouse) dated up to
the issue, in FIFO order (date, id), with ``SELECT ... FOR UPDATE OF`` the layer rows only.
Two issues of one item and warehouse queue behind each other; issues of different items
or warehouses touch disjoint rows and never wait on each other.

Values: every service returns what the caller posts. ``stock_receive`` -> the move
(``move.value`` is Dr inventory); ``stock_issue`` -> the move (``-move.value`` is the cost
of what left); ``stock_reverse`` -> the signed sum of the reversing moves;
``layers_revalue`` -> a :class:`Revaluation` (inventory part and consumed part).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone

from cuadra.catalog.enums import ItemKind
from cuadra.catalog.models import Item, ItemUnit
from cuadra.core.audit import audit_create, audit_create_many, audit_update, snapshot
from cuadra.core.errors import (
    Conflict,
    DomainError,
    ErrorCollector,
    NotFound,
    ValidationError,
)
from cuadra.core.events import publish_on_commit
from cuadra.core.money import MONEY_PLACES, ZERO, to_decimal
from cuadra.inventory import valuation
from cuadra.inventory.enums import DEFAULT_WAREHOUSE, INSUFFICIENT_STOCK, MoveKind, RecostState
from cuadra.inventory.models import (
    CostLayer,
    InventorySettings,
    LayerConsumption,
    Location,
    RecostJob,
    StockMove,
    StockSnapshot,
    Warehouse,
)
from cuadra.tenancy.models import Branch

COST_QUANTUM = Decimal(1).scaleb(-MONEY_PLACES)
QUANTUM = valuation.CENT


class InsufficientStock(DomainError):
    code = INSUFFICIENT_STOCK


@dataclass(frozen=True)
class Revaluation:
    inventory_delta: Decimal  # change of the value still in stock (Dr/Cr inventory)
    consumed_delta: Decimal  # change for the quantity already issued (cost of sales)
    moves: list[StockMove]

    @property
    def total(self) -> Decimal:
        return self.inventory_delta + self.consumed_delta


# --- company setup, settings, warehouses -----------------------------------------------------

def company_inventory_setup(*, company, actor=None) -> None:
    """Company-created hook: the settings row and the default PRINCIPAL warehouse."""
    InventorySettings.objects.get_or_create(company=company)
    if not Warehouse.objects.filter(company=company, code=DEFAULT_WAREHOUSE).exists():
        branch = Branch.objects.filter(company=company).order_by("code").first()
        warehouse = Warehouse.objects.create(company=company, code=DEFAULT_WAREHOUSE,
                                             name="Bodega principal", branch=branch)
        audit_create(actor=actor, company_id=company.pk, obj=warehouse,
                     operation="company_inventory_setup")


def inventory_settings_get(*, company) -> InventorySettings:
    found, _ = InventorySettings.objects.get_or_create(company=company)
    return found


@transaction.atomic
def inventory_settings_update(*, company, actor, allow_negative_stock: bool
                              ) -> InventorySettings:
    row = InventorySettings.objects.select_for_update().get(pk=inventory_settings_get(
        company=company).pk)
    before = snapshot(row)
    row.allow_negative_stock = bool(allow_negative_stock)
    row.save()
    audit_update(actor=actor, company_id=company.pk, obj=row, before=before,
                 operation="inventory_settings_update")
    return row


def _validate_warehouse(errors, *, company, code: str, name: str, branch, exclude_pk=None):
    if not code or len(code) > 20:
        errors.add("code", "A warehouse code has 1 to 20 characters.")
    elif Warehouse.objects.filter(company=company, code=code).exclude(pk=exclude_pk).exists():
        errors.add("code", "This warehouse code exists in the company.")
    if not name.strip():
        errors.add("name", "A warehouse needs a name.")
    if branch is not None and branch.company_id != company.pk:
        errors.add("branchId", "No such branch in this company.")


@transaction.atomic
def warehouse_create(*, company, actor, code: str, name: str, branch=None) -> Warehouse:
    code = (code or "").strip().upper()
    errors = ErrorCollector()
    _validate_warehouse(errors, company=company, code=code, name=name or "", branch=branch)
    errors.raise_if_any()
    warehouse = Warehouse.objects.create(company=company, code=code, name=name.strip(),
                                         branch=branch)
    audit_create(actor=actor, company_id=company.pk, obj=warehouse, operation="warehouse_create")
    return warehouse


@transaction.atomic
def warehouse_update(*, company, actor, warehouse: Warehouse, **changes) -> Warehouse:
    row = Warehouse.objects.select_for_update().get(pk=warehouse.pk, company=company)
    before = snapshot(row)
    values = {"code": (changes.get("code") or row.code).strip().upper(),
              "name": changes.get("name", row.name) or "",
              "branch": changes.get("branch", row.branch)}
    errors = ErrorCollector()
    _validate_warehouse(errors, company=company, exclude_pk=row.pk, **values)
    errors.raise_if_any()
    row.code, row.name, row.branch = values["code"], values["name"].strip(), values["branch"]
    if "is_active" in changes and changes["is_active"] is not None:
        row.is_active = bool(changes["is_active"])
    row.save()
    audit_update(actor=actor, company_id=company.pk, obj=row, before=before,
                 operation="warehouse_update")
    return row


@transaction.atomic
def location_create(*, company, actor, warehouse: Warehouse, code: str, name: str = ""
                    ) -> Location:
    code = (code or "").strip().upper()
    if not code or len(code) > 20:
        raise ValidationError("A location code has 1 to 20 characters.", field="code")
    if Location.objects.filter(company=company, warehouse=warehouse, code=code).exists():
        raise ValidationError("This location exists in the warehouse.", field="code")
    location = Location.objects.create(company=company, warehouse=warehouse, code=code,
                                       name=name.strip())
    audit_create(actor=actor, company_id=company.pk, obj=location, operation="location_create")
    return location


# --- input checks ----------------------------------------------------------------------------

def _check_common(*, company, item, warehouse, quantity, unit, date, source_type, source_id,
                  path: str = "") -> tuple[Decimal, Decimal]:
    """Validated (base quantity, factor to base). Refuses foreign rows, services, floats,
    quantities <= 0, a unit of another item."""
    errors = ErrorCollector()
    if not isinstance(item, Item) or item.company_id != company.pk:
        errors.add(f"{path}itemId", "No such item in this company.")
    elif item.kind != ItemKind.GOODS:
        errors.add(f"{path}itemId", "A service is not stocked.")
    if not isinstance(warehouse, Warehouse) or warehouse.company_id != company.pk:
        errors.add(f"{path}warehouseId", "No such warehouse in this company.")
    elif not warehouse.is_active:
        errors.add(f"{path}warehouseId", "The warehouse is inactive.")
    if not isinstance(date, dt.date):
        errors.add(f"{path}date", "A stock move needs a date.")
    if not source_type or source_id in (None, ""):
        errors.add(f"{path}source", "A stock move names its source document.")
    factor = Decimal(1)
    if unit is not None:
        if not isinstance(unit, ItemUnit) or unit.company_id != company.pk or (
                isinstance(item, Item) and unit.item_id != item.pk):
            errors.add(f"{path}unitId", "No such unit level of this item.")
        else:
            factor = unit.factor_to_base
    qty = ZERO
    try:
        qty = to_decimal(quantity)
    except (TypeError, ValueError):
        errors.add(f"{path}quantity", "A quantity is a decimal string, never a float.")
    else:
        if not qty.is_finite() or qty <= 0:
            errors.add(f"{path}quantity", "Use a quantity above zero.")
    errors.raise_if_any()
    return qty * factor, factor


def _last_unit_cost(company, item, warehouse) -> Decimal | None:
    return (CostLayer.objects.filter(company=company, item=item, warehouse=warehouse)
            .order_by("-date", "-id").values_list("unit_cost", flat=True).first())


def _queue(company, item, warehouse, layers: list[CostLayer]) -> valuation.FifoQueue:
    allow = inventory_settings_get(company=company).allow_negative_stock
    return valuation.FifoQueue(
        [valuation.Layer(key=la.pk, quantity=la.quantity, unit_cost=la.unit_cost,
                         value=la.value, remaining=la.remaining,
                         remaining_value=la.remaining_value) for la in layers],
        quantum=QUANTUM, allow_negative=allow,
        last_unit_cost=_last_unit_cost(company, item, warehouse),
        fallback_cost=item.cost or ZERO)


def _locked_layers(company, item, warehouse, *, up_to: dt.date | None = None,
                   negative_only: bool = False) -> list[CostLayer]:
    qs = CostLayer.objects.filter(company=company, item=item, warehouse=warehouse)
    qs = qs.filter(remaining__lt=0) if negative_only else qs.exclude(remaining=0)
    if up_to is not None:
        qs = qs.filter(date__lte=up_to)
    return list(qs.select_for_update(of=("self",)).order_by("date", "id"))


def _write_back(rows: dict[int, CostLayer], layers: list[valuation.Layer]) -> None:
    for layer in layers:
        row = rows.get(layer.key)
        if row is None or (row.remaining, row.remaining_value) == (layer.remaining,
                                                                    layer.remaining_value):
            continue
        row.remaining, row.remaining_value = layer.remaining, layer.remaining_value
        row.save(update_fields=["remaining", "remaining_value", "updated_at"])


def _after_move(*, company, actor, move: StockMove) -> None:
    """Drop snapshots the move falls into; a move dated before later moves of its item
    and warehouse re-costs them (a RecostJob, after commit)."""
    StockSnapshot.objects.filter(company=company, item_id=move.item_id,
                                 warehouse_id=move.warehouse_id,
                                 period_end__gte=move.date).delete()
    later = (StockMove.objects.filter(company=company, item_id=move.item_id,
                                      warehouse_id=move.warehouse_id, date__gt=move.date)
             .exclude(kind=MoveKind.RECOST).exists())
    if later:
        recost_schedule(company=company, actor=actor, item=move.item,
                        warehouse=move.warehouse, from_date=move.date)


def _move(*, company, actor, item, warehouse, date, kind, quantity, value, unit_cost,
          source_type, source_id, location=None, reversal_of=None) -> StockMove:
    return StockMove.objects.create(
        company=company, item=item, warehouse=warehouse, location=location, date=date,
        kind=kind, quantity=quantity, value=value, unit_cost=unit_cost,
        source_type=source_type, source_id=str(source_id), reversal_of=reversal_of,
        actor=actor if getattr(actor, "pk", None) else None)


# --- receive / issue -------------------------------------------------------------------------

@transaction.atomic
def stock_receive(*, company, actor, item, warehouse, quantity, unit=None, unit_cost, date,
                  source_type: str, source_id, location=None, value=None) -> StockMove:
    """Stock in at ``unit_cost`` per entered unit: a move and its FIFO layer. A receipt
    first settles negative layers (allowed negative stock); the difference against
    their provisional cost is posted by this service (cost of sales vs inventory) and
    recorded as a RECOST move, so ``move.value`` is always what the caller debits.
    ``value`` (exact) overrides ``quantity x unit_cost``: a transfer receives exactly the
    value its out step took."""
    base_qty, factor = _check_common(company=company, item=item, warehouse=warehouse,
                                     quantity=quantity, unit=unit, date=date,
                                     source_type=source_type, source_id=source_id)
    try:
        cost = to_decimal(unit_cost)
    except (TypeError, ValueError):
        raise ValidationError("A unit cost is a decimal string, never a float.",
                              field="unitCost") from None
    if not cost.is_finite() or cost < 0:
        raise ValidationError("A unit cost is zero or more.", field="unitCost")
    value = (to_decimal(value) if value is not None else
             (to_decimal(quantity) * cost).quantize(QUANTUM, rounding=ROUND_HALF_UP))
    base_cost = cost if factor == 1 else (cost / factor).quantize(COST_QUANTUM)
    negatives = _locked_layers(company, item, warehouse, negative_only=True)
    queue = _queue(company, item, warehouse, negatives)
    receipt = queue.receive(base_qty, base_cost, value=value, key=0)
    move = _move(company=company, actor=actor, item=item, warehouse=warehouse, date=date,
                 kind=MoveKind.RECEIPT, quantity=base_qty, value=receipt.value,
                 unit_cost=base_cost, source_type=source_type, source_id=source_id,
                 location=location)
    layer = CostLayer.objects.create(
        company=company, move=move, item=item, warehouse=warehouse, date=date,
        quantity=base_qty, unit_cost=base_cost, value=receipt.value,
        remaining=receipt.layer.remaining, remaining_value=receipt.layer.remaining_value)
    if receipt.settled:
        _settle(company=company, actor=actor, move=move, layer=layer, receipt=receipt,
                rows={la.pk: la for la in negatives})
    audit_create(actor=actor, company_id=company.pk, obj=move, operation="stock_receive")
    _after_move(company=company, actor=actor, move=move)
    return move


def _settle(*, company, actor, move, layer, receipt, rows) -> None:
    from cuadra.inventory import posting

    settled_qty = sum((-d.quantity for d in receipt.settled), ZERO)
    paid = receipt.value - layer.remaining_value
    LayerConsumption.objects.create(company=company, move=move, layer=layer,
                                    quantity=settled_qty, value=paid)
    for draw in receipt.settled:
        LayerConsumption.objects.create(company=company, move=move, layer=rows[draw.layer.key],
                                        quantity=draw.quantity, value=draw.value)
    _write_back(rows, [d.layer for d in receipt.settled])
    if receipt.adjustment:
        adjust = _move(company=company, actor=actor, item=move.item, warehouse=move.warehouse,
                       date=move.date, kind=MoveKind.RECOST, quantity=ZERO,
                       value=-receipt.adjustment, unit_cost=ZERO,
                       source_type=move.source_type, source_id=move.source_id)
        posting.post_value_change(company=company, actor=actor, move=adjust,
                                  memo="Negative stock settled at the receipt's cost")


@transaction.atomic
def stock_issue(*, company, actor, item, warehouse, quantity, unit=None, date,
                source_type: str, source_id, location=None) -> StockMove:
    """Stock out, costed FIFO from the oldest layers dated up to ``date``. Refuses
    (``INSUFFICIENT_STOCK``, field ``quantity``) beyond the stock on hand unless the
    company allows negative stock. ``-move.value`` is the cost to post."""
    base_qty, _ = _check_common(company=company, item=item, warehouse=warehouse,
                                quantity=quantity, unit=unit, date=date,
                                source_type=source_type, source_id=source_id)
    layers = _locked_layers(company, item, warehouse, up_to=date)
    queue = _queue(company, item, warehouse, layers)
    try:
        issue = queue.issue(base_qty, key=0)
    except valuation.InsufficientStock as exc:
        raise InsufficientStock(
            f"{item.sku}: {exc.requested.normalize():f} requested, "
            f"{max(exc.available, ZERO).normalize():f} on hand in {warehouse.code} "
            f"on {date.isoformat()}.", field="quantity") from None
    move = _move(company=company, actor=actor, item=item, warehouse=warehouse, date=date,
                 kind=MoveKind.ISSUE, quantity=-base_qty, value=-issue.value,
                 unit_cost=(issue.value / base_qty).quantize(COST_QUANTUM),
                 source_type=source_type, source_id=source_id, location=location)
    rows = {la.pk: la for la in layers}
    _write_back(rows, [d.layer for d in issue.draws])
    LayerConsumption.objects.bulk_create([
        LayerConsumption(company=company, move=move, layer=rows[d.layer.key],
                         quantity=d.quantity, value=d.value) for d in issue.draws])
    if issue.negative_layer is not None:
        neg = issue.negative_layer
        CostLayer.objects.create(company=company, move=move, item=item, warehouse=warehouse,
                                 date=date, quantity=neg.quantity, unit_cost=neg.unit_cost,
                                 value=neg.value, remaining=neg.remaining,
                                 remaining_value=neg.remaining_value)
    audit_create(actor=actor, company_id=company.pk, obj=move, operation="stock_issue")
    _after_move(company=company, actor=actor, move=move)
    return move


@dataclass(frozen=True)
class IssueLine:
    """One line of ``stock_issue_many``: ``quantity`` in ``unit`` (default base unit)."""

    item: Item
    quantity: object
    unit: ItemUnit | None = None


def _locked_layers_many(company, warehouse, item_ids, *, up_to: dt.date) -> list[CostLayer]:
    """The live layers of several items in one query, locked item by item (pk order),
    each item's in FIFO order (date, id): the same rows and order ``stock_issue`` locks
    per item."""
    return list(CostLayer.objects.filter(company=company, warehouse=warehouse,
                                         item_id__in=sorted(item_ids), date__lte=up_to)
                .exclude(remaining=0).select_for_update(of=("self",))
                .order_by("item_id", "date", "id"))


def _queues_many(company, warehouse, items: dict, layers: list[CostLayer]) -> dict:
    """item id -> FifoQueue, as ``_queue`` builds it; the last unit cost is read only
    where a negative layer may need it (negative stock allowed)."""
    allow = inventory_settings_get(company=company).allow_negative_stock
    by_item: dict[int, list] = {pk: [] for pk in items}
    for la in layers:
        by_item[la.item_id].append(valuation.Layer(
            key=la.pk, quantity=la.quantity, unit_cost=la.unit_cost, value=la.value,
            remaining=la.remaining, remaining_value=la.remaining_value))
    return {pk: valuation.FifoQueue(
        queue, quantum=QUANTUM, allow_negative=allow,
        last_unit_cost=_last_unit_cost(company, items[pk], warehouse) if allow else None,
        fallback_cost=items[pk].cost or ZERO) for pk, queue in by_item.items()}


def _issue_draws(queues, warehouse, date, base_qtys, lines) -> list[valuation.Issue]:
    issues = []
    for i, (line, base_qty) in enumerate(zip(lines, base_qtys, strict=True)):
        try:
            issues.append(queues[line.item.pk].issue(base_qty, key=-(i + 1)))
        except valuation.InsufficientStock as exc:
            raise InsufficientStock(
                f"{line.item.sku}: {exc.requested.normalize():f} requested, "
                f"{max(exc.available, ZERO).normalize():f} on hand in {warehouse.code} "
                f"on {date.isoformat()}.", field=f"lines.{i}.quantity") from None
    return issues


@transaction.atomic
def stock_issue_many(*, company, actor, warehouse, date, lines: list[IssueLine],
                     source_type: str, source_id, location=None) -> list[StockMove]:
    """What one ``stock_issue`` per line, in order, writes and returns (one ISSUE move
    per line, FIFO draws, negative layers, audit, snapshots dropped, re-cost scheduled),
    with one locking read of the items' layers and bulk writes. A refusal names the line
    (``lines.<i>.quantity``) and writes nothing."""
    base_qtys = [_check_common(company=company, item=li.item, warehouse=warehouse,
                               quantity=li.quantity, unit=li.unit, date=date,
                               source_type=source_type, source_id=source_id,
                               path=f"lines.{i}.")[0] for i, li in enumerate(lines)]
    if not lines:
        return []
    items = {li.item.pk: li.item for li in lines}
    layers = _locked_layers_many(company, warehouse, items, up_to=date)
    queues = _queues_many(company, warehouse, items, layers)
    issues = _issue_draws(queues, warehouse, date, base_qtys, lines)
    user = actor if getattr(actor, "pk", None) else None
    moves = StockMove.objects.bulk_create([StockMove(
        company=company, item=li.item, warehouse=warehouse, location=location, date=date,
        kind=MoveKind.ISSUE, quantity=-qty, value=-issue.value,
        unit_cost=(issue.value / qty).quantize(COST_QUANTUM), source_type=source_type,
        source_id=str(source_id), actor=user)
        for li, qty, issue in zip(lines, base_qtys, issues, strict=True)])
    rows = {la.pk: la for la in layers}
    _write_back_many(rows, [d.layer for issue in issues for d in issue.draws])
    LayerConsumption.objects.bulk_create([
        LayerConsumption(company=company, move=move, layer=rows[d.layer.key],
                         quantity=d.quantity, value=d.value)
        for move, issue in zip(moves, issues, strict=True) for d in issue.draws])
    CostLayer.objects.bulk_create([
        CostLayer(company=company, move=move, item=move.item, warehouse=warehouse, date=date,
                  quantity=neg.quantity, unit_cost=neg.unit_cost, value=neg.value,
                  remaining=neg.remaining, remaining_value=neg.remaining_value)
        for move, issue in zip(moves, issues, strict=True)
        if (neg := issue.negative_layer) is not None])
    audit_create_many(actor=actor, company_id=company.pk, objs=moves, operation="stock_issue")
    _after_moves(company=company, actor=actor, warehouse=warehouse, date=date, items=items)
    return moves


def _write_back_many(rows: dict[int, CostLayer], layers: list[valuation.Layer]) -> None:
    changed = {}
    for layer in layers:
        row = rows.get(layer.key)
        if row is not None and (row.remaining, row.remaining_value) != (
                layer.remaining, layer.remaining_value):
            row.remaining, row.remaining_value = layer.remaining, layer.remaining_value
            row.updated_at = timezone.now()
            changed[row.pk] = row
    if changed:
        CostLayer.objects.bulk_update(list(changed.values()),
                                      ["remaining", "remaining_value", "updated_at"])


def _after_moves(*, company, actor, warehouse, date, items: dict) -> None:
    """``_after_move`` for moves of several items on one date and warehouse."""
    StockSnapshot.objects.filter(company=company, item_id__in=list(items),
                                 warehouse=warehouse, period_end__gte=date).delete()
    later = set(StockMove.objects.filter(company=company, item_id__in=list(items),
                                         warehouse=warehouse, date__gt=date)
                .exclude(kind=MoveKind.RECOST).values_list("item_id", flat=True).distinct())
    for pk in sorted(later):
        recost_schedule(company=company, actor=actor, item=items[pk], warehouse=warehouse,
                        from_date=date)


# --- reverse / revalue -----------------------------------------------------------------------

@transaction.atomic
def stock_reverse(*, company, actor, source_type: str, source_id) -> Decimal:
    """Undo every live receipt and issue of a source document (a void): an issue puts
    its quantities and values back into the layers it drew from; a receipt takes its
    layer out, which is refused (``INSUFFICIENT_STOCK``) once anything was issued from
    it. Returns the signed value change of the reversing moves."""
    moves = list(StockMove.objects.filter(
        company=company, source_type=source_type, source_id=str(source_id),
        kind__in=[MoveKind.RECEIPT, MoveKind.ISSUE], reversals__isnull=True)
        .select_related("item", "warehouse").order_by("-id"))
    total = ZERO
    for move in moves:
        reversal = (_reverse_issue if move.kind == MoveKind.ISSUE else _reverse_receipt)(
            company=company, actor=actor, move=move)
        total += reversal.value
        audit_create(actor=actor, company_id=company.pk, obj=reversal,
                     operation="stock_reverse")
    return total


def _reverse_issue(*, company, actor, move: StockMove) -> StockMove:
    consumptions = list(move.consumptions.order_by("layer_id"))
    layers = {la.pk: la for la in CostLayer.objects.select_for_update(of=("self",))
              .filter(pk__in=[c.layer_id for c in consumptions]).order_by("pk")}
    own_negative = CostLayer.objects.select_for_update(of=("self",)).filter(move=move).first()
    if own_negative is not None and own_negative.remaining != own_negative.quantity:
        raise Conflict(f"The negative stock of {move.item.sku} was settled by a later "
                       "receipt; reverse that receipt first.", field="source")
    reversal = _move(company=company, actor=actor, item=move.item, warehouse=move.warehouse,
                     date=move.date, kind=MoveKind.REVERSAL, quantity=-move.quantity,
                     value=-move.value, unit_cost=move.unit_cost,
                     source_type=move.source_type, source_id=move.source_id,
                     reversal_of=move)
    for c in consumptions:
        layer = layers[c.layer_id]
        layer.remaining += c.quantity
        layer.remaining_value += c.value
        layer.save(update_fields=["remaining", "remaining_value", "updated_at"])
        LayerConsumption.objects.create(company=company, move=reversal, layer=layer,
                                        quantity=-c.quantity, value=-c.value)
    if own_negative is not None:
        LayerConsumption.objects.create(company=company, move=reversal, layer=own_negative,
                                        quantity=own_negative.remaining,
                                        value=own_negative.remaining_value)
        own_negative.remaining = own_negative.remaining_value = ZERO
        own_negative.save(update_fields=["remaining", "remaining_value", "updated_at"])
    _after_move(company=company, actor=actor, move=reversal)
    return reversal


def _reverse_receipt(*, company, actor, move: StockMove) -> StockMove:
    layer = CostLayer.objects.select_for_update(of=("self",)).get(move=move)
    if layer.remaining != layer.quantity:
        raise InsufficientStock(
            f"{move.item.sku}: {(layer.quantity - layer.remaining).normalize():f} of this "
            "receipt were issued already; reverse those issues first.", field="source")
    reversal = _move(company=company, actor=actor, item=move.item, warehouse=move.warehouse,
                     date=move.date, kind=MoveKind.REVERSAL, quantity=-layer.remaining,
                     value=-layer.remaining_value, unit_cost=layer.unit_cost,
                     source_type=move.source_type, source_id=move.source_id,
                     reversal_of=move)
    LayerConsumption.objects.create(company=company, move=reversal, layer=layer,
                                    quantity=layer.remaining, value=layer.remaining_value)
    layer.remaining = layer.remaining_value = ZERO
    layer.save(update_fields=["remaining", "remaining_value", "updated_at"])
    _after_move(company=company, actor=actor, move=reversal)
    return reversal


@transaction.atomic
def layers_revalue(*, company, actor, source_type: str, source_id, unit_cost,
                   unit=None, item=None) -> Revaluation:
    """A supplier invoice priced the receipts of ``source`` at ``unit_cost`` (per
    ``unit``, default the base unit): each receipt layer takes the new cost. The part
    still in stock changes the layer (a REVALUATION move, quantity 0); the part already
    issued is returned as ``consumed_delta`` for the caller to post to cost of sales.
    ``item`` limits it to that item's receipts (a source receiving several items)."""
    try:
        cost = to_decimal(unit_cost)
    except (TypeError, ValueError):
        raise ValidationError("A unit cost is a decimal string, never a float.",
                              field="unitCost") from None
    if not cost.is_finite() or cost < 0:
        raise ValidationError("A unit cost is zero or more.", field="unitCost")
    factor = unit.factor_to_base if unit is not None else Decimal(1)
    base_cost = cost if factor == 1 else (cost / factor).quantize(COST_QUANTUM)
    receipts = list(StockMove.objects.filter(
        company=company, source_type=source_type, source_id=str(source_id),
        kind=MoveKind.RECEIPT, reversals__isnull=True).order_by("id"))
    if item is not None:
        receipts = [m for m in receipts if m.item_id == item.pk]
    if not receipts:
        raise ValidationError("The source has no live stock receipt.", field="source")
    layers = {la.move_id: la for la in CostLayer.objects.select_for_update(of=("self",))
              .filter(move__in=receipts).order_by("pk")}
    inventory_delta = consumed_delta = ZERO
    moves = []
    for receipt in receipts:
        layer = layers[receipt.pk]
        new_value = ((layer.quantity / factor) * cost).quantize(QUANTUM, ROUND_HALF_UP)
        old_value, old_remaining = layer.value, layer.remaining_value
        layer.unit_cost, layer.value = base_cost, new_value
        layer.remaining_value = valuation.Layer(
            key=layer.pk, quantity=layer.quantity, unit_cost=base_cost, value=new_value,
            remaining=layer.remaining, remaining_value=ZERO).value_at(layer.remaining, QUANTUM)
        layer.save(update_fields=["unit_cost", "value", "remaining_value", "updated_at"])
        in_stock = layer.remaining_value - old_remaining
        inventory_delta += in_stock
        consumed_delta += (new_value - old_value) - in_stock
        if in_stock:
            move = _move(company=company, actor=actor, item=receipt.item,
                         warehouse=receipt.warehouse, date=receipt.date,
                         kind=MoveKind.REVALUATION, quantity=ZERO, value=in_stock,
                         unit_cost=base_cost, source_type=source_type, source_id=source_id)
            audit_create(actor=actor, company_id=company.pk, obj=move,
                         operation="layers_revalue")
            moves.append(move)
    return Revaluation(inventory_delta=inventory_delta, consumed_delta=consumed_delta,
                       moves=moves)


# --- re-costing after a backdated move -------------------------------------------------------

def recost_schedule(*, company, actor, item, warehouse, from_date: dt.date) -> RecostJob:
    """One live job per (item, warehouse): a second backdated move widens its window."""
    job = (RecostJob.objects.select_for_update(of=("self",))
           .filter(company=company, item=item, warehouse=warehouse,
                   state=RecostState.PENDING).first())
    if job is None:
        job = RecostJob.objects.create(company=company, item=item, warehouse=warehouse,
                                       from_date=from_date, actor=actor if getattr(
                                           actor, "pk", None) else None)
    elif from_date < job.from_date:
        job.from_date = from_date
        job.save(update_fields=["from_date", "updated_at"])
    from cuadra.inventory import tasks

    publish_on_commit(tasks.recost_run.delay, job.pk)
    return job



@transaction.atomic
def recost_job_retry(*, company, actor, job_id) -> RecostJob:
    """Queue a job that has not finished again: FAILED (e.g. its period was closed, then
    reopened) or stalled (its worker died between chunks). The run resumes from the job's
    cursor, so queueing twice is harmless; a finished job is refused."""
    job = (RecostJob.objects.select_for_update(of=("self",))
           .filter(company=company, pk=pk_or_none(job_id)).first())
    if job is None:
        raise NotFound("No such re-cost job in this company.", field="jobId")
    if job.state == RecostState.DONE:
        raise Conflict("The re-cost job is done; there is nothing to run again.",
                       field="jobId")
    before = snapshot(job)
    job.state, job.error = RecostState.PENDING, ""
    job.save(update_fields=["state", "error", "updated_at"])
    audit_update(actor=actor, company_id=company.pk, obj=job, before=before,
                 operation="recost_job_retry")
    from cuadra.inventory import tasks

    publish_on_commit(tasks.recost_run.delay, job.pk)
    return job


def recost_jobs_resume_stalled(*, older_than: dt.timedelta = dt.timedelta(minutes=30)
                               ) -> int:
    """Beat: queue again every pending or running job untouched for ``older_than`` (a
    lost message, a worker killed mid-run). FAILED jobs wait for a person: their error
    (a closed period) needs a decision first."""
    stalled = list(RecostJob.objects.filter(
        state__in=[RecostState.PENDING, RecostState.RUNNING],
        updated_at__lt=timezone.now() - older_than).values_list("pk", flat=True))
    from cuadra.inventory import tasks

    for pk in stalled:
        publish_on_commit(tasks.recost_run.delay, pk)
    return len(stalled)


def pk_or_none(value) -> int | None:
    """An id from user input, or None (never a database error on bad text)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None

# --- snapshots -------------------------------------------------------------------------------

def stock_snapshots_close(*, company, period_end: dt.date) -> int:
    """See :func:`cuadra.inventory.snapshots.stock_snapshots_close`."""
    from cuadra.inventory import snapshots

    return snapshots.stock_snapshots_close(company=company, period_end=period_end)


# --- returns -----------------------------------------------------------------------------

@transaction.atomic
def stock_return(*, company, actor, item, warehouse, quantity, unit=None, date,
                 source_type: str, source_id, of_source_type: str, of_source_id
                 ) -> StockMove:
    """Goods coming back from an earlier issue (a sales credit note): a receipt at the
    cost the issues of ``of_source`` took for this item (their value / quantity), so a
    full return puts back exactly what left. Refuses a return document that takes back
    more than was issued (the bound across several return documents is the caller's, e.g.
    sales' credited quantities)."""
    issued = list(StockMove.objects.filter(
        company=company, item=item, source_type=of_source_type, source_id=str(of_source_id),
        kind=MoveKind.ISSUE, reversals__isnull=True))
    out_qty = -sum((m.quantity for m in issued), ZERO)
    out_value = -sum((m.value for m in issued), ZERO) - sum(
        (a.value for m in issued for a in m.adjustments.all()), ZERO)
    base_qty, _ = _check_common(company=company, item=item, warehouse=warehouse,
                                quantity=quantity, unit=unit, date=date,
                                source_type=source_type, source_id=source_id)
    returned = sum((m.quantity for m in StockMove.objects.filter(
        company=company, item=item, source_type=source_type, source_id=str(source_id),
        kind=MoveKind.RECEIPT, reversals__isnull=True)), ZERO)
    if out_qty <= 0 or base_qty + returned > out_qty:
        raise ValidationError(f"{item.sku}: {out_qty.normalize():f} issued by the original "
                              "document; a return cannot exceed it.", field="quantity")
    value = out_value if base_qty == out_qty else \
        (out_value * base_qty / out_qty).quantize(QUANTUM, rounding=ROUND_HALF_UP)
    return stock_receive(company=company, actor=actor, item=item, warehouse=warehouse,
                         quantity=base_qty, unit_cost=(out_value / out_qty).quantize(
                             COST_QUANTUM), value=value, date=date, source_type=source_type,
                         source_id=source_id)
