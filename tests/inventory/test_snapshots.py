"""Per-period snapshots: scheduled by beat, idempotent, skipped for pairs waiting for a
re-cost, dropped by a backdated move; balances from the last snapshot plus the moves
after it equal a from-scratch sum of the moves on every date."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings

from cuadra.core.money import ZERO
from cuadra.inventory import selectors, tasks
from cuadra.inventory.models import StockMove, StockSnapshot
from cuadra.inventory.snapshots import period_end_before, stock_snapshots_close_due

D = Decimal


def _from_scratch(company, as_of):
    totals = {}
    for m in StockMove.objects.filter(company=company, date__lte=as_of):
        t = totals.setdefault((m.item_id, m.warehouse_id), [ZERO, ZERO])
        t[0] += m.quantity
        t[1] += m.value
    return {k: tuple(v) for k, v in totals.items()}


def _selected(company, as_of):
    return {(r.item_id, r.warehouse_id): (r.quantity, r.value)
            for r in selectors.stock_on_hand(company=company, as_of=as_of, include_zero=True)}


def _check_every_date(company, first, last):
    day = first
    while day <= last:
        assert _selected(company, day) == _from_scratch(company, day), day
        day += dt.timedelta(days=1)
    assert _selected(company, None) == _from_scratch(company, dt.date.max)


def test_beat_schedules_the_snapshots_daily():
    entry = settings.CELERY_BEAT_SCHEDULE["inventory-snapshots"]
    assert entry == {"task": "cuadra.inventory.tasks.snapshots_close",
                     "schedule": 24 * 60 * 60.0}
    assert tasks.snapshots_close.name == entry["task"]


def test_period_end_before():
    assert period_end_before(dt.date(2025, 3, 14)) == dt.date(2025, 2, 28)
    assert period_end_before(dt.date(2025, 1, 1)) == dt.date(2024, 12, 31)


def test_snapshots_plus_later_moves_equal_the_sum_of_moves(
        demo, jugo, arroz, norte, receive, issue, django_capture_on_commit_callbacks):
    receive(jugo, "10", "2.00", date=dt.date(2025, 1, 5), source="R1")
    receive(arroz, "4", "1.50", date=dt.date(2025, 1, 9), source="R2", warehouse=norte)
    issue(jugo, "3", date=dt.date(2025, 1, 20), source="I1")
    assert stock_snapshots_close_due(today=dt.date(2025, 2, 3)) >= 2
    jan = StockSnapshot.objects.filter(company=demo, period_end=dt.date(2025, 1, 31))
    assert sorted((s.item_id, s.quantity, s.value) for s in jan) == [
        (jugo.pk, D(7), D("14.00")), (arroz.pk, D(4), D("6.00"))]

    receive(jugo, "5", "3.00", date=dt.date(2025, 2, 10), source="R3")
    issue(arroz, "1", date=dt.date(2025, 2, 11), source="I2", warehouse=norte)
    issue(jugo, "9", date=dt.date(2025, 2, 25), source="I3")
    assert stock_snapshots_close_due(today=dt.date(2025, 3, 1)) >= 2
    rows = jan.count()
    again = stock_snapshots_close_due(today=dt.date(2025, 3, 2))  # idempotent
    assert StockSnapshot.objects.filter(company=demo).count() == rows * 2
    assert again >= 2
    receive(arroz, "2", "1.00", date=dt.date(2025, 3, 4), source="R4", warehouse=norte)
    _check_every_date(demo, dt.date(2025, 1, 1), dt.date(2025, 3, 31))

    # a backdated receipt drops the pair's snapshots from its date on, and its pair is
    # not snapshotted while the re-cost is pending
    with django_capture_on_commit_callbacks(execute=False) as pending:
        receive(jugo, "2", "1.00", date=dt.date(2025, 1, 25), source="R5")
    assert set(StockSnapshot.objects.filter(company=demo, item=jugo)
               .values_list("period_end", flat=True)) == set()
    stock_snapshots_close_due(today=dt.date(2025, 3, 1))
    assert not StockSnapshot.objects.filter(company=demo, item=jugo).exists()
    _check_every_date(demo, dt.date(2025, 1, 1), dt.date(2025, 3, 31))
    for callback in pending:
        callback()  # the re-cost: RECOST moves dated in January and February
    assert StockMove.objects.filter(item=jugo, kind="recost").exists()
    stock_snapshots_close_due(today=dt.date(2025, 2, 1))
    stock_snapshots_close_due(today=dt.date(2025, 3, 1))
    assert StockSnapshot.objects.filter(company=demo, item=jugo).count() == 2
    _check_every_date(demo, dt.date(2025, 1, 1), dt.date(2025, 3, 31))
