"""GraphQL for the financial reports (issue 4, item 9): trialBalanceReport,
generalLedger, generalJournal, incomeStatement, balanceSheet. Thin: arguments -> one
selector of ``cuadra.ledger.reports`` -> plain types. Every field needs REPORTS:view in the
``X-Company`` company, and every selector is scoped to that company.

Filters are the same three arguments everywhere: ``branchCode``, ``costCenter``,
``project`` (empty = all). ``compare: true`` adds the previous period of the same length,
side by side, with the difference.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import strawberry
from strawberry_django.pagination import OffsetPaginationInfo, OffsetPaginationInput
from strawberry_django.settings import strawberry_django_settings

from cuadra.access.permissions import Action, Path
from cuadra.api.base import company, requires
from cuadra.api.ledger.types import AccountType, Amount
from cuadra.core.errors import NotFound
from cuadra.ledger import reports

# --- types ---------------------------------------------------------------------------------


@strawberry.type
class TrialBalanceReportRow:
    account: AccountType
    level: int
    is_group: bool
    opening: Amount
    debit: Amount
    credit: Amount
    closing: Amount
    previous_debit: Amount | None
    previous_credit: Amount | None
    difference: Amount | None = strawberry.field(
        description="Net movement (debit - credit) minus the previous period's")


@strawberry.type
class TrialBalanceReport:
    date_from: dt.date
    date_to: dt.date
    previous_from: dt.date | None
    previous_to: dt.date | None
    rows: list[TrialBalanceReportRow]
    total_opening: Amount
    total_debit: Amount
    total_credit: Amount
    total_closing: Amount
    previous_total_debit: Amount | None
    previous_total_credit: Amount | None


@strawberry.type
class StatementRow:
    account: AccountType | None = strawberry.field(
        description="null for a computed line (the result not yet closed)")
    code: str
    label: str
    level: int
    is_group: bool
    amount: Amount
    previous: Amount | None
    difference: Amount | None


@strawberry.type
class StatementSection:
    key: str
    label: str
    rows: list[StatementRow]
    total: Amount
    previous_total: Amount | None
    difference: Amount | None


@strawberry.type
class IncomeStatement:
    date_from: dt.date
    date_to: dt.date
    previous_from: dt.date | None
    previous_to: dt.date | None
    income: StatementSection
    expense: StatementSection
    net_result: Amount
    previous_net_result: Amount | None
    difference: Amount | None


@strawberry.type
class BalanceSheet:
    as_of: dt.date
    previous_as_of: dt.date | None
    assets: StatementSection
    liabilities: StatementSection
    equity: StatementSection
    current_year_result: Amount
    previous_current_year_result: Amount | None
    total_assets: Amount
    total_liabilities_and_equity: Amount
    previous_total_assets: Amount | None
    previous_total_liabilities_and_equity: Amount | None
    balanced: bool


@strawberry.type
class GeneralLedgerRow:
    date: dt.date
    entry_id: strawberry.ID
    entry_number: str
    journal_code: str
    reference: str
    account_code: str
    label: str
    branch_code: str
    cost_center: str
    project: str
    debit: Amount
    credit: Amount
    balance: Amount


@strawberry.type
class GeneralLedgerPage:
    results: list[GeneralLedgerRow]
    total_count: int
    page_info: OffsetPaginationInfo


@strawberry.type
class GeneralLedger:
    account: AccountType
    date_from: dt.date
    date_to: dt.date
    opening: Amount
    total_debit: Amount
    total_credit: Amount
    closing: Amount
    lines: GeneralLedgerPage


@strawberry.type
class GeneralJournalLine:
    line_no: int
    account: AccountType
    label: str
    branch_code: str
    cost_center: str
    project: str
    debit: Amount
    credit: Amount


@strawberry.type
class GeneralJournalEntry:
    id: strawberry.ID
    number: str
    date: dt.date
    journal_code: str
    reference: str
    memo: str
    lines: list[GeneralJournalLine]


@strawberry.type
class GeneralJournalPage:
    results: list[GeneralJournalEntry]
    total_count: int
    page_info: OffsetPaginationInfo


@strawberry.type
class GeneralJournal:
    date_from: dt.date
    date_to: dt.date
    total_debit: Amount
    total_credit: Amount
    entries: GeneralJournalPage


# --- conversions ---------------------------------------------------------------------------

def _dims(branch_code, cost_center, project) -> dict:
    return {"branch": branch_code or None, "cost_center": cost_center or "",
            "project": project or ""}


def _page(pagination: OffsetPaginationInput | None) -> tuple[int, int | None]:
    """offset and limit as strawberry_django's offset pagination resolves them."""
    conf = strawberry_django_settings()
    offset = max(pagination.offset, 0) if pagination else 0
    limit = pagination.limit if pagination and isinstance(pagination.limit, int) \
        else conf["PAGINATION_DEFAULT_LIMIT"]
    cap = conf["PAGINATION_MAX_LIMIT"]
    if cap is not None and (limit is None or limit < 0 or limit > cap):
        limit = cap
    return offset, limit


