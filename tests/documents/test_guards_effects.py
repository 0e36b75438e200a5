"""Guards run before effects and can refuse; effects run by stage name and are compensated
going back; a refusal anywhere rolls back everything the transition did."""

from __future__ import annotations

import pytest

from cuadra.core.errors import DomainError, ErrorCode, InvalidTransition
from cuadra.documents.lifecycle import (
    register_effect,
    register_guard,
    subscribe,
    transition,
    unregister_effect,
    unregister_guard,
    unsubscribe,
)
from cuadra.documents.models import DocumentHistory
from tests.docapp.registry import effect_log

T = "TEST_DOCUMENT"


@pytest.fixture
def guard():
    """Register a guard for the test, removed afterwards."""
    names = []

    def add(action, fn, name="test_guard"):
        register_guard(T, action, fn, name=name)
        names.append(name)
    yield add
    for name in names:
        unregister_guard(T, name)


def _refuse(ctx):
    raise DomainError("approval needed", code=ErrorCode.APPROVAL_REQUIRED)


def test_guard_sees_the_locked_document_and_context(make_doc, owner, guard, demo):
    seen = []
    guard("submit", lambda ctx: seen.append((ctx, ctx.document.status)))
    doc = make_doc()
    transition(document=doc, action="submit", actor=owner, comment="please")
    ((ctx, status_then),) = seen
    assert (ctx.document.pk, status_then, ctx.transition.action, ctx.actor,
            ctx.company, ctx.comment, ctx.from_state, ctx.workflow.key) == (
        doc.pk, "draft", "submit", owner, demo, "please", "draft", "requisition")


def test_guard_for_every_action(make_doc, owner, guard, drive):
    seen = []
    guard(None, lambda ctx: seen.append(ctx.transition.action))
    drive(make_doc(), ["submit", "reject", "submit", "convert"])
    assert seen == ["submit", "reject", "submit", "convert"]


def test_guard_for_another_action_does_not_run(make_doc, owner, guard):
    guard("convert", _refuse)
    doc = make_doc()
    transition(document=doc, action="submit", actor=owner)
    assert doc.status == "submitted"


def test_guard_refusal_propagates_and_writes_nothing(make_doc, owner, guard, drive):
    guard("convert", _refuse)
    doc = drive(make_doc(), ["submit"])
    with pytest.raises(DomainError) as exc:
        transition(document=doc, action="convert", actor=owner)
    assert exc.value.code == "APPROVAL_REQUIRED"
    assert type(doc).objects.get(pk=doc.pk).status == "submitted"
    assert effect_log(doc) == []
    assert DocumentHistory.objects.filter(object_id=doc.pk).count() == 1


def test_a_failing_later_effect_rolls_back_earlier_effects(make_doc, owner, use_workflow):
    use_workflow("simple")
    register_effect(T, "entry_audit", apply=_refuse, compensate=None, name="boom")
    try:
        doc = make_doc()
        with pytest.raises(DomainError):
            transition(document=doc, action="issue", actor=owner)
    finally:
        unregister_effect(T, "entry_audit", "boom")
    assert effect_log(doc) == []  # the storage_audit effect that ran is rolled back
    assert type(doc).objects.get(pk=doc.pk).status == "draft"
    assert not DocumentHistory.objects.filter(object_id=doc.pk).exists()


def test_simple_runs_stock_and_ledger_at_issue_and_reverses_at_void(make_doc, drive,
                                                                    use_workflow):
    use_workflow("simple")
    doc = drive(make_doc(), ["issue"])
    assert effect_log(doc) == [("apply", "storage_audit", "issue"),
                               ("apply", "entry_audit", "issue")]
    drive(doc, ["void"])
    assert doc.status == "voided"
    assert effect_log(doc)[2:] == [("compensate", "entry_audit", "void"),
                                   ("compensate", "storage_audit", "void")]


def test_simple_cancel_of_a_draft_runs_no_effect(make_doc, drive, use_workflow):
    use_workflow("simple")
    doc = drive(make_doc(), ["cancel"])
    assert (doc.status, effect_log(doc)) == ("cancelled", [])


