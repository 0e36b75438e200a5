"""Opening balances: new → processing → final / error, one balanced opening entry, row
errors for a bad file that otherwise writes nothing."""

from __future__ import annotations

import base64
import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest

from cuadra.core.models import AuditLog
from cuadra.ledger.models import JournalEntry, OpeningBalanceImport, OpeningBalanceRowError
from cuadra.ledger.services.opening import (
    opening_balance_import_create,
    opening_balance_import_process,
)
from tests.conftest import error_codes, row_counts

DAY = dt.date(2025, 1, 1)
GOOD = (
    b"account_code,debit,credit,partner_type,partner_ref,branch\n"
    b"110101,1500.00,,,,\n"
    b"110201,800.25,,client,C-001,0000\n"
    b"\n"
    b"210101,,300.25,supplier,P-9,\n"
    b"3101,,2000,,,\n"
)
BAD = (
    b"account_code,debit,credit,partner_type,partner_ref,branch\n"
    b"999999,10,,,,\n"             # row 2: unknown account
    b"1101,10,,,,\n"               # row 3: a group
    b"110101,5,5,,,\n"             # row 4: both sides
    b"110101,diez,,,,\n"           # row 5: not a number
    b"110201,1,,client,,\n"        # row 6: client without reference
    b"110101,1,,,,9999\n"          # row 7: unknown branch
    b"110101,1,5,,,\n"             # row 8: both sides again
)


def _import(demo, owner, content, name="saldos.csv", **kw):
    return opening_balance_import_create(company=demo, actor=owner, file_name=name,
                                         content=content, date=DAY, **kw)


def _errors(record):
    return [(e.row, e.column, e.message) for e in
            OpeningBalanceRowError.objects.filter(opening_import=record).order_by("id")]


def test_a_good_file_posts_one_balanced_opening_entry(demo, owner):
    record = _import(demo, owner, GOOD)
    assert record.process_status == "final"
    assert (record.rows, record.total_debit, record.total_credit) == (
        4, Decimal("2300.25"), Decimal("2300.25"))
    entry = record.entry
    assert (entry.journal.code, entry.date, entry.state) == ("APE", DAY, "posted")
    assert [(li.account.code, li.debit, li.credit, li.partner,
             li.branch.code if li.branch else None)
            for li in entry.lines.select_related("account", "branch").order_by("line_no")] == [
        ("110101", Decimal("1500.00"), Decimal("0"), "", None),
        ("110201", Decimal("800.25"), Decimal("0"), "client:C-001", "0000"),
        ("210101", Decimal("0"), Decimal("300.25"), "supplier:P-9", None),
        ("3101", Decimal("0"), Decimal("2000"), "", None)]
    # the seed's process_status went new → processing → final, each step audited
    steps = AuditLog.objects.filter(operation="opening_balance_import_process",
                                    object_id=str(record.pk)).order_by("id")
    assert [s.changes["process_status"] for s in steps] == [["new", "processing"],
                                                            ["processing", "final"]]


def test_a_bad_file_writes_only_the_import_and_its_row_errors(demo, owner):
    before = row_counts()
    record = _import(demo, owner, BAD)
    assert record.process_status == "error"
    assert record.entry is None
    assert _errors(record) == [
        (2, "account_code", "No account 999999 in this company."),
        (3, "account_code", "Account 1101 is a group; use a sub-account."),
        (4, "debit", "A row has either a debit or a credit."),
        (5, "debit", "'diez' is not a number."),
        (5, "debit", "A row has either a debit or a credit."),
        (6, "partner_ref", "A client row needs the partner reference."),
        (7, "branch", "No branch 9999 in this company."),
        (8, "debit", "A row has either a debit or a credit."),
    ]
    after = row_counts()
    changed = {k: after[k] - before[k] for k in after if after[k] != before[k]}
    assert changed == {"ledger.OpeningBalanceImport": 1, "ledger.OpeningBalanceRowError": 8}


def test_totals_that_differ_are_refused_not_plugged(demo, owner):
    content = b"account_code,debit,credit\n110101,100.10,\n3101,,90\n"
    record = _import(demo, owner, content)
    assert record.process_status == "error"
    assert _errors(record) == [(None, "credit", "Debits 100.10 and credits 90 differ by "
                                                "10.10; the opening entry must balance.")]
    assert not JournalEntry.objects.filter(company=demo, journal__code="APE").exists()


