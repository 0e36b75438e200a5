"""Rebuilding the balance rollups from the lines (``cuadra ledger rebuild-balances``)."""

from __future__ import annotations

from django.db import transaction

from cuadra.core.audit import audit_record
from cuadra.core.models import AuditAction
from cuadra.core.money import ZERO, DecimalSum
from cuadra.ledger.enums import EntryState
from cuadra.ledger.models import AccountBalance, AccountPeriodTotal, JournalLine, Period


def balance_rows_from_lines(*, company) -> dict[tuple, tuple]:
    """(account, period, branch_key, cost_center, project) -> (debit, credit), summed
    from posted lines: one grouped query per period."""
    rows = {}
    for period in Period.objects.filter(company=company).order_by("start"):
        sums = (JournalLine.objects
                .filter(company=company, entry__state=EntryState.POSTED,
                        entry__date__gte=period.start, entry__date__lte=period.end)
                .values("account_id", "branch_id", "cost_center", "project")
                .annotate(debit=DecimalSum("debit"), credit=DecimalSum("credit"))
                .order_by())
        for s in sums:
            key = (s["account_id"], period.pk, s["branch_id"] or 0, s["cost_center"],
                   s["project"])
            rows[key] = (s["debit"], s["credit"])
    return rows


@transaction.atomic
def balances_rebuild(*, company, actor=None) -> int:
    from cuadra.ledger.services.posting import chain_head_lock

    chain_head_lock(company=company)  # no post may run while the rollups are rebuilt
    AccountBalance.objects.filter(company=company).delete()
    rows = balance_rows_from_lines(company=company)
    AccountBalance.objects.bulk_create([
        AccountBalance(company=company, account_id=a, period_id=p, branch_key=b,
                       branch_id=b or None, cost_center=cc, project=pr, debit=d, credit=c)
        for (a, p, b, cc, pr), (d, c) in rows.items()], batch_size=2000)
    AccountPeriodTotal.objects.filter(company=company).delete()
    totals: dict[tuple, list] = {}
    for (a, p, _b, _cc, _pr), (d, c) in rows.items():
        pair = totals.setdefault((a, p), [ZERO, ZERO])
        pair[0] += d
        pair[1] += c
    AccountPeriodTotal.objects.bulk_create([
        AccountPeriodTotal(company=company, account_id=a, period_id=p, debit=d, credit=c)
        for (a, p), (d, c) in totals.items()], batch_size=2000)
    audit_record(action=AuditAction.UPDATE, actor=actor, company_id=company.pk,
                 operation="balances_rebuild", object_type="ledger.AccountBalance",
                 changes={"rows": [None, len(rows)]})
    return len(rows)
