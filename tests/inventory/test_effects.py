"""Inventory effects in the other cycles: sales invoices and cash sales issue FIFO layers
and post cost of sales, voids restore, credit notes return at the issue's cost, five_stage
moves stock only at storage_audit; goods receipts create layers against GRNI, a void is
refused once something was issued from them; a supplier invoice priced differently
revalues the layers (in stock) and cost of sales (issued). After every case the valuation
equals the inventory accounts (``inventory_verify``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from cuadra.catalog import services as catalog
from cuadra.catalog.enums import ItemKind
from cuadra.catalog.models import Tax
from cuadra.contacts import services as contacts
from cuadra.core.errors import DomainError
from cuadra.documents.services import workflow_setting_set
from cuadra.inventory import selectors
from cuadra.inventory.enums import INSUFFICIENT_STOCK, MoveKind
from cuadra.inventory.models import CostLayer, StockMove
from cuadra.ledger.models import JournalEntry, JournalLine
from cuadra.purchasing import services as purchasing
from cuadra.sales import services as sales
from cuadra.sales.enums import InvoiceKind
from tests.conftest import row_counts
from tests.inventory.conftest import DAY
from tests.sales.conftest import opening_stock

D = Decimal
INVENTORY, COGS, GRNI, CAPITAL = "110301", "5101", "210104", "3101"


# --- helpers ---------------------------------------------------------------------------------

def _layers(item):
    return [(la.quantity, la.remaining, la.remaining_value)
            for la in CostLayer.objects.filter(item=item).order_by("date", "id")]


def _balance(company, code: str) -> D:
    lines = JournalLine.objects.filter(company=company, account__code=code)
    return sum((li.debit - li.credit for li in lines), D(0))


def _stock_entries(document, step: str = "cogs"):
    return list(JournalEntry.objects.filter(
        company=document.company, source_type=document.document_type,
        source_id=str(document.pk),
        idempotency_key__startswith=f"{document.document_type}:{document.pk}:{step}:")
        .order_by("pk"))


def _lines(entry):
    return sorted((li.account.code, li.debit, li.credit)
                  for li in entry.lines.select_related("account"))


def _verified(company):
    result = selectors.inventory_verify(company=company)
    assert result.ok, result.problems
    return selectors.valuation_total(company=company)


def _move(doc, action, company, actor, **kw):
    sales.sales_document_transition(company=company, actor=actor, document=doc,
                                    action=action, **kw)
    doc.refresh_from_db()
    return doc


@pytest.fixture
def client(demo, owner):
    return contacts.client_create(company=demo, actor=owner, code="C-EFF",
                                  legal_name="Cliente Efectos", payment_terms_days=30)


@pytest.fixture
def stocked(demo, owner, jugo):
    """jugo: 10 at 1.00 (2 January) and 10 at 1.20 (1 February), against capital."""
    opening_stock(demo, owner, [(jugo, 10, "1.00")])
    opening_stock(demo, owner, [(jugo, 10, "1.20")], date=dt.date(2025, 2, 1))
    return jugo


@pytest.fixture
def flete(demo, owner):
    return catalog.item_create(company=demo, actor=owner, sku="T-FLETE", name="Flete",
                               kind=ItemKind.SERVICE, base_price="10.00")


@pytest.fixture
def invoice_of(demo, owner, client):
    def make(*lines, kind=InvoiceKind.INVOICE, date=DAY):
        return sales.sales_invoice_create(
            company=demo, actor=owner, client=client, date=date, kind=kind,
            lines=[{"item": item, "quantity": str(qty), **extra}
                   for item, qty, *rest in lines for extra in [rest[0] if rest else {}]])
    return make


# --- sales -----------------------------------------------------------------------------------

def test_invoice_issue_consumes_fifo_layers_and_posts_cogs(demo, owner, stocked, flete,
                                                           invoice_of):
    assert _verified(demo) == D("22.00")
    invoice = _move(invoice_of((stocked, 15), (flete, 1)), "issue", demo, owner)
    [out] = StockMove.objects.filter(source_type="SALES_INVOICE", source_id=str(invoice.pk))
    assert (out.kind, out.item, out.quantity, out.value) == (MoveKind.ISSUE, stocked, D(-15),
                                                             D("-16.00"))
    # 10 x 1.00 from the oldest layer, 5 x 1.20 from the next; the service moves nothing
    assert [(c.quantity, c.value) for c in out.consumptions.order_by("layer__date")] == [
        (D(10), D("10.00")), (D(5), D("6.00"))]
    assert _layers(stocked) == [(D(10), D(0), D(0)), (D(10), D(5), D("6.00"))]
    [entry] = _stock_entries(invoice)
    assert _lines(entry) == [(INVENTORY, D(0), D("16.00")), (COGS, D("16.00"), D(0))]
    assert (entry.source_type, entry.journal.kind) == ("SALES_INVOICE", "GENERAL")
    # the accountant finds the cost entry by the invoice's own number
    assert invoice.number and entry.reference == invoice.number
    assert entry.memo == f"Cost of sales {invoice.number} {invoice.client.code}"
    assert _balance(demo, COGS) == D("16.00")
    assert _verified(demo) == D("6.00")


def test_void_restores_the_layers_and_reverses_cogs(demo, owner, stocked, invoice_of):
    invoice = _move(invoice_of((stocked, 15)), "issue", demo, owner)
    [entry] = _stock_entries(invoice)
    sales.sales_document_void(company=demo, actor=owner, document=invoice, reason="error")
    assert _layers(stocked) == [(D(10), D(10), D("10.00")), (D(10), D(10), D("12.00"))]
    assert JournalEntry.objects.filter(reversal_of=entry).exists()
    assert _balance(demo, COGS) == D(0)
    assert selectors.stock_quantity(company=demo, item=stocked,
                                    warehouse=selectors.warehouse_default(company=demo)) == 20
    assert _verified(demo) == D("22.00")


def test_cash_sale_moves_stock_in_the_lines_unit(demo, owner, jugo, caja, invoice_of):
    opening_stock(demo, owner, [(jugo, 36, "0.50")])
    sale = _move(invoice_of((jugo, 2, {"unit": caja}), kind=InvoiceKind.RECEIPT_TAX_INVOICE),
                 "issue", demo, owner)
    [out] = StockMove.objects.filter(source_type="SALES_INVOICE", source_id=str(sale.pk))
    assert (out.quantity, out.value) == (D(-24), D("-12.00"))  # 2 boxes of 12
    assert _lines(_stock_entries(sale)[0]) == [(INVENTORY, D(0), D("12.00")),
                                               (COGS, D("12.00"), D(0))]
    assert _verified(demo) == D("6.00")


def test_credit_note_returns_goods_at_the_cost_of_their_issue(demo, owner, stocked,
                                                              invoice_of):
    invoice = _move(invoice_of((stocked, 15)), "issue", demo, owner)
    note = sales.sales_credit_note_create(
        company=demo, actor=owner, invoice=invoice, reason="devuelto", date=DAY,
        lines=[{"line_id": invoice.lines.get().pk, "quantity": "5"}])
    note = _move(note, "issue", demo, owner)
    [back] = StockMove.objects.filter(source_type="SALES_CREDIT", source_id=str(note.pk))
    # 5 of the 15 that left at 16.00: 5.333... -> 5.33
    assert (back.kind, back.quantity, back.value) == (MoveKind.RECEIPT, D(5), D("5.33"))
    [entry] = _stock_entries(note)
    assert _lines(entry) == [(INVENTORY, D("5.33"), D(0)), (COGS, D(0), D("5.33"))]
    assert _balance(demo, COGS) == D("10.67")
    assert _verified(demo) == D("11.33")
    sales.sales_document_void(company=demo, actor=owner, document=note, reason="mal")
    assert JournalEntry.objects.filter(reversal_of=entry).exists()
    assert _balance(demo, COGS) == D("16.00")
    assert _verified(demo) == D("6.00")


def test_insufficient_stock_refuses_the_issue_and_writes_nothing(demo, owner, stocked,
                                                                 invoice_of):
    invoice = invoice_of((stocked, 21))
    before = row_counts()
    with pytest.raises(DomainError) as exc:
        sales.sales_invoice_issue(company=demo, actor=owner, invoice=invoice,
                                  idempotency_key="no-stock")
    assert (exc.value.code, exc.value.field) == (INSUFFICIENT_STOCK, "lines.0.quantity")
    assert "21 requested, 20 on hand in PRINCIPAL" in exc.value.message
    assert row_counts() == before
    invoice.refresh_from_db()
    assert (invoice.status, invoice.number, invoice.journal_entry_id) == ("draft", "", None)
    assert _verified(demo) == D("22.00")


def test_five_stage_moves_stock_only_at_storage_audit(demo, owner, stocked, invoice_of):
    workflow_setting_set(company=demo, document_type="SALES_INVOICE",
                         workflow_key="five_stage", actor=owner)
    invoice = invoice_of((stocked, 12))
    moves = StockMove.objects.filter(source_type="SALES_INVOICE", source_id=str(invoice.pk))
    for action in ("audit", "confirm"):
        _move(invoice, action, demo, owner)
        assert not moves.exists() and not _stock_entries(invoice)
    _move(invoice, "storage_audit", demo, owner)
    assert [(m.kind, m.value) for m in moves] == [(MoveKind.ISSUE, D("-12.40"))]
    assert invoice.journal_entry_id is None and invoice.number == ""  # ledger: entry_audit
    assert _balance(demo, COGS) == D("12.40")
    # stepping back out of storage_audit puts the goods back and reverses the cost
    _move(invoice, "reverse", demo, owner)
    assert invoice.status == "confirmed"
    assert _layers(stocked) == [(D(10), D(10), D("10.00")), (D(10), D(10), D("12.00"))]
    assert _balance(demo, COGS) == D(0)
    assert _verified(demo) == D("22.00")
    for action in ("storage_audit", "entry_audit"):
        _move(invoice, action, demo, owner)
    assert invoice.number == "FAC-2025-000001" and invoice.journal_entry_id is not None
    assert len(_stock_entries(invoice)) == 2  # the first (reversed) and the live one
    assert _balance(demo, COGS) == D("12.40")
    assert _verified(demo) == D("9.60")


# --- purchasing ------------------------------------------------------------------------------

@pytest.fixture
def supplier(demo, owner):
    return contacts.supplier_create(company=demo, actor=owner, code="P-EFF",
                                    legal_name="Proveedor Efectos", payment_terms_days=30)


@pytest.fixture
def order(demo, owner, supplier, jugo):
    """10 jugos at 8.00 less 5% (7.60 net), ITBMS 7%, issued."""
    po = purchasing.purchase_order_create(
        company=demo, actor=owner, supplier=supplier, date=DAY,
        lines=[{"item": jugo, "quantity": "10", "unit_price": "8.00", "discount_percent": "5",
                "tax": Tax.objects.get(company=demo, code="01")}])
    purchasing.purchase_order_issue(company=demo, actor=owner, order=po)
    po.refresh_from_db()
    return po


def _receive(demo, owner, order, qty):
    return purchasing.goods_receipt_receive(
        company=demo, actor=owner, order=order, date=DAY,
        lines=[{"line_id": order.lines.get().pk, "quantity": str(qty)}])


def test_goods_receipt_creates_layers_and_posts_inventory_against_grni(demo, owner, order,
                                                                       jugo):
    first = _receive(demo, owner, order, 3)
    second = _receive(demo, owner, order, 7)
    # net 7.60 a unit: 22.80 and 53.20, the whole line's 76.00 to the cent
    assert [(la[0], la[2]) for la in _layers(jugo)] == [(D(3), D("22.80")),
                                                       (D(7), D("53.20"))]
    [entry] = _stock_entries(first, "stock")
    assert _lines(entry) == [(INVENTORY, D("22.80"), D(0)), (GRNI, D(0), D("22.80"))]
    assert (_balance(demo, GRNI), _balance(demo, INVENTORY)) == (D("-76.00"), D("76.00"))
    assert _verified(demo) == D("76.00")
    purchasing.supplier_document_void(company=demo, actor=owner, document=second,
                                      reason="mal recibido")
    assert [(la[0], la[1]) for la in _layers(jugo)] == [(D(3), D(3)), (D(7), D(0))]
    assert (_balance(demo, GRNI), _balance(demo, INVENTORY)) == (D("-22.80"), D("22.80"))
    assert _verified(demo) == D("22.80")


def test_receipt_void_is_refused_once_its_goods_were_sold(demo, owner, order, jugo,
                                                         invoice_of):
    receipt = _receive(demo, owner, order, 10)
    _move(invoice_of((jugo, 1)), "issue", demo, owner)
    before = row_counts()
    with pytest.raises(DomainError) as exc:
        purchasing.supplier_document_void(company=demo, actor=owner, document=receipt,
                                          reason="no")
    assert exc.value.code == INSUFFICIENT_STOCK
    assert row_counts() == before
    receipt.refresh_from_db()
    assert receipt.status == "issued"
    assert _verified(demo) == D("68.40")


def test_supplier_invoice_price_difference_revalues_stock_and_cogs(demo, owner, order, jugo,
                                                                   invoice_of):
    purchasing.purchasing_settings_update(company=demo, actor=owner,
                                          price_tolerance_percent="10")
    _receive(demo, owner, order, 10)  # 76.00
    _move(invoice_of((jugo, 4)), "issue", demo, owner)  # 30.40 to cost of sales
    bill = purchasing.supplier_invoice_from_order(
        company=demo, actor=owner, order=order, date=DAY, supplier_number="F-EFF",
        lines=[{"line_id": order.lines.get().pk, "quantity": "10", "unit_price": "8.40"}])
    purchasing.supplier_invoice_issue(company=demo, actor=owner, invoice=bill)
    bill.refresh_from_db()
    assert bill.subtotal == D("79.80")  # 8.40 less 5% = 7.98 a unit: 0.38 over the order
    [entry] = _stock_entries(bill, "revalue")
    # 6 still in stock: +2.28 inventory; 4 already sold: +1.52 cost of sales; GRNI clears
    assert _lines(entry) == [(INVENTORY, D("2.28"), D(0)), (GRNI, D(0), D("3.80")),
                             (COGS, D("1.52"), D(0))]
    assert _balance(demo, GRNI) == D(0)
    assert _balance(demo, COGS) == D("31.92")  # 4 x 7.98
    assert _layers(jugo) == [(D(10), D(6), D("47.88"))]
    assert _verified(demo) == D("47.88")
    # voiding the bill prices the layers back at the order's cost, posted the same way
    purchasing.supplier_document_void(company=demo, actor=owner, document=bill, reason="x")
    assert (_balance(demo, GRNI), _balance(demo, COGS)) == (D("-76.00"), D("30.40"))
    assert _verified(demo) == D("45.60")
