"""Recurring entries: a template (journal, lines, memo) with a monthly or yearly schedule,
posted by a beat task (``cuadra.ledger.tasks.recurring_entries_post``).

Each occurrence posts at most once, however often or concurrently the task runs: the
template row is locked while an occurrence posts, a ``RecurringEntryRun`` row is unique per
(template, period), and the entry carries the idempotency key ``recurring:<id>:<period>``.
Missed periods are caught up on the next run.
"""

from __future__ import annotations

import calendar
import datetime as dt
import logging
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from cuadra.core.audit import audit_create, audit_update, snapshot
from cuadra.core.errors import DomainError, ErrorCollector, NotFound
from cuadra.core.money import MONEY_PLACES, ZERO, to_decimal
from cuadra.ledger.models import (
    Account,
    Journal,
    JournalEntry,
    RecurringEntry,
    RecurringEntryRun,
    RecurringFrequency,
)
from cuadra.ledger.services.posting import journal_entry_post
from cuadra.tenancy.models import Branch

log = logging.getLogger(__name__)
RECURRING_SOURCE = "ledger.RecurringEntry"


# --- templates -----------------------------------------------------------------------------

def _by_id_or_code(model, company, value, code_field="code"):
    if value in (None, ""):
        return None
    qs = model.objects.filter(company=company)
    if isinstance(value, int) or hasattr(value, "pk"):
        return qs.filter(pk=getattr(value, "pk", value)).first()
    return qs.filter(**{code_field: str(value)}).first()


def _amount(errors: ErrorCollector, path: str, value) -> Decimal:
    if value in (None, ""):
        return ZERO
    try:
        amount = to_decimal(value)
    except (TypeError, ValueError, InvalidOperation):
        errors.add(path, "Not a decimal number (send a string, never a float).")
        return ZERO
    if not amount.is_finite() or amount < 0 or amount.as_tuple().exponent < -MONEY_PLACES:
        errors.add(path, f"Use a positive amount with at most {MONEY_PLACES} decimals.")
        return ZERO
    return amount


def _clean_line(company, errors: ErrorCollector, i: int, data: dict) -> dict:
    path = f"lines[{i}]"
    account = _by_id_or_code(Account, company, data.get("account"))
    if account is None:
        errors.add(f"{path}.account", "No such account in this company.")
    elif account.is_group or not account.is_active:
        errors.add(f"{path}.account", f"Account {account.code} is a group or inactive.")
    debit = _amount(errors, f"{path}.debit", data.get("debit"))
    credit = _amount(errors, f"{path}.credit", data.get("credit"))
    if (debit == 0) == (credit == 0):
        errors.add(f"{path}.debit", "A line has either a debit or a credit.")
    branch = _by_id_or_code(Branch, company, data.get("branch"))
    if data.get("branch") not in (None, "") and branch is None:
        errors.add(f"{path}.branch", "No such branch in this company.")
    return {"account": account.pk if account else None,
            "debit": str(debit) if debit else None, "credit": str(credit) if credit else None,
            "label": str(data.get("label") or "")[:200],
            "partner": str(data.get("partner") or "")[:64],
            "branch": branch.pk if branch else None,
            "cost_center": str(data.get("cost_center") or "")[:32],
            "project": str(data.get("project") or "")[:32]}


def _clean_lines(company, errors: ErrorCollector, lines) -> list[dict]:
    lines = list(lines or [])
    if len(lines) < 2:
        errors.add("lines", "A recurring entry needs at least two lines.")
    cleaned = [_clean_line(company, errors, i, d) for i, d in enumerate(lines)]
    debit = sum((Decimal(li["debit"] or 0) for li in cleaned), ZERO)
    credit = sum((Decimal(li["credit"] or 0) for li in cleaned), ZERO)
    if lines and debit != credit:
        errors.add("lines", f"Debits {debit} and credits {credit} differ by {debit - credit}.",
                   code="UNBALANCED_ENTRY")
    return cleaned


def _check_schedule(errors: ErrorCollector, *, frequency, start_date, end_date, day) -> None:
    if frequency not in RecurringFrequency.values:
        errors.add("frequency", f"Choose one of {', '.join(RecurringFrequency.values)}.")
    if not isinstance(start_date, dt.date):
        errors.add("startDate", "A recurring entry needs a start date.")
    elif end_date is not None and end_date < start_date:
        errors.add("endDate", "The end date is before the start date.")
    if not isinstance(day, int) or not 1 <= day <= 31:
        errors.add("dayOfMonth", "Use a day between 1 and 31.")


@transaction.atomic
def recurring_entry_create(*, company, actor, name: str, journal, lines: list[dict],
                           frequency: str, start_date: dt.date, end_date: dt.date | None = None,
                           day_of_month: int | None = None, memo: str = "",
                           reference: str = "") -> RecurringEntry:
    errors = ErrorCollector()
    if not (name or "").strip():
        errors.add("name", "Give the template a name.")
    journal_obj = _by_id_or_code(Journal, company, journal)
    if journal_obj is None or not journal_obj.is_active:
        errors.add("journal", "No such active journal in this company.")
    day = day_of_month if day_of_month is not None else getattr(start_date, "day", None)
    _check_schedule(errors, frequency=frequency, start_date=start_date, end_date=end_date,
                    day=day)
    cleaned = _clean_lines(company, errors, lines)
    errors.raise_if_any()
    template = RecurringEntry.objects.create(
        company=company, name=name.strip()[:100], journal=journal_obj, memo=memo or "",
        reference=(reference or "")[:100], lines=cleaned, frequency=frequency,
        start_date=start_date, end_date=end_date, day_of_month=day,
        created_by=actor if getattr(actor, "pk", None) else None)
    audit_create(actor=actor, company_id=company.pk, obj=template,
                 operation="recurring_entry_create")
    return template


