"""Real concurrency on PostgreSQL (SQLite ignores row locks: DESIGN.md convention 5)."""

from __future__ import annotations

import datetime as dt
import random
import threading

import pytest
from django.db import connection, transaction

from cuadra.sequences import services
from cuadra.sequences.models import IssuedNumber, SequenceCounter
from cuadra.tenancy.services import branch_create

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

D = dt.date(2025, 3, 10)
THREADS, PER_THREAD = 16, 200


class Rollback(Exception):
    pass


def run_threads(count, target):
    errors: list[BaseException] = []

    def wrapper(i):
        try:
            target(i)
        except BaseException as exc:  # reported to the test, not lost in the thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=wrapper, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not any(t.is_alive() for t in threads), "a writer hung (deadlock?)"
    return errors


def test_one_series_under_16_writers_is_gapless_with_rollbacks(demo):
    committed: list[str] = []
    rolled_back = [0]
    lock = threading.Lock()
    start = threading.Barrier(THREADS)

    def writer(i):
        rng = random.Random(i)
        start.wait()
        for _ in range(PER_THREAD):
            try:
                with transaction.atomic():
                    number = services.sequence_next(company=demo, document_type="INVOICE",
                                                    date=D)
                    if rng.random() < 0.10:
                        raise Rollback
            except Rollback:
                with lock:
                    rolled_back[0] += 1
                continue
            with lock:
                committed.append(number)

    errors = run_threads(THREADS, writer)
    assert errors == []
    n = THREADS * PER_THREAD - rolled_back[0]
    assert rolled_back[0] > 0 and len(committed) == n
    assert len(set(committed)) == n  # no duplicate
    assert sorted(committed) == [f"FAC-2025-{v:06d}" for v in range(1, n + 1)]
    issued = IssuedNumber.objects.filter(company=demo, document_type="INVOICE")
    assert sorted(issued.values_list("value", flat=True)) == list(range(1, n + 1))
    assert SequenceCounter.objects.get(company=demo, period_key="2025").last_value == n


def _holds_while_other_issues(first: dict, second: dict) -> tuple[bool, str]:
    """Thread A takes a number from ``first`` and keeps its transaction open; thread B then
    takes one from ``second`` with a 2 s lock timeout. Returns (B finished while A held its
    lock, B's outcome)."""
    a_holds, b_done = threading.Event(), threading.Event()
    outcome = {}

    def a(_):
        with transaction.atomic():
            services.sequence_next(**first)
            a_holds.set()
            outcome["b_finished_in_time"] = b_done.wait(timeout=10)

    def b(_):
        assert a_holds.wait(timeout=10)
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '2s'")
                outcome["b"] = services.sequence_next(**second)
        except Exception as exc:
            outcome["b"] = type(exc).__name__
        finally:
            b_done.set()

    errors = run_threads(2, lambda i: (a, b)[i](i))
    assert errors == []
    return outcome["b_finished_in_time"], outcome["b"]


def test_unrelated_series_never_wait_on_each_other(demo, otra):
    branch_create(company=demo, code="0001", name="Colón")
    services.auto_sequence_create(company=demo, actor=None, document_type="INVOICE",
                                  prefix="FAC-{YYYY}-S1-", branch_code="0001")
    invoice = {"company": demo, "document_type": "INVOICE", "date": D}
    others = {
        "another branch": {**invoice, "branch": "0001"},
        "another type": {**invoice, "document_type": "QUOTE"},
        "another company": {**invoice, "company": otra},
        "another period": {**invoice, "date": dt.date(2026, 1, 5)},
    }
    for name, second in others.items():
        in_time, b = _holds_while_other_issues(invoice, second)
        assert in_time and b.endswith("000001"), (name, b)


def test_same_series_does_wait(demo):
    """The control for the test above: the same series does serialise (B times out)."""
    invoice = {"company": demo, "document_type": "INVOICE", "date": D}
    in_time, b = _holds_while_other_issues(invoice, invoice)
    assert in_time and b == "OperationalError"
    assert IssuedNumber.objects.filter(company=demo).count() == 1


def test_sequence_next_outside_a_transaction_is_refused(demo):
    assert not connection.in_atomic_block
    with pytest.raises(RuntimeError):
        services.sequence_next(company=demo, document_type="INVOICE", date=D)
    assert IssuedNumber.objects.count() == 0
