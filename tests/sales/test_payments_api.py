"""Payments over GraphQL: register with allocations and an idempotency key, invoice payment
fields, fail, refund, unallocate, lists, aging; OTRA reaches nothing of DEMO."""

from __future__ import annotations

import pytest

from cuadra.sales import services
from tests.conftest import error_codes, row_counts
from tests.sales.conftest import DAY

PAYMENT = """id status number method amount unapplied amountAllocated amountRefunded
  journalEntryId reversalEntryId allocations { id invoiceId amount reversed }"""
REGISTER = f"""mutation($in: RegisterPaymentInput!) {{ registerPayment(input: $in) {{
  {PAYMENT} }} }}"""
INVOICE = """query($id: ID!) { salesInvoice(id: $id) { amountPaid amountDue paymentState
  isOverdue(asOf: "2025-05-01") } }"""


@pytest.fixture
def invoice(demo, owner, client, itbms7):
    inv = services.sales_invoice_create(
        company=demo, actor=owner, client=client, date=DAY,
        lines=[{"description": "Servicio", "quantity": "1", "unit_price": "100",
                "tax": itbms7}])
    services.sales_invoice_issue(company=demo, actor=owner, invoice=inv)
    return inv


def _register(gql, client, invoice, amount="80", alloc="50", key="k-1", **extra):
    data = {"clientId": str(client.pk), "amount": amount, "method": "BANK_TRANSFER",
            "date": "2025-03-20", "reference": "TRF-1", "idempotencyKey": key,
            "allocations": [{"invoiceId": str(invoice.pk), "amount": alloc}], **extra}
    return gql.execute(REGISTER, {"in": data})


def test_register_allocate_fail_refund_over_graphql(as_demo, client, invoice):
    result = _register(as_demo, client, invoice)
    p = result["data"]["registerPayment"]
    assert (p["status"], p["number"], p["amount"], p["unapplied"], p["amountAllocated"]) == (
        "SUCCEEDED", "REC-2025-000001", "80", "30", "50")
    assert as_demo.execute(INVOICE, {"id": str(invoice.pk)})["data"]["salesInvoice"] == {
        "amountPaid": "50", "amountDue": "57", "paymentState": "PARTIAL",
        "isOverdue": True}
    before = row_counts()
    again = _register(as_demo, client, invoice)
    assert again["data"]["registerPayment"] == p and row_counts() == before

    over = as_demo.execute("""mutation($id: ID!, $inv: ID!) { allocatePayment(id: $id,
        allocations: [{invoiceId: $inv, amount: "57.01"}]) { id } }""",
                           {"id": p["id"], "inv": str(invoice.pk)})
    assert error_codes(over) == ["VALIDATION"] and row_counts() == before

    refund = as_demo.execute("""mutation($id: ID!) { refundPayment(id: $id, amount: "10",
        date: "2025-03-21", idempotencyKey: "r-1") { unapplied amountRefunded } }""",
                             {"id": p["id"]})
    assert refund["data"]["refundPayment"] == {"unapplied": "20", "amountRefunded": "10"}

    undo = as_demo.execute("""mutation($a: ID!) { unallocatePayment(allocationId: $a,
        date: "2025-03-22") { unapplied allocations { reversed } } }""",
                           {"a": p["allocations"][0]["id"]})
    assert undo["data"]["unallocatePayment"] == {"unapplied": "70",
                                                  "allocations": [{"reversed": True}]}
    refused = as_demo.execute("""mutation($id: ID!) { markPaymentFailed(id: $id,
        reason: "rebotado") { status } }""", {"id": p["id"]})
    assert error_codes(refused) == ["INVALID_TRANSITION"]  # part of it was refunded

    second = _register(as_demo, client, invoice, amount="57", alloc="57", key="k-2")
    sid = second["data"]["registerPayment"]["id"]
    assert as_demo.execute(INVOICE, {"id": str(invoice.pk)})["data"]["salesInvoice"][
        "paymentState"] == "PARTIAL"  # the first allocation was undone
    failed = as_demo.execute("""mutation($id: ID!) { markPaymentFailed(id: $id,
        reason: "rebotado", date: "2025-03-25") { status reversalEntryId unapplied
        allocations { reversed } } }""", {"id": sid})
    body = failed["data"]["markPaymentFailed"]
    assert (body["status"], body["unapplied"], body["allocations"]) == (
        "FAILED", "0", [{"reversed": True}])
    assert body["reversalEntryId"] is not None

    page = as_demo.execute("""{ payments(filters: {status: "FAILED"},
        pagination: {offset: 0, limit: 10}) { totalCount results { id unapplied } } }""")
    assert page["data"]["payments"] == {"totalCount": 1,
                                        "results": [{"id": sid, "unapplied": "0"}]}
    aging = as_demo.execute("""query($c: ID!) { receivablesAging(asOf: "2025-04-30",
        clientId: $c) { totals { current days1To30 days31To60 days61To90 over90 total }
        items { kind amount bucket } } }""", {"c": str(client.pk)})
    report = aging["data"]["receivablesAging"]
    # invoice due 2025-04-13: 17 days late; the first payment (80, refunded 10, its
    # allocation undone) is 41 days old; the failed one no longer counts
    assert report["totals"] == {"current": "0", "days1To30": "107", "days31To60": "-70",
                                "days61To90": "0", "over90": "0", "total": "37"}
    assert [(i["kind"], i["amount"], i["bucket"]) for i in report["items"]] == [
        ("payment", "-70", "days_31_60"), ("invoice", "107", "days_1_30")]


