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
    entry = JournalEntry.objects.get(source_type="inventory.RecostJob", source_id=str(job.pk))
    assert entry.date == out.date
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
    from cuadra.inventory import recost

    receive(jugo, "5", "2.00", date=_day(10), source="R1")
    issue(jugo, "5", date=_day(20), source="I1")

    def refuse(*args, **kwargs):
        raise ValidationError("The period is closed.", field="date")

    monkeypatch.setattr(recost, "_post_differences", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        receive(jugo, "5", "1.00", date=_day(5), source="R3")
    job = RecostJob.objects.get()
    assert job.state == RecostState.FAILED and "closed" in job.error
    assert not StockMove.objects.filter(kind=MoveKind.RECOST).exists()  # rolled back
    assert selectors.stock_on_hand(company=demo, item_id=jugo.pk)[0].stale
    monkeypatch.undo()
    assert recost_job_run(job_id=job.pk).state == RecostState.DONE
    assert StockMove.objects.get(kind=MoveKind.RECOST).value == D("5.00")


def _history(receive, issue, item, prefix):
    receive(item, "5", "2.00", date=_day(10), source=f"{prefix}R1")
    receive(item, "5", "4.00", date=_day(15), source=f"{prefix}R2")
    receive(item, "10", "3.00", date=_day(17), source=f"{prefix}R3")
    for n in range(5):
        issue(item, "3", date=_day(20 + n), source=f"{prefix}I{n}")


def _outcome(item, job):
    recosts = [(m.adjusts.source_id[1:], m.value, sorted(
        (c.layer.move.source_id[1:], c.quantity, c.value) for c in m.consumptions.all()))
        for m in StockMove.objects.filter(item=item, kind=MoveKind.RECOST).order_by("id")]
    layers = [(la.move.source_id[1:], la.remaining, la.remaining_value)
              for la in CostLayer.objects.filter(item=item).order_by("date", "id")]
    entries = sorted((e.date, li.account.role, li.debit, li.credit)
                     for e in JournalEntry.objects.filter(source_type="inventory.RecostJob",
                                                          source_id=str(job.pk))
                     for li in e.lines.all())
    job.refresh_from_db()
    return (recosts, layers, entries, job.state, job.moves_recosted, job.difference)


def test_interrupted_job_resumes_from_its_cursor_with_the_same_result(
        demo, jugo, arroz, receive, issue, django_capture_on_commit_callbacks, monkeypatch):
    from cuadra.inventory import recost

    _history(receive, issue, jugo, "J")
    _history(receive, issue, arroz, "A")
    with django_capture_on_commit_callbacks(execute=False):
        receive(jugo, "4", "1.00", date=_day(5), source="JR0")
        receive(arroz, "4", "1.00", date=_day(5), source="AR0")
    straight = RecostJob.objects.get(item=jugo)
    interrupted = RecostJob.objects.get(item=arroz)
    recost_job_run(job_id=straight.pk, chunk_size=2)

    real_post, posts = recost._post_differences, []

    def killed_on_second_post(job, fixed):
        posts.append(job.pk)
        if len(posts) == 2:
            raise RuntimeError("worker killed")
        real_post(job, fixed)

    monkeypatch.setattr(recost, "_post_differences", killed_on_second_post)
    try:
        recost_job_run(job_id=interrupted.pk, chunk_size=2)
    except RuntimeError:
        pass
    else:  # pragma: no cover - the injected failure must stop the run
        raise AssertionError("the injected failure did not stop the job")
    interrupted.refresh_from_db()
    first_two = StockMove.objects.filter(item=arroz, kind=MoveKind.ISSUE)
    assert (interrupted.state, interrupted.moves_recosted) == (RecostState.RUNNING, 2)
    assert interrupted.cursor == first_two.get(source_id="AI1").pk
    assert StockMove.objects.filter(item=arroz, kind=MoveKind.RECOST).count() == 2
    assert selectors.stock_on_hand(company=demo, item_id=arroz.pk)[0].stale
    assert not [p for p in selectors.inventory_verify(company=demo).problems
                if p.startswith(f"item {arroz.pk} ")]  # every committed chunk is whole

    monkeypatch.setattr(recost, "_post_differences", real_post)
    cursors = []
    real_chunk = recost._chunk

    def spy(job, size):
        cursors.append(job.cursor)
        return real_chunk(job, size)

    monkeypatch.setattr(recost, "_chunk", spy)
    assert recost_job_run(job_id=interrupted.pk, chunk_size=2).state == RecostState.DONE
    assert cursors[0] == first_two.get(source_id="AI1").pk  # resumed, not restarted
    assert len(cursors) == 2  # AI2-AI3, then AI4

    expected = _outcome(jugo, straight)
    assert _outcome(arroz, interrupted) == expected
    assert expected[3:] == (RecostState.DONE, 5, D("-8.00"))
    assert not selectors.stock_on_hand(company=demo, item_id=arroz.pk)[0].stale
    # the fixtures' receipts and issues post nothing: only the stock side is compared
    assert not [p for p in selectors.inventory_verify(company=demo).problems
                if p.startswith("item")]


def test_recompute_all_finds_and_repairs_a_pending_recost(
        demo, jugo, arroz, receive, issue, django_capture_on_commit_callbacks):
    from cuadra.inventory.recost import inventory_recompute_all

    _history(receive, issue, jugo, "J")
    _history(receive, issue, arroz, "A")
    result = inventory_recompute_all(company=demo)
    assert (result.ok, result.moves, result.pairs) == (True, 16, 2)
    with django_capture_on_commit_callbacks(execute=False):
        receive(jugo, "4", "1.00", date=_day(5), source="JR0")
    result = inventory_recompute_all(company=demo)
    principal = StockMove.objects.get(source_id="JR0").warehouse_id
    assert (result.ok, result.differing) == (False, [(jugo.pk, principal)])
    repaired = inventory_recompute_all(company=demo, repair=True)
    [job] = repaired.jobs
    assert (job.state, job.moves_recosted, job.difference) == (RecostState.DONE, 5, D("-8.00"))
    assert inventory_recompute_all(company=demo).ok
    assert not selectors.stale_keys(company=demo)
    # the fixtures' receipts and issues post nothing: only the stock side is compared
    assert not [p for p in selectors.inventory_verify(company=demo).problems
                if p.startswith("item")]
