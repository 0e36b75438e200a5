"""Sales by item, client and salesperson: issued invoices less issued credit notes, voided
and draft documents excluded, exact sums, base-unit quantities, cost hidden from Sales."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.contrib.auth import get_user_model
from openpyxl import load_workbook

from cuadra.catalog import services as catalog
from cuadra.catalog.models import ItemUnit
from cuadra.contacts import services as contacts
from cuadra.core.errors import ValidationError
from cuadra.sales import services
from cuadra.sales.reports import (
    sales_by_client_get,
    sales_by_item_get,
    sales_by_salesperson_get,
    sales_report_export,
)
from cuadra.tenancy.models import Branch
from tests.sales.conftest import D, opening_stock

MARCH_1, MARCH_31 = dt.date(2025, 3, 1), dt.date(2025, 3, 31)


def _invoice(demo, owner, client, date, lines, issue=True, **extra):
    invoice = services.sales_invoice_create(company=demo, actor=owner, client=client,
                                            date=date, lines=lines, **extra)
    if issue:
        services.sales_invoice_issue(company=demo, actor=owner, invoice=invoice)
    invoice.refresh_from_db()
    return invoice


@pytest.fixture
def cajita(demo, owner, itbms7):
    item = catalog.item_create(company=demo, actor=owner, sku="T-CAJ", name="Cajita",
                               default_tax=itbms7, base_price="1.25", cost="0.80",
                               units=[{"code": "caja", "name": "Caja", "factor": "12",
                                       "price": "14"}])
    opening_stock(demo, owner, [(item, 1000, "0.80")])
    return item


@pytest.fixture
def sales(demo, owner, client, cajita, ron):
    """See the module docstring; the expected figures are worked out in the tests."""
    caja = ItemUnit.objects.get(item=cajita, code="caja")
    ana = contacts.salesperson_create(company=demo, actor=owner, code="S-ANA", name="Ana")
    buyer = contacts.client_create(company=demo, actor=owner, code="C-B",
                                   legal_name="Comercial B", salesperson=ana)
    colon = Branch.objects.create(company=demo, code="0002", name="Colón")
    _invoice(demo, owner, buyer, dt.date(2025, 2, 28),
             [{"item": cajita, "quantity": "1"}])                       # before the range
    inv1 = _invoice(demo, owner, client, dt.date(2025, 3, 5), [
        {"item": cajita, "unit": caja, "quantity": "2"},
        {"item": cajita, "quantity": "5"},
        {"description": "Flete", "quantity": "1", "unit_price": "10", "tax": None}])
    inv2 = _invoice(demo, owner, buyer, dt.date(2025, 3, 10), [
        {"item": ron, "quantity": "3"}, {"item": cajita, "unit": caja, "quantity": "1"}])
    note = services.sales_credit_note_create(
        company=demo, actor=owner, invoice=inv2, reason="Devolución", date=dt.date(2025, 3, 12),
        lines=[{"line_id": inv2.lines.get(line_no=1).pk, "quantity": "1"}])
    services.sales_document_transition(company=demo, actor=owner, document=note,
                                       action="issue")
    voided = _invoice(demo, owner, client, dt.date(2025, 3, 15),
                      [{"item": ron, "quantity": "10"}])
    services.sales_document_void(company=demo, actor=owner, document=voided, reason="error")
    _invoice(demo, owner, client, dt.date(2025, 3, 20), [{"item": ron, "quantity": "4"}],
             issue=False)                                                 # a draft
    _invoice(demo, owner, client, dt.date(2025, 3, 25), [{"item": cajita, "quantity": "1"}],
             branch=colon)
    _invoice(demo, owner, buyer, dt.date(2025, 4, 2),
             [{"item": ron, "quantity": "1"}])                             # after the range
    return {"inv1": inv1, "inv2": inv2, "note": note, "ana": ana, "buyer": buyer,
            "colon": colon}


def _rows(report, *fields):
    return [tuple(getattr(r, f) for f in fields) for r in report.rows]


def test_sales_by_item(demo, sales, cajita, ron):
    report = sales_by_item_get(company=demo, date_from=MARCH_1, date_to=MARCH_31)
    assert _rows(report, "key", "name", "currency", "quantity", "net", "tax", "total",
                 "invoice_count", "credit_note_count") == [
        # 2 boxes of 12 + 5 + 1 box + 1 = 42 units; 28.00 + 6.25 + 14.00 + 1.25
        ("T-CAJ", "Cajita", "USD", D("42"), D("49.50"), D("3.47"), D("52.97"), 3, 0),
        # 3 - 1 credited; 38.97 - 12.99, 3.90 - 1.30
        ("T-RON", "Ron", "USD", D("2"), D("25.98"), D("2.60"), D("28.58"), 1, 1),
        ("", "", "USD", None, D("10.00"), D("0"), D("10.00"), 1, 0),
    ]
    assert report.rows[0].id == cajita.pk and report.rows[2].id is None
    # standard cost: 42 x 0.80; margin 49.50 - 33.60; an item without cost shows none
    assert _rows(report, "cost", "margin") == [(D("33.60"), D("15.90")), (None, None),
                                               (None, None)]
    assert report.totals() == {"USD": {"net": D("85.48"), "tax": D("6.07"),
                                       "total": D("91.55")}}


def test_sales_by_client(demo, sales, client):
    report = sales_by_client_get(company=demo, date_from=MARCH_1, date_to=MARCH_31)
    assert _rows(report, "key", "name", "net", "tax", "total", "invoice_count",
                 "credit_note_count") == [
        ("C-T1", "Cliente Prueba", D("45.50"), D("2.49"), D("47.99"), 2, 0),
        ("C-B", "Comercial B", D("39.98"), D("3.58"), D("43.56"), 1, 1),
    ]
    assert report.rows[0].id == client.pk and report.rows[0].quantity is None


def test_sales_by_salesperson(demo, sales):
    report = sales_by_salesperson_get(company=demo, date_from=MARCH_1, date_to=MARCH_31)
    assert _rows(report, "id", "key", "name", "total", "invoice_count",
                 "credit_note_count") == [
        (None, "", "", D("47.99"), 2, 0),
        (sales["ana"].pk, "S-ANA", "Ana", D("43.56"), 1, 1),
    ]


def test_branch_filter(demo, sales):
    branch = sales["colon"].pk
    by_client = sales_by_client_get(company=demo, date_from=MARCH_1, date_to=MARCH_31,
                                    branch_id=branch)
    assert _rows(by_client, "key", "net", "tax", "total", "invoice_count") == [
        ("C-T1", D("1.25"), D("0.09"), D("1.34"), 1)]
    by_item = sales_by_item_get(company=demo, date_from=MARCH_1, date_to=MARCH_31,
                                branch_id=str(branch))
    assert _rows(by_item, "key", "quantity", "total") == [("T-CAJ", D("1"), D("1.34"))]


def test_the_whole_year_adds_the_documents_outside_march(demo, sales):
    report = sales_by_client_get(company=demo, date_from=dt.date(2025, 1, 1),
                                 date_to=dt.date(2025, 12, 31))
    # Feb: 1.25 + 0.09 = 1.34 and Apr: 12.99 + 1.30 = 14.29 for C-B
    assert _rows(report, "key", "total", "invoice_count") == [
        ("C-B", D("59.19"), 3), ("C-T1", D("47.99"), 2)]


def test_cost_and_margin_are_hidden_from_the_sales_role(demo, sales):
    ventas = get_user_model().objects.get(username="ventas")
    contador = get_user_model().objects.get(username="contador")
    hidden = sales_by_item_get(company=demo, date_from=MARCH_1, date_to=MARCH_31,
                               user=ventas)
    assert hidden.show_cost is False
    assert _rows(hidden, "cost", "margin") == [(None, None)] * 3
    shown = sales_by_item_get(company=demo, date_from=MARCH_1, date_to=MARCH_31,
                              user=contador)
    assert shown.show_cost is True and shown.rows[0].cost == D("33.60")


def test_other_companies_see_nothing(otra, sales):
    for get in (sales_by_item_get, sales_by_client_get, sales_by_salesperson_get):
        assert get(company=otra, date_from=MARCH_1, date_to=MARCH_31).rows == []


def test_refusals(demo, otra, sales):
    with pytest.raises(ValidationError) as exc:
        sales_by_client_get(company=demo, date_from=MARCH_31, date_to=MARCH_1)
    assert exc.value.errors[0].field == "dateFrom"
    other_branch = Branch.objects.create(company=otra, code="0009", name="Ajena")
    with pytest.raises(ValidationError) as exc:
        sales_by_item_get(company=demo, date_from=MARCH_1, date_to=MARCH_31,
                          branch_id=other_branch.pk)
    assert exc.value.errors[0].field == "branchId"
    with pytest.raises(ValidationError):
        sales_report_export(company=demo, kind="item", date_from=MARCH_1, date_to=MARCH_31,
                            fmt="pdf")
    with pytest.raises(ValidationError):
        sales_report_export(company=demo, kind="nope", date_from=MARCH_1, date_to=MARCH_31,
                            fmt="csv")


def test_csv_export(demo, sales):
    ventas = get_user_model().objects.get(username="ventas")
    name, content_type, chunks = sales_report_export(
        company=demo, kind="item", date_from=MARCH_1, date_to=MARCH_31, fmt="csv", user=ventas)
    assert name == "sales_by_item_DEMO_2025-03-01_2025-03-31.csv"
    assert content_type.startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(chunks).decode("utf-8-sig"))))
    # the default language is Spanish; no cost or margin for Sales
    assert rows[0] == ["SKU", "Artículo", "Moneda", "Cantidad (unidad base)", "Neto",
                       "Impuesto", "Total", "Facturas", "Notas de crédito"]
    assert rows[1] == ["T-CAJ", "Cajita", "USD", "42", "49.5", "3.47", "52.97", "3", "0"]
    assert rows[3] == ["", "(líneas sin artículo)", "USD", "", "10", "0", "10", "1", "0"]


def test_xlsx_export_has_numeric_money_and_the_cost_for_the_owner(demo, sales, owner):
    _name, _type, chunks = sales_report_export(
        company=demo, kind="item", date_from=MARCH_1, date_to=MARCH_31, fmt="xlsx", user=owner)
    ws = load_workbook(io.BytesIO(b"".join(chunks))).active
    header = [c.value for c in ws[1]]
    assert header[-2:] == ["Costo", "Margen"]
    first = ws[2]
    assert first[0].value == "T-CAJ"
    total, cost = first[6], first[9]
    assert total.data_type == "n" and D(str(total.value)) == D("52.97")
    assert total.number_format == "#,##0.00;-#,##0.00"
    assert D(str(cost.value)) == D("33.60")


def test_salesperson_export(demo, sales):
    _name, _type, chunks = sales_report_export(
        company=demo, kind="salesperson", date_from=MARCH_1, date_to=MARCH_31, fmt="csv")
    rows = list(csv.reader(io.StringIO(b"".join(chunks).decode("utf-8-sig"))))
    assert [[*r[:2], r[5]] for r in rows[1:]] == [["", "(sin vendedor)", "47.99"],
                                                   ["S-ANA", "Ana", "43.56"]]


# --- GraphQL -------------------------------------------------------------------------------

SALES_BY_ITEM = """query($from: Date!, $to: Date!, $branch: ID) {
  salesByItem(dateFrom: $from, dateTo: $to, branchId: $branch) {
    dateFrom dateTo branchId showCost
    rows { id key name currency quantity net tax total invoiceCount creditNoteCount cost margin }
    totals { currency net tax total } } }"""

BY = """query($from: Date!, $to: Date!) {
  %s(dateFrom: $from, dateTo: $to) { rows { id key name total invoiceCount creditNoteCount } } }"""

MARCH = {"from": "2025-03-01", "to": "2025-03-31"}


def test_api_sales_by_item(as_demo, sales, cajita):
    result = as_demo.execute(SALES_BY_ITEM, MARCH)
    assert "errors" not in result, result
    report = result["data"]["salesByItem"]
    assert report["showCost"] is True and report["branchId"] is None
    assert report["rows"][0] == {
        "id": str(cajita.pk), "key": "T-CAJ", "name": "Cajita", "currency": "USD",
        "quantity": "42", "net": "49.5", "tax": "3.47", "total": "52.97", "invoiceCount": 3,
        "creditNoteCount": 0, "cost": "33.6", "margin": "15.9"}
    assert report["rows"][2]["name"] == "(líneas sin artículo)"
    assert report["rows"][2]["quantity"] is None
    assert report["totals"] == [{"currency": "USD", "net": "85.48", "tax": "6.07",
                                 "total": "91.55"}]


def test_api_sales_by_client_and_salesperson(as_demo, sales):
    by_client = as_demo.execute(BY % "salesByClient", MARCH)["data"]["salesByClient"]
    assert [(r["key"], r["total"], r["invoiceCount"], r["creditNoteCount"])
            for r in by_client["rows"]] == [("C-T1", "47.99", 2, 0), ("C-B", "43.56", 1, 1)]
    by_sp = as_demo.execute(BY % "salesBySalesperson", MARCH)["data"]["salesBySalesperson"]
    assert [(r["id"], r["key"], r["total"]) for r in by_sp["rows"]] == [
        (None, "", "47.99"), (str(sales["ana"].pk), "S-ANA", "43.56")]


def test_api_branch_filter(as_demo, sales):
    result = as_demo.execute(SALES_BY_ITEM, {**MARCH, "branch": str(sales["colon"].pk)})
    assert [(r["key"], r["total"]) for r in result["data"]["salesByItem"]["rows"]] == [
        ("T-CAJ", "1.34")]


def test_api_sales_role_sees_no_cost(gql, sales):
    result = gql.login("ventas", company="DEMO").execute(SALES_BY_ITEM, MARCH)
    report = result["data"]["salesByItem"]
    assert report["showCost"] is False
    assert {(r["cost"], r["margin"]) for r in report["rows"]} == {(None, None)}
    assert report["rows"][0]["total"] == "52.97"


def test_api_refusals(gql, as_otra, as_demo, sales):
    from tests.conftest import error_codes

    bodega = gql.login("bodega", company="DEMO")
    for name in ("salesByItem", "salesByClient", "salesBySalesperson"):
        assert error_codes(bodega.execute(BY % name, MARCH)) == ["PERMISSION_DENIED"]
    # OTRA sees none of DEMO's sales, and cannot name DEMO's branch
    assert as_otra.execute(BY % "salesByClient", MARCH)["data"]["salesByClient"]["rows"] == []
    foreign = as_otra.execute(SALES_BY_ITEM, {**MARCH, "branch": str(sales["colon"].pk)})
    assert error_codes(foreign) == ["VALIDATION"]
    # asking for DEMO's figures with OTRA's token is refused outright
    assert error_codes(as_otra.execute(BY % "salesByClient", MARCH, company="DEMO")) == [
        "PERMISSION_DENIED"]
    backwards = as_demo.execute(BY % "salesByClient", {"from": "2025-03-31", "to": "2025-03-01"})
    assert error_codes(backwards) == ["VALIDATION"]
