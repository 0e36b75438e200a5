"""Writes of the approval engine: configs (the policy), and submit / approve / reject /
void / escalate on the requests that apply it. Each runs in one transaction, is audited,
and refuses bad input with a stable code before writing anything."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from cuadra.access.permissions import Action
from cuadra.access.selectors import has_perm
from cuadra.approvals import notifications, selectors
from cuadra.approvals.enums import (
    ApprovalCondition,
    ApprovalMode,
    DecisionStatus,
    RequestStatus,
    StepStatus,
)
from cuadra.approvals.errors import ApprovalRequired
from cuadra.approvals.models import (
    ApprovalConfig,
    ApprovalDecision,
    ApprovalRequest,
    ApprovalStep,
)
from cuadra.approvals.registry import (
    approvable_for_document,
    path_for,
    validate_configurable,
)
from cuadra.core.audit import audit_create, audit_delete, audit_update, snapshot
from cuadra.core.errors import (
    Conflict,
    ErrorCollector,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from cuadra.core.money import ZERO, to_decimal

# --- configs ---------------------------------------------------------------------------------

_CONFIG_FIELDS = ("document_type", "condition", "threshold", "approver_user_ids",
                  "approval_mode", "escalation_after_hours", "escalation_user_id")


def approval_config_create(*, company, actor, document_type: str, threshold,
                           approver_user_ids, approval_mode: str = ApprovalMode.ANY_ONE,
                           escalation_after_hours: int | None = None,
                           escalation_user_id: int | None = None,
                           condition: str = ApprovalCondition.AMOUNT_GTE_THRESHOLD,
                           ) -> ApprovalConfig:
    """One call makes a working policy: ``threshold="500", approver_user_ids=[me]`` is
    "anything over $500 → me"."""
    values = _clean_config(company=company, config=None, values=dict(
        document_type=document_type, condition=condition, threshold=threshold,
        approver_user_ids=approver_user_ids, approval_mode=approval_mode,
        escalation_after_hours=escalation_after_hours,
        escalation_user_id=escalation_user_id))
    with transaction.atomic():
        config = ApprovalConfig.objects.create(company=company, **values)
        audit_create(actor=actor, company_id=company.pk, obj=config,
                     operation="approval_config_create")
    return config


def approval_config_update(*, company, actor, config: ApprovalConfig,
                           **changes) -> ApprovalConfig:
    """Change any of the config's fields; fields not passed keep their value. Requests
    already in flight keep the snapshot they were created with."""
    unknown = sorted(set(changes) - set(_CONFIG_FIELDS))
    if unknown:
        raise ValidationError(f"Unknown fields: {', '.join(unknown)}", field=unknown[0])
    if config.company_id != company.pk:
        raise NotFound("No such approval config.", field="id")
    merged = {name: getattr(config, name) for name in _CONFIG_FIELDS}
    merged.update(changes)
    values = _clean_config(company=company, config=config, values=merged)
    with transaction.atomic():
        locked = ApprovalConfig.objects.select_for_update().get(pk=config.pk)
        before = snapshot(locked)
        for name, value in values.items():
            setattr(locked, name, value)
        locked.save()
        audit_update(actor=actor, company_id=company.pk, obj=locked, before=before,
                     operation="approval_config_update")
    return locked


def approval_config_delete(*, company, actor, config: ApprovalConfig) -> None:
    """Requests in flight keep their snapshot of the deleted config."""
    if config.company_id != company.pk:
        raise NotFound("No such approval config.", field="id")
    with transaction.atomic():
        audit_delete(actor=actor, company_id=company.pk, obj=config,
                     operation="approval_config_delete")
        config.delete()


def _clean_config(*, company, config, values: dict) -> dict:
    errors = ErrorCollector()
    try:
        validate_configurable(values["document_type"])
    except ValidationError as exc:
        errors.add("documentType", exc.message)
    if values["condition"] not in ApprovalCondition.values:
        errors.add("condition", f"Unknown condition '{values['condition']}'.")
    if values["approval_mode"] not in ApprovalMode.values:
        errors.add("approvalMode", "Choose ANY_ONE or ALL.")
    threshold = _clean_threshold(errors, values["threshold"])
    approvers = _clean_approvers(errors, company, values["approver_user_ids"])
    if approvers and not any(e.field == "documentType" for e in errors.errors):
        _refuse_approvers_without_right(errors, company, values["document_type"], approvers)
    hours = values["escalation_after_hours"]
    if hours is not None and (isinstance(hours, bool) or not isinstance(hours, int)
                              or hours < 1):
        errors.add("escalationAfterHours", "Escalate after a whole number of hours, 1 or more.")
    escalation_user_id = values["escalation_user_id"]
    if escalation_user_id is not None and not selectors.member_user_ids(
            company=company, user_ids=[escalation_user_id]):
        errors.add("escalationUserId",
                   f"User {escalation_user_id} holds no role in this company.")
    if threshold is not None and _threshold_taken(company, values["document_type"],
                                                  threshold, config):
        errors.add("threshold", f"{values['document_type']} already has a config at "
                                f"{threshold}; edit that one instead.")
    errors.raise_if_any()
    return {**values, "threshold": threshold, "approver_user_ids": approvers,
            "escalation_user_id": int(escalation_user_id) if escalation_user_id else None}


def _clean_threshold(errors: ErrorCollector, raw) -> Decimal | None:
    try:
        threshold = to_decimal(raw)
    except (TypeError, ValueError, InvalidOperation):
        errors.add("threshold", "The threshold must be a decimal number, e.g. \"500\".")
        return None
    if not threshold.is_finite() or threshold < 0:
        errors.add("threshold", "The threshold must be zero or more.")
        return None
    return threshold


def _clean_approvers(errors: ErrorCollector, company, raw) -> list[int]:
    try:
        ids = list(dict.fromkeys(int(v) for v in (raw or [])))
    except (TypeError, ValueError):
        errors.add("approverUserIds", "Approvers are user ids.")
        return []
    if not ids:
        errors.add("approverUserIds", "Name at least one approver.")
        return []
    outsiders = sorted(set(ids) - selectors.member_user_ids(company=company, user_ids=ids))
    if outsiders:
        errors.add("approverUserIds", "These users hold no role in this company: "
                                      + ", ".join(str(i) for i in outsiders) + ".")
    return ids


def _refuse_approvers_without_right(errors: ErrorCollector, company, document_type: str,
                                    user_ids: list[int]) -> None:
    """An approver who may not approve this document type would leave every request
    waiting on a decision they can never make: refused when the policy is saved."""
    from django.contrib.auth import get_user_model

    path = path_for(document_type)
    members = selectors.member_user_ids(company=company, user_ids=user_ids)
    users = get_user_model().objects.filter(pk__in=members)  # outsiders are told apart
    unable = sorted(u.pk for u in users
                    if not has_perm(user=u, company=company, path=path,
                                    action=Action.APPROVE))
    if unable:
        errors.add("approverUserIds", f"These users may not approve {document_type}: "
                                      + ", ".join(str(i) for i in unable) + ".")


def _threshold_taken(company, document_type: str, threshold: Decimal, config) -> bool:
    qs = ApprovalConfig.objects.filter(company=company, document_type=document_type,
                                       threshold=threshold)
    if config is not None:
        qs = qs.exclude(pk=config.pk)
    return qs.exists()


# --- submitting ----------------------------------------------------------------------------

def approval_submit(*, company, actor, document) -> ApprovalRequest | None:
    """Open the approval request of a document: one level per config its amount meets,
    the first level active and its approvers e-mailed after commit. A document below
    every threshold needs no approval (returns None). A previous active request of the
    document is voided first: a submission is always judged on the current amount."""
    _same_company(company, document)
    approvable_for_document(document)
    amount = _amount(document)
    document_type = type(document).document_type
    configs = selectors.approval_configs_matching(company=company,
                                                  document_type=document_type, amount=amount)
    with transaction.atomic():
        _void_active(company, document, reason="submitted again", actor=actor)
        if not configs:
            return None
        requester_id = document.lifecycle_requester_id() or getattr(actor, "pk", None)
        request = ApprovalRequest.objects.create(
            company=company, document_type=document_type, document_id=document.pk,
            requester_id=requester_id, amount=amount)
        steps = [_create_step(request, level, config)
                 for level, config in enumerate(configs, start=1)]
        audit_create(actor=actor, company_id=company.pk, obj=request,
                     operation="approval_submit")
        _activate(steps[0], timezone.now())
    return request


def approval_submit_for(*, company, actor, document) -> ApprovalRequest | None:
    """``submitForApproval``: run the document's submit transition when its state allows
    it (the submit guard opens the request); a document already past it (its approvals
    were voided by an amount change) gets a fresh request directly."""
    from cuadra.documents.lifecycle import transition, workflow_for

    entry = approvable_for_document(document)
    _same_company(company, document)
    workflow = workflow_for(company=company, document_type=entry.document_type)
    if entry.submit_action in workflow.actions_from(document.status):
        transition(document=document, action=entry.submit_action, actor=actor)
    else:
        active = _active(company, document)
        if active is not None and active.amount == _amount(document):
            raise Conflict("This document is already submitted for approval.",
                           field="documentId")
        approval_submit(company=company, actor=actor, document=document)
    return _active(company, document)


def _create_step(request: ApprovalRequest, level: int, config: ApprovalConfig) -> ApprovalStep:
    escalate_to = config.escalation_user_id or selectors.company_owner_id(
        company=request.company)
    step = ApprovalStep.objects.create(
        company_id=request.company_id, request=request, level=level, config=config,
        threshold=config.threshold, approval_mode=config.approval_mode,
        escalation_after_hours=config.escalation_after_hours, escalation_user_id=escalate_to)
    approvers = _approvers_for(request, config, escalate_to)
    ApprovalDecision.objects.bulk_create(
        ApprovalDecision(company_id=request.company_id, step=step, approver_id=user_id)
        for user_id in approvers)
    return step


def _approvers_for(request: ApprovalRequest, config: ApprovalConfig,
                   escalate_to: int | None) -> list[int]:
    """The config's approvers who still hold a role here, never the requester: nobody
    approves their own document. If that leaves nobody, the escalation user decides."""
    members = selectors.member_user_ids(company=request.company,
                                        user_ids=config.approver_user_ids)
    approvers = [uid for uid in config.approver_user_ids
                 if uid in members and uid != request.requester_id]
    if not approvers and escalate_to and escalate_to != request.requester_id:
        approvers = [escalate_to]
    if not approvers:
        raise ValidationError(
            f"Nobody but the requester can approve level >= {config.threshold}; "
            "add another approver to the approval config.", field="approverUserIds")
    return approvers


def _activate(step: ApprovalStep, now: dt.datetime) -> None:
    step.status = StepStatus.PENDING
    step.activated_at = now
    if step.escalation_after_hours:
        step.escalation_due_at = now + dt.timedelta(hours=step.escalation_after_hours)
    step.save(update_fields=["status", "activated_at", "escalation_due_at", "updated_at"])
    user_ids = step.decisions.filter(status=DecisionStatus.PENDING).values_list(
        "approver_id", flat=True)
    notifications.approval_needed(request=step.request, step=step, user_ids=list(user_ids))


# --- deciding ------------------------------------------------------------------------------

def approval_approve(*, company, actor, document, comment: str = "") -> ApprovalRequest:
    """Record the actor's approval on the active level. When the level's mode is met
    (ANY_ONE: one approval; ALL: every approver; an escalation approver alone always
    suffices) the next level opens, or the request is approved."""
    with transaction.atomic():
        request, step, decision = _my_pending_decision(company, actor, document)
        now = timezone.now()
        _decide(decision, actor, DecisionStatus.APPROVED, comment, now)
        if _satisfied(step):
            _close_step(step, StepStatus.APPROVED, now)
            following = request.steps.filter(status=StepStatus.WAITING).order_by("level")
            if following.exists():
                _activate(following.first(), now)
            else:
                _close_request(request, RequestStatus.APPROVED, "", actor, now)
                notifications.request_approved(request=request)
    return request


def approval_reject(*, company, actor, document, reason: str) -> ApprovalRequest:
    """Reject on behalf of the active level: the request closes and the document goes
    back to draft through its reject transition, with the reason in its history."""
    from cuadra.documents.lifecycle import transition

    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Say why the document is rejected.", field="reason")
    entry = approvable_for_document(document)
    with transaction.atomic():
        request, step, decision = _my_pending_decision(company, actor, document)
        now = timezone.now()
        _decide(decision, actor, DecisionStatus.REJECTED, reason, now)
        _close_step(step, StepStatus.REJECTED, now)
        _close_request(request, RequestStatus.REJECTED, reason, actor, now)
        transition(document=document, action=entry.reject_action, actor=actor,
                   comment=reason)
        notifications.request_rejected(request=request)
    return request


def _my_pending_decision(company, actor, document):
    """Lock the document, then its request (the order document services use when they
    void approvals), and find the actor's pending record on the active level."""
    _same_company(company, document)
    type(document)._base_manager.select_for_update().filter(pk=document.pk).first()
    request = (ApprovalRequest.objects.select_for_update()
               .filter(company=company, document_type=type(document).document_type,
                       document_id=document.pk, status=RequestStatus.PENDING).first())
    if request is None:
        raise NotFound("Nothing on this document is waiting for approval.",
                       field="documentId")
    if actor.pk == request.requester_id:
        raise PermissionDenied("You cannot approve or reject your own document.",
                               field="documentId")
    step = request.steps.filter(status=StepStatus.PENDING).order_by("level").first()
    decision = step.decisions.filter(approver=actor, status=DecisionStatus.PENDING).first()
    if decision is None:
        raise PermissionDenied(f"You are not an approver of level {step.level} of this "
                               "document.", field="documentId")
    return request, step, decision


