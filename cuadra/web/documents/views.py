"""Documentos (seed 004): view tabs, the filter bar (every filter in the URL, so a
filtered view is a bookmark), the column chooser (show/hide, order, pin, rename; reset;
publish as the company default), the table with coloured payment states and pagination
(htmx swaps only the table), and exports of exactly what the table shows."""

from __future__ import annotations

import re
import tempfile
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_GET, require_POST

from cuadra.access.permissions import Action, Path
from cuadra.access.selectors import companies_for_user, has_perm
from cuadra.core.errors import DomainError
from cuadra.documents import columns as cols
from cuadra.documents import exports
from cuadra.documents.display import display_value, payment_state_label, status_label
from cuadra.documents.filters import DocumentFilters
from cuadra.documents.models import DocumentView
from cuadra.documents.registry import kind_labels
from cuadra.documents.registry_selectors import (
    COUNT_CAP,
    document_timeline,
    documents_count,
    documents_page,
)
from cuadra.web.actions import perform, require
from cuadra.web.documents import pickers

PAGE_SIZE = 50
VIEW_LABELS = {DocumentView.EVERYTHING: gettext_lazy("Everything"),
               DocumentView.MOVED: gettext_lazy("Moved"),
               DocumentView.DID_NOT_PASS: gettext_lazy("Did not pass")}
PAYMENT_STATES = ("PAID", "PARTIAL", "UNPAID")
CUSTOM_PREFIX = "cf."


def _view(request) -> str:
    view = request.GET.get("view") or request.POST.get("view") or DocumentView.EVERYTHING
    return view if view in DocumentView.values else DocumentView.EVERYTHING


def _custom_params(data) -> dict[str, list[str]]:
    """The custom-field filters of the URL (``cf.<key>``, ``cf.<key>.min|max``), carried
    as given into the pager, the view tabs and the exports."""
    return {k: [v for v in data.getlist(k) if v.strip()] for k in data
            if k.startswith(CUSTOM_PREFIX) and any(v.strip() for v in data.getlist(k))}


def _query(view: str, filters: DocumentFilters, custom: dict | None = None, **extra) -> str:
    return urlencode({"view": view, **(custom or {}), **filters.as_query(), **extra},
                     doseq=True)


def _page_number(request) -> int:
    text = request.GET.get("page", "1")
    return max(int(text), 1) if text.isdigit() else 1


