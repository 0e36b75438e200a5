"""Chart of accounts export (CSV, XLSX) and import: create, update by code, never delete,
refuse the whole file on any bad row."""

from __future__ import annotations

import base64
import csv
import io

import openpyxl
import pytest

from cuadra.core.errors import ValidationError
from cuadra.ledger.models import Account
from cuadra.ledger.services.chart_io import CHART_COLUMNS, chart_export, chart_import
from tests.conftest import error_codes, row_counts

HEADER = ",".join(CHART_COLUMNS) + "\n"


def _csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode())))


def test_export_csv(demo):
    exported = chart_export(company=demo, fmt="csv")
    assert (exported.file_name, exported.content_type) == ("chart-DEMO.csv", "text/csv")
    rows = _csv_rows(exported.content)
    assert rows[0] == list(CHART_COLUMNS)
    assert len(rows) == 1 + Account.objects.filter(company=demo).count()
    assert rows[1] == ["1", "Activos", "Assets", "ASSET", "", "", "1", "", "1"]
    assert ["110103", "Banco - cuenta corriente", "Bank - checking account", "ASSET", "BANK",
            "1101", "0", "", "1"] in rows


def test_export_xlsx_has_the_same_rows(demo):
    exported = chart_export(company=demo, fmt="xlsx")
    assert exported.file_name == "chart-DEMO.xlsx"
    sheet = openpyxl.load_workbook(io.BytesIO(exported.content)).worksheets[0]
    xlsx_rows = [[c or "" for c in row] for row in sheet.iter_rows(values_only=True)]
    assert xlsx_rows == _csv_rows(chart_export(company=demo, fmt="csv").content)


def test_export_import_round_trip_changes_nothing(demo, owner):
    before = row_counts()
    for fmt in ("csv", "xlsx"):
        exported = chart_export(company=demo, fmt=fmt)
        result = chart_import(company=demo, actor=owner, file_name=exported.file_name,
                              content=exported.content)
        assert (result.created, result.updated) == (0, 0)
        assert result.unchanged == Account.objects.filter(company=demo).count()
    assert row_counts() == before


def test_import_creates_and_updates_by_code_and_never_deletes(demo, owner):
    count = Account.objects.filter(company=demo).count()
    content = (HEADER
               + "110105,Banco nuevo,New bank,ASSET,BANK,1101,0,USD,1\n"
               + "7,Cuentas de orden,Memo accounts,EXPENSE,,,1,,1\n"
               + "7001,Orden deudora,Memo debit,EXPENSE,,7,0,,0\n"    # child listed after
               + "110101,Caja principal,Main cash,ASSET,CASH,1101,0,,1\n"
               + "4103,Devoluciones,Returns,INCOME,SUSPENSE,41,0,,0\n").encode()
    result = chart_import(company=demo, actor=owner, file_name="plan.csv", content=content)
    assert (result.created, result.updated, result.unchanged) == (3, 2, 0)
    assert Account.objects.filter(company=demo).count() == count + 3
    new_bank = Account.objects.get(company=demo, code="110105")
    assert (new_bank.parent.code, new_bank.role, new_bank.currency, new_bank.is_group) == (
        "1101", "BANK", "USD", False)
    memo = Account.objects.get(company=demo, code="7001")
    assert (memo.parent.code, memo.is_active) == ("7", False)
    cash = Account.objects.get(company=demo, code="110101")
    assert (cash.name_es, cash.name_en) == ("Caja principal", "Main cash")
    returns = Account.objects.get(company=demo, code="4103")
    assert (returns.role, returns.is_active) == ("SUSPENSE", False)


