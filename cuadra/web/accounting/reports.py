"""Contabilidad → Reportes: trial balance, general ledger, general journal, income
statement and balance sheet, each with its filters (dates, branch, cost centre, project),
the previous-period comparison where it applies, and CSV/XLSX downloads streamed from
``cuadra.ledger.exports.report_export`` with the page's own query string."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from cuadra.access.permissions import Action, Path
from cuadra.core.errors import DomainError
from cuadra.ledger import reports
from cuadra.ledger import selectors as ledger_selectors
from cuadra.ledger.exports import report_export
from cuadra.tenancy.selectors import branch_list
from cuadra.web.accounting.common import account_name, can, page, parse_date

GL_PAGE = 100
GJ_PAGE = 25
FORMATS = (("csv", "CSV"), ("xlsx", "XLSX"))

# (key, label, url name); the REPORTS path opens every report. A role without it but
# with LEDGER view (the books' own readers) still sees the trial balance, as the API
# lets it.
REPORT_PAGES = (
    ("trial_balance", _("Trial balance"), "web:accounting_trial_balance"),
    ("general_ledger", _("General ledger"), "web:accounting_general_ledger"),
    ("general_journal", _("General journal"), "web:accounting_general_journal"),
    ("income_statement", _("Income statement"), "web:accounting_income_statement"),
    ("balance_sheet", _("Balance sheet"), "web:accounting_balance_sheet"),
)


def _perms(report: str, action: Action) -> tuple:
    if report == "trial_balance":
        return ((Path.REPORTS, action), (Path.LEDGER, action))
    return ((Path.REPORTS, action),)


def _require(request, report: str, action: Action = Action.VIEW) -> None:
    if not any(can(request, path, act) for path, act in _perms(report, action)):
        raise PermissionDenied(f"{report}:{action}")


def report_links(request, current: str) -> list[dict]:
    return [{"key": key, "label": label, "url": reverse(url), "current": key == current}
            for key, label, url in REPORT_PAGES
            if any(can(request, p, a) for p, a in _perms(key, Action.VIEW))]


# --- filters -------------------------------------------------------------------------------

def _filters(request) -> dict:
    """What every report page reads from its query string (the export reads the same)."""
    get = request.GET
    today = timezone.localdate()
    date_to = parse_date(get.get("date_to"), today)
    branches = list(branch_list(company=request.active_company))
    code = get.get("branch", "")
    return {
        "date_from": parse_date(get.get("date_from"), dt.date(date_to.year, 1, 1)),
        "date_to": date_to,
        "as_of": parse_date(get.get("as_of"), today),
        "branches": branches,
        "branch": next((b for b in branches if b.code == code), None),
        "cost_center": get.get("cost_center", "").strip(),
        "project": get.get("project", "").strip(),
        "compare": get.get("compare") in ("1", "on", "true"),
    }


def _dims(f: dict) -> dict:
    return {"branch": f["branch"], "cost_center": f["cost_center"], "project": f["project"]}


def _downloads(request, report: str) -> list[dict]:
    if not any(can(request, p, a) for p, a in _perms(report, Action.EXPORT)):
        return []
    query = _query_without_page(request)
    return [{"fmt": fmt, "label": label,
             "url": reverse("web:accounting_report_export", args=[report, fmt])
             + (f"?{query}" if query else "")} for fmt, label in FORMATS]


def _render(request, report: str, template: str, f: dict, build, *, show=("range",),
            extra=None, base: dict | None = None):
    """Run the selector; a refusal (bad range, foreign branch) shows next to the filters."""
    result, error = None, None
    try:
        result = build()
    except DomainError as exc:
        error = exc.message
    context = {"report": result, "error": error, "report_key": report, "f": f,
               "show": set(show), "report_links": report_links(request, report),
               "downloads": _downloads(request, report) if result else []}
    context.update(base or {})
    context.update(extra(result) if extra and result else {})
    return page(request, f"reports/{template}", "reports", context,
                status=400 if error else 200)


# --- the pages -----------------------------------------------------------------------------

@login_required
@require_GET
def trial_balance(request):
    _require(request, "trial_balance")
    f = _filters(request)

    def rows(tb):
        return {"rows": [{"line": li, "name": account_name(li.account)} for li in tb.lines]}

    return _render(request, "trial_balance", "trial_balance.html", f,
                   lambda: reports.trial_balance_report(
                       company=request.active_company, date_from=f["date_from"],
                       date_to=f["date_to"], compare=f["compare"], **_dims(f)),
                   show=("range", "dims", "compare"), extra=rows)


@login_required
@require_GET
def general_ledger(request):
    _require(request, "general_ledger")
    f = _filters(request)
    accounts = [(a.code, f"{a.code} · {account_name(a)}")
                for a in ledger_selectors.accounts_list(company=request.active_company)]
    f["account"] = request.GET.get("account", "")

    def build():
        if not f["account"]:
            return None
        return reports.general_ledger_get(company=request.active_company,
                                          account=f["account"], date_from=f["date_from"],
                                          date_to=f["date_to"], **_dims(f))

    def lines(gl):
        paginator = Paginator(range(gl.count()), GL_PAGE)
        current = paginator.get_page(request.GET.get("page"))
        offset = (current.number - 1) * GL_PAGE
        return {"page_obj": current, "lines": gl.page(offset=offset, limit=GL_PAGE),
                "account_label": account_name(gl.account),
                "first_page": current.number == 1, "last_page": not current.has_next(),
                "query": _query_without_page(request)}

    return _render(request, "general_ledger", "general_ledger.html", f, build,
                   show=("range", "dims", "account"), extra=lines,
                   base={"accounts": accounts})


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
@require_GET
def general_journal(request):
    _require(request, "general_journal")
    f = _filters(request)

    def entries(gj):
        paginator = Paginator(range(gj.count()), GJ_PAGE)
        current = paginator.get_page(request.GET.get("page"))
        chosen = gj.page(offset=(current.number - 1) * GJ_PAGE, limit=GJ_PAGE)
        for entry in chosen:
            entry.shown_lines = list(entry.lines.all())
            for line in entry.shown_lines:
                line.account_label = account_name(line.account)
        return {"entries": chosen, "page_obj": current,
                "query": _query_without_page(request)}

    return _render(request, "general_journal", "general_journal.html", f,
                   lambda: reports.general_journal_get(
                       company=request.active_company, date_from=f["date_from"],
                       date_to=f["date_to"], **_dims(f)),
                   show=("range", "dims"), extra=entries)


@login_required
@require_GET
def income_statement(request):
    _require(request, "income_statement")
    f = _filters(request)
    return _render(request, "income_statement", "statement.html", f,
                   lambda: reports.income_statement_get(
                       company=request.active_company, date_from=f["date_from"],
                       date_to=f["date_to"], compare=f["compare"], **_dims(f)),
                   show=("range", "dims", "compare"),
                   extra=lambda st: {"title": _("Income statement"), "grand_totals": [
                       {"key": "net_result", "label": _("Net result"),
                        "amount": st.net_result, "previous": st.previous_net_result,
                        "difference": st.difference}]})


@login_required
@require_GET
def balance_sheet(request):
    _require(request, "balance_sheet")
    f = _filters(request)
    return _render(request, "balance_sheet", "statement.html", f,
                   lambda: reports.balance_sheet_get(
                       company=request.active_company, as_of=f["as_of"],
                       compare=f["compare"], **_dims(f)),
                   show=("as_of", "dims", "compare"),
                   extra=lambda bs: {"title": _("Balance sheet"), "grand_totals": [
                       {"key": "liabilities_and_equity",
                        "label": _("Total liabilities and equity"),
                        "amount": bs.total_liabilities_and_equity,
                        "previous": bs.previous_total_liabilities_and_equity,
                        "difference": (None if bs.previous_as_of is None else
                                       bs.total_liabilities_and_equity
                                       - bs.previous_total_liabilities_and_equity)}]})


# --- downloads -----------------------------------------------------------------------------

@login_required
@require_GET
def report_download(request, report: str, fmt: str):
    if report not in {key for key, _label, _url in REPORT_PAGES}:
        raise Http404(report)
    _require(request, report, Action.EXPORT)
    params = request.GET.dict()
    try:
        filename, content_type, chunks = report_export(
            company=request.active_company, report=report, params=params, fmt=fmt)
    except DomainError as exc:
        return page(request, "reports/export_refused.html", "reports",
                    {"message": exc.message, "report_links": report_links(request, report)},
                    status=400)
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
