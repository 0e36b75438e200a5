"""Contabilidad → Reportes: the trial balance (from the balance rollups) and, once the
ledger's report selectors exist, the other statements and their CSV/XLSX downloads."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cuadra.access.permissions import Action, Path
from cuadra.core.errors import DomainError
from cuadra.ledger import selectors
from cuadra.tenancy.selectors import branch_list
from cuadra.web.accounting.common import account_name, can, page, parse_date

# The REPORTS path opens every report; a role without it but with LEDGER view (the books'
# own readers) still sees the trial balance, as the API lets it.
REPORT_PERMS = ((Path.REPORTS, Action.VIEW),)
TRIAL_BALANCE_PERMS = ((Path.REPORTS, Action.VIEW), (Path.LEDGER, Action.VIEW))


def _require_any(request, perms) -> None:
    if not any(can(request, path, action) for path, action in perms):
        raise PermissionDenied("reports")


def _range(request) -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    date_to = parse_date(request.GET.get("date_to"), today)
    date_from = parse_date(request.GET.get("date_from"), dt.date(date_to.year, 1, 1))
    return date_from, date_to


def _branch(request):
    """(branches to offer, the chosen branch or None)."""
    branches = list(branch_list(company=request.active_company))
    code = request.GET.get("branch", "")
    return branches, next((b for b in branches if b.code == code), None)


@login_required
@require_GET
def trial_balance(request):
    _require_any(request, TRIAL_BALANCE_PERMS)
    date_from, date_to = _range(request)
    branches, branch = _branch(request)
    report, error = None, None
    try:
        report = selectors.trial_balance_get(company=request.active_company,
                                             date_from=date_from, date_to=date_to,
                                             branch=branch)
    except DomainError as exc:
        error = exc.message
    rows = [{"row": r, "name": account_name(r.account)} for r in report.rows] if report else []
    return page(request, "trial_balance.html", "reports", {
        "report": report, "rows": rows, "error": error, "report_key": "trial_balance",
        "date_from": date_from, "date_to": date_to, "branches": branches, "branch": branch,
        "report_links": report_links(request, "trial_balance"), "downloads": [],
    }, status=400 if error else 200)


def report_links(request, current: str) -> list[dict]:
    """The report sub-navigation; statements appear when their selectors exist."""
    links = [{"key": "trial_balance", "label": _("Trial balance"),
              "url": reverse("web:accounting_trial_balance")}]
    return [{**link, "current": link["key"] == current} for link in links]
