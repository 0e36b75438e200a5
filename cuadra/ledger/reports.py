"""Financial reports of the books (issue 4, item 9): trial balance, general ledger, general
journal, income statement and balance sheet, with branch / cost-centre / project filters
and a side-by-side comparison with the previous period.

Figures come from the per-period rollups (``AccountBalance``) for every month a range
covers whole, plus a scan of posted lines only for the days of a month a range covers in
part (at most two such months), so a report costs O(accounts x periods), never a rescan of
history. Sums use ``DecimalSum`` (exact on SQLite) and Decimal arithmetic in the wide
context.

Scoping lives here, not in the UI (pain point 15): every selector takes ``company`` and
filters by it first; a branch or account of another company is NOT_FOUND.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils.translation import gettext_lazy as _

from cuadra.core.errors import NotFound, ValidationError
from cuadra.core.money import ZERO, DecimalSum
from cuadra.ledger.enums import CLOSING_SOURCE_TYPE, AccountType, EntryState
from cuadra.ledger.exact import exact
from cuadra.ledger.models import (
    Account,
    AccountBalance,
    AccountPeriodTotal,
    JournalEntry,
    JournalLine,
    Period,
)
from cuadra.ledger.services.periods import fiscal_year_start
from cuadra.tenancy.models import Branch

ONE_DAY = dt.timedelta(days=1)
Sums = dict[int, tuple[Decimal, Decimal]]  # account id -> (debit, credit)


# --- dimensions and the range sums every report is built on -------------------------------

@dataclass(frozen=True)
class Dimensions:
    """Report filters; empty means "all". Rollups carry the same keys as lines."""

    branch: Branch | None = None
    cost_center: str = ""
    project: str = ""

    def on_rollups(self, qs):
        if self.branch is not None:
            qs = qs.filter(branch_key=self.branch.pk)
        if self.cost_center:
            qs = qs.filter(cost_center=self.cost_center)
        if self.project:
            qs = qs.filter(project=self.project)
        return qs

    def on_lines(self, qs, prefix: str = ""):
        if self.branch is not None:
            qs = qs.filter(**{f"{prefix}branch": self.branch})
        if self.cost_center:
            qs = qs.filter(**{f"{prefix}cost_center": self.cost_center})
        if self.project:
            qs = qs.filter(**{f"{prefix}project": self.project})
        return qs

    @property
    def any(self) -> bool:
        return self.branch is not None or bool(self.cost_center or self.project)


def report_dimensions(*, company, branch=None, cost_center: str | None = "",
                      project: str | None = "") -> Dimensions:
    """``branch`` is a Branch or a branch code; one of another company is NOT_FOUND."""
    if branch not in (None, ""):
        if isinstance(branch, Branch):
            found = branch if branch.company_id == company.pk else None
        else:
            found = Branch.objects.filter(company=company, code=str(branch)).first()
        if found is None:
            raise NotFound("No such branch.", field="branchCode")
        branch = found
    else:
        branch = None
    return Dimensions(branch=branch, cost_center=(cost_center or "").strip(),
                      project=(project or "").strip())


def _accumulate(out: dict, qs) -> None:
    for s in qs.values("account_id").annotate(d=DecimalSum("debit"),
                                              c=DecimalSum("credit")).order_by():
        pair = out[s["account_id"]]
        pair[0] += s["d"] or ZERO
        pair[1] += s["c"] or ZERO


def _partial_ranges(company, start: dt.date | None, end: dt.date) -> list[tuple]:
    """The (from, to) days of the at most two periods the range covers only in part."""
    edge = Q(start__lte=end, end__gt=end)
    if start is not None:
        edge |= Q(start__lt=start, end__gte=start)
    out = []
    for p in Period.objects.filter(company=company).filter(edge).only("start", "end"):
        lo = p.start if start is None else max(p.start, start)
        hi = min(p.end, end)
        if lo <= hi:
            out.append((lo, hi))
    return out


def range_sums(*, company, start: dt.date | None, end: dt.date, dims: Dimensions = Dimensions(),
               account_ids=None, without_closing: bool = False) -> Sums:
    """Posted debit and credit per account over [start, end] (``start=None``: since the
    first day): rollups of the periods inside the range, lines of the partial ones."""
    if start is not None and start > end:
        return {}
    out: dict[int, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    # without filters, the (account, period) totals: one row per account and month
    rollups = AccountBalance if dims.any else AccountPeriodTotal
    whole = rollups.objects.filter(company=company, period__end__lte=end)
    if start is not None:
        whole = whole.filter(period__start__gte=start)
    if account_ids is not None:
        whole = whole.filter(account_id__in=account_ids)
    _accumulate(out, dims.on_rollups(whole))
    partial = _partial_ranges(company, start, end)
    if partial:
        days = Q()
        for lo, hi in partial:
            days |= Q(entry__date__gte=lo, entry__date__lte=hi)
        lines = JournalLine.objects.filter(days, company=company,
                                           entry__state=EntryState.POSTED)
        if account_ids is not None:
            lines = lines.filter(account_id__in=account_ids)
        _accumulate(out, dims.on_lines(lines))
    if without_closing:
        _subtract_closing(out, company, start, end, dims, account_ids)
    return {k: (v[0], v[1]) for k, v in out.items()}


def _subtract_closing(out: dict, company, start, end, dims: Dimensions, account_ids) -> None:
    """Take the year-end closing entries (at most one a year) back out of the sums. The
    entries are looked up first, so a range without one reads no journal line."""
    entries = JournalEntry.objects.filter(company=company, state=EntryState.POSTED,
                                          source_type=CLOSING_SOURCE_TYPE, date__lte=end)
    if start is not None:
        entries = entries.filter(date__gte=start)
    entry_ids = list(entries.values_list("pk", flat=True))
    if not entry_ids:
        return
    lines = JournalLine.objects.filter(company=company, entry_id__in=entry_ids)
    if account_ids is not None:
        lines = lines.filter(account_id__in=account_ids)
    closing: dict[int, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    _accumulate(closing, dims.on_lines(lines))
    for account_id, (debit, credit) in closing.items():
        out[account_id][0] -= debit
        out[account_id][1] -= credit


def _check_range(date_from: dt.date, date_to: dt.date) -> None:
    if date_from > date_to:
        raise ValidationError("The range starts after it ends.", field="dateFrom")


def _add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (earlier if negative), clamped to the month's end."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def previous_range(date_from: dt.date, date_to: dt.date) -> tuple[dt.date, dt.date]:
    """The range of the same length that ends the day before ``date_from``. A range of
    whole months compares with as many whole months (March -> February, a quarter -> the
    quarter before, a year -> the year before); any other range with as many days."""
    if date_from.day == 1 and (date_to + ONE_DAY).day == 1:
        months = (date_to.year - date_from.year) * 12 + date_to.month - date_from.month + 1
        return _add_months(date_from, -months), date_from - ONE_DAY
    return date_from - (date_to - date_from) - ONE_DAY, date_from - ONE_DAY


def previous_as_of(as_of: dt.date) -> dt.date:
    """A month end compares with the previous month end; another day with the same day
    of the previous month."""
    if (as_of + ONE_DAY).day == 1:
        return as_of.replace(day=1) - ONE_DAY
    return _add_months(as_of, -1)


# --- the account tree ----------------------------------------------------------------------

Vector = tuple[Decimal, ...]


def _vadd(a: Vector | None, b: Vector) -> Vector:
    return b if a is None else tuple(x + y for x, y in zip(a, b, strict=True))


class _Chart:
    """The company's accounts, once per report (a chart is a few hundred rows)."""

    def __init__(self, company):
        self.accounts = {a.pk: a for a in Account.objects.filter(company=company)
                         .order_by("code")}
        self.children: dict[int | None, list[int]] = defaultdict(list)
        for account in self.accounts.values():
            self.children[account.parent_id].append(account.pk)

    def descendants(self, account_id: int) -> list[int]:
        out, todo = [], [account_id]
        while todo:
            node = todo.pop()
            out.append(node)
            todo.extend(self.children.get(node, ()))
        return out

    def tree(self, values: dict[int, Vector]) -> list[tuple[Account, int, Vector]]:
        """(account, depth, figures) in chart order; a group's figures are the sums of
        its descendants'. Only accounts with figures and their ancestors appear."""
        totals: dict[int, Vector] = {}
        for account_id, vector in values.items():
            node, seen = account_id, set()
            while node is not None and node in self.accounts and node not in seen:
                seen.add(node)
                totals[node] = _vadd(totals.get(node), vector)
                node = self.accounts[node].parent_id
        out: list[tuple[Account, int, Vector]] = []

        def walk(parent, depth):
            for child in self.children.get(parent, ()):
                if child in totals:
                    out.append((self.accounts[child], depth, totals[child]))
                    walk(child, depth + 1)

        walk(None, 0)
        return out


