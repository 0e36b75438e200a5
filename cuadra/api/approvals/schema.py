"""GraphQL for approvals (seed 002 "Approval configurations"): names exactly as the seed,
plus submitForApproval, approveDocument, rejectDocument and myPendingApprovals."""

from __future__ import annotations

from decimal import Decimal

import strawberry
import strawberry_django

from cuadra.access.permissions import Action, Path
from cuadra.access.selectors import require_perm
from cuadra.api.approvals.types import (
    ApprovalCondition,
    ApprovalConfigType,
    ApprovalMode,
    ApprovalRequestType,
    DeleteApprovalConfigPayload,
    DocumentTypeCode,
    PendingApproval,
    PendingApprovals,
    SubmitForApprovalPayload,
)
from cuadra.api.base import AccessExtension, actor, company, requires
from cuadra.approvals import selectors, services
from cuadra.approvals.registry import path_for

MAX_PENDING_ITEMS = 200


class RequireDocumentPermission(AccessExtension):
    """A role in the X-Company company, and ``action`` on the RBAC path of the document
    type named by the ``documentType`` argument (PURCHASE_REQUISITION ->
    PURCHASE_REQUISITIONS; other types carry their path in their registration)."""

    def __init__(self, action: Action):
        super().__init__()
        self.action = Action(action)
        self.label = f"<documentType>:{self.action.value}"

    def check(self, info: strawberry.Info) -> None:
        company(info)

    def resolve(self, next_, source, info: strawberry.Info, **kwargs):
        def checked(src, inner_info, **kw):
            require_perm(user=actor(inner_info), company=company(inner_info),
                         path=path_for(kw["document_type"]), action=self.action)
            return next_(src, inner_info, **kw)
        return super().resolve(checked, source, info, **kwargs)


class RequireMembership(AccessExtension):
    """Any user holding a role in the X-Company company (an approver's own inbox)."""

    label = "member"

    def check(self, info: strawberry.Info) -> None:
        company(info)


def _document(info, document_type: str, document_id):
    return selectors.approvable_document_get(company=company(info),
                                             document_type=document_type,
                                             document_id=document_id)


@strawberry.type
class ApprovalsQuery:
    @strawberry_django.field(extensions=requires(Path.APPROVAL_CONFIGS, Action.VIEW))
    def get_all_approval_configs(self, info: strawberry.Info,
                                 document_type: DocumentTypeCode | None = None,
                                 ) -> list[ApprovalConfigType]:
        return list(selectors.approval_config_list(company=company(info),
                                                   document_type=document_type))

    @strawberry_django.field(extensions=requires(Path.APPROVAL_CONFIGS, Action.VIEW))
    def get_approval_config(self, info: strawberry.Info,
                            id: strawberry.ID) -> ApprovalConfigType:
        return selectors.approval_config_get(company=company(info), config_id=id)

    @strawberry_django.field(extensions=[RequireMembership()],
                             description="Documents waiting for my decision, oldest first")
    def my_pending_approvals(self, info: strawberry.Info,
                             limit: int = 50) -> PendingApprovals:
        qs = selectors.pending_approvals_for(company=company(info), user=actor(info))
        items = qs[:max(0, min(limit, MAX_PENDING_ITEMS))]
        return PendingApprovals(count=qs.count(),
                                items=[PendingApproval.from_decision(d) for d in items])

    @strawberry_django.field(extensions=[RequireDocumentPermission(Action.VIEW)],
                             description="Every approval request of a document, newest "
                                         "first")
    def approval_requests(self, info: strawberry.Info, document_type: DocumentTypeCode,
                          document_id: strawberry.ID) -> list[ApprovalRequestType]:
        document = _document(info, document_type, document_id)
        return list(selectors.approval_requests_for_document(
            company=company(info), document_type=document_type, document_id=document.pk))


