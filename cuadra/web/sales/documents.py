"""Ventas → quotes, orders, invoices and credit notes: lists with filters, the draft form
(lines added and removed with htmx, totals priced live by the domain), the detail page and
its actions: the workflow's steps (issue, void with a reason, ...), quote → order,
order → invoice (full or part), invoice → credit note (full or part). Every write is one
``perform`` call (permission, transaction, audited refusal) around one domain service."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cuadra.access.permissions import Action, Path
from cuadra.access.selectors import has_perm
from cuadra.contacts.selectors import clients_list
from cuadra.core.errors import NotFound
from cuadra.core.errors import PermissionDenied as DomainPermissionDenied
from cuadra.documents.lifecycle import workflow_for
from cuadra.documents.selectors import history_of
from cuadra.sales import selectors, services
from cuadra.sales.enums import CREDIT_TYPE, InvoiceKind
from cuadra.sales.totals import ZERO, totals_by_rate
from cuadra.web.accounting.common import can, parse_date
from cuadra.web.actions import perform, require, transition_perm
from cuadra.web.sales import payments
from cuadra.web.sales.common import forbidden, page, quantity_text, refusal
from cuadra.web.sales.forms import NO_TAX, DocForm, FormLine, choices
from cuadra.web.sales.kinds import (
    ACTION_LABELS,
    INVOICE_KIND_LABELS,
    KIND_OF_MODEL,
    KINDS,
    STATE_LABELS,
    Kind,
)

PAGE_SIZE = 25


def _kind(slug: str) -> Kind:
    if slug not in KINDS:
        raise Http404(slug)
    return KINDS[slug]


def _document(request, kind: Kind, pk):
    """The active company's document, or 404 (another company's id is never found)."""
    try:
        return kind.get(request.active_company, pk)
    except NotFound as exc:
        raise Http404(str(exc)) from exc


def _detail_redirect(document):
    return redirect(f"web:{KIND_OF_MODEL[type(document)].key}", pk=document.pk)


def _label(document) -> str:
    return document.number or _("Draft #%(id)s") % {"id": document.pk}


# --- lists ---------------------------------------------------------------------------------

def _filtered(request, kind: Kind):
    get = request.GET
    status = get.get("status", "")
    client = get.get("client", "")
    qs = kind.list(company=request.active_company, status=status or None,
                   client_id=int(client) if client.isdigit() else None)
    date_from, date_to = parse_date(get.get("date_from")), parse_date(get.get("date_to"))
    if date_from:
        qs = qs.filter(date__gte=date_from)
    if date_to:
        qs = qs.filter(date__lte=date_to)
    text = get.get("q", "").strip()
    if text:
        qs = qs.filter(Q(number__icontains=text) | Q(notes__icontains=text)
                       | Q(client__legal_name__icontains=text)
                       | Q(client__trade_name__icontains=text))
    return qs.select_related("client")


@login_required
@require_GET
def document_list(request, slug: str):
    kind = _kind(slug)
    require(request, kind.path, Action.VIEW)
    current = Paginator(_filtered(request, kind), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    statuses = dict.fromkeys(s for s, _label in kind.model._meta.get_field("status").choices)
    return page(request, "web/sales/documents.html", kind.tab, {
        "kind": kind, "page_obj": current, "query": query.urlencode(), "filters": request.GET,
        "rows": [{"doc": d, "state": STATE_LABELS.get(d.status, d.status),
                  "payment": payments.state_of(d) if slug == "invoices" else None}
                 for d in current.object_list],
        "statuses": [(s, STATE_LABELS.get(s, s)) for s in statuses],
        "clients": clients_list(company=request.active_company),
        "can_create": kind.create is not None and can(request, kind.path, Action.CREATE)})


# --- the draft form ------------------------------------------------------------------------

def _form_context(request, kind: Kind, form: DocForm, *, document=None, error=None) -> dict:
    company = request.active_company
    fields = refusal(error)["fields"] if error else {}
    header_errors = form.attach_errors(fields)
    form.attach_units(company)
    return {"kind": kind, "form": form, "document": document, "refusal": refusal(error),
            "errors": header_errors, "totals": form.price(company), "no_tax": NO_TAX,
            "is_invoice": kind.slug == "invoices", "is_quote": kind.slug == "quotes",
            "invoice_kinds": [(v, INVOICE_KIND_LABELS[v]) for v in InvoiceKind.values],
            **choices(company)}


def _render_form(request, kind, form, *, document=None, error=None, status=200):
    return page(request, "web/sales/document_form.html", kind.tab,
                _form_context(request, kind, form, document=document, error=error),
                status=status)


def _write_result(request, kind, result, error, form, *, document=None):
    if isinstance(error, DomainPermissionDenied):
        return forbidden(request, error)
    if error:
        return _render_form(request, kind, form, document=document, error=error, status=400)
    messages.success(request, _("%(document)s %(label)s saved.") % {
        "document": kind.label, "label": _label(result)})
    return _detail_redirect(result)


@login_required
def document_new(request, slug: str):
    kind = _kind(slug)
    if kind.create is None:
        raise Http404(slug)
    require(request, kind.path, Action.CREATE)
    if request.method != "POST":
        return _render_form(request, kind, DocForm.blank(client=request.GET.get("client", "")))
    form = DocForm.from_post(request.POST)
    company, actor = request.active_company, request.user
    result, error = perform(
        request, operation=f"web_{kind.key}_create", path=kind.path, action=Action.CREATE,
        write=lambda: kind.create(company=company, actor=actor, client=form.client or None,
                                  lines=form.lines_data(),
                                  **form.header_data(kind.model.__name__)))
    return _write_result(request, kind, result, error, form)


@login_required
def document_edit(request, slug: str, pk: int):
    kind = _kind(slug)
    if kind.create is None:
        raise Http404(slug)
    require(request, kind.path, Action.UPDATE)
    document = _document(request, kind, pk)
    if not selectors.is_draft(document):
        messages.error(request, _("Only a draft is edited."))
        return _detail_redirect(document)
    if request.method != "POST":
        return _render_form(request, kind, DocForm.from_document(document), document=document)
    form = DocForm.from_post(request.POST)
    converted = getattr(document, "order_id", None) is not None
    result, error = perform(
        request, operation=f"web_{kind.key}_update", path=kind.path, action=Action.UPDATE,
        write=lambda: services.sales_document_update(
            company=request.active_company, actor=request.user, document=document,
            client=form.client or None, lines=None if converted else form.lines_data(),
            **form.header_data(kind.model.__name__)))
    return _write_result(request, kind, result, error, form, document=document)


@login_required
@require_POST
def form_lines(request, slug: str):
    """Add a line (``op=add``), remove one (``op=remove``, ``index``) or re-read the
    lines after an item changed (``op=refresh``): the lines table is rendered again from
    what the form holds, so typed values survive."""
    kind = _kind(slug)
    require(request, kind.path, Action.VIEW)
    form = DocForm.from_post(request.POST)
    op, index = request.POST.get("op"), request.POST.get("index", "")
    if op == "add":
        form.lines.append(FormLine())
    elif op == "remove" and index.isdigit() and int(index) < len(form.lines):
        del form.lines[int(index)]
        if not form.lines:
            form.lines.append(FormLine())
    return render(request, "web/sales/_doc_lines.html", _form_context(request, kind, form))


@login_required
@require_POST
def form_totals(request, slug: str):
    """Subtotal, ITBMS by rate and total for what the form holds now, priced by the
    domain; each line's amount goes out of band into its row."""
    kind = _kind(slug)
    require(request, kind.path, Action.VIEW)
    form = DocForm.from_post(request.POST)
    return render(request, "web/sales/_doc_totals.html", {
        "kind": kind, "form": form, "totals": form.price(request.active_company),
        "oob": True})


