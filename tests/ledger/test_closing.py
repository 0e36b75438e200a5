"""Year-end closing: income and expense to retained earnings, once, then periods close."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from cuadra.core.errors import ValidationError
from cuadra.core.money import DecimalSum
from cuadra.ledger.enums import PeriodState
from cuadra.ledger.models import AccountBalance, FiscalYear, JournalEntry, Period
from cuadra.ledger.services import journal_entry_create, journal_entry_post
from cuadra.ledger.services.closing import fiscal_year_close
from cuadra.tenancy.models import Branch
from tests.conftest import error_codes, row_counts
from tests.ledger.conftest import lines

CLOSE = """mutation($id: ID!) { closeFiscalYear(fiscalYearId: $id) {
  fiscalYear { name } periodsClosed
  entry { number date reference lines { account { code } debit credit } } } }"""


@pytest.fixture
def year_2024(demo, post):
    head = Branch.objects.get(company=demo, code="0000")
    post(("110101", "1000", None), ("4101", None, "1000"), date=dt.date(2024, 3, 10))
    post(("6201", "300", None), ("110101", None, "300"), date=dt.date(2024, 4, 5))
    journal_entry_post(company=demo, actor=None, journal="GEN", date=dt.date(2024, 5, 1),
                       lines=[{"account": "110101", "debit": "250.50", "branch": head.pk},
                              {"account": "4102", "credit": "250.50", "branch": head.pk}])
    # 2025 activity stays out of the 2024 closing
    post(("6201", "99", None), ("110101", None, "99"), date=dt.date(2025, 1, 2))
    return FiscalYear.objects.get(company=demo, start=dt.date(2024, 1, 1))


def _lines(entry):
    return [(li.account.code, li.debit, li.credit, li.branch.code if li.branch else None)
            for li in entry.lines.select_related("account", "branch").order_by("line_no")]


def test_closing_moves_income_and_expense_to_retained_earnings(demo, owner, year_2024):
    result = fiscal_year_close(company=demo, actor=owner, fiscal_year=year_2024)
    entry = result.entry
    assert (entry.state, entry.date, entry.reference) == ("posted", dt.date(2024, 12, 31),
                                                          "CIERRE 2024")
    assert entry.journal.code == "GEN"
    assert _lines(entry) == [
        ("4101", Decimal("1000"), Decimal("0"), None),
        ("4102", Decimal("250.50"), Decimal("0"), "0000"),
        ("6201", Decimal("0"), Decimal("300"), None),
        ("3201", Decimal("0"), Decimal("700"), None),
        ("3201", Decimal("0"), Decimal("250.50"), "0000"),
    ]
    assert result.periods_closed == 12
    assert set(Period.objects.filter(company=demo, fiscal_year=year_2024)
               .values_list("state", flat=True)) == {PeriodState.CLOSED}
    # the year's income and expense accounts now net to exactly zero
    sums = (AccountBalance.objects.filter(company=demo, period__fiscal_year=year_2024,
                                          account__code__in=["4101", "4102", "6201"])
            .aggregate(d=DecimalSum("debit"), c=DecimalSum("credit")))
    assert sums == {"d": Decimal("1550.50"), "c": Decimal("1550.50")}
    # 2025 stays open and untouched
    assert Period.objects.get(company=demo, start=dt.date(2025, 1, 1)).state == "open"


def test_closing_twice_does_nothing_twice(demo, owner, year_2024):
    first = fiscal_year_close(company=demo, actor=owner, fiscal_year=year_2024)
    before = row_counts()
    second = fiscal_year_close(company=demo, actor=owner, fiscal_year=year_2024)
    assert second.entry.pk == first.entry.pk
    assert second.periods_closed == 0
    assert row_counts() == before


def test_closing_refuses_while_drafts_remain_and_writes_nothing(demo, owner, year_2024):
    draft = journal_entry_create(company=demo, actor=owner, journal="GEN",
                                 date=dt.date(2024, 11, 30), reference="pendiente",
                                 lines=lines(("6201", "5", None), ("110101", None, "5")))
    before = row_counts()
    with pytest.raises(ValidationError) as refused:
        fiscal_year_close(company=demo, actor=owner, fiscal_year=year_2024)
    assert refused.value.code == "VALIDATION"
    assert refused.value.errors[0].field == "fiscalYearId"
    assert f"#{draft.pk} (2024-11-30 pendiente)" in refused.value.errors[0].message
    assert row_counts() == before
    assert not JournalEntry.objects.filter(company=demo, reference="CIERRE 2024").exists()


def test_closing_needs_a_retained_earnings_account(demo, owner, year_2024):
    from cuadra.ledger.models import Account

    Account.objects.filter(company=demo, code="3201").update(is_active=False)
    before = row_counts()
    with pytest.raises(ValidationError) as refused:
        fiscal_year_close(company=demo, actor=owner, fiscal_year=year_2024)
    assert [e.field for e in refused.value.errors] == ["account"]
    assert row_counts() == before


def test_a_year_without_results_just_closes_its_periods(demo, owner):
    from cuadra.ledger.services import fiscal_year_ensure

    year = fiscal_year_ensure(company=demo, date=dt.date(2023, 6, 1))
    result = fiscal_year_close(company=demo, actor=owner, fiscal_year=year)
    assert (result.entry, result.periods_closed) == (None, 12)


def test_close_fiscal_year_over_graphql(as_demo, as_otra, demo, year_2024):
    assert error_codes(as_otra.execute(CLOSE, {"id": str(year_2024.pk)})) == ["NOT_FOUND"]
    data = as_demo.execute(CLOSE, {"id": str(year_2024.pk)})["data"]["closeFiscalYear"]
    assert data["fiscalYear"]["name"] == "2024"
    assert data["periodsClosed"] == 12
    assert data["entry"]["date"] == "2024-12-31"
    assert [(li["account"]["code"], li["debit"], li["credit"])
            for li in data["entry"]["lines"]] == [
        ("4101", "1000", "0"), ("4102", "250.5", "0"), ("6201", "0", "300"),
        ("3201", "0", "700"), ("3201", "0", "250.5")]
    again = as_demo.execute(CLOSE, {"id": str(year_2024.pk)})["data"]["closeFiscalYear"]
    assert again["entry"]["number"] == data["entry"]["number"]
    assert again["periodsClosed"] == 0


def test_a_closed_years_income_statement_still_shows_its_result(demo, owner, year_2024):
    from cuadra.ledger.reports import income_statement_get, trial_balance_report

    fiscal_year_close(company=demo, actor=owner, fiscal_year=year_2024)
    statement = income_statement_get(company=demo, date_from=dt.date(2024, 1, 1),
                                     date_to=dt.date(2024, 12, 31))
    assert (statement.income.total, statement.expense.total) == (Decimal("1250.50"),
                                                                 Decimal("300"))
    assert statement.net_result == Decimal("950.50")
    # the trial balance after closing does include the closing entry: results are zero
    closing = trial_balance_report(company=demo, date_from=dt.date(2024, 1, 1),
                                   date_to=dt.date(2024, 12, 31))
    income = next(line for line in closing.lines if line.account.code == "4101")
    assert (income.credit, income.debit, income.closing) == (Decimal("1000"),
                                                             Decimal("1000"), Decimal("0"))