def test_a_bad_file_is_refused_whole_listing_every_row(demo, owner):
    content = (HEADER
               + "110106,Banco bueno,Good bank,ASSET,BANK,1101,0,,1\n"      # row 2 fine
               + ",Sin código,,ASSET,,,0,,1\n"                             # row 3
               + "8001,Mala,,PATRIMONY,,,0,,1\n"                           # row 4
               + "8002,Rol,,ASSET,BOSS,,0,,1\n"                            # row 5
               + "8003,Padre,,ASSET,,110101,0,,1\n"                        # row 6
               + "8004,Huérfana,,ASSET,,9999,maybe,DOLLARS,1\n"            # row 7
               + "110101,Caja,,LIABILITY,CASH,1101,0,,1\n"                 # row 8
               + "110106,Otra vez,,ASSET,,1101,0,,1\n").encode()            # row 9
    before = row_counts()
    with pytest.raises(ValidationError) as refused:
        chart_import(company=demo, actor=owner, file_name="plan.csv", content=content)
    assert [(e.field, e.message) for e in refused.value.errors] == [
        ("rows[3].code", "An account needs a code of at most 32 characters."),
        ("rows[4].type", "Choose one of ASSET, LIABILITY, EQUITY, INCOME, EXPENSE."),
        ("rows[5].role", "Unknown role 'BOSS'."),
        ("rows[7].is_group", "Use 1 or 0."),
        ("rows[7].currency", "Use a three-letter ISO 4217 code, or leave it empty."),
        ("rows[8].type", "Account 110101 has type 'ASSET'; an import changes only names, "
                         "role and active."),
        ("rows[9].code", "Code 110106 is also on row 2."),
        ("rows[6].parent_code", "Account 110101 is not a group."),
        ("rows[7].parent_code", "No account 9999 in the file or the chart."),
    ]
    assert refused.value.message == "9 problem(s) in plan.csv; nothing imported."
    assert row_counts() == before


def test_a_parent_cycle_is_refused(demo, owner):
    content = (HEADER + "91,A,,ASSET,,92,1,,1\n92,B,,ASSET,,91,1,,1\n").encode()
    before = row_counts()
    with pytest.raises(ValidationError) as refused:
        chart_import(company=demo, actor=owner, file_name="plan.csv", content=content)
    assert [e.field for e in refused.value.errors] == ["rows[2].parent_code",
                                                       "rows[3].parent_code"]
    assert row_counts() == before


EXPORT = """query($f: String!) { exportChartOfAccounts(format: $f) {
  fileName contentType contentBase64 } }"""
IMPORT = """mutation($name: String!, $content: String!) {
  importChartOfAccounts(fileName: $name, contentBase64: $content) {
    created updated unchanged } }"""


def test_chart_over_graphql(as_demo, as_otra, demo, otra):
    exported = as_demo.execute(EXPORT, {"f": "xlsx"})["data"]["exportChartOfAccounts"]
    assert exported["fileName"] == "chart-DEMO.xlsx"
    sheet = openpyxl.load_workbook(io.BytesIO(base64.b64decode(
        exported["contentBase64"]))).worksheets[0]
    assert [c.value for c in sheet[1]] == list(CHART_COLUMNS)
    assert sheet.max_row == 1 + Account.objects.filter(company=demo).count()
    assert error_codes(as_demo.execute(EXPORT, {"f": "pdf"})) == ["VALIDATION"]
    # OTRA imports DEMO's chart plus one account: only OTRA changes
    csv_content = chart_export(company=demo, fmt="csv").content + \
        b"110199,Banco extra,Extra bank,ASSET,BANK,1101,0,,1\n"
    result = as_otra.execute(IMPORT, {"name": "demo.csv",
                                      "content": base64.b64encode(csv_content).decode()})
    assert result["data"]["importChartOfAccounts"]["created"] == 1
    assert Account.objects.filter(company=otra, code="110199").exists()
    assert not Account.objects.filter(company=demo, code="110199").exists()
    bad = as_demo.execute(IMPORT, {"name": "x.csv", "content": base64.b64encode(
        (HEADER + "1,,,ASSET,,,1,,1\n").encode()).decode()})
    assert error_codes(bad) == ["VALIDATION"]
    assert bad["errors"][0]["extensions"]["errors"][0]["field"] == "rows[2].name_es"
