"""Bounded re-costing after a backdated move (pain points 5 and 8: O(changes), not
O(history)), and the full recomputation that checks (and repairs) everything.

A :class:`RecostJob` names one (item, warehouse) and the date of the backdated move. The
job rebuilds the FIFO state of that pair as it stood at the start of ``from_date`` (each
older layer's quantity less what moves dated before ``from_date`` drew from it), replays
only the moves dated from ``from_date`` on, and for each issue whose cost or draws come
out different appends a RECOST move (quantity 0, ``adjusts`` the issue) with correcting
consumption rows; the layers take the same corrections, and the value differences are
posted through the posting service (inventory against the issue's counter role), one
entry per date. Posted lines and earlier moves are never edited.

Resumable: the job runs in chunks of ``chunk_size`` moves, one transaction each; a chunk
commits its RECOST moves, layer corrections, entries and the job's ``cursor`` (the last
move it replayed) together. A run that stops (killed, or a refusal such as a closed
period: the job is then FAILED with the error) loses only the chunk under way; the next
run rebuilds the FIFO state at the cursor from the stored consumptions (the issues up to
the cursor already carry their corrections) and goes on from the move after it.

Idempotent: a DONE job does nothing; the replay compares against the issue's value *plus*
its earlier RECOST moves, so running it again, or a fresh job over the same window, finds
no difference. An interrupted-then-resumed job ends with the same rows as one that ran
through (tests/inventory/test_recost.py).

Locks: each chunk locks the layers of (company, item, warehouse) with ``SELECT ... FOR
UPDATE OF`` in FIFO order (date, id), as ``stock_issue`` does: issues of the same pair
wait for the chunk, other items and warehouses never do.

Negative stock in the window (a layer with a negative quantity) is replayed in one chunk:
the negative layers the replay creates or drops are written back at the end.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from cuadra.core.errors import DomainError
from cuadra.core.money import ZERO, DecimalSum
from cuadra.inventory import posting, valuation
from cuadra.inventory.enums import MoveKind, RecostState
from cuadra.inventory.models import (
    CostLayer,
    LayerConsumption,
    RecostJob,
    StockMove,
    StockSnapshot,
)

CHUNK_SIZE = 500
QUANTUM = valuation.CENT


@dataclass
class _Step:
    cursor: int = 0
    recosted: int = 0
    difference: Decimal = ZERO
    finished: bool = False


def recost_job_run(*, job_id: int, chunk_size: int = CHUNK_SIZE) -> RecostJob:
    """Run (or resume) a job to the end, one committed chunk at a time."""
    while True:
        with transaction.atomic():
            # the job row only: FOR UPDATE on the joined company, item and warehouse rows
            # would make every insert that references them (any stock move of the
            # company) wait for the chunk
            job = RecostJob.objects.select_for_update(of=("self",)).select_related(
                "company", "item", "warehouse").get(pk=job_id)
            if job.state == RecostState.DONE:
                return job
            try:
                with transaction.atomic():
                    step = _chunk(job, chunk_size)
            except DomainError as exc:
                job.state, job.error = RecostState.FAILED, f"{exc.code}: {exc.message}"
                job.save(update_fields=["state", "error", "updated_at"])
                return job
            job.cursor = step.cursor or job.cursor
            job.moves_recosted += step.recosted
            job.difference += step.difference
            job.state = RecostState.DONE if step.finished else RecostState.RUNNING
            job.error = ""
            job.save()
        if step.finished:
            return job


# --- one chunk -----------------------------------------------------------------------------

def _upto(prefix: str, from_date: dt.date, position) -> Q:
    """Moves (through ``prefix``) of the window, from ``from_date`` up to ``position``
    ((date, id), inclusive)."""
    q = Q(**{f"{prefix}date__gte": from_date})
    if position is not None:
        date, pk = position
        q &= Q(**{f"{prefix}date__lt": date}) | Q(**{f"{prefix}date": date,
                                                     f"{prefix}id__lte": pk})
    return q


def _after(from_date: dt.date, position) -> Q:
    if position is None:
        return Q(date__gte=from_date)
    date, pk = position
    return Q(date__gt=date) | Q(date=date, id__gt=pk)


def _live_window(job: RecostJob):
    return (StockMove.objects.filter(company=job.company, item=job.item,
                                     warehouse=job.warehouse,
                                     kind__in=[MoveKind.RECEIPT, MoveKind.ISSUE])
            .filter(reversals__isnull=True))


def _state_at(job: RecostJob, rows: dict[int, CostLayer], position) -> list[valuation.Layer]:
    """The FIFO queue after the move at ``position`` (None: at the start of
    ``from_date``): the layers received so far, less every draw of the moves before
    ``from_date`` and of the window's issues up to ``position`` (with their re-costs)."""
    from_date = job.from_date
    applied = Q(move__date__lt=from_date)
    received = set()
    if position is not None:
        applied |= (Q(move__kind=MoveKind.ISSUE, move__reversals__isnull=True)
                    & _upto("move__", from_date, position))
        applied |= (Q(move__kind=MoveKind.RECOST, move__adjusts__kind=MoveKind.ISSUE,
                      move__adjusts__reversals__isnull=True)
                    & _upto("move__adjusts__", from_date, position))
        received = set(_live_window(job).filter(kind=MoveKind.RECEIPT)
                       .filter(_upto("", from_date, position)).values_list("pk", flat=True))
    used = {r["layer_id"]: r["q"] or ZERO for r in (
        LayerConsumption.objects.filter(company=job.company, layer_id__in=list(rows))
        .filter(applied).values("layer_id").annotate(q=DecimalSum("quantity")).order_by())}
    state = []
    for la in rows.values():
        if la.date < from_date or la.move_id in received:
            layer = valuation.Layer(key=la.pk, quantity=la.quantity, unit_cost=la.unit_cost,
                                    value=la.value, remaining=ZERO, remaining_value=ZERO)
            layer.remaining = la.quantity - used.get(la.pk, ZERO)
            layer.remaining_value = layer.value_at(layer.remaining, QUANTUM)
            state.append(layer)
    return state


