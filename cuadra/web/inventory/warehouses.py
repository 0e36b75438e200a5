"""Inventario → Bodegas: the list with a create form, and one warehouse with its
locations (and a form to add one). Writes go through the inventory services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cuadra.access.permissions import Action, Path
from cuadra.core.money import ZERO
from cuadra.inventory import selectors, services
from cuadra.tenancy.selectors import branch_list
from cuadra.web.accounting.common import can
from cuadra.web.actions import field_errors, perform, require
from cuadra.web.inventory.common import get_or_404, page, pick


def _list(request, *, errors=None, values=None, status=200):
    company = request.active_company
    value_by_wh: dict[int, object] = {}
    for row in selectors.stock_on_hand(company=company):
        value_by_wh[row.warehouse_id] = value_by_wh.get(row.warehouse_id, ZERO) + row.value
    rows = [{"wh": wh, "value": value_by_wh.get(wh.pk, ZERO)}
            for wh in selectors.warehouses_list(company=company).select_related("branch")]
    return page(request, "warehouses.html", "warehouses", {
        "rows": rows, "branches": list(branch_list(company=company)),
        "can_create": can(request, Path.WAREHOUSES, Action.CREATE),
        "errors": errors or {}, "values": values or {}}, status=status)


@login_required
def warehouse_list(request):
    require(request, Path.WAREHOUSES, Action.VIEW)
    if request.method != "POST":
        return _list(request)
    require(request, Path.WAREHOUSES, Action.CREATE)
    post, company = request.POST, request.active_company
    branch = pick(branch_list(company=company), post.get("branch"))
    warehouse, error = perform(
        request, operation="web_warehouse_create", path=Path.WAREHOUSES,
        action=Action.CREATE,
        write=lambda: services.warehouse_create(company=company, actor=request.user,
                                                code=post.get("code", ""),
                                                name=post.get("name", ""), branch=branch))
    if error:
        return _list(request, errors=field_errors(error), values=post, status=400)
    messages.success(request, _("Warehouse %(code)s created.") % {"code": warehouse.code})
    return redirect("web:inventory_warehouse", warehouse.pk)


def _detail(request, warehouse, *, errors=None, values=None, status=200):
    return page(request, "warehouse_detail.html", "warehouses", {
        "wh": warehouse, "locations": warehouse.locations.order_by("code"),
        "can_update": can(request, Path.WAREHOUSES, Action.UPDATE),
        "errors": errors or {}, "values": values or {}}, status=status)


@login_required
def warehouse_detail(request, warehouse_id: int):
    require(request, Path.WAREHOUSES, Action.VIEW)
    return _detail(request, get_or_404(selectors.warehouse_get,
                                       company=request.active_company,
                                       warehouse_id=warehouse_id))


@login_required
@require_POST
def location_new(request, warehouse_id: int):
    require(request, Path.WAREHOUSES, Action.UPDATE)
    company, post = request.active_company, request.POST
    warehouse = get_or_404(selectors.warehouse_get, company=company,
                           warehouse_id=warehouse_id)
    _location, error = perform(
        request, operation="web_location_create", path=Path.WAREHOUSES,
        action=Action.UPDATE,
        write=lambda: services.location_create(company=company, actor=request.user,
                                               warehouse=warehouse,
                                               code=post.get("code", ""),
                                               name=post.get("name", "")))
    if error:
        return _detail(request, warehouse, errors=field_errors(error), values=post,
                       status=400)
    messages.success(request, _("Location added."))
    return redirect("web:inventory_warehouse", warehouse.pk)
