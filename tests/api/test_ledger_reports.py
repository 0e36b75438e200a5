"""GraphQL financial reports: exact figures as Amount strings, filters, comparison,
pagination with running balances, REPORTS:view, and tenant isolation."""

from __future__ import annotations

import pytest

from cuadra.ledger.models import Account
from tests.conftest import GraphQLClient, error_codes
from tests.ledger.report_data import post_books

TB = """query($from: Date!, $to: Date!, $compare: Boolean!, $branch: String) {
  trialBalanceReport(dateFrom: $from, dateTo: $to, compare: $compare, branchCode: $branch) {
    previousFrom previousTo totalDebit totalCredit previousTotalDebit
    rows { account { code } level isGroup opening debit credit closing
           previousDebit previousCredit difference } } }"""

GL = """query($id: ID!, $offset: Int!, $limit: Int, $branch: String) {
  generalLedger(accountId: $id, dateFrom: "2025-01-01", dateTo: "2025-12-31",
                branchCode: $branch, pagination: {offset: $offset, limit: $limit}) {
    account { code } opening totalDebit totalCredit closing
    lines { totalCount pageInfo { offset limit }
            results { date entryNumber journalCode accountCode label branchCode costCenter
                      project debit credit balance } } } }"""

GJ = """query($offset: Int!, $limit: Int, $project: String) {
  generalJournal(dateFrom: "2025-01-01", dateTo: "2025-03-31", project: $project,
                 pagination: {offset: $offset, limit: $limit}) {
    totalDebit totalCredit
    entries { totalCount pageInfo { offset limit }
              results { number date journalCode memo
                        lines { lineNo account { code } debit credit costCenter project } } }
  } }"""

IS = """query($compare: Boolean!, $cc: String) {
  incomeStatement(dateFrom: "2025-01-01", dateTo: "2025-03-31", compare: $compare,
                  costCenter: $cc) {
    previousFrom previousTo netResult previousNetResult difference
    income { key total previousTotal difference
             rows { code label level isGroup amount previous difference } }
    expense { total rows { code amount } } } }"""

BS = """query($asOf: Date!, $compare: Boolean!) {
  balanceSheet(asOf: $asOf, compare: $compare) {
    asOf previousAsOf totalAssets totalLiabilitiesAndEquity previousTotalAssets
    previousTotalLiabilitiesAndEquity currentYearResult balanced
    assets { total rows { code amount previous difference } }
    liabilities { total }
    equity { total previousTotal rows { account { code } code label amount previous } } } }"""


@pytest.fixture
def books(demo, platform):
    return post_books(demo, platform.owner)


def _id(company, code) -> str:
    return str(Account.objects.get(company=company, code=code).pk)


def _data(result, name):
    assert "errors" not in result, result
    return result["data"][name]


def test_trial_balance_report(as_demo, books):
    tb = _data(as_demo.execute(TB, {"from": "2025-02-01", "to": "2025-03-31",
                                    "compare": True}), "trialBalanceReport")
    assert (tb["previousFrom"], tb["previousTo"]) == ("2024-12-01", "2025-01-31")
    assert (tb["totalDebit"], tb["totalCredit"], tb["previousTotalDebit"]) == (
        "2270", "2270", "6270")
    rows = {r["account"]["code"]: r for r in tb["rows"]}
    assert rows["1101"] == {"account": {"code": "1101"}, "level": 2, "isGroup": True,
                            "opening": "5200", "debit": "1570", "credit": "700",
                            "closing": "6070", "previousDebit": "5200", "previousCredit": "0",
                            "difference": "-4330"}
    assert rows["110103"]["closing"] == "5370" and rows["110103"]["isGroup"] is False
    tb = _data(as_demo.execute(TB, {"from": "2025-01-01", "to": "2025-12-31",
                                    "compare": False, "branch": "0001"}),
               "trialBalanceReport")
    assert {r["account"]["code"]: r["closing"] for r in tb["rows"] if not r["isGroup"]} == {
        "110101": "500", "110103": "-300", "4101": "-500", "6201": "300"}
    assert tb["rows"][0]["previousDebit"] is None and tb["previousFrom"] is None