def _recorded(issues: list[StockMove]) -> dict[int, tuple[Decimal, dict]]:
    """Per issue: its cost so far and its net draws per layer (its own and its
    re-costs)."""
    ids = [m.pk for m in issues]
    adjusted: dict[int, Decimal] = defaultdict(lambda: ZERO)
    owner_of = {pk: pk for pk in ids}
    for pk, adjusts, value in StockMove.objects.filter(adjusts_id__in=ids).values_list(
            "pk", "adjusts_id", "value"):
        adjusted[adjusts] += value
        owner_of[pk] = adjusts
    draws: dict = defaultdict(lambda: defaultdict(lambda: [ZERO, ZERO]))
    # one IN list over the issues and their re-costs: an OR through the move join would
    # make PostgreSQL scan every consumption row of the company
    for c in (LayerConsumption.objects.filter(move_id__in=list(owner_of))
              .values("move_id", "layer_id", "quantity", "value")):
        owner = owner_of[c["move_id"]]
        pair = draws[owner][c["layer_id"]]
        pair[0] += c["quantity"]
        pair[1] += c["value"]
    return {m.pk: (-m.value - adjusted.get(m.pk, ZERO),
                   {k: tuple(v) for k, v in draws[m.pk].items() if v != [ZERO, ZERO]})
            for m in issues}


@dataclass
class _Fix:
    issue: StockMove
    delta: Decimal
    draws: dict = field(default_factory=dict)  # layer id -> (quantity, value) change


