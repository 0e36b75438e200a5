"""Order to cash: a quote becomes an order, the order is invoiced in two parts, part is
credited, a credit note is voided; then the invoice is paid in part by transfer, a cheque
settles the rest and bounces, cash settles it again with change left as unapplied credit,
which is refunded. The books hold exact figures after every step.

Stock: arroz opens with two FIFO layers (10 at 1.50, 30 at 1.60), vino with 12 at 5.00
(storage-in documents against capital, 123.00); each invoice issues its goods at FIFO
cost (Dr cost of sales / Cr inventory), the credit note brings 2 vinos back at the cost
their issue took, voids undo both; the valuation equals the inventory account after every
step (``inventory_verify``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from cuadra.catalog import services as catalog
from cuadra.catalog.models import Tax
from cuadra.contacts import services as contacts
from cuadra.inventory import selectors as stock
from cuadra.ledger.models import JournalLine
from cuadra.sales import payment_services as pay
from cuadra.sales import services
from cuadra.sales.aging import receivables_aging_get
from tests.sales.conftest import opening_stock

DAY = dt.date(2025, 3, 14)
RECEIVABLE, REVENUE, ITBMS, INVENTORY, COGS = "110201", "4101", "210201", "110301", "5101"
CODES = (RECEIVABLE, REVENUE, ITBMS, INVENTORY, COGS)
CASH, BANK = "110101", "110103"


def balances(company) -> dict[str, D]:
    """Debit minus credit per account code, over every posted line of the company."""
    out: dict[str, D] = {}
    for code, debit, credit in JournalLine.objects.filter(
            company=company, account__code__in=CODES
    ).values_list("account__code", "debit", "credit"):
        out[code] = out.get(code, D(0)) + debit - credit
    return out


def move(doc, action, demo, owner, **kw):
    services.sales_document_transition(company=demo, actor=owner, document=doc,
                                       action=action, **kw)
    doc.refresh_from_db()
    return doc


@pytest.mark.django_db
def test_quote_to_order_to_invoices_to_credit(demo, platform):
    owner = platform.owner
    start = balances(demo)

    def delta():
        now = balances(demo)
        return {k: now.get(k, D(0)) - start.get(k, D(0)) for k in CODES}

    def books_match_stock(value: str) -> None:
        assert stock.valuation_total(company=demo) == D(value)
        assert stock.inventory_verify(company=demo).ok

    client = contacts.client_create(company=demo, actor=owner, code="OTC-1",
                                    legal_name="Supermercado Prueba", payment_terms_days=30)
    arroz = catalog.item_create(company=demo, actor=owner, sku="OTC-ARZ", name="Arroz",
                                default_tax=Tax.objects.get(company=demo, code="01"),
                                base_price="2.35")
    vino = catalog.item_create(company=demo, actor=owner, sku="OTC-VIN", name="Vino",
                               default_tax=Tax.objects.get(company=demo, code="02"),
                               base_price="8.99")
    opening_stock(demo, owner, [(arroz, 10, "1.50"), (vino, 12, "5.00")])
    opening_stock(demo, owner, [(arroz, 30, "1.60")], date=dt.date(2025, 2, 1))
    assert delta()[INVENTORY] == D("123.00")
    books_match_stock("123.00")
    start = balances(demo)
    quote = services.sales_quote_create(
        company=demo, actor=owner, client=client, date=DAY,
        lines=[{"item": arroz, "quantity": "20", "discount_percent": "5"},
               {"item": vino, "quantity": "6"}])
    # 2.35 x 0.95 = 2.2325 x 20 = 44.65, tax 3.1255 -> 3.13; 8.99 x 6 = 53.94, tax 5.39
    assert (quote.subtotal, quote.tax_total, quote.total) == (D("98.59"), D("8.52"),
                                                              D("107.11"))
    move(quote, "issue", demo, owner)
    order = move(services.sales_quote_convert_to_order(company=demo, actor=owner,
                                                       quote=quote, date=DAY),
                 "issue", demo, owner)
    assert delta() == dict.fromkeys(CODES, 0)  # quotes and orders never post

    arroz_line, vino_line = order.lines.order_by("line_no")
    first = move(services.sales_order_invoice(
        company=demo, actor=owner, order=order, date=DAY,
        lines=[{"line_id": arroz_line.pk, "quantity": "8"},
               {"line_id": vino_line.pk, "quantity": "6"}]), "issue", demo, owner)
    # 2.2325 x 8 = 17.86, tax 1.2502 -> 1.25; vino 53.94 + 5.39
    assert first.total == D("78.44")
    # cost: 8 arroz from the 1.50 layer (12.00) and 6 vinos at 5.00 (30.00)
    assert delta() == {RECEIVABLE: D("78.44"), REVENUE: D("-71.80"), ITBMS: D("-6.64"),
                       INVENTORY: D("-42.00"), COGS: D("42.00")}
    books_match_stock("81.00")

    second = move(services.sales_order_invoice(company=demo, actor=owner, order=order,
                                               date=DAY), "issue", demo, owner)
    # the remaining 12 arroz: 26.79, tax 1.8753 -> 1.88
    assert second.total == D("28.67")
    # 12 arroz: the last 2 of the 1.50 layer (3.00) and 10 of the 1.60 one (16.00)
    assert delta() == {RECEIVABLE: D("107.11"), REVENUE: D("-98.59"), ITBMS: D("-8.52"),
                       INVENTORY: D("-61.00"), COGS: D("61.00")}
    books_match_stock("62.00")

    credit = move(services.sales_credit_note_create(
        company=demo, actor=owner, invoice=first, reason="2 vinos rotos", date=DAY,
        lines=[{"line_id": first.lines.get(order_line=vino_line).pk, "quantity": "2"}]),
        "issue", demo, owner)
    # 17.98, tax 1.798 -> 1.80
    assert (credit.number, credit.total) == ("NC-2025-000001", D("19.78"))
    # the 2 vinos come back at the 5.00 their issue took
    assert delta() == {RECEIVABLE: D("87.33"), REVENUE: D("-80.61"), ITBMS: D("-6.72"),
                       INVENTORY: D("-51.00"), COGS: D("51.00")}
    books_match_stock("72.00")

    services.sales_document_void(company=demo, actor=owner, document=credit,
                                 reason="mal emitida")
    assert delta() == {RECEIVABLE: D("107.11"), REVENUE: D("-98.59"), ITBMS: D("-8.52"),
                       INVENTORY: D("-61.00"), COGS: D("61.00")}
    books_match_stock("62.00")

    services.sales_document_void(company=demo, actor=owner, document=second,
                                 reason="duplicada")
    assert delta() == {RECEIVABLE: D("78.44"), REVENUE: D("-71.80"), ITBMS: D("-6.64"),
                       INVENTORY: D("-42.00"), COGS: D("42.00")}
    books_match_stock("81.00")
    # the void put the 12 arroz back into the layers they came from, oldest first
    assert stock.stock_quantity(company=demo, item=arroz,
                                warehouse=stock.warehouse_default(company=demo)) == D(32)

    # --- payments: the first invoice (78.44) is what the client owes -----------------------
    money_start = money(demo)

    def money_delta():
        now = money(demo)
        return {k: now.get(k, D(0)) - money_start.get(k, D(0)) for k in (CASH, BANK)}

    def paid_state():
        first.refresh_from_db()
        return first.amount_paid, first.amount_due, first.payment_state

    transfer = pay.payment_register(company=demo, actor=owner, client=client, amount="50",
                                    method="BANK_TRANSFER", date=DAY, reference="ACH-1",
                                    allocations=[{"invoice": first, "amount": "50"}])
    assert transfer.number == "REC-2025-000001"
    assert paid_state() == (D("50"), D("28.44"), "PARTIAL")
    assert delta()[RECEIVABLE] == D("28.44") and money_delta() == {CASH: 0, BANK: D("50")}

    cheque = pay.payment_register(company=demo, actor=owner, client=client, amount="40",
                                  method="CHEQUE", date=DAY, reference="CHQ-77",
                                  allocations=[{"invoice": first, "amount": "28.44"}])
    assert paid_state() == (D("78.44"), D("0.00"), "PAID")
    assert delta()[RECEIVABLE] == D("-11.56")  # 11.56 unapplied credit of the client
    assert money_delta() == {CASH: 0, BANK: D("90")}

    pay.payment_fail(company=demo, actor=owner, payment=cheque, reason="sin fondos", date=DAY)
    assert paid_state() == (D("50"), D("28.44"), "PARTIAL")
    assert delta()[RECEIVABLE] == D("28.44") and money_delta() == {CASH: 0, BANK: D("50")}

    cash = pay.payment_register(company=demo, actor=owner, client=client, amount="30",
                                method="CASH", date=DAY,
                                allocations=[{"invoice": first, "amount": "28.44"}])
    assert cash.number == "REC-2025-000003"  # the bounced cheque keeps its number
    assert paid_state() == (D("78.44"), D("0.00"), "PAID")
    assert delta()[RECEIVABLE] == D("-1.56") and money_delta() == {CASH: D("30"),
                                                                   BANK: D("50")}

    pay.payment_refund(company=demo, actor=owner, payment=cash, amount="1.56", date=DAY)
    assert delta() == {RECEIVABLE: D("0.00"), REVENUE: D("-71.80"), ITBMS: D("-6.64"),
                       INVENTORY: D("-42.00"), COGS: D("42.00")}
    books_match_stock("81.00")
    assert money_delta() == {CASH: D("28.44"), BANK: D("50")}
    aging = receivables_aging_get(company=demo, as_of=DAY, client_id=client.pk)
    assert (aging.total, aging.items) == (D("0"), [])


def money(company) -> dict[str, D]:
    out: dict[str, D] = {}
    for code, debit, credit in JournalLine.objects.filter(
            company=company, account__code__in=(CASH, BANK)
    ).values_list("account__code", "debit", "credit"):
        out[code] = out.get(code, D(0)) + debit - credit
    return out
