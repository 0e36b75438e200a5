"""Report exports: CSV and XLSX carry the report's columns and exact figures, money cells
are numbers, streams are lazy and uncapped, bad parameters are refused before streaming."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import tempfile
from decimal import Decimal

import pytest
from django.utils import translation
from openpyxl import load_workbook

from cuadra.core.errors import NotFound, ValidationError
from cuadra.ledger.exports import MONEY_FORMAT, report_export
from cuadra.ledger.services import journal_entries_post
from tests.ledger.report_data import post_books

TB = {"date_from": "2025-02-01", "date_to": "2025-03-31", "compare": "true"}


@pytest.fixture
def books(demo, owner):
    return post_books(demo, owner)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _csv(company, report, params):
    name, content_type, stream = report_export(company=company, report=report,
                                               params=params, fmt="csv")
    assert content_type == "text/csv; charset=utf-8"
    return name, list(csv.reader(io.StringIO(b"".join(stream).decode("utf-8-sig"))))


def _xlsx(company, report, params):
    name, content_type, stream = report_export(company=company, report=report,
                                               params=params, fmt="xlsx")
    assert content_type.endswith("spreadsheetml.sheet")
    ws = load_workbook(io.BytesIO(b"".join(stream))).active
    return name, ws


def test_trial_balance_csv(demo, books):
    name, rows = _csv(demo, "trial_balance", TB)
    assert name == "trial_balance_DEMO_2025-02-01_2025-03-31.csv"
    assert rows[0] == ["Account", "Name", "Level", "Opening", "Debit", "Credit", "Closing",
                       "Previous debit", "Previous credit", "Difference (net movement)"]
    by_code = {r[0]: r for r in rows[1:]}
    assert by_code["1101"] == ["1101", "Cash and cash equivalents", "2", "5200", "1570",
                               "700", "6070", "5200", "0", "-4330"]
    assert by_code["110103"] == ["110103", "Bank - checking account", "3", "5000", "1070",
                                 "700", "5370", "5000", "0", "-4630"]
    assert rows[-1] == ["", "Total", "", "0", "2270", "2270", "0", "6270", "6270", "0"]
    assert len(rows) == 1 + 22 + 1


def test_trial_balance_xlsx_numbers_not_text(demo, books):
    name, ws = _xlsx(demo, "trial_balance", TB)
    assert name.endswith(".xlsx")
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:7] == ("Account", "Name", "Level", "Opening", "Debit", "Credit",
                           "Closing")
    by_code = {r[0]: r for r in rows[1:]}
    assert by_code["110103"] == ("110103", "Bank - checking account", 3, 5000, 1070, 700,
                                 5370, 5000, 0, -4630)
    assert rows[-1] == (None, "Total", None, 0, 2270, 2270, 0, 6270, 6270, 0)
    money = next(c for c in ws[3] if c.column_letter == "E")
    assert money.data_type == "n" and money.number_format == MONEY_FORMAT
    assert ws["A1"].font.b


def test_income_statement_and_balance_sheet_csv(demo, books):
    _, rows = _csv(demo, "income_statement",
                   {"date_from": "2025-01-01", "date_to": "2025-03-31", "compare": "1"})
    assert rows[0] == ["Section", "Account", "Name", "Level", "Amount", "Previous",
                       "Difference"]
    assert ["Income", "4101", "Sales of goods", "2", "1500", "200", "1300"] in rows
    assert ["Income", "", "Total Income", "", "1500", "200", "1300"] in rows
    assert ["Expenses", "", "Total Expenses", "", "700", "0", "700"] in rows
    assert rows[-1] == ["", "", "Net result", "", "800", "200", "600"]
    name, rows = _csv(demo, "balance_sheet", {"as_of": dt.date(2025, 3, 31), "branch": "",
                                              "compare": True})
    assert name == "balance_sheet_DEMO_2025-03-31.csv"
    assert ["Assets", "", "Total Assets", "", "6070", "5970", "100"] in rows
    assert ["Equity", "", "Result of the current year", "0", "800", "700", "100"] in rows
    assert ["Equity", "", "Total Equity", "", "6000", "5900", "100"] in rows
    assert rows[-1] == ["", "", "Total liabilities and equity", "", "6070", "5970", "100"]


def test_balance_sheet_xlsx(demo, books):
    _, ws = _xlsx(demo, "balance_sheet", {"as_of": "2025-03-31"})
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == ("Section", "Account", "Name", "Level", "Amount")
    assert ("Assets", None, "Total Assets", None, 6070) in rows
    assert rows[-1] == (None, None, "Total liabilities and equity", None, 6070)


def test_general_ledger_exports(demo, books):
    params = {"account": "110103", "date_from": "2025-01-01", "date_to": "2025-12-31"}
    name, rows = _csv(demo, "general_ledger", params)
    assert name == "general_ledger_DEMO_110103_2025-01-01_2025-12-31.csv"
    assert rows[0] == ["Date", "Entry", "Journal", "Reference", "Account", "Label", "Branch",
                       "Cost centre", "Project", "Debit", "Credit", "Balance"]
    assert rows[1] == ["2025-01-01", "", "", "", "110103", "Opening balance", "", "", "", "",
                       "", "5000"]
    assert [r[1] for r in rows[2:5]] == [books[n].number for n in ("E3", "E4", "E6")]
    assert [(r[6], r[7], r[9], r[10], r[11]) for r in rows[2:5]] == [
        ("0001", "ADM", "0", "300", "4700"), ("0000", "", "1070", "0", "5770"),
        ("0000", "", "0", "400", "5370")]
    assert rows[5] == ["2025-12-31", "", "", "", "110103", "Closing balance", "", "", "",
                       "1070", "700", "5370"]
    _, ws = _xlsx(demo, "general_ledger", params)
    cells = ws[3]
    assert isinstance(cells[0].value, dt.datetime) and cells[0].value.date() == \
        dt.date(2025, 2, 5)
    assert [c.value for c in cells[9:]] == [0, 300, 4700]
    assert all(c.data_type == "n" and c.number_format == MONEY_FORMAT for c in cells[9:])


def test_general_journal_exports(demo, books):
    params = {"date_from": "2025-01-01", "date_to": "2025-03-31", "project": "P1"}
    name, rows = _csv(demo, "general_journal", params)
    assert name == "general_journal_DEMO_2025-01-01_2025-03-31_P1.csv"
    assert rows[0] == ["Entry", "Date", "Journal", "Reference", "Memo", "Line", "Account",
                       "Name", "Label", "Branch", "Cost centre", "Project", "Debit",
                       "Credit"]
    assert [(r[0], r[4], r[5], r[6], r[12], r[13]) for r in rows[1:5]] == [
        (books["E2"].number, "E2", "1", "110201", "1070", "0"),
        (books["E2"].number, "E2", "2", "4101", "0", "1000"),
        (books["E2"].number, "E2", "3", "210201", "0", "70"),
        (books["E6"].number, "E6", "1", "6101", "400", "0")]
    assert rows[-1][4:] == ["Total", "", "", "", "", "", "", "", "1470", "1070"]
    assert len(rows) == 6


def test_export_has_no_row_cap_and_streams_lazily(demo, owner):
    entries = [{"journal": "GEN", "date": dt.date(2025, 4, 1 + i % 28),
                "lines": [{"account": "110101", "debit": f"{i + 1}.01"},
                          {"account": "4101", "credit": f"{i + 1}.01"}]}
               for i in range(1200)]
    journal_entries_post(company=demo, actor=owner, entries=entries)
    params = {"account": "110101", "date_from": "2025-04-01", "date_to": "2025-04-30"}
    _, _, stream = report_export(company=demo, report="general_ledger", params=params,
                                 fmt="csv")
    first = next(stream)  # the header comes before any line is read
    assert first.decode("utf-8-sig").startswith("Date,Entry")
    rows = list(csv.reader(io.StringIO(b"".join(stream).decode())))
    assert len(rows) == 1200 + 2
    total = sum(Decimal(f"{i + 1}.01") for i in range(1200))
    assert [Decimal(v) for v in rows[-1][-3:]] == [total, 0, total]
    _, ws = _xlsx(demo, "general_journal", {"date_from": "2025-04-01",
                                            "date_to": "2025-04-30"})
    assert ws.max_row == 1 + 2400 + 1


def test_xlsx_temp_file_is_removed(demo, books):
    before = set(os.listdir(tempfile.gettempdir()))
    _, _, stream = report_export(company=demo, report="trial_balance", params=TB, fmt="xlsx")
    next(stream)
    stream.close()  # a client that hangs up
    leftover = {n for n in set(os.listdir(tempfile.gettempdir())) - before
                if n.startswith("cuadra-report-")}
    assert leftover == set()


@pytest.mark.parametrize(("report", "params", "fmt", "error", "field"), [
    ("nope", {}, "csv", ValidationError, "report"),
    ("trial_balance", TB, "pdf", ValidationError, "format"),
    ("trial_balance", {"date_to": "2025-01-31"}, "csv", ValidationError, "date_from"),
    ("trial_balance", {"date_from": "2025-13-01", "date_to": "2025-01-31"}, "csv",
     ValidationError, "date_from"),
    ("general_ledger", {"date_from": "2025-01-01", "date_to": "2025-01-31"}, "csv",
     ValidationError, "account"),
    ("general_ledger", {"account": "999999", "date_from": "2025-01-01",
                        "date_to": "2025-01-31"}, "csv", NotFound, "accountId"),
    ("income_statement", {**TB, "branch": "9999"}, "xlsx", NotFound, "branchCode"),
])
def test_bad_parameters_are_refused_before_streaming(demo, report, params, fmt, error,
                                                      field):
    with pytest.raises(error) as caught:
        report_export(company=demo, report=report, params=params, fmt=fmt)
    assert caught.value.field == field