def _section(s: reports.StatementSection) -> StatementSection:
    return StatementSection(
        key=s.key, label=s.label, total=s.total, previous_total=s.previous_total,
        difference=s.difference,
        rows=[StatementRow(account=li.account, code=li.code, label=li.label,
                           level=li.level, is_group=li.is_group, amount=li.amount,
                           previous=li.previous, difference=li.difference)
              for li in s.lines])


def _gl_row(row: reports.GeneralLedgerLine) -> GeneralLedgerRow:
    li = row.line
    return GeneralLedgerRow(
        date=row.date, entry_id=strawberry.ID(str(li.entry_id)), entry_number=row.entry_number,
        journal_code=li.entry.journal.code, reference=li.entry.reference,
        account_code=li.account.code, label=li.label or li.entry.memo,
        branch_code=li.branch.code if li.branch_id else "", cost_center=li.cost_center,
        project=li.project, debit=li.debit, credit=li.credit, balance=row.balance)


def _gj_entry(entry) -> GeneralJournalEntry:
    return GeneralJournalEntry(
        id=strawberry.ID(str(entry.pk)), number=entry.number, date=entry.date,
        journal_code=entry.journal.code, reference=entry.reference, memo=entry.memo,
        lines=[GeneralJournalLine(line_no=li.line_no, account=li.account, label=li.label,
                                  branch_code=li.branch.code if li.branch_id else "",
                                  cost_center=li.cost_center, project=li.project,
                                  debit=li.debit, credit=li.credit)
               for li in entry.lines.all()])


def _account_id(value) -> int:
    if not str(value).isdigit():
        raise NotFound("No such account.", field="accountId")
    return int(value)


def _or_none(compare: bool, value: Decimal | None) -> Decimal | None:
    return value if compare else None



