"""Writes: configure series, and take legal numbers (DESIGN.md invariant 5).

Locking rules (no cycles, so no deadlocks):

* ``sequence_next`` locks exactly one ``SequenceCounter`` row: the (series, period) it
  issues from. Different series, branches, periods and companies never wait on each other.
* Editing a series locks its ``AutoSequence`` row first, then its counter rows in primary-key
  order, so no number is issued while a new format is being checked.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.db.models.functions import Length
from django.utils import timezone

from cuadra.core.audit import audit_create, audit_delete, audit_record, audit_update, snapshot
from cuadra.core.errors import Conflict, ErrorCollector, ValidationError
from cuadra.core.models import AuditAction
from cuadra.sequences import selectors
from cuadra.sequences.enums import (
    CHRONOLOGY_OFF_BY_DEFAULT,
    DEFAULT_SEQUENCES,
    DocumentType,
    ResetStrategy,
)
from cuadra.sequences.formatting import (
    format_errors,
    period_key,
    render,
    render_prefix,
    suffix_pattern,
)
from cuadra.sequences.models import AutoSequence, IssuedNumber, SequenceCounter
from cuadra.tenancy.models import Branch

# --- issuing -------------------------------------------------------------------------------


def sequence_next(*, company, document_type: str, date, branch=None,
                  object_type: str = "", object_id: str | int = "") -> str:
    """Take the next legal number for a document being issued, inside the caller's
    transaction: the counter row stays locked until that transaction ends, and a rollback
    gives the number back (nothing else ever saw it)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("sequence_next must run inside the issuing transaction "
                           "(transaction.atomic), or a rollback could not free the number.")
    date = selectors.as_local_date(company=company, date=date)
    seq = _series_row(company, document_type, selectors.branch_code_of(branch))
    key = period_key(seq.reset_strategy, date)
    fast = _issue_fast(company, seq, [key], [date], object_type, [object_id])
    if fast is not None:
        return fast[0]
    counter = _locked_counter(seq, key)
    if seq.enforce_chronology and counter.last_date and date < counter.last_date:
        raise ValidationError(
            f"{document_type} {render(seq.prefix, seq.padding, counter.last_value, date)} is "
            f"dated {counter.last_date.isoformat()}; a document dated {date.isoformat()} "
            "cannot take a later number in the same series and period.", field="date")
    counter.last_value += 1
    if counter.last_date is None or date > counter.last_date:
        counter.last_date = date
    counter.save(update_fields=["last_value", "last_date"])
    number = render(seq.prefix, seq.padding, counter.last_value, date)
    try:
        IssuedNumber.objects.create(
            company=company, document_type=seq.document_type, number=number,
            sequence_id=seq.pk,
            period_key=counter.period_key, value=counter.last_value, date=date,
            object_type=object_type, object_id=str(object_id or ""))
    except IntegrityError:
        # The unique constraint is the backstop against a format that renders a number
        # issued before; the caller's transaction is rolled back.
        raise Conflict(f"{document_type} number {number} was issued before; change the "
                       "series' prefix or move its counter forward.", field="prefix") from None
    return number


