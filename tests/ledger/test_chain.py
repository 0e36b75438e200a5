"""The hash chain: verify, checkpoint, and tamper detection naming entry and field."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection

from cuadra.core.money import encode_sortable
from cuadra.ledger import chain
from cuadra.ledger.models import JournalLine, LedgerAuditLog, LedgerChainHead
from cuadra.ledger.selectors import ledger_verify

OK = (("110101", "10", None), ("4101", None, "10"))


def run(*args) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("ledger", *args, stdout=out)
    except SystemExit as exit_:
        return exit_.code, out.getvalue()
    return 0, out.getvalue()


def test_canonical_form_is_stable():
    assert chain.dec(Decimal("10.2500")) == "10.25"
    assert chain.dec(Decimal("0E-25")) == "0"
    assert chain.dec(Decimal("1E+3")) == "1000"
    big = Decimal("1234567890123456789012345.1234567890123456789012345")
    assert chain.dec(big) == "1234567890123456789012345.1234567890123456789012345"
    import hashlib

    assert chain.link_hash("0" * 64, "{}") == hashlib.sha256(b"0" * 64 + b"{}").hexdigest()


def test_direct_canonical_text_equals_sorted_json():
    """chain.canonical_rows writes version 1 by hand; it must be byte-identical to the
    json.dumps form, also for quotes, backslashes, control and non-ASCII characters."""
    import datetime as dt
    import json

    posted_at = dt.datetime(2025, 3, 14, 9, 26, 53, 589793, tzinfo=dt.UTC)
    entry = (7, "AS-2025-000001", 3, dt.date(2025, 3, 14), 'ref "q" \\ \u00e9', "memo\n\t\x01ñ€",
             "", "12", "PAB", Decimal("1.000000000000000000"), None, 5, posted_at)
    lines = [(2, 11, "b\u2028", Decimal("0"), Decimal("10.50"), "PAB", Decimal("-10.5"),
              Decimal("1"), "", None, 4, "CC", ""),
             (1, 10, "a/\"", Decimal("10.5000"), Decimal("0E-25"), "PAB", Decimal("10.5"),
              Decimal("1"), "P-1", dt.date(2025, 4, 1), None, "", "PRJ")]
    expected = json.dumps(chain.canonical_v1_rows(entry, lines), sort_keys=True,
                          separators=(",", ":"), ensure_ascii=False)
    assert chain.canonical_rows(entry, lines) == expected
    assert json.loads(expected)["lines"][0]["debit"] == "10.5"


def test_verify_ok_and_checkpoint(demo, post):
    entries = [post(*OK) for _ in range(3)]
    head = LedgerChainHead.objects.get(company=demo)
    assert head.seq == 3
    assert head.hash == LedgerAuditLog.objects.get(entry=entries[-1]).hash
    code, out = run("verify", "--company", "DEMO")
    assert (code, out) == (0, f"OK 3 entries, head {head.hash}\n")
    code, out = run("checkpoint", "--company", "DEMO")
    assert out.startswith(f"company DEMO entries 3 head {head.hash} at ")
    result = ledger_verify(company=demo)
    assert (result.ok, result.entries, result.head_hash) == (True, 3, head.hash)


def _tamper(sql: str, params) -> None:
    """Bypass the immutability trigger the way an attacker with DB rights would."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # deferred FK checks are pending trigger events; ALTER TABLE needs none
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE ledger_journalline DISABLE TRIGGER ALL")
            cursor.execute(sql, params)
            cursor.execute("ALTER TABLE ledger_journalline ENABLE TRIGGER ALL")
        else:
            cursor.execute("DROP TRIGGER ledger_journalline_no_update")
            cursor.execute(sql, params)


def _db_amount(value: str):
    return encode_sortable(Decimal(value), 25, 25) if connection.vendor == "sqlite" \
        else Decimal(value)


def test_tamper_with_a_line_amount_is_found(demo, post):
    post(*OK)
    target = post(("110101", "20", None), ("4101", None, "20"))
    post(*OK)
    line = JournalLine.objects.get(entry=target, line_no=2)
    _tamper("UPDATE ledger_journalline SET credit = %s WHERE id = %s",
            [_db_amount("2000"), line.pk])
    assert JournalLine.objects.get(pk=line.pk).credit == Decimal(2000)
    code, out = run("verify", "--company", "DEMO")
    assert code == 1
    assert out == (f"BROKEN at entry {target.number}: field lines[1].credit "
                   "(the entry differs from what was chained); 1 entries verified before it\n")
    result = ledger_verify(company=demo)
    assert (result.ok, result.broken_entry_number, result.field) == (
        False, target.number, "lines[1].credit")


def test_other_companies_unaffected_by_tamper(demo, otra, post):
    target = post(*OK)
    post(*OK, company=otra, actor=None)
    line = JournalLine.objects.get(entry=target, line_no=1)
    _tamper("UPDATE ledger_journalline SET account_id = %s WHERE id = %s",
            [JournalLine.objects.get(entry=target, line_no=2).account_id, line.pk])
    code, out = run("verify")
    assert code == 1
    assert f"DEMO: BROKEN at entry {target.number}: field lines[0].account" in out
    assert "OTRA: OK 1 entries, head " in out


@pytest.mark.parametrize("what", ["missing_link"])
def test_posted_entry_without_link_is_found(demo, post, what):
    entry = post(*OK)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE ledger_audit_log DISABLE TRIGGER ALL")
            cursor.execute("DELETE FROM ledger_audit_log WHERE entry_id = %s", [entry.pk])
            cursor.execute("ALTER TABLE ledger_audit_log ENABLE TRIGGER ALL")
        else:
            cursor.execute("DROP TRIGGER ledger_audit_log_no_delete")
            cursor.execute("DELETE FROM ledger_audit_log WHERE entry_id = %s", [entry.pk])
    result = ledger_verify(company=demo)
    assert (result.ok, result.broken_entry_number, result.field) == (False, entry.number,
                                                                     "link")