@strawberry.type
class LedgerReportsQuery:
    @strawberry.field(extensions=requires(Path.REPORTS, Action.VIEW),
                      description="Trial balance with group subtotals, filters and comparison")
    def trial_balance_report(self, info: strawberry.Info, date_from: dt.date,
                             date_to: dt.date, branch_code: str | None = None,
                             cost_center: str | None = None, project: str | None = None,
                             compare: bool = False) -> TrialBalanceReport:
        tb = reports.trial_balance_report(company=company(info), date_from=date_from,
                                          date_to=date_to, compare=compare,
                                          **_dims(branch_code, cost_center, project))
        return TrialBalanceReport(
            date_from=tb.date_from, date_to=tb.date_to, previous_from=tb.previous_from,
            previous_to=tb.previous_to, total_opening=tb.total_opening,
            total_debit=tb.total_debit, total_credit=tb.total_credit,
            total_closing=tb.total_closing, previous_total_debit=tb.previous_total_debit,
            previous_total_credit=tb.previous_total_credit,
            rows=[TrialBalanceReportRow(
                account=li.account, level=li.level, is_group=li.is_group, opening=li.opening,
                debit=li.debit, credit=li.credit, closing=li.closing,
                previous_debit=li.previous_debit, previous_credit=li.previous_credit,
                difference=li.difference) for li in tb.lines])

    @strawberry.field(extensions=requires(Path.REPORTS, Action.VIEW),
                      description="An account's posted lines with a running balance")
    def general_ledger(self, info: strawberry.Info, account_id: strawberry.ID,
                       date_from: dt.date, date_to: dt.date, branch_code: str | None = None,
                       cost_center: str | None = None, project: str | None = None,
                       pagination: OffsetPaginationInput | None = None) -> GeneralLedger:
        gl = reports.general_ledger_get(company=company(info), account=_account_id(account_id),
                                        date_from=date_from, date_to=date_to,
                                        **_dims(branch_code, cost_center, project))
        offset, limit = _page(pagination)
        return GeneralLedger(
            account=gl.account, date_from=gl.date_from, date_to=gl.date_to,
            opening=gl.opening, total_debit=gl.total_debit, total_credit=gl.total_credit,
            closing=gl.closing,
            lines=GeneralLedgerPage(
                results=[_gl_row(r) for r in gl.page(offset=offset, limit=limit)],
                total_count=gl.count(), page_info=OffsetPaginationInfo(offset=offset,
                                                                       limit=limit)))

    @strawberry.field(extensions=requires(Path.REPORTS, Action.VIEW),
                      description="Posted entries with their lines, in number order")
    def general_journal(self, info: strawberry.Info, date_from: dt.date, date_to: dt.date,
                        branch_code: str | None = None, cost_center: str | None = None,
                        project: str | None = None,
                        pagination: OffsetPaginationInput | None = None) -> GeneralJournal:
        gj = reports.general_journal_get(company=company(info), date_from=date_from,
                                         date_to=date_to,
                                         **_dims(branch_code, cost_center, project))
        offset, limit = _page(pagination)
        return GeneralJournal(
            date_from=gj.date_from, date_to=gj.date_to, total_debit=gj.total_debit,
            total_credit=gj.total_credit,
            entries=GeneralJournalPage(
                results=[_gj_entry(e) for e in gj.page(offset=offset, limit=limit)],
                total_count=gj.count(), page_info=OffsetPaginationInfo(offset=offset,
                                                                       limit=limit)))

    @strawberry.field(extensions=requires(Path.REPORTS, Action.VIEW))
    def income_statement(self, info: strawberry.Info, date_from: dt.date, date_to: dt.date,
                         compare: bool = False, branch_code: str | None = None,
                         cost_center: str | None = None,
                         project: str | None = None) -> IncomeStatement:
        st = reports.income_statement_get(company=company(info), date_from=date_from,
                                          date_to=date_to, compare=compare,
                                          **_dims(branch_code, cost_center, project))
        return IncomeStatement(
            date_from=st.date_from, date_to=st.date_to, previous_from=st.previous_from,
            previous_to=st.previous_to, income=_section(st.income),
            expense=_section(st.expense), net_result=st.net_result,
            previous_net_result=st.previous_net_result, difference=st.difference)

    @strawberry.field(extensions=requires(Path.REPORTS, Action.VIEW),
                      description="Assets = liabilities + equity (with the unclosed result)")
    def balance_sheet(self, info: strawberry.Info, as_of: dt.date, compare: bool = False,
                      compare_as_of: dt.date | None = None, branch_code: str | None = None,
                      cost_center: str | None = None,
                      project: str | None = None) -> BalanceSheet:
        bs = reports.balance_sheet_get(company=company(info), as_of=as_of, compare=compare,
                                       compare_as_of=compare_as_of,
                                       **_dims(branch_code, cost_center, project))
        compare = bs.previous_as_of is not None
        return BalanceSheet(
            as_of=bs.as_of, previous_as_of=bs.previous_as_of, assets=_section(bs.assets),
            liabilities=_section(bs.liabilities), equity=_section(bs.equity),
            current_year_result=bs.current_year_result,
            previous_current_year_result=bs.previous_current_year_result,
            total_assets=bs.assets.total,
            total_liabilities_and_equity=bs.total_liabilities_and_equity,
            previous_total_assets=_or_none(compare, bs.assets.previous_total),
            previous_total_liabilities_and_equity=bs.previous_total_liabilities_and_equity,
            balanced=bs.balanced)


__all__ = ["LedgerReportsQuery"]