# --- detail --------------------------------------------------------------------------------

def _workflow_actions(request, document, kind: Kind) -> list[dict]:
    workflow = workflow_for(company=request.active_company,
                            document_type=kind.model.document_type)
    out = []
    for t in workflow.transitions:
        if document.status in t.sources and has_perm(user=request.user,
                                                     company=request.active_company,
                                                     path=t.path, action=t.perm):
            out.append({"action": t.action, "label": ACTION_LABELS.get(t.action, t.action),
                        "needs_reason": t.action == "void"})
    return out


def _history(document) -> list:
    rows = list(history_of(document))
    for row in rows:
        row.action_label = ACTION_LABELS.get(row.action, row.action)
    return rows


def _remaining(lines, used) -> list[dict]:
    return [{"line": li, "remaining": li.quantity - used.get(li.pk, ZERO),
             "remaining_text": quantity_text(li.quantity - used.get(li.pk, ZERO))}
            for li in lines]


def _pdf_url(document) -> str:
    """The PDF download of an invoice or a credit note (views in web/reports)."""
    name = ("web:sales_credit_note_pdf" if document.document_type == CREDIT_TYPE
            else "web:sales_invoice_pdf")
    return reverse(name, args=[document.pk])


def _detail_context(request, kind: Kind, document) -> dict:
    lines = list(document.lines.select_related("item", "unit", "tax").order_by("line_no"))
    for line in lines:
        line.quantity_text = quantity_text(line.quantity)
        line.discount_text = quantity_text(line.discount_percent)
    posted = document.status in selectors.POSTED_STATES
    context = {
        "kind": kind, "doc": document, "lines": lines,
        "state": STATE_LABELS.get(document.status, document.status),
        "by_rate": [{"code": r.tax_code, "percent": quantity_text(r.rate * 100),
                     "base": r.base, "tax": r.tax} for r in totals_by_rate(lines)],
        "actions": _workflow_actions(request, document, kind),
        "history": _history(document),
        "can_edit": (kind.create is not None and selectors.is_draft(document)
                     and can(request, kind.path, Action.UPDATE)),
        "issue_key": uuid.uuid4().hex, "today": timezone.localdate().isoformat(),
    }
    if kind.slug == "quotes":
        context["orders"] = list(document.orders.order_by("pk"))
        context["can_convert"] = (posted and can(request, Path.SALES_ORDERS, Action.CREATE)
                                  and not document.orders.exclude(
                                      status__in=selectors.DEAD_STATES).exists())
    if kind.slug == "orders":
        context["invoices"] = list(document.invoices.order_by("pk"))
        context["to_invoice"] = _remaining(lines, selectors.invoiced_quantities(
            order=document))
        context["can_invoice"] = (posted and can(request, Path.SALES_INVOICES, Action.CREATE)
                                  and any(r["remaining"] > 0 for r in context["to_invoice"]))
    if kind.slug == "invoices":
        context["kind_label"] = INVOICE_KIND_LABELS.get(document.kind, document.kind)
        context["credit_notes"] = list(document.credit_notes.order_by("pk"))
        context["to_credit"] = _remaining(lines, selectors.credited_quantities(
            invoice=document))
        context["can_credit"] = (posted and can(request, Path.CREDIT_NOTES, Action.CREATE)
                                 and any(r["remaining"] > 0 for r in context["to_credit"]))
        context.update(payments.detail_context(request, document))
    if kind.slug in ("invoices", "credit-notes") and document.number:
        context["pdf_url"] = _pdf_url(document)
    return context