def sequence_next_many(*, company, document_type: str, dates: list, branch=None,
                       object_type: str = "", object_ids: list | None = None) -> list[str]:
    """``len(dates)`` numbers at once, in the order of ``dates``: what N calls of
    ``sequence_next`` would return, with the same rules (inside the issuing transaction,
    chronology per series and period, gapless, a rollback gives every number back), but
    one lock and one UPDATE per (series, period) counter and one bulk insert of the issued
    numbers. Counters are locked in period-key order, so two batches never deadlock."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("sequence_next_many must run inside the issuing transaction.")
    if not dates:
        return []
    dates = [selectors.as_local_date(company=company, date=d) for d in dates]
    seq = _series_row(company, document_type, selectors.branch_code_of(branch))
    keys = [period_key(seq.reset_strategy, d) for d in dates]
    ids = list(object_ids) if object_ids is not None else [""] * len(dates)
    fast = _issue_fast(company, seq, keys, dates, object_type, ids)
    if fast is not None:
        return fast
    counters = {key: _locked_counter(seq, key) for key in sorted(set(keys))}
    issued = [_issue_in_memory(seq, counters[key], date, i)
              for i, (key, date) in enumerate(zip(keys, dates, strict=True))]
    for counter in counters.values():
        counter.save(update_fields=["last_value", "last_date"])
    _issued_insert(company, seq, [
        (number, key, value, date, object_type, str(ids[i] or ""))
        for i, ((number, value), key, date) in enumerate(zip(issued, keys, dates,
                                                             strict=True))])
    return [number for number, _ in issued]


class _Series:
    """The columns of an AutoSequence that issuing reads (one plain query, no model)."""

    __slots__ = (
        "company_id",
        "document_type",
        "enforce_chronology",
        "padding",
        "pk",
        "prefix",
        "reset_strategy",
    )

    def __init__(self, row) -> None:
        (self.pk, self.company_id, self.document_type, self.prefix, self.padding,
         self.reset_strategy, self.enforce_chronology) = row


def _series_row(company, document_type: str, branch_code: str) -> _Series:
    """``selectors.sequence_for`` in one plain query: the branch's series, else the
    company-wide one."""
    if document_type not in DocumentType.values:
        return selectors.sequence_for(company=company, document_type=document_type,
                                      branch_code=branch_code)  # raises the usual error
    table = AutoSequence._meta.db_table
    with connection.cursor() as cur:
        cur.execute(f"SELECT id, company_id, document_type, prefix, padding, reset_strategy, "
                    f"enforce_chronology, branch_code FROM {table} WHERE company_id = %s "
                    f"AND document_type = %s AND branch_code IN (%s, '')",
                    [company.pk, document_type, branch_code])
        rows = {row[-1]: row[:-1] for row in cur.fetchall()}
    row = rows.get(branch_code) or rows.get("")
    if row is None:
        return selectors.sequence_for(company=company, document_type=document_type,
                                      branch_code=branch_code)  # raises NOT_FOUND
    return _Series(row)


def _issue_fast(company, seq: _Series, keys: list[str], dates: list, object_type: str,
                ids: list) -> list[str] | None:
    """The common case in one ``UPDATE ... RETURNING`` per (series, period) counter: the
    counter exists and every date keeps the series' chronology. The UPDATE's WHERE checks
    the counter's last date, so when it matches nothing, nothing changed and the caller
    takes the general path (which creates the counter or names the offending date)."""
    by_key: dict[str, list[int]] = {}
    for i, key in enumerate(keys):
        by_key.setdefault(key, []).append(i)
    if seq.enforce_chronology and any(
            dates[idx[j]] < dates[idx[j - 1]] for idx in by_key.values()
            for j in range(1, len(idx))):
        return None
    table = SequenceCounter._meta.db_table
    sqlite = connection.vendor == "sqlite"
    values: list[int] = [0] * len(dates)
    with connection.cursor() as cur:
        for key in sorted(by_key):  # the lock order of the general path
            idx = by_key[key]
            first = dates[idx[0]]
            last = max(dates[i] for i in idx)
            first_p, last_p = (first.isoformat(), last.isoformat()) if sqlite else (first, last)
            check = " AND (last_date IS NULL OR last_date <= %s)" \
                if seq.enforce_chronology else ""
            sql = (f"UPDATE {table} SET last_value = last_value + %s, last_date = CASE WHEN "
                   f"last_date IS NULL OR last_date < %s THEN %s ELSE last_date END "
                   f"WHERE sequence_id = %s AND period_key = %s{check} RETURNING last_value")
            params = [len(idx), last_p, last_p, seq.pk, key,
                      *([first_p] if seq.enforce_chronology else [])]
            cur.execute(sql, params)
            row = cur.fetchone()
            if row is None:
                if all(v == 0 for v in values):
                    return None  # nothing moved: the general path does it all
                # an earlier counter of this batch moved already: create or lock this
                # one, refuse as the general path would, else issue from it
                counter = _locked_counter(seq, key)
                _issue_in_memory(seq, counter, first, idx[0])
                cur.execute(sql, params)
                row = cur.fetchone()
            start = row[0] - len(idx)
            for n, i in enumerate(idx, start=1):
                values[i] = start + n
    numbers = [render(seq.prefix, seq.padding, v, d) for v, d in zip(values, dates,
                                                                     strict=True)]
    _issued_insert(company, seq, [
        (numbers[i], keys[i], values[i], dates[i], object_type, str(ids[i] or ""))
        for i in range(len(dates))])
    return numbers


def _issue_in_memory(seq, counter: SequenceCounter, date, index: int
                     ) -> tuple[str, int]:
    if seq.enforce_chronology and counter.last_date and date < counter.last_date:
        raise ValidationError(
            f"{seq.document_type} {render(seq.prefix, seq.padding, counter.last_value, date)}"
            f" is dated {counter.last_date.isoformat()}; a document dated "
            f"{date.isoformat()} cannot take a later number in the same series and period.",
            field=f"dates[{index}]")
    counter.last_value += 1
    if counter.last_date is None or date > counter.last_date:
        counter.last_date = date
    return render(seq.prefix, seq.padding, counter.last_value, date), counter.last_value


_ISSUED_COLS = ("company_id", "document_type", "number", "sequence_id", "period_key", "value",
                "date", "issued_at", "object_type", "object_id")


def _issued_insert(company, seq, rows: list[tuple]) -> None:
    """``rows``: (number, period_key, value, date, object_type, object_id). Written as plain
    rows (executemany on SQLite, COPY or one multi-row INSERT on PostgreSQL): building and
    saving a model instance per number was most of a large batch's numbering time."""
    now = timezone.now()
    sqlite = connection.vendor == "sqlite"
    if sqlite:
        now = connection.ops.adapt_datetimefield_value(now)
    head = (company.pk, seq.document_type)
    values = [(*head, number, seq.pk, key, value, date.isoformat() if sqlite else date, now,
               object_type, object_id)
              for number, key, value, date, object_type, object_id in rows]
    table, names = IssuedNumber._meta.db_table, ", ".join(_ISSUED_COLS)
    one = "(" + ", ".join(["%s"] * len(_ISSUED_COLS)) + ")"
    try:
        with connection.cursor() as cur, connection.wrap_database_errors:
            if sqlite:
                cur.executemany(f"INSERT INTO {table} ({names}) VALUES {one}", values)
            elif len(values) >= 50:
                with cur.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in values:
                        copy.write_row(row)
            else:
                cur.execute(f"INSERT INTO {table} ({names}) VALUES "
                            + ", ".join([one] * len(values)),
                            [v for row in values for v in row])
    except IntegrityError:
        # Same backstop as sequence_next: a format rendered a number issued before.
        raise Conflict(f"{seq.document_type}: a number of this batch was issued before; "
                       "change the series' prefix or move its counter forward.",
                       field="prefix") from None


