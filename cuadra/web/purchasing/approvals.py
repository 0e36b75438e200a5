"""Compras → Aprobaciones: the signed-in user's pending approval steps (what GraphQL
``myPendingApprovals`` lists), approved or rejected with a reason. The permission is the
document type's path with APPROVE, as the API asks."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cuadra.access.permissions import Action
from cuadra.approvals import services as approvals
from cuadra.approvals.registry import approvable_get, path_for
from cuadra.approvals.selectors import approvable_document_get, pending_approvals_for
from cuadra.core.errors import NotFound
from cuadra.purchasing.enums import REQUISITION_TYPE
from cuadra.web.actions import perform
from cuadra.web.purchasing.common import page, refusal


def _rows(request) -> list[dict]:
    company = request.active_company
    rows = []
    for decision in pending_approvals_for(company=company, user=request.user):
        req = decision.step.request
        try:
            document = approvable_get(req.document_type).model.objects.filter(
                company=company, pk=req.document_id).first()
        except NotFound:
            document = None
        url = (reverse("web:purchasing_requisition", args=[req.document_id])
               if req.document_type == REQUISITION_TYPE else "")
        rows.append({"decision": decision, "request": req, "document": document,
                     "url": url, "level": decision.step.level})
    return rows


def _inbox(request, *, error=None, status=200):
    return page(request, "inbox.html", "approvals", {
        "rows": _rows(request), "refusal": refusal(error)}, status=status)


@login_required
def inbox(request):
    return _inbox(request)


def _decide(request, decide, operation: str, done: str):
    company = request.active_company
    document_type = request.POST.get("document_type", "")
    document_id = request.POST.get("document_id", "")
    try:
        path = path_for(document_type)
    except NotFound as exc:
        return _inbox(request, error=exc, status=400)

    def write():
        document = approvable_document_get(company=company, document_type=document_type,
                                           document_id=document_id)
        return decide(document)

    _result, error = perform(request, operation=operation, path=path,
                             action=Action.APPROVE, write=write)
    if error:
        return _inbox(request, error=error, status=400)
    messages.success(request, done)
    return redirect("web:purchasing_inbox")


@login_required
@require_POST
def approve(request):
    return _decide(request, lambda document: approvals.approval_approve(
        company=request.active_company, actor=request.user, document=document,
        comment=request.POST.get("comment", "")), "web_approval_approve", _("Approved."))


@login_required
@require_POST
def reject(request):
    return _decide(request, lambda document: approvals.approval_reject(
        company=request.active_company, actor=request.user, document=document,
        reason=request.POST.get("reason", "")), "web_approval_reject", _("Rejected."))
