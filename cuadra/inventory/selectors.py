"""Reads: stock on hand and value as of a date (last snapshot + the moves after it), the
inventory ledger with running quantity and value, the valuation report and its proof
against the books, stale flags while a re-cost runs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, Max, OuterRef, Q, QuerySet

from cuadra.core.errors import NotFound
from cuadra.core.money import CENT, ZERO, DecimalSum
from cuadra.inventory.enums import RecostState
from cuadra.inventory.models import (
    CostLayer,
    InventoryCount,
    RecostJob,
    StockAdjustment,
    StockMove,
    StockSnapshot,
    StockTransfer,
    Warehouse,
)
from cuadra.ledger.enums import AccountRole
from cuadra.ledger.models import Account, JournalLine


@dataclass(frozen=True)
class StockRow:
    item_id: int
    warehouse_id: int
    quantity: Decimal
    value: Decimal
    stale: bool = False


@dataclass(frozen=True)
class LedgerRow:
    move: StockMove
    running_quantity: Decimal
    running_value: Decimal


def warehouses_list(*, company, active_only: bool = False) -> QuerySet[Warehouse]:
    qs = Warehouse.objects.filter(company=company)
    return qs.filter(is_active=True) if active_only else qs


def warehouse_get(*, company, warehouse_id) -> Warehouse:
    try:
        return Warehouse.objects.get(company=company, pk=int(warehouse_id))
    except (Warehouse.DoesNotExist, ValueError, TypeError):
        raise NotFound("No such warehouse in this company.", field="warehouseId") from None


def warehouse_default(*, company) -> Warehouse:
    from cuadra.inventory.enums import DEFAULT_WAREHOUSE

    found = Warehouse.objects.filter(company=company, code=DEFAULT_WAREHOUSE).first()
    if found is None:
        raise NotFound("The company has no PRINCIPAL warehouse.", field="warehouseId")
    return found


def stale_keys(*, company) -> set[tuple[int, int]]:
    """(item, warehouse) whose valuation waits for a re-cost job."""
    return set(RecostJob.objects.filter(
        company=company, state__in=[RecostState.PENDING, RecostState.RUNNING,
                                    RecostState.FAILED])
        .values_list("item_id", "warehouse_id"))


def recost_jobs_list(*, company, states: list[str] | None = None):
    """The re-cost queue, newest first, with the item and warehouse each job names."""
    jobs = (RecostJob.objects.filter(company=company)
            .select_related("item", "warehouse").order_by("-pk"))
    return jobs.filter(state__in=states) if states else jobs


def _filters(item_id, warehouse_id) -> Q:
    q = Q()
    if item_id is not None:
        q &= Q(item_id=item_id)
    if warehouse_id is not None:
        q &= Q(warehouse_id=warehouse_id)
    return q


def stock_on_hand(*, company, as_of: dt.date | None = None, item_id=None,
                  warehouse_id=None, include_zero: bool = False) -> list[StockRow]:
    """Quantity (base units) and value per (item, warehouse) at the end of ``as_of``
    (default: everything): the last snapshot on or before it plus the moves after it.
    One grouped query for the pairs without a snapshot and one per distinct snapshot
    date (normally one: the last period closed), never one per pair."""
    flt = _filters(item_id, warehouse_id)
    snaps = StockSnapshot.objects.filter(Q(company=company) & flt)
    if as_of is not None:
        snaps = snaps.filter(period_end__lte=as_of)
    last = {(r["item_id"], r["warehouse_id"]): r["end"] for r in snaps.values(
        "item_id", "warehouse_id").annotate(end=Max("period_end")).order_by()}
    totals: dict[tuple[int, int], list[Decimal]] = {}
    if last:
        for item, wh, end, qty, val in snaps.filter(period_end__in=set(last.values())) \
                .values_list("item_id", "warehouse_id", "period_end", "quantity", "value"):
            if last.get((item, wh)) == end:
                totals[(item, wh)] = [qty, val]
    moves = StockMove.objects.filter(Q(company=company) & flt)
    if as_of is not None:
        moves = moves.filter(date__lte=as_of)

    def add(qs, keep) -> None:
        for row in (qs.values("item_id", "warehouse_id")
                    .annotate(qty=DecimalSum("quantity"), val=DecimalSum("value")).order_by()):
            key = (row["item_id"], row["warehouse_id"])
            if keep(key):
                total = totals.setdefault(key, [ZERO, ZERO])
                total[0] += row["qty"] or ZERO
                total[1] += row["val"] or ZERO

    covered = snaps.filter(item_id=OuterRef("item_id"), warehouse_id=OuterRef("warehouse_id"))
    add(moves.filter(~Exists(covered)), lambda key: True)
    for end in sorted(set(last.values())):
        add(moves.filter(date__gt=end), lambda key, end=end: last.get(key) == end)
    stale = stale_keys(company=company)
    rows = [StockRow(item, wh, qty, val, (item, wh) in stale)
            for (item, wh), (qty, val) in sorted(totals.items())]
    return [r for r in rows if include_zero or r.quantity or r.value]


def stock_quantity(*, company, item, warehouse, as_of: dt.date | None = None) -> Decimal:
    rows = stock_on_hand(company=company, as_of=as_of, item_id=item.pk,
                         warehouse_id=warehouse.pk, include_zero=True)
    return rows[0].quantity if rows else ZERO


def inventory_ledger(*, company, item_id, warehouse_id, date_from: dt.date | None = None,
                     date_to: dt.date | None = None) -> list[LedgerRow]:
    """Moves of one (item, warehouse) in (date, id) order with running totals; the
    opening balance is everything before ``date_from``."""
    moves = StockMove.objects.filter(company=company, item_id=item_id,
                                     warehouse_id=warehouse_id)
    qty = val = ZERO
    if date_from is not None:
        opening = stock_on_hand(company=company, as_of=date_from - dt.timedelta(days=1),
                                item_id=item_id, warehouse_id=warehouse_id,
                                include_zero=True)
        if opening:
            qty, val = opening[0].quantity, opening[0].value
        moves = moves.filter(date__gte=date_from)
    if date_to is not None:
        moves = moves.filter(date__lte=date_to)
    rows = []
    for move in moves.order_by("date", "id"):
        qty += move.quantity
        val += move.value
        rows.append(LedgerRow(move, qty, val))
    return rows


def valuation_total(*, company, as_of: dt.date | None = None) -> Decimal:
    return sum((r.value for r in stock_on_hand(company=company, as_of=as_of)), ZERO)


def inventory_accounts_balance(*, company, as_of: dt.date | None = None) -> Decimal:
    """Debit balance of the INVENTORY-role accounts (and items' own inventory accounts)."""
    from cuadra.catalog.models import Item

    ids = set(Account.objects.filter(company=company, role=AccountRole.INVENTORY)
              .values_list("pk", flat=True))
    ids |= set(Item.objects.filter(company=company, inventory_account__isnull=False)
               .values_list("inventory_account_id", flat=True))
    lines = JournalLine.objects.filter(company=company, account_id__in=ids,
                                       entry__state="posted")
    if as_of is not None:
        lines = lines.filter(entry__date__lte=as_of)
    sums = lines.aggregate(d=DecimalSum("debit"), c=DecimalSum("credit"))
    return (sums["d"] or ZERO) - (sums["c"] or ZERO)


def _fmt(value: Decimal) -> str:
    """2 places at least, more only when the value has them."""
    exact = value.normalize()
    return f"{exact:f}" if exact.as_tuple().exponent < -2 else f"{value.quantize(CENT):f}"


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    problems: list[str]


def inventory_verify(*, company) -> VerifyResult:
    """Remaining layers = stock value per (item, warehouse) = the inventory accounts;
    quantities = the sum of moves."""
    problems = []
    layers = {(r["item_id"], r["warehouse_id"]): (r["q"] or ZERO, r["v"] or ZERO)
              for r in CostLayer.objects.filter(company=company)
              .values("item_id", "warehouse_id")
              .annotate(q=DecimalSum("remaining"), v=DecimalSum("remaining_value")).order_by()}
    rows = {(r.item_id, r.warehouse_id): r
            for r in stock_on_hand(company=company, include_zero=True)}
    for key in sorted(set(layers) | set(rows)):
        lq, lv = layers.get(key, (ZERO, ZERO))
        row = rows.get(key)
        mq, mv = (row.quantity, row.value) if row else (ZERO, ZERO)
        if (lq, lv) != (mq, mv):
            problems.append(f"item {key[0]} warehouse {key[1]}: layers {_fmt(lq)} / "
                            f"{_fmt(lv)}, moves {_fmt(mq)} / {_fmt(mv)}")
    stock = sum((r.value for r in rows.values()), ZERO)
    books = inventory_accounts_balance(company=company)
    if stock != books:
        problems.append(f"stock value {_fmt(stock)} != inventory accounts {_fmt(books)}")
    return VerifyResult(not problems, problems)


# --- documents -----------------------------------------------------------------------------

def _doc_get(model, *, company, pk, field: str):
    try:
        return model.objects.get(company=company, pk=int(pk))
    except (model.DoesNotExist, ValueError, TypeError):
        raise NotFound("No such document in this company.", field=field) from None


def stock_adjustment_get(*, company, adjustment_id) -> StockAdjustment:
    return _doc_get(StockAdjustment, company=company, pk=adjustment_id, field="id")


def stock_transfer_get(*, company, transfer_id) -> StockTransfer:
    return _doc_get(StockTransfer, company=company, pk=transfer_id, field="id")


def inventory_count_get(*, company, count_id) -> InventoryCount:
    return _doc_get(InventoryCount, company=company, pk=count_id, field="id")


# --- reports -------------------------------------------------------------------------------

@dataclass(frozen=True)
class MovementRow:
    item_id: int
    warehouse_id: int
    quantity_in: Decimal
    quantity_out: Decimal
    value_in: Decimal
    value_out: Decimal


def movement_summary(*, company, date_from: dt.date, date_to: dt.date,
                     warehouse_id=None) -> list[MovementRow]:
    """In and out per (item, warehouse) between two dates (value-only moves count on the
    side of their sign)."""
    moves = StockMove.objects.filter(Q(company=company) & _filters(None, warehouse_id),
                                     date__gte=date_from, date__lte=date_to)
    ins = {(r["item_id"], r["warehouse_id"]): (r["q"] or ZERO, r["v"] or ZERO) for r in (
        moves.filter(Q(quantity__gt=0) | Q(quantity=0, value__gt=0))
        .values("item_id", "warehouse_id")
        .annotate(q=DecimalSum("quantity"), v=DecimalSum("value")).order_by())}
    outs = {(r["item_id"], r["warehouse_id"]): (r["q"] or ZERO, r["v"] or ZERO) for r in (
        moves.filter(Q(quantity__lt=0) | Q(quantity=0, value__lt=0))
        .values("item_id", "warehouse_id")
        .annotate(q=DecimalSum("quantity"), v=DecimalSum("value")).order_by())}
    zero = (ZERO, ZERO)
    return [MovementRow(item, wh, ins.get((item, wh), zero)[0],
                        -outs.get((item, wh), zero)[0], ins.get((item, wh), zero)[1],
                        -outs.get((item, wh), zero)[1])
            for item, wh in sorted(set(ins) | set(outs))]


def slow_movers(*, company, as_of: dt.date, days: int = 90) -> list[StockRow]:
    """Stock on hand at ``as_of`` of (item, warehouse) with no issue in the ``days``
    before it, largest value first."""
    since = as_of - dt.timedelta(days=days)
    moving = set(StockMove.objects.filter(company=company, kind="issue", date__gt=since,
                                          date__lte=as_of)
                 .values_list("item_id", "warehouse_id"))
    rows = [r for r in stock_on_hand(company=company, as_of=as_of)
            if r.quantity > 0 and (r.item_id, r.warehouse_id) not in moving]
    return sorted(rows, key=lambda r: (-r.value, r.item_id, r.warehouse_id))


def stock_moves_of(*, company, source_type: str, source_id) -> QuerySet[StockMove]:
    """The moves a document made (reversals and re-costs included), in order."""
    return (StockMove.objects.filter(company=company, source_type=source_type,
                                     source_id=str(source_id))
            .select_related("item", "warehouse").order_by("id"))
