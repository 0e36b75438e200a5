"""Purchasing over GraphQL: requisition to payment with idempotency keys, a refusal of
each kind writing nothing, and tenant isolation."""

from __future__ import annotations

import base64

import pytest

from cuadra.ledger.services.periods import period_close, period_for_date
from cuadra.purchasing import services
from tests.conftest import GraphQLClient, error_codes, row_counts
from tests.purchasing.conftest import DAY


@pytest.fixture
def as_compras(platform):
    return GraphQLClient().login("compras", "compras", company="DEMO")


def _data(result, name):
    assert "errors" not in result, result
    return result["data"][name]


CREATE_REQ = """mutation($in: PurchaseRequisitionInput!) { createPurchaseRequisition(input: $in)
  { id status total lines { id estimatedAmount } } }"""
CONVERT = """mutation($id: ID!, $l: ID!, $s: ID!) { convertPurchaseRequisition(id: $id,
  date: "2025-03-14", lines: [{requisitionLineId: $l, supplierId: $s}])
  { id total lines { id unitPrice } } }"""
ISSUE_INV = """mutation($id: ID!, $k: String) { issueSupplierInvoice(id: $id,
  idempotencyKey: $k) { id status number amountDue paymentState journalEntryId } }"""


def test_requisition_to_payment_over_graphql(as_demo, as_compras, demo, owner, supplier,
                                             papel):
    _data(as_demo.execute("""mutation($u: [ID!]!) { createApprovalConfig(documentType:
        "PURCHASE_REQUISITION", threshold: "500", approverUserIds: $u) { id } }""",
                          {"u": [str(owner.pk)]}), "createApprovalConfig")
    req = _data(as_compras.execute(CREATE_REQ, {"in": {"date": "2025-03-14", "lines": [
        {"itemId": str(papel.pk), "quantity": "100", "estimatedPrice": "8"}]}}),
        "createPurchaseRequisition")
    assert (req["status"], req["total"]) == ("draft", "800")
    sub = _data(as_compras.execute("mutation($id: ID!) { submitPurchaseRequisition(id: $id) "
                                   "{ status number } }", {"id": req["id"]}),
                "submitPurchaseRequisition")
    assert sub == {"status": "submitted", "number": "RC-2025-000001"}
    args = {"id": req["id"], "l": req["lines"][0]["id"], "s": str(supplier.pk)}
    before = row_counts()
    assert error_codes(as_compras.execute(CONVERT, args)) == ["APPROVAL_REQUIRED"]
    assert row_counts() == before
    _data(as_demo.execute("""mutation($id: ID!) { approveDocument(documentType:
        PURCHASE_REQUISITION, documentId: $id) { status } }""", {"id": req["id"]}),
        "approveDocument")
    [order] = _data(as_compras.execute(CONVERT, args), "convertPurchaseRequisition")
    assert (order["total"], order["lines"][0]["unitPrice"]) == ("802.5", "7.5")
    issued = _data(as_compras.execute("""mutation($id: ID!) { issuePurchaseOrder(id: $id,
        idempotencyKey: "po-1") { status number } }""", {"id": order["id"]}),
        "issuePurchaseOrder")
    assert issued == {"status": "issued", "number": "OC-2025-000001"}
    receipt = _data(as_compras.execute("""mutation($o: ID!) { receiveGoods(orderId: $o,
        date: "2025-03-14", idempotencyKey: "r-1") { id status number lines { quantity } } }""",
                                       {"o": order["id"]}), "receiveGoods")
    assert (receipt["number"], receipt["lines"]) == ("ENT-2025-000001", [{"quantity": "100"}])
    inv = _data(as_compras.execute("""mutation($r: ID!) { invoiceGoodsReceipt(receiptId: $r,
        supplierNumber: "F-1", date: "2025-03-14") { id total } }""", {"r": receipt["id"]}),
        "invoiceGoodsReceipt")
    assert inv["total"] == "802.5"
    posted = _data(as_compras.execute(ISSUE_INV, {"id": inv["id"], "k": "fp-1"}),
                   "issueSupplierInvoice")
    assert posted["number"] == "FP-2025-000001" and posted["paymentState"] == "UNPAID"
    before = row_counts()
    assert _data(as_compras.execute(ISSUE_INV, {"id": inv["id"], "k": "fp-1"}),
                 "issueSupplierInvoice") == posted
    assert row_counts() == before
    pay = """mutation($s: ID!, $i: ID!) { registerSupplierPayment(input: {supplierId: $s,
        amount: "802.50", method: "BANK_TRANSFER", date: "2025-03-14",
        idempotencyKey: "pp-1", allocations: [{invoiceId: $i, amount: "802.50"}]})
        { id status number unapplied } }"""
    paid = _data(as_compras.execute(pay, {"s": str(supplier.pk), "i": inv["id"]}),
                 "registerSupplierPayment")
    assert (paid["status"], paid["number"], paid["unapplied"]) == (
        "SUCCEEDED", "PP-2025-000001", "0")
    before = row_counts()
    assert _data(as_compras.execute(pay, {"s": str(supplier.pk), "i": inv["id"]}),
                 "registerSupplierPayment") == paid
    assert row_counts() == before
    aging = _data(as_compras.execute('{ payablesAging(asOf: "2025-03-14") { supplierCode '
                                     'total } }'), "payablesAging")
    assert aging == []
    detail = _data(as_compras.execute("query($id: ID!) { supplierInvoice(id: $id) { "
                                      "amountPaid amountDue paymentState } }",
                                      {"id": inv["id"]}), "supplierInvoice")
    assert detail == {"amountPaid": "802.5", "amountDue": "0", "paymentState": "PAID"}