def _decide(decision: ApprovalDecision, actor, status: str, comment: str,
            now: dt.datetime) -> None:
    before = snapshot(decision)
    decision.status = status
    decision.comment = comment
    decision.decided_at = now
    decision.save(update_fields=["status", "comment", "decided_at", "updated_at"])
    audit_update(actor=actor, company_id=decision.company_id, obj=decision, before=before,
                 operation=f"approval_{status.lower()}")


def _satisfied(step: ApprovalStep) -> bool:
    decisions = list(step.decisions.exclude(status=DecisionStatus.VOID))
    approved = [d for d in decisions if d.status == DecisionStatus.APPROVED]
    if any(d.via_escalation for d in approved):
        return True
    if step.approval_mode == ApprovalMode.ANY_ONE:
        return bool(approved)
    required = [d for d in decisions if not d.via_escalation]
    return all(d.status == DecisionStatus.APPROVED for d in required)


def _close_step(step: ApprovalStep, status: str, now: dt.datetime) -> None:
    step.status = status
    step.resolved_at = now
    step.save(update_fields=["status", "resolved_at", "updated_at"])
    # the other approvers' records of a decided level no longer wait for anyone
    step.decisions.filter(status=DecisionStatus.PENDING).update(status=DecisionStatus.VOID,
                                                                updated_at=now)