def _pages(total_count: int | None) -> int | None:
    # None when the count is capped ("more than 10,000") or not known yet: the pager
    # then shows no page total, only previous/next
    return (max((total_count + PAGE_SIZE - 1) // PAGE_SIZE, 1)
            if total_count is not None else None)


@login_required
@require_GET
def count(request):
    """htmx: the pager's total for the page's filters, loaded after the rows."""
    require(request, Path.DOCUMENTS, Action.VIEW)
    try:
        found = documents_count(user=request.user, view=_view(request),
                                filters=DocumentFilters.parse(request.GET))
    except DomainError:
        found = None  # the page itself shows why the filter is refused
    return render(request, "web/documents/_count.html", {
        "found": found, "number": _page_number(request),
        "pages": _pages(found.total_count) if found else None,
        "count_cap": COUNT_CAP})


@login_required
@require_GET
def index(request):
    require(request, Path.DOCUMENTS, Action.VIEW)
    view = _view(request)
    try:
        filters = DocumentFilters.parse(request.GET)
        error = None
    except DomainError as exc:
        filters, error = DocumentFilters(), exc
    custom = _custom_params(request.GET)
    number = _page_number(request)
    try:
        # the rows first; the pager's total follows by htmx (``count`` below)
        page = documents_page(company=request.active_company, user=request.user, view=view,
                              filters=filters, offset=(number - 1) * PAGE_SIZE,
                              limit=PAGE_SIZE, with_count=False)
    except DomainError as exc:  # a filter only the query can judge (a custom field's value)
        filters, error = DocumentFilters(), exc
        page = documents_page(company=request.active_company, user=request.user, view=view,
                              filters=filters, offset=0, limit=PAGE_SIZE, with_count=False)
    query = _query(view, filters, custom)
    context = {
        "rows": [{"id": r.id, "colour": r.colour, "cells": [
            {"key": c.key, "kind": c.kind, "value": v, "text": _text(c, v)}
            for c, v in zip(page.columns, r.cells, strict=True)]} for r in page.rows],
        "current_section": "documents", "view": view, "page": page, "filters": filters,
        "query": query, "number": number, "filter_errors": _filter_errors(error),
        "pages": _pages(page.total_count),
        "view_tabs": [{"key": k, "label": label, "current": k == view,
                       "url": "?" + _query(k, filters, custom)}
                      for k, label in VIEW_LABELS.items()],
    }
    if request.headers.get("HX-Request"):
        return render(request, "web/documents/_table.html", context)
    company = request.active_company
    visible = {c.key for c in page.columns}
    context.update(_panel(request, filters, custom))
    context.update({
        "chooser": _chooser(request, page.columns, visible),
        "can_publish": has_perm(user=request.user, company=company, path=Path.SETTINGS,
                                action=Action.UPDATE),
        "can_export": has_perm(user=request.user, company=company, path=Path.DOCUMENTS,
                               action=Action.EXPORT),
    })
    return render(request, "web/documents/index.html", context)


def _panel(request, filters: DocumentFilters, custom: dict) -> dict:
    """The filter panel's pickers, and the custom-field inputs with their URL values."""
    user = request.user
    fields = [{"field": f, "value": _first(custom, f.name), "min": _first(custom, f.name_min),
               "max": _first(custom, f.name_max)}
              for f in pickers.custom_field_inputs(company=request.active_company, user=user)]
    return {
        "kinds": sorted(((k, _(label)) for k, label in kind_labels().items()),
                        key=lambda kv: kv[1]),
        "payment_states": [(s, payment_state_label(s)) for s in PAYMENT_STATES],
        "companies": companies_for_user(user=user),
        "team_members": pickers.team_members(user=user),
        "managers": pickers.managers(user=user),
        "tags": sorted(set(pickers.tags(user=user)) | set(filters.tags), key=str.casefold),
        "statuses": pickers.statuses(),
        "customer_statuses": pickers.customer_statuses(),
        "custom_fields": fields,
        "selected": {"team_member": str(filters.team_member or ""),
                     "manager": str(filters.manager or ""),
                     "shared_with": str(filters.shared_with or "")},
    }


FILTER_LABELS = {"date_from": gettext_lazy("From"), "date_to": gettext_lazy("To"),
                 "amount_min": gettext_lazy("Amount from"),
                 "amount_max": gettext_lazy("Amount to"),
                 "team_member": gettext_lazy("Team member"), "manager": gettext_lazy("Manager"),
                 "shared_with": gettext_lazy("Shared with")}
FILTER_HINTS = {"date": gettext_lazy("give a date such as 2025-01-31."),
                "amount": gettext_lazy("give an exact amount such as 100.00."),
                "person": gettext_lazy("choose a name from the list.")}


def _filter_errors(error: DomainError | None) -> list[str]:
    """The refused filters in the page's language ("Desde: indique una fecha...")."""
    if error is None:
        return []
    out = []
    for e in getattr(error, "errors", None) or [error]:
        field = getattr(e, "field", "") or ""
        hint = FILTER_HINTS["date" if field.startswith("date") else
                            "amount" if field.startswith("amount") else "person"]
        label = FILTER_LABELS.get(field, field)
        out.append(f"{label}: {hint}" if field in FILTER_LABELS else str(e.message))
    return out


def _first(custom: dict, name: str) -> str:
    values = custom.get(name) or [""]
    return values[0]


def _text(column, value) -> str:
    """A cell as the page shows it: the same text the CSV export writes (so the screen
    and the file match exactly)."""
    return exports.csv_text(display_value(column, value))


def _chooser(request, columns, visible) -> list[dict]:
    """Every column the user may see: the visible ones first in their order, then the
    rest in catalog order."""
    available = cols.available_columns(company=request.active_company, user=request.user)
    rows = [{"key": c.key, "label": c.label if c.label != c.default_label else "",
             "default_label": c.default_label, "pinned": c.pinned, "visible": True,
             "position": i} for i, c in enumerate(columns, start=1)]
    rows += [{"key": k, "label": "", "default_label": str(s.label), "pinned": False,
              "visible": False, "position": ""} for k, s in available.items()
             if k not in visible]
    return rows


def _posted_columns(request) -> list[dict]:
    """The chooser form: key[] in form order, visible_<key>, pinned_<key>, label_<key>,
    position_<key> (a number; blank keeps the form order)."""
    entries = []
    for index, key in enumerate(request.POST.getlist("key")):
        if not request.POST.get(f"visible_{key}"):
            continue
        position = request.POST.get(f"position_{key}", "").strip()
        order = int(position) if position.isdigit() else 10_000 + index
        entries.append((order, index, {"key": key,
                                       "label": request.POST.get(f"label_{key}", ""),
                                       "pinned": bool(request.POST.get(f"pinned_{key}"))}))
    return [entry for _o, _i, entry in sorted(entries, key=lambda e: (e[0], e[1]))]


@login_required
@require_POST
def columns_save(request):
    view = _view(request)
    company, user = request.active_company, request.user
    action = request.POST.get("action", "save")
    if action == "reset":
        _result, error = perform(request, operation="document_columns_reset",
                                 path=Path.DOCUMENTS, action=Action.VIEW,
                                 write=lambda: cols.column_config_reset(
                                     company=company, actor=user, view=view))
    elif action == "publish":
        _result, error = perform(request, operation="document_columns_publish",
                                 path=Path.SETTINGS, action=Action.UPDATE,
                                 write=lambda: cols.column_config_publish(
                                     company=company, actor=user, view=view,
                                     columns=_posted_columns(request)))
    else:
        _result, error = perform(request, operation="document_columns_save",
                                 path=Path.DOCUMENTS, action=Action.VIEW,
                                 write=lambda: cols.column_config_save(
                                     company=company, actor=user, view=view,
                                     columns=_posted_columns(request)))
    if error is not None:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Columns saved."))
    back = request.POST.get("back", "")
    return redirect(f"{reverse('web:documents_index')}?{back or urlencode({'view': view})}")


@login_required
@require_GET
def export(request, fmt: str):
    if fmt not in exports.FORMATS:
        raise Http404(fmt)
    require(request, Path.DOCUMENTS, Action.EXPORT)
    view = _view(request)
    try:
        filters = DocumentFilters.parse(request.GET)
        keys = [k for k in request.GET.get("columns", "").split(",") if k] or None
        plan = exports.export_plan(company=request.active_company, user=request.user,
                                   view=view, filters=filters, column_keys=keys)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(reverse("web:documents_index"))
    if exports.export_count(plan) > exports.sync_limit():
        job, error = perform(request, operation="documents_export", path=Path.DOCUMENTS,
                             action=Action.EXPORT, write=lambda: exports.export_job_create(
                                 company=request.active_company, actor=request.user,
                                 view=view, file_format=fmt, filters=filters,
                                 column_keys=keys))
        if error is not None:
            messages.error(request, error.message)
            return redirect(reverse("web:documents_index"))
        return redirect(reverse("web:documents_export_job", args=[job.pk]))
    name = f"documentos-{view}.{fmt}"
    if fmt == "csv":
        response = StreamingHttpResponse(exports.csv_lines(plan),
                                         content_type="text/csv; charset=utf-8")
    else:
        spool = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
        exports.write_xlsx(plan, spool)
        spool.seek(0)
        response = FileResponse(spool, content_type="application/vnd.openxmlformats-"
                                                    "officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _job(request, job_id):
    try:
        return exports.export_job_get(company=request.active_company, user=request.user,
                                      job_id=job_id)
    except DomainError as exc:
        raise Http404(str(exc)) from exc


@login_required
@require_GET
def export_job(request, job_id: int):
    require(request, Path.DOCUMENTS, Action.EXPORT)
    job = _job(request, job_id)
    template = ("web/documents/_job.html" if request.headers.get("HX-Request")
                else "web/documents/job.html")
    return render(request, template, {"current_section": "documents", "job": job})


@login_required
@require_GET
def export_download(request, job_id: int):
    require(request, Path.DOCUMENTS, Action.EXPORT)
    job = _job(request, job_id)
    try:
        path = exports.export_file(job)
    except DomainError as exc:
        raise Http404(str(exc)) from exc
    return FileResponse(open(path, "rb"), as_attachment=True,
                        filename=f"documentos-{job.pk}.{job.file_format}")



@login_required
@require_GET
def timeline(request, record_id: int):
    require(request, Path.DOCUMENTS, Action.VIEW)
    try:
        entries = document_timeline(company=request.active_company, user=request.user,
                                    record_id=record_id)
    except DomainError as exc:
        raise Http404(str(exc)) from exc
    return render(request, "web/documents/timeline.html",
                  {"current_section": "documents",
                   "entries": [_timeline_row(e) for e in entries]})


# what happened, as the timeline says it (audit actions and lifecycle actions)
TIMELINE_ACTIONS = {
    "create": pgettext_lazy("timeline", "Created"), "update": pgettext_lazy("timeline", "Edited"),
    "delete": pgettext_lazy("timeline", "Deleted"), "issue": pgettext_lazy("timeline", "Issued"),
    "void": pgettext_lazy("timeline", "Voided"), "cancel": pgettext_lazy("timeline", "Cancelled"),
    "audit": pgettext_lazy("timeline", "Audited"),
    "confirm": pgettext_lazy("timeline", "Confirmed"),
    "storage_audit": pgettext_lazy("timeline", "Storage audit"),
    "entry_audit": pgettext_lazy("timeline", "Entry audit"),
    "finalize": pgettext_lazy("timeline", "Finalized"),
    "reopen": pgettext_lazy("timeline", "Reopened"),
    "reverse": pgettext_lazy("timeline", "Reversed"),
    "send": pgettext_lazy("timeline", "Sent"), "receive": pgettext_lazy("timeline", "Received"),
    "succeed": pgettext_lazy("timeline", "Succeeded"), "fail": pgettext_lazy("timeline", "Failed"),
}
TRANSITION_DETAIL = re.compile(r"^(?P<source>[\w]+) → (?P<target>[\w]+)(?P<rest>: .*)?$", re.S)


def _timeline_row(entry) -> dict:
    """A timeline entry with the action and the states in the page's language; the
    comment of a transition and the names of operations stay as written."""
    detail = entry.detail
    match = TRANSITION_DETAIL.match(detail)
    if match:
        detail = (f"{status_label(match['source'])} → {status_label(match['target'])}"
                  f"{match['rest'] or ''}")
    return {"at": entry.at, "actor": entry.actor, "detail": detail,
            "action": str(TIMELINE_ACTIONS.get(entry.action, entry.action))}