def _order(demo, owner, supplier, papel, qty="10"):
    order = services.purchase_order_create(company=demo, actor=owner, supplier=supplier,
                                           date=DAY, lines=[{"item": papel, "quantity": qty}])
    services.purchase_order_issue(company=demo, actor=owner, order=order)
    return order


def test_refusals_write_nothing(as_demo, as_compras, demo, owner, supplier, papel):
    order = _order(demo, owner, supplier, papel)
    line = order.lines.get()
    # over-receiving
    before = row_counts()
    over = as_compras.execute("""mutation($o: ID!, $l: ID!) { receiveGoods(orderId: $o,
        lines: [{lineId: $l, quantity: "10.5"}]) { id } }""",
                              {"o": str(order.pk), "l": str(line.pk)})
    assert error_codes(over) == ["VALIDATION"]
    assert over["errors"][0]["extensions"]["field"] == "lines[0].quantity"
    assert row_counts() == before
    services.goods_receipt_receive(company=demo, actor=owner, order=order, date=DAY,
                                   lines=[{"line_id": line.pk, "quantity": "4"}])
    # invoicing more than received: MATCH_FAILED with the difference, nothing written
    inv = services.supplier_invoice_from_order(
        company=demo, actor=owner, order=order, date=DAY, supplier_number="F-9",
        lines=[{"line_id": line.pk, "quantity": "10"}])
    before = row_counts()
    failed = as_compras.execute(ISSUE_INV, {"id": str(inv.pk)})
    assert error_codes(failed) == ["MATCH_FAILED"]
    assert failed["errors"][0]["extensions"]["errors"] == [
        {"field": "lines[0].quantity", "message": "Line 1: invoiced 10 but received 4.",
         "code": "MATCH_FAILED"}]
    assert row_counts() == before
    # compras may not override the match
    override = """mutation($id: ID!) { overrideSupplierInvoiceMatch(id: $id,
        reason: "agreed") { matchOverridden } }"""
    assert error_codes(as_compras.execute(override, {"id": str(inv.pk)})) == [
        "PERMISSION_DENIED"]
    # a duplicate supplier invoice number
    before = row_counts()
    dup = as_compras.execute("""mutation($s: ID!) { createSupplierInvoice(input: {
        supplierId: $s, supplierNumber: "F-9", lines: [{description: "x", quantity: "1",
        unitPrice: "1"}]}) { id } }""", {"s": str(supplier.pk)})
    assert error_codes(dup) == ["VALIDATION"]
    assert row_counts() == before
    # the owner overrides; it posts
    assert _data(as_demo.execute(override, {"id": str(inv.pk)}),
                 "overrideSupplierInvoiceMatch") == {"matchOverridden": True}
    assert _data(as_compras.execute(ISSUE_INV, {"id": str(inv.pk)}),
                 "issueSupplierInvoice")["amountDue"] == "85.6"
    # paying more than is owed
    before = row_counts()
    overpay = as_compras.execute("""mutation($s: ID!, $i: ID!) { registerSupplierPayment(
        input: {supplierId: $s, amount: "100", method: "CASH",
        allocations: [{invoiceId: $i, amount: "85.61"}]}) { id } }""",
                                 {"s": str(supplier.pk), "i": str(inv.pk)})
    assert error_codes(overpay) == ["VALIDATION"]
    assert row_counts() == before
    # a float is never money
    bad = as_compras.execute("""mutation($s: ID!) { registerSupplierPayment(input: {
        supplierId: $s, amount: 1.5, method: "CASH"}) { id } }""", {"s": str(supplier.pk)})
    assert "errors" in bad and row_counts() == before
    # a closed period
    period_close(company=demo, actor=owner, period=period_for_date(company=demo, date=DAY))
    closed = as_compras.execute("""mutation($s: ID!, $i: ID!) { registerSupplierPayment(
        input: {supplierId: $s, amount: "10", method: "CASH", date: "2025-03-14",
        allocations: [{invoiceId: $i, amount: "10"}]}) { id } }""",
                                {"s": str(supplier.pk), "i": str(inv.pk)})
    assert error_codes(closed) == ["PERIOD_CLOSED"]
    assert row_counts() == before


