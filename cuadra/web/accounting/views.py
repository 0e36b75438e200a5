"""Contabilidad: the overview, the chart of accounts and the ledger integrity check.
Journal entries live in ``entries``, report pages in ``reports``."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.views.decorators.http import require_GET

from cuadra.access.permissions import Action, Path
from cuadra.ledger import selectors
from cuadra.ledger.enums import AccountType, EntryState
from cuadra.ledger.models import JournalEntry
from cuadra.web.accounting.common import (
    ACCOUNT_ROLE_LABELS,
    ACCOUNT_TYPE_LABELS,
    TABS,
    account_name,
    can,
    can_any,
    page,
    tabs,
)
from cuadra.web.actions import require


@login_required
@require_GET
def index(request):
    """What the books hold, and a way into each page the user may open."""
    if not can_any(request, TABS[0][3]):
        raise PermissionDenied("accounting")
    company = request.active_company
    counts = {}
    if can(request, Path.JOURNAL_ENTRIES, Action.VIEW):
        entries = JournalEntry.objects.filter(company=company)
        counts = {"drafts": entries.filter(state=EntryState.DRAFT).count(),
                  "posted": entries.filter(state=EntryState.POSTED).count()}
    return page(request, "index.html", "overview", {
        "counts": counts, "links": [t for t in tabs(request, "overview")
                                    if t["key"] != "overview"],
        "checkpoint": (selectors.ledger_checkpoint(company=company)
                       if can(request, Path.LEDGER, Action.VIEW) else None),
    })


def _depths(accounts) -> dict[int, int]:
    parents = {a.pk: a.parent_id for a in accounts}
    depths: dict[int, int] = {}
    for pk in parents:
        depth, up = 0, parents.get(pk)
        while up is not None and depth < 20:
            depth, up = depth + 1, parents.get(up)
        depths[pk] = depth
    return depths


@login_required
@require_GET
def chart(request):
    require(request, Path.ACCOUNTS, Action.VIEW)
    everything = list(selectors.accounts_list(company=request.active_company))
    depths = _depths(everything)
    text = request.GET.get("q", "").strip()
    kind = request.GET.get("type", "")
    shown = everything
    if text or kind in AccountType.values:
        qs = selectors.accounts_list(company=request.active_company)
        if text:
            qs = qs.filter(Q(code__icontains=text) | Q(name_es__icontains=text)
                           | Q(name_en__icontains=text))
        if kind in AccountType.values:
            qs = qs.filter(type=kind)
        wanted = set(qs.values_list("pk", flat=True))
        shown = [a for a in everything if a.pk in wanted]
    rows = [{"account": a, "name": account_name(a), "depth": depths[a.pk],
             "type": ACCOUNT_TYPE_LABELS.get(a.type, a.type),
             "role": ACCOUNT_ROLE_LABELS.get(a.role, "")} for a in shown]
    return page(request, "chart.html", "accounts", {
        "rows": rows, "total": len(everything), "q": text, "type": kind,
        "types": [(t, ACCOUNT_TYPE_LABELS[t]) for t in AccountType.values],
    })


@login_required
@require_GET
def integrity(request):
    require(request, Path.LEDGER, Action.VIEW)
    company = request.active_company
    result = selectors.ledger_verify(company=company)
    checkpoint = selectors.ledger_checkpoint(company=company)
    return page(request, "integrity.html", "integrity", {
        "result": result, "checkpoint": checkpoint,
        "checkpoint_text": (f"company {checkpoint.company} entries {checkpoint.entries} "
                            f"head {checkpoint.head_hash} at {checkpoint.at.isoformat()}"),
    })