def _zero(width: int) -> Vector:
    return (ZERO,) * width


# --- trial balance -------------------------------------------------------------------------

@dataclass
class TrialBalanceLine:
    account: Account
    level: int
    opening: Decimal  # signed: debit positive
    debit: Decimal
    credit: Decimal
    closing: Decimal
    previous_debit: Decimal | None = None
    previous_credit: Decimal | None = None
    difference: Decimal | None = None  # net movement now minus net movement before

    @property
    def is_group(self) -> bool:
        return self.account.is_group


@dataclass
class TrialBalanceReport:
    date_from: dt.date
    date_to: dt.date
    dims: Dimensions
    lines: list[TrialBalanceLine]
    total_opening: Decimal
    total_debit: Decimal
    total_credit: Decimal
    total_closing: Decimal
    previous_from: dt.date | None = None
    previous_to: dt.date | None = None
    previous_total_debit: Decimal | None = None
    previous_total_credit: Decimal | None = None


@exact
def trial_balance_report(*, company, date_from: dt.date, date_to: dt.date, branch=None,
                         cost_center: str = "", project: str = "",
                         compare: bool = False) -> TrialBalanceReport:
    """Opening, movements and closing per account; groups carry their children's
    subtotals; totals add postable accounts only. ``compare`` adds the previous period's
    movements and the change in net movement."""
    _check_range(date_from, date_to)
    dims = report_dimensions(company=company, branch=branch, cost_center=cost_center,
                             project=project)
    opening = range_sums(company=company, start=None, end=date_from - ONE_DAY, dims=dims)
    moves = range_sums(company=company, start=date_from, end=date_to, dims=dims)
    prev_from, prev_to = previous_range(date_from, date_to) if compare else (None, None)
    before = range_sums(company=company, start=prev_from, end=prev_to, dims=dims) \
        if compare else {}
    values = {}
    for account_id in set(opening) | set(moves) | set(before):
        od, oc = opening.get(account_id, (ZERO, ZERO))
        md, mc = moves.get(account_id, (ZERO, ZERO))
        pd, pc = before.get(account_id, (ZERO, ZERO))
        values[account_id] = (od - oc, md, mc, od - oc + md - mc, pd, pc)
    lines = []
    for account, level, v in _Chart(company).tree(values):
        lines.append(TrialBalanceLine(
            account=account, level=level, opening=v[0], debit=v[1], credit=v[2],
            closing=v[3], previous_debit=v[4] if compare else None,
            previous_credit=v[5] if compare else None,
            difference=(v[1] - v[2]) - (v[4] - v[5]) if compare else None))
    totals = _zero(6)
    for v in values.values():
        totals = _vadd(totals, v)
    return TrialBalanceReport(
        date_from=date_from, date_to=date_to, dims=dims, lines=lines,
        total_opening=totals[0], total_debit=totals[1], total_credit=totals[2],
        total_closing=totals[3], previous_from=prev_from, previous_to=prev_to,
        previous_total_debit=totals[4] if compare else None,
        previous_total_credit=totals[5] if compare else None)


