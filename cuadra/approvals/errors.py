"""Refusals specific to approvals."""

from __future__ import annotations

from cuadra.core.errors import DomainError, ErrorCode


class ApprovalRequired(DomainError):
    """The guarded transition waits for the approval policy to be satisfied."""

    code = ErrorCode.APPROVAL_REQUIRED
