"""Documentos (seed 004): view tabs, the filter bar (every filter in the URL, so a
filtered view is a bookmark), the column chooser (show/hide, order, pin, rename; reset;
publish as the company default), the table with coloured payment states and pagination
(htmx swaps only the table), and exports of exactly what the table shows."""

from __future__ import annotations

import tempfile
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from cuadra.access.permissions import Action, Path
from cuadra.access.selectors import companies_for_user, has_perm
from cuadra.core.errors import DomainError
from cuadra.documents import columns as cols
from cuadra.documents import exports
from cuadra.documents.filters import DocumentFilters
from cuadra.documents.models import DocumentView
from cuadra.documents.registry import kind_labels
from cuadra.documents.registry_selectors import document_timeline, documents_page
from cuadra.web.actions import perform, require

PAGE_SIZE = 50
VIEW_LABELS = {DocumentView.EVERYTHING: gettext_lazy("Everything"),
               DocumentView.MOVED: gettext_lazy("Moved"),
               DocumentView.DID_NOT_PASS: gettext_lazy("Did not pass")}
STATE_LABELS = {"PAID": gettext_lazy("Paid"), "PARTIAL": gettext_lazy("Partial"),
                "UNPAID": gettext_lazy("Unpaid"), "": "—"}


def _view(request) -> str:
    view = request.GET.get("view") or request.POST.get("view") or DocumentView.EVERYTHING
    return view if view in DocumentView.values else DocumentView.EVERYTHING


def _query(view: str, filters: DocumentFilters, **extra) -> str:
    return urlencode({"view": view, **filters.as_query(), **extra}, doseq=True)


def _page_number(request) -> int:
    text = request.GET.get("page", "1")
    return max(int(text), 1) if text.isdigit() else 1


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
    number = _page_number(request)
    page = documents_page(company=request.active_company, user=request.user, view=view,
                          filters=filters, offset=(number - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    query = _query(view, filters)
    context = {
        "rows": [{"id": r.id, "colour": r.colour, "cells": [
            {"key": c.key, "kind": c.kind, "value": v, "text": _text(c, v)}
            for c, v in zip(page.columns, r.cells, strict=True)]} for r in page.rows],
        "current_section": "documents", "view": view, "page": page, "filters": filters,
        "query": query, "number": number, "error": error,
        "pages": max((page.total_count + PAGE_SIZE - 1) // PAGE_SIZE, 1),
        "view_tabs": [{"key": k, "label": label, "current": k == view,
                       "url": "?" + _query(k, filters)} for k, label in VIEW_LABELS.items()],
        "state_labels": STATE_LABELS,
    }
    if request.headers.get("HX-Request"):
        return render(request, "web/documents/_table.html", context)
    company = request.active_company
    visible = {c.key for c in page.columns}
    context.update({
        "chooser": _chooser(request, page.columns, visible),
        "kinds": sorted(kind_labels().items()),
        "payment_states": [(s, STATE_LABELS[s]) for s in ("PAID", "PARTIAL", "UNPAID")],
        "companies": companies_for_user(user=request.user),
        "can_publish": has_perm(user=request.user, company=company, path=Path.SETTINGS,
                                action=Action.UPDATE),
        "can_export": has_perm(user=request.user, company=company, path=Path.DOCUMENTS,
                               action=Action.EXPORT),
    })
    return render(request, "web/documents/index.html", context)


def _text(column, value) -> str:
    """A cell as the page shows it: the same text the CSV export writes (so the screen
    and the file match exactly), the payment state and the type in the page's language."""
    if column.key == "payment_state":
        return str(STATE_LABELS.get(value, value))
    if column.key == "kind":
        return _(value) if value else ""
    return exports.csv_text(value)


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
                  {"current_section": "documents", "entries": entries})