def _locked_counter(seq, key: str) -> SequenceCounter:
    """Lock the (series, period) counter row, creating it on the period's first number.

    Two first numbers of a period race on the unique constraint: the loser's insert waits
    for the winner, fails, and it then locks the winner's row.
    """
    found = _select_counter(seq, key)
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return SequenceCounter.objects.create(company_id=seq.company_id,
                                                  sequence_id=seq.pk, period_key=key)
    except IntegrityError:
        return _select_counter(seq, key)


def _select_counter(seq, key: str) -> SequenceCounter | None:
    # No ORDER BY and ``of=self``: a join here would lock the company row FOR UPDATE and
    # make every other series of the company wait on its foreign-key checks.
    rows = list(SequenceCounter.objects.select_for_update(of=("self",))
                .filter(company_id=seq.company_id, sequence_id=seq.pk, period_key=key)
                .order_by())
    return rows[0] if rows else None


# --- configuration -------------------------------------------------------------------------

def company_sequences_setup(*, company, actor) -> None:
    """Company-created hook: one company-wide series per document type (idempotent)."""
    existing = set(AutoSequence.objects.filter(company=company, branch_code="")
                   .values_list("document_type", flat=True))
    for document_type, (prefix, padding, reset) in DEFAULT_SEQUENCES.items():
        if document_type in existing:
            continue
        seq = AutoSequence.objects.create(
            company=company, document_type=document_type, prefix=prefix, padding=padding,
            reset_strategy=reset,
            enforce_chronology=document_type not in CHRONOLOGY_OFF_BY_DEFAULT)
        audit_create(actor=actor, company_id=company.pk, obj=seq,
                     operation="company_sequences_setup")


