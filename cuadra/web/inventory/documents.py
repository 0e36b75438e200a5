"""Inventario → storage in / out (with employee and approver), spoilage and manual
adjustments; transfers (send → in transit → receive → audit of expected vs actual cost →
confirm); counts (lines entered or imported from CSV/XLSX, short and over reconciled at
issue). Lists, the draft form (lines added with htmx, each with its unit level), the
detail with the workflow's steps. Every write is one ``perform`` call around one
inventory service."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cuadra.access.permissions import Action, Path
from cuadra.access.selectors import has_perm, users_for_company
from cuadra.core.errors import NotFound, ValidationError
from cuadra.core.errors import PermissionDenied as DomainPermissionDenied
from cuadra.documents.lifecycle import workflow_for
from cuadra.documents.selectors import history_of
from cuadra.inventory import documents, selectors
from cuadra.inventory.enums import INBOUND_KINDS
from cuadra.ledger.models import Account
from cuadra.web.accounting.common import can, parse_date
from cuadra.web.actions import field_errors, perform, require, transition_perm
from cuadra.web.inventory.common import (
    ACTION_LABELS,
    STATE_LABELS,
    goods,
    page,
    pick,
    quantity_text,
    units,
    warehouses,
)
from cuadra.web.inventory.kinds import (
    ADJUSTMENT_KIND_LABELS,
    KINDS,
    PROCESS_LABELS,
    Kind,
    create,
)
from cuadra.web.purchasing.common import posted_rows
from cuadra.web.sales.common import forbidden, refusal

LINE_FIELDS = ("item", "unit", "quantity", "unit_cost")
BLANK_LINES = 3


def _kind(slug: str) -> Kind:
    if slug not in KINDS:
        raise Http404(slug)
    return KINDS[slug]


def _document(request, kind: Kind, pk):
    try:
        return kind.get(request.active_company, pk)
    except NotFound as exc:  # another company's id is never found
        raise Http404(str(exc)) from exc


def _label(doc) -> str:
    return doc.number or _("Draft #%(id)s") % {"id": doc.pk}


# --- list ----------------------------------------------------------------------------------

@login_required
def document_list(request, slug: str):
    kind = _kind(slug)
    require(request, kind.path, Action.VIEW)
    status = request.GET.get("status", "")
    rows = kind.model.objects.filter(company=request.active_company).order_by("-date", "-id")
    if status:
        rows = rows.filter(status=status)
    rows = [{"doc": doc, "state": STATE_LABELS.get(doc.status, doc.status),
             "kind_label": ADJUSTMENT_KIND_LABELS.get(getattr(doc, "kind", ""), "")}
            for doc in rows.select_related(*_related(kind))[:200]]
    return page(request, "documents.html", kind.slug, {
        "kind": kind, "rows": rows, "status": status,
        "statuses": [(s, label) for s, label in STATE_LABELS.items()
                     if s in dict(kind.model._meta.get_field("status").choices)],
        "can_create": can(request, kind.path, Action.CREATE)})


def _related(kind: Kind) -> tuple[str, ...]:
    return ("from_warehouse", "to_warehouse") if kind.slug == "transfers" else ("warehouse",)


# --- the draft form --------------------------------------------------------------------------

def _line_errors(errors: dict, count: int) -> list[dict]:
    out = [{} for _i in range(count)]
    for key, message in errors.items():
        if key.startswith("lines[") and "]" in key:
            index = key[6:key.index("]")]
            if index.isdigit() and int(index) < count:
                out[int(index)][key.split(".", 1)[1] if "." in key else "line"] = message
    return out


def _choices(request) -> dict:
    company = request.active_company
    return {"items": goods(company), "units": units(company),
            "warehouses": warehouses(company)}


def _form(request, kind: Kind, *, rows=None, errors=None, status=200):
    rows = rows if rows is not None else [dict.fromkeys(LINE_FIELDS, "")
                                          for _i in range(BLANK_LINES)]
    errors = errors or {}
    line_errors = _line_errors(errors, len(rows))
    company = request.active_company
    post = request.POST
    return page(request, "document_form.html", kind.slug, {
        "kind": kind, **_choices(request),
        "lines": [{"n": n, "values": row, "errors": line_errors[n]}
                  for n, row in enumerate(rows)],
        "next_line": len(rows), "errors": errors, "values": post,
        "form_error": errors.get("__all__", ""),
        "date": post.get("date", timezone.localdate().isoformat()),
        "adjustment_kinds": list(ADJUSTMENT_KIND_LABELS.items()),
        "inbound_kinds": [str(k) for k in INBOUND_KINDS],
        "approvers": users_for_company(company=company) if kind.slug == "adjustments" else [],
        "accounts": (Account.objects.filter(company=company, is_group=False, is_active=True)
                     .order_by("code") if kind.slug == "adjustments" else []),
    }, status=status)


def _header(request, kind: Kind) -> dict:
    post, company = request.POST, request.active_company
    date = parse_date(post.get("date"))
    if kind.slug == "transfers":
        return {"from_warehouse": post.get("from_warehouse") or None,
                "to_warehouse": post.get("to_warehouse") or None, "date": date,
                "notes": post.get("notes", "")}
    header = {"warehouse": post.get("warehouse") or None, "date": date,
              "notes": post.get("notes", "")}
    if kind.slug == "adjustments":
        header.update(kind=post.get("kind", ""), employee=post.get("employee", "").strip(),
                      approved_by=pick(users_for_company(company=company),
                                       post.get("approved_by")),
                      counter_account=post.get("counter_account") or None)
    return header


def _lines(kind: Kind, rows: list[dict], inbound: bool) -> list[dict]:
    out = []
    for row in rows:
        line = {"item_id": row["item"] or None, "unit_id": row["unit"] or None,
                kind.qty_key: row["quantity"]}
        if inbound:
            line["unit_cost"] = row["unit_cost"]
        out.append(line)
    return out


@login_required
def document_new(request, slug: str):
    kind = _kind(slug)
    require(request, kind.path, Action.CREATE)
    if request.method != "POST":
        return _form(request, kind)
    header = _header(request, kind)
    rows = posted_rows(request.POST, "line", LINE_FIELDS)
    inbound = header.get("kind") in INBOUND_KINDS
    doc, error = perform(
        request, operation=f"web_inventory_{kind.slug}_create", path=kind.path,
        action=Action.CREATE,
        write=lambda: create(kind, company=request.active_company, actor=request.user,
                             header=header, lines=_lines(kind, rows, inbound)))
    if error:
        return _form(request, kind, rows=rows or None, errors=field_errors(error),
                     status=400)
    messages.success(request, _("Saved as a draft."))
    return redirect(f"{kind.name}_detail", doc.pk)


@login_required
def form_line(request, slug: str):
    """htmx: one more empty line (and the add button counting on), or nothing in place
    of a removed line."""
    kind = _kind(slug)
    require(request, kind.path, Action.CREATE)
    if request.GET.get("remove"):
        return HttpResponse("")
    n = int(request.GET["n"]) if request.GET.get("n", "").isdigit() else 0
    return render(request, "web/inventory/_line_added.html", {
        "kind": kind, **_choices(request), "next_line": n + 1,
        "line": {"n": n, "values": dict.fromkeys(LINE_FIELDS, ""), "errors": {}}})


@login_required
def form_units(request, slug: str):
    """htmx: the unit cell of line ``n`` for the item just chosen: that item's unit levels
    only (a unit of another item would be refused on save)."""
    kind = _kind(slug)
    require(request, kind.path, Action.CREATE)
    n = int(request.GET["n"]) if request.GET.get("n", "").isdigit() else 0
    item = request.GET.get(f"line-{n}-item", "")
    values = {**dict.fromkeys(LINE_FIELDS, ""), "item": item}
    chosen = units(request.active_company).filter(item_id=item) if item.isdigit() else []
    return render(request, "web/inventory/_line_unit.html", {
        "units": chosen, "line": {"n": n, "values": values, "errors": {}}})


# --- detail and steps ------------------------------------------------------------------------

def _actions(request, kind: Kind, doc) -> list[dict]:
    workflow = workflow_for(company=request.active_company,
                            document_type=kind.model.document_type)
    return [{"action": t.action, "label": ACTION_LABELS.get(t.action, t.action),
             "needs_reason": t.action == "void"}
            for t in workflow.transitions
            if doc.status in t.sources and has_perm(user=request.user,
                                                    company=request.active_company,
                                                    path=t.path, action=t.perm)]


def _detail_lines(doc) -> list[dict]:
    out = []
    for line in doc.lines.select_related("item", "unit").order_by("line_no"):
        qty = getattr(line, "quantity", None)
        if qty is None:
            qty = line.counted
        factor = line.unit.factor_to_base if line.unit_id else 1
        out.append({"line": line, "quantity": quantity_text(qty),
                    "base": quantity_text(qty * factor),
                    "unit": line.unit.code if line.unit_id else line.item.units.filter(
                        depth=1).values_list("code", flat=True).first() or "",
                    "expected": quantity_text(getattr(line, "expected_qty", None)),
                    "short": quantity_text(getattr(line, "short_qty", None)),
                    "over": quantity_text(getattr(line, "over_qty", None))})
    return out


def _render_detail(request, kind: Kind, doc, *, error=None, status=200):
    moves = selectors.stock_moves_of(company=request.active_company,
                                     source_type=doc.document_type, source_id=doc.pk)
    history = list(history_of(doc))
    for row in history:
        row.action_label = ACTION_LABELS.get(row.action, row.action)
    return page(request, "document_detail.html", kind.slug, {
        "kind": kind, "doc": doc, "state": STATE_LABELS.get(doc.status, doc.status),
        "kind_label": ADJUSTMENT_KIND_LABELS.get(getattr(doc, "kind", ""), ""),
        "process_label": PROCESS_LABELS.get(getattr(doc, "process_status", ""), ""),
        "lines": _detail_lines(doc),
        "moves": [{"move": m, "quantity": quantity_text(m.quantity)} for m in moves],
        "actions": _actions(request, kind, doc), "history": history,
        "refusal": refusal(error), "issue_key": uuid.uuid4().hex,
        "difference": (documents.transfer_cost_difference(doc)
                       if kind.slug == "transfers" else None),
        "can_import": (kind.slug == "counts" and doc.status == "draft"
                       and can(request, Path.INVENTORY_COUNTS, Action.UPDATE)),
    }, status=status)


@login_required
def document_detail(request, slug: str, pk: int):
    kind = _kind(slug)
    require(request, kind.path, Action.VIEW)
    return _render_detail(request, kind, _document(request, kind, pk))


@login_required
@require_POST
def document_move(request, slug: str, pk: int):
    kind = _kind(slug)
    require(request, kind.path, Action.VIEW)
    doc = _document(request, kind, pk)
    action = request.POST.get("action", "")
    reason = request.POST.get("reason", "").strip()
    key = request.POST.get("issue_key", "").strip()
    path, perm = transition_perm(request, document=doc, action=action,
                                  fallback_path=kind.path)
    moved, error = perform(
        request, operation=f"web_inventory_{kind.slug}_{action or 'move'}"[:60], path=path,
        action=perm,
        write=lambda: documents.document_move(
            company=request.active_company, actor=request.user, document=doc,
            action=action, comment=reason,
            idempotency_key=f"web:{key}:{action}" if key and action != "void" else None))
    if isinstance(error, DomainPermissionDenied):
        return forbidden(request, error)
    if error:
        return _render_detail(request, kind, _document(request, kind, pk), error=error,
                              status=400)
    messages.success(request, _("%(document)s %(label)s: %(state)s.") % {
        "document": kind.label, "label": _label(moved),
        "state": STATE_LABELS.get(moved.status, moved.status)})
    return redirect(f"{kind.name}_detail", moved.pk)


@login_required
@require_POST
def count_import(request, pk: int):
    """A CSV or XLSX file of rows ``sku, counted[, unit code]`` replaces a draft count's
    lines; rows it cannot read are listed on the count and change nothing."""
    kind = KINDS["counts"]
    require(request, Path.INVENTORY_COUNTS, Action.UPDATE)
    doc = _document(request, kind, pk)
    upload = request.FILES.get("file")

    def write():
        if upload is None or not upload.size:
            raise ValidationError("Choose a CSV or XLSX file to import.", field="file")
        return documents.inventory_count_import(
            company=request.active_company, actor=request.user, count=doc,
            content=upload.read(), filename=upload.name)

    result, error = perform(request, operation="web_inventory_count_import",
                            path=Path.INVENTORY_COUNTS, action=Action.UPDATE, write=write)
    if error:
        return _render_detail(request, kind, _document(request, kind, pk), error=error,
                              status=400)
    if result.process_status == "error":
        messages.error(request, _("The file has rows that could not be read; the count "
                                  "was not changed."))
    else:
        messages.success(request, _("Count lines imported."))
    return redirect(f"{kind.name}_detail", doc.pk)

