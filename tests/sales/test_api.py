"""Sales over GraphQL: draft, issue with an idempotency key, convert, credit, isolation."""

from __future__ import annotations

from cuadra.contacts.models import Client
from tests.conftest import error_codes, row_counts

CREATE = """mutation($in: SalesDocumentInput!) { createSalesInvoice(input: $in) {
  id status number subtotal taxTotal total lines { quantity baseAmount taxAmount }
  totalsByRate { taxCode rate base tax } } }"""
ISSUE = """mutation($id: ID!, $k: String) { issueSalesInvoice(id: $id, idempotencyKey: $k) {
  invoice { id status number journalEntryId } warnings } }"""


def _invoice_input(client, galletas, ron):
    return {"clientId": str(client.pk), "date": "2025-03-14", "lines": [
        {"itemId": str(galletas.pk), "quantity": "3", "unitPrice": "1.255"},
        {"itemId": str(ron.pk), "quantity": "7", "discountPercent": "15"}]}


def test_create_issue_credit_over_graphql(as_demo, client, galletas, ron):
    data = as_demo.execute(CREATE, {"in": _invoice_input(client, galletas, ron)})
    inv = data["data"]["createSalesInvoice"]
    assert (inv["status"], inv["number"], inv["total"]) == ("draft", "", "89.05")
    assert inv["totalsByRate"] == [
        {"taxCode": "01", "rate": "0.07", "base": "3.77", "tax": "0.26"},
        {"taxCode": "02", "rate": "0.1", "base": "77.29", "tax": "7.73"}]
    issued = as_demo.execute(ISSUE, {"id": inv["id"], "k": "retry-1"})
    body = issued["data"]["issueSalesInvoice"]["invoice"]
    assert (body["status"], body["number"]) == ("issued", "FAC-2025-000001")
    before = row_counts()
    again = as_demo.execute(ISSUE, {"id": inv["id"], "k": "retry-1"})
    assert again["data"]["issueSalesInvoice"]["invoice"] == body
    assert row_counts() == before
    detail = as_demo.execute("""query($id: ID!) { salesInvoice(id: $id) {
        lines { id } } }""", {"id": inv["id"]})
    line_id = detail["data"]["salesInvoice"]["lines"][1]["id"]
    note = as_demo.execute("""mutation($id: ID!, $l: ID!) { createCreditNote(invoiceId: $id,
        reason: "rotos", lines: [{invoiceLineId: $l, quantity: "1"}]) { id total } }""",
                           {"id": inv["id"], "l": line_id})
    assert note["data"]["createCreditNote"]["total"] == "12.14"  # 11.04 + 1.10
    page = as_demo.execute("""{ salesInvoices(pagination: {offset: 0, limit: 5}) {
        totalCount results { number } } }""")
    assert page["data"]["salesInvoices"] == {"totalCount": 1,
                                             "results": [{"number": "FAC-2025-000001"}]}


def test_over_invoicing_over_graphql_writes_nothing(as_demo, client, galletas):
    q = as_demo.execute("""mutation($in: SalesDocumentInput!) { createSalesOrder(input: $in) {
        id lines { id } } }""", {"in": {"clientId": str(client.pk), "date": "2025-03-14",
                                       "lines": [{"itemId": str(galletas.pk),
                                                  "quantity": "2"}]}})
    order = q["data"]["createSalesOrder"]
    as_demo.execute("mutation($id: ID!) { issueSalesOrder(id: $id) { status } }",
                    {"id": order["id"]})
    before = row_counts()
    result = as_demo.execute("""mutation($o: ID!, $l: ID!) { invoiceSalesOrder(orderId: $o,
        lines: [{orderLineId: $l, quantity: "3"}]) { id } }""",
                             {"o": order["id"], "l": order["lines"][0]["id"]})
    assert error_codes(result) == ["VALIDATION"]
    assert row_counts() == before


def test_another_company_reaches_nothing(as_demo, as_otra, client, galletas, ron, otra):
    inv = as_demo.execute(CREATE, {"in": _invoice_input(client, galletas, ron)})
    inv_id = inv["data"]["createSalesInvoice"]["id"]
    seen = as_otra.execute("query($id: ID!) { salesInvoice(id: $id) { id } }",
                           {"id": inv_id})
    assert error_codes(seen) == ["NOT_FOUND"]
    assert error_codes(as_otra.execute(ISSUE, {"id": inv_id})) == ["NOT_FOUND"]
    listed = as_otra.execute("{ salesInvoices { totalCount } }")
    assert listed["data"]["salesInvoices"]["totalCount"] == 0
    # OTRA cannot invoice DEMO's client either
    Client.objects.create(company=otra, code="X", legal_name="X")
    created = as_otra.execute(CREATE, {"in": {**_invoice_input(client, galletas, ron),
                                              "lines": [{"description": "x", "quantity": "1",
                                                         "unitPrice": "1"}]}})
    assert error_codes(created) == ["NOT_FOUND"]
