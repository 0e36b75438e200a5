"""Procure to pay: the owner's policy "PURCHASE_REQUISITION over $500 -> me"; user
``compras`` asks for $800 of paper; the conversion waits for the owner's approval; the
order is received in two parts, invoiced (the three-way match holds) and paid; payables
aging and the books hold exact figures after every step.

Each receipt brings the paper into stock at the order's cost (a FIFO layer; Dr inventory
/ Cr GRNI: 480.00 then 320.00); the invoice, at the ordered price, clears GRNI to zero;
the valuation equals the inventory account after every step (``inventory_verify``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.contrib.auth import get_user_model

from cuadra.approvals.services import approval_approve, approval_config_create
from cuadra.catalog import services as catalog
from cuadra.catalog.models import Tax
from cuadra.contacts import services as contacts
from cuadra.core.errors import DomainError
from cuadra.inventory import selectors as stock
from cuadra.ledger.models import JournalLine
from cuadra.purchasing import selectors, services
from tests.conftest import row_counts

DAY = dt.date(2025, 3, 14)
PAYABLE, GRNI, ITBMS_IN, BANK, INVENTORY = "210101", "210104", "110401", "110103", "110301"
CODES = (PAYABLE, GRNI, ITBMS_IN, BANK, INVENTORY)


def balances(company) -> dict[str, D]:
    out = dict.fromkeys(CODES, D(0))
    for code, debit, credit in JournalLine.objects.filter(
            company=company, account__code__in=CODES
    ).values_list("account__code", "debit", "credit"):
        out[code] += debit - credit
    return out


def aging_total(company, as_of) -> D:
    return sum((row.total for row in selectors.payables_aging(company=company, as_of=as_of)),
               D(0))


@pytest.mark.django_db
def test_requisition_approval_order_receipts_invoice_payment(demo, platform):
    owner = platform.owner
    compras = get_user_model().objects.get(username="compras")
    start = balances(demo)

    def delta():
        now = balances(demo)
        return {k: now[k] - start[k] for k in CODES}

    approval_config_create(company=demo, actor=owner, document_type="PURCHASE_REQUISITION",
                           threshold="500", approver_user_ids=[owner.pk])
    supplier = contacts.supplier_create(company=demo, actor=owner, code="P2P-1",
                                        legal_name="Papelera Istmeña", payment_terms_days=30)
    papel = catalog.item_create(company=demo, actor=owner, sku="P2P-PAP", name="Papel bond",
                                default_tax=Tax.objects.get(company=demo, code="01"))
    services.supplier_price_create(company=demo, actor=owner, supplier=supplier, item=papel,
                                   price="8.00", min_quantity="1")

    # compras asks for 100 reams at an estimated 8.00: $800, over the $500 threshold
    req = services.purchase_requisition_create(
        company=demo, actor=compras, date=DAY,
        lines=[{"item": papel, "quantity": "100", "estimated_price": "8.00",
                "needed_by": "2025-03-31"}])
    assert req.total == D("800.00")
    services.purchase_requisition_submit(company=demo, actor=compras, requisition=req)
    req.refresh_from_db()
    assert (req.status, req.number) == ("submitted", "RC-2025-000001")
    line = req.lines.get()

    # converting before the owner approves is refused and writes nothing
    before = row_counts()
    with pytest.raises(DomainError) as refused:
        services.purchase_requisition_convert(company=demo, actor=compras, requisition=req,
                                              lines=[{"line_id": line.pk,
                                                      "supplier": supplier.pk}], date=DAY)
    assert refused.value.code == "APPROVAL_REQUIRED"
    assert row_counts() == before

    approval_approve(company=demo, actor=owner, document=req, comment="ok")
    [order] = services.purchase_requisition_convert(
        company=demo, actor=compras, requisition=req,
        lines=[{"line_id": line.pk, "supplier": supplier.pk}], date=DAY)
    req.refresh_from_db()
    assert req.status == "released"
    assert selectors.ordered_quantities(requisition=req) == {line.pk: D("100")}
    order_line = order.lines.get()
    assert (order_line.unit_price, order_line.base_amount, order_line.tax_amount) == (
        D("8.00"), D("800.00"), D("56.00"))  # the supplier's price list, ITBMS 7%
    assert order.total == D("856.00")
    services.purchase_order_issue(company=demo, actor=compras, order=order,
                                  idempotency_key="po-1")
    order.refresh_from_db()
    assert (order.status, order.number) == ("issued", "OC-2025-000001")
    assert delta() == dict.fromkeys(CODES, D(0))  # an order posts nothing

    # received in two parts; each receipt is a FIFO layer at 8.00, inventory vs GRNI
    first = services.goods_receipt_receive(
        company=demo, actor=compras, order=order, date=DAY,
        lines=[{"line_id": order_line.pk, "quantity": "60"}])
    assert (first.status, first.number) == ("issued", "ENT-2025-000001")
    assert delta() == {**dict.fromkeys(CODES, D(0)), INVENTORY: D("480.00"),
                       GRNI: D("-480.00")}
    assert stock.inventory_verify(company=demo).ok
    rest = services.goods_receipt_receive(company=demo, actor=compras, order=order, date=DAY)
    assert [li.quantity for li in rest.lines.all()] == [D("40")]
    assert selectors.received_quantities(order=order) == {order_line.pk: D("100")}
    assert selectors.open_purchase_orders(company=demo) == []
    [rni] = selectors.received_not_invoiced(company=demo)
    assert (rni.received, rni.invoiced, rni.amount) == (D("100"), D("0"), D("800.00"))
    assert delta() == {**dict.fromkeys(CODES, D(0)), INVENTORY: D("800.00"),
                       GRNI: D("-800.00")}
    [row] = stock.stock_on_hand(company=demo, item_id=papel.pk)
    assert (row.quantity, row.value) == (D("100"), D("800.00"))
    assert stock.valuation_total(company=demo) == D("800.00")
    assert stock.inventory_verify(company=demo).ok

    # the supplier's invoice matches order and receipts: posted to GRNI, ITBMS, payable
    invoice = services.supplier_invoice_from_order(
        company=demo, actor=compras, order=order, date=DAY, supplier_number="F-7781")
    assert (invoice.total, invoice.due_date) == (D("856.00"), dt.date(2025, 4, 13))
    services.supplier_invoice_issue(company=demo, actor=compras, invoice=invoice,
                                    idempotency_key="fp-1")
    invoice.refresh_from_db()
    assert (invoice.status, invoice.number) == ("issued", "FP-2025-000001")
    assert (invoice.amount_due, invoice.payment_state) == (D("856.00"), "UNPAID")
    assert delta() == {PAYABLE: D("-856.00"), GRNI: D("0.00"), ITBMS_IN: D("56.00"),
                       BANK: D("0"), INVENTORY: D("800.00")}
    assert selectors.received_not_invoiced(company=demo) == []
    aging = selectors.payables_aging(company=demo, as_of=DAY)
    assert [(r.supplier_code, r.buckets["current"]) for r in aging] == [
        ("P2P-1", D("856.00"))]
    assert aging_total(demo, DAY) == -balances(demo)[PAYABLE]
    late = selectors.payables_aging(company=demo, as_of=dt.date(2025, 5, 20))
    assert late[0].buckets["31-60"] == D("856.00")

    # paid by transfer: the treasury transaction debits the payable, credits the bank
    payment = services.supplier_payment_register(
        company=demo, actor=compras, supplier=supplier, amount="856.00",
        method="BANK_TRANSFER", date=DAY, allocations=[{"invoice": invoice,
                                                        "amount": "856.00"}],
        idempotency_key="pp-1")
    assert (payment.status, payment.number, payment.unapplied) == (
        "SUCCEEDED", "PP-2025-000001", D("0"))
    invoice.refresh_from_db()
    assert (invoice.amount_paid, invoice.amount_due, invoice.payment_state) == (
        D("856.00"), D("0.00"), "PAID")
    assert delta() == {PAYABLE: D("0.00"), GRNI: D("0.00"), ITBMS_IN: D("56.00"),
                       BANK: D("-856.00"), INVENTORY: D("800.00")}
    assert stock.valuation_total(company=demo) == D("800.00")
    assert stock.inventory_verify(company=demo).ok
    assert selectors.payables_aging(company=demo, as_of=DAY) == []
    assert aging_total(demo, DAY) == -balances(demo)[PAYABLE]
    by_supplier = selectors.purchases_by_supplier(company=demo)
    assert [(r.key, r.base, r.tax, r.total) for r in by_supplier] == [
        ("P2P-1", D("800.00"), D("56.00"), D("856.00"))]
    by_item = selectors.purchases_by_item(company=demo)
    assert [(r.key, r.total) for r in by_item] == [("P2P-PAP", D("856.00"))]
