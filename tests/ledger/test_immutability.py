"""Posted entries, lines and chain links refuse change: model, queryset, and trigger."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction

from cuadra.core.errors import ImmutableRecord
from cuadra.ledger import services
from cuadra.ledger.models import JournalEntry, JournalLine, LedgerAuditLog, Period
from tests.ledger.conftest import DAY, lines

OK = (("110101", "10", None), ("4101", None, "10"))


def test_model_save_and_delete_refused(post):
    entry = JournalEntry.objects.get(pk=post(*OK).pk)
    entry.memo = "changed"
    with pytest.raises(ImmutableRecord):
        entry.save()
    with pytest.raises(ImmutableRecord):
        entry.delete()
    line = JournalLine.objects.filter(entry=entry).first()
    line.debit = Decimal(11)
    with pytest.raises(ImmutableRecord):
        line.save()
    with pytest.raises(ImmutableRecord):
        line.delete()
    link = LedgerAuditLog.objects.get(entry=entry)
    with pytest.raises(ImmutableRecord):
        link.save()
    with pytest.raises(ImmutableRecord):
        link.delete()
    assert JournalEntry.objects.get(pk=entry.pk).memo == ""


def test_queryset_update_and_delete_refused(post):
    entry = post(*OK)
    for qs in (JournalEntry.objects.filter(pk=entry.pk),
               JournalLine.objects.filter(entry=entry),
               LedgerAuditLog.objects.filter(entry=entry)):
        with pytest.raises(ImmutableRecord):
            qs.update(created_at=entry.created_at)
        with pytest.raises(ImmutableRecord):
            qs.delete()
    assert JournalLine.objects.filter(entry=entry).count() == 2


def _raw_refused(sql: str, params) -> None:
    with pytest.raises(DatabaseError) as info, transaction.atomic(), \
            connection.cursor() as cursor:
        cursor.execute(sql, params)
    assert "IMMUTABLE" in str(info.value)


def test_raw_sql_refused_by_trigger(post, demo, owner):
    entry = post(*OK)
    line = JournalLine.objects.filter(entry=entry).first()
    _raw_refused("UPDATE ledger_journalentry SET memo = 'x' WHERE id = %s", [entry.pk])
    _raw_refused("DELETE FROM ledger_journalentry WHERE id = %s", [entry.pk])
    _raw_refused("UPDATE ledger_journalline SET label = 'x' WHERE id = %s", [line.pk])
    _raw_refused("DELETE FROM ledger_journalline WHERE id = %s", [line.pk])
    _raw_refused("UPDATE ledger_audit_log SET hash = 'x' WHERE entry_id = %s", [entry.pk])
    _raw_refused("DELETE FROM ledger_audit_log WHERE entry_id = %s", [entry.pk])
    # a draft's rows stay editable in SQL: the trigger guards posted rows only
    draft = services.journal_entry_create(company=demo, actor=owner, journal="GEN", date=DAY,
                                          lines=lines(*OK))
    with connection.cursor() as cursor:
        cursor.execute("UPDATE ledger_journalline SET label = 'ok' WHERE entry_id = %s",
                       [draft.pk])
        assert cursor.rowcount == 2


def test_locked_period_row_refused_by_trigger(demo, owner):
    period = services.period_for_date(company=demo, date=DAY)
    services.period_close(company=demo, actor=owner, period=period)
    services.period_lock(company=demo, actor=owner, period=period)
    _raw_refused("UPDATE ledger_period SET state = 'open' WHERE id = %s", [period.pk])
    assert Period.objects.get(pk=period.pk).state == "locked"


@pytest.mark.postgres
def test_postgres_trigger_is_installed(post):
    with connection.cursor() as cursor:
        cursor.execute("SELECT tgname FROM pg_trigger WHERE tgrelid IN "
                       "('ledger_journalentry'::regclass, 'ledger_journalline'::regclass, "
                       "'ledger_audit_log'::regclass) AND NOT tgisinternal ORDER BY tgname")
        names = [r[0] for r in cursor.fetchall()]
    assert names == ["ledger_audit_log_append_only_trg",
                     "ledger_journalentry_append_only_trg",
                     "ledger_journalline_append_only_trg"]
