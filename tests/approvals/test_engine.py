"""The approval engine on TEST_DOCUMENT (draft -submit-> submitted -convert-> converted,
reject back to draft): levels, modes, self-approval, rejection, voiding, the guard."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core import mail

from cuadra.approvals import selectors, services
from cuadra.approvals.models import ApprovalDecision, ApprovalRequest, ApprovalStep
from cuadra.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from cuadra.documents.lifecycle import transition
from cuadra.documents.models import DocumentHistory

pytestmark = pytest.mark.django_db


def steps_of(request):
    return [(s.level, s.threshold, s.approval_mode, s.status,
             sorted((d.approver.username, d.status) for d in s.decisions.all()))
            for s in request.steps.order_by("level")]


def convert(document, actor):
    return transition(document=document, action="convert", actor=actor)


def test_below_every_threshold_needs_no_approval(levels, make_doc, submit, compras):
    doc = submit(make_doc("499.99"))
    assert not ApprovalRequest.objects.exists()
    convert(doc, compras)
    assert doc.status == "converted"


def test_800_needs_one_level_then_converts(levels, make_doc, submit, compras, manager,
                                           django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        doc = submit(make_doc("800"))
    request = ApprovalRequest.objects.get()
    assert (request.status, request.amount, request.requester_id) == (
        "PENDING", Decimal("800"), compras.pk)
    assert steps_of(request) == [
        (1, Decimal("500"), "ANY_ONE", "PENDING", [("gerente", "PENDING")])]
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["gerente@example.com"],
         f"[Cuadra] Approval needed: TEST_DOCUMENT #{doc.pk} for 800.00")]

    with pytest.raises(Exception) as exc:
        convert(doc, compras)
    assert exc.value.code == "APPROVAL_REQUIRED"
    assert str(exc.value) == "Waiting for approval level 1 of 1."

    services.approval_approve(company=doc.company, actor=manager, document=doc, comment="ok")
    request.refresh_from_db()
    assert request.status == "APPROVED"
    convert(doc, compras)
    assert doc.status == "converted"


def test_6000_needs_both_levels_in_order(levels, make_doc, submit, compras, manager, owner,
                                         django_capture_on_commit_callbacks):
    doc = submit(make_doc("6000"))
    request = ApprovalRequest.objects.get()
    assert steps_of(request) == [
        (1, Decimal("500"), "ANY_ONE", "PENDING", [("gerente", "PENDING")]),
        (2, Decimal("5000"), "ALL", "WAITING", [("demo", "PENDING"), ("gerente", "PENDING")]),
    ]
    # the owner is a level-2 approver, but level 1 comes first
    with pytest.raises(PermissionDenied) as exc:
        services.approval_approve(company=doc.company, actor=owner, document=doc)
    assert str(exc.value) == "You are not an approver of level 1 of this document."

    with django_capture_on_commit_callbacks(execute=True):
        services.approval_approve(company=doc.company, actor=manager, document=doc)
    assert steps_of(request)[1][3] == "PENDING"
    assert sorted(m.to[0] for m in mail.outbox) == ["demo@example.com",
                                                     "gerente@example.com"]
    with pytest.raises(Exception) as exc:
        convert(doc, compras)
    assert (exc.value.code, str(exc.value)) == ("APPROVAL_REQUIRED",
                                                "Waiting for approval level 2 of 2.")

    # ALL: the manager's approval of level 2 is not enough on its own
    services.approval_approve(company=doc.company, actor=manager, document=doc)
    request.refresh_from_db()
    assert request.status == "PENDING"
    services.approval_approve(company=doc.company, actor=owner, document=doc)
    request.refresh_from_db()
    assert request.status == "APPROVED"
    assert steps_of(request) == [
        (1, Decimal("500"), "ANY_ONE", "APPROVED", [("gerente", "APPROVED")]),
        (2, Decimal("5000"), "ALL", "APPROVED", [("demo", "APPROVED"), ("gerente", "APPROVED")]),
    ]
    convert(doc, compras)
    assert doc.status == "converted"


def test_any_one_closes_the_level_at_the_first_approval(demo, owner, manager, make_doc,
                                                        submit):
    services.approval_config_create(company=demo, actor=owner, document_type="TEST_DOCUMENT",
                                    threshold="0", approver_user_ids=[manager.pk, owner.pk])
    doc = submit(make_doc("10"))
    services.approval_approve(company=demo, actor=owner, document=doc)
    request = ApprovalRequest.objects.get()
    assert request.status == "APPROVED"
    assert steps_of(request) == [(1, Decimal("0"), "ANY_ONE", "APPROVED",
                                  [("demo", "APPROVED"), ("gerente", "VOID")])]
    assert not selectors.pending_approvals_for(company=demo, user=manager).exists()
    with pytest.raises(NotFound):
        services.approval_approve(company=demo, actor=manager, document=doc)


def test_requester_never_approves_their_own_document(demo, owner, manager, make_doc,
                                                     submit, counts):
    services.approval_config_create(company=demo, actor=owner, document_type="TEST_DOCUMENT",
                                    threshold="100", approver_user_ids=[manager.pk],
                                    approval_mode="ALL")
    doc = submit(make_doc("200", requester=manager), actor=manager)
    # the requester is left out of the level; the escalation user (the Owner) decides
    request = ApprovalRequest.objects.get()
    assert steps_of(request) == [(1, Decimal("100"), "ALL", "PENDING",
                                  [("demo", "PENDING")])]
    before = counts()
    with pytest.raises(PermissionDenied) as exc:
        services.approval_approve(company=demo, actor=manager, document=doc)
    assert (exc.value.code, str(exc.value)) == (
        "PERMISSION_DENIED", "You cannot approve or reject your own document.")
    assert counts() == before
    services.approval_approve(company=demo, actor=owner, document=doc)
    request.refresh_from_db()
    assert request.status == "APPROVED"


def test_submission_refused_when_only_the_requester_could_approve(demo, owner, make_doc,
                                                                  counts):
    services.approval_config_create(company=demo, actor=owner, document_type="TEST_DOCUMENT",
                                    threshold="1", approver_user_ids=[owner.pk])
    doc = make_doc("5", requester=owner)
    before = counts()
    with pytest.raises(ValidationError) as exc:
        transition(document=doc, action="submit", actor=owner)
    assert exc.value.field == "approverUserIds"
    assert counts() == before
    doc.refresh_from_db()
    assert doc.status == "draft"


def test_rejection_returns_the_document_to_draft_with_the_reason(
        levels, make_doc, submit, manager, compras, django_capture_on_commit_callbacks):
    doc = submit(make_doc("6000"))
    with django_capture_on_commit_callbacks(execute=True):
        services.approval_reject(company=doc.company, actor=manager, document=doc,
                                 reason="  Too expensive; get a second quote.  ")
    doc.refresh_from_db()
    assert doc.status == "draft"
    last = DocumentHistory.objects.filter(object_id=doc.pk).order_by("id").last()
    assert (last.action, last.from_state, last.to_state, last.actor_id, last.comment) == (
        "reject", "submitted", "draft", manager.pk, "Too expensive; get a second quote.")
    request = ApprovalRequest.objects.get()
    assert (request.status, request.reason) == ("REJECTED",
                                                "Too expensive; get a second quote.")
    assert steps_of(request) == [
        (1, Decimal("500"), "ANY_ONE", "REJECTED", [("gerente", "REJECTED")]),
        (2, Decimal("5000"), "ALL", "VOID", [("demo", "VOID"), ("gerente", "VOID")]),
    ]
    assert [(m.to, m.body) for m in mail.outbox] == [
        (["compras@example.com"], f"TEST_DOCUMENT #{doc.pk} for 6000.00 was rejected: "
                                  "Too expensive; get a second quote.")]
    # submitting again opens a fresh request
    submit(doc)
    assert ApprovalRequest.objects.filter(status="PENDING").count() == 1


def test_rejection_needs_a_reason(levels, make_doc, submit, manager, counts):
    doc = submit(make_doc("800"))
    before = counts()
    with pytest.raises(ValidationError) as exc:
        services.approval_reject(company=doc.company, actor=manager, document=doc,
                                 reason="  ")
    assert exc.value.field == "reason"
    assert counts() == before


def test_changing_the_amount_voids_approvals(levels, make_doc, submit, manager, compras):
    doc = submit(make_doc("800"))
    services.approval_approve(company=doc.company, actor=manager, document=doc)

    # what a document service does when the amount changes
    doc.amount = Decimal("900")
    doc.save(update_fields=["amount"])
    voided = services.approvals_void_for(document=doc, reason="amount changed",
                                         actor=compras)
    assert (voided.status, voided.reason) == ("VOID", "amount changed")
    with pytest.raises(Exception) as exc:
        convert(doc, compras)
    assert (exc.value.code, str(exc.value)) == (
        "APPROVAL_REQUIRED", "This document needs approval; submit it for approval.")

    # the document is past "submit": submitting for approval opens a new request
    fresh = services.approval_submit_for(company=doc.company, actor=compras, document=doc)
    assert (fresh.status, fresh.amount) == ("PENDING", Decimal("900"))
    with pytest.raises(Conflict):
        services.approval_submit_for(company=doc.company, actor=compras, document=doc)
    services.approval_approve(company=doc.company, actor=manager, document=doc)
    convert(doc, compras)
    assert doc.status == "converted"


def test_voiding_a_pending_request_clears_the_inbox(levels, make_doc, submit, manager):
    doc = submit(make_doc("800"))
    assert selectors.pending_approvals_for(company=doc.company, user=manager).count() == 1
    services.approvals_void_for(document=doc, reason="amount changed")
    assert selectors.pending_approvals_for(company=doc.company, user=manager).count() == 0
    assert list(ApprovalDecision.objects.values_list("status", flat=True)) == ["VOID"]
    assert services.approvals_void_for(document=doc, reason="again") is None


def test_guard_refuses_when_amount_changed_without_voiding(levels, make_doc, submit,
                                                           manager, compras):
    doc = submit(make_doc("800"))
    services.approval_approve(company=doc.company, actor=manager, document=doc)
    doc.amount = Decimal("801")
    doc.save(update_fields=["amount"])
    with pytest.raises(Exception) as exc:
        convert(doc, compras)
    assert exc.value.code == "APPROVAL_REQUIRED"
    doc.refresh_from_db()
    assert doc.status == "submitted"


def test_config_created_after_submission_still_guards(demo, owner, make_doc, submit,
                                                      compras, manager):
    doc = submit(make_doc("800"))
    services.approval_config_create(company=demo, actor=owner, document_type="TEST_DOCUMENT",
                                    threshold="500", approver_user_ids=[manager.pk])
    with pytest.raises(Exception) as exc:
        convert(doc, compras)
    assert exc.value.code == "APPROVAL_REQUIRED"


def test_email_is_sent_only_after_commit_and_never_on_rollback(
        levels, make_doc, submit, django_capture_on_commit_callbacks):
    from django.db import transaction

    doc = make_doc("800")
    with (django_capture_on_commit_callbacks(execute=True) as callbacks,
          pytest.raises(RuntimeError), transaction.atomic()):
        submit(doc)
        assert len(mail.outbox) == 0  # not inside the transaction
        raise RuntimeError("rolled back")
    assert callbacks == []
    assert mail.outbox == []
    assert not ApprovalRequest.objects.exists()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        submit(doc)
    assert mail.outbox == []
    assert len(callbacks) == 1
    callbacks[0]()
    assert [m.to for m in mail.outbox] == [["gerente@example.com"]]


def test_decisions_are_audited(levels, make_doc, submit, manager):
    from cuadra.core.models import AuditLog

    doc = submit(make_doc("800"))
    services.approval_approve(company=doc.company, actor=manager, document=doc,
                              comment="fine")
    ops = list(AuditLog.objects.order_by("id").values_list("operation", flat=True))
    assert ops[-4:] == ["approval_submit", "TEST_DOCUMENT.submit", "approval_approved",
                        "approval_request_approved"]


def test_steps_keep_their_snapshot_when_the_config_changes(levels, make_doc, submit, owner):
    low, _ = levels
    doc = submit(make_doc("800"))
    services.approval_config_update(company=doc.company, actor=owner, config=low,
                                    threshold="700")
    assert ApprovalStep.objects.get().threshold == Decimal("500")
