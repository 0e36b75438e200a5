"""Two concurrent transitions of one document: the row lock serialises them, the second
re-reads the new status and is refused. PostgreSQL only (SQLite ignores row locks)."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection

from cuadra.core.errors import InvalidTransition
from cuadra.documents.lifecycle import register_guard, transition, unregister_guard
from cuadra.documents.models import DocumentHistory


def _slow_guard(ctx):
    time.sleep(0.3)  # hold the row lock long enough for the other thread to queue on it


@pytest.mark.postgres
@pytest.mark.parametrize("actions", [("submit", "submit"), ("convert", "reject")])
def test_two_concurrent_transitions_one_wins(transactional_db, make_doc, drive, owner,
                                             actions):
    doc = make_doc()
    if actions[0] == "convert":
        drive(doc, ["submit"])
    before = DocumentHistory.objects.filter(object_id=doc.pk).count()
    register_guard("TEST_DOCUMENT", None, _slow_guard, name="slow")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def run(action):
        try:
            barrier.wait()
            mine = type(doc).objects.get(pk=doc.pk)  # each thread its own stale copy
            transition(document=mine, action=action, actor=owner)
            outcomes.append("ok:" + action)
        except InvalidTransition:
            outcomes.append("invalid")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(a,)) for a in actions]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
    finally:
        unregister_guard("TEST_DOCUMENT", "slow")

    assert sorted(o.split(":")[0] for o in outcomes) == ["invalid", "ok"]
    (winner,) = [o.split(":")[1] for o in outcomes if o.startswith("ok")]
    rows = list(DocumentHistory.objects.filter(object_id=doc.pk).order_by("id"))
    assert len(rows) == before + 1 and rows[-1].action == winner
    assert type(doc).objects.get(pk=doc.pk).status == rows[-1].to_state


@pytest.mark.postgres
def test_a_locked_document_does_not_block_another_of_the_same_company(transactional_db,
                                                                      make_doc, owner):
    slow_doc, other_doc = make_doc(), make_doc()
    started = threading.Event()

    def hold(ctx):
        if ctx.document.pk == slow_doc.pk:
            started.set()
            time.sleep(1.0)

    register_guard("TEST_DOCUMENT", None, hold, name="hold")
    finished: list[int] = []

    def run(doc):
        try:
            transition(document=type(doc).objects.get(pk=doc.pk), action="submit", actor=owner)
            finished.append(doc.pk)
        finally:
            connection.close()

    slow = threading.Thread(target=run, args=(slow_doc,))
    try:
        slow.start()
        assert started.wait(10)
        fast = threading.Thread(target=run, args=(other_doc,))
        fast.start()
        fast.join(timeout=30)
        slow.join(timeout=30)
    finally:
        unregister_guard("TEST_DOCUMENT", "hold")
    assert finished == [other_doc.pk, slow_doc.pk]
