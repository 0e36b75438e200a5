"""Compras → Notas de crédito de proveedor: the list (filtered by state), the detail with
the credit's lifecycle steps (the service ``moveSupplierCredit`` uses), a related credit
drafted from a posted supplier invoice (a quantity per line, at most what remains
creditable) and a free credit (supplier and priced lines, no invoice)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cuadra.access.permissions import Action, Path
from cuadra.catalog.models import Item, Tax
from cuadra.contacts.models import Supplier
from cuadra.core.errors import ValidationError
from cuadra.documents.lifecycle import workflow_for
from cuadra.purchasing import selectors
from cuadra.purchasing import services as purchasing
from cuadra.purchasing.enums import CREDIT_TYPE, CreditKind
from cuadra.web.actions import field_errors, perform, require, transition_perm
from cuadra.web.purchasing.common import (
    can,
    get_or_404,
    page,
    posted_rows,
    refusal,
    supplier_invoice_or_404,
)
from cuadra.web.purchasing.labels import choices, label

ZERO = 0
# steps the GraphQL mutation refuses without a comment ("Say why.")
NEEDS_REASON = ("void", "cancel")
FREE_LINE_FIELDS = ("item", "description", "quantity", "unit_price", "tax")
BLANK_LINES = 3
TAX_DEFAULT = "default"


def _credit(request, credit_id):
    return get_or_404(selectors.supplier_credit_get, company=request.active_company,
                      credit_id=credit_id)


@login_required
def credit_list(request):
    require(request, Path.SUPPLIER_CREDITS, Action.VIEW)
    status = request.GET.get("status") or None
    rows = selectors.supplier_credits_list(company=request.active_company, status=status
                                           ).select_related("supplier", "invoice")
    return page(request, "credits.html", "credits", {
        "rows": rows[:200], "status": status or "",
        "statuses": choices("document", _states()),
        "can_create": can(request, Path.SUPPLIER_CREDITS, Action.CREATE)})


def _states() -> list[str]:
    """Every state a supplier credit may be in (both workflows), first-seen order."""
    from cuadra.purchasing.workflows import CREDIT_WORKFLOWS

    return list(dict.fromkeys(s for w in CREDIT_WORKFLOWS.values() for s in w.states))


def _actions(request, credit) -> list[dict]:
    """The steps of the company's credit workflow from the credit's state that the user
    may take."""
    workflow = workflow_for(company=request.active_company, document_type=CREDIT_TYPE)
    return [{"action": t.action, "needs_reason": t.action in NEEDS_REASON}
            for t in workflow.transitions
            if credit.status in t.sources and can(request, t.path, t.perm)]


def _credit_page(request, credit, *, error=None, status=200, reason=""):
    return page(request, "credit_detail.html", "credits", {
        "doc": credit, "refusal": refusal(error), "reason": reason,
        "lines": credit.lines.select_related("invoice_line").order_by("line_no"),
        "actions": _actions(request, credit), "issue_key": uuid.uuid4().hex,
        "can_view_invoice": can(request, Path.SUPPLIER_INVOICES, Action.VIEW),
    }, status=status)


@login_required
def credit_detail(request, credit_id: int):
    require(request, Path.SUPPLIER_CREDITS, Action.VIEW)
    return _credit_page(request, _credit(request, credit_id))


def _move(request, credit, action: str, reason: str, key: str):
    """What GraphQL ``moveSupplierCredit`` does: void and cancel say why; issue and
    entry_audit take the form's idempotency key."""
    if action in NEEDS_REASON and not reason:
        raise ValidationError("Say why.", field="comment")
    takes_key = action in ("issue", "entry_audit") and key
    return purchasing.document_transition(
        company=request.active_company, actor=request.user, document=credit, action=action,
        comment=reason, idempotency_key=f"web:{key}:{action}" if takes_key else None)


