"""Every allowed pair moves the document and records it; every refused pair writes nothing."""

from __future__ import annotations

import pytest

from cuadra.core.errors import InvalidTransition, PermissionDenied
from cuadra.core.models import AuditLog
from cuadra.documents.lifecycle import transition, workflow_for
from cuadra.documents.models import DocumentHistory
from tests.docapp.models import WORKFLOWS
from tests.docapp.registry import effect_log
from tests.documents.conftest import path_to

ALLOWED = [(key, t.action, source, t.target)
           for key, w in WORKFLOWS.items() for t in w.transitions for source in t.sources]
REFUSED = [(key, action, state)
           for key, w in WORKFLOWS.items() for state in w.states
           for action in (*w.actions, "frobnicate") if action not in w.actions_from(state)]


def _snapshot(doc):
    return (type(doc).objects.get(pk=doc.pk).status,
            DocumentHistory.objects.filter(object_id=doc.pk).count(),
            len(effect_log(doc)), AuditLog.objects.filter(action="transition").count())


@pytest.mark.parametrize("key,action,source,target", ALLOWED,
                         ids=[f"{k}:{a}:{s}" for k, a, s, _ in ALLOWED])
def test_allowed_pair_moves_and_records(key, action, source, target, make_doc, drive, owner,
                                        use_workflow, demo):
    use_workflow(key)
    doc = drive(make_doc(), path_to(WORKFLOWS[key], source))
    assert doc.status == source
    before = DocumentHistory.objects.filter(object_id=doc.pk).count()

    returned = transition(document=doc, action=action, actor=owner, comment="ok")

    assert returned is doc and doc.status == target
    rows = list(DocumentHistory.objects.filter(object_id=doc.pk).order_by("id"))
    assert len(rows) == before + 1
    last = rows[-1]
    assert (last.company_id, last.document_type, last.action, last.from_state, last.to_state,
            last.actor_id, last.comment) == (demo.pk, "TEST_DOCUMENT", action, source, target,
                                             owner.pk, "ok")
    audit = AuditLog.objects.filter(action="transition", object_id=str(doc.pk)).first()
    assert audit.operation == f"TEST_DOCUMENT.{action}"
    assert audit.changes == {"status": [source, target]}
    assert audit.company_id == demo.pk and audit.actor_id == owner.pk


@pytest.mark.parametrize("key,action,state", REFUSED,
                         ids=[f"{k}:{a}:{s}" for k, a, s in REFUSED])
def test_refused_pair_writes_nothing(key, action, state, make_doc, drive, owner,
                                     use_workflow):
    use_workflow(key)
    doc = drive(make_doc(), path_to(WORKFLOWS[key], state))
    before = _snapshot(doc)

    with pytest.raises(InvalidTransition) as exc:
        transition(document=doc, action=action, actor=owner)

    assert exc.value.code == "INVALID_TRANSITION"
    assert _snapshot(doc) == before
    assert doc.status == state


PERMS = [(key, t.action, source, t.path, t.perm)
         for key, w in WORKFLOWS.items() for t in w.transitions for source in t.sources[:1]]


@pytest.mark.parametrize("key,action,source,path,perm", PERMS,
                         ids=[f"{k}:{a}:{s}" for k, a, s, _, _ in PERMS])
def test_each_transition_checks_its_own_permission(key, action, source, path, perm, make_doc,
                                                   drive, use_workflow, user_without):
    use_workflow(key)
    doc = drive(make_doc(), path_to(WORKFLOWS[key], source))
    before = _snapshot(doc)

    with pytest.raises(PermissionDenied) as exc:
        transition(document=doc, action=action, actor=user_without(path, perm))

    assert exc.value.code == "PERMISSION_DENIED"
    assert _snapshot(doc) == before


def test_builtin_roles_split_the_five_stages(make_doc, drive, use_workflow, users):
    """Sales may post but not approve sales invoices; the auditor may only look."""
    use_workflow("five_stage")
    doc = make_doc()
    with pytest.raises(PermissionDenied):
        transition(document=doc, action="audit", actor=users["ventas"])
    with pytest.raises(PermissionDenied):
        transition(document=doc, action="cancel", actor=users["auditor"])
    drive(doc, ["audit", "confirm"])
    transition(document=doc, action="storage_audit", actor=users["ventas"])
    assert doc.status == "storage_audit"


def test_other_company_user_is_refused(make_doc, users):
    doc = make_doc()
    with pytest.raises(PermissionDenied):
        transition(document=doc, action="submit", actor=users["otra"])
    assert type(doc).objects.get(pk=doc.pk).status == "draft"


def test_default_workflow_and_per_company_choice(demo, otra, use_workflow, make_doc):
    assert workflow_for(company=demo, document_type="TEST_DOCUMENT").key == "requisition"
    use_workflow("five_stage")
    assert workflow_for(company=demo, document_type="TEST_DOCUMENT").key == "five_stage"
    assert workflow_for(company=otra, document_type="TEST_DOCUMENT").key == "requisition"


def test_status_is_never_assigned_outside_the_lifecycle(make_doc, owner):
    doc = make_doc()
    doc.status = "converted"
    with pytest.raises(InvalidTransition):
        doc.save()
    assert type(doc).objects.get(pk=doc.pk).status == "draft"
    doc.refresh_from_db()
    doc.title = "Otro"
    doc.save()  # other fields save normally
    assert type(doc).objects.get(pk=doc.pk).title == "Otro"


def test_a_new_document_starts_in_the_initial_state(make_doc, use_workflow):
    with pytest.raises(InvalidTransition):
        make_doc(status="submitted")
    assert make_doc(status="draft").status == "draft"


def test_transition_leaves_other_unsaved_edits_alone(make_doc, owner):
    """The caller's instance is refreshed from the row: status comes only from the table."""
    doc = make_doc()
    transition(document=doc, action="submit", actor=owner)
    assert (doc.status, doc._loaded_status) == ("submitted", "submitted")
    doc.title = "edit after submit"
    doc.save()
    assert type(doc).objects.get(pk=doc.pk).status == "submitted"
