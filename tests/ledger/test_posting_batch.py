"""The batch path of the posting service: one number series call, one audit row per
batch, rollups and chain identical to posting one by one."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from cuadra.core.errors import DomainError
from cuadra.core.models import AuditLog
from cuadra.ledger import services
from cuadra.ledger.models import JournalEntry, LedgerAuditLog
from cuadra.ledger.selectors import ledger_verify
from cuadra.ledger.services.balances import balance_rows_from_lines
from cuadra.sequences.models import IssuedNumber
from tests.conftest import row_counts
from tests.ledger.conftest import lines


def _entry(day, amount, **extra):
    return {"journal": "GEN", "date": dt.date(2025, 1, 1) + dt.timedelta(days=day),
            "lines": [{"account": "110201", "debit": amount, "cost_center": "ADM"},
                      {"account": "4101", "credit": amount, "project": "P1"}], **extra}


def test_batch_writes_one_audit_row_listing_its_entries(demo, owner):
    entries = [_entry(d, f"{d}.50") for d in (1, 40, 80)]
    posted = services.journal_entries_post(company=demo, actor=owner, entries=entries)
    assert [e.number for e in posted] == ["AS-2025-000001", "AS-2025-000002",
                                          "AS-2025-000003"]
    rows = AuditLog.objects.filter(operation="journal_entries_post")
    assert rows.count() == 1
    assert rows[0].changes["entries"] == [None, [e.pk for e in posted]]
    assert rows[0].changes["numbers"] == [None, ["AS-2025-000001", "AS-2025-000003"]]
    assert list(IssuedNumber.objects.filter(company=demo, document_type="JOURNAL")
                .order_by("value").values_list("number", "object_type")) == [
        (e.number, "ledger.JournalEntry") for e in posted]
    assert [li.seq for li in LedgerAuditLog.objects.filter(company=demo)] == [1, 2, 3]
    assert ledger_verify(company=demo).ok


def test_batch_rollups_equal_scan_across_periods_and_dimensions(demo, owner):
    services.journal_entries_post(company=demo, actor=owner,
                                  entries=[_entry(d, "10.01") for d in range(0, 120, 7)])
    services.journal_entries_post(company=demo, actor=owner,
                                  entries=[_entry(d, "0.99") for d in range(3, 90, 11)])
    from cuadra.ledger.models import AccountBalance

    got = {(b.account_id, b.period_id, b.branch_key, b.cost_center, b.project):
           (b.debit, b.credit) for b in AccountBalance.objects.filter(company=demo)}
    assert got == balance_rows_from_lines(company=demo)
    total = sum(d for d, _ in got.values())
    assert total == Decimal("10.01") * 18 + Decimal("0.99") * 8


def test_batch_mixing_drafts_and_data_posts_both(demo, owner):
    draft = services.journal_entry_create(company=demo, actor=owner, journal="GEN",
                                          date=dt.date(2025, 2, 1),
                                          lines=lines(("110101", "5", None),
                                                      ("4101", None, "5")))
    posted = services.journal_entries_post(company=demo, actor=owner,
                                           entries=[_entry(2, "1"), draft])
    assert [e.state for e in posted] == ["posted", "posted"]
    assert JournalEntry.objects.get(pk=draft.pk).number == "AS-2025-000002"
    row = AuditLog.objects.get(operation="journal_entries_post")
    assert row.changes["drafts_posted"] == [None, [draft.pk]]


def test_refused_batch_writes_nothing_not_even_numbers(demo, owner):
    services.journal_entries_post(company=demo, actor=owner, entries=[_entry(1, "1")])
    before = row_counts()
    bad = _entry(5, "2")
    bad["lines"][1]["credit"] = "3"
    with pytest.raises(DomainError) as info:
        services.journal_entries_post(company=demo, actor=owner,
                                      entries=[_entry(2, "1"), bad])
    assert (info.value.code, info.value.field) == ("UNBALANCED_ENTRY", "entries[1].lines")
    assert row_counts() == before
    again = services.journal_entries_post(company=demo, actor=owner, entries=[_entry(3, "1")])
    assert again[0].number == "AS-2025-000002"