def test_pending_then_succeeded_over_graphql(as_demo, client, invoice):
    result = as_demo.execute(REGISTER, {"in": {
        "clientId": str(client.pk), "amount": "107", "method": "CHEQUE",
        "date": "2025-03-20", "status": "PENDING"}})
    p = result["data"]["registerPayment"]
    assert (p["status"], p["number"], p["journalEntryId"]) == ("PENDING", "", None)
    done = as_demo.execute("""mutation($id: ID!) { markPaymentSucceeded(id: $id) {
        status number } }""", {"id": p["id"]})
    assert done["data"]["markPaymentSucceeded"] == {"status": "SUCCEEDED",
                                                    "number": "REC-2025-000001"}


def test_otra_reaches_no_demo_payment(as_demo, as_otra, client, invoice):
    p = _register(as_demo, client, invoice)["data"]["registerPayment"]
    before = row_counts()
    for query, variables in [
        ("query($id: ID!) { payment(id: $id) { id } }", {"id": p["id"]}),
        ("""mutation($id: ID!) { markPaymentFailed(id: $id, reason: "x") { id } }""",
         {"id": p["id"]}),
        ("""mutation($id: ID!) { refundPayment(id: $id, amount: "1") { id } }""",
         {"id": p["id"]}),
        ("""mutation($a: ID!) { unallocatePayment(allocationId: $a) { id } }""",
         {"a": p["allocations"][0]["id"]}),
        ("""mutation($id: ID!, $inv: ID!) { allocatePayment(id: $id,
            allocations: [{invoiceId: $inv, amount: "1"}]) { id } }""",
         {"id": p["id"], "inv": str(invoice.pk)}),
    ]:
        assert error_codes(as_otra.execute(query, variables)) == ["NOT_FOUND"], query
    foreign = _register(as_otra, client, invoice, key="o-1")
    assert error_codes(foreign) == ["NOT_FOUND"]
    assert as_otra.execute("{ payments { totalCount } }")["data"]["payments"] == {
        "totalCount": 0}
    assert as_otra.execute("""{ receivablesAging(asOf: "2025-04-30") { items { id } } }""")[
        "data"]["receivablesAging"] == {"items": []}
    assert row_counts() == before
