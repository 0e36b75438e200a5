"""Compras → Requisiciones: a form whose lines are added and removed with htmx (an item
or free text, quantity, unit, estimated price, needed-by), the list, and the detail with
submit and conversion to purchase orders (an unapproved one is refused APPROVAL_REQUIRED)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cuadra.access.permissions import Action, Path
from cuadra.approvals.selectors import approval_requests_for_document
from cuadra.catalog.models import Item, ItemUnit
from cuadra.contacts.models import Supplier
from cuadra.purchasing import selectors
from cuadra.purchasing import services as purchasing
from cuadra.purchasing.enums import REQUISITION_TYPE
from cuadra.web.actions import field_errors, perform, require
from cuadra.web.purchasing.common import can, get_or_404, page, posted_rows, refusal

LINE_FIELDS = ("item", "description", "quantity", "unit", "unit_name", "estimated_price",
               "needed_by")
BLANK_LINES = 3


def _units(company, item_id) -> list[ItemUnit] | None:
    """The unit levels of the chosen item, base first; None for a free-text line (its
    unit is typed)."""
    text = str(item_id or "")
    if not text.isdigit():
        return None
    return list(ItemUnit.objects.filter(company=company, item_id=int(text), is_active=True,
                                        item__is_active=True).order_by("depth", "code"))


def _line(company, n: int, values: dict, errors=None) -> dict:
    return {"n": n, "values": values, "errors": errors or {},
            "units": _units(company, values.get("item"))}


def _items(company):
    return Item.objects.filter(company=company, is_active=True).order_by("sku")


def _line_errors(errors: dict, count: int) -> list[dict]:
    """Per line: field -> message, from the service's ``lines[i].field`` paths."""
    out = [{} for _i in range(count)]
    for key, message in errors.items():
        if key.startswith("lines[") and "]" in key:
            index = key[6:key.index("]")]
            if index.isdigit() and int(index) < count:
                field = key.split(".", 1)[1] if "." in key else "line"
                out[int(index)][field] = message
    return out


def _form(request, *, rows=None, errors=None, status=200):
    rows = rows if rows is not None else [dict.fromkeys(LINE_FIELDS, "")
                                          for _i in range(BLANK_LINES)]
    errors = errors or {}
    line_errors = _line_errors(errors, len(rows))
    company = request.active_company
    return page(request, "requisition_form.html", "requisitions", {
        "lines": [_line(company, n, row, line_errors[n]) for n, row in enumerate(rows)],
        "next_line": len(rows), "items": _items(company),
        "errors": errors, "notes": request.POST.get("notes", ""),
        "date": request.POST.get("date", ""),
    }, status=status)


@login_required
def requisition_list(request):
    require(request, Path.PURCHASE_REQUISITIONS, Action.VIEW)
    status = request.GET.get("status") or None
    rows = selectors.purchase_requisitions_list(company=request.active_company,
                                                status=status).select_related("requester")
    return page(request, "requisitions.html", "requisitions", {
        "rows": rows[:200], "status": status or "",
        "can_create": can(request, Path.PURCHASE_REQUISITIONS, Action.CREATE)})


@login_required
def requisition_new(request):
    require(request, Path.PURCHASE_REQUISITIONS, Action.CREATE)
    if request.method != "POST":
        return _form(request)
    post = request.POST
    rows = posted_rows(post, "line", LINE_FIELDS)
    lines = [{"item": r["item"] or None, "description": r["description"],
              "quantity": r["quantity"], "unit": r["unit"] or None,
              "unit_name": r["unit_name"],
              "estimated_price": r["estimated_price"] or None,
              "needed_by": r["needed_by"] or None} for r in rows]
    requisition, error = perform(
        request, operation="web_purchase_requisition_create",
        path=Path.PURCHASE_REQUISITIONS, action=Action.CREATE,
        write=lambda: purchasing.purchase_requisition_create(
            company=request.active_company, actor=request.user, lines=lines,
            date=post.get("date") or None, notes=post.get("notes", "")))
    if error:
        return _form(request, rows=rows or None, errors=field_errors(error), status=400)
    messages.success(request, _("Requisition saved as a draft."))
    return redirect("web:purchasing_requisition", requisition.pk)


