"""Inventory over GraphQL: warehouses, documents through issue, stock on hand, the ledger
and the valuation; refusals carry their code and write nothing; OTRA sees nothing of
DEMO."""

from __future__ import annotations

from tests.conftest import error_codes

CREATE_ADJ = """mutation($input: StockAdjustmentInput!) { createStockAdjustment(input: $input)
  { id status number kind lines { quantity unitCost } } }"""
ISSUE_ADJ = """mutation($id: ID!, $key: String) {
  issueStockAdjustment(id: $id, idempotencyKey: $key) {
    id status number totalCost journalEntryId } }"""


def _adjust(client, warehouse_id, kind, lines, date="2025-03-14"):
    result = client.execute(CREATE_ADJ, {"input": {"kind": kind, "warehouseId": warehouse_id,
                                                   "date": date, "lines": lines}})
    assert "errors" not in result, result
    return result["data"]["createStockAdjustment"]


def _warehouses(client):
    result = client.execute("{ warehouses { totalCount results { id code name } } }")
    return {w["code"]: w for w in result["data"]["warehouses"]["results"]}


def test_warehouses_crud_and_tenancy(as_demo, as_otra):
    assert list(_warehouses(as_demo)) == ["PRINCIPAL"]
    made = as_demo.execute('mutation { createWarehouse(code: "norte", name: "Norte") '
                           "{ id code name isActive } }")["data"]["createWarehouse"]
    assert (made["code"], made["isActive"]) == ("NORTE", True)
    upd = as_demo.execute('mutation($id: ID!) { updateWarehouse(id: $id, name: "Norte 2", '
                          "isActive: false) { name isActive } }", {"id": made["id"]})
    assert upd["data"]["updateWarehouse"] == {"name": "Norte 2", "isActive": False}
    dup = as_demo.execute('mutation { createWarehouse(code: "NORTE", name: "x") { id } }')
    assert error_codes(dup) == ["VALIDATION"]
    assert list(_warehouses(as_otra)) == ["PRINCIPAL"]
    foreign = as_otra.execute("query($id: ID!) { warehouse(id: $id) { id } }",
                              {"id": made["id"]})
    assert error_codes(foreign) == ["NOT_FOUND"]


def test_storage_in_out_stock_on_hand_ledger_valuation(as_demo, demo, counts):
    from cuadra.catalog import services as catalog
    from cuadra.demo.platform import load

    owner = load().owner
    item = catalog.item_create(company=demo, actor=owner, sku="API-1", name="Agua",
                               base_price="1")
    box = catalog.unit_level_create(company=demo, actor=owner, item=item, code="caja",
                                    factor="12")
    wh = _warehouses(as_demo)["PRINCIPAL"]["id"]
    doc = _adjust(as_demo, wh, "storage_in", [{"itemId": str(item.pk), "unitId": str(box.pk),
                                               "quantity": "10", "unitCost": "10.00"}])
    assert doc["status"] == "draft" and doc["number"] == ""
    issued = as_demo.execute(ISSUE_ADJ, {"id": doc["id"], "key": "k-1"})
    issued = issued["data"]["issueStockAdjustment"]
    assert (issued["status"], issued["totalCost"]) == ("issued", "100")
    again = as_demo.execute(ISSUE_ADJ, {"id": doc["id"], "key": "k-1"})
    assert again["data"]["issueStockAdjustment"]["number"] == issued["number"]

    out = _adjust(as_demo, wh, "storage_out", [{"itemId": str(item.pk), "quantity": "200"}])
    before = counts()
    refused = as_demo.execute(ISSUE_ADJ, {"id": out["id"]})
    assert error_codes(refused) == ["INSUFFICIENT_STOCK"]
    assert refused["errors"][0]["extensions"]["field"] == "quantity"
    assert counts() == before

    out = _adjust(as_demo, wh, "storage_out", [{"itemId": str(item.pk), "quantity": "30"}])
    assert "errors" not in as_demo.execute(ISSUE_ADJ, {"id": out["id"]})
    stock = as_demo.execute("query($i: ID) { stockOnHand(itemId: $i) "
                            "{ quantity value stale warehouseId } }", {"i": str(item.pk)})
    assert stock["data"]["stockOnHand"] == [{"quantity": "90", "value": "75",
                                             "stale": False, "warehouseId": wh}]
    ledger = as_demo.execute("query($i: ID!, $w: ID!) { inventoryLedger(itemId: $i, "
                             "warehouseId: $w) { runningQuantity runningValue "
                             "move { kind quantity value } } }",
                             {"i": str(item.pk), "w": wh})["data"]["inventoryLedger"]
    assert [(r["move"]["kind"], r["runningQuantity"], r["runningValue"]) for r in ledger] == [
        ("receipt", "120", "100"), ("issue", "90", "75")]
    val = as_demo.execute("{ inventoryValuation { total inventoryAccounts stale } }")
    assert val["data"]["inventoryValuation"] == {"total": "75",
                                                 "inventoryAccounts": "75",
                                                 "stale": False}