def _render_detail(request, kind, document, *, error=None, status=200, extra=None):
    context = _detail_context(request, kind, document)
    context["refusal"] = refusal(error)
    context["errors"] = refusal(error)["fields"] if error else {}
    context.update(extra or {})
    return page(request, "web/sales/document_detail.html", kind.tab, context, status=status)


@login_required
@require_GET
def document_detail(request, slug: str, pk: int):
    kind = _kind(slug)
    require(request, kind.path, Action.VIEW)
    return _render_detail(request, kind, _document(request, kind, pk))


def _transition(request, kind, document, action: str, reason: str, key: str):
    company, actor = request.active_company, request.user
    if action == "void":
        return services.sales_document_void(company=company, actor=actor, document=document,
                                            reason=reason)
    takes_key = action in ("issue", "entry_audit") and hasattr(document, "issue_key")
    return services.sales_document_transition(
        company=company, actor=actor, document=document, action=action, comment=reason,
        idempotency_key=(key or None) if takes_key else None)


@login_required
@require_POST
def document_move(request, slug: str, pk: int):
    kind = _kind(slug)
    require(request, kind.path, Action.VIEW)
    document = _document(request, kind, pk)
    action = request.POST.get("action", "")
    reason = request.POST.get("reason", "").strip()
    path, perm = transition_perm(request, document=document, action=action,
                                  fallback_path=kind.path)
    result, error = perform(
        request, operation=f"web_{kind.key}_{action or 'move'}"[:60], path=path, action=perm,
        write=lambda: _transition(request, kind, document, action, reason,
                                  request.POST.get("issue_key", "")))
    if isinstance(error, DomainPermissionDenied):
        return forbidden(request, error)
    if error:
        return _render_detail(request, kind, _document(request, kind, pk), error=error,
                              status=400, extra={"reason": reason})
    moved = result.document
    for warning in result.warnings:
        messages.warning(request, warning)
    messages.success(request, _("%(document)s %(label)s: %(state)s.") % {
        "document": kind.label, "label": _label(moved),
        "state": STATE_LABELS.get(moved.status, moved.status)})
    return _detail_redirect(moved)


