"""The escalation beat task: add the escalation approver once, e-mail them once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from cuadra.approvals import services
from cuadra.approvals.models import ApprovalDecision, ApprovalRequest, ApprovalStep
from cuadra.approvals.tasks import approvals_escalate
from cuadra.core.models import AuditLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def slow_config(demo, owner, manager):
    """Over 500 -> manager (ALL), escalated to the Owner (the default) after 2 hours."""
    return services.approval_config_create(
        company=demo, actor=owner, document_type="TEST_DOCUMENT", threshold="500",
        approver_user_ids=[manager.pk], approval_mode="ALL", escalation_after_hours=2)


def age(step: ApprovalStep, hours: float) -> None:
    """Pretend the step became pending ``hours`` ago (test set-up, not a service)."""
    then = timezone.now() - dt.timedelta(hours=hours)
    ApprovalStep.objects.filter(pk=step.pk).update(
        activated_at=then, escalation_due_at=then + dt.timedelta(hours=2))


def test_beat_runs_the_task_every_15_minutes():
    entry = settings.CELERY_BEAT_SCHEDULE["approvals-escalate"]
    assert entry == {"task": "cuadra.approvals.escalate", "schedule": 900.0}
    assert approvals_escalate.name == "cuadra.approvals.escalate"


def test_deadline_is_set_when_the_level_opens(slow_config, make_doc, submit):
    submit(make_doc("800"))
    step = ApprovalStep.objects.get()
    assert step.escalation_due_at - step.activated_at == dt.timedelta(hours=2)


def test_nothing_escalates_before_the_deadline(slow_config, make_doc, submit,
                                               django_capture_on_commit_callbacks):
    submit(make_doc("800"))
    age(ApprovalStep.objects.get(), hours=1.5)
    with django_capture_on_commit_callbacks(execute=True):
        assert approvals_escalate.delay().get() == []
    assert mail.outbox == []
    assert ApprovalDecision.objects.count() == 1


def test_running_twice_adds_one_approver_and_sends_one_email(
        slow_config, make_doc, submit, owner, compras, django_capture_on_commit_callbacks):
    doc = submit(make_doc("800"))
    step = ApprovalStep.objects.get()
    age(step, hours=3)

    with django_capture_on_commit_callbacks(execute=True):
        assert approvals_escalate.delay().get() == [step.pk]
    with django_capture_on_commit_callbacks(execute=True):
        assert approvals_escalate.delay().get() == []

    assert sorted(ApprovalDecision.objects.values_list(
        "approver__username", "status", "via_escalation")) == [
        ("demo", "PENDING", True), ("gerente", "PENDING", False)]
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["demo@example.com"],
         f"[Cuadra] Escalated approval: TEST_DOCUMENT #{doc.pk} for 800.00")]
    step.refresh_from_db()
    assert step.escalated_at is not None
    row = AuditLog.objects.get(operation="approval_step_escalate")
    assert (row.actor_id, row.source, row.object_id) == (None, "task", str(step.pk))

    # the escalation approver settles an ALL level alone
    services.approval_approve(company=doc.company, actor=owner, document=doc)
    assert ApprovalRequest.objects.get().status == "APPROVED"


def test_escalation_never_makes_the_requester_an_approver(
        demo, manager, make_doc, submit, owner, django_capture_on_commit_callbacks):
    services.approval_config_create(company=demo, actor=owner, document_type="TEST_DOCUMENT",
                                    threshold="1", approver_user_ids=[manager.pk],
                                    escalation_after_hours=1)
    submit(make_doc("10", requester=owner), actor=owner)
    step = ApprovalStep.objects.get()
    age(step, hours=5)
    with django_capture_on_commit_callbacks(execute=True):
        assert approvals_escalate() == [step.pk]
    assert list(ApprovalDecision.objects.values_list("approver__username", flat=True)) == [
        "gerente"]
    assert mail.outbox == []