@login_required
def requisition_line(request):
    """htmx: one more empty line for the form (and the add button counting on), or
    nothing in place of a removed line."""
    require(request, Path.PURCHASE_REQUISITIONS, Action.CREATE)
    if request.GET.get("remove"):
        return HttpResponse("")
    n = int(request.GET["n"]) if request.GET.get("n", "").isdigit() else 0
    return render(request, "web/purchasing/_requisition_line_added.html", {
        "line": _line(request.active_company, n, dict.fromkeys(LINE_FIELDS, "")),
        "items": _items(request.active_company), "next_line": n + 1})


@login_required
def requisition_units(request):
    """htmx: the unit cell of line ``n`` for the item just chosen (its unit levels), or a
    free unit field for a free-text line."""
    require(request, Path.PURCHASE_REQUISITIONS, Action.CREATE)
    n = int(request.GET["n"]) if request.GET.get("n", "").isdigit() else 0
    values = dict.fromkeys(LINE_FIELDS, "")
    values["item"] = request.GET.get(f"line-{n}-item", "")
    return render(request, "web/purchasing/_requisition_unit.html",
                  {"line": _line(request.active_company, n, values)})


def _detail(request, requisition, *, error=None, status=200):
    company = request.active_company
    ordered = selectors.ordered_quantities(requisition=requisition)
    lines = [{"line": li, "ordered": ordered.get(li.pk, 0),
              "remaining": li.quantity - ordered.get(li.pk, 0)}
             for li in requisition.lines.select_related("item", "unit").order_by("line_no")]
    return page(request, "requisition_detail.html", "requisitions", {
        "doc": requisition, "lines": lines, "refusal": refusal(error),
        "requests": approval_requests_for_document(
            company=company, document_type=REQUISITION_TYPE, document_id=requisition.pk),
        "suppliers": Supplier.objects.filter(company=company, is_active=True
                                             ).order_by("code"),
        "orders": {li.document for row in lines for li in row["line"].order_lines.all()},
        "can_submit": can(request, Path.PURCHASE_REQUISITIONS, Action.CREATE),
        "can_convert": can(request, Path.PURCHASE_ORDERS, Action.CREATE),
    }, status=status)


@login_required
def requisition_detail(request, requisition_id: int):
    require(request, Path.PURCHASE_REQUISITIONS, Action.VIEW)
    return _detail(request, get_or_404(selectors.purchase_requisition_get,
                                       company=request.active_company,
                                       requisition_id=requisition_id))


@login_required
@require_POST
def requisition_submit(request, requisition_id: int):
    requisition = get_or_404(selectors.purchase_requisition_get,
                             company=request.active_company, requisition_id=requisition_id)
    _result, error = perform(
        request, operation="web_purchase_requisition_submit",
        path=Path.PURCHASE_REQUISITIONS, action=Action.CREATE,
        write=lambda: purchasing.purchase_requisition_submit(
            company=request.active_company, actor=request.user, requisition=requisition))
    if error:
        requisition.refresh_from_db()
        return _detail(request, requisition, error=error, status=400)
    messages.success(request, _("Requisition submitted."))
    return redirect("web:purchasing_requisition", requisition.pk)


@login_required
@require_POST
def requisition_convert(request, requisition_id: int):
    """One purchase order per supplier chosen for the lines (blank: not ordered now)."""
    requisition = get_or_404(selectors.purchase_requisition_get,
                             company=request.active_company, requisition_id=requisition_id)
    post = request.POST
    lines = [{"line_id": li.pk, "supplier": post.get(f"supplier-{li.pk}"),
              "quantity": post.get(f"quantity-{li.pk}") or None}
             for li in requisition.lines.order_by("line_no")
             if post.get(f"supplier-{li.pk}")]
    orders, error = perform(
        request, operation="web_purchase_requisition_convert",
        path=Path.PURCHASE_ORDERS, action=Action.CREATE,
        write=lambda: purchasing.purchase_requisition_convert(
            company=request.active_company, actor=request.user, requisition=requisition,
            lines=lines, date=post.get("date") or None))
    if error:
        requisition.refresh_from_db()
        return _detail(request, requisition, error=error, status=400)
    messages.success(request, _("Purchase orders created: %(count)d") % {"count": len(orders)})
    if len(orders) == 1:
        return redirect("web:purchasing_order", orders[0].pk)
    return redirect("web:purchasing_requisition", requisition.pk)