def test_expense_with_uploaded_receipt(as_compras, demo, acct):
    content = base64.b64encode(b"ticket 42").decode()
    up = """mutation($c: String!) { uploadStoredFile(contentBase64: $c, name: "t.txt")
        { id sha256 size } }"""
    first = _data(as_compras.execute(up, {"c": content}), "uploadStoredFile")
    assert _data(as_compras.execute(up, {"c": content}), "uploadStoredFile") == first
    assert first["size"] == 9
    assert error_codes(as_compras.execute(up, {"c": "no base64!"})) == ["VALIDATION"]
    exp = _data(as_compras.execute("""mutation($a: ID!, $f: ID!) { createExpense(input: {
        description: "Taxi", amount: "10", expenseAccountId: $a, paymentMethod: "CASH",
        date: "2025-03-14", receiptFileId: $f}) { id total receiptFile { sha256 } } }""",
                                   {"a": str(acct("6208").pk), "f": first["id"]}),
                "createExpense")
    assert exp["total"] == "10" and exp["receiptFile"]["sha256"] == first["sha256"]
    moved = _data(as_compras.execute("""mutation($id: ID!) { moveExpense(id: $id,
        action: "issue", idempotencyKey: "e-1") { status number journalEntryId } }""",
                                     {"id": exp["id"]}), "moveExpense")
    assert (moved["status"], moved["number"]) == ("issued", "GAS-2025-000001")


def test_another_company_reaches_nothing(as_demo, as_otra, demo, owner, supplier, papel):
    order = _order(demo, owner, supplier, papel)
    seen = as_otra.execute("query($id: ID!) { purchaseOrder(id: $id) { id } }",
                           {"id": str(order.pk)})
    assert error_codes(seen) == ["NOT_FOUND"]
    before = row_counts()
    recv = as_otra.execute("mutation($o: ID!) { receiveGoods(orderId: $o) { id } }",
                           {"o": str(order.pk)})
    assert error_codes(recv) == ["NOT_FOUND"]
    created = as_otra.execute("""mutation($s: ID!) { createPurchaseOrder(input: {
        supplierId: $s, lines: [{description: "x", quantity: "1", unitPrice: "1"}]})
        { id } }""", {"s": str(supplier.pk)})
    assert error_codes(created) == ["NOT_FOUND"]
    assert row_counts() == before
    listed = as_otra.execute("{ purchaseOrders { totalCount } openPurchaseOrders "
                             "{ orderNumber } }")
    assert listed["data"] == {"purchaseOrders": {"totalCount": 0}, "openPurchaseOrders": []}
