"""History rows are append-only: model, queryset and a database trigger refuse changes."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from cuadra.core.errors import ImmutableRecord
from cuadra.documents.lifecycle import transition
from cuadra.documents.models import DocumentHistory
from cuadra.documents.selectors import (
    audited_by,
    confirmed_by,
    effective_steps,
    history_of,
    step_actor,
)


@pytest.fixture
def row(make_doc, owner):
    doc = make_doc()
    transition(document=doc, action="submit", actor=owner)
    return DocumentHistory.objects.get(object_id=doc.pk)


def test_save_and_delete_are_refused(row):
    row.comment = "rewritten"
    with pytest.raises(ImmutableRecord):
        row.save()
    with pytest.raises(ImmutableRecord):
        row.delete()
    assert DocumentHistory.objects.get(pk=row.pk).comment == ""


def test_queryset_update_and_delete_are_refused(row):
    with pytest.raises(ImmutableRecord):
        DocumentHistory.objects.filter(pk=row.pk).update(to_state="converted")
    with pytest.raises(ImmutableRecord):
        DocumentHistory.objects.filter(pk=row.pk).delete()
    assert DocumentHistory.objects.get(pk=row.pk).to_state == "submitted"


@pytest.mark.parametrize("sql", ["UPDATE documents_documenthistory SET to_state = 'x' "
                                 "WHERE id = %s",
                                 "DELETE FROM documents_documenthistory WHERE id = %s"])
def test_raw_sql_is_refused_by_the_trigger(row, sql):
    with (pytest.raises(DatabaseError, match="IMMUTABLE"), transaction.atomic(),
          connection.cursor() as cursor):
        cursor.execute(sql, [row.pk])
    assert DocumentHistory.objects.get(pk=row.pk).to_state == "submitted"


def test_review_records_who_audited_and_who_confirmed(make_doc, use_workflow, users, owner):
    use_workflow("review")
    doc = make_doc()
    assert (audited_by(doc), confirmed_by(doc)) == (None, None)
    transition(document=doc, action="audit", actor=owner)
    transition(document=doc, action="confirm", actor=users["contador"])
    assert (audited_by(doc), confirmed_by(doc)) == (owner, users["contador"])
    assert [(r.action, r.actor.username) for r in history_of(doc)] == [
        ("audit", "demo"), ("confirm", "contador")]


def test_a_reversed_step_no_longer_counts(make_doc, use_workflow, users, owner):
    use_workflow("review")
    doc = make_doc()
    for action, actor in [("audit", owner), ("confirm", users["contador"]),
                          ("reverse", owner), ("reverse", owner)]:
        transition(document=doc, action=action, actor=actor)
    assert doc.status == "draft"
    assert (audited_by(doc), confirmed_by(doc)) == (None, None)
    assert effective_steps(doc) == []
    transition(document=doc, action="audit", actor=owner)
    assert (audited_by(doc), confirmed_by(doc)) == (owner, None)
    assert len(history_of(doc)) == 5  # the reversed steps stay in the history


def test_reopen_drops_final_but_keeps_earlier_steps(make_doc, use_workflow, drive, owner):
    use_workflow("five_stage")
    doc = drive(make_doc(), ["audit", "confirm", "storage_audit", "entry_audit", "finalize",
                             "reopen"])
    assert [r.action for r in effective_steps(doc)] == ["audit", "confirm", "storage_audit",
                                                        "entry_audit"]
    assert step_actor(doc, "finalize") is None
    assert step_actor(doc, "storage_audit") == owner