# --- conversions ---------------------------------------------------------------------------

def _quantities(post, rows) -> list[dict]:
    """[{line_id, quantity}] of the lines given a quantity above zero on the form."""
    wanted = []
    for row in rows:
        text = post.get(f"qty_{row['line'].pk}", "").strip().replace(",", "")
        if text and text not in ("0", "0.0", "0.00"):
            wanted.append({"line_id": row["line"].pk, "quantity": text})
    return wanted


def _converted(request, kind, source, result, error, success: str):
    if isinstance(error, DomainPermissionDenied):
        return forbidden(request, error)
    if error:
        return _render_detail(request, kind, _document(request, kind, source.pk), error=error,
                              status=400)
    messages.success(request, success % {"label": _label(result)})
    return _detail_redirect(result)


@login_required
@require_POST
def quote_convert(request, pk: int):
    kind = KINDS["quotes"]
    require(request, kind.path, Action.VIEW)
    quote = _document(request, kind, pk)
    order, error = perform(
        request, operation="web_quote_convert", path=Path.SALES_ORDERS, action=Action.CREATE,
        write=lambda: services.sales_quote_convert_to_order(
            company=request.active_company, actor=request.user, quote=quote))
    return _converted(request, kind, quote, order, error, _("Order %(label)s created."))


@login_required
@require_POST
def order_invoice(request, pk: int):
    kind = KINDS["orders"]
    require(request, kind.path, Action.VIEW)
    order = _document(request, kind, pk)
    rows = _remaining(list(order.lines.order_by("line_no")),
                      selectors.invoiced_quantities(order=order))
    wanted = _quantities(request.POST, rows)
    invoice, error = perform(
        request, operation="web_order_invoice", path=Path.SALES_INVOICES,
        action=Action.CREATE, write=lambda: services.sales_order_invoice(
            company=request.active_company, actor=request.user, order=order, lines=wanted,
            date=parse_date(request.POST.get("date"))))
    return _converted(request, kind, order, invoice, error, _("Invoice %(label)s created."))


@login_required
@require_POST
def invoice_credit(request, pk: int):
    kind = KINDS["invoices"]
    require(request, kind.path, Action.VIEW)
    invoice = _document(request, kind, pk)
    rows = _remaining(list(invoice.lines.order_by("line_no")),
                      selectors.credited_quantities(invoice=invoice))
    wanted = _quantities(request.POST, rows)
    note, error = perform(
        request, operation="web_credit_note_create", path=Path.CREDIT_NOTES,
        action=Action.CREATE, write=lambda: services.sales_credit_note_create(
            company=request.active_company, actor=request.user, invoice=invoice,
            reason=request.POST.get("reason", ""), lines=wanted,
            date=parse_date(request.POST.get("date"))))
    return _converted(request, kind, invoice, note, error,
                      _("Credit note %(label)s created."))
