"""Year-end closing: move every income and expense balance of a fiscal year to retained
earnings with one entry, posted through the posting service and dated the year's last day,
then close the year's periods.

Idempotent: the closing entry carries the idempotency key ``fiscal-year-close:<id>``, so a
second close (or two at once) finds the first entry and posts nothing new.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from cuadra.core.audit import audit_record
from cuadra.core.errors import ErrorCollector, FieldError, NotFound, ValidationError
from cuadra.core.models import AuditAction
from cuadra.core.money import ZERO, DecimalSum
from cuadra.ledger.enums import (
    CLOSING_SOURCE_TYPE,
    AccountRole,
    AccountType,
    EntryState,
    JournalKind,
    PeriodState,
)
from cuadra.ledger.models import (
    Account,
    AccountBalance,
    FiscalYear,
    Journal,
    JournalEntry,
    Period,
)
from cuadra.ledger.services.periods import period_close
from cuadra.ledger.services.posting import journal_entry_post

CLOSING_SOURCE = CLOSING_SOURCE_TYPE


@dataclass(frozen=True)
class FiscalYearClosing:
    fiscal_year: FiscalYear
    entry: JournalEntry | None  # None when the year had no income or expense balance
    periods_closed: int


def fiscal_year_get(*, company, fiscal_year_id) -> FiscalYear:
    year = FiscalYear.objects.filter(company=company, pk=fiscal_year_id).first() \
        if str(fiscal_year_id).isdigit() else None
    if year is None:
        raise NotFound("No such fiscal year.", field="fiscalYearId")
    return year


def closing_key(fiscal_year: FiscalYear) -> str:
    return f"fiscal-year-close:{fiscal_year.pk}"


def _refuse_drafts(company, year: FiscalYear) -> None:
    drafts = list(JournalEntry.objects.filter(
        company=company, state=EntryState.DRAFT, date__gte=year.start, date__lte=year.end)
        .order_by("date", "pk").values_list("pk", "date", "reference")[:20])
    if drafts:
        named = ", ".join(f"#{pk} ({day:%Y-%m-%d}{' ' + ref if ref else ''})"
                          for pk, day, ref in drafts)
        raise ValidationError(errors=[FieldError(
            "fiscalYearId", f"Year {year.name} still has draft entries: {named}. "
                            "Post or delete them first.")])


def _closing_targets(company) -> tuple[Journal, Account]:
    errors = ErrorCollector()
    journal = Journal.objects.filter(company=company, kind=JournalKind.GENERAL,
                                     is_active=True).order_by("code").first()
    if journal is None:
        errors.add("journal", "The company has no active general journal.")
    retained = Account.objects.filter(company=company, role=AccountRole.RETAINED_EARNINGS,
                                      is_group=False, is_active=True).order_by("code").first()
    if retained is None:
        errors.add("account", "No active account has the RETAINED_EARNINGS role.")
    errors.raise_if_any()
    return journal, retained


_DIMENSIONS = ("branch_id", "cost_center", "project")


def _nets(company, year: FiscalYear) -> dict[tuple, Decimal]:
    """Debit minus credit per (income/expense account, branch, cost centre, project) over
    the year, read from the rollups the posting service keeps. Closing per dimension leaves
    every filtered income statement at zero too."""
    rows = (AccountBalance.objects
            .filter(company=company, period__fiscal_year=year,
                    account__type__in=[AccountType.INCOME, AccountType.EXPENSE])
            .values("account_id", *_DIMENSIONS)
            .annotate(debit=DecimalSum("debit"), credit=DecimalSum("credit"))
            .order_by("account__code", *_DIMENSIONS))
    nets = {}
    for row in rows:
        net = (row["debit"] or ZERO) - (row["credit"] or ZERO)
        if net:
            nets[(row["account_id"], *(row[d] for d in _DIMENSIONS))] = net
    return nets


def _side(amount: Decimal) -> dict:
    """A line that adds ``amount`` (debit minus credit) to an account."""
    return {"debit": amount, "credit": None} if amount > 0 else \
        {"debit": None, "credit": -amount}


def _closing_lines(nets: dict, retained: Account) -> list[dict]:
    lines, results = [], defaultdict(lambda: ZERO)
    for (account_id, *dims), net in nets.items():
        lines.append({"account": account_id, **_dims(dims), "label": "Cierre del año",
                      **_side(-net)})
        results[tuple(dims)] += net
    for dims, net in sorted(results.items(), key=lambda kv: (kv[0][0] or 0, *kv[0][1:])):
        if net:  # the year's result: a loss debits retained earnings, a profit credits it
            lines.append({"account": retained.pk, **_dims(dims),
                          "label": "Resultado del año", **_side(net)})
    return lines


def _dims(dims) -> dict:
    branch_id, cost_center, project = dims
    return {"branch": branch_id, "cost_center": cost_center, "project": project}


def _post_closing(company, actor, year: FiscalYear) -> JournalEntry | None:
    existing = JournalEntry.objects.filter(company=company,
                                           idempotency_key=closing_key(year)).first()
    if existing is not None:
        return existing
    journal, retained = _closing_targets(company)
    nets = _nets(company, year)
    if not nets:
        return None
    return journal_entry_post(
        company=company, actor=actor, idempotency_key=closing_key(year),
        journal=journal.pk, date=year.end, reference=f"CIERRE {year.name}",
        memo=f"Cierre del año fiscal {year.name}", source_type=CLOSING_SOURCE,
        source_id=str(year.pk), lines=_closing_lines(nets, retained))


@transaction.atomic
def fiscal_year_close(*, company, actor, fiscal_year: FiscalYear,
                      close_periods: bool = True) -> FiscalYearClosing:
    """Refuses (VALIDATION, naming them) while drafts remain in the year; posts the closing
    entry once; then closes every still-open period of the year."""
    year = fiscal_year_get(company=company, fiscal_year_id=fiscal_year.pk)
    _refuse_drafts(company, year)
    had_entry = JournalEntry.objects.filter(company=company,
                                            idempotency_key=closing_key(year)).exists()
    entry = _post_closing(company, actor, year)
    closed = 0
    if close_periods:
        for period in Period.objects.filter(company=company, fiscal_year=year,
                                            state=PeriodState.OPEN).order_by("start"):
            period_close(company=company, actor=actor, period=period)
            closed += 1
    if not had_entry or closed:
        audit_record(action=AuditAction.TRANSITION, actor=actor, company_id=company.pk,
                     obj=year, operation="fiscal_year_close",
                     changes={"closing_entry": [None, entry.number if entry else None],
                              "periods_closed": [None, closed]})
    return FiscalYearClosing(fiscal_year=year, entry=entry, periods_closed=closed)
