"""GraphQL for the books: manual entries end to end, permissions, tenancy, integrity."""

from __future__ import annotations

from cuadra.ledger.models import Account, JournalEntry
from tests.conftest import GraphQLClient, error_codes

ENTRY_FIELDS = "id number state date memo lines { lineNo account { code } debit credit }"

CREATE = f"""mutation($input: JournalEntryInput!) {{
  createJournalEntry(input: $input) {{ {ENTRY_FIELDS} }} }}"""
UPDATE = f"""mutation($id: ID!, $input: JournalEntryUpdateInput!) {{
  updateJournalEntry(id: $id, input: $input) {{ {ENTRY_FIELDS} }} }}"""
POST = f"""mutation($id: ID!, $key: String) {{
  postJournalEntry(id: $id, idempotencyKey: $key) {{ {ENTRY_FIELDS} }} }}"""
REVERSE = f"""mutation($id: ID!, $date: Date) {{
  reverseJournalEntry(id: $id, date: $date) {{ {ENTRY_FIELDS} }} }}"""
DELETE = "mutation($id: ID!) { deleteJournalEntry(id: $id) { ok id } }"


def _ids(company, *codes):
    return [str(Account.objects.get(company=company, code=c).pk) for c in codes]


def _input(demo, amount="12.34", date="2025-03-14"):
    cash, sales = _ids(demo, "110101", "4101")
    return {"date": date, "memo": "venta",
            "lines": [{"accountId": cash, "debit": amount},
                      {"accountId": sales, "credit": amount}]}


def test_accounts_list(as_demo):
    data = as_demo.execute("{ accounts(postableOnly: true) { code nameEs role isGroup } }")
    accounts = data["data"]["accounts"]
    assert len(accounts) == 94
    assert {"code": "110103", "nameEs": "Banco - cuenta corriente", "role": "BANK",
            "isGroup": False} in accounts


def test_create_update_post_reverse(as_demo, demo):
    created = as_demo.execute(CREATE, {"input": _input(demo)})["data"]["createJournalEntry"]
    assert (created["state"], created["number"]) == ("draft", "")
    updated = as_demo.execute(UPDATE, {"id": created["id"], "input": {"memo": "otra"}})
    assert updated["data"]["updateJournalEntry"]["memo"] == "otra"
    assert [li["debit"] for li in updated["data"]["updateJournalEntry"]["lines"]] == [
        "12.34", "0"]
    posted = as_demo.execute(POST, {"id": created["id"], "key": "p-1"})
    assert posted["data"]["postJournalEntry"]["number"] == "AS-2025-000001"
    again = as_demo.execute(POST, {"id": created["id"], "key": "p-1"})
    assert again["data"]["postJournalEntry"]["id"] == created["id"]
    assert error_codes(as_demo.execute(POST, {"id": created["id"]})) == ["INVALID_TRANSITION"]
    assert error_codes(as_demo.execute(DELETE, {"id": created["id"]})) == [
        "INVALID_TRANSITION"]
    reversed_ = as_demo.execute(REVERSE, {"id": created["id"], "date": "2025-03-20"})
    rev = reversed_["data"]["reverseJournalEntry"]
    assert rev["number"] == "AS-2025-000002"
    assert [(li["debit"], li["credit"]) for li in rev["lines"]] == [("0", "12.34"),
                                                                   ("12.34", "0")]
    listing = as_demo.execute("""{ journalEntries(filter: {state: "posted"},
        pagination: {offset: 0, limit: 1}) { totalCount results { number } } }""")
    assert listing["data"]["journalEntries"] == {"totalCount": 2,
                                                 "results": [{"number": "AS-2025-000002"}]}


def test_unbalanced_post_is_refused_with_code_and_writes_nothing(as_demo, demo):
    draft = as_demo.execute(CREATE, {"input": {**_input(demo), "lines": [
        {"accountId": _ids(demo, "110101")[0], "debit": "1"},
        {"accountId": _ids(demo, "4101")[0], "credit": "2"}]}})["data"]["createJournalEntry"]
    result = as_demo.execute(POST, {"id": draft["id"]})
    assert error_codes(result) == ["UNBALANCED_ENTRY"]
    assert result["errors"][0]["extensions"]["field"] == "lines"
    assert JournalEntry.objects.get(pk=draft["id"]).state == "draft"


def test_delete_draft(as_demo, demo):
    draft = as_demo.execute(CREATE, {"input": _input(demo)})["data"]["createJournalEntry"]
    result = as_demo.execute(DELETE, {"id": draft["id"]})
    assert result["data"]["deleteJournalEntry"] == {"ok": True, "id": draft["id"]}
    assert not JournalEntry.objects.filter(pk=draft["id"]).exists()


def test_trial_balance_and_integrity(as_demo, demo):
    draft = as_demo.execute(CREATE, {"input": _input(demo)})["data"]["createJournalEntry"]
    as_demo.execute(POST, {"id": draft["id"]})
    tb = as_demo.execute("""{ trialBalance(dateFrom: "2025-01-01", dateTo: "2025-12-31") {
        totalDebit totalCredit rows { account { code } opening debit credit closing } } }""")
    assert tb["data"]["trialBalance"] == {
        "totalDebit": "12.34", "totalCredit": "12.34",
        "rows": [{"account": {"code": "110101"}, "opening": "0", "debit": "12.34",
                  "credit": "0", "closing": "12.34"},
                 {"account": {"code": "4101"}, "opening": "0", "debit": "0",
                  "credit": "12.34", "closing": "-12.34"}]}
    integrity = as_demo.execute("{ ledgerIntegrity { ok entries headHash brokenEntryNumber "
                                "field } }")["data"]["ledgerIntegrity"]
    assert (integrity["ok"], integrity["entries"], integrity["brokenEntryNumber"]) == (
        True, 1, None)
    assert len(integrity["headHash"]) == 64


def test_permissions(platform, demo):
    sales = GraphQLClient().login("ventas", company="DEMO")
    assert error_codes(sales.execute(CREATE, {"input": _input(demo)})) == ["PERMISSION_DENIED"]
    assert error_codes(sales.execute("{ accounts { code } }")) == ["PERMISSION_DENIED"]
    auditor = GraphQLClient().login("auditor", company="DEMO")
    assert len(auditor.execute("{ accounts { code } }")["data"]["accounts"]) == 124
    assert error_codes(auditor.execute(CREATE, {"input": _input(demo)})) == [
        "PERMISSION_DENIED"]
    accountant = GraphQLClient().login("contador", company="DEMO")
    draft = accountant.execute(CREATE, {"input": _input(demo)})["data"]["createJournalEntry"]
    assert accountant.execute(POST, {"id": draft["id"]})["data"]["postJournalEntry"][
        "state"] == "posted"


def test_other_company_reaches_nothing(as_demo, as_otra, demo):
    draft = as_demo.execute(CREATE, {"input": _input(demo)})["data"]["createJournalEntry"]
    for query, variables in ((POST, {"id": draft["id"]}), (DELETE, {"id": draft["id"]}),
                             ("query($id: ID!) { journalEntry(id: $id) { id } }",
                              {"id": draft["id"]})):
        assert error_codes(as_otra.execute(query, variables)) == ["NOT_FOUND"]
    # demo's account ids are unknown in OTRA
    result = as_otra.execute(CREATE, {"input": _input(demo)})
    assert error_codes(result) == ["NOT_FOUND"]
    assert result["errors"][0]["extensions"]["field"] == "lines[0].account"
