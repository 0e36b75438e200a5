"""Bounded re-costing after a backdated move (pain points 5 and 8: O(changes), not
O(history)).

A :class:`RecostJob` names one (item, warehouse) and the date of the backdated move. The
job rebuilds the FIFO state of that pair as it stood at the start of ``from_date`` (each
older layer's quantity less what moves dated before ``from_date`` drew from it), replays
only the moves dated from ``from_date`` on, and for each issue whose cost or draws come
out different appends a RECOST move (quantity 0, ``adjusts`` the issue) with correcting
consumption rows, and posts the value difference through the posting service (inventory
against the issue's counter role). Posted lines and earlier moves are never edited.
Finally the layers take the replayed remaining quantities and values.

Idempotent: a DONE job does nothing; a replay compares against the issue's value *plus*
its earlier RECOST moves, so running it again finds no difference. Resumable: the work is
one transaction; a failure (e.g. a closed period) rolls it back and leaves the job FAILED
with the error, and running it again starts over from ``from_date`` (``cursor`` records
the last move re-costed by the run that finished).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db import transaction

from cuadra.core.errors import DomainError
from cuadra.core.money import ZERO, DecimalSum
from cuadra.inventory import posting, valuation
from cuadra.inventory.enums import MoveKind, RecostState
from cuadra.inventory.models import CostLayer, LayerConsumption, RecostJob, StockMove


def recost_job_run(*, job_id: int) -> RecostJob:
    with transaction.atomic():
        job = RecostJob.objects.select_for_update().select_related(
            "company", "item", "warehouse").get(pk=job_id)
        if job.state == RecostState.DONE:
            return job
        try:
            with transaction.atomic():
                _replay(job)
        except DomainError as exc:
            job.state, job.error = RecostState.FAILED, f"{exc.code}: {exc.message}"
        else:
            job.state, job.error = RecostState.DONE, ""
        job.save()
        return job


def _opening(company, layers: list[CostLayer], from_date) -> list[valuation.Layer]:
    before = [la for la in layers if la.date < from_date]
    used = {r["layer_id"]: (r["q"] or ZERO, r["v"] or ZERO) for r in (
        LayerConsumption.objects.filter(company=company, layer__in=before,
                                        move__date__lt=from_date)
        .values("layer_id").annotate(q=DecimalSum("quantity"), v=DecimalSum("value"))
        .order_by())}
    return [valuation.Layer(key=la.pk, quantity=la.quantity, unit_cost=la.unit_cost,
                            value=la.value, remaining=la.quantity - used.get(la.pk, (ZERO,))[0],
                            remaining_value=la.value - used.get(la.pk, (ZERO, ZERO))[1])
            for la in before]


def _recorded(issue: StockMove) -> tuple[Decimal, dict]:
    """The issue's cost so far and its net draws per layer (its own and its re-costs)."""
    cost = -issue.value - sum((m.value for m in issue.adjustments.all()), ZERO)
    draws: dict = defaultdict(lambda: [ZERO, ZERO])
    for c in LayerConsumption.objects.filter(move__in=[issue, *issue.adjustments.all()]):
        draws[c.layer_id][0] += c.quantity
        draws[c.layer_id][1] += c.value
    return cost, {k: tuple(v) for k, v in draws.items() if v != [ZERO, ZERO]}


def _replay(job: RecostJob) -> None:
    company, item, warehouse = job.company, job.item, job.warehouse
    rows = {la.pk: la for la in CostLayer.objects.select_for_update(of=("self",))
            .filter(company=company, item=item, warehouse=warehouse).order_by("date", "id")}
    by_move = {la.move_id: la for la in rows.values()}
    queue = valuation.FifoQueue(_opening(company, list(rows.values()), job.from_date),
                                allow_negative=True, fallback_cost=item.cost or ZERO)
    moves = list(StockMove.objects.filter(company=company, item=item, warehouse=warehouse,
                                          date__gte=job.from_date,
                                          kind__in=[MoveKind.RECEIPT, MoveKind.ISSUE])
                 .filter(reversals__isnull=True).order_by("date", "id"))
    for move in moves:
        layer = by_move.get(move.pk)
        if move.kind == MoveKind.RECEIPT:
            queue.layers.append(valuation.Layer(
                key=layer.pk, quantity=layer.quantity, unit_cost=layer.unit_cost,
                value=layer.value, remaining=layer.quantity, remaining_value=layer.value))
            continue
        issue = queue.issue(-move.quantity, key=layer.pk if layer else ("new", move.pk))
        new = {d.layer.key: (d.quantity, d.value) for d in issue.draws}
        cost, old = _recorded(move)
        if new == old and issue.value == cost:
            continue
        _correct(job, move, issue.value - cost, old, new)
    _write_back(company, item, warehouse, rows, queue, moves)


def _correct(job: RecostJob, issue: StockMove, delta: Decimal, old: dict, new: dict) -> None:
    fix = StockMove.objects.create(
        company=job.company, item=issue.item, warehouse=issue.warehouse, date=issue.date,
        kind=MoveKind.RECOST, quantity=ZERO, value=-delta, unit_cost=ZERO,
        source_type=issue.source_type, source_id=issue.source_id, adjusts=issue,
        actor=job.actor)
    for key in sorted(set(old) | set(new), key=str):
        if isinstance(key, tuple):
            continue  # a negative layer the replay creates is written in _write_back
        dq = new.get(key, (ZERO, ZERO))[0] - old.get(key, (ZERO, ZERO))[0]
        dv = new.get(key, (ZERO, ZERO))[1] - old.get(key, (ZERO, ZERO))[1]
        if dq or dv:
            LayerConsumption.objects.create(company=job.company, move=fix, layer_id=key,
                                            quantity=dq, value=dv)
    if delta:
        posting.post_value_change(company=job.company, actor=job.actor, move=fix,
                                  memo=f"Re-cost of {issue.source_type} {issue.source_id} "
                                       f"after a backdated move")
    job.cursor = issue.pk
    job.moves_recosted += 1
    job.difference += delta


def _write_back(company, item, warehouse, rows, queue, moves) -> None:
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