# --- statements (income statement, balance sheet) ------------------------------------------

@dataclass
class StatementLine:
    account: Account | None  # None for a computed line (the year's result)
    label: str
    level: int
    amount: Decimal
    previous: Decimal | None = None
    difference: Decimal | None = None

    @property
    def is_group(self) -> bool:
        return self.account is not None and self.account.is_group

    @property
    def code(self) -> str:
        return self.account.code if self.account is not None else ""


@dataclass
class StatementSection:
    key: str
    label: str
    lines: list[StatementLine] = field(default_factory=list)
    total: Decimal = ZERO
    previous_total: Decimal | None = None
    difference: Decimal | None = None


def account_label(account: Account) -> str:
    from django.utils.translation import get_language

    if (get_language() or "es").startswith("en") and account.name_en:
        return account.name_en
    return account.name_es


# credit-natured sections show credit minus debit as a positive figure
_CREDIT_NATURE = {AccountType.INCOME, AccountType.LIABILITY, AccountType.EQUITY}


def _signed(account_type: str, pair: tuple[Decimal, Decimal]) -> Decimal:
    debit, credit = pair
    return credit - debit if account_type in _CREDIT_NATURE else debit - credit


def _section(chart: _Chart, key: str, label, account_type: str, now: Sums,
             before: Sums | None) -> StatementSection:
    """One section: accounts of ``account_type`` with their signed figures."""
    values = {}
    for account_id in set(now) | set(before or ()):
        account = chart.accounts.get(account_id)
        if account is None or account.type != account_type:
            continue
        values[account_id] = (_signed(account_type, now.get(account_id, (ZERO, ZERO))),
                              _signed(account_type, (before or {}).get(account_id,
                                                                       (ZERO, ZERO))))
    section = StatementSection(key=key, label=str(label))
    compare = before is not None
    for account, level, v in chart.tree(values):
        section.lines.append(StatementLine(
            account=account, label=account_label(account), level=level, amount=v[0],
            previous=v[1] if compare else None, difference=v[0] - v[1] if compare else None))
    total = _zero(2)
    for v in values.values():
        total = _vadd(total, v)
    _set_total(section, total[0], total[1] if compare else None)
    return section


