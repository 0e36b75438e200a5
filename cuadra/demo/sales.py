"""A year of the DEMO company's sales (issue 5 item 9), through the sales services.

The twelve months before today, week by week: quotes (half become orders, invoiced in one
or two parts), direct invoices and tax invoices of two to five catalog lines at the
clients' prices, a cash sale (receipt-tax-invoice) most weeks, a partial credit note most
months; everything issued, so numbered and posted. Payments (with some bounced cheques)
follow when the payments module is present. A seeded generator makes every run build the
same documents; an idempotency key on each issue (``demo-sales:<n>``) makes a second
``cuadra demo`` add nothing.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from cuadra.catalog.models import Item
from cuadra.contacts.models import Client
from cuadra.sales import services
from cuadra.sales.enums import InvoiceKind
from cuadra.sales.models import SalesInvoice

WEEKS = 52
SEED = 2026


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
    for week in range(WEEKS):
        _week(ctx, first + dt.timedelta(weeks=week), week)
    return SalesInvoice.objects.filter(company=company).count()
