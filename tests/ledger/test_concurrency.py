"""PostgreSQL only: concurrent posts serialise per company into a gapless chain and
gapless numbers (SQLite ignores row locks, DESIGN.md convention 5)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection

from cuadra.ledger import services
from cuadra.ledger.models import JournalEntry, LedgerAuditLog
from cuadra.ledger.selectors import ledger_verify
from cuadra.tenancy.models import Company

THREADS = 6
PER_THREAD = 5


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_posts_give_a_gapless_chain(platform):
    companies = [platform.demo, platform.otra]
    errors: list[BaseException] = []
    start = threading.Barrier(THREADS)

    def worker(index: int) -> None:
        try:
            company = Company.objects.get(pk=companies[index % 2].pk)
            start.wait()
            for i in range(PER_THREAD):
                services.journal_entry_post(
                    company=company, actor=None, journal="GEN", date=dt.date(2025, 7, 1),
                    idempotency_key=f"t{index}-{i}",
                    lines=[{"account": "110101", "debit": f"{index}.{i}1"},
                           {"account": "4101", "credit": f"{index}.{i}1"}])
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    per_company = THREADS // 2 * PER_THREAD
    for company in companies:
        numbers = sorted(JournalEntry.objects.filter(company=company)
                         .values_list("number", flat=True))
        assert numbers == [f"AS-2025-{n:06d}" for n in range(1, per_company + 1)]
        seqs = list(LedgerAuditLog.objects.filter(company=company).order_by("seq")
                    .values_list("seq", flat=True))
        assert seqs == list(range(1, per_company + 1))
        result = ledger_verify(company=company)
        assert (result.ok, result.entries) == (True, per_company)