def _close_request(request: ApprovalRequest, status: str, reason: str, actor,
                   now: dt.datetime) -> None:
    before = snapshot(request)
    request.status = status
    request.reason = reason
    request.resolved_at = now
    request.save(update_fields=["status", "reason", "resolved_at", "updated_at"])
    request.steps.filter(status__in=[StepStatus.WAITING, StepStatus.PENDING]).update(
        status=StepStatus.VOID, resolved_at=now, updated_at=now)
    ApprovalDecision.objects.filter(step__request=request,
                                    status=DecisionStatus.PENDING).update(
        status=DecisionStatus.VOID, updated_at=now)
    audit_update(actor=actor, company_id=request.company_id, obj=request, before=before,
                 operation=f"approval_request_{status.lower()}")


# --- voiding and the guard -------------------------------------------------------------------

def approvals_void_for(*, document, reason: str, actor=None) -> ApprovalRequest | None:
    """Document services call this when a document's amount changes: its pending or
    approved request is voided, so the guarded transition waits for a new submission."""
    with transaction.atomic():
        return _void_active(document.company, document, reason=reason, actor=actor)


def _void_active(company, document, *, reason: str, actor) -> ApprovalRequest | None:
    request = (ApprovalRequest.objects.select_for_update()
               .filter(pk=getattr(_active(company, document), "pk", None)).first())
    if request is None:
        return None
    _close_request(request, RequestStatus.VOID, reason, actor, timezone.now())
    return request


