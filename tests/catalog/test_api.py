"""GraphQL: items with unit levels and prices without N+1, mutations, refusals with codes and
nothing written, permissions, cost hidden from Sales, and tenant isolation."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from cuadra.catalog import services
from cuadra.catalog.models import Item, Tax
from cuadra.core.models import AuditLog
from tests.conftest import GraphQLClient, error_codes

CREATE = """
mutation($input: ItemInput!) { createItem(input: $input) {
  id sku cost defaultTax { code rate }
  unitLevels { id code factor factorToBase depth price }
} }"""

ITEMS = """
query($f: ItemFilter, $p: OffsetPaginationInput) { items(filter: $f, pagination: $p) {
  totalCount results { sku name category { name } defaultTax { code }
    unitLevels { code factorToBase price } prices { priceList { code } minQuantity price } }
} }"""

RESOLVE = """
query($i: ID!, $u: ID!, $q: Decimal!, $d: Date!, $c: ID, $l: ID) {
  resolvePrice(itemId: $i, unitId: $u, quantity: $q, date: $d, clientId: $c, priceListId: $l) {
    unitPrice taxInclusive discountPercent netUnitPrice rule discountRule
    taxes { code rate } lineBase lineTax lineTotal currency
} }"""


def _create(client, sku="GAL-1", **extra):
    tax = Tax.objects.get(company__code=client.company, code="01")
    variables = {"input": {"sku": sku, "name": "Galletas", "defaultTaxId": str(tax.pk),
                           "basePrice": "1.25", "cost": "0.80",
                           "units": [{"code": "paq", "factor": "6"},
                                     {"code": "caja", "factor": "4", "price": "28.00"}],
                           **extra}}
    return client.execute(CREATE, variables)


def test_create_item_with_levels(as_demo, demo):
    result = _create(as_demo)
    assert "errors" not in result, result
    item = result["data"]["createItem"]
    assert item["defaultTax"] == {"code": "01", "rate": "0.07"}
    assert item["cost"] == "0.8"
    assert [(u["code"], u["factor"], u["factorToBase"], u["depth"], u["price"])
            for u in item["unitLevels"]] == [("und", "1", "1", 1, "1.25"),
                                             ("paq", "6", "6", 2, None),
                                             ("caja", "4", "24", 3, "28")]


def test_refusal_lists_fields_and_writes_nothing_but_the_audit_row(as_demo, demo, counts):
    _create(as_demo)
    before = counts()
    result = _create(as_demo, units=[{"code": "paq", "factor": "0"}], kind="thing")
    assert error_codes(result) == ["VALIDATION"]
    fields = {e["field"] for e in result["errors"][0]["extensions"]["errors"]}
    assert fields == {"sku", "kind", "units[0].factor"}
    assert counts() == before
    assert AuditLog.objects.filter(company_id=demo.pk, operation="createItem",
                                   error_code="VALIDATION").exists()


def test_items_list_has_no_n_plus_1(as_demo, demo, owner):
    plist = services.price_list_create(company=demo, actor=owner, code="DET")
    cat = services.category_create(company=demo, actor=owner, name="Snacks")

    def add(n):
        for i in range(n):
            item = services.item_create(company=demo, actor=owner, sku=f"Q{n}-{i}", name="Q",
                                        category=cat, base_price="1",
                                        units=[{"code": "paq", "factor": 6},
                                               {"code": "caja", "factor": 4}])
            services.price_list_item_set(company=demo, actor=owner, price_list=plist,
                                         item=item, unit=item.units.get(code="caja"),
                                         price="20", min_quantity="5")

    def run():
        with CaptureQueriesContext(connection) as ctx:
            result = as_demo.execute(ITEMS, {"p": {"limit": 100}})
        assert "errors" not in result, result
        return len(ctx.captured_queries), result["data"]["items"]

    add(2)
    run()  # the first request of a token also stamps its last use
    few, data = run()
    assert data["totalCount"] == 2
    add(10)
    many, data = run()
    assert data["totalCount"] == 12
    assert many == few
    first = data["results"][0]
    assert [u["factorToBase"] for u in first["unitLevels"]] == ["1", "6", "24"]
    assert first["prices"] == [{"priceList": {"code": "DET"}, "minQuantity": "5",
                                "price": "20"}]


def test_items_filter_and_pagination(as_demo):
    for sku in ("A-1", "A-2", "B-1"):
        _create(as_demo, sku=sku, name=f"Item {sku}")
    data = as_demo.execute(ITEMS, {"f": {"search": "A-"}, "p": {"offset": 1, "limit": 1}})
    page = data["data"]["items"]
    assert page["totalCount"] == 2
    assert [r["sku"] for r in page["results"]] == ["A-2"]


def test_resolve_price_over_graphql(as_demo, demo, owner):
    item = Item.objects.get(pk=_create(as_demo)["data"]["createItem"]["id"])
    cat = services.category_create(company=demo, actor=owner, name="Cat")
    services.item_update(company=demo, actor=owner, item=item, category=cat)
    result = as_demo.execute("""mutation($c: ID!, $cat: ID!) {
        setClientPrice(clientId: $c, categoryId: $cat, discountPercent: "10") { id } }""",
                             {"c": "77", "cat": str(cat.pk)})
    assert "errors" not in result, result
    box = item.units.get(code="caja")
    result = as_demo.execute(RESOLVE, {"i": str(item.pk), "u": str(box.pk), "q": "2",
                                       "d": "2026-03-01", "c": "77"})
    assert result["data"]["resolvePrice"] == {
        "unitPrice": "28", "taxInclusive": False, "discountPercent": "10",
        "netUnitPrice": "25.2", "rule": "unit_price", "discountRule": "client_category",
        "taxes": [{"code": "01", "rate": "0.07"}], "lineBase": "50.4", "lineTax": "3.53",
        "lineTotal": "53.93", "currency": "USD"}
    pack = item.units.get(code="paq")
    result = as_demo.execute(RESOLVE, {"i": str(item.pk), "u": str(pack.pk), "q": "1.5",
                                       "d": "2026-03-01"})
    assert result["data"]["resolvePrice"]["unitPrice"] == "7.5"
    assert result["data"]["resolvePrice"]["rule"] == "derived"


def test_price_lists_set_item_price_and_taxes(as_demo, demo):
    item = _create(as_demo)["data"]["createItem"]
    pack = next(u for u in item["unitLevels"] if u["code"] == "paq")
    result = as_demo.execute("""mutation($i: ID!, $u: ID!) {
        setItemPrice(itemId: $i, unitId: $u, price: "7.10") { code price } }""",
                             {"i": item["id"], "u": pack["id"]})
    assert result["data"]["setItemPrice"] == {"code": "paq", "price": "7.1"}
    result = as_demo.execute("""mutation { createPriceList(input: {code: "MAYOR",
        name: "Mayoreo", validFrom: "2026-01-01"}) { id code currency taxInclusive } }""")
    plist = result["data"]["createPriceList"]
    assert plist["currency"] == "USD"
    result = as_demo.execute("""mutation($l: ID!, $i: ID!, $u: ID!) {
        setPriceListItem(priceListId: $l, itemId: $i, unitId: $u, price: "6.90",
                         minQuantity: "10") { price minQuantity } }""",
                             {"l": plist["id"], "i": item["id"], "u": pack["id"]})
    assert result["data"]["setPriceListItem"] == {"price": "6.9", "minQuantity": "10"}
    result = as_demo.execute(RESOLVE, {"i": item["id"], "u": pack["id"], "q": "10",
                                       "d": "2026-03-01", "l": plist["id"]})
    assert result["data"]["resolvePrice"]["unitPrice"] == "6.9"
    result = as_demo.execute("""mutation { createTax(code: "ISC", name: "ISC",
        rate: "0.325", kind: "OTHER") { code rate } }""")
    assert result["data"]["createTax"] == {"code": "ISC", "rate": "0.325"}
    codes = [t["code"] for t in as_demo.execute("{ taxes { code } }")["data"]["taxes"]]
    assert codes == ["00", "01", "02", "03", "ISC"]
    result = as_demo.execute("""mutation { createCategory(name: "Bebidas") { name } }""")
    assert as_demo.execute("{ categories { name } }")["data"]["categories"] == [
        {"name": "Bebidas"}]


def test_update_item_and_unit_level(as_demo):
    item = _create(as_demo)["data"]["createItem"]
    result = as_demo.execute("""mutation($id: ID!) { updateItem(id: $id,
        input: {name: "Galletas de soda", defaultTaxId: null}) { name defaultTax { code } } }""",
                             {"id": item["id"]})
    assert result["data"]["updateItem"] == {"name": "Galletas de soda", "defaultTax": None}
    pack = next(u for u in item["unitLevels"] if u["code"] == "paq")
    result = as_demo.execute("""mutation($id: ID!) {
        updateUnitLevel(id: $id, factor: "12") { factorToBase } }""", {"id": pack["id"]})
    assert result["data"]["updateUnitLevel"] == {"factorToBase": "12"}
    result = as_demo.execute("""query($id: ID!) { item(id: $id) {
        unitLevels { code factorToBase } } }""", {"id": item["id"]})
    assert [u["factorToBase"] for u in result["data"]["item"]["unitLevels"]] == [
        "1", "12", "48"]


def test_sales_sees_prices_but_not_costs_and_cannot_write(as_demo, platform):
    item = _create(as_demo)["data"]["createItem"]
    ventas = GraphQLClient().login("ventas", company="DEMO")
    result = ventas.execute("""query($id: ID!) { item(id: $id) { sku cost
        unitLevels { price } } }""", {"id": item["id"]})
    assert result["data"]["item"]["cost"] is None
    assert result["data"]["item"]["unitLevels"][0]["price"] == "1.25"
    contador = GraphQLClient().login("contador", company="DEMO")
    result = contador.execute("""query($id: ID!) { item(id: $id) { cost } }""",
                              {"id": item["id"]})
    assert result["data"]["item"]["cost"] == "0.8"
    assert error_codes(_create(ventas, sku="NOPE")) == ["PERMISSION_DENIED"]
    assert not Item.objects.filter(sku="NOPE").exists()


def test_tenant_isolation(as_demo, as_otra, otra):
    item = _create(as_demo)["data"]["createItem"]
    unit_id = item["unitLevels"][0]["id"]
    assert error_codes(as_otra.execute("query($id: ID!) { item(id: $id) { sku } }",
                                       {"id": item["id"]})) == ["NOT_FOUND"]
    assert as_otra.execute(ITEMS)["data"]["items"]["totalCount"] == 0
    result = as_otra.execute(RESOLVE, {"i": item["id"], "u": unit_id, "q": "1",
                                       "d": "2026-01-01"})
    assert error_codes(result) == ["NOT_FOUND"]
    # OTRA cannot hang its price on DEMO's item, nor file one under DEMO's tax
    result = as_otra.execute("""mutation($i: ID!) {
        setClientPrice(clientId: "1", itemId: $i, price: "1") { id } }""", {"i": item["id"]})
    assert error_codes(result) == ["VALIDATION"]
    demo_tax = item["defaultTax"]
    assert demo_tax["code"] == "01"
    otra_taxes = as_otra.execute("{ taxes { id } }")["data"]["taxes"]
    demo_tax_ids = {str(t.pk) for t in Tax.objects.filter(company__code="DEMO")}
    assert not {t["id"] for t in otra_taxes} & demo_tax_ids
    assert _create(as_otra)["data"]["createItem"]["sku"] == "GAL-1"  # SKUs are per company
    assert Item.objects.filter(company=otra).count() == 1
