"""GraphQL types of approvals."""

from __future__ import annotations

import datetime as dt
import warnings
from decimal import Decimal
from typing import NewType

import strawberry
import strawberry_django
from graphql import EnumValueNode, StringValueNode

from cuadra.approvals import enums
from cuadra.approvals import models as m
from cuadra.core.money import CENT

ApprovalMode = strawberry.enum(enums.ApprovalMode, name="ApprovalMode",
                               description="ANY_ONE: one approval settles the level; "
                                           "ALL: every approver must approve")
ApprovalCondition = strawberry.enum(enums.ApprovalCondition, name="ApprovalCondition",
                                    description="AMOUNT_GTE_THRESHOLD: amount >= threshold, "
                                                "in the company currency")
ApprovalRequestStatus = strawberry.enum(enums.RequestStatus, name="ApprovalRequestStatus")
ApprovalStepStatus = strawberry.enum(enums.StepStatus, name="ApprovalStepStatus")
ApprovalDecisionStatus = strawberry.enum(enums.DecisionStatus, name="ApprovalDecisionStatus")


def _parse_code_literal(node, _variables=None) -> str:
    if isinstance(node, StringValueNode | EnumValueNode):
        return node.value
    raise ValueError("a document type is a name such as PURCHASE_REQUISITION")


# Approvable types register at start-up (generic framework), so the set is not a fixed
# GraphQL enum; this scalar still takes the bare enum-like spelling the seed uses
# (documentType: PURCHASE_REQUISITION) as well as a string or a variable.
with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    DocumentTypeCode = strawberry.scalar(
        NewType("DocumentTypeCode", str), name="DocumentTypeCode",
        description="A document type such as PURCHASE_REQUISITION (bare or quoted)",
        serialize=str, parse_value=str, parse_literal=_parse_code_literal)


def money(value: Decimal | None) -> Decimal | None:
    """Drop the storage scale (25 places) for display: 500 -> 500.00, 0.125 -> 0.125."""
    if value is None:
        return None
    return value.quantize(CENT) if value == value.quantize(CENT) else value.normalize()


@strawberry_django.type(m.ApprovalConfig)
class ApprovalConfigType:
    id: strawberry.auto
    escalation_after_hours: int | None
    escalation_user_id: strawberry.ID | None = strawberry_django.field(
        description="empty: the company Owner")
    created_at: strawberry.auto
    updated_at: strawberry.auto

    @strawberry_django.field(only=["document_type"])
    def document_type(self) -> DocumentTypeCode:
        return self.document_type

    @strawberry_django.field(only=["condition"])
    def condition(self) -> ApprovalCondition:
        return enums.ApprovalCondition(self.condition)

    @strawberry_django.field(only=["threshold"])
    def threshold(self) -> Decimal:
        return money(self.threshold)

    @strawberry_django.field(only=["approver_user_ids"])
    def approver_user_ids(self) -> list[strawberry.ID]:
        return [strawberry.ID(str(i)) for i in self.approver_user_ids]

    @strawberry_django.field(only=["approval_mode"])
    def approval_mode(self) -> ApprovalMode:
        return enums.ApprovalMode(self.approval_mode)


@strawberry_django.type(m.ApprovalDecision)
class ApprovalDecisionType:
    id: strawberry.auto
    approver_id: strawberry.ID
    via_escalation: strawberry.auto
    comment: strawberry.auto
    decided_at: dt.datetime | None

    @strawberry_django.field(only=["status"])
    def status(self) -> ApprovalDecisionStatus:
        return enums.DecisionStatus(self.status)


@strawberry_django.type(m.ApprovalStep)
class ApprovalStepType:
    id: strawberry.auto
    level: int
    activated_at: dt.datetime | None
    escalation_due_at: dt.datetime | None
    escalated_at: dt.datetime | None
    resolved_at: dt.datetime | None
    decisions: list[ApprovalDecisionType]

    @strawberry_django.field(only=["threshold"])
    def threshold(self) -> Decimal:
        return money(self.threshold)

    @strawberry_django.field(only=["approval_mode"])
    def approval_mode(self) -> ApprovalMode:
        return enums.ApprovalMode(self.approval_mode)

    @strawberry_django.field(only=["status"])
    def status(self) -> ApprovalStepStatus:
        return enums.StepStatus(self.status)


@strawberry_django.type(m.ApprovalRequest)
class ApprovalRequestType:
    id: strawberry.auto
    document_id: strawberry.ID
    requester_id: strawberry.ID | None
    reason: strawberry.auto
    created_at: strawberry.auto
    resolved_at: dt.datetime | None
    steps: list[ApprovalStepType]

    @strawberry_django.field(only=["document_type"])
    def document_type(self) -> DocumentTypeCode:
        return self.document_type

    @strawberry_django.field(only=["amount"])
    def amount(self) -> Decimal:
        return money(self.amount)

    @strawberry_django.field(only=["status"])
    def status(self) -> ApprovalRequestStatus:
        return enums.RequestStatus(self.status)


@strawberry.type
class SubmitForApprovalPayload:
    required: bool = strawberry.field(description="false: below every threshold")
    request: ApprovalRequestType | None


@strawberry.type
class PendingApproval:
    """One document waiting for the viewer's decision (home dashboard)."""

    decision_id: strawberry.ID
    document_type: DocumentTypeCode
    document_id: strawberry.ID
    amount: Decimal
    level: int
    approval_mode: ApprovalMode
    requester_id: strawberry.ID | None
    submitted_at: dt.datetime
    waiting_since: dt.datetime | None
    via_escalation: bool

    @classmethod
    def from_decision(cls, decision) -> PendingApproval:
        step, request = decision.step, decision.step.request
        return cls(decision_id=strawberry.ID(str(decision.pk)),
                   document_type=request.document_type,
                   document_id=strawberry.ID(str(request.document_id)),
                   amount=money(request.amount), level=step.level,
                   approval_mode=enums.ApprovalMode(step.approval_mode),
                   requester_id=(strawberry.ID(str(request.requester_id))
                                 if request.requester_id else None),
                   submitted_at=request.created_at, waiting_since=step.activated_at,
                   via_escalation=decision.via_escalation)


@strawberry.type
class PendingApprovals:
    count: int
    items: list[PendingApproval]


@strawberry.type
class DeleteApprovalConfigPayload:
    ok: bool
    id: strawberry.ID