def _set_total(section: StatementSection, total: Decimal, previous: Decimal | None) -> None:
    section.total = total
    section.previous_total = previous
    section.difference = None if previous is None else total - previous


@dataclass
class IncomeStatement:
    date_from: dt.date
    date_to: dt.date
    dims: Dimensions
    income: StatementSection
    expense: StatementSection
    net_result: Decimal
    previous_from: dt.date | None = None
    previous_to: dt.date | None = None
    previous_net_result: Decimal | None = None
    difference: Decimal | None = None

    @property
    def sections(self) -> list[StatementSection]:
        return [self.income, self.expense]


_RESULT_TYPES = (AccountType.INCOME, AccountType.EXPENSE)


def _result_account_ids(chart: _Chart) -> list[int]:
    return [a.pk for a in chart.accounts.values()
            if a.type in _RESULT_TYPES and not a.is_group]


@exact
def income_statement_get(*, company, date_from: dt.date, date_to: dt.date, branch=None,
                         cost_center: str = "", project: str = "",
                         compare: bool = False) -> IncomeStatement:
    """Income and expense by account tree over the range; net result = income - expense."""
    _check_range(date_from, date_to)
    dims = report_dimensions(company=company, branch=branch, cost_center=cost_center,
                             project=project)
    chart = _Chart(company)
    ids = _result_account_ids(chart)
    # a closed year's income statement still shows its income and expense
    now = range_sums(company=company, start=date_from, end=date_to, dims=dims,
                     account_ids=ids, without_closing=True)
    prev_from, prev_to = previous_range(date_from, date_to) if compare else (None, None)
    before = range_sums(company=company, start=prev_from, end=prev_to, dims=dims,
                        account_ids=ids, without_closing=True) if compare else None
    income = _section(chart, "income", _("Income"), AccountType.INCOME, now, before)
    expense = _section(chart, "expense", _("Expenses"), AccountType.EXPENSE, now, before)
    net = income.total - expense.total
    prev_net = income.previous_total - expense.previous_total if compare else None
    return IncomeStatement(date_from=date_from, date_to=date_to, dims=dims, income=income,
                           expense=expense, net_result=net, previous_from=prev_from,
                           previous_to=prev_to, previous_net_result=prev_net,
                           difference=net - prev_net if compare else None)


@dataclass
class BalanceSheet:
    as_of: dt.date
    dims: Dimensions
    assets: StatementSection
    liabilities: StatementSection
    equity: StatementSection  # includes the results not yet closed into retained earnings
    current_year_result: Decimal
    previous_as_of: dt.date | None = None
    previous_current_year_result: Decimal | None = None

    @property
    def sections(self) -> list[StatementSection]:
        return [self.assets, self.liabilities, self.equity]

    @property
    def total_liabilities_and_equity(self) -> Decimal:
        return self.liabilities.total + self.equity.total

    @property
    def previous_total_liabilities_and_equity(self) -> Decimal | None:
        if self.previous_as_of is None:
            return None
        return self.liabilities.previous_total + self.equity.previous_total

    @property
    def balanced(self) -> bool:
        ok = self.assets.total == self.total_liabilities_and_equity
        if self.previous_as_of is not None:
            ok = ok and self.assets.previous_total == self.previous_total_liabilities_and_equity
        return ok


def _results_as_of(company, chart: _Chart, as_of: dt.date, balances: Sums,
                   dims: Dimensions) -> tuple[Decimal, Decimal]:
    """(this fiscal year's result, earlier years' results not closed) at ``as_of``:
    income minus expense since the fiscal year's first day, and the rest of the open
    income/expense balances (zero once every earlier year has its closing entry)."""
    ids = _result_account_ids(chart)
    this_year = range_sums(company=company, start=fiscal_year_start(company=company,
                                                                     date=as_of),
                           end=as_of, dims=dims, account_ids=ids)
    current = sum(((c - d) for d, c in this_year.values()), ZERO)
    total = sum(((c - d) for aid, (d, c) in balances.items()
                 if chart.accounts.get(aid) is not None
                 and chart.accounts[aid].type in _RESULT_TYPES), ZERO)
    return current, total - current


