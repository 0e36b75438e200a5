"""The two guards approvals plugs into the documents lifecycle for an approvable type."""

from __future__ import annotations

from cuadra.documents.lifecycle import GuardContext, register_guard, unregister_guard

SUBMIT_GUARD = "approvals.submit"
REQUIRED_GUARD = "approvals.required"


def install(entry) -> None:
    register_guard(entry.document_type, entry.submit_action, on_submit, name=SUBMIT_GUARD)
    register_guard(entry.document_type, entry.guarded_action, require_approval,
                   name=REQUIRED_GUARD)


def uninstall(entry) -> None:
    unregister_guard(entry.document_type, SUBMIT_GUARD)
    unregister_guard(entry.document_type, REQUIRED_GUARD)


def on_submit(ctx: GuardContext) -> None:
    """Submitting opens the approval request for the configs the amount matches."""
    from cuadra.approvals.services import approval_submit

    approval_submit(company=ctx.company, actor=ctx.actor, document=ctx.document)


def require_approval(ctx: GuardContext) -> None:
    """Refuses the guarded transition with APPROVAL_REQUIRED until the policy is met."""
    from cuadra.approvals.services import approval_policy_check

    approval_policy_check(company=ctx.company, document=ctx.document)
