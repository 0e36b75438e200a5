"""Fiscal years, monthly periods and their states: open -> closed -> locked.

Posting rule (documented in DESIGN terms, DESIGN.md invariant 3):
* OPEN: anyone allowed to post may post.
* CLOSED: refused with PERIOD_CLOSED unless the actor holds PERIODS:approve; such a post
  is allowed and writes an audit row naming the override.
* LOCKED: always refused. Locking is irreversible (a trigger refuses changes to the row).
"""

from __future__ import annotations

import calendar
import datetime as dt

from django.db import transaction

from cuadra.access.permissions import Action, Path
from cuadra.access.selectors import has_perm
from cuadra.core.audit import audit_record
from cuadra.core.errors import Conflict, DomainError, InvalidTransition, NotFound
from cuadra.core.models import AuditAction
from cuadra.ledger.enums import PERIOD_TRANSITIONS, EntryState, PeriodState
from cuadra.ledger.models import FiscalYear, JournalEntry, Period


def _add_months(day: dt.date, months: int) -> dt.date:
    month0 = day.month - 1 + months
    return dt.date(day.year + month0 // 12, month0 % 12 + 1, 1)


def fiscal_year_start(*, company, date: dt.date) -> dt.date:
    start_month = company.fiscal_year_start_month
    year = date.year if date.month >= start_month else date.year - 1
    return dt.date(year, start_month, 1)


def fiscal_year_ensure(*, company, date: dt.date) -> FiscalYear:
    """The fiscal year holding ``date``, created with its twelve open periods if missing.
    A concurrent creator makes get_or_create retry the read, and periods commit with it."""
    start = fiscal_year_start(company=company, date=date)
    end = _add_months(start, 12) - dt.timedelta(days=1)
    name = str(start.year) if start.month == 1 else f"{start.year}-{end.year}"
    year, created = FiscalYear.objects.get_or_create(
        company=company, start=start, defaults={"end": end, "name": name})
    if created:
        months = [_add_months(start, i) for i in range(12)]
        Period.objects.bulk_create([
            Period(company=company, fiscal_year=year, start=m, name=f"{m:%Y-%m}",
                   end=dt.date(m.year, m.month, calendar.monthrange(m.year, m.month)[1]))
            for m in months])
    return year


def period_for_date(*, company, date: dt.date, lock: bool = False) -> Period:
    qs = Period.objects.filter(company=company, start__lte=date, end__gte=date)
    period = (qs.select_for_update() if lock else qs).first()
    if period is None:
        fiscal_year_ensure(company=company, date=date)
        period = (qs.select_for_update() if lock else qs).get()
    return period


def period_check_postable(*, company, actor, period: Period, operation: str) -> None:
    """Refuse a post into a locked period, or a closed one without PERIODS:approve."""
    if period.state == PeriodState.OPEN:
        return
    if period.state == PeriodState.CLOSED and has_perm(
            user=actor, company=company, path=Path.PERIODS, action=Action.APPROVE):
        audit_record(action=AuditAction.TRANSITION, actor=actor, company_id=company.pk,
                     obj=period, operation=f"{operation}:closed_period_override",
                     message=f"Posted into closed period {period.name}")
        return
    raise DomainError(f"Period {period.name} is {period.state}.", field="date",
                      code="PERIOD_CLOSED")


def period_get(*, company, period_id) -> Period:
    period = Period.objects.filter(company=company, pk=period_id).first() \
        if str(period_id).isdigit() else None
    if period is None:
        raise NotFound("No such period.", field="periodId")
    return period


@transaction.atomic
def period_transition(*, company, actor, period: Period, to: str) -> Period:
    # the chain head lock orders this after any post in flight for the company
    from cuadra.ledger.services.posting import chain_head_lock

    chain_head_lock(company=company)
    locked = Period.objects.select_for_update().get(pk=period.pk, company=company)
    if to not in PERIOD_TRANSITIONS[locked.state]:
        raise InvalidTransition(f"Period {locked.name} cannot go from {locked.state} to {to}.",
                                field="state")
    if to == PeriodState.CLOSED:
        drafts = list(JournalEntry.objects.filter(
            company=company, state=EntryState.DRAFT, date__gte=locked.start,
            date__lte=locked.end).values_list("pk", flat=True)[:20])
        if drafts:
            raise Conflict(f"Period {locked.name} still has draft entries: "
                           f"{', '.join(map(str, drafts))}.", field="periodId")
    before = locked.state
    locked.state = to
    locked.save(update_fields=["state", "updated_at"])
    audit_record(action=AuditAction.TRANSITION, actor=actor, company_id=company.pk,
                 obj=locked, operation="period_transition",
                 changes={"state": [before, to]})
    return locked


def period_close(*, company, actor, period: Period) -> Period:
    return period_transition(company=company, actor=actor, period=period,
                             to=PeriodState.CLOSED)


def period_reopen(*, company, actor, period: Period) -> Period:
    return period_transition(company=company, actor=actor, period=period, to=PeriodState.OPEN)


def period_lock(*, company, actor, period: Period) -> Period:
    return period_transition(company=company, actor=actor, period=period,
                             to=PeriodState.LOCKED)