def test_float_quantity_refused(as_demo):
    wh = _warehouses(as_demo)["PRINCIPAL"]["id"]
    result = as_demo.execute(CREATE_ADJ, {"input": {
        "kind": "storage_out", "warehouseId": wh, "date": "2025-03-14",
        "lines": [{"itemId": "1", "quantity": 1.5}]}})
    assert error_codes(result) == ["GRAPHQL_VALIDATION"]


def test_count_import_and_transfer_over_graphql(as_demo, demo):
    from cuadra.catalog import services as catalog
    from cuadra.demo.platform import load

    owner = load().owner
    item = catalog.item_create(company=demo, actor=owner, sku="API-2", name="Sal",
                               base_price="1")
    whs = _warehouses(as_demo)
    wh = whs["PRINCIPAL"]["id"]
    doc = _adjust(as_demo, wh, "storage_in", [{"itemId": str(item.pk), "quantity": "10",
                                               "unitCost": "1.00"}])
    as_demo.execute(ISSUE_ADJ, {"id": doc["id"]})
    norte = as_demo.execute('mutation { createWarehouse(code: "N2", name: "N2") { id } }')
    norte = norte["data"]["createWarehouse"]["id"]
    made = as_demo.execute(
        "mutation($input: StockTransferInput!) { createStockTransfer(input: $input) { id } }",
        {"input": {"fromWarehouseId": wh, "toWarehouseId": norte, "date": "2025-03-14",
                   "lines": [{"itemId": str(item.pk), "quantity": "4"}]}})
    tid = made["data"]["createStockTransfer"]["id"]
    for action in ("send", "receive"):
        moved = as_demo.execute("mutation($id: ID!, $a: String!) { moveStockTransfer(id: $id, "
                                "action: $a) { status expectedCost actualCost costDifference } }",
                                {"id": tid, "a": action})
    assert moved["data"]["moveStockTransfer"] == {
        "status": "received", "expectedCost": "4", "actualCost": "4",
        "costDifference": "0"}
    count = as_demo.execute("mutation($input: InventoryCountInput!) { createInventoryCount("
                            "input: $input) { id } }",
                            {"input": {"warehouseId": wh, "date": "2025-03-14"}})
    cid = count["data"]["createInventoryCount"]["id"]
    imported = as_demo.execute("mutation($id: ID!, $c: String!) { importInventoryCount(id: $id, "
                               "content: $c) { processStatus processErrors { row message } "
                               "lines { counted } } }",
                               {"id": cid, "c": "sku,counted\nAPI-2,5\n"})
    assert imported["data"]["importInventoryCount"] == {
        "processStatus": "final", "processErrors": [], "lines": [{"counted": "5"}]}
    issued = as_demo.execute("mutation($id: ID!) { issueInventoryCount(id: $id) "
                             "{ status shortValue lines { shortQty } } }", {"id": cid})
    assert issued["data"]["issueInventoryCount"] == {"status": "issued", "shortValue": "1",
                                                     "lines": [{"shortQty": "1"}]}
    val = as_demo.execute("{ inventoryValuation { total inventoryAccounts } }")
    assert val["data"]["inventoryValuation"] == {"total": "9", "inventoryAccounts": "9"}
