"""Balance rollups and the trial balance: exact figures, rollups equal a full scan."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, localcontext

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cuadra.core.money import DecimalSum
from cuadra.ledger import services
from cuadra.ledger.exact import WIDE
from cuadra.ledger.models import Account, AccountBalance, AccountPeriodTotal, JournalLine
from cuadra.ledger.selectors import trial_balance_get
from cuadra.ledger.services.balances import balance_rows_from_lines
from cuadra.tenancy.models import Branch
from tests.conftest import row_counts


def _rollups(company) -> dict:
    return {(b.account_id, b.period_id, b.branch_key, b.cost_center, b.project):
            (b.debit, b.credit)
            for b in AccountBalance.objects.filter(company=company)}


def _totals(company) -> dict:
    return {(t.account_id, t.period_id): (t.debit, t.credit)
            for t in AccountPeriodTotal.objects.filter(company=company)}


def _scan_totals(scan: dict) -> dict:
    out: dict = {}
    for (account, period, *_), (d, c) in scan.items():
        pair = out.setdefault((account, period), [Decimal(0), Decimal(0)])
        pair[0] += d
        pair[1] += c
    return {k: tuple(v) for k, v in out.items()}


def _post_year(post, demo):
    head = Branch.objects.get(company=demo, code="0000")
    post(("110103", "1000", None), ("3101", None, "1000"), date=dt.date(2025, 1, 2))
    post(("110201", "250.10", None), ("4101", None, "250.10"), date=dt.date(2025, 1, 20))
    post(("6201", "300", None), ("110103", None, "300"), date=dt.date(2025, 2, 1))
    post(("110103", "250.10", None), ("110201", None, "250.10"), date=dt.date(2025, 2, 15))
    services.journal_entry_post(
        company=demo, actor=None, journal="VEN", date=dt.date(2025, 3, 31),
        lines=[{"account": "110201", "debit": "99.99", "branch": head},
               {"account": "4101", "credit": "93.45", "branch": head},
               {"account": "210201", "credit": "6.54", "branch": head}])


def test_trial_balance_exact_figures(demo, post):
    _post_year(post, demo)
    tb = trial_balance_get(company=demo, date_from=dt.date(2025, 2, 1),
                           date_to=dt.date(2025, 3, 31))
    got = {r.account.code: (r.opening, r.debit, r.credit, r.closing) for r in tb.rows}
    assert got == {
        "110103": (Decimal(1000), Decimal("250.10"), Decimal(300), Decimal("950.10")),
        "110201": (Decimal("250.10"), Decimal("99.99"), Decimal("250.10"), Decimal("99.99")),
        "3101": (Decimal(-1000), Decimal(0), Decimal(0), Decimal(-1000)),
        "4101": (Decimal("-250.10"), Decimal(0), Decimal("93.45"), Decimal("-343.55")),
        "6201": (Decimal(0), Decimal(300), Decimal(0), Decimal(300)),
        "210201": (Decimal(0), Decimal(0), Decimal("6.54"), Decimal("-6.54")),
    }
    assert (tb.total_debit, tb.total_credit) == (Decimal("650.09"), Decimal("650.09"))
    assert (tb.total_opening, tb.total_closing) == (Decimal(0), Decimal(0))


def test_trial_balance_mid_month_range_and_branch(demo, post):
    _post_year(post, demo)
    tb = trial_balance_get(company=demo, date_from=dt.date(2025, 1, 10),
                           date_to=dt.date(2025, 2, 10))
    got = {r.account.code: (r.opening, r.debit, r.credit) for r in tb.rows}
    assert got["110103"] == (Decimal(1000), Decimal(0), Decimal(300))
    assert got["4101"] == (Decimal(0), Decimal(0), Decimal("250.10"))
    branch = Branch.objects.get(company=demo, code="0000")
    tb = trial_balance_get(company=demo, date_from=dt.date(2025, 1, 1),
                           date_to=dt.date(2025, 12, 31), branch=branch)
    assert {r.account.code: r.closing for r in tb.rows} == {
        "110201": Decimal("99.99"), "4101": Decimal("-93.45"), "210201": Decimal("-6.54")}


def test_rollups_equal_full_scan_and_rebuild(demo, post, capsys):
    _post_year(post, demo)
    scan = balance_rows_from_lines(company=demo)
    assert _rollups(demo) == scan
    assert len(scan) == 10
    # the (account, period) totals are the rollups summed over the dimensions
    totals = _scan_totals(scan)
    assert _totals(demo) == totals
    assert len(totals) == 10
    AccountBalance.objects.filter(company=demo).update(debit=Decimal(0))  # damage them
    AccountPeriodTotal.objects.filter(company=demo).update(credit=Decimal(0))
    from django.core.management import call_command

    call_command("ledger", "rebuild-balances", "--company", "DEMO")
    assert capsys.readouterr().out == "rebuilt 10 balance rows\n"
    assert _rollups(demo) == scan
    assert _totals(demo) == totals


_AMOUNT = st.decimals(min_value=Decimal("0." + "0" * 24 + "1"),
                      max_value=Decimal("9" * 12), places=25, allow_nan=False,
                      allow_infinity=False).map(lambda d: d.normalize())
_POSTABLE = ["110101", "110103", "110201", "4101", "6201", "210201", "3101"]


@st.composite
def _entries(draw):
    out = []
    for _ in range(draw(st.integers(1, 4))):
        debits = draw(st.lists(_AMOUNT, min_size=1, max_size=3))
        accounts = draw(st.lists(st.sampled_from(_POSTABLE), min_size=len(debits) + 1,
                                 max_size=len(debits) + 1))
        lines = [{"account": a, "debit": str(d)} for a, d in zip(accounts, debits,
                                                                  strict=False)]
        with localcontext(WIDE):
            lines.append({"account": accounts[-1], "credit": str(sum(debits))})
        out.append(lines)
    return out


class _Rollback(Exception):
    pass


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entries=_entries())
def test_exact_money_property(demo, owner, entries):
    """Random balanced entries with up to 25 decimal places: every trial-balance figure
    equals the exact Decimal sum, on both databases."""
    try:
        with transaction.atomic(), localcontext(WIDE):
            for lines in entries:
                services.journal_entry_post(company=demo, actor=owner, journal="GEN",
                                            date=dt.date(2025, 6, 15), lines=lines)
            expected: dict[str, list[Decimal]] = {}
            for lines in entries:
                for line in lines:
                    pair = expected.setdefault(line["account"], [Decimal(0), Decimal(0)])
                    pair[0] += Decimal(line.get("debit") or 0)
                    pair[1] += Decimal(line.get("credit") or 0)
            tb = trial_balance_get(company=demo, date_from=dt.date(2025, 6, 1),
                                   date_to=dt.date(2025, 6, 30))
            got = {r.account.code: [r.debit, r.credit] for r in tb.rows}
            assert got == expected
            total = sum(Decimal(li.get("debit") or 0) for ls in entries for li in ls)
            assert tb.total_debit == tb.total_credit == total
            partial = trial_balance_get(company=demo, date_from=dt.date(2025, 6, 10),
                                        date_to=dt.date(2025, 6, 20))
            assert partial.total_debit == total
            sums = JournalLine.objects.filter(company=demo).aggregate(
                d=DecimalSum("debit"), c=DecimalSum("credit"))
            assert sums["d"] == sums["c"] == total
            raise _Rollback
    except _Rollback:
        pass


def test_unbalanced_by_one_unit_in_the_25th_place_is_refused(demo, owner):
    tiny = "0." + "0" * 24 + "1"
    before = row_counts()
    try:
        services.journal_entry_post(company=demo, actor=owner, journal="GEN",
                                    date=dt.date(2025, 6, 15),
                                    lines=[{"account": "110101", "debit": "1"},
                                           {"account": "4101", "credit": f"1{tiny[1:]}"}])
    except services.UnbalancedEntry as error:
        assert error.code == "UNBALANCED_ENTRY"
    else:
        raise AssertionError("posted an unbalanced entry")
    assert row_counts() == before


def test_rollups_keep_cost_centre_and_project_apart(demo, owner):
    services.journal_entry_post(
        company=demo, actor=owner, journal="GEN", date=dt.date(2025, 4, 2),
        lines=[{"account": "6201", "debit": "40", "cost_center": "ADM", "project": "P1"},
               {"account": "6201", "debit": "60", "cost_center": "VEN"},
               {"account": "110103", "credit": "100"}])
    rows = {k[3:]: v for k, v in _rollups(demo).items()
            if k[0] == Account.objects.get(company=demo, code="6201").pk}
    assert rows == {("ADM", "P1"): (Decimal(40), Decimal(0)),
                    ("VEN", ""): (Decimal(60), Decimal(0))}
    assert _rollups(demo) == balance_rows_from_lines(company=demo)
    # one (account, period) total over both dimension rows
    account = Account.objects.get(company=demo, code="6201").pk
    assert {k: v for k, v in _totals(demo).items() if k[0] == account} == {
        (account, AccountBalance.objects.filter(company=demo, account_id=account)
         .values_list("period_id", flat=True).first()): (Decimal(100), Decimal(0))}


def test_totals_follow_rollups_across_accounts_and_months(demo, post):
    # a batch touching account A in one month and B in another, with rollup rows of A in
    # B's month already there: each total adds only its own (account, month)
    post(("110103", "10", None), ("3101", None, "10"), date=dt.date(2025, 2, 3))
    post(("110103", "5", None), ("3101", None, "5"), date=dt.date(2025, 1, 3))
    services.journal_entries_post(company=demo, actor=None, entries=[
        {"journal": "GEN", "date": dt.date(2025, 1, 9),
         "lines": [{"account": "110103", "debit": "1"}, {"account": "3101", "credit": "1"}]},
        {"journal": "GEN", "date": dt.date(2025, 2, 9),
         "lines": [{"account": "6201", "debit": "2"}, {"account": "3101", "credit": "2"}]}])
    scan = balance_rows_from_lines(company=demo)
    assert _rollups(demo) == scan
    assert _totals(demo) == _scan_totals(scan)
    codes = dict(Account.objects.filter(company=demo).values_list("pk", "code"))
    assert sorted((codes[a], d, c) for (a, _p), (d, c) in _totals(demo).items()) == [
        ("110103", Decimal(6), Decimal(0)), ("110103", Decimal(10), Decimal(0)),
        ("3101", Decimal(0), Decimal(6)), ("3101", Decimal(0), Decimal(12)),
        ("6201", Decimal(2), Decimal(0))]