def test_an_unreadable_or_headless_file_is_an_error(demo, owner):
    assert _errors(_import(demo, owner, b"not a zip", name="saldos.xlsx")) == [
        (None, "file", "The XLSX file cannot be read.")]
    assert _errors(_import(demo, owner, b"cuenta;monto\n1;2\n")) == [
        (1, "account_code, debit, credit",
         "Missing column(s); the header row must name account_code, debit and credit.")]
    assert _errors(_import(demo, owner, b"x", name="saldos.pdf")) == [
        (None, "file", "Send a .csv or .xlsx file.")]


def test_xlsx_numbers_stay_exact(demo, owner):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Account_Code", "Debit", "Credit"])
    sheet.append([110101, 1234.56, None])
    sheet.append(["110103", 0.1, None])
    sheet.append([3101, None, 1234.66])
    buffer = io.BytesIO()
    book.save(buffer)
    record = _import(demo, owner, buffer.getvalue(), name="saldos.xlsx")
    assert record.process_status == "final", _errors(record)
    assert [(li.account.code, li.debit, li.credit) for li in record.entry.lines.order_by(
        "line_no")] == [("110101", Decimal("1234.56"), Decimal("0")),
                        ("110103", Decimal("0.1"), Decimal("0")),
                        ("3101", Decimal("0"), Decimal("1234.66"))]


def test_processing_is_idempotent(demo, owner):
    from cuadra.ledger.tasks import opening_balances_process

    record = _import(demo, owner, GOOD, idempotency_key="apertura-1")
    before = row_counts()
    assert opening_balances_process.delay(record.pk).get() == "final"
    assert opening_balance_import_process(import_id=record.pk).entry_id == record.entry_id
    again = _import(demo, owner, GOOD, idempotency_key="apertura-1")
    assert again.pk == record.pk
    assert row_counts() == before


def test_a_stuck_processing_import_resumes_without_posting_twice(demo, owner, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False  # queued on commit: never runs in this test
    record = _import(demo, owner, GOOD)
    assert record.process_status == "new"
    OpeningBalanceImport.objects.filter(pk=record.pk).update(process_status="processing")
    done = opening_balance_import_process(import_id=record.pk)
    assert done.process_status == "final"
    assert JournalEntry.objects.filter(company=demo, journal__code="APE").count() == 1


IMPORT = """mutation($name: String!, $content: String!) {
  importOpeningBalances(fileName: $name, contentBase64: $content, date: "2025-01-01") {
    id processStatus rows totalDebit totalCredit entry { number }
    errors { row column message } } }"""
GET = """query($id: ID!) { openingBalanceImport(id: $id) { processStatus
  errors { row column } } }"""


def test_opening_balances_over_graphql(as_demo, as_otra):
    good = as_demo.execute(IMPORT, {"name": "saldos.csv",
                                    "content": base64.b64encode(GOOD).decode()})
    data = good["data"]["importOpeningBalances"]
    assert (data["processStatus"], data["rows"], data["totalDebit"], data["errors"]) == (
        "final", 4, "2300.25", [])
    assert data["entry"]["number"].startswith("AS-2025-")
    bad = as_demo.execute(IMPORT, {"name": "saldos.csv",
                                   "content": base64.b64encode(BAD).decode()})
    failed = bad["data"]["importOpeningBalances"]
    assert failed["processStatus"] == "error"
    assert failed["entry"] is None
    assert [e["row"] for e in failed["errors"]] == [2, 3, 4, 5, 5, 6, 7, 8]
    fetched = as_demo.execute(GET, {"id": failed["id"]})["data"]["openingBalanceImport"]
    assert fetched["processStatus"] == "error"
    assert error_codes(as_otra.execute(GET, {"id": failed["id"]})) == ["NOT_FOUND"]
    assert error_codes(as_demo.execute(IMPORT, {"name": "a.csv", "content": "%%%"})) == [
        "VALIDATION"]


@pytest.mark.postgres
def test_opening_on_postgres_keeps_exact_amounts(demo, owner):
    content = (b"account_code,debit,credit\n110101,0.0000000000000000000000001,\n"
               b"3101,,0.0000000000000000000000001\n")
    record = _import(demo, owner, content)
    assert record.process_status == "final"
    assert record.total_debit == Decimal("1E-25")
