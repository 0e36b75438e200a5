"""Reads: series of a company, their current values, the next number (without taking it)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.db.models import Case, CharField, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from cuadra.core.errors import NotFound, ValidationError
from cuadra.sequences.enums import DocumentType, ResetStrategy
from cuadra.sequences.formatting import period_key, render
from cuadra.sequences.models import AutoSequence, SequenceCounter


def company_today(*, company) -> dt.date:
    return timezone.localdate(timezone=ZoneInfo(company.time_zone))


def as_local_date(*, company, date) -> dt.date:
    """A document date; an aware datetime counts in the company's time zone."""
    if isinstance(date, dt.datetime):
        return timezone.localtime(date, ZoneInfo(company.time_zone)).date() \
            if timezone.is_aware(date) else date.date()
    if not isinstance(date, dt.date):
        raise ValidationError("A document date is required.", field="date")
    return date


def auto_sequences_for_company(*, company, today: dt.date | None = None) -> QuerySet:
    """The company's series, each annotated with ``current_value``: the last value issued
    in the period ``today`` falls in (0 before the first number of that period)."""
    today = today or company_today(company=company)
    current_key = Case(
        *[When(reset_strategy=s, then=Value(period_key(s, today))) for s in ResetStrategy],
        output_field=CharField(),
    )
    counter = SequenceCounter.objects.filter(sequence=OuterRef("pk"),
                                             period_key=OuterRef("_current_key"))
    return (AutoSequence.objects.filter(company=company)
            .annotate(_current_key=current_key)
            .annotate(current_value=Coalesce(Subquery(counter.values("last_value")[:1]),
                                             Value(0)))
            .order_by("document_type", "branch_code"))


def auto_sequence_get(*, company, sequence_id) -> AutoSequence:
    try:
        return auto_sequences_for_company(company=company).get(pk=int(sequence_id))
    except (AutoSequence.DoesNotExist, ValueError, TypeError):
        raise NotFound("No such number series in this company.", field="id") from None


def branch_code_of(branch) -> str:
    if branch is None:
        return ""
    return branch if isinstance(branch, str) else branch.code


def sequence_for(*, company, document_type: str, branch_code: str = "") -> AutoSequence:
    """The branch's own series if it has one, else the company-wide series."""
    if document_type not in DocumentType.values:
        raise ValidationError(f"Unknown document type {document_type!r}.",
                              field="documentType")
    codes = [branch_code, ""] if branch_code else [""]
    found = {s.branch_code: s for s in AutoSequence.objects.filter(
        company=company, document_type=document_type, branch_code__in=codes)}
    for code in codes:
        if code in found:
            return found[code]
    raise NotFound(f"No number series for {document_type} in this company.",
                   field="documentType")


def sequence_preview(*, company, document_type: str, branch_code: str = "",
                     date: dt.date | None = None) -> str:
    """The number ``sequence_next`` would issue now for this date. Takes nothing: another
    transaction may issue it first."""
    date = as_local_date(company=company, date=date or company_today(company=company))
    seq = sequence_for(company=company, document_type=document_type, branch_code=branch_code)
    key = period_key(seq.reset_strategy, date)
    last = (SequenceCounter.objects.filter(sequence=seq, period_key=key)
            .values_list("last_value", flat=True).first()) or 0
    return render(seq.prefix, seq.padding, last + 1, date)
