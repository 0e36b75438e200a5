"""GraphQL operations for number series, including their refusals."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from cuadra.core.models import AuditLog
from cuadra.sequences import selectors, services
from cuadra.sequences.models import AutoSequence, IssuedNumber, SequenceCounter
from tests.conftest import GraphQLClient, error_codes

FIELDS = "id documentType prefix padding resetStrategy branchCode enforceChronology currentValue"

CREATE = """mutation($t: DocumentType!, $p: String!, $pad: Int, $r: ResetStrategy, $b: String) {
  createAutoSequence(documentType: $t, prefix: $p, padding: $pad, resetStrategy: $r,
                     branchCode: $b) { @F } }""".replace("@F", FIELDS)
UPDATE = """mutation($id: ID!, $p: String, $pad: Int, $r: ResetStrategy, $c: Boolean) {
  updateAutoSequence(id: $id, prefix: $p, padding: $pad, resetStrategy: $r,
                     enforceChronology: $c) { @F } }""".replace("@F", FIELDS)
DELETE = "mutation($id: ID!) { deleteAutoSequence(id: $id) { ok id } }"
RESET = """mutation($id: ID!, $v: Int, $d: Date) {
  resetAutoSequenceCounter(id: $id, newValue: $v, date: $d) {
    @F counters { periodKey lastValue lastDate } } }""".replace("@F", FIELDS)
LIST = "query($t: DocumentType) { autoSequences(documentType: $t) { @F } }".replace("@F", FIELDS)
ONE = "query($id: ID!) { autoSequence(id: $id) { @F } }".replace("@F", FIELDS)
PREVIEW = """query($t: DocumentType!, $b: String, $d: Date) {
  previewNextNumber(documentType: $t, branchCode: $b, date: $d) }"""


def seq_id(company, document_type, branch_code=""):
    return str(AutoSequence.objects.get(company=company, document_type=document_type,
                                        branch_code=branch_code).pk)


def state():
    return (list(AutoSequence.objects.order_by("pk").values()),
            list(SequenceCounter.objects.order_by("pk").values()), IssuedNumber.objects.count())


def refusals(operation):
    return list(AuditLog.objects.filter(action="refused", operation=operation)
                .values_list("error_code", flat=True))


def issue(company, document_type="INVOICE", date=dt.date(2025, 3, 10)):
    with transaction.atomic():
        return services.sequence_next(company=company, document_type=document_type, date=date)


def test_list_and_get(as_demo, demo):
    result = as_demo.execute(LIST)
    rows = result["data"]["autoSequences"]
    assert len(rows) == 17
    invoice = next(r for r in rows if r["documentType"] == "INVOICE")
    assert invoice == {"id": seq_id(demo, "INVOICE"), "documentType": "INVOICE",
                       "prefix": "FAC-{YYYY}-", "padding": 6, "resetStrategy": "YEARLY",
                       "branchCode": "", "enforceChronology": True, "currentValue": 0}
    only = as_demo.execute(LIST, {"t": "QUOTE"})["data"]["autoSequences"]
    assert [r["prefix"] for r in only] == ["COT-{YYYY}-"]
    one = as_demo.execute(ONE, {"id": invoice["id"]})
    assert one["data"]["autoSequence"] == invoice


def test_create_update_reset_delete(as_demo, demo):
    created = as_demo.execute(CREATE, {"t": "INVOICE", "p": "FB-{YY}{MM}-", "pad": 4,
                                       "r": "MONTHLY", "b": "0000"})
    assert "errors" not in created, created
    new = created["data"]["createAutoSequence"]
    assert {k: new[k] for k in ("documentType", "prefix", "padding", "resetStrategy",
                                "branchCode")} == {
        "documentType": "INVOICE", "prefix": "FB-{YY}{MM}-", "padding": 4,
        "resetStrategy": "MONTHLY", "branchCode": "0000"}
    updated = as_demo.execute(UPDATE, {"id": new["id"], "pad": 5, "c": False})
    assert updated["data"]["updateAutoSequence"]["padding"] == 5
    assert updated["data"]["updateAutoSequence"]["enforceChronology"] is False
    reset = as_demo.execute(RESET, {"id": new["id"], "v": 41, "d": "2025-03-01"})
    assert reset["data"]["resetAutoSequenceCounter"]["counters"] == [
        {"periodKey": "2025-03", "lastValue": 41, "lastDate": None}]
    preview = as_demo.execute(PREVIEW, {"t": "INVOICE", "b": "0000", "d": "2025-03-05"})
    assert preview == {"data": {"previewNextNumber": "FB-2503-00042"}}
    deleted = as_demo.execute(DELETE, {"id": new["id"]})
    assert deleted == {"data": {"deleteAutoSequence": {"ok": True, "id": new["id"]}}}
    assert not AutoSequence.objects.filter(pk=new["id"]).exists()
    ops = set(AuditLog.objects.filter(company_id=demo.pk, object_id=new["id"])
              .values_list("operation", flat=True))
    assert ops == {"auto_sequence_create", "auto_sequence_update",
                   "auto_sequence_counter_reset", "auto_sequence_delete"}


def test_preview_consumes_nothing(as_demo, demo):
    issue(demo)
    before = state()
    for _ in range(2):
        result = as_demo.execute(PREVIEW, {"t": "INVOICE", "d": "2025-12-31"})
        assert result == {"data": {"previewNextNumber": "FAC-2025-000002"}}
    assert state() == before


def test_current_value_shows_the_current_period(as_demo, demo):
    today = selectors.company_today(company=demo)
    issue(demo, date=today)
    rows = as_demo.execute(ONE, {"id": seq_id(demo, "INVOICE")})["data"]["autoSequence"]
    assert rows["currentValue"] == 1


@pytest.mark.parametrize(("variables", "field"), [
    ({"t": "INVOICE", "p": "X-", "r": "YEARLY", "b": "0000"}, "prefix"),
    ({"t": "INVOICE", "p": "X-{YYYY}-", "r": "MONTHLY", "b": "0000"}, "prefix"),
    ({"t": "INVOICE", "p": "X-{YYYY}-", "pad": 0, "b": "0000"}, "padding"),
    ({"t": "INVOICE", "p": "X-{YYYY}-"}, "documentType"),
])
def test_create_validation_writes_nothing(as_demo, variables, field):
    before = state()
    result = as_demo.execute(CREATE, variables)
    assert error_codes(result) == ["VALIDATION"]
    assert result["errors"][0]["extensions"]["field"] == field
    assert result["data"] is None
    assert state() == before
    assert refusals("createAutoSequence") == ["VALIDATION"]


def test_bad_enum_is_a_graphql_error(as_demo):
    result = as_demo.execute('mutation { createAutoSequence(documentType: NOPE, prefix: "X-") '
                             "{ id } }")
    assert error_codes(result) == ["GRAPHQL_VALIDATION"]


def test_sales_role_may_not_create(platform):
    ventas = GraphQLClient().login("ventas", company="DEMO")
    before = state()
    result = ventas.execute(CREATE, {"t": "INVOICE", "p": "V-{YYYY}-", "b": "0000"})
    assert error_codes(result) == ["PERMISSION_DENIED"]
    assert state() == before
    assert refusals("createAutoSequence") == ["PERMISSION_DENIED"]
    assert error_codes(ventas.execute(LIST)) == ["PERMISSION_DENIED"]


def test_accountant_may_view_but_not_reset(platform, demo):
    contador = GraphQLClient().login("contador", company="DEMO")
    assert len(contador.execute(LIST)["data"]["autoSequences"]) == 17
    before = state()
    result = contador.execute(RESET, {"id": seq_id(demo, "INVOICE"), "v": 10})
    assert error_codes(result) == ["PERMISSION_DENIED"]
    assert state() == before


def test_another_companys_series_is_not_found(as_otra, demo):
    other = seq_id(demo, "INVOICE")
    before = state()
    assert error_codes(as_otra.execute(ONE, {"id": other})) == ["NOT_FOUND"]
    for query, variables in ((UPDATE, {"id": other, "pad": 3}), (DELETE, {"id": other}),
                             (RESET, {"id": other, "v": 50})):
        assert error_codes(as_otra.execute(query, variables)) == ["NOT_FOUND"]
    assert state() == before
    ids = {r["id"] for r in as_otra.execute(LIST)["data"]["autoSequences"]}
    assert other not in ids and len(ids) == 17


def test_refusals_over_graphql(as_demo, demo):
    issue(demo), issue(demo)
    invoice = seq_id(demo, "INVOICE")
    before = state()
    back = as_demo.execute(RESET, {"id": invoice, "v": 1, "d": "2025-06-01"})
    assert error_codes(back) == ["VALIDATION"]
    assert back["errors"][0]["extensions"]["field"] == "newValue"
    assert error_codes(as_demo.execute(DELETE, {"id": invoice})) == ["CONFLICT"]
    repeat = as_demo.execute(UPDATE, {"id": invoice, "p": "FAC-"})
    assert error_codes(repeat) == ["VALIDATION"]
    assert state() == before
    assert refusals("resetAutoSequenceCounter") == ["VALIDATION"]
    assert refusals("deleteAutoSequence") == ["CONFLICT"]
