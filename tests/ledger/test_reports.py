"""Financial report selectors: exact figures over a known set of books (see report_data),
filters, comparison, running balances, and that they read rollups, not history."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cuadra.core.errors import NotFound, ValidationError
from cuadra.ledger import reports
from cuadra.ledger.selectors import trial_balance_get
from cuadra.tenancy.models import Branch
from tests.ledger.report_data import D, post_books

N = Decimal


@pytest.fixture
def books(demo, owner):
    return post_books(demo, owner)


@pytest.fixture(autouse=True)
def english():
    # computed lines and account names follow the active language
    with translation.override("en"):
        yield


def _tb(tb) -> dict:
    return {li.account.code: (li.level, li.opening, li.debit, li.credit, li.closing)
            for li in tb.lines}


def test_trial_balance_whole_months_with_group_subtotals(demo, books):
    tb = reports.trial_balance_report(company=demo, date_from=D(2025, 2, 1),
                                      date_to=D(2025, 3, 31))
    assert _tb(tb) == {
        "1": (0, N(6270), N(1570), N(1770), N(6070)),
        "11": (1, N(6270), N(1570), N(1770), N(6070)),
        "1101": (2, N(5200), N(1570), N(700), N(6070)),
        "110101": (3, N(200), N(500), N(0), N(700)),
        "110103": (3, N(5000), N(1070), N(700), N(5370)),
        "1102": (2, N(1070), N(0), N(1070), N(0)),
        "110201": (3, N(1070), N(0), N(1070), N(0)),
        "2": (0, N(-70), N(0), N(0), N(-70)),
        "21": (1, N(-70), N(0), N(0), N(-70)),
        "2102": (2, N(-70), N(0), N(0), N(-70)),
        "210201": (3, N(-70), N(0), N(0), N(-70)),
        "3": (0, N(-5000), N(0), N(0), N(-5000)),
        "31": (1, N(-5000), N(0), N(0), N(-5000)),
        "3101": (2, N(-5000), N(0), N(0), N(-5000)),
        "4": (0, N(-1200), N(0), N(500), N(-1700)),
        "41": (1, N(-1200), N(0), N(500), N(-1700)),
        "4101": (2, N(-1200), N(0), N(500), N(-1700)),
        "6": (0, N(0), N(700), N(0), N(700)),
        "61": (1, N(0), N(400), N(0), N(400)),
        "6101": (2, N(0), N(400), N(0), N(400)),
        "62": (1, N(0), N(300), N(0), N(300)),
        "6201": (2, N(0), N(300), N(0), N(300)),
    }
    assert [li.account.code for li in tb.lines][:4] == ["1", "11", "1101", "110101"]
    assert [li.is_group for li in tb.lines][:4] == [True, True, True, False]
    # totals add postable accounts only (groups would count them twice)
    assert (tb.total_opening, tb.total_debit, tb.total_credit, tb.total_closing) == (
        N(0), N(2270), N(2270), N(0))
    assert tb.previous_from is None and tb.lines[0].difference is None


def test_trial_balance_get_is_the_reports_postable_rows_in_code_order(demo, books):
    # one computation (trial_balance_report); trial_balance_get keeps its postable rows
    tb = trial_balance_get(company=demo, date_from=D(2025, 1, 10), date_to=D(2025, 2, 10))
    assert [(r.account.code, r.opening, r.debit, r.credit, r.closing) for r in tb.rows] == [
        ("110101", N(200), N(0), N(0), N(200)),
        ("110103", N(5000), N(0), N(300), N(4700)),
        ("110201", N(0), N(1070), N(0), N(1070)),
        ("210201", N(0), N(0), N(70), N(-70)),
        ("3101", N(-5000), N(0), N(0), N(-5000)),
        ("4101", N(-200), N(0), N(1000), N(-1200)),
        ("6201", N(0), N(300), N(0), N(300)),
    ]
    assert (tb.total_opening, tb.total_debit, tb.total_credit, tb.total_closing) == (
        N(0), N(1370), N(1370), N(0))


def test_trial_balance_partial_months(demo, books):
    tb = reports.trial_balance_report(company=demo, date_from=D(2025, 1, 10),
                                      date_to=D(2025, 2, 10))
    postable = {li.account.code: (li.opening, li.debit, li.credit, li.closing)
                for li in tb.lines if not li.is_group}
    assert postable == {
        "110101": (N(200), N(0), N(0), N(200)),
        "110103": (N(5000), N(0), N(300), N(4700)),
        "110201": (N(0), N(1070), N(0), N(1070)),
        "210201": (N(0), N(0), N(70), N(-70)),
        "3101": (N(-5000), N(0), N(0), N(-5000)),
        "4101": (N(-200), N(0), N(1000), N(-1200)),
        "6201": (N(0), N(300), N(0), N(300)),
    }
    assert (tb.total_debit, tb.total_credit) == (N(1370), N(1370))


def test_trial_balance_comparison_with_previous_months(demo, books):
    tb = reports.trial_balance_report(company=demo, date_from=D(2025, 2, 1),
                                      date_to=D(2025, 3, 31), compare=True)
    assert (tb.previous_from, tb.previous_to) == (D(2024, 12, 1), D(2025, 1, 31))
    got = {li.account.code: (li.previous_debit, li.previous_credit, li.difference)
           for li in tb.lines if not li.is_group}
    assert got == {
        "110101": (N(200), N(0), N(300)),
        "110103": (N(5000), N(0), N(-4630)),
        "110201": (N(1070), N(0), N(-2140)),
        "210201": (N(0), N(70), N(70)),
        "3101": (N(0), N(5000), N(5000)),
        "4101": (N(0), N(1200), N(700)),
        "6101": (N(0), N(0), N(400)),
        "6201": (N(0), N(0), N(300)),
    }
    assert (tb.previous_total_debit, tb.previous_total_credit) == (N(6270), N(6270))
    group = next(li for li in tb.lines if li.account.code == "1101")
    assert (group.previous_debit, group.previous_credit, group.difference) == (
        N(5200), N(0), N(-4330))


@pytest.mark.parametrize(("start", "end", "previous"), [
    (D(2025, 3, 1), D(2025, 3, 31), (D(2025, 2, 1), D(2025, 2, 28))),
    (D(2025, 1, 1), D(2025, 3, 31), (D(2024, 10, 1), D(2024, 12, 31))),
    (D(2025, 1, 1), D(2025, 12, 31), (D(2024, 1, 1), D(2024, 12, 31))),
    (D(2025, 3, 10), D(2025, 3, 19), (D(2025, 2, 28), D(2025, 3, 9))),
    (D(2025, 3, 1), D(2025, 3, 15), (D(2025, 2, 14), D(2025, 2, 28))),
])
def test_previous_range_has_the_same_length_immediately_before(start, end, previous):
    assert reports.previous_range(start, end) == previous


def test_trial_balance_filters(demo, books):
    year = {"date_from": D(2025, 1, 1), "date_to": D(2025, 12, 31)}

    def closing(**filters):
        tb = reports.trial_balance_report(company=demo, **year, **filters)
        return {li.account.code: li.closing for li in tb.lines if not li.is_group}

    branch = Branch.objects.get(company=demo, code="0001")
    assert closing(branch=branch) == closing(branch="0001") == {
        "110101": N(500), "110103": N(-300), "4101": N(-500), "6201": N(300)}
    assert closing(cost_center="VEN") == {
        "110101": N(500), "110201": N(1070), "210201": N(-70), "4101": N(-1500)}
    assert closing(project="P1") == {
        "110201": N(1070), "210201": N(-70), "4101": N(-1000), "6101": N(400)}
    assert closing(branch="0000", cost_center="ADM", project="P1") == {"6101": N(400)}
    # a partial range takes the same filters on the line scan
    tb = reports.trial_balance_report(company=demo, date_from=D(2025, 3, 20),
                                      date_to=D(2025, 3, 31), cost_center="ADM")
    assert {li.account.code: (li.opening, li.debit, li.credit) for li in tb.lines
            if not li.is_group} == {"6201": (N(300), N(0), N(0)),
                                    "110103": (N(-300), N(0), N(0)),
                                    "6101": (N(0), N(400), N(0))}


def test_reports_read_rollups_not_history(demo, books):
    """Whole months read the rollups: the only journal-line scans are the partial-month
    days at the ends of a range."""
    with CaptureQueriesContext(connection) as ctx:
        reports.trial_balance_report(company=demo, date_from=D(2025, 1, 1),
                                     date_to=D(2025, 12, 31), compare=True)
        reports.income_statement_get(company=demo, date_from=D(2025, 1, 1),
                                     date_to=D(2025, 3, 31), compare=True)
        reports.balance_sheet_get(company=demo, as_of=D(2025, 3, 31), compare=True)
    assert not [q for q in ctx.captured_queries if "ledger_journalline" in q["sql"]]
    with CaptureQueriesContext(connection) as ctx:
        reports.trial_balance_report(company=demo, date_from=D(2025, 1, 10),
                                     date_to=D(2025, 2, 10))
    scans = [q["sql"] for q in ctx.captured_queries if "ledger_journalline" in q["sql"]]
    assert len(scans) == 2  # opening (Jan 1-9) and movements (Jan 10-31, Feb 1-10)


def test_income_statement_exact_and_equal_to_trial_balance(demo, books):
    st = reports.income_statement_get(company=demo, date_from=D(2025, 1, 1),
                                      date_to=D(2025, 3, 31), compare=True)
    assert [(li.code, li.level, li.amount, li.previous, li.difference)
            for li in st.income.lines] == [
        ("4", 0, N(1500), N(200), N(1300)), ("41", 1, N(1500), N(200), N(1300)),
        ("4101", 2, N(1500), N(200), N(1300))]
    assert [(li.code, li.level, li.amount, li.previous) for li in st.expense.lines] == [
        ("6", 0, N(700), N(0)), ("61", 1, N(400), N(0)), ("6101", 2, N(400), N(0)),
        ("62", 1, N(300), N(0)), ("6201", 2, N(300), N(0))]
    assert (st.income.total, st.expense.total, st.net_result) == (N(1500), N(700), N(800))
    assert (st.previous_from, st.previous_to) == (D(2024, 10, 1), D(2024, 12, 31))
    assert (st.income.previous_total, st.expense.previous_total) == (N(200), N(0))
    assert (st.previous_net_result, st.difference) == (N(200), N(600))
    tb = reports.trial_balance_report(company=demo, date_from=D(2025, 1, 1),
                                      date_to=D(2025, 3, 31))
    income = sum((li.credit - li.debit for li in tb.lines
                  if li.account.type == "INCOME" and not li.is_group), N(0))
    expense = sum((li.debit - li.credit for li in tb.lines
                   if li.account.type == "EXPENSE" and not li.is_group), N(0))
    assert st.net_result == income - expense


def test_income_statement_filters_and_partial_range(demo, books):
    st = reports.income_statement_get(company=demo, date_from=D(2025, 1, 1),
                                      date_to=D(2025, 3, 31), project="P1")
    assert (st.income.total, st.expense.total, st.net_result) == (N(1000), N(400), N(600))
    st = reports.income_statement_get(company=demo, date_from=D(2025, 2, 1),
                                      date_to=D(2025, 3, 15), branch="0001")
    assert (st.income.total, st.expense.total, st.net_result) == (N(500), N(300), N(200))
    assert st.previous_net_result is None and st.income.lines[0].previous is None


def _section(section) -> dict:
    return {li.code or li.label: (li.amount, li.previous, li.difference)
            for li in section.lines}


def test_balance_sheet_balances_with_unclosed_results(demo, books):
    bs = reports.balance_sheet_get(company=demo, as_of=D(2025, 3, 31), compare=True)
    assert bs.previous_as_of == D(2025, 2, 28)
    assert _section(bs.assets) == {
        "1": (N(6070), N(5970), N(100)), "11": (N(6070), N(5970), N(100)),
        "1101": (N(6070), N(5970), N(100)), "110101": (N(700), N(200), N(500)),
        "110103": (N(5370), N(5770), N(-400)), "1102": (N(0), N(0), N(0)),
        "110201": (N(0), N(0), N(0))}
    assert _section(bs.liabilities) == {"2": (N(70), N(70), N(0)), "21": (N(70), N(70), N(0)),
                                        "2102": (N(70), N(70), N(0)),
                                        "210201": (N(70), N(70), N(0))}
    assert _section(bs.equity) == {
        "3": (N(5000), N(5000), N(0)), "31": (N(5000), N(5000), N(0)),
        "3101": (N(5000), N(5000), N(0)),
        "Result of the current year": (N(800), N(700), N(100)),
        "Results of prior years not closed": (N(200), N(200), N(0))}
    assert bs.equity.lines[-2].account is None and bs.equity.lines[-2].level == 0
    assert (bs.assets.total, bs.liabilities.total, bs.equity.total) == (
        N(6070), N(70), N(6000))
    assert (bs.assets.previous_total, bs.liabilities.previous_total,
            bs.equity.previous_total) == (N(5970), N(70), N(5900))
    assert bs.total_liabilities_and_equity == N(6070)
    assert bs.previous_total_liabilities_and_equity == N(5970)
    assert (bs.current_year_result, bs.previous_current_year_result) == (N(800), N(700))
    assert bs.balanced


def test_balance_sheet_mid_month_and_explicit_comparison_date(demo, books):
    bs = reports.balance_sheet_get(company=demo, as_of=D(2025, 3, 15), compare=True,
                                   compare_as_of=D(2024, 12, 31))
    assert bs.previous_as_of == D(2024, 12, 31)
    assert (bs.assets.total, bs.liabilities.total, bs.equity.total) == (
        N(6470), N(70), N(6400))
    assert (bs.assets.previous_total, bs.equity.previous_total) == (N(5200), N(5200))
    # at 2024-12-31 the 200 of income is that year's result, not yet a prior year's
    assert _section(bs.equity)["Result of the current year"] == (N(1200), N(200), N(1000))
    assert _section(bs.equity)["Results of prior years not closed"] == (N(200), N(0),
                                                                       N(200))
    assert bs.balanced
    assert reports.previous_as_of(D(2025, 3, 15)) == D(2025, 2, 15)
    assert reports.previous_as_of(D(2025, 3, 31)) == D(2025, 2, 28)


def test_balance_sheet_before_any_entry_is_empty_and_balanced(demo, books):
    bs = reports.balance_sheet_get(company=demo, as_of=D(2024, 1, 31))
    assert (bs.assets.lines, bs.liabilities.lines) == ([], [])
    assert [li.label for li in bs.equity.lines] == ["Result of the current year"]
    assert bs.balanced and bs.assets.total == 0


def _gl(rows) -> list[tuple]:
    return [(r.date, r.line.entry.memo, r.line.debit, r.line.credit, r.balance) for r in rows]


def test_general_ledger_running_balance_and_pages(demo, books):
    gl = reports.general_ledger_get(company=demo, account="110103", date_from=D(2025, 1, 1),
                                    date_to=D(2025, 12, 31))
    assert (gl.opening, gl.total_debit, gl.total_credit, gl.closing) == (
        N(5000), N(1070), N(700), N(5370))
    assert gl.count() == 3
    assert _gl(gl.page()) == [
        (D(2025, 2, 5), "E3", N(0), N(300), N(4700)),
        (D(2025, 2, 20), "E4", N(1070), N(0), N(5770)),
        (D(2025, 3, 25), "E6", N(0), N(400), N(5370))]
    assert _gl(gl.page(offset=1, limit=1)) == [(D(2025, 2, 20), "E4", N(1070), N(0), N(5770))]
    assert _gl(gl.page(offset=2, limit=5)) == [(D(2025, 3, 25), "E6", N(0), N(400), N(5370))]
    assert _gl(gl.iter_lines()) == _gl(gl.page())
    assert gl.page(offset=3, limit=5) == []


def test_general_ledger_group_account_filters_and_partial_opening(demo, books):
    gl = reports.general_ledger_get(company=demo, account="1101", date_from=D(2025, 1, 1),
                                    date_to=D(2025, 12, 31))
    assert gl.opening == N(5200)
    assert _gl(gl.page()) == [
        (D(2025, 2, 5), "E3", N(0), N(300), N(4900)),
        (D(2025, 2, 20), "E4", N(1070), N(0), N(5970)),
        (D(2025, 3, 10), "E5", N(500), N(0), N(6470)),
        (D(2025, 3, 25), "E6", N(0), N(400), N(6070))]
    assert [r.line.account.code for r in gl.page()] == ["110103", "110103", "110101",
                                                        "110103"]
    gl = reports.general_ledger_get(company=demo, account="110103", branch="0000",
                                    date_from=D(2025, 2, 10), date_to=D(2025, 3, 31))
    assert (gl.opening, gl.closing) == (N(5000), N(5670))
    assert _gl(gl.page()) == [(D(2025, 2, 20), "E4", N(1070), N(0), N(6070)),
                              (D(2025, 3, 25), "E6", N(0), N(400), N(5670))]


def test_general_journal_in_number_order_with_lines(demo, books):
    gj = reports.general_journal_get(company=demo, date_from=D(2025, 1, 1),
                                     date_to=D(2025, 3, 31))
    assert gj.count() == 5
    assert (gj.total_debit, gj.total_credit) == (N(3340), N(3340))
    entries = gj.page()
    assert [e.number for e in entries] == [books[n].number for n in
                                           ("E2", "E3", "E4", "E5", "E6")]
    assert [e.number for e in entries] == sorted(e.number for e in entries)
    assert [(li.line_no, li.account.code, li.debit, li.credit)
            for li in entries[0].lines.all()] == [
        (1, "110201", N(1070), N(0)), (2, "4101", N(0), N(1000)), (3, "210201", N(0), N(70))]
    assert [e.memo for e in gj.page(offset=1, limit=2)] == ["E3", "E4"]
    assert [e.memo for e in gj.iter_entries()] == ["E2", "E3", "E4", "E5", "E6"]


def test_general_journal_filters_show_matching_lines(demo, books):
    gj = reports.general_journal_get(company=demo, date_from=D(2025, 1, 1),
                                     date_to=D(2025, 3, 31), project="P1")
    entries = gj.page()
    assert [e.memo for e in entries] == ["E2", "E6"]
    assert [li.account.code for li in entries[1].lines.all()] == ["6101"]
    assert (gj.total_debit, gj.total_credit) == (N(1470), N(1070))


def test_exact_to_the_25th_place(demo, owner):
    tiny = N("0." + "0" * 24 + "1")
    big = N("123456789012345678901234.5") + tiny
    from cuadra.ledger.services import journal_entry_post

    for day in (D(2025, 5, 3), D(2025, 6, 20)):
        journal_entry_post(company=demo, actor=owner, journal="GEN", date=day,
                           lines=[{"account": "110101", "debit": str(big)},
                                  {"account": "4101", "credit": str(big)}])
    st = reports.income_statement_get(company=demo, date_from=D(2025, 5, 1),
                                      date_to=D(2025, 6, 25))
    assert st.net_result == big * 2
    bs = reports.balance_sheet_get(company=demo, as_of=D(2025, 6, 25))
    assert bs.assets.total == bs.equity.total == big * 2 and bs.balanced
    gl = reports.general_ledger_get(company=demo, account="110101", date_from=D(2025, 6, 1),
                                    date_to=D(2025, 6, 30))
    assert gl.opening == big and gl.page()[0].balance == big * 2


def test_tenant_scoping_refuses_foreign_rows(demo, otra, books):
    foreign_branch = Branch.objects.get(company=otra, code="0000")
    with pytest.raises(NotFound):
        reports.trial_balance_report(company=demo, date_from=D(2025, 1, 1),
                                     date_to=D(2025, 1, 31), branch=foreign_branch)
    with pytest.raises(NotFound):
        reports.income_statement_get(company=demo, date_from=D(2025, 1, 1),
                                     date_to=D(2025, 1, 31), branch="9999")
    demo_account = books["E2"].lines.first().account
    with pytest.raises(NotFound):
        reports.general_ledger_get(company=otra, account=demo_account,
                                   date_from=D(2025, 1, 1), date_to=D(2025, 12, 31))
    with pytest.raises(NotFound):
        reports.general_ledger_get(company=otra, account=demo_account.pk,
                                   date_from=D(2025, 1, 1), date_to=D(2025, 12, 31))
    # OTRA's own reports see nothing of DEMO's books
    tb = reports.trial_balance_report(company=otra, date_from=D(2024, 1, 1),
                                      date_to=D(2025, 12, 31))
    assert tb.lines == [] and tb.total_debit == 0
    assert reports.general_journal_get(company=otra, date_from=D(2024, 1, 1),
                                       date_to=D(2025, 12, 31)).count() == 0
    assert reports.balance_sheet_get(company=otra, as_of=D(2025, 12, 31)).assets.lines == []


def test_a_reversed_range_is_refused(demo):
    with pytest.raises(ValidationError) as caught:
        reports.trial_balance_report(company=demo, date_from=D(2025, 2, 1),
                                     date_to=D(2025, 1, 1))
    assert caught.value.code == "VALIDATION"


_AMOUNT = st.decimals(min_value=N("0." + "0" * 24 + "1"), max_value=N("9" * 12), places=25,
                      allow_nan=False, allow_infinity=False).map(lambda d: d.normalize())
_ACCOUNTS = ["110101", "110103", "210201", "3101", "4101", "6101", "6201"]
_TYPES = {"110101": "A", "110103": "A", "210201": "L", "3101": "E", "4101": "I",
          "6101": "X", "6201": "X"}


@st.composite
def _entries(draw):
    out = []
    for _ in range(draw(st.integers(1, 4))):
        debits = draw(st.lists(_AMOUNT, min_size=1, max_size=3))
        accounts = draw(st.lists(st.sampled_from(_ACCOUNTS), min_size=len(debits) + 1,
                                 max_size=len(debits) + 1))
        day = draw(st.sampled_from([D(2025, 5, 31), D(2025, 6, 1), D(2025, 6, 15),
                                    D(2025, 7, 2)]))
        lines = [{"account": a, "debit": str(d), "project": "P"}
                 for a, d in zip(accounts, debits, strict=False)]
        lines.append({"account": accounts[-1], "credit": str(sum(debits, N(0)))})
        out.append((day, lines))
    return out


class _Rollback(Exception):
    pass


def _expected(entries, until=None, since=None) -> dict[str, Decimal]:
    """Exact signed (debit - credit) per account over the posted entries."""
    out: dict[str, Decimal] = {}
    for day, lines in entries:
        if (until and day > until) or (since and day < since):
            continue
        for li in lines:
            out[li["account"]] = out.get(li["account"], N(0)) + N(li.get("debit") or 0) \
                - N(li.get("credit") or 0)
    return out


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entries=_entries())
def test_exact_money_property_every_report(demo, owner, entries):
    """Random balanced entries with up to 25 decimal places, across month ends: every
    report figure equals the exact Decimal sum, on both databases."""
    from cuadra.ledger.services import journal_entry_post

    try:
        with transaction.atomic():
            for day, lines in entries:
                journal_entry_post(company=demo, actor=owner, journal="GEN", date=day,
                                   lines=lines)
            _check_reports(demo, entries)
            raise _Rollback
    except _Rollback:
        pass


def _check_reports(demo, entries) -> None:
    start, end = D(2025, 6, 1), D(2025, 6, 30)
    june = _expected(entries, until=end, since=start)
    upto = _expected(entries, until=D(2025, 6, 20))

    def of(kind, figures):
        return sum((v for a, v in figures.items() if _TYPES[a] == kind), N(0))

    st_ = reports.income_statement_get(company=demo, date_from=start, date_to=end)
    assert st_.net_result == -(of("I", june) + of("X", june))
    bs = reports.balance_sheet_get(company=demo, as_of=D(2025, 6, 20))
    assert bs.assets.total == of("A", upto) and bs.balanced
    assert bs.liabilities.total == -of("L", upto)
    tb = reports.trial_balance_report(company=demo, date_from=D(2025, 6, 2),
                                      date_to=D(2025, 7, 1), compare=True)
    assert tb.total_debit == tb.total_credit
    assert tb.total_closing == 0
    moved = sum((N(li.get("debit") or 0) for day, ls in entries
                 if D(2025, 6, 2) <= day <= D(2025, 7, 1) for li in ls), N(0))
    assert tb.total_debit == moved
    gl = reports.general_ledger_get(company=demo, account="110101", date_from=start,
                                    date_to=end, project="P")
    rows = gl.page(limit=None)
    assert gl.closing == (rows[-1].balance if rows else gl.opening)
    assert gl.closing == sum((N(li["debit"]) for day, ls in entries if day <= end for li in ls
                              if li["account"] == "110101" and li.get("project") == "P"),
                             N(0))
    gj = reports.general_journal_get(company=demo, date_from=start, date_to=end)
    assert gj.total_debit == gj.total_credit == sum(
        (N(li.get("debit") or 0) for day, ls in entries if start <= day <= end for li in ls),
        N(0))