def test_general_ledger_pages_keep_the_running_balance(as_demo, demo, books):
    full = _data(as_demo.execute(GL, {"id": _id(demo, "110103"), "offset": 0}),
                 "generalLedger")
    assert (full["opening"], full["totalDebit"], full["totalCredit"], full["closing"]) == (
        "5000", "1070", "700", "5370")
    assert full["lines"]["totalCount"] == 3
    assert full["lines"]["pageInfo"] == {"offset": 0, "limit": 100}
    assert [(r["date"], r["entryNumber"], r["debit"], r["credit"], r["balance"])
            for r in full["lines"]["results"]] == [
        ("2025-02-05", books["E3"].number, "0", "300", "4700"),
        ("2025-02-20", books["E4"].number, "1070", "0", "5770"),
        ("2025-03-25", books["E6"].number, "0", "400", "5370")]
    assert full["lines"]["results"][0] | {"balance": None} == {
        "date": "2025-02-05", "entryNumber": books["E3"].number, "journalCode": "GEN",
        "accountCode": "110103", "label": "E3", "branchCode": "0001", "costCenter": "ADM",
        "project": "", "debit": "0", "credit": "300", "balance": None}
    page = _data(as_demo.execute(GL, {"id": _id(demo, "110103"), "offset": 1, "limit": 1}),
                 "generalLedger")["lines"]
    assert page["pageInfo"] == {"offset": 1, "limit": 1} and page["totalCount"] == 3
    assert [r["balance"] for r in page["results"]] == ["5770"]
    branch = _data(as_demo.execute(GL, {"id": _id(demo, "110103"), "offset": 1,
                                        "branch": "0000"}), "generalLedger")
    assert [r["balance"] for r in branch["lines"]["results"]] == ["5670"]


def test_general_journal(as_demo, books):
    gj = _data(as_demo.execute(GJ, {"offset": 0}), "generalJournal")
    assert (gj["totalDebit"], gj["totalCredit"], gj["entries"]["totalCount"]) == (
        "3340", "3340", 5)
    assert [e["memo"] for e in gj["entries"]["results"]] == ["E2", "E3", "E4", "E5", "E6"]
    assert gj["entries"]["results"][0]["lines"] == [
        {"lineNo": 1, "account": {"code": "110201"}, "debit": "1070", "credit": "0",
         "costCenter": "VEN", "project": "P1"},
        {"lineNo": 2, "account": {"code": "4101"}, "debit": "0", "credit": "1000",
         "costCenter": "VEN", "project": "P1"},
        {"lineNo": 3, "account": {"code": "210201"}, "debit": "0", "credit": "70",
         "costCenter": "VEN", "project": "P1"}]
    page = _data(as_demo.execute(GJ, {"offset": 3, "limit": 1, "project": "P1"}),
                 "generalJournal")
    assert (page["totalDebit"], page["entries"]["totalCount"], page["entries"]["results"]) \
        == ("1470", 2, [])
    page = _data(as_demo.execute(GJ, {"offset": 1, "limit": 1, "project": "P1"}),
                 "generalJournal")["entries"]["results"]
    assert [(e["memo"], [li["account"]["code"] for li in e["lines"]]) for e in page] == [
        ("E6", ["6101"])]


def test_income_statement(as_demo, books):
    st = _data(as_demo.execute(IS, {"compare": True}), "incomeStatement")
    assert (st["netResult"], st["previousNetResult"], st["difference"]) == ("800", "200",
                                                                             "600")
    assert (st["previousFrom"], st["previousTo"]) == ("2024-10-01", "2024-12-31")
    assert st["income"]["key"] == "income"
    assert (st["income"]["total"], st["income"]["previousTotal"],
            st["income"]["difference"]) == ("1500", "200", "1300")
    assert st["income"]["rows"][-1] == {"code": "4101", "label": "Ventas de mercancía",
                                        "level": 2, "isGroup": False, "amount": "1500",
                                        "previous": "200", "difference": "1300"}
    assert st["expense"] == {"total": "700", "rows": [
        {"code": "6", "amount": "700"}, {"code": "61", "amount": "400"},
        {"code": "6101", "amount": "400"}, {"code": "62", "amount": "300"},
        {"code": "6201", "amount": "300"}]}
    vendors = _data(as_demo.execute(IS, {"compare": False, "cc": "VEN"}), "incomeStatement")
    assert (vendors["netResult"], vendors["expense"]["rows"], vendors["difference"]) == (
        "1500", [], None)