def approval_policy_check(*, company, document) -> None:
    """Raise APPROVAL_REQUIRED unless the document may take its guarded transition: no
    config matches its amount, or its request for this very amount is approved."""
    active = _active(company, document)
    amount = _amount(document)
    if active is not None and active.status == RequestStatus.PENDING:
        step = active.steps.filter(status=StepStatus.PENDING).order_by("level").first()
        total = active.steps.count()
        raise ApprovalRequired(f"Waiting for approval level {step.level} of {total}.",
                               field="documentId")
    if active is not None and active.amount == amount:
        return
    if active is not None:
        raise ApprovalRequired("The amount changed since it was approved; submit it for "
                               "approval again.", field="documentId")
    if selectors.approval_configs_matching(company=company,
                                           document_type=type(document).document_type,
                                           amount=amount):
        raise ApprovalRequired("This document needs approval; submit it for approval.",
                               field="documentId")


# --- escalation ---------------------------------------------------------------------------

def approval_steps_escalate(*, now: dt.datetime | None = None, limit: int = 500) -> list[int]:
    """Add the escalation approver to every level pending past its deadline, and e-mail
    them. Each step is marked escalated in the same transaction, so a second run (or a
    concurrent worker) finds nothing to do. Returns the ids of the steps escalated."""
    now = now or timezone.now()
    due = list(ApprovalStep.objects
               .filter(status=StepStatus.PENDING, escalated_at__isnull=True,
                       escalation_due_at__lte=now)
               .order_by("escalation_due_at", "id").values_list("id", flat=True)[:limit])
    done = []
    for step_id in due:
        with transaction.atomic():
            step = (ApprovalStep.objects.select_for_update()
                    .filter(pk=step_id, status=StepStatus.PENDING, escalated_at__isnull=True)
                    .select_related("request").first())
            if step is not None:
                _escalate(step, now)
                done.append(step_id)
    return done