def auto_sequence_create(*, company, actor, document_type: str, prefix: str,
                         padding: int = 6, reset_strategy: str = ResetStrategy.YEARLY,
                         branch_code: str = "", enforce_chronology: bool = True,
                         ) -> AutoSequence:
    branch_code = (branch_code or "").strip()
    errors = ErrorCollector()
    if document_type not in DocumentType.values:
        errors.add("documentType", "Unknown document type.")
    elif AutoSequence.objects.filter(company=company, document_type=document_type,
                                     branch_code=branch_code).exists():
        errors.add("branchCode" if branch_code else "documentType",
                   "This document type already has a series for this branch."
                   if branch_code else "This document type already has a company-wide series.")
    if branch_code and not Branch.objects.filter(company=company, code=branch_code).exists():
        errors.add("branchCode", "No branch with this code in the company.")
    _check_format(errors, company=company, document_type=document_type, prefix=prefix,
                  padding=padding, reset_strategy=reset_strategy, exclude_pk=None)
    errors.raise_if_any()
    seq = AutoSequence(company=company, document_type=document_type, prefix=prefix,
                       padding=padding, reset_strategy=reset_strategy,
                       branch_code=branch_code, enforce_chronology=enforce_chronology)
    _refuse_future_collisions(seq, counters={})
    seq.save()
    audit_create(actor=actor, company_id=company.pk, obj=seq, operation="auto_sequence_create")
    return seq


def auto_sequence_update(*, company, actor, sequence: AutoSequence, prefix: str | None = None,
                         padding: int | None = None, reset_strategy: str | None = None,
                         enforce_chronology: bool | None = None) -> AutoSequence:
    """Change a series' format or rules. The new format must not be able to render a
    number that was already issued (checked here; the unique constraint is the backstop).
    The document type and branch of a series are fixed: create another series instead."""
    seq, counters = _lock_series(company=company, sequence=sequence)
    before = snapshot(seq)
    changes = {"prefix": prefix, "padding": padding, "reset_strategy": reset_strategy,
               "enforce_chronology": enforce_chronology}
    for field, value in changes.items():
        if value is not None:
            setattr(seq, field, value)
    errors = ErrorCollector()
    _check_format(errors, company=company, document_type=seq.document_type, prefix=seq.prefix,
                  padding=seq.padding, reset_strategy=seq.reset_strategy, exclude_pk=seq.pk)
    errors.raise_if_any()
    if any(before[f] != getattr(seq, f) for f in ("prefix", "padding", "reset_strategy")):
        _refuse_future_collisions(seq, counters=counters)
    seq.save()
    audit_update(actor=actor, company_id=company.pk, obj=seq, before=before,
                 operation="auto_sequence_update")
    return seq


def auto_sequence_delete(*, company, actor, sequence: AutoSequence) -> None:
    """Only a series that never issued a number can go: its issued numbers are the
    high-water marks, and deleting it would let a re-created series issue them again."""
    seq, _ = _lock_series(company=company, sequence=sequence)
    issued = IssuedNumber.objects.filter(company=company, sequence=seq).count()
    if issued:
        raise Conflict(f"This series has issued {issued} number(s) and cannot be deleted; "
                       "change its prefix instead.", field="id")
    audit_delete(actor=actor, company_id=company.pk, obj=seq, operation="auto_sequence_delete")
    seq.delete()