def _chunk(job: RecostJob, chunk_size: int) -> _Step:
    company, item, warehouse = job.company, job.item, job.warehouse
    rows = {la.pk: la for la in CostLayer.objects.select_for_update(of=("self",))
            .filter(company=company, item=item, warehouse=warehouse).order_by("date", "id")}
    whole = any(la.quantity < 0 for la in rows.values())
    position = None
    if job.cursor and not whole:
        position = (StockMove.objects.values_list("date", flat=True).get(pk=job.cursor),
                    job.cursor)
    moves = list(_live_window(job).filter(_after(job.from_date, position))
                 .order_by("date", "id"))
    if not whole:
        moves = moves[:chunk_size + 1]
    finished = whole or len(moves) <= chunk_size
    moves = moves if finished else moves[:chunk_size]
    by_move = {la.move_id: la for la in rows.values()}
    queue = valuation.FifoQueue(_state_at(job, rows, position), allow_negative=True,
                                fallback_cost=item.cost or ZERO)
    recorded = _recorded([m for m in moves if m.kind == MoveKind.ISSUE])
    fixes = []
    for move in moves:
        layer = by_move.get(move.pk)
        if move.kind == MoveKind.RECEIPT:
            queue.layers.append(valuation.Layer(
                key=layer.pk, quantity=layer.quantity, unit_cost=layer.unit_cost,
                value=layer.value, remaining=layer.quantity, remaining_value=layer.value))
            continue
        issue = queue.issue(-move.quantity, key=layer.pk if layer else ("new", move.pk))
        new = {d.layer.key: (d.quantity, d.value) for d in issue.draws}
        cost, old = recorded[move.pk]
        if new == old and issue.value == cost:
            continue
        fixes.append(_Fix(move, issue.value - cost, {
            key: (new.get(key, (ZERO, ZERO))[0] - old.get(key, (ZERO, ZERO))[0],
                  new.get(key, (ZERO, ZERO))[1] - old.get(key, (ZERO, ZERO))[1])
            for key in set(old) | set(new) if not isinstance(key, tuple)}))
    _apply(job, fixes, rows)
    if whole:
        _write_back(company, item, warehouse, rows, queue, moves)
    return _Step(cursor=moves[-1].pk if moves else 0, recosted=len(fixes),
                 difference=sum((f.delta for f in fixes), ZERO), finished=finished)


def _apply(job: RecostJob, fixes: list[_Fix], rows: dict[int, CostLayer]) -> None:
    """RECOST moves and their consumption rows, the same corrections on the layers, the
    entries, and the snapshots from the first corrected date on dropped."""
    if not fixes:
        return
    actor = job.actor
    created = StockMove.objects.bulk_create([StockMove(
        company=job.company, item=job.item, warehouse=job.warehouse, date=f.issue.date,
        kind=MoveKind.RECOST, quantity=ZERO, value=-f.delta, unit_cost=ZERO,
        source_type=f.issue.source_type, source_id=f.issue.source_id, adjusts=f.issue,
        actor=actor) for f in fixes])
    consumptions, changed = [], {}
    for fix, move in zip(fixes, created, strict=True):
        for key in sorted(fix.draws):
            dq, dv = fix.draws[key]
            if not (dq or dv):
                continue
            consumptions.append(LayerConsumption(company=job.company, move=move,
                                                 layer_id=key, quantity=dq, value=dv))
            row = rows[key]
            row.remaining -= dq
            row.remaining_value -= dv
            changed[key] = row
    LayerConsumption.objects.bulk_create(consumptions)
    _layers_update(list(changed.values()))
    _post_differences(job, list(zip(fixes, created, strict=True)))
    StockSnapshot.objects.filter(company=job.company, item=job.item, warehouse=job.warehouse,
                                 period_end__gte=min(f.issue.date for f in fixes)).delete()


def _layers_update(layers: list[CostLayer]) -> None:
    """The layers' new remaining quantity and value in one statement (``bulk_update``
    builds a CASE per row; this is a join on a VALUES list)."""
    if not layers:
        return
    fields = CostLayer._meta
    remaining, value = fields.get_field("remaining"), fields.get_field("remaining_value")
    rows, params = [], []
    for la in layers:
        rows.append("(%s, %s, %s)")
        params += [la.pk, remaining.get_db_prep_value(la.remaining, connection),
                   value.get_db_prep_value(la.remaining_value, connection)]
    table = fields.db_table
    with connection.cursor() as cur:
        cur.execute(f"WITH v(id, remaining, remaining_value) AS (VALUES {', '.join(rows)}) "
                    f"UPDATE {table} SET remaining = v.remaining, "
                    f"remaining_value = v.remaining_value, updated_at = %s FROM v "
                    f"WHERE {table}.id = v.id", [*params, timezone.now()])


