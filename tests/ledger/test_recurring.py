"""Recurring entries: posted once per period by the beat task, missed periods caught up."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from cuadra.core.errors import ValidationError
from cuadra.ledger.models import JournalEntry, RecurringEntry, RecurringEntryRun
from cuadra.ledger.services import period_for_date
from cuadra.ledger.services.recurring import (
    occurrences_due,
    recurring_entries_post,
    recurring_entry_create,
    recurring_entry_deactivate,
)
from tests.conftest import error_codes, row_counts
from tests.ledger.conftest import lines

RENT = lines(("6201", "1500.00", None), ("110103", None, "1500.00"))


@pytest.fixture
def rent(demo, owner):
    return recurring_entry_create(company=demo, actor=owner, name="Alquiler", journal="GEN",
                                  lines=RENT, frequency="MONTHLY",
                                  start_date=dt.date(2025, 1, 31), memo="Alquiler local")


def _posted(template):
    return list(JournalEntry.objects.filter(source_type="ledger.RecurringEntry",
                                            source_id=str(template.pk)).order_by("date"))


def test_schedule_clamps_to_month_end_and_stops_at_end_date(rent):
    assert occurrences_due(rent, dt.date(2025, 4, 29)) == [
        ("2025-01", dt.date(2025, 1, 31)), ("2025-02", dt.date(2025, 2, 28)),
        ("2025-03", dt.date(2025, 3, 31))]
    rent.end_date = dt.date(2025, 2, 28)
    assert [k for k, _ in occurrences_due(rent, dt.date(2025, 12, 31))] == ["2025-01",
                                                                           "2025-02"]


def test_yearly_schedule(demo, owner):
    insurance = recurring_entry_create(
        company=demo, actor=owner, name="Seguro", journal="GEN", frequency="YEARLY",
        start_date=dt.date(2023, 7, 1), day_of_month=15,
        lines=lines(("6201", "1200", None), ("110103", None, "1200")))
    assert occurrences_due(insurance, dt.date(2025, 7, 14)) == [
        ("2023", dt.date(2023, 7, 15)), ("2024", dt.date(2024, 7, 15))]


def test_task_catches_up_and_posts_each_period_once(demo, rent):
    posted = recurring_entries_post(today=dt.date(2025, 3, 31))
    assert [e.date for e in posted] == [dt.date(2025, 1, 31), dt.date(2025, 2, 28),
                                        dt.date(2025, 3, 31)]
    entry = posted[0]
    assert (entry.memo, entry.reference, entry.state) == ("Alquiler local",
                                                          "Alquiler 2025-01", "posted")
    assert [(li.account.code, li.debit, li.credit) for li in entry.lines.order_by("line_no")] \
        == [("6201", Decimal("1500.00"), Decimal("0")), ("110103", Decimal("0"),
                                                         Decimal("1500.00"))]
    before = row_counts()
    for _ in range(3):  # however often beat runs, nothing posts twice
        assert recurring_entries_post(today=dt.date(2025, 3, 31)) == []
    assert row_counts() == before
    assert [e.date for e in recurring_entries_post(today=dt.date(2025, 4, 30))] == [
        dt.date(2025, 4, 30)]
    assert RecurringEntryRun.objects.filter(template=rent).count() == 4
    assert len(_posted(rent)) == 4


def test_the_celery_task_runs_the_service(demo, rent, monkeypatch):
    from cuadra.ledger import tasks
    from cuadra.ledger.services import recurring

    monkeypatch.setattr(recurring.timezone, "localdate", lambda: dt.date(2025, 2, 1))
    ids = tasks.recurring_entries_post.delay().get()
    assert len(ids) == 1
    assert tasks.recurring_entries_post.delay().get() == []


def test_a_closed_period_is_noted_and_retried(demo, owner, rent):
    february = period_for_date(company=demo, date=dt.date(2025, 2, 10))
    from cuadra.ledger.models import Period

    Period.objects.filter(pk=february.pk).update(state="locked")
    posted = recurring_entries_post(today=dt.date(2025, 3, 31))
    assert [e.date for e in posted] == [dt.date(2025, 1, 31), dt.date(2025, 3, 31)]
    rent.refresh_from_db()
    assert rent.last_error.startswith("2025-02: PERIOD_CLOSED")
    assert not RecurringEntryRun.objects.filter(template=rent, period_key="2025-02").exists()


def test_deactivated_templates_do_not_post(demo, owner, rent):
    recurring_entry_deactivate(company=demo, actor=owner, template=rent)
    assert recurring_entries_post(today=dt.date(2025, 6, 30)) == []


def test_bad_templates_are_refused_whole_and_write_nothing(demo, owner):
    before = row_counts()
    with pytest.raises(ValidationError) as refused:
        recurring_entry_create(
            company=demo, actor=owner, name="", journal="NOPE", frequency="WEEKLY",
            start_date=dt.date(2025, 1, 1), day_of_month=32,
            lines=lines(("6201", "10", None), ("1", None, "9")))
    assert sorted(e.field for e in refused.value.errors) == [
        "dayOfMonth", "frequency", "journal", "lines", "lines[1].account", "name"]
    assert row_counts() == before


def test_recurring_entries_over_graphql(as_demo, as_otra, demo):
    from cuadra.ledger.models import Account

    rent_acc = Account.objects.get(company=demo, code="6201").pk
    bank = Account.objects.get(company=demo, code="110103").pk
    created = as_demo.execute("""mutation($input: RecurringEntryInput!) {
        createRecurringEntry(input: $input) { id name frequency dayOfMonth isActive
          lines { accountId debit credit } } }""", {"input": {
        "name": "Alquiler", "frequency": "MONTHLY", "startDate": "2025-01-05",
        "lines": [{"accountId": str(rent_acc), "debit": "1500.10"},
                  {"accountId": str(bank), "credit": "1500.10"}]}})
    data = created["data"]["createRecurringEntry"]
    assert (data["frequency"], data["dayOfMonth"], data["isActive"]) == ("MONTHLY", 5, True)
    assert data["lines"] == [{"accountId": str(rent_acc), "debit": "1500.1", "credit": None},
                             {"accountId": str(bank), "debit": None, "credit": "1500.1"}]
    listing = as_demo.execute("{ recurringEntries { name } }")["data"]["recurringEntries"]
    assert listing == [{"name": "Alquiler"}]
    assert as_otra.execute("{ recurringEntries { name } }")["data"]["recurringEntries"] == []
    deactivate = "mutation($id: ID!) { deactivateRecurringEntry(id: $id) { isActive } }"
    assert error_codes(as_otra.execute(deactivate, {"id": data["id"]})) == ["NOT_FOUND"]
    done = as_demo.execute(deactivate, {"id": data["id"]})
    assert done["data"]["deactivateRecurringEntry"]["isActive"] is False
    assert RecurringEntry.objects.get(pk=data["id"]).is_active is False


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_beat_runs_post_each_period_once(platform):
    import threading

    from django.db import connection

    from cuadra.ledger.services.recurring import recurring_entries_post as post_due

    template = recurring_entry_create(company=platform.demo, actor=platform.owner,
                                      name="Alquiler", journal="GEN", lines=RENT,
                                      frequency="MONTHLY", start_date=dt.date(2025, 1, 31))
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def worker() -> None:
        try:
            start.wait()
            post_due(today=dt.date(2025, 6, 30))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(RecurringEntryRun.objects.filter(template=template)
                  .values_list("period_key", flat=True)) == [f"2025-0{m}" for m in range(1, 7)]
    assert [e.number for e in _posted(template)] == [f"AS-2025-00000{n}" for n in range(1, 7)]
