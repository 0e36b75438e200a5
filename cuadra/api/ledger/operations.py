"""GraphQL for the books' operations: year-end closing, recurring entries, opening balance
imports, chart import/export and the journal-entry review (audit → confirm).
Thin: input -> one service or selector call -> payload."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from decimal import Decimal

import strawberry
import strawberry_django

from cuadra.access.permissions import Action, Path
from cuadra.api.base import actor, company, requires
from cuadra.api.ledger.types import Amount, JournalEntryType, JournalLineInput
from cuadra.core.errors import ValidationError
from cuadra.documents import selectors as documents
from cuadra.ledger import models as m
from cuadra.ledger.services import chart_io, closing, opening, recurring, review
from cuadra.ledger.services.posting import journal_entry_get

_UNKNOWN = -1


def _pk(value) -> int | None:
    if value in (None, ""):
        return None
    return int(value) if str(value).isdigit() else _UNKNOWN


def _dec(text: str | None) -> Decimal | None:
    return Decimal(text) if text else None  # stored as exact decimal strings


def _decode(content_base64: str) -> bytes:
    try:
        return base64.b64decode(content_base64 or "", validate=True)
    except (binascii.Error, ValueError):
        raise ValidationError("The file content is not valid base64.",
                              field="contentBase64") from None


# --- types ---------------------------------------------------------------------------------

@strawberry_django.type(m.FiscalYear, name="FiscalYear")
class FiscalYearType:
    id: strawberry.auto
    name: strawberry.auto
    start: strawberry.auto
    end: strawberry.auto


@strawberry.type
class FiscalYearClosingType:
    fiscal_year: FiscalYearType
    entry: JournalEntryType | None
    periods_closed: int


@strawberry.type
class RecurringLineType:
    account_id: strawberry.ID | None
    debit: Amount | None
    credit: Amount | None
    label: str
    partner: str
    branch_id: strawberry.ID | None
    cost_center: str
    project: str


@strawberry_django.type(m.RecurringEntry, name="RecurringEntry")
class RecurringEntryType:
    id: strawberry.auto
    name: strawberry.auto
    journal_id: strawberry.ID
    memo: strawberry.auto
    reference: strawberry.auto
    frequency: str
    start_date: strawberry.auto
    end_date: strawberry.auto
    day_of_month: int
    is_active: strawberry.auto
    last_error: strawberry.auto

    @strawberry_django.field(only=["lines"])
    def lines(self) -> list[RecurringLineType]:
        return [RecurringLineType(
            account_id=li.get("account"), debit=_dec(li.get("debit")),
            credit=_dec(li.get("credit")),
            label=li.get("label", ""), partner=li.get("partner", ""),
            branch_id=li.get("branch"), cost_center=li.get("cost_center", ""),
            project=li.get("project", "")) for li in self.lines]


@strawberry.input
class RecurringEntryInput:
    name: str
    frequency: str
    start_date: dt.date
    lines: list[JournalLineInput]
    journal_id: strawberry.ID | None = None
    journal_code: str | None = None
    end_date: dt.date | None = None
    day_of_month: int | None = None
    memo: str = ""
    reference: str = ""


@strawberry_django.type(m.OpeningBalanceRowError, name="OpeningBalanceRowError")
class OpeningBalanceRowErrorType:
    row: int | None
    column: strawberry.auto
    message: strawberry.auto


@strawberry_django.type(m.OpeningBalanceImport, name="OpeningBalanceImport")
class OpeningBalanceImportType:
    id: strawberry.auto
    file_name: strawberry.auto
    date: strawberry.auto
    process_status: str
    rows: int
    total_debit: Amount
    total_credit: Amount
    entry: JournalEntryType | None
    errors: list[OpeningBalanceRowErrorType]


@strawberry.type
class ExportedFileType:
    file_name: str
    content_type: str
    content_base64: str


@strawberry.type
class ChartImportResultType:
    created: int
    updated: int
    unchanged: int


@strawberry.type
class JournalEntryReviewType:
    id: strawberry.ID
    status: str
    entry: JournalEntryType
    audited_by: str | None
    confirmed_by: str | None


def _review_payload(doc: m.JournalEntryReview) -> JournalEntryReviewType:
    auditor, confirmer = documents.audited_by(doc), documents.confirmed_by(doc)
    return JournalEntryReviewType(
        id=strawberry.ID(str(doc.pk)), status=doc.status,
        entry=m.JournalEntry.objects.get(pk=doc.entry_id),
        audited_by=auditor.get_username() if auditor else None,
        confirmed_by=confirmer.get_username() if confirmer else None)


def _recurring_line(data: JournalLineInput) -> dict:
    return {"account": _pk(data.account_id), "debit": data.debit, "credit": data.credit,
            "label": data.label, "partner": data.partner, "branch": _pk(data.branch_id),
            "cost_center": data.cost_center, "project": data.project}


# --- queries -------------------------------------------------------------------------------

@strawberry.type
class LedgerOperationsQuery:
    @strawberry_django.field(extensions=requires(Path.PERIODS, Action.VIEW))
    def fiscal_years(self, info: strawberry.Info) -> list[FiscalYearType]:
        return list(m.FiscalYear.objects.filter(company=company(info)).order_by("start"))

    @strawberry_django.field(extensions=requires(Path.JOURNAL_ENTRIES, Action.VIEW))
    def recurring_entries(self, info: strawberry.Info,
                          active_only: bool = False) -> list[RecurringEntryType]:
        return list(recurring.recurring_entries_list(company=company(info),
                                                     active_only=active_only))

    @strawberry_django.field(extensions=requires(Path.JOURNAL_ENTRIES, Action.VIEW))
    def opening_balance_import(self, info: strawberry.Info,
                               id: strawberry.ID) -> OpeningBalanceImportType:
        return opening.opening_balance_import_get(company=company(info), import_id=id)

    @strawberry_django.field(extensions=requires(Path.ACCOUNTS, Action.EXPORT))
    def export_chart_of_accounts(self, info: strawberry.Info,
                                 format: str = "csv") -> ExportedFileType:
        exported = chart_io.chart_export(company=company(info), fmt=format)
        return ExportedFileType(file_name=exported.file_name,
                                content_type=exported.content_type,
                                content_base64=base64.b64encode(exported.content).decode())

    @strawberry_django.field(extensions=requires(Path.JOURNAL_ENTRIES, Action.VIEW))
    def journal_entry_review(self, info: strawberry.Info,
                             id: strawberry.ID) -> JournalEntryReviewType | None:
        entry = journal_entry_get(company=company(info), entry_id=id)
        doc = review.journal_entry_review_get(company=company(info), entry=entry)
        return _review_payload(doc) if doc else None


# --- mutations -----------------------------------------------------------------------------

@strawberry.type
class LedgerOperationsMutation:
    @strawberry.mutation(extensions=requires(Path.PERIODS, Action.APPROVE),
                         description="Post the closing entry (income and expense to retained "
                                     "earnings) once, then close the year's open periods")
    def close_fiscal_year(self, info: strawberry.Info,
                          fiscal_year_id: strawberry.ID) -> FiscalYearClosingType:
        year = closing.fiscal_year_get(company=company(info), fiscal_year_id=fiscal_year_id)
        result = closing.fiscal_year_close(company=company(info), actor=actor(info),
                                           fiscal_year=year)
        return FiscalYearClosingType(fiscal_year=result.fiscal_year, entry=result.entry,
                                     periods_closed=result.periods_closed)

    @strawberry.mutation(extensions=requires(Path.JOURNAL_ENTRIES, Action.CREATE))
    def create_recurring_entry(self, info: strawberry.Info,
                               input: RecurringEntryInput) -> RecurringEntryType:
        journal = _pk(input.journal_id) if input.journal_id is not None \
            else (input.journal_code or "GEN")
        return recurring.recurring_entry_create(
            company=company(info), actor=actor(info), name=input.name, journal=journal,
            lines=[_recurring_line(li) for li in input.lines], frequency=input.frequency,
            start_date=input.start_date, end_date=input.end_date,
            day_of_month=input.day_of_month, memo=input.memo, reference=input.reference)

    @strawberry.mutation(extensions=requires(Path.JOURNAL_ENTRIES, Action.UPDATE))
    def deactivate_recurring_entry(self, info: strawberry.Info,
                                   id: strawberry.ID) -> RecurringEntryType:
        template = recurring.recurring_entry_get(company=company(info), template_id=id)
        return recurring.recurring_entry_deactivate(company=company(info), actor=actor(info),
                                                    template=template)

    @strawberry.mutation(extensions=requires(Path.JOURNAL_ENTRIES, Action.POST),
                         description="A bad file comes back with processStatus 'error' and "
                                     "its row errors; nothing else is written")
    def import_opening_balances(self, info: strawberry.Info, file_name: str,
                                content_base64: str, date: dt.date | None = None,
                                idempotency_key: str | None = None
                                ) -> OpeningBalanceImportType:
        return opening.opening_balance_import_create(
            company=company(info), actor=actor(info), file_name=file_name,
            content=_decode(content_base64), date=date, idempotency_key=idempotency_key)

    @strawberry.mutation(extensions=requires(Path.ACCOUNTS, Action.CREATE))
    def import_chart_of_accounts(self, info: strawberry.Info, file_name: str,
                                 content_base64: str) -> ChartImportResultType:
        result = chart_io.chart_import(company=company(info), actor=actor(info),
                                       file_name=file_name, content=_decode(content_base64))
        return ChartImportResultType(created=result.created, updated=result.updated,
                                     unchanged=result.unchanged)

    @strawberry.mutation(extensions=requires(Path.JOURNAL_ENTRIES, Action.APPROVE))
    def audit_journal_entry(self, info: strawberry.Info, id: strawberry.ID,
                            comment: str = "") -> JournalEntryReviewType:
        entry = journal_entry_get(company=company(info), entry_id=id)
        return _review_payload(review.journal_entry_audit(
            company=company(info), actor=actor(info), entry=entry, comment=comment))

    @strawberry.mutation(extensions=requires(Path.JOURNAL_ENTRIES, Action.POST))
    def confirm_journal_entry(self, info: strawberry.Info, id: strawberry.ID,
                              comment: str = "") -> JournalEntryReviewType:
        entry = journal_entry_get(company=company(info), entry_id=id)
        return _review_payload(review.journal_entry_confirm(
            company=company(info), actor=actor(info), entry=entry, comment=comment))


__all__ = ["LedgerOperationsMutation", "LedgerOperationsQuery"]