def _post_differences(job: RecostJob, fixed: list[tuple[_Fix, StockMove]]) -> None:
    """One adjustment entry per date through the posting service: inventory against the
    counter role of each issue's source (cost of sales by default)."""
    from cuadra.ledger.services import journal_entries_post

    by_date: dict = defaultdict(lambda: defaultdict(lambda: ZERO))
    inventory = posting.inventory_account_id(job.item)
    counters: dict[str, int] = {}
    for fix, move in fixed:
        amounts = by_date[fix.issue.date]
        amounts[inventory] += move.value
        source = fix.issue.source_type
        if source not in counters:
            counters[source] = posting.counter_account_id(job.item, source)
        amounts[counters[source]] -= move.value
    memo = (f"Re-cost of {job.item.sku} in {job.warehouse.code} after a backdated move "
            f"(job {job.pk})")
    journal = posting.general_journal(job.company).pk
    entries = []
    for date in sorted(by_date):
        lines = posting.balanced_lines(by_date[date], memo[:200])
        if lines:
            entries.append({
                "journal": journal, "date": date, "currency": job.company.base_currency,
                "reference": f"RECOST {job.pk}", "memo": memo,
                "source_type": "inventory.RecostJob", "source_id": str(job.pk),
                "lines": lines,
                "idempotency_key": f"inventory.recost:{job.pk}:{fixed[0][1].pk}:{date}"})
    if entries:
        journal_entries_post(company=job.company, actor=job.actor, entries=entries)


def _write_back(company, item, warehouse, rows, queue, moves) -> None:
    """Negative stock: the negative layers the replay created, or no longer needs."""
    seen = set()
    for layer in queue.layers:
        if isinstance(layer.key, tuple):  # a negative layer new in this replay
            move = next(m for m in moves if m.pk == layer.key[1])
            CostLayer.objects.create(company=company, move=move, item=item,
                                     warehouse=warehouse, date=move.date,
                                     quantity=layer.quantity, unit_cost=layer.unit_cost,
                                     value=layer.value, remaining=layer.remaining,
                                     remaining_value=layer.remaining_value)
            continue
        seen.add(layer.key)
        row = rows[layer.key]
        if (row.remaining, row.remaining_value) != (layer.remaining, layer.remaining_value):
            row.remaining, row.remaining_value = layer.remaining, layer.remaining_value
            row.save(update_fields=["remaining", "remaining_value", "updated_at"])
    replayed = {m.pk for m in moves}
    for row in rows.values():  # a negative layer the replay no longer needs
        if row.pk not in seen and row.move_id in replayed and row.remaining != 0:
            row.remaining = row.remaining_value = ZERO
            row.save(update_fields=["remaining", "remaining_value", "updated_at"])


# --- full recomputation --------------------------------------------------------------------

@dataclass
class RecomputeResult:
    moves: int = 0
    pairs: int = 0
    differing: list[tuple[int, int]] = field(default_factory=list)  # (item, warehouse)
    skipped_negative: list[tuple[int, int]] = field(default_factory=list)
    jobs: list[RecostJob] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.differing


class _PairCheck:
    """Replays one (item, warehouse) from its first move and compares each issue's cost
    and each layer's remaining quantity and value with what is stored. The FIFO rules
    are :mod:`cuadra.inventory.valuation`'s (oldest layer first, ``Layer.value_at``); a
    pair whose issues go below zero stops being judged (``negative``)."""

    def __init__(self):
        self.layers: list[valuation.Layer] = []
        self.first_date = None
        self.negative = False
        self.ok = True

    def feed(self, row, adjusted: dict[int, Decimal]) -> None:
        (_, _, date, pk, kind, qty, value, layer_id, unit_cost, layer_value, remaining,
         remaining_value) = row
        if self.first_date is None:
            self.first_date = date
        if self.negative:
            return
        if kind == MoveKind.RECEIPT:
            layer = valuation.Layer(key=layer_id, quantity=qty, unit_cost=unit_cost,
                                    value=layer_value, remaining=qty,
                                    remaining_value=layer_value)
            layer.stored = (remaining, remaining_value)
            self.layers.append(layer)
            return
        if layer_id is not None:
            self.negative = True  # the issue went below zero
            return
        cost = self._issue(-qty)
        if cost is None:
            self.negative = True
        elif cost != -value - adjusted.get(pk, ZERO):
            self.ok = False

    def _issue(self, quantity: Decimal) -> Decimal | None:
        """The cost of ``quantity`` from the oldest layers; emptied layers are compared
        and dropped (they never change again), so the list stays as short as the live
        stock. None when the stock does not cover it."""
        layers, cost, done = self.layers, ZERO, 0
        for layer in layers:
            if not quantity:
                break
            take = min(quantity, layer.remaining)
            after = layer.remaining - take
            value_after = layer.value_at(after, QUANTUM)
            cost += layer.remaining_value - value_after
            layer.remaining, layer.remaining_value = after, value_after
            quantity -= take
            if not after:
                self._compare(layer)
                done += 1
        del layers[:done]
        return None if quantity else cost

    def _compare(self, layer: valuation.Layer) -> None:
        if layer.stored != (layer.remaining, layer.remaining_value):
            self.ok = False

    def finish(self) -> bool:
        for layer in self.layers:
            self._compare(layer)
        return self.ok


