"""Demo inventory: two warehouses, a year of receipts, transfers, one spoilage and one
count, issued once; ``cuadra inventory verify`` holds after it and after the whole demo."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from cuadra.catalog.models import Item
from cuadra.demo import inventory as demo_inventory
from cuadra.inventory.models import (
    InventoryCount,
    RecostJob,
    StockAdjustment,
    StockTransfer,
    Warehouse,
)
from cuadra.inventory.selectors import (
    inventory_accounts_balance,
    inventory_verify,
    stock_quantity,
    valuation_total,
)
from cuadra.ledger.selectors import ledger_verify
from tests.conftest import row_counts

TODAY = dt.date(2026, 11, 21)


def _load(demo, platform) -> int:
    return demo_inventory.load(company=demo, actor=platform.owner, today=TODAY)


def test_a_year_of_warehouse_documents_is_issued_once(demo, platform):
    loaded = _load(demo, platform)
    adjustments = StockAdjustment.objects.filter(company=demo)
    assert set(adjustments.values_list("kind", flat=True)) == {"spoilage", "storage_in"}
    assert adjustments.filter(kind="storage_in").count() == 13
    assert adjustments.filter(kind="spoilage").count() == 1
    transfers = StockTransfer.objects.filter(company=demo)
    assert transfers.count() == 6
    assert set(transfers.values_list("status", flat=True)) == {"confirmed"}
    assert all(t.expected_cost == t.actual_cost > 0 for t in transfers)
    count = InventoryCount.objects.get(company=demo)
    assert count.status == "issued"
    assert [(li.item.sku, li.short_qty, li.over_qty) for li in count.lines.all()] == [
        ("INV-AGUA", Decimal(7), Decimal(0)), ("INV-ACEITE", Decimal(0), Decimal(2))]
    assert loaded == 13 + 6 * 4 + 1 + 1
    assert Warehouse.objects.filter(company=demo).count() == 2
    assert not RecostJob.objects.filter(company=demo).exists()  # nothing was backdated

    agua = Item.objects.get(company=demo, sku="INV-AGUA")
    principal, branch = (Warehouse.objects.get(company=demo, code=c)
                         for c in ("PRINCIPAL", "SUCURSAL"))
    # 13 x 20 boxes of 24 in; 6 x 6 boxes out; 18 spoiled
    assert stock_quantity(company=demo, item=agua, warehouse=principal) == Decimal(
        13 * 20 * 24 - 6 * 6 * 24 - 18)
    assert stock_quantity(company=demo, item=agua, warehouse=branch) == Decimal(
        6 * 6 * 24 - 7)
    assert inventory_verify(company=demo).ok
    assert valuation_total(company=demo) == inventory_accounts_balance(company=demo) > 0
    assert ledger_verify(company=demo).ok

    before = row_counts()
    assert _load(demo, platform) == 0
    assert row_counts() == before