def _escalate(step: ApprovalStep, now: dt.datetime) -> None:
    before = snapshot(step)
    target = step.escalation_user_id
    if target and target != step.request.requester_id:
        decision, created = ApprovalDecision.objects.get_or_create(
            company_id=step.company_id, step=step, approver_id=target,
            defaults={"via_escalation": True})
        if not created and decision.status == DecisionStatus.PENDING:
            decision.via_escalation = True
            decision.save(update_fields=["via_escalation", "updated_at"])
        if decision.status == DecisionStatus.PENDING:
            notifications.approval_escalated(request=step.request, step=step,
                                             user_id=target)
    step.escalated_at = now
    step.save(update_fields=["escalated_at", "updated_at"])
    audit_update(actor=None, company_id=step.company_id, obj=step, before=before,
                 operation="approval_step_escalate")


# --- helpers ------------------------------------------------------------------------------

def _active(company, document) -> ApprovalRequest | None:
    return selectors.approval_request_active(
        company=company, document_type=type(document).document_type, document_id=document.pk)


def _amount(document) -> Decimal:
    amount = document.lifecycle_amount()
    return ZERO if amount is None else to_decimal(amount)


def _same_company(company, document) -> None:
    if document.company_id != company.pk:
        raise NotFound("No such document.", field="documentId")


__all__ = [
    "approval_approve", "approval_config_create", "approval_config_delete",
    "approval_config_update", "approval_policy_check", "approval_reject",
    "approval_steps_escalate", "approval_submit", "approval_submit_for",
    "approvals_void_for",
]