@login_required
@require_POST
def credit_move(request, credit_id: int):
    require(request, Path.SUPPLIER_CREDITS, Action.VIEW)
    credit = _credit(request, credit_id)
    action = request.POST.get("action", "")
    reason = request.POST.get("reason", "").strip()
    path, perm = transition_perm(request, document=credit, action=action,
                                 fallback_path=Path.SUPPLIER_CREDITS)
    _result, error = perform(
        request, operation=f"web_supplier_credit_{action or 'move'}"[:60], path=path,
        action=perm, write=lambda: _move(request, credit, action, reason,
                                         request.POST.get("issue_key", "").strip()))
    if error:
        return _credit_page(request, _credit(request, credit_id), error=error, status=400,
                            reason=reason)
    messages.success(request, _("Supplier credit note: %(action)s.") % {
        "action": _action_label(action)})
    return redirect("web:purchasing_credit", credit_id)


def _action_label(action: str) -> str:
    return label(action, "action")


# --- a related credit from a posted invoice ------------------------------------------------

def _creditable(invoice) -> list[dict]:
    """Each invoice line with what has been credited and what remains creditable."""
    used = selectors.credited_quantities(invoice=invoice)
    return [{"line": li, "field": f"qty-{li.pk}", "credited": used.get(li.pk, ZERO),
             "remaining": li.quantity - used.get(li.pk, ZERO)}
            for li in invoice.lines.order_by("line_no")]


def _wanted(post, rows) -> list[dict]:
    """[{line_id, quantity}] of the lines given a quantity above zero on the form."""
    wanted = []
    for row in rows:
        text = post.get(row["field"], "").strip().replace(",", "")
        if text and text.strip("0.") != "":
            wanted.append({"line_id": row["line"].pk, "quantity": text, "row": row})
    return wanted


def _related_form(request, invoice, *, rows=None, errors=None, status=200):
    rows = rows if rows is not None else _creditable(invoice)
    data = request.POST if request.method == "POST" else {}
    for row in rows:
        row["value"] = (data.get(row["field"], "") if data
                        else f"{row['remaining'].normalize():f}")
        row["error"] = (errors or {}).get(row["field"], "")
    values = {f: data.get(f, "") for f in ("reason", "date", "supplier_number")}
    values["date"] = values["date"] or timezone.localdate().isoformat()
    return page(request, "credit_form.html", "credits", {
        "invoice": invoice, "rows": rows, "values": values, "errors": errors or {},
        "general": _general(errors, "lines", "invoiceId", "id"),
    }, status=status)


def _general(errors, *keys) -> str:
    """The refusal that names no input of the form (or the line list as a whole)."""
    errors = errors or {}
    return " ".join(errors[k] for k in ("__all__", *keys) if errors.get(k))


@login_required
def invoice_credit(request, invoice_id: int):
    """Draft a related credit note of a posted invoice (the permission GraphQL
    ``createSupplierCredit`` requires)."""
    require(request, Path.SUPPLIER_CREDITS, Action.CREATE)
    invoice = supplier_invoice_or_404(request, invoice_id)
    if request.method != "POST":
        return _related_form(request, invoice)
    post, rows = request.POST, _creditable(invoice)
    wanted = _wanted(post, rows)

    def write():
        if not wanted:
            raise ValidationError(_("Give a quantity to credit on at least one line."),
                                  field="lines")
        return purchasing.supplier_credit_create(
            company=request.active_company, actor=request.user, kind=CreditKind.RELATED,
            reason=post.get("reason", ""), invoice=invoice,
            lines=[{"line_id": w["line_id"], "quantity": w["quantity"]} for w in wanted],
            date=post.get("date") or None, supplier_number=post.get("supplier_number", ""))

    credit, error = perform(request, operation="web_supplier_credit_create",
                            path=Path.SUPPLIER_CREDITS, action=Action.CREATE, write=write)
    if error:
        errors = field_errors(error)
        for key, message in list(errors.items()):
            # lines[i].quantity -> the input of the i-th line given a quantity
            if key.startswith("lines[") and "]" in key:
                index = key[len("lines["):key.index("]")]
                if index.isdigit() and int(index) < len(wanted):
                    errors[wanted[int(index)]["row"]["field"]] = message
        invoice.refresh_from_db()
        return _related_form(request, invoice, rows=rows, errors=errors, status=400)
    messages.success(request, _("Supplier credit note drafted."))
    return redirect("web:purchasing_credit", credit.pk)