def recurring_entry_get(*, company, template_id, lock: bool = False) -> RecurringEntry:
    qs = RecurringEntry.objects.filter(company=company)
    template = (qs.select_for_update() if lock else qs).filter(pk=template_id).first() \
        if str(template_id).isdigit() else None
    if template is None:
        raise NotFound("No such recurring entry.", field="id")
    return template


@transaction.atomic
def recurring_entry_deactivate(*, company, actor, template: RecurringEntry) -> RecurringEntry:
    locked = recurring_entry_get(company=company, template_id=template.pk, lock=True)
    if locked.is_active:
        before = snapshot(locked)
        locked.is_active = False
        locked.save(update_fields=["is_active", "updated_at"])
        audit_update(actor=actor, company_id=company.pk, obj=locked, before=before,
                     operation="recurring_entry_deactivate")
    return locked


def recurring_entries_list(*, company, active_only: bool = False):
    qs = RecurringEntry.objects.filter(company=company).select_related("journal")
    return qs.filter(is_active=True) if active_only else qs


# --- the schedule --------------------------------------------------------------------------

def _on_day(year: int, month: int, day: int) -> dt.date:
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def occurrences_due(template: RecurringEntry, today: dt.date) -> list[tuple[str, dt.date]]:
    """(period key, date) of every occurrence from the start up to ``today``."""
    last = min(today, template.end_date) if template.end_date else today
    start = template.start_date
    if template.frequency == RecurringFrequency.YEARLY:
        dates = [(f"{y}", _on_day(y, start.month, template.day_of_month))
                 for y in range(start.year, last.year + 1)]
    else:
        months = range(start.year * 12 + start.month - 1, last.year * 12 + last.month)
        dates = [(f"{m // 12}-{m % 12 + 1:02d}",
                  _on_day(m // 12, m % 12 + 1, template.day_of_month)) for m in months]
    return [(key, day) for key, day in dates if start <= day <= last]


def occurrence_key(template: RecurringEntry, period_key: str) -> str:
    return f"recurring:{template.pk}:{period_key}"


@transaction.atomic
def recurring_occurrence_post(*, template: RecurringEntry, period_key: str,
                              date: dt.date) -> JournalEntry | None:
    """Post one occurrence unless it already ran. Locks the template so concurrent runs
    queue here; the run row and the idempotency key make a duplicate impossible anyway."""
    locked = RecurringEntry.objects.select_for_update().get(pk=template.pk)
    if RecurringEntryRun.objects.filter(company_id=locked.company_id, template=locked,
                                        period_key=period_key).exists():
        return None
    company = locked.company
    entry = journal_entry_post(
        company=company, actor=locked.created_by,
        idempotency_key=occurrence_key(locked, period_key), journal=locked.journal_id,
        date=date, reference=locked.reference or f"{locked.name} {period_key}"[:100],
        memo=locked.memo, source_type=RECURRING_SOURCE, source_id=str(locked.pk),
        lines=[dict(line) for line in locked.lines])
    run = RecurringEntryRun.objects.create(company=company, template=locked,
                                           period_key=period_key, date=date, entry=entry)
    audit_create(actor=locked.created_by, company_id=company.pk, obj=run,
                 operation="recurring_entries_post")
    return entry


def _note_errors(template: RecurringEntry, messages: list[str]) -> None:
    """Keep on the template what still fails (cleared once everything due has posted)."""
    text = "\n".join(messages)[:2000]
    if text != template.last_error:
        RecurringEntry.objects.filter(pk=template.pk).update(last_error=text,
                                                             updated_at=timezone.now())
    for message in messages:
        log.warning("recurring entry %s not posted: %s", template.pk, message)


def recurring_entries_post(*, today: dt.date | None = None, company=None) -> list[JournalEntry]:
    """Post every due occurrence of every active template (of one company, or all).
    A refused occurrence (closed period, inactive account) is noted on the template and
    retried on the next run; the others still post."""
    today = today or timezone.localdate()
    templates = RecurringEntry.objects.filter(is_active=True, start_date__lte=today)
    if company is not None:
        templates = templates.filter(company=company)
    posted = []
    for template in templates.order_by("company_id", "pk"):
        done = set(RecurringEntryRun.objects.filter(template=template)
                   .values_list("period_key", flat=True))
        failures = []
        for period_key, date in occurrences_due(template, today):
            if period_key in done:
                continue
            try:
                entry = recurring_occurrence_post(template=template, period_key=period_key,
                                                  date=date)
            except DomainError as error:
                failures.append(f"{period_key}: {error.code} {error.message}")
                continue
            if entry is not None:
                posted.append(entry)
        _note_errors(template, failures)
    return posted