@strawberry.type
class ApprovalsMutation:
    @strawberry.mutation(extensions=requires(Path.APPROVAL_CONFIGS, Action.CREATE))
    def create_approval_config(
            self, info: strawberry.Info, document_type: DocumentTypeCode, threshold: Decimal,
            approver_user_ids: list[strawberry.ID],
            approval_mode: ApprovalMode = ApprovalMode.ANY_ONE,
            escalation_after_hours: int | None = None,
            escalation_user_id: strawberry.ID | None = None,
            condition: ApprovalCondition = ApprovalCondition.AMOUNT_GTE_THRESHOLD,
    ) -> ApprovalConfigType:
        return services.approval_config_create(
            company=company(info), actor=actor(info), document_type=document_type,
            threshold=threshold, approver_user_ids=approver_user_ids,
            approval_mode=approval_mode.value, escalation_after_hours=escalation_after_hours,
            escalation_user_id=escalation_user_id, condition=condition.value)

    @strawberry.mutation(extensions=requires(Path.APPROVAL_CONFIGS, Action.UPDATE),
                         description="Arguments left out keep their value; "
                                     "escalationAfterHours: null turns escalation off")
    def update_approval_config(
            self, info: strawberry.Info, id: strawberry.ID,
            document_type: DocumentTypeCode | None = strawberry.UNSET,
            threshold: Decimal | None = strawberry.UNSET,
            approver_user_ids: list[strawberry.ID] | None = strawberry.UNSET,
            approval_mode: ApprovalMode | None = strawberry.UNSET,
            escalation_after_hours: int | None = strawberry.UNSET,
            escalation_user_id: strawberry.ID | None = strawberry.UNSET,
            condition: ApprovalCondition | None = strawberry.UNSET,
    ) -> ApprovalConfigType:
        given = {"document_type": document_type, "threshold": threshold,
                 "approver_user_ids": approver_user_ids, "approval_mode": approval_mode,
                 "escalation_after_hours": escalation_after_hours,
                 "escalation_user_id": escalation_user_id, "condition": condition}
        changes = {k: getattr(v, "value", v) for k, v in given.items()
                   if v is not strawberry.UNSET}
        config = selectors.approval_config_get(company=company(info), config_id=id)
        return services.approval_config_update(company=company(info), actor=actor(info),
                                               config=config, **changes)

    @strawberry.mutation(extensions=requires(Path.APPROVAL_CONFIGS, Action.DELETE))
    def delete_approval_config(self, info: strawberry.Info,
                               id: strawberry.ID) -> DeleteApprovalConfigPayload:
        config = selectors.approval_config_get(company=company(info), config_id=id)
        services.approval_config_delete(company=company(info), actor=actor(info),
                                        config=config)
        return DeleteApprovalConfigPayload(ok=True, id=id)

    @strawberry.mutation(extensions=[RequireDocumentPermission(Action.CREATE)])
    def submit_for_approval(self, info: strawberry.Info, document_type: DocumentTypeCode,
                            document_id: strawberry.ID) -> SubmitForApprovalPayload:
        request = services.approval_submit_for(
            company=company(info), actor=actor(info),
            document=_document(info, document_type, document_id))
        return SubmitForApprovalPayload(required=request is not None, request=request)

    @strawberry.mutation(extensions=[RequireDocumentPermission(Action.APPROVE)])
    def approve_document(self, info: strawberry.Info, document_type: DocumentTypeCode,
                         document_id: strawberry.ID, comment: str = "") -> ApprovalRequestType:
        return services.approval_approve(
            company=company(info), actor=actor(info), comment=comment,
            document=_document(info, document_type, document_id))

    @strawberry.mutation(extensions=[RequireDocumentPermission(Action.APPROVE)])
    def reject_document(self, info: strawberry.Info, document_type: DocumentTypeCode,
                        document_id: strawberry.ID, reason: str) -> ApprovalRequestType:
        return services.approval_reject(
            company=company(info), actor=actor(info), reason=reason,
            document=_document(info, document_type, document_id))


__all__ = ["ApprovalsMutation", "ApprovalsQuery"]
