"""States and choices of the approval engine."""

from __future__ import annotations

from django.db import models


class ApprovalCondition(models.TextChoices):
    # the seed's only condition today; stored so more can be added without a migration
    AMOUNT_GTE_THRESHOLD = "AMOUNT_GTE_THRESHOLD", "amount >= threshold"


class ApprovalMode(models.TextChoices):
    ANY_ONE = "ANY_ONE", "Any one approver"
    ALL = "ALL", "All approvers"


class RequestStatus(models.TextChoices):
    PENDING = "PENDING"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"
    VOID = "VOID"


class StepStatus(models.TextChoices):
    WAITING = "WAITING", "Waiting for an earlier level"
    PENDING = "PENDING"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"
    VOID = "VOID"


class DecisionStatus(models.TextChoices):
    PENDING = "PENDING"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"
    VOID = "VOID"


ACTIVE_REQUEST_STATUSES = (RequestStatus.PENDING, RequestStatus.APPROVED)