def test_balance_sheet(as_demo, books):
    bs = _data(as_demo.execute(BS, {"asOf": "2025-03-31", "compare": True}), "balanceSheet")
    assert {k: bs[k] for k in ("asOf", "previousAsOf", "totalAssets",
                               "totalLiabilitiesAndEquity", "previousTotalAssets",
                               "previousTotalLiabilitiesAndEquity", "currentYearResult",
                               "balanced")} == {
        "asOf": "2025-03-31", "previousAsOf": "2025-02-28", "totalAssets": "6070",
        "totalLiabilitiesAndEquity": "6070", "previousTotalAssets": "5970",
        "previousTotalLiabilitiesAndEquity": "5970", "currentYearResult": "800",
        "balanced": True}
    assert bs["liabilities"]["total"] == "70"
    assert (bs["equity"]["total"], bs["equity"]["previousTotal"]) == ("6000", "5900")
    # the two computed lines close the equity section: the year's result, earlier ones
    assert [(r["account"], r["code"], r["amount"], r["previous"])
            for r in bs["equity"]["rows"][-2:]] == [(None, "", "800", "700"),
                                                    (None, "", "200", "200")]
    assert {r["code"]: r["amount"] for r in bs["assets"]["rows"]}["110103"] == "5370"


def test_reports_need_reports_view(platform, demo, books):
    warehouse = GraphQLClient().login("bodega", company="DEMO")  # no REPORTS permission
    for query, variables in ((TB, {"from": "2025-01-01", "to": "2025-01-31",
                                   "compare": False}),
                             (GL, {"id": _id(demo, "110103"), "offset": 0}),
                             (GJ, {"offset": 0}), (IS, {"compare": False}),
                             (BS, {"asOf": "2025-03-31", "compare": False})):
        result = warehouse.execute(query, variables)
        assert error_codes(result) == ["PERMISSION_DENIED"]
        assert result.get("data") is None
    auditor = GraphQLClient().login("auditor", company="DEMO")
    assert _data(auditor.execute(IS, {"compare": False}), "incomeStatement")[
        "netResult"] == "800"


def test_other_company_reaches_nothing(as_otra, demo, books):
    queries = ((TB, {"from": "2024-01-01", "to": "2025-12-31", "compare": True}),
               (GL, {"id": _id(demo, "110103"), "offset": 0}), (GJ, {"offset": 0}),
               (IS, {"compare": True}), (BS, {"asOf": "2025-03-31", "compare": True}))
    for query, variables in queries:  # OTRA's user naming DEMO
        result = as_otra.execute(query, variables, company="DEMO")
        assert error_codes(result) == ["PERMISSION_DENIED"]
        assert result.get("data") is None
    # in OTRA: DEMO's account id is unknown, and OTRA's reports hold nothing of DEMO's
    assert error_codes(as_otra.execute(GL, {"id": _id(demo, "110103"), "offset": 0})) == [
        "NOT_FOUND"]
    assert error_codes(as_otra.execute(TB, {"from": "2025-01-01", "to": "2025-12-31",
                                            "compare": False, "branch": "0001"})) == [
        "NOT_FOUND"]
    tb = _data(as_otra.execute(*queries[0]), "trialBalanceReport")
    assert (tb["rows"], tb["totalDebit"]) == ([], "0")
    gj = _data(as_otra.execute(*queries[2]), "generalJournal")
    assert (gj["entries"]["totalCount"], gj["totalDebit"]) == (0, "0")
    st = _data(as_otra.execute(*queries[3]), "incomeStatement")
    assert (st["netResult"], st["income"]["rows"]) == ("0", [])
    bs = _data(as_otra.execute(*queries[4]), "balanceSheet")
    assert (bs["totalAssets"], bs["assets"]["rows"], bs["balanced"]) == ("0", [], True)


def test_bad_input_comes_back_with_code_and_field(as_demo, books):
    result = as_demo.execute(TB, {"from": "2025-03-01", "to": "2025-01-01",
                                  "compare": False})
    assert error_codes(result) == ["VALIDATION"]
    assert result["errors"][0]["extensions"]["field"] == "dateFrom"
    result = as_demo.execute(GL, {"id": "abc", "offset": 0})
    assert error_codes(result) == ["NOT_FOUND"]
    assert result["errors"][0]["extensions"]["field"] == "accountId"
