"""Demo approval policy: seed 002's "anything over $500 → me" for the DEMO owner."""

from __future__ import annotations

from cuadra.approvals.models import ApprovalConfig
from cuadra.approvals.services import approval_config_create

DOCUMENT_TYPE = "PURCHASE_REQUISITION"


def load(*, company, actor) -> ApprovalConfig:
    existing = ApprovalConfig.objects.filter(company=company, document_type=DOCUMENT_TYPE,
                                             threshold=500).first()
    return existing or approval_config_create(
        company=company, actor=actor, document_type=DOCUMENT_TYPE, threshold="500",
        approver_user_ids=[actor.pk], approval_mode="ANY_ONE", escalation_after_hours=24)