def _stream(company, chunk_size: int):
    """(item, warehouse, date, id, kind, quantity, value, layer id, layer unit cost,
    value, remaining, remaining value) of every live receipt and issue, in (item,
    warehouse, date, id) order, through a server-side cursor on PostgreSQL; raw SQL
    because the ORM's per-value converters cost more than the replay."""
    from cuadra.core.money import decode_sortable

    move, layer = StockMove._meta.db_table, CostLayer._meta.db_table
    sql = (f"SELECT m.item_id, m.warehouse_id, m.date, m.id, m.kind, m.quantity, m.value, "
           f"l.id, l.unit_cost, l.value, l.remaining, l.remaining_value FROM {move} m "
           f"LEFT JOIN {layer} l ON l.move_id = m.id WHERE m.company_id = %s "
           f"AND m.kind IN (%s, %s) AND NOT EXISTS (SELECT 1 FROM {move} r "
           f"WHERE r.reversal_of_id = m.id) "
           f"ORDER BY m.item_id, m.warehouse_id, m.date, m.id")
    sqlite = connection.vendor == "sqlite"
    with connection.chunked_cursor() as cur:
        cur.execute(sql, [company.pk, MoveKind.RECEIPT.value, MoveKind.ISSUE.value])
        while rows := cur.fetchmany(chunk_size):
            if not sqlite:
                yield from rows
                continue
            for r in rows:
                date = r[2] if isinstance(r[2], dt.date) else dt.date.fromisoformat(r[2])
                yield (r[0], r[1], date, r[3], r[4],
                       *(decode_sortable(v) if v is not None and n != 2 else v
                         for n, v in enumerate(r[5:])))  # r[7] is the layer id


def inventory_recompute_all(*, company, actor=None, repair: bool = False,
                            chunk_size: int = 10_000) -> RecomputeResult:
    """Every (item, warehouse) replayed FIFO from its first move, streamed in (item,
    warehouse, date, id) order: each issue's cost (its value plus its re-costs) and each
    layer's remaining quantity and value must come out as stored. ``repair`` runs a
    re-cost job from the first move of each pair that differs, which appends the RECOST
    moves and posts the differences through the posting service. Pairs that went below
    zero (allowed negative stock: the settlements live on the receipts) are listed in
    ``skipped_negative`` instead of being judged."""
    adjusted = {r["adjusts_id"]: r["v"] or ZERO for r in (
        StockMove.objects.filter(company=company, kind=MoveKind.RECOST,
                                 adjusts__isnull=False)
        .values("adjusts_id").annotate(v=DecimalSum("value")).order_by())}
    result = RecomputeResult()
    firsts: dict[tuple[int, int], dt.date] = {}
    key, check = None, None

    def close():
        if check is None:
            return
        result.pairs += 1
        if check.negative:
            result.skipped_negative.append(key)
        elif not check.finish():
            result.differing.append(key)
            firsts[key] = check.first_date

    with transaction.atomic():  # one snapshot of the data (and a server-side cursor)
        for row in _stream(company, chunk_size):
            if (row[0], row[1]) != key:
                close()
                key, check = (row[0], row[1]), _PairCheck()
            check.feed(row, adjusted)
            result.moves += 1
        close()
    if repair:
        for item_id, warehouse_id in result.differing:
            job = RecostJob.objects.create(company=company, item_id=item_id,
                                           warehouse_id=warehouse_id,
                                           from_date=firsts[(item_id, warehouse_id)],
                                           actor=actor if getattr(actor, "pk", None) else None)
            result.jobs.append(recost_job_run(job_id=job.pk))
            for other in (RecostJob.objects.filter(company=company, item_id=item_id,
                                                   warehouse_id=warehouse_id)
                          .exclude(state=RecostState.DONE).order_by("pk")):
                recost_job_run(job_id=other.pk)  # finds nothing left: no longer stale
    return result