def test_five_stage_binds_each_effect_to_its_stage(make_doc, drive, use_workflow):
    use_workflow("five_stage")
    doc = drive(make_doc(), ["audit", "confirm"])
    assert effect_log(doc) == []
    drive(doc, ["storage_audit"])
    assert effect_log(doc) == [("apply", "storage_audit", "storage_audit")]
    drive(doc, ["entry_audit", "finalize"])
    assert doc.status == "final"
    assert effect_log(doc) == [("apply", "storage_audit", "storage_audit"),
                               ("apply", "entry_audit", "entry_audit")]


def test_five_stage_reopen_and_walk_back_compensates_each_stage(make_doc, drive,
                                                                use_workflow):
    use_workflow("five_stage")
    doc = drive(make_doc(), ["audit", "confirm", "storage_audit", "entry_audit", "finalize"])
    drive(doc, ["reopen"])
    assert doc.status == "entry_audit" and len(effect_log(doc)) == 2  # reopening undoes nothing
    drive(doc, ["reverse"])
    assert doc.status == "storage_audit"
    assert effect_log(doc)[2:] == [("compensate", "entry_audit", "reverse")]
    drive(doc, ["reverse", "reverse", "reverse"])
    assert doc.status == "draft"
    assert effect_log(doc)[2:] == [("compensate", "entry_audit", "reverse"),
                                   ("compensate", "storage_audit", "reverse")]
    # and forward again applies afresh: a reversal and a re-posting, never an edit
    drive(doc, ["audit", "confirm", "storage_audit"])
    assert effect_log(doc)[-1] == ("apply", "storage_audit", "storage_audit")


def test_final_cannot_be_stepped_back_past_entry(make_doc, drive, use_workflow, owner):
    use_workflow("five_stage")
    doc = drive(make_doc(), ["audit", "confirm", "storage_audit", "entry_audit", "finalize"])
    with pytest.raises(InvalidTransition):
        transition(document=doc, action="reverse", actor=owner)
    with pytest.raises(InvalidTransition):
        transition(document=doc, action="void", actor=owner)


def test_compensations_run_in_reverse_registration_order(make_doc, drive, use_workflow):
    use_workflow("five_stage")
    calls = []
    register_effect(T, "entry_audit", apply=lambda c: calls.append("second.apply"),
                    compensate=lambda c: calls.append("second.undo"), name="second")
    try:
        drive(make_doc(), ["audit", "confirm", "storage_audit", "entry_audit", "reverse"])
    finally:
        unregister_effect(T, "entry_audit", "second")
    assert calls == ["second.apply", "second.undo"]


def test_an_effect_without_compensation_is_skipped_going_back(make_doc, drive, use_workflow):
    use_workflow("simple")
    calls = []
    register_effect(T, "storage_audit", apply=lambda c: calls.append("notify"),
                    compensate=None, name="notify_only")
    try:
        doc = drive(make_doc(), ["issue", "void"])
    finally:
        unregister_effect(T, "storage_audit", "notify_only")
    assert calls == ["notify"] and doc.status == "voided"


def test_registering_the_same_name_twice_replaces(make_doc, owner, guard):
    seen = []
    guard("submit", lambda c: seen.append(1), name="dup")
    guard("submit", lambda c: seen.append(2), name="dup")
    transition(document=make_doc(), action="submit", actor=owner)
    assert seen == [2]


def test_subscribers_hear_after_commit_only(make_doc, owner, guard,
                                            django_capture_on_commit_callbacks):
    heard = []

    def listener(document, history):
        heard.append((document.pk, history.action, history.to_state))
    subscribe(T, listener)
    try:
        doc = make_doc()
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            transition(document=doc, action="submit", actor=owner)
            assert heard == []  # not before the commit
        assert len(callbacks) == 1
        assert heard == [(doc.pk, "submit", "submitted")]
        guard("convert", _refuse)
        with (django_capture_on_commit_callbacks(execute=True) as callbacks,
              pytest.raises(DomainError)):
            transition(document=doc, action="convert", actor=owner)
        assert callbacks == [] and len(heard) == 1  # a refusal publishes nothing
    finally:
        unsubscribe(T, listener)
