"""How a web page performs a write: permission first, one transaction, and a refusal that
rolls back and leaves only its audit row (as the API does)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied as HttpForbidden
from django.db import transaction

from cuadra.access.permissions import Action, Path
from cuadra.access.selectors import has_perm
from cuadra.core.audit import audit_refusal
from cuadra.core.errors import DomainError, PermissionDenied


def require(request, path: Path, action: Action) -> None:
    """For reads: refuse the page (403) without the permission."""
    if not has_perm(user=request.user, company=request.active_company, path=path,
                    action=action):
        raise HttpForbidden(f"{path}:{action}")


def perform(request, *, operation: str, path: Path, action: Action,
            write: Callable[[], Any]) -> tuple[Any, DomainError | None]:
    """Run one service call as a use case. Returns (result, None) or (None, error)."""
    company = request.active_company
    try:
        with transaction.atomic():
            if not has_perm(user=request.user, company=company, path=path, action=action):
                raise PermissionDenied(f"You may not {action} {path} in this company.")
            return write(), None
    except DomainError as error:
        audit_refusal(actor=request.user, company_id=company.pk if company else None,
                      operation=operation, error_code=error.code, message=error.message)
        return None, error


def field_errors(error: DomainError | None) -> dict[str, str]:
    """field -> message, for showing a refusal next to the inputs it names."""
    if error is None:
        return {}
    errors = getattr(error, "errors", None) or []
    if errors:
        return {e.field: e.message for e in errors}
    return {error.field or "__all__": error.message}


def transition_perm(request, *, document, action: str, fallback_path: Path) -> tuple[Path, Action]:
    """The (path, action) the document's workflow asks for this step; for an impossible
    step the document's POST (the service then refuses the step itself)."""
    from cuadra.core.errors import InvalidTransition
    from cuadra.documents.lifecycle import workflow_for

    workflow = workflow_for(company=request.active_company,
                            document_type=type(document).document_type)
    try:
        t = workflow.find(action, document.status)
    except InvalidTransition:
        return fallback_path, Action.POST
    return t.path, t.perm
