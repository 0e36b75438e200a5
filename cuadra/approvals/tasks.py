"""Celery tasks of approvals. Beat runs ``approvals_escalate`` every 15 minutes."""

from __future__ import annotations

from celery import shared_task

from cuadra.core import context


@shared_task(name="cuadra.approvals.escalate")
def approvals_escalate() -> list[int]:
    """Escalate every level pending past its deadline. Idempotent: a step is escalated
    once, so overlapping or repeated runs add no approver and send no e-mail twice."""
    from cuadra.approvals.services import approval_steps_escalate

    with context.request_context(source="task"):
        return approval_steps_escalate()