def auto_sequence_counter_reset(*, company, actor, sequence: AutoSequence,
                                new_value: int | None = None,
                                date: dt.date | None = None) -> SequenceCounter:
    """Set the last value of the period ``date`` falls in (today by default), so the next
    number is ``new_value + 1``. It only moves forward: an issued number never comes out
    again. Without ``new_value`` it starts the period's counter at 0, which is allowed
    only while that period has issued nothing."""
    seq, counters = _lock_series(company=company, sequence=sequence)
    date = selectors.as_local_date(company=company,
                                   date=date or selectors.company_today(company=company))
    key = period_key(seq.reset_strategy, date)
    target = 0 if new_value is None else new_value
    counter = counters.get(key)
    current = counter.last_value if counter else 0
    if target < 0:
        raise ValidationError("A counter value cannot be negative.", field="newValue")
    if target < current:
        raise ValidationError(
            f"The counter of period {key or '(all)'} is at {current}; it can only move "
            "forward, or numbers already issued would come out again.", field="newValue")
    _refuse_future_collisions(seq, counters={key: target}, dates=[date])
    if counter is None:
        counter = SequenceCounter.objects.create(company=company, sequence=seq,
                                                 period_key=key, last_value=target)
    else:
        counter.last_value = target
        counter.save(update_fields=["last_value"])
    audit_record(action=AuditAction.UPDATE, actor=actor, company_id=company.pk, obj=seq,
                 operation="auto_sequence_counter_reset",
                 changes={f"counter[{key}]": [current, target]})
    return counter


# --- helpers -------------------------------------------------------------------------------

def _lock_series(*, company, sequence: AutoSequence
                 ) -> tuple[AutoSequence, dict[str, SequenceCounter]]:
    seq = AutoSequence.objects.select_for_update(of=("self",)).get(pk=sequence.pk,
                                                                   company=company)
    counters = list(SequenceCounter.objects.select_for_update(of=("self",))
                    .filter(company=company, sequence=seq).order_by("pk"))
    return seq, {c.period_key: c for c in counters}


def _check_format(errors: ErrorCollector, *, company, document_type: str, prefix: str,
                  padding: int, reset_strategy: str, exclude_pk) -> None:
    for field, message in format_errors(prefix=prefix, padding=padding,
                                        reset_strategy=reset_strategy):
        errors.add(field, message)
    sibling = (AutoSequence.objects.filter(company=company, document_type=document_type,
                                           prefix=prefix).exclude(pk=exclude_pk).first())
    if sibling is not None:
        where = f"branch {sibling.branch_code}" if sibling.branch_code else "the company"
        errors.add("prefix", f"The {document_type} series of {where} uses this prefix; "
                             "two series with one prefix would issue the same numbers.")


def _sample_dates(seq: AutoSequence, counters: dict) -> list[dt.date]:
    """Dates whose rendered prefixes the next numbers will carry: today, the last date of
    each period already counted, and every month of this year when the prefix prints the
    month but the counter does not restart with it."""
    today = selectors.company_today(company=seq.company)
    dates = [today, *(c.last_date for c in counters.values()
                      if isinstance(c, SequenceCounter) and c.last_date)]
    if "{MM}" in seq.prefix and seq.reset_strategy != ResetStrategy.MONTHLY:
        dates += [dt.date(today.year, m, 1) for m in range(1, 13)]
    return dates


def _refuse_future_collisions(seq: AutoSequence, *, counters: dict,
                              dates: list[dt.date] | None = None) -> None:
    """Refuse (VALIDATION) a format under which a coming number was issued already.

    ``counters`` maps period key -> counter row or last value. Numbers still to come after
    a rendered prefix are those with a value above the period's last value; among strings
    of one length, zero-padded digits sort like numbers, so one query per prefix finds any
    issued number in that range.
    """
    checked: set[tuple[str, str]] = set()
    for date in dates or _sample_dates(seq, counters):
        key = period_key(seq.reset_strategy, date)
        rendered = render_prefix(seq.prefix, date)
        if (key, rendered) in checked:
            continue
        checked.add((key, rendered))
        last = counters.get(key, 0)
        last = last.last_value if isinstance(last, SequenceCounter) else last
        clash = _first_clash(seq, rendered, last)
        if clash:
            raise ValidationError(
                f"{clash} was already issued and this format would issue it again; choose "
                "another prefix or move the counter forward.", field="prefix")


def _first_clash(seq: AutoSequence, rendered_prefix: str, last_value: int) -> str | None:
    following = rendered_prefix + str(last_value + 1).zfill(seq.padding)
    return (IssuedNumber.objects
            .filter(company_id=seq.company_id, document_type=seq.document_type,
                    number__regex=suffix_pattern(rendered_prefix, seq.padding))
            .annotate(_len=Length("number"))
            .filter(Q(_len=len(following), number__gte=following) | Q(_len__gt=len(following)))
            .values_list("number", flat=True).first())