def _result_lines(equity: StatementSection, now: tuple, before: tuple | None) -> None:
    """The unclosed results, as computed lines at the end of the equity section."""
    labels = (_("Result of the current year"), _("Results of prior years not closed"))
    for i, label in enumerate(labels):
        amount, previous = now[i], (before[i] if before else None)
        if i == 1 and amount == 0 and not previous:
            continue  # nothing left unclosed: no line
        equity.lines.append(StatementLine(
            account=None, label=str(label), level=0, amount=amount, previous=previous,
            difference=None if previous is None else amount - previous))
    _set_total(equity, equity.total + now[0] + now[1],
               None if before is None else equity.previous_total + before[0] + before[1])


@exact
def balance_sheet_get(*, company, as_of: dt.date, branch=None, cost_center: str = "",
                      project: str = "", compare: bool = False,
                      compare_as_of: dt.date | None = None) -> BalanceSheet:
    """Assets = liabilities + equity at the end of ``as_of``; equity includes the results
    not yet closed. ``compare`` adds the balance at ``compare_as_of`` (default:
    :func:`previous_as_of`)."""
    dims = report_dimensions(company=company, branch=branch, cost_center=cost_center,
                             project=project)
    chart = _Chart(company)
    now = range_sums(company=company, start=None, end=as_of, dims=dims)
    prev_at = (compare_as_of or previous_as_of(as_of)) if compare else None
    before = range_sums(company=company, start=None, end=prev_at, dims=dims) \
        if compare else None
    assets = _section(chart, "assets", _("Assets"), AccountType.ASSET, now, before)
    liabilities = _section(chart, "liabilities", _("Liabilities"), AccountType.LIABILITY,
                           now, before)
    equity = _section(chart, "equity", _("Equity"), AccountType.EQUITY, now, before)
    results_now = _results_as_of(company, chart, as_of, now, dims)
    results_before = _results_as_of(company, chart, prev_at, before, dims) \
        if compare else None
    _result_lines(equity, results_now, results_before)
    return BalanceSheet(as_of=as_of, dims=dims, assets=assets, liabilities=liabilities,
                        equity=equity, current_year_result=results_now[0],
                        previous_as_of=prev_at,
                        previous_current_year_result=results_before[0] if compare else None)


# --- general ledger ------------------------------------------------------------------------

@dataclass
class GeneralLedgerLine:
    line: JournalLine
    balance: Decimal  # running, debit positive, after this line

    @property
    def date(self) -> dt.date:
        return self.line.entry.date

    @property
    def entry_number(self) -> str:
        return self.line.entry.number


@dataclass
class GeneralLedger:
    """An account's posted lines in date and number order with a running balance. A
    group account shows the lines of all its postable descendants."""

    account: Account
    date_from: dt.date
    date_to: dt.date
    dims: Dimensions
    opening: Decimal
    total_debit: Decimal
    total_credit: Decimal
    lines_qs: object = field(repr=False)

    @property
    def closing(self) -> Decimal:
        return self.opening + self.total_debit - self.total_credit

    def count(self) -> int:
        return self.lines_qs.count()

    @exact
    def page(self, *, offset: int = 0, limit: int | None = None) -> list[GeneralLedgerLine]:
        """One page; its first running balance adds the lines before ``offset`` with one
        aggregate over those lines of the range (never outside it)."""
        offset = max(offset, 0)
        balance = self.opening
        if offset:
            head = JournalLine.objects.filter(pk__in=self.lines_qs.values("pk")[:offset])
            sums = head.aggregate(d=DecimalSum("debit"), c=DecimalSum("credit"))
            balance += (sums["d"] or ZERO) - (sums["c"] or ZERO)
        rows = self.lines_qs[offset:offset + limit] if limit is not None \
            else self.lines_qs[offset:]
        return list(self._running(rows, balance))

    def iter_lines(self, chunk_size: int = 2000) -> Iterator[GeneralLedgerLine]:
        """Every line of the range, streamed from the database (exports)."""
        return self._running(self.lines_qs.iterator(chunk_size=chunk_size), self.opening)

    @staticmethod
    def _running(lines, balance: Decimal) -> Iterator[GeneralLedgerLine]:
        # the default context keeps 120 digits (cuadra.core.money): exact for money
        for line in lines:
            balance = balance + line.debit - line.credit
            yield GeneralLedgerLine(line=line, balance=balance)


