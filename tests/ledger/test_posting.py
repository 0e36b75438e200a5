"""The posting service: refusals write nothing, idempotency, batches, drafts, reversals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from cuadra.core.errors import DomainError
from cuadra.core.models import AuditLog
from cuadra.ledger import services
from cuadra.ledger.enums import PeriodState
from cuadra.ledger.models import (
    AccountBalance,
    ExchangeRate,
    JournalEntry,
    JournalLine,
    LedgerAuditLog,
    Period,
)
from cuadra.tenancy.models import Branch
from tests.conftest import row_counts
from tests.ledger.conftest import DAY, lines

OK = (("110101", "10", None), ("4101", None, "10"))


def refused(code, fn, **kwargs):
    before = row_counts()
    with pytest.raises(DomainError) as info:
        fn(**kwargs)
    assert info.value.code == code, info.value.message
    assert row_counts() == before
    return info.value


def test_post_writes_entry_lines_link_rollups_and_audit(demo, owner, post):
    entry = post(("110101", "10.25", None), ("4101", None, "10.25"), reference="R-1")
    assert (entry.number, entry.state, entry.chain_seq) == ("AS-2025-000001", "posted", 1)
    assert entry.posted_by == owner
    assert JournalLine.objects.filter(entry=entry).count() == 2
    link = LedgerAuditLog.objects.get(entry=entry)
    assert (link.seq, link.entry_number, link.version) == (1, "AS-2025-000001", 1)
    assert link.prev_hash == "0" * 64
    balances = {(b.account.code, b.debit, b.credit) for b in
                AccountBalance.objects.filter(company=demo).select_related("account")}
    assert balances == {("110101", Decimal("10.25"), Decimal(0)),
                        ("4101", Decimal(0), Decimal("10.25"))}
    assert AuditLog.objects.filter(operation="journal_entry_post",
                                   object_id=str(entry.pk)).count() == 1
    second = post(*OK)
    assert second.number == "AS-2025-000002"
    assert LedgerAuditLog.objects.get(entry=second).prev_hash == link.hash


def test_refuses_unbalanced(demo, owner):
    error = refused("UNBALANCED_ENTRY", services.journal_entry_post, company=demo, actor=owner,
                    journal="GEN", date=DAY,
                    lines=lines(("110101", "10.00", None), ("4101", None, "9.99")))
    assert error.field == "lines"


def test_refuses_group_account(demo, owner):
    error = refused("VALIDATION", services.journal_entry_post, company=demo, actor=owner,
                    journal="GEN", date=DAY, lines=lines(("1101", "10", None),
                                                         ("4101", None, "10")))
    assert error.field == "lines[0].account"


def test_refuses_inactive_account(demo, owner, acct):
    services.account_deactivate(company=demo, actor=owner, account=acct("4101"))
    error = refused("VALIDATION", services.journal_entry_post, company=demo, actor=owner,
                    journal="GEN", date=DAY, lines=lines(*OK))
    assert error.field == "lines[1].account"


def test_refuses_another_companys_account(demo, otra, owner, acct):
    foreign = acct("110101", company=otra)
    error = refused("NOT_FOUND", services.journal_entry_post, company=demo, actor=owner,
                    journal="GEN", date=DAY,
                    lines=[{"account": foreign, "debit": "10"},
                           {"account": "4101", "credit": "10"}])
    assert error.field == "lines[0].account"


def test_refuses_bad_amounts_each_field_named(demo, owner):
    error = refused("VALIDATION", services.journal_entry_post, company=demo, actor=owner,
                    journal="GEN", date=DAY,
                    lines=[{"account": "110101", "debit": "-1"},
                           {"account": "4101", "debit": "1", "credit": "1"},
                           {"account": "4101", "credit": "1.0000000000000000000000000001"}])
    assert [e.field for e in error.errors] == ["lines[0].debit", "lines[1].debit",
                                               "lines[2].credit"]
    error = refused("VALIDATION", services.journal_entry_post, company=demo, actor=owner,
                    journal="GEN", date=DAY, lines=[{"account": "110101", "debit": 1.5},
                                                    {"account": "4101", "credit": "1.5"}])
    assert error.errors[0].message == "Money is never a float: send a decimal string."


def test_refuses_closed_and_locked_period(demo, owner, platform):
    period = services.period_for_date(company=demo, date=DAY)
    services.period_close(company=demo, actor=owner, period=period)
    from django.contrib.auth import get_user_model

    sales = get_user_model().objects.get(username="ventas")
    refused("PERIOD_CLOSED", services.journal_entry_post, company=demo, actor=sales,
            journal="GEN", date=DAY, lines=lines(*OK))
    # the owner holds PERIODS:approve: allowed, and the override is audited
    entry = services.journal_entry_post(company=demo, actor=owner, journal="GEN", date=DAY,
                                        lines=lines(*OK))
    assert entry.state == "posted"
    assert AuditLog.objects.filter(
        operation="journal_entry_post:closed_period_override").count() == 1
    services.period_lock(company=demo, actor=owner, period=period)
    refused("PERIOD_CLOSED", services.journal_entry_post, company=demo, actor=owner,
            journal="GEN", date=DAY, lines=lines(*OK))
    with pytest.raises(DomainError) as info:
        services.period_reopen(company=demo, actor=owner, period=period)
    assert info.value.code == "INVALID_TRANSITION"


def test_refuses_draft_without_lines(demo, owner):
    draft = services.journal_entry_create(company=demo, actor=owner, journal="GEN", date=DAY)
    error = refused("VALIDATION", services.journal_entry_post, company=demo, actor=owner,
                    entry=draft)
    assert error.field == "lines"
    assert JournalEntry.objects.get(pk=draft.pk).state == "draft"


def test_periods_are_created_monthly_for_the_fiscal_year(demo, post):
    post(*OK, date=dt.date(2025, 2, 28))
    periods = list(Period.objects.filter(company=demo).order_by("start"))
    assert [p.name for p in periods][:3] == ["2025-01", "2025-02", "2025-03"]
    assert len(periods) == 12
    assert (periods[1].start, periods[1].end) == (dt.date(2025, 2, 1), dt.date(2025, 2, 28))
    assert {p.state for p in periods} == {PeriodState.OPEN}


def test_close_refuses_while_drafts_remain(demo, owner):
    draft = services.journal_entry_create(company=demo, actor=owner, journal="GEN", date=DAY,
                                          lines=lines(*OK))
    period = services.period_for_date(company=demo, date=DAY)
    with pytest.raises(DomainError) as info:
        services.period_close(company=demo, actor=owner, period=period)
    assert info.value.code == "CONFLICT"
    assert str(draft.pk) in info.value.message


def test_idempotency_key_returns_first_entry_and_writes_nothing(demo, post):
    first = post(*OK, idempotency_key="k-1")
    before = row_counts(exclude=())
    again = post(("110101", "99", None), ("4101", None, "99"), idempotency_key="k-1")
    assert again.pk == first.pk
    assert row_counts(exclude=()) == before


def test_batch_is_all_or_nothing(demo, owner):
    good = {"journal": "GEN", "date": DAY, "lines": lines(*OK)}
    bad = {"journal": "GEN", "date": DAY,
           "lines": lines(("110101", "10", None), ("4101", None, "11"))}
    error = refused("UNBALANCED_ENTRY", services.journal_entries_post, company=demo,
                    actor=owner, entries=[good, good, bad])
    assert error.field == "entries[2].lines"
    posted = services.journal_entries_post(company=demo, actor=owner,
                                           entries=[good, {**good, "idempotency_key": "b"}])
    assert [e.number for e in posted] == ["AS-2025-000001", "AS-2025-000002"]
    assert [li.seq for li in LedgerAuditLog.objects.filter(company=demo)] == [1, 2]
    # a retry of the batch entry with a key returns it; a new one gets the next number
    again = services.journal_entries_post(company=demo, actor=owner,
                                          entries=[{**good, "idempotency_key": "b"}, good])
    assert [e.number for e in again] == ["AS-2025-000002", "AS-2025-000003"]


def test_draft_create_update_post_delete(demo, owner, acct):
    draft = services.journal_entry_create(company=demo, actor=owner, journal="GEN", date=DAY,
                                          memo="m", lines=lines(("110101", "5", None)))
    assert (draft.state, draft.number) == ("draft", "")
    draft = services.journal_entry_update(company=demo, actor=owner, entry=draft,
                                          lines=lines(("110101", "5", None),
                                                      ("4101", None, "5")))
    assert JournalLine.objects.filter(entry=draft).count() == 2
    posted = services.journal_entry_post(company=demo, actor=owner, entry=draft)
    assert (posted.pk, posted.state, posted.number) == (draft.pk, "posted", "AS-2025-000001")
    refused("INVALID_TRANSITION", services.journal_entry_update, company=demo, actor=owner,
            entry=posted, memo="x")
    refused("INVALID_TRANSITION", services.journal_entry_delete, company=demo, actor=owner,
            entry=posted)
    refused("INVALID_TRANSITION", services.journal_entry_post, company=demo, actor=owner,
            entry=posted)
    other = services.journal_entry_create(company=demo, actor=owner, journal="GEN", date=DAY,
                                          lines=lines(*OK))
    services.journal_entry_delete(company=demo, actor=owner, entry=other)
    assert not JournalEntry.objects.filter(pk=other.pk).exists()
    assert not JournalLine.objects.filter(entry_id=other.pk).exists()


def test_reversal_swaps_and_links(demo, owner, post, acct):
    original = post(("110101", "7.5", None), ("4101", None, "7.5"))
    other = post(*OK)
    reversal = services.journal_entry_reverse(company=demo, actor=owner, entry=original,
                                              date=dt.date(2025, 4, 2))
    assert reversal.reversal_of_id == original.pk
    assert (reversal.number, reversal.date) == ("AS-2025-000003", dt.date(2025, 4, 2))
    assert [(li.account.code, li.debit, li.credit) for li in reversal.lines.all()] == [
        ("110101", Decimal(0), Decimal("7.5")), ("4101", Decimal("7.5"), Decimal(0))]
    refused("INVALID_TRANSITION", services.journal_entry_reverse, company=demo, actor=owner,
            entry=original)
    period = services.period_for_date(company=demo, date=dt.date(2025, 5, 1))
    services.period_close(company=demo, actor=owner, period=period)
    from django.contrib.auth import get_user_model

    refused("PERIOD_CLOSED", services.journal_entry_reverse, company=demo,
            actor=get_user_model().objects.get(username="ventas"), entry=other,
            date=dt.date(2025, 5, 3))


def test_foreign_currency_line_amounts(demo, owner):
    ExchangeRate.objects.create(company=demo, currency="EUR", date=dt.date(2025, 3, 1),
                                rate=Decimal("1.0825"))
    entry = services.journal_entry_post(company=demo, actor=owner, journal="GEN", date=DAY,
                                        currency="EUR",
                                        lines=lines(("110103", "100", None),
                                                    ("4101", None, "100")))
    first = entry.lines.get(line_no=1)
    assert (first.currency, first.amount_currency, first.exchange_rate, first.debit) == (
        "EUR", Decimal(100), Decimal("1.0825"), Decimal("108.25"))
    refused("VALIDATION", services.journal_entry_post, company=demo, actor=owner,
            journal="GEN", date=DAY, currency="GBP", lines=lines(*OK))


def test_branch_dimension_and_foreign_branch(demo, otra, owner):
    head = Branch.objects.get(company=demo, code="0000")
    entry = services.journal_entry_post(
        company=demo, actor=owner, journal="GEN", date=DAY,
        lines=[{"account": "110101", "debit": "3", "branch": head, "cost_center": "CC1",
                "project": "P1", "partner": "CLI-1", "due_date": dt.date(2025, 4, 1)},
               {"account": "4101", "credit": "3", "branch": head}])
    line = entry.lines.get(line_no=1)
    assert (line.branch_id, line.cost_center, line.project, line.partner) == (
        head.pk, "CC1", "P1", "CLI-1")
    refused("NOT_FOUND", services.journal_entry_post, company=demo, actor=owner,
            journal="GEN", date=DAY,
            lines=[{"account": "110101", "debit": "3",
                    "branch": Branch.objects.get(company=otra, code="0000")},
                   {"account": "4101", "credit": "3"}])


def test_account_with_lines_cannot_be_deleted(demo, owner, post, acct):
    post(*OK)
    refused("CONFLICT", services.account_delete, company=demo, actor=owner,
            account=acct("4101"))
    services.account_delete(company=demo, actor=owner, account=acct("4102"))


def test_other_companies_get_the_ifrs_chart(platform, owner):
    from cuadra.ledger.models import Account
    from cuadra.tenancy import services as tenancy

    company = tenancy.company_create(organization=platform.demo.organization, code="EG1",
                                     name="Cairo Trading", country="EG", base_currency="EGP",
                                     actor=owner)
    assert Account.objects.filter(company=company).count() == 52
    assert Account.objects.get(company=company, role="RETAINED_EARNINGS").code == "3200"


def test_batch_refuses_a_foreign_account_by_id(demo, otra, owner, acct):
    good = {"journal": "GEN", "date": DAY, "lines": lines(*OK)}
    foreign = {"journal": "GEN", "date": DAY,
               "lines": [{"account": acct("110101", company=otra).pk, "debit": "1"},
                         {"account": acct("4101").pk, "credit": "1"}]}
    error = refused("NOT_FOUND", services.journal_entries_post, company=demo, actor=owner,
                    entries=[good, foreign])
    assert error.field == "entries[1].lines[0].account"
