"""Configuración → Documentos (seed 002 "Frontend notes"): number series and approval
policies on one page. A PYME owner sets "anything over $500 → me" with one short form."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cuadra.access.permissions import Action, Path
from cuadra.access.selectors import has_perm, users_for_company
from cuadra.approvals import selectors as approvals_selectors
from cuadra.approvals import services as approvals
from cuadra.approvals.enums import ApprovalMode
from cuadra.approvals.registry import configurable_types
from cuadra.documents import services as documents_services
from cuadra.documents.selectors import workflow_settings_list
from cuadra.sequences import selectors as sequences_selectors
from cuadra.sequences import services as sequences
from cuadra.sequences.enums import ResetStrategy
from cuadra.sequences.selectors import sequence_preview
from cuadra.tenancy import services as tenancy
from cuadra.tenancy.selectors import company_logo_data_uri
from cuadra.web.actions import field_errors, perform, require


def _sequence_rows(company):
    rows = []
    for seq in sequences_selectors.auto_sequences_for_company(company=company):
        rows.append({"seq": seq, "next": sequence_preview(
            company=company, document_type=seq.document_type, branch_code=seq.branch_code)})
    return rows


def _config_rows(company):
    names = {u.pk: u.get_full_name() or u.username for u in users_for_company(company=company)}
    return [{"config": c, "approvers": [names.get(i, f"#{i}") for i in c.approver_user_ids]}
            for c in approvals_selectors.approval_config_list(company=company)]


def _page(request, *, form_errors=None, form_values=None, status=200):
    company = request.active_company
    require(request, Path.AUTO_SEQUENCES, Action.VIEW)
    can = {
        "configure_approvals": has_perm(user=request.user, company=company,
                                        path=Path.APPROVAL_CONFIGS, action=Action.CREATE),
        "edit_sequences": has_perm(user=request.user, company=company,
                                   path=Path.AUTO_SEQUENCES, action=Action.UPDATE),
        "choose_workflows": has_perm(user=request.user, company=company,
                                     path=Path.SETTINGS, action=Action.UPDATE),
    }
    return render(request, "web/settings/documents.html", {
        "current_section": "settings",
        "sequences": _sequence_rows(company),
        "configs": _config_rows(company),
        "members": users_for_company(company=company),
        "document_types": configurable_types(),
        "modes": ApprovalMode.choices,
        "resets": ResetStrategy.choices,
        "workflows": workflow_settings_list(company=company),
        "can": can,
        "errors": form_errors or {},
        "values": form_values or {},
    }, status=status)


@login_required
def documents(request):
    return _page(request)


@login_required
@require_POST
def approval_config_create(request):
    post = request.POST
    approvers = post.getlist("approver_user_ids") or [str(request.user.pk)]
    _result, error = perform(
        request, operation="web_approval_config_create", path=Path.APPROVAL_CONFIGS,
        action=Action.CREATE,
        write=lambda: approvals.approval_config_create(
            company=request.active_company, actor=request.user,
            document_type=post.get("document_type", "PURCHASE_REQUISITION"),
            threshold=post.get("threshold", "").strip(),
            approver_user_ids=[int(a) for a in approvers if a.isdigit()],
            approval_mode=post.get("approval_mode", ApprovalMode.ANY_ONE),
            escalation_after_hours=int(post["escalation_after_hours"])
            if post.get("escalation_after_hours", "").isdigit() else None))
    if error:
        return _page(request, form_errors=field_errors(error), form_values=post, status=400)
    messages.success(request, _("Approval policy saved."))
    return redirect("web:settings_documents")


@login_required
@require_POST
def approval_config_delete(request, config_id: int):
    def write():
        config = approvals_selectors.approval_config_get(company=request.active_company,
                                                         config_id=config_id)
        approvals.approval_config_delete(company=request.active_company, actor=request.user,
                                         config=config)

    _result, error = perform(request, operation="web_approval_config_delete",
                       path=Path.APPROVAL_CONFIGS, action=Action.DELETE, write=write)
    if error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Approval policy deleted."))
    return redirect("web:settings_documents")


@login_required
@require_POST
def sequence_update(request, sequence_id: int):
    post = request.POST

    def write():
        seq = sequences_selectors.auto_sequence_get(company=request.active_company,
                                                    sequence_id=sequence_id)
        return sequences.auto_sequence_update(
            company=request.active_company, actor=request.user, sequence=seq,
            prefix=post.get("prefix"),
            padding=int(post["padding"]) if post.get("padding", "").isdigit() else None,
            reset_strategy=post.get("reset_strategy") or None)

    _result, error = perform(request, operation="web_auto_sequence_update",
                       path=Path.AUTO_SEQUENCES, action=Action.UPDATE, write=write)
    if error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Number series saved."))
    return redirect("web:settings_documents")


@login_required
@require_POST
def workflow_preset_set(request):
    """Choose the lifecycle preset of a document type (simple, five_stage, review ...)."""
    _result, error = perform(
        request, operation="web_workflow_preset_set", path=Path.SETTINGS, action=Action.UPDATE,
        write=lambda: documents_services.workflow_setting_set(
            company=request.active_company, actor=request.user,
            document_type=request.POST.get("document_type", ""),
            workflow_key=request.POST.get("workflow_key", "")))
    if error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Workflow saved."))
    return redirect("web:settings_documents")


# --- Configuración → Empresa ---------------------------------------------------------------

PROFILE_FIELDS = ("trade_name", "address", "phone", "email", "website")


def _company_page(request, *, errors=None, values=None, status=200):
    company = request.active_company
    require(request, Path.SETTINGS, Action.VIEW)
    return render(request, "web/settings/company.html", {
        "current_section": "settings", "company": company,
        "values": values or {f: getattr(company, f) for f in PROFILE_FIELDS},
        "errors": errors or {},
        "logo_url": company_logo_data_uri(company=company),
        "can_edit": has_perm(user=request.user, company=company, path=Path.SETTINGS,
                             action=Action.UPDATE),
    }, status=status)


@login_required
def company_profile(request):
    if request.method != "POST":
        return _company_page(request)
    values = {f: request.POST.get(f, "") for f in PROFILE_FIELDS}
    _result, error = perform(
        request, operation="web_company_update", path=Path.SETTINGS, action=Action.UPDATE,
        write=lambda: tenancy.company_update(company=request.active_company,
                                             actor=request.user, **values))
    if error:
        return _company_page(request, errors=field_errors(error), values=values, status=400)
    messages.success(request, _("Company details saved."))
    return redirect("web:settings_company")


@login_required
@require_POST
def company_logo(request):
    upload = request.FILES.get("logo")
    if request.POST.get("remove"):
        content, content_type = b"", ""
    elif upload is None:
        messages.error(request, _("Choose an image file."))
        return redirect("web:settings_company")
    else:
        content, content_type = upload.read(), upload.content_type or ""
    _result, error = perform(
        request, operation="web_company_logo_set", path=Path.SETTINGS, action=Action.UPDATE,
        write=lambda: tenancy.company_logo_set(company=request.active_company,
                                               actor=request.user, content=content,
                                               content_type=content_type))
    if error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Logo saved.") if content else _("Logo removed."))
    return redirect("web:settings_company")
