"""A backdated receipt re-costs only the later issues of its item and warehouse, as a
job (eager Celery here) that is idempotent; the difference is posted, not edited."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from cuadra.inventory import selectors
from cuadra.inventory.enums import MoveKind, RecostState
from cuadra.inventory.models import CostLayer, RecostJob, StockMove
from cuadra.inventory.recost import recost_job_run
from cuadra.ledger.models import JournalEntry

D = Decimal
JAN = dt.date(2025, 1, 1)


def _day(n):
    return JAN + dt.timedelta(days=n - 1)


def test_backdated_receipt_recosts_later_issue_only(demo, jugo, arroz, principal, receive,
                                                    issue,
                                                    django_capture_on_commit_callbacks):
    receive(jugo, "5", "2.00", date=_day(10), source="R1")
    receive(jugo, "5", "4.00", date=_day(15), source="R2")
    out = issue(jugo, "6", date=_day(20), source="I1")
    receive(arroz, "3", "1.00", date=_day(1), source="RA")
    issue(arroz, "1", date=_day(2), source="IA")
    assert out.value == D("-14.00")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        receive(jugo, "5", "1.00", date=_day(5), source="R3")
    job = RecostJob.objects.get()
    assert (job.item, job.from_date, job.state) == (jugo, _day(5), RecostState.PENDING)
    rows = {r.item_id: r for r in selectors.stock_on_hand(company=demo)}
    assert rows[jugo.pk].stale and not rows[arroz.pk].stale
    for callback in callbacks:
        callback()
    job.refresh_from_db()
    assert (job.state, job.moves_recosted, job.difference, job.cursor) == (
        RecostState.DONE, 1, D("-7.00"), out.pk)
    fix = StockMove.objects.get(kind=MoveKind.RECOST)
    assert (fix.adjusts, fix.value, fix.quantity) == (out, D("7.00"), D(0))
    entry = JournalEntry.objects.get(source_type="inventory.StockMove", source_id=str(fix.pk))
    assert sorted((li.account.role, li.debit, li.credit) for li in entry.lines.all()) == [
        ("COGS", D(0), D("7.00")), ("INVENTORY", D("7.00"), D(0))]
    assert [(la.remaining, la.remaining_value) for la in CostLayer.objects.filter(
        item=jugo).order_by("date", "id")] == [(D(0), D(0)), (D(4), D("8.00")),
                                               (D(5), D("20.00"))]
    [row] = selectors.stock_on_hand(company=demo, item_id=jugo.pk)
    assert (row.quantity, row.value, row.stale) == (D(9), D("28.00"), False)
    problems = selectors.inventory_verify(company=demo).problems
    assert not [p for p in problems if p.startswith("item")]
    # only jugo's issue was touched
    assert StockMove.objects.filter(kind=MoveKind.RECOST).count() == 1

    # idempotent: the job again, or a fresh job over the same window, changes nothing
    assert recost_job_run(job_id=job.pk).state == RecostState.DONE
    again = RecostJob.objects.create(company=demo, item=jugo, warehouse=principal,
                                     from_date=_day(1))
    assert recost_job_run(job_id=again.pk).moves_recosted == 0
    assert StockMove.objects.filter(kind=MoveKind.RECOST).count() == 1


def test_move_after_all_others_schedules_nothing(demo, jugo, receive, issue):
    receive(jugo, "5", "2.00", date=_day(10))
    issue(jugo, "1", date=_day(11))
    assert not RecostJob.objects.exists()


def test_failed_job_is_stale_and_resumes(demo, owner, jugo, principal, receive, issue,
                                         django_capture_on_commit_callbacks, monkeypatch):
    from cuadra.core.errors import ValidationError
    from cuadra.inventory import posting

    receive(jugo, "5", "2.00", date=_day(10), source="R1")
    issue(jugo, "5", date=_day(20), source="I1")

    def refuse(**kwargs):
        raise ValidationError("The period is closed.", field="date")

    monkeypatch.setattr(posting, "post_value_change", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        receive(jugo, "5", "1.00", date=_day(5), source="R3")
    job = RecostJob.objects.get()
    assert job.state == RecostState.FAILED and "closed" in job.error
    assert not StockMove.objects.filter(kind=MoveKind.RECOST).exists()  # rolled back
    assert selectors.stock_on_hand(company=demo, item_id=jugo.pk)[0].stale
    monkeypatch.undo()
    assert recost_job_run(job_id=job.pk).state == RecostState.DONE
    assert StockMove.objects.get(kind=MoveKind.RECOST).value == D("5.00")
