"""issueInvoices over GraphQL, and the invoice list's query count (no N+1)."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from cuadra.sales import services
from tests.conftest import error_codes, row_counts
from tests.sales.conftest import DAY

ISSUE_MANY = """mutation($ids: [ID!]!, $k: String) { issueInvoices(ids: $ids, idempotencyKey: $k) {
  invoice { id status number journalEntryId paymentState } warnings } }"""
LIST = """{ salesInvoices(pagination: {offset: 0, limit: 50}) { totalCount results {
  number status clientCode total amountDue paymentState
  lines { quantity baseAmount } totalsByRate { taxCode rate base tax } } } }"""


def _drafts(demo, owner, client, galletas, ron, n: int) -> list:
    return [services.sales_invoice_create(
        company=demo, actor=owner, client=client, date=DAY,
        lines=[{"item": galletas, "quantity": str(1 + k % 3)}, {"item": ron, "quantity": "1"}])
        for k in range(n)]


def test_issue_invoices_over_graphql(as_demo, as_otra, demo, owner, client, galletas, ron):
    drafts = _drafts(demo, owner, client, galletas, ron, 3)
    ids = [str(d.pk) for d in drafts]
    refused = as_otra.execute(ISSUE_MANY, {"ids": ids})
    assert error_codes(refused) == ["NOT_FOUND"]
    data = as_demo.execute(ISSUE_MANY, {"ids": ids, "k": "lote-7"})
    body = data["data"]["issueInvoices"]
    assert [(p["invoice"]["status"], p["invoice"]["number"], p["invoice"]["paymentState"])
            for p in body] == [("issued", f"FAC-2025-00000{k}", "UNPAID") for k in (1, 2, 3)]
    assert all(p["invoice"]["journalEntryId"] for p in body)
    before = row_counts()
    again = as_demo.execute(ISSUE_MANY, {"ids": ids, "k": "lote-7"})
    assert again["data"]["issueInvoices"] == body
    assert row_counts() == before


def _list_queries(as_demo) -> int:
    with CaptureQueriesContext(connection) as captured:
        data = as_demo.execute(LIST)
    assert "errors" not in data
    return len(captured.captured_queries), data["data"]["salesInvoices"]


def test_invoice_list_query_count_does_not_grow(as_demo, demo, owner, client, galletas, ron):
    _drafts(demo, owner, client, galletas, ron, 1)
    _list_queries(as_demo)  # the first request of a session reads its login state once
    one, page = _list_queries(as_demo)
    assert page["totalCount"] == 1
    assert page["results"][0]["totalsByRate"] == [
        {"taxCode": "01", "rate": "0.07", "base": "1.25", "tax": "0.09"},
        {"taxCode": "02", "rate": "0.1", "base": "12.99", "tax": "1.3"}]
    _drafts(demo, owner, client, galletas, ron, 19)
    twenty, page = _list_queries(as_demo)
    assert page["totalCount"] == 20 and page["results"][0]["clientCode"] == "C-T1"
    assert twenty == one
