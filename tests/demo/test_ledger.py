"""Demo books: a year of DEMO's activity, posted once, balanced, chained."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.management import call_command
from django.utils import timezone

from cuadra.demo import ledger as demo_ledger
from cuadra.ledger.models import JournalEntry, JournalLine
from cuadra.ledger.selectors import ledger_verify, trial_balance_get
from cuadra.ledger.services.balances import balance_rows_from_lines
from tests.conftest import row_counts

YEAR = 2025


def test_demo_year_posts_once_balances_and_verifies(demo, platform):
    added = demo_ledger.load(company=demo, actor=platform.owner, year=YEAR)
    entries = JournalEntry.objects.filter(company=demo, state="posted")
    assert added == entries.count() == len(demo_ledger.demo_entries(YEAR))
    assert added > 200
    assert {e.date.month for e in entries} == set(range(1, 13))
    before = row_counts(exclude=())
    assert demo_ledger.load(company=demo, actor=platform.owner, year=YEAR) == 0
    assert row_counts(exclude=()) == before
    tb = trial_balance_get(company=demo, date_from=dt.date(YEAR, 1, 1),
                           date_to=dt.date(YEAR, 12, 31))
    assert tb.total_debit == tb.total_credit > Decimal("500000")
    assert tb.total_closing == 0
    closing = {r.account.code: r.closing for r in tb.rows}
    assert closing["3101"] == Decimal("-60000.00")
    # sales tax is exactly 7 % of sales, cent by cent
    sales = JournalLine.objects.filter(company=demo, account__code="4101")
    assert -closing["210201"] == sum(
        (li.credit * Decimal("0.07")).quantize(Decimal("0.01")) for li in sales)
    assert ledger_verify(company=demo).ok
    from cuadra.ledger.models import AccountBalance

    assert {(b.account_id, b.period_id, b.branch_key, b.cost_center, b.project):
            (b.debit, b.credit) for b in AccountBalance.objects.filter(company=demo)} == \
        balance_rows_from_lines(company=demo)


def test_demo_command_twice_adds_nothing(db, capsys):
    call_command("demo")
    # the whole demo's stock equals its books: the ledger year's plain entries leave the
    # inventory account to the stock ledger
    call_command("inventory", "verify", "--company", "DEMO")
    assert "DEMO: OK stock value" in capsys.readouterr().out
    counts = row_counts()
    call_command("demo")
    assert row_counts() == counts
    assert JournalEntry.objects.filter(company__code="DEMO", source_type="").count() == len(
        demo_ledger.demo_entries(timezone.localdate().year - 1))
