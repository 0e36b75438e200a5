"""Configuración → Inventario: whether stock may go negative, and the re-cost queue
(seed 001 "Ledger Recalc Queue"): the jobs that re-cost later issues after a backdated
move, which valuations they leave stale, and why one failed, with a button to run it
again once its cause is fixed (e.g. the closed period reopened)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cuadra.access.permissions import Action, Path
from cuadra.access.selectors import has_perm
from cuadra.inventory import selectors, services
from cuadra.inventory.enums import RecostState
from cuadra.web.actions import perform, require

QUEUE_ROWS = 50


@login_required
def inventory_settings(request):
    company = request.active_company
    require(request, Path.INVENTORY, Action.VIEW)
    wanted = request.GET.get("state", "")
    states = [wanted] if wanted in RecostState.values else None
    return render(request, "web/settings/inventory.html", {
        "current_section": "settings",
        "settings": services.inventory_settings_get(company=company),
        "jobs": list(selectors.recost_jobs_list(company=company, states=states)[:QUEUE_ROWS]),
        "states": RecostState.choices, "state": wanted if states else "",
        "open_jobs": selectors.recost_jobs_list(company=company, states=[
            RecostState.PENDING, RecostState.RUNNING, RecostState.FAILED]).count(),
        "can_edit": has_perm(user=request.user, company=company, path=Path.INVENTORY,
                             action=Action.UPDATE),
    })


@login_required
@require_POST
def inventory_settings_save(request):
    allow = request.POST.get("allow_negative_stock") == "on"
    _result, error = perform(
        request, operation="web_inventory_settings_update", path=Path.INVENTORY,
        action=Action.UPDATE,
        write=lambda: services.inventory_settings_update(
            company=request.active_company, actor=request.user, allow_negative_stock=allow))
    if error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Inventory settings saved."))
    return redirect("web:settings_inventory")


@login_required
@require_POST
def recost_job_retry(request, job_id: int):
    _result, error = perform(
        request, operation="web_recost_job_retry", path=Path.INVENTORY, action=Action.UPDATE,
        write=lambda: services.recost_job_retry(company=request.active_company,
                                                actor=request.user, job_id=job_id))
    if error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The re-cost job is queued again."))
    return redirect("web:settings_inventory")
