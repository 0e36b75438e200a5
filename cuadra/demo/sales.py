"""A year of the DEMO company's sales (issue 5 item 9), through the sales services.

The twelve months before today, week by week: quotes (half become orders, invoiced in one
or two parts), direct invoices and tax invoices of two to five catalog lines at the
clients' prices, a cash sale (receipt-tax-invoice) most weeks, a partial credit note most
months; everything issued, so numbered and posted. Then the collections: most invoices
older than their terms are paid in full, some in part, a few are still open; one payment
in ten is a cheque, and one cheque in four bounces (failed after it succeeded: reversed,
its allocations undone). Before the first week, an opening stock of every goods item
(``OPENING_QUANTITY`` units at the item's cost) comes in through one storage-in document
against capital, so each invoice issues its goods at FIFO cost and posts cost of sales.
A seeded generator makes every run build the
same documents; an idempotency key on each issue (``demo-sales:<n>``) makes a second
``cuadra demo`` add nothing.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from cuadra.catalog.enums import ItemKind
from cuadra.catalog.models import Item
from cuadra.contacts.models import Client
from cuadra.core.money import CENT
from cuadra.inventory import documents as stock_documents
from cuadra.inventory.enums import AdjustmentKind
from cuadra.inventory.selectors import warehouse_default
from cuadra.ledger.models import Account
from cuadra.sales import payment_services, services
from cuadra.sales.enums import InvoiceKind, PaymentMethod
from cuadra.sales.models import SalesInvoice

WEEKS = 52
SEED = 2026
OPENING_QUANTITY = 3000  # base units of each goods item, more than a year of demo sales


class _Keys:
    """Issue keys in creation order: ``demo-sales:<n>``."""

    def __init__(self):
        self.n = 0

    def next(self) -> str:
        self.n += 1
        return f"demo-sales:{self.n}"


def _lines(rng: random.Random, items: list[Item]) -> list[dict]:
    chosen = rng.sample(items, rng.randint(2, min(5, len(items))))
    return [{"item": item.pk, "quantity": str(rng.randint(1, 24))} for item in chosen]


def _quote_to_invoices(ctx, date: dt.date, client: Client) -> None:
    rng, company, actor = ctx["rng"], ctx["company"], ctx["actor"]
    quote = services.sales_quote_create(company=company, actor=actor, client=client,
                                        date=date, lines=_lines(rng, ctx["items"]),
                                        valid_until=date + dt.timedelta(days=15))
    services.sales_document_transition(company=company, actor=actor, document=quote,
                                       action="issue")
    if rng.random() < 0.5:
        return
    order = services.sales_quote_convert_to_order(company=company, actor=actor, quote=quote,
                                                  date=date)
    services.sales_document_transition(company=company, actor=actor, document=order,
                                       action="issue")
    lines = list(order.lines.order_by("line_no"))
    if rng.random() < 0.4 and len(lines) > 1:  # two deliveries, two invoices
        parts = [[{"line_id": li.pk, "quantity": str(li.quantity)} for li in lines[:1]], None]
    else:
        parts = [None]
    for part in parts:
        invoice = services.sales_order_invoice(company=company, actor=actor, order=order,
                                               lines=part, date=date)
        services.sales_invoice_issue(company=company, actor=actor, invoice=invoice,
                                     idempotency_key=ctx["keys"].next())


def _invoice(ctx, date: dt.date, client: Client, kind: str) -> SalesInvoice:
    company, actor = ctx["company"], ctx["actor"]
    invoice = services.sales_invoice_create(company=company, actor=actor, client=client,
                                            date=date, kind=kind,
                                            lines=_lines(ctx["rng"], ctx["items"]))
    services.sales_invoice_issue(company=company, actor=actor, invoice=invoice,
                                 idempotency_key=ctx["keys"].next())
    return invoice


def _credit(ctx, date: dt.date, invoice: SalesInvoice) -> None:
    company, actor = ctx["company"], ctx["actor"]
    line = invoice.lines.order_by("line_no").first()
    quantity = max(1, int(line.quantity) // 2)
    note = services.sales_credit_note_create(
        company=company, actor=actor, invoice=invoice, date=date,
        reason="Mercancía devuelta en mal estado",
        lines=[{"line_id": line.pk, "quantity": str(quantity)}])
    services.sales_document_transition(company=company, actor=actor, document=note,
                                       action="issue", idempotency_key=ctx["keys"].next())


def _week(ctx, date: dt.date, week: int) -> None:
    rng, clients = ctx["rng"], ctx["clients"]
    _quote_to_invoices(ctx, date, rng.choice(clients))
    for _ in range(rng.randint(2, 3)):
        kind = rng.choice((InvoiceKind.INVOICE, InvoiceKind.TAX_INVOICE))
        ctx["invoices"].append(_invoice(ctx, date, rng.choice(clients), kind))
    if rng.random() < 0.7:
        _invoice(ctx, date, rng.choice(clients), InvoiceKind.RECEIPT_TAX_INVOICE)
    if week % 4 == 3 and ctx["invoices"]:
        _credit(ctx, date, rng.choice(ctx["invoices"][-8:]))


def opening_stock(*, company, actor, items: list[Item], date: dt.date):
    """One storage-in document: every goods item at its cost (Dr inventory / Cr the
    first equity account), issued and posted; ``None`` when there is nothing to stock."""
    goods = [item for item in items if item.kind == ItemKind.GOODS]
    if not goods:
        return None
    capital = Account.objects.filter(company=company, type="EQUITY", is_group=False,
                                     is_active=True).order_by("code").first()
    doc = stock_documents.stock_adjustment_create(
        company=company, actor=actor, kind=AdjustmentKind.STORAGE_IN,
        warehouse=warehouse_default(company=company), date=date, counter_account=capital,
        employee="Inventario inicial", notes="Inventario inicial del año de ventas",
        lines=[{"item": item, "quantity": str(OPENING_QUANTITY),
                "unit_cost": str(item.cost or 0)} for item in goods])
    return stock_documents.document_move(company=company, actor=actor, document=doc,
                                         action="issue",
                                         idempotency_key="demo-sales:opening-stock")


def _collections(ctx, today: dt.date) -> list[tuple]:
    """(date, invoice, amount, method) of the year's payments, in date order (receipt
    numbers follow their dates)."""
    rng, out = ctx["rng"], []
    for invoice in ctx["invoices"]:
        invoice.refresh_from_db()
        due = invoice.due_date or invoice.date
        roll = rng.random()
        if due + dt.timedelta(days=5) >= today or roll < 0.12 or invoice.amount_due <= 0:
            continue
        amount = invoice.amount_due if roll > 0.3 else (invoice.amount_due / 2).quantize(CENT)
        method = PaymentMethod.CHEQUE if rng.random() < 0.1 else PaymentMethod.BANK_TRANSFER
        day = max(due - dt.timedelta(days=rng.randint(0, 10)), invoice.date)
        out.append((day, invoice, amount, method))
    return sorted(out, key=lambda row: (row[0], row[1].pk))


def _pay(ctx, today: dt.date) -> None:
    company, actor = ctx["company"], ctx["actor"]
    for k, (day, invoice, amount, method) in enumerate(_collections(ctx, today)):
        payment = payment_services.payment_register(
            company=company, actor=actor, client=invoice.client, amount=amount,
            method=method, date=day, reference=f"REF-{k + 1:05d}",
            allocations=[{"invoice": invoice, "amount": amount}],
            idempotency_key=f"demo-sales-payment:{k + 1}")
        if method == PaymentMethod.CHEQUE and k % 4 == 0:
            payment_services.payment_fail(company=company, actor=actor, payment=payment,
                                          reason="Cheque devuelto por fondos insuficientes",
                                          date=min(payment.date + dt.timedelta(days=3), today))


def load(*, company, actor, today: dt.date | None = None) -> int:
    """Issue the year of sales; returns how many invoices are new (0 when loaded)."""
    if SalesInvoice.objects.filter(company=company, issue_key__startswith="demo-sales:"
                                   ).exists():
        return 0
    today = today or timezone.localdate()
    clients = list(Client.objects.filter(company=company, status="ACTIVE").order_by("code"))
    items = list(Item.objects.filter(company=company, is_active=True).order_by("sku"))
    if not clients or not items:
        return 0
    ctx = {"rng": random.Random(SEED), "company": company, "actor": actor, "items": items,
           "clients": clients, "keys": _Keys(), "invoices": []}
    first = today - dt.timedelta(weeks=WEEKS)
    opening_stock(company=company, actor=actor, items=items, date=first)
    for week in range(WEEKS):
        _week(ctx, first + dt.timedelta(weeks=week), week)
    _pay(ctx, today)
    return SalesInvoice.objects.filter(company=company).count()
