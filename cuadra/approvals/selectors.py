"""Reads of approval configs, requests and the approver's inbox."""

from __future__ import annotations

from decimal import Decimal

from cuadra.access.models import RoleAssignment
from cuadra.approvals.enums import (
    ACTIVE_REQUEST_STATUSES,
    DecisionStatus,
    StepStatus,
)
from cuadra.approvals.models import ApprovalConfig, ApprovalDecision, ApprovalRequest
from cuadra.core.errors import NotFound

OWNER_ROLE_KEY = "owner"


def approval_config_list(*, company, document_type: str | None = None):
    qs = ApprovalConfig.objects.filter(company=company)
    if document_type:
        qs = qs.filter(document_type=document_type)
    return qs.order_by("document_type", "threshold", "id")


def approval_config_get(*, company, config_id) -> ApprovalConfig:
    """Another company's config is not found, the same as a missing one."""
    config = (ApprovalConfig.objects.filter(company=company, pk=config_id).first()
              if str(config_id).isdigit() else None)
    if config is None:
        raise NotFound("No such approval config.", field="id")
    return config


def approval_configs_matching(*, company, document_type: str, amount: Decimal) -> list:
    """The configs whose condition the amount meets, one per level, lowest threshold
    first (the order levels are satisfied in)."""
    return list(ApprovalConfig.objects
                .filter(company=company, document_type=document_type, threshold__lte=amount)
                .order_by("threshold", "id"))


def approval_request_active(*, company, document_type: str, document_id: int):
    return (ApprovalRequest.objects
            .filter(company=company, document_type=document_type, document_id=document_id,
                    status__in=ACTIVE_REQUEST_STATUSES)
            .first())


def approval_requests_for_document(*, company, document_type: str, document_id: int):
    return (ApprovalRequest.objects
            .filter(company=company, document_type=document_type, document_id=document_id)
            .prefetch_related("steps__decisions")
            .order_by("-id"))


def pending_approvals_for(*, company, user):
    """Approval records waiting for this user's decision now (their level is active)."""
    return (ApprovalDecision.objects
            .filter(company=company, approver=user, status=DecisionStatus.PENDING,
                    step__status=StepStatus.PENDING)
            .select_related("step", "step__request")
            .order_by("step__activated_at", "id"))


def company_owner_id(*, company) -> int | None:
    """The company Owner: the default escalation approver (the earliest, if several)."""
    return (RoleAssignment.objects
            .filter(company=company, role__key=OWNER_ROLE_KEY, user__is_active=True)
            .order_by("id").values_list("user_id", flat=True).first())


def member_user_ids(*, company, user_ids) -> set[int]:
    """Which of ``user_ids`` are active users holding a role in the company."""
    return set(RoleAssignment.objects
               .filter(company=company, user_id__in=list(user_ids), user__is_active=True)
               .values_list("user_id", flat=True))


def approvable_document_get(*, company, document_type: str, document_id):
    """The company's document of an approvable type; another company's is not found."""
    from cuadra.approvals.registry import approvable_get

    model = approvable_get(document_type).model
    document = (model.objects.filter(company=company, pk=document_id).first()
                if str(document_id).isdigit() else None)
    if document is None:
        raise NotFound(f"No such {document_type}.", field="documentId")
    return document
