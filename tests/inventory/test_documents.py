"""Inventory documents through the lifecycle: storage in/out, spoilage, transfers (four
transactions), counts (entered and imported), each numbered and posted; the valuation
equals the INVENTORY accounts after every step."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest

from cuadra.core.errors import InvalidTransition
from cuadra.inventory import documents as docs
from cuadra.inventory import selectors, services
from cuadra.inventory.enums import AdjustmentKind, ProcessStatus
from cuadra.ledger.models import Account
from tests.inventory.conftest import DAY

D = Decimal


def _verify(company):
    result = selectors.inventory_verify(company=company)
    assert result.problems == []
    return selectors.valuation_total(company=company)


def _entry(entry):
    return sorted((li.account.role, li.debit, li.credit)
                  for li in entry.lines.select_related("account"))


def _adjust(company, owner, kind, warehouse, lines, date=DAY):
    doc = docs.stock_adjustment_create(company=company, actor=owner, kind=kind,
                                       warehouse=warehouse, date=date, lines=lines,
                                       employee="Ana Bodega")
    return docs.document_move(company=company, actor=owner, document=doc, action="issue")


@pytest.fixture
def stocked(demo, owner, principal, jugo, caja):
    """10 boxes of 12 at 10.00 a box, by a storage in."""
    return _adjust(demo, owner, AdjustmentKind.STORAGE_IN, principal,
                   [{"item": jugo, "unit": caja, "quantity": D(10), "unit_cost": D("10.00")}])


def test_storage_in_is_numbered_and_posted(demo, owner, stocked):
    assert (stocked.status, stocked.employee, stocked.approved_by) == ("issued", "Ana Bodega",
                                                                        owner)
    assert stocked.number.startswith("AJU-2025-")
    assert stocked.total_cost == D("100.00")
    assert _entry(stocked.journal_entry) == [("INVENTORY", D("100.00"), D(0)),
                                             ("INVENTORY_LOSS", D(0), D("100.00"))]
    assert _verify(demo) == D("100.00")


def test_valuation_equals_inventory_accounts_after_every_step(demo, owner, principal, norte,
                                                              jugo, caja, stocked):
    out = _adjust(demo, owner, AdjustmentKind.STORAGE_OUT, principal,
                  [{"item": jugo, "quantity": D(30)}])
    assert out.total_cost == D("25.00")
    assert _verify(demo) == D("75.00")

    transfer = docs.stock_transfer_create(company=demo, actor=owner, from_warehouse=principal,
                                          to_warehouse=norte, date=DAY,
                                          lines=[{"item": jugo, "unit": caja,
                                                  "quantity": D(2)}])
    transfer = docs.document_move(company=demo, actor=owner, document=transfer,
                                  action="send")
    assert (transfer.status, transfer.expected_cost) == ("in_transit", D("20.00"))
    assert transfer.number.startswith("TRA-2025-")
    assert _entry(transfer.journal_entry) == [("GOODS_IN_TRANSIT", D("20.00"), D(0)),
                                              ("INVENTORY", D(0), D("20.00"))]
    assert _verify(demo) == D("55.00")  # 20.00 sits in transit
    transfer = docs.document_move(company=demo, actor=owner, document=transfer,
                                  action="receive")
    assert (transfer.actual_cost, docs.transfer_cost_difference(transfer)) == (D("20.00"),
                                                                               D(0))
    assert _entry(transfer.receive_entry) == [("GOODS_IN_TRANSIT", D(0), D("20.00")),
                                              ("INVENTORY", D("20.00"), D(0))]
    assert selectors.stock_quantity(company=demo, item=jugo, warehouse=norte) == D(24)
    assert _verify(demo) == D("75.00")
    for action in ("audit", "confirm"):
        transfer = docs.document_move(company=demo, actor=owner, document=transfer,
                                      action=action)
    assert transfer.status == "confirmed"

    count = docs.inventory_count_create(company=demo, actor=owner, warehouse=principal,
                                        date=DAY, lines=[{"item": jugo, "counted": D(60)}])
    count = docs.document_move(company=demo, actor=owner, document=count, action="issue")
    line = count.lines.get()
    assert (line.expected_qty, line.short_qty, line.over_qty) == (D(66), D(6), D(0))
    assert (count.short_value, count.over_value) == (D("5.00"), D(0))
    assert _entry(count.journal_entry) == [("INVENTORY", D(0), D("5.00")),
                                           ("INVENTORY_LOSS", D("5.00"), D(0))]
    assert _verify(demo) == D("70.00")

    spoiled = _adjust(demo, owner, AdjustmentKind.SPOILAGE, norte,
                      [{"item": jugo, "quantity": D(4)}])
    assert _entry(spoiled.journal_entry) == [("INVENTORY", D(0), D("3.33")),
                                             ("INVENTORY_LOSS", D("3.33"), D(0))]
    assert _verify(demo) == D("66.67")


def test_storage_out_beyond_stock_refused_writes_nothing(demo, owner, principal, jugo,
                                                         stocked, counts):
    doc = docs.stock_adjustment_create(company=demo, actor=owner,
                                       kind=AdjustmentKind.STORAGE_OUT, warehouse=principal,
                                       date=DAY, lines=[{"item": jugo, "quantity": D(121)}])
    before = counts()
    with pytest.raises(services.InsufficientStock):
        docs.document_move(company=demo, actor=owner, document=doc, action="issue")
    assert counts() == before
    doc.refresh_from_db()
    assert (doc.status, doc.number) == ("draft", "")


def test_void_reverses_moves_and_entry(demo, owner, principal, jugo, stocked):
    out = _adjust(demo, owner, AdjustmentKind.SPOILAGE, principal,
                  [{"item": jugo, "quantity": D(12)}])
    assert _verify(demo) == D("90.00")
    voided = docs.document_move(company=demo, actor=owner, document=out, action="void",
                                comment="wrong item")
    assert voided.status == "voided" and voided.journal_entry is None
    assert _verify(demo) == D("100.00")


def test_transfer_void_from_transit_puts_goods_back(demo, owner, principal, norte, jugo,
                                                    stocked):
    transfer = docs.stock_transfer_create(company=demo, actor=owner, from_warehouse=principal,
                                          to_warehouse=norte, date=DAY,
                                          lines=[{"item": jugo, "quantity": D(5)}])
    transfer = docs.document_move(company=demo, actor=owner, document=transfer,
                                  action="send")
    docs.document_move(company=demo, actor=owner, document=transfer, action="void")
    assert selectors.stock_quantity(company=demo, item=jugo, warehouse=principal) == D(120)
    assert _verify(demo) == D("100.00")
    with pytest.raises(InvalidTransition):
        docs.document_move(company=demo, actor=owner, document=transfer, action="receive")


def test_transfer_to_same_warehouse_refused(demo, owner, principal, jugo):
    from cuadra.core.errors import ValidationError

    with pytest.raises(ValidationError) as exc:
        docs.stock_transfer_create(company=demo, actor=owner, from_warehouse=principal,
                                   to_warehouse=principal, date=DAY,
                                   lines=[{"item": jugo, "quantity": D(1)}])
    assert exc.value.field == "toWarehouseId"


def test_count_import_csv_and_xlsx(demo, owner, principal, jugo, caja, arroz, stocked):
    count = docs.inventory_count_create(company=demo, actor=owner, warehouse=principal,
                                        date=DAY)
    bad = docs.inventory_count_import(company=demo, actor=owner, count=count,
                                      content=b"sku,counted\nNOPE,1\nT-JUGO,abc\n")
    assert bad.process_status == ProcessStatus.ERROR
    assert bad.process_errors == [{"row": 1, "message": "unknown SKU 'NOPE'"},
                                  {"row": 2, "message": "T-JUGO: bad quantity"}]
    assert not bad.lines.exists()
    good = docs.inventory_count_import(company=demo, actor=owner, count=count,
                                       content=b"sku,counted,unit\nT-JUGO,11,caja\n")
    assert good.process_status == ProcessStatus.FINAL
    assert [(li.item.sku, li.counted, li.unit.code) for li in good.lines.all()] == [
        ("T-JUGO", D(11), "caja")]
    good = docs.document_move(company=demo, actor=owner, document=good, action="issue",
                              idempotency_key="count-1")
    line = good.lines.get()
    assert (line.over_qty, good.over_value) == (D(12), D("10.00"))
    assert _verify(demo) == D("110.00")
    again = docs.document_move(company=demo, actor=owner, document=good, action="issue",
                               idempotency_key="count-1")
    assert again.pk == good.pk and _verify(demo) == D("110.00")

    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["sku", "counted"])
    book.active.append(["T-ARROZ", 0])
    buffer = io.BytesIO()
    book.save(buffer)
    other = docs.inventory_count_create(company=demo, actor=owner, warehouse=principal,
                                        date=DAY + dt.timedelta(days=1))
    other = docs.inventory_count_import(company=demo, actor=owner, count=other,
                                        content=buffer.getvalue(), filename="c.xlsx")
    assert other.process_status == ProcessStatus.FINAL
    assert other.lines.get().item == arroz


def test_counter_account_of_storage_in(demo, owner, principal, jugo):
    bank = Account.objects.filter(company=demo, role="BANK").order_by("code").first()
    doc = docs.stock_adjustment_create(company=demo, actor=owner,
                                       kind=AdjustmentKind.STORAGE_IN, warehouse=principal,
                                       date=DAY, counter_account=bank,
                                       lines=[{"item": jugo, "quantity": D(2),
                                               "unit_cost": D("1.50")}])
    doc = docs.document_move(company=demo, actor=owner, document=doc, action="issue")
    assert _entry(doc.journal_entry) == [("BANK", D(0), D("3.00")),
                                         ("INVENTORY", D("3.00"), D(0))]
