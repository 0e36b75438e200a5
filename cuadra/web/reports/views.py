"""Reportes: the sales reports (by item, client and salesperson) with date and branch
filters and CSV/XLSX downloads, the customer statement (on the page, as PDF and XLSX),
and the printed invoice and credit note (PDF) that the sales pages link to.

Permissions: the page needs REPORTS:view, downloads REPORTS:export; an invoice's PDF
SALES_INVOICES:view, a credit note's CREDIT_NOTES:view. Everything is read in the active
company: another company's id or client code is a 404."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET

from cuadra.access.permissions import Action, Path
from cuadra.access.selectors import has_perm
from cuadra.contacts.selectors import client_by_code, clients_list
from cuadra.core.errors import DomainError, NotFound
from cuadra.sales import selectors as sales_selectors
from cuadra.sales.pdf import money, pdf_filename, plain, sales_invoice_pdf
from cuadra.sales.reports import (
    BY_ITEM,
    REPORT_KINDS,
    TITLES,
    report_columns,
    report_values,
    sales_report_export,
    sales_report_get,
)
from cuadra.sales.statements import (
    customer_statement_get,
    customer_statement_pdf,
    customer_statement_xlsx,
    statement_filename,
)
from cuadra.tenancy.selectors import branch_list
from cuadra.web.accounting.common import parse_date

FORMATS = (("csv", "CSV"), ("xlsx", "XLSX"))
STATEMENT_FORMATS = {"pdf": "application/pdf",
                     "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _can(request, path: Path, action: Action) -> bool:
    company = request.active_company
    return company is not None and has_perm(user=request.user, company=company, path=path,
                                            action=action)


def _require(request, path: Path, action: Action) -> None:
    if not _can(request, path, action):
        raise PermissionDenied(f"{path}:{action}")


# --- filters -------------------------------------------------------------------------------

def _report_filters(request) -> dict:
    get = request.GET
    today = timezone.localdate()
    date_to = parse_date(get.get("date_to"), today)
    branches = list(branch_list(company=request.active_company))
    code = get.get("branch", "")
    kind = get.get("report", BY_ITEM)
    return {
        "kind": kind if kind in REPORT_KINDS else BY_ITEM,
        "date_from": parse_date(get.get("date_from"), date_to.replace(day=1)),
        "date_to": date_to,
        "branches": branches,
        "branch": next((b for b in branches if b.code == code), None),
    }


def _statement_filters(request) -> dict:
    get = request.GET
    today = timezone.localdate()
    return {"client": (get.get("client") or "").strip(),
            "date_from": parse_date(get.get("st_from"), dt.date(today.year, 1, 1)),
            "date_to": parse_date(get.get("st_to"), today)}


def _report_query(f: dict) -> str:
    from urllib.parse import urlencode

    params = {"date_from": f["date_from"].isoformat(), "date_to": f["date_to"].isoformat()}
    if f["branch"] is not None:
        params["branch"] = f["branch"].code
    return urlencode(params)


def _statement_query(f: dict, fmt: str) -> str:
    from urllib.parse import urlencode

    return urlencode({"client": f["client"], "st_from": f["date_from"].isoformat(),
                      "st_to": f["date_to"].isoformat(), "format": fmt})


# --- the page ------------------------------------------------------------------------------

def _cell(value, kind: str) -> dict:
    if value is None:
        text = ""
    elif kind == "money":
        text = money(value)
    elif kind == "quantity":
        text = plain(value)
    else:
        text = str(value)
    return {"text": text, "num": kind in ("money", "quantity", "int")}


def _sales_part(request, f: dict) -> dict:
    report, error = None, None
    try:
        report = sales_report_get(company=request.active_company, kind=f["kind"],
                                  date_from=f["date_from"], date_to=f["date_to"],
                                  branch_id=f["branch"].pk if f["branch"] else None,
                                  user=request.user)
    except DomainError as exc:
        error = exc.message
    downloads = []
    if report is not None and _can(request, Path.REPORTS, Action.EXPORT):
        query = _report_query(f)
        downloads = [{"fmt": fmt, "label": label,
                      "url": reverse("web:reports_sales_export", args=[f["kind"], fmt])
                      + f"?{query}"} for fmt, label in FORMATS]
    columns = report_columns(report) if report is not None else []
    rows = ([[_cell(value, column.kind) for value, column in zip(values, columns, strict=True)]
             for values in report_values(report)] if report is not None else [])
    return {"report": report, "report_error": error, "report_rows": rows,
            "report_columns": columns,
            "report_totals": sorted(report.totals().items()) if report else [],
            "report_downloads": downloads,
            "kinds": [(kind, TITLES[kind]) for kind in REPORT_KINDS]}


def _statement_part(request, f: dict) -> dict:
    statement, error = None, None
    if f["client"]:
        try:
            client = client_by_code(company=request.active_company, code=f["client"])
            statement = customer_statement_get(company=request.active_company, client=client,
                                               date_from=f["date_from"],
                                               date_to=f["date_to"])
        except DomainError as exc:
            error = exc.message
    downloads = []
    if statement is not None and _can(request, Path.REPORTS, Action.EXPORT):
        downloads = [{"fmt": fmt, "label": fmt.upper(),
                      "url": reverse("web:reports_customer_statement") + "?"
                      + _statement_query(f, fmt)} for fmt in STATEMENT_FORMATS]
    clients = clients_list(company=request.active_company).values_list("code", "legal_name")
    return {"statement": statement, "statement_error": error,
            "statement_downloads": downloads, "clients": list(clients[:2000])}


@login_required
@require_GET
def index(request):
    _require(request, Path.REPORTS, Action.VIEW)
    f, sf = _report_filters(request), _statement_filters(request)
    context = {"current_section": "reports", "f": f, "sf": sf,
               **_sales_part(request, f), **_statement_part(request, sf)}
    failed = context["report_error"] or context["statement_error"]
    return render(request, "web/reports/index.html", context, status=400 if failed else 200)


# --- downloads -----------------------------------------------------------------------------

def _refused(request, message: str, status: int = 400):
    return render(request, "web/reports/refused.html",
                  {"current_section": "reports", "message": message}, status=status)


@login_required
@require_GET
def sales_report_download(request, kind: str, fmt: str):
    if kind not in REPORT_KINDS:
        raise Http404(kind)
    _require(request, Path.REPORTS, Action.EXPORT)
    f = _report_filters(request)
    if request.GET.get("branch") and f["branch"] is None:
        raise Http404("branch")
    try:
        filename, content_type, chunks = sales_report_export(
            company=request.active_company, kind=kind, date_from=f["date_from"],
            date_to=f["date_to"], fmt=fmt, branch_id=f["branch"].pk if f["branch"] else None,
            user=request.user)
    except DomainError as exc:
        return _refused(request, exc.message)
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def customer_statement_download(request):
    _require(request, Path.REPORTS, Action.EXPORT)
    f = _statement_filters(request)
    fmt = request.GET.get("format", "pdf")
    if fmt not in STATEMENT_FORMATS:
        return _refused(request, pgettext("sales reports", "Export as PDF or XLSX."))
    try:
        client = client_by_code(company=request.active_company, code=f["client"])
    except NotFound as exc:
        raise Http404("client") from exc
    try:
        statement = customer_statement_get(company=request.active_company, client=client,
                                           date_from=f["date_from"], date_to=f["date_to"])
    except DomainError as exc:
        return _refused(request, exc.message)
    render_file = customer_statement_pdf if fmt == "pdf" else customer_statement_xlsx
    response = HttpResponse(render_file(statement), content_type=STATEMENT_FORMATS[fmt])
    response["Content-Disposition"] = (f'attachment; '
                                       f'filename="{statement_filename(statement, fmt)}"')
    return response


def _pdf_response(request, document) -> HttpResponse:
    data = sales_invoice_pdf(company=request.active_company, invoice=document)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pdf_filename(document)}"'
    return response


@login_required
@require_GET
def invoice_pdf(request, pk: int):
    _require(request, Path.SALES_INVOICES, Action.VIEW)
    try:
        invoice = sales_selectors.sales_invoice_get(company=request.active_company,
                                                    invoice_id=pk)
    except NotFound as exc:
        raise Http404("invoice") from exc
    return _pdf_response(request, invoice)


@login_required
@require_GET
def credit_note_pdf(request, pk: int):
    _require(request, Path.CREDIT_NOTES, Action.VIEW)
    try:
        note = sales_selectors.sales_credit_note_get(company=request.active_company,
                                                     credit_note_id=pk)
    except NotFound as exc:
        raise Http404("credit note") from exc
    return _pdf_response(request, note)

