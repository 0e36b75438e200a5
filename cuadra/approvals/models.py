"""Approval configs (the policy), and requests > steps (levels) > decisions (one per
approver) that record how a document went through it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from cuadra.approvals.enums import (
    ApprovalCondition,
    ApprovalMode,
    DecisionStatus,
    RequestStatus,
    StepStatus,
)
from cuadra.core.money import MoneyField
from cuadra.tenancy.models import TenantModel


class ApprovalConfig(TenantModel):
    """Seed 002: route a document type to approvers when ``amount >= threshold``
    (company currency). Several configs of one type are levels, in threshold order."""

    document_type = models.CharField(max_length=40)
    condition = models.CharField(max_length=32, choices=ApprovalCondition.choices,
                                 default=ApprovalCondition.AMOUNT_GTE_THRESHOLD)
    threshold = MoneyField(help_text="amount >= threshold, in the company currency")
    approver_user_ids = models.JSONField(default=list,
                                         help_text="users with a role in the company")
    approval_mode = models.CharField(max_length=8, choices=ApprovalMode.choices,
                                     default=ApprovalMode.ANY_ONE)
    escalation_after_hours = models.PositiveIntegerField(null=True, blank=True)
    escalation_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", help_text="empty: the company Owner")

    class Meta:
        ordering = ["company", "document_type", "threshold", "id"]
        constraints = [
            models.UniqueConstraint(fields=["company", "document_type", "threshold"],
                                    name="approvalconfig_company_type_threshold"),
        ]

    def __str__(self) -> str:
        return f"{self.document_type} >= {self.threshold} ({self.approval_mode})"


class ApprovalRequest(TenantModel):
    """One submission of one document. At most one is active (pending or approved)."""

    document_type = models.CharField(max_length=40)
    document_id = models.BigIntegerField()
    requester = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    amount = MoneyField(help_text="the document amount when submitted")
    status = models.CharField(max_length=8, choices=RequestStatus.choices,
                              default=RequestStatus.PENDING)
    reason = models.TextField(blank=True, help_text="why it was rejected or voided")
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "document_type", "document_id"],
                condition=Q(status__in=["PENDING", "APPROVED"]),
                name="approvalrequest_one_active"),
        ]
        indexes = [models.Index(fields=["company", "document_type", "document_id"],
                                name="approvalrequest_document")]

    def __str__(self) -> str:
        return f"{self.document_type}:{self.document_id} {self.status}"


class ApprovalStep(TenantModel):
    """One level of a request: a snapshot of the config that matched, so editing or
    deleting the config later does not rewrite a decision in flight."""

    request = models.ForeignKey(ApprovalRequest, on_delete=models.CASCADE,
                                related_name="steps")
    level = models.PositiveSmallIntegerField()
    config = models.ForeignKey(ApprovalConfig, null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    threshold = MoneyField()
    approval_mode = models.CharField(max_length=8, choices=ApprovalMode.choices)
    status = models.CharField(max_length=8, choices=StepStatus.choices,
                              default=StepStatus.WAITING)
    activated_at = models.DateTimeField(null=True, blank=True)
    escalation_after_hours = models.PositiveIntegerField(null=True, blank=True)
    escalation_due_at = models.DateTimeField(null=True, blank=True)
    escalation_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="+")
    escalated_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["request", "level"]
        constraints = [
            models.UniqueConstraint(fields=["company", "request", "level"],
                                    name="approvalstep_request_level"),
        ]
        indexes = [
            # the escalation sweep runs across companies
            models.Index(fields=["escalation_due_at"],
                         condition=Q(status="PENDING", escalated_at__isnull=True),
                         name="approvalstep_escalation_due"),
        ]

    def __str__(self) -> str:
        return f"level {self.level} of {self.request_id} {self.status}"


class ApprovalDecision(TenantModel):
    """The approval record of one approver on one step (pending until they decide)."""

    step = models.ForeignKey(ApprovalStep, on_delete=models.CASCADE, related_name="decisions")
    approver = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+")
    status = models.CharField(max_length=8, choices=DecisionStatus.choices,
                              default=DecisionStatus.PENDING)
    via_escalation = models.BooleanField(default=False)
    comment = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["step", "id"]
        constraints = [
            models.UniqueConstraint(fields=["company", "step", "approver"],
                                    name="approvaldecision_step_approver"),
        ]
        indexes = [models.Index(fields=["company", "approver", "status"],
                                name="approvaldecision_inbox")]

    def __str__(self) -> str:
        return f"{self.approver_id} on step {self.step_id}: {self.status}"
