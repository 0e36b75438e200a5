"""GraphQL of the registry: the page as JSON, column configs, custom fields, exports;
permissions and tenant isolation; refusals write nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from cuadra.documents.models import ColumnConfig, CustomFieldDefinition, DocumentRecord
from tests.conftest import GraphQLClient, error_codes, row_counts
from tests.documents.registry_helpers import make_record

D = Decimal

PAGE = """query($view: String!, $f: DocumentFiltersInput, $c: [String!], $p: PageInput) {
  documents(view: $view, filters: $f, columns: $c, page: $p) {
    view totalCount pageInfo { offset limit } query
    columns { key label pinned isCustom }
    results { documentType paymentState colour cells }
    totals { currency amount paid count } } }"""


@pytest.fixture
def records(demo, otra):
    make_record(demo, number="F-1", amount=D("100.00"), paid_amount=D("100.00"),
                payment_state="PAID", document_date=dt.date(2025, 1, 5))
    make_record(demo, number="F-2", amount=D("20.50"), payment_state="UNPAID",
                document_date=dt.date(2025, 1, 6), custom={"proyecto": "Canal"})
    make_record(otra, number="X-1", amount=D("5.00"))


def test_documents_page_as_json(records, as_demo):
    result = as_demo.execute(PAGE, {"view": "everything",
                                    "f": {"paymentState": ["PAID", "UNPAID"],
                                          "amountMin": "20"},
                                    "p": {"offset": 0, "limit": 10}})
    assert "errors" not in result, result
    page = result["data"]["documents"]
    assert (page["totalCount"], page["pageInfo"], page["query"]) == (
        2, {"offset": 0, "limit": 10},
        "view=everything&amount_min=20&payment_state=PAID&payment_state=UNPAID")
    assert [c["key"] for c in page["columns"]] == [
        "number", "kind", "date", "party", "company", "amount", "payment_state", "status"]
    assert page["results"] == [
        {"documentType": "SALES_INVOICE", "paymentState": "UNPAID", "colour": "red",
         "cells": ["F-2", "Invoice", "2025-01-06", "Cliente", "DEMO", "20.50", "UNPAID",
                   "issued"]},
        {"documentType": "SALES_INVOICE", "paymentState": "PAID", "colour": "green",
         "cells": ["F-1", "Invoice", "2025-01-05", "Cliente", "DEMO", "100.00", "PAID",
                   "issued"]}]
    assert page["totals"] == [{"currency": "USD", "amount": "120.50", "paid": "100.00",
                               "count": 2}]


def test_other_company_sees_none_of_demo(records, as_otra):
    page = as_otra.execute(PAGE, {"view": "everything", "c": ["number"]})["data"]["documents"]
    assert [r["cells"] for r in page["results"]] == [["X-1"]]


def test_column_config_round_trip_and_publish(records, as_demo):
    assert "errors" not in as_demo.execute(
        """mutation { createCustomFieldDefinition(key: "proyecto", label: "Proyecto",
           fieldType: "text") { key } }""")
    saved = as_demo.execute(
        """mutation($c: [ColumnInput!]!) { saveDocumentColumnConfig(view: "moved",
           columns: $c) { key label pinned isCustom } }""",
        {"c": [{"key": "cf:proyecto", "label": "Obra"}, {"key": "number", "pinned": True}]})
    assert saved["data"]["saveDocumentColumnConfig"] == [
        {"key": "number", "label": "Número", "pinned": True, "isCustom": False},
        {"key": "cf:proyecto", "label": "Obra", "pinned": False, "isCustom": True}]
    got = as_demo.execute('{ documentColumnConfig(view: "moved") { key } }')
    assert [c["key"] for c in got["data"]["documentColumnConfig"]] == ["number", "cf:proyecto"]
    reset = as_demo.execute('mutation { resetDocumentColumnConfig(view: "moved") { key } }')
    assert reset["data"]["resetDocumentColumnConfig"][0]["key"] == "number"
    assert ColumnConfig.objects.count() == 0
    published = as_demo.execute(
        """mutation { publishDocumentColumnConfig(view: "moved",
           columns: [{key: "party"}]) { key } }""")
    assert published["data"]["publishDocumentColumnConfig"] == [{"key": "party"}]
    page = as_demo.execute(PAGE, {"view": "everything", "c": ["number", "cf:proyecto"]})
    assert [r["cells"] for r in page["data"]["documents"]["results"]] == [
        ["F-2", "Canal"], ["F-1", ""]]


def test_sales_may_not_publish_or_define_fields_and_nothing_is_written(records):
    ventas = GraphQLClient().login("ventas", company="DEMO")
    before = row_counts()
    result = ventas.execute("""mutation { publishDocumentColumnConfig(view: "moved",
                               columns: [{key: "party"}]) { key } }""")
    assert error_codes(result) == ["PERMISSION_DENIED"]
    result = ventas.execute("""mutation { createCustomFieldDefinition(key: "x", label: "X",
                               fieldType: "text") { key } }""")
    assert error_codes(result) == ["PERMISSION_DENIED"]
    assert row_counts() == before


def test_bad_config_is_refused_with_its_field(records, as_demo):
    before = row_counts()
    result = as_demo.execute("""mutation { saveDocumentColumnConfig(view: "everything",
                                columns: [{key: "nope"}]) { key } }""")
    assert error_codes(result) == ["VALIDATION"]
    assert row_counts() == before


def test_set_custom_fields_and_export_url(records, as_demo, demo):
    CustomFieldDefinition.objects.create(company=demo, key="costo", label="Costo",
                                         field_type="money")
    rec_id = DocumentRecord.objects.get(number="F-1").pk
    result = as_demo.execute("""mutation($id: ID!, $v: JSON!) {
        setDocumentCustomFields(documentId: $id, values: $v) { custom } }""",
                             {"id": str(rec_id), "v": {"costo": "12.3400"}})
    assert result["data"]["setDocumentCustomFields"]["custom"] == {"costo": "12.3400"}
    before = row_counts()
    result = as_demo.execute("""mutation($id: ID!, $v: JSON!) {
        setDocumentCustomFields(documentId: $id, values: $v) { custom } }""",
                             {"id": str(rec_id), "v": {"costo": 1.5}})
    assert error_codes(result) == ["VALIDATION"]
    assert row_counts() == before
    result = as_demo.execute("""mutation { exportDocuments(fileFormat: "xlsx",
        filters: {paymentState: ["PAID"]}, columns: ["number", "amount"]) {
        url job { id } } }""")
    assert result["data"]["exportDocuments"] == {
        "url": "/documents/export.xlsx?view=everything&payment_state=PAID"
               "&columns=number%2Camount", "job": None}


def test_large_export_returns_a_job(records, as_demo, settings, tmp_path,
                                    django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    settings.CUADRA_EXPORT_SYNC_MAX_ROWS = 1
    with django_capture_on_commit_callbacks(execute=True):
        result = as_demo.execute("""mutation { exportDocuments(fileFormat: "csv") {
            url job { id state totalRows rowsDone downloadUrl } } }""")
    job = result["data"]["exportDocuments"]["job"]
    assert result["data"]["exportDocuments"]["url"] is None
    assert (job["totalRows"], job["state"]) == (2, "QUEUED")
    polled = as_demo.execute("query($id: ID!) { documentExportJob(jobId: $id) { state "
                             "rowsDone downloadUrl } }", {"id": job["id"]})
    assert polled["data"]["documentExportJob"] == {
        "state": "DONE", "rowsDone": 2,
        "downloadUrl": f"/documents/exports/{job['id']}/download"}


def test_the_count_is_only_made_when_the_client_asks_for_it(records, as_demo, monkeypatch):
    from cuadra.documents import registry_selectors

    query = """query($p: PageInput) { documents(view: "everything", page: $p) {
      %s results { cells } pageInfo { hasNextPage } } }"""
    asked = as_demo.execute(query % "totalCount countCapped", {"p": {"limit": 1}})
    assert asked["data"]["documents"]["totalCount"] == 2
    assert asked["data"]["documents"]["pageInfo"] == {"hasNextPage": True}

    def no_count(qs):
        raise AssertionError("counted although no total was asked for")

    monkeypatch.setattr(registry_selectors, "_capped_count", no_count)
    rows = as_demo.execute(query % "", {"p": {"limit": 1}})
    assert "errors" not in rows, rows
    assert rows["data"]["documents"]["pageInfo"] == {"hasNextPage": True}