def _account_of(company, account) -> Account:
    if isinstance(account, Account):
        found = account if account.company_id == company.pk else None
    elif isinstance(account, int):
        found = Account.objects.filter(company=company, pk=account).first()
    else:
        found = Account.objects.filter(company=company, code=str(account)).first()
    if found is None:
        raise NotFound("No such account.", field="accountId")
    return found


@exact
def general_ledger_get(*, company, account, date_from: dt.date, date_to: dt.date,
                       branch=None, cost_center: str = "", project: str = "") -> GeneralLedger:
    """``account``: an Account, its id (int) or its code (str)."""
    _check_range(date_from, date_to)
    dims = report_dimensions(company=company, branch=branch, cost_center=cost_center,
                             project=project)
    account = _account_of(company, account)
    ids = _Chart(company).descendants(account.pk) if account.is_group else [account.pk]
    opening = range_sums(company=company, start=None, end=date_from - ONE_DAY, dims=dims,
                         account_ids=ids)
    moves = range_sums(company=company, start=date_from, end=date_to, dims=dims,
                       account_ids=ids)
    od = sum((d for d, _c in opening.values()), ZERO)
    oc = sum((c for _d, c in opening.values()), ZERO)
    lines = dims.on_lines(JournalLine.objects.filter(
        company=company, account_id__in=ids, entry__state=EntryState.POSTED,
        entry__date__gte=date_from, entry__date__lte=date_to)) \
        .select_related("entry", "entry__journal", "account", "branch") \
        .order_by("entry__date", "entry__number", "line_no", "pk")
    return GeneralLedger(
        account=account, date_from=date_from, date_to=date_to, dims=dims, opening=od - oc,
        total_debit=sum((d for d, _c in moves.values()), ZERO),
        total_credit=sum((c for _d, c in moves.values()), ZERO), lines_qs=lines)


# --- general journal -----------------------------------------------------------------------

@dataclass
class GeneralJournal:
    """Posted entries of a range in number order, each with its lines (only the lines
    matching the filters, when there are filters). Totals come from the rollups."""

    date_from: dt.date
    date_to: dt.date
    dims: Dimensions
    total_debit: Decimal
    total_credit: Decimal
    entries_qs: object = field(repr=False)

    def count(self) -> int:
        return self.entries_qs.count()

    def page(self, *, offset: int = 0, limit: int | None = None) -> list[JournalEntry]:
        offset = max(offset, 0)
        qs = self.entries_qs
        return list(qs[offset:offset + limit] if limit is not None else qs[offset:])

    def iter_entries(self, chunk_size: int = 500) -> Iterator[JournalEntry]:
        return self.entries_qs.iterator(chunk_size=chunk_size)


@exact
def general_journal_get(*, company, date_from: dt.date, date_to: dt.date, branch=None,
                        cost_center: str = "", project: str = "") -> GeneralJournal:
    _check_range(date_from, date_to)
    dims = report_dimensions(company=company, branch=branch, cost_center=cost_center,
                             project=project)
    lines = dims.on_lines(JournalLine.objects.filter(company=company)) \
        .select_related("account", "branch").order_by("line_no")
    entries = JournalEntry.objects.filter(company=company, state=EntryState.POSTED,
                                          date__gte=date_from, date__lte=date_to)
    if dims.any:
        entries = entries.filter(Exists(lines.filter(entry=OuterRef("pk"))))
    entries = entries.select_related("journal").prefetch_related(
        Prefetch("lines", queryset=lines)).order_by("number")
    sums = range_sums(company=company, start=date_from, end=date_to, dims=dims)
    return GeneralJournal(date_from=date_from, date_to=date_to, dims=dims,
                          total_debit=sum((d for d, _c in sums.values()), ZERO),
                          total_credit=sum((c for _d, c in sums.values()), ZERO),
                          entries_qs=entries)


__all__ = [
    "BalanceSheet", "Dimensions", "GeneralJournal", "GeneralLedger", "GeneralLedgerLine",
    "IncomeStatement", "StatementLine", "StatementSection", "TrialBalanceLine",
    "TrialBalanceReport", "account_label", "balance_sheet_get", "general_journal_get",
    "general_ledger_get", "income_statement_get", "previous_as_of", "previous_range",
    "range_sums", "report_dimensions", "trial_balance_report",
]