# --- a free credit (no invoice) ------------------------------------------------------------

def _line_errors(errors: dict, count: int) -> list[dict]:
    out = [{} for _i in range(count)]
    for key, message in errors.items():
        if key.startswith("lines[") and "]" in key:
            index = key[6:key.index("]")]
            if index.isdigit() and int(index) < count:
                field = key.split(".", 1)[1] if "." in key else "line"
                out[int(index)][field] = message
    return out


def _free_form(request, *, rows=None, errors=None, status=200):
    company = request.active_company
    rows = rows if rows is not None else [{**dict.fromkeys(FREE_LINE_FIELDS, ""),
                                           "tax": TAX_DEFAULT}
                                          for _i in range(BLANK_LINES)]
    errors = errors or {}
    line_errors = _line_errors(errors, len(rows))
    post = request.POST
    values = {f: post.get(f, "") for f in ("supplier", "reason", "date", "supplier_number")}
    values["date"] = values["date"] or timezone.localdate().isoformat()
    return page(request, "credit_free_form.html", "credits", {
        "lines": [{"n": n, "values": row, "errors": line_errors[n]}
                  for n, row in enumerate(rows)],
        "next_line": len(rows),
        "suppliers": Supplier.objects.filter(company=company, is_active=True
                                             ).order_by("code"),
        **_line_choices(company),
        "values": values, "errors": errors,
        "general": _general(errors, "lines")}, status=status)


def _line_choices(company) -> dict:
    return {"items": Item.objects.filter(company=company, is_active=True).order_by("sku"),
            "taxes": Tax.objects.filter(company=company, is_active=True).order_by("code"),
            "tax_default": TAX_DEFAULT}


@login_required
def credit_line(request):
    """htmx: one more empty line of the free credit form (and the add button counting
    on), or nothing in place of a removed line."""
    require(request, Path.SUPPLIER_CREDITS, Action.CREATE)
    if request.GET.get("remove"):
        return HttpResponse("")
    n = int(request.GET["n"]) if request.GET.get("n", "").isdigit() else 0
    values = {**dict.fromkeys(FREE_LINE_FIELDS, ""), "tax": TAX_DEFAULT}
    return render(request, "web/purchasing/_credit_line_added.html", {
        "line": {"n": n, "values": values, "errors": {}}, "next_line": n + 1,
        **_line_choices(request.active_company)})


def _free_rows(post) -> list[dict]:
    """Form rows ``line-<n>-<field>``; a row with nothing typed but its tax is dropped."""
    rows = posted_rows(post, "line", FREE_LINE_FIELDS)
    return [r for r in rows if any(r[f] for f in FREE_LINE_FIELDS if f != "tax")]


def _free_lines(rows) -> list[dict]:
    """Form rows as service lines. Tax ``default``: the item's own tax; blank: no tax."""
    lines = []
    for r in rows:
        line = {"item": r["item"] or None, "description": r["description"],
                "quantity": r["quantity"].replace(",", ""),
                "unit_price": r["unit_price"].replace(",", "") or None}
        if r["tax"] != TAX_DEFAULT:
            line["tax"] = r["tax"] or None
        lines.append(line)
    return lines


@login_required
def credit_new(request):
    require(request, Path.SUPPLIER_CREDITS, Action.CREATE)
    if request.method != "POST":
        return _free_form(request)
    post = request.POST
    rows = _free_rows(post)
    credit, error = perform(
        request, operation="web_supplier_credit_create", path=Path.SUPPLIER_CREDITS,
        action=Action.CREATE,
        write=lambda: purchasing.supplier_credit_create(
            company=request.active_company, actor=request.user, kind=CreditKind.FREE,
            reason=post.get("reason", ""), supplier=post.get("supplier") or "",
            lines=_free_lines(rows), date=post.get("date") or None,
            supplier_number=post.get("supplier_number", "")))
    if error:
        return _free_form(request, rows=rows or None, errors=field_errors(error), status=400)
    messages.success(request, _("Supplier credit note drafted."))
    return redirect("web:purchasing_credit", credit.pk)

