"""Demo sales: a year of quotes, orders, invoices and credit notes, issued and posted once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from cuadra.catalog.models import Item
from cuadra.demo import catalog as demo_catalog
from cuadra.demo import contacts as demo_contacts
from cuadra.demo import sales as demo_sales
from cuadra.inventory.models import StockAdjustment
from cuadra.inventory.selectors import (
    inventory_accounts_balance,
    inventory_verify,
    valuation_total,
)
from cuadra.ledger.models import JournalEntry, JournalLine
from cuadra.ledger.selectors import ledger_verify
from cuadra.sales.enums import InvoiceKind, PaymentState, PaymentStatus
from cuadra.sales.models import (
    Payment,
    SalesCreditNote,
    SalesInvoice,
    SalesOrder,
    SalesQuote,
)
from cuadra.sales.payment_services import invoice_payment_figures
from cuadra.sales.stock import goods_lines
from tests.conftest import row_counts

TODAY = dt.date(2026, 11, 21)


def _load(demo, platform) -> int:
    return demo_sales.load(company=demo, actor=platform.owner, today=TODAY)


def test_a_year_of_sales_is_issued_posted_once(demo, platform):
    demo_contacts.load(company=demo, actor=platform.owner)
    demo_catalog.load(company=demo, actor=platform.owner)
    assert _load(demo, platform) == SalesInvoice.objects.filter(company=demo).count() > 150
    invoices = SalesInvoice.objects.filter(company=demo)
    assert {d.status for m in (SalesQuote, SalesOrder, SalesInvoice, SalesCreditNote)
            for d in m.objects.filter(company=demo)} == {"issued"}
    assert SalesQuote.objects.filter(company=demo).count() == demo_sales.WEEKS
    assert SalesCreditNote.objects.filter(company=demo).count() == demo_sales.WEEKS // 4
    assert set(invoices.values_list("kind", flat=True)) == set(InvoiceKind.values)
    first, last = (invoices.order_by(o).first().date for o in ("date", "-date"))
    assert (first, last) == (TODAY - dt.timedelta(weeks=52), TODAY - dt.timedelta(weeks=1))
    # every issued document is posted; the receivable holds exactly what the invoices
    # still ask for, and each stored payment state equals a fresh recomputation
    assert invoices.filter(journal_entry__isnull=True).count() == 0
    receivable = JournalLine.objects.filter(company=demo, account__role="RECEIVABLE")
    assert sum((li.debit - li.credit for li in receivable), Decimal(0)) == sum(
        (i.amount_due for i in invoices), Decimal(0)) > 0
    for invoice in invoices:
        assert (invoice.amount_credited, invoice.amount_paid, invoice.payment_state) == \
            invoice_payment_figures(invoice)
    assert set(invoices.values_list("payment_state", flat=True)) == set(PaymentState.values)
    payments = Payment.objects.filter(company=demo)
    assert set(payments.values_list("status", flat=True)) == {PaymentStatus.SUCCEEDED,
                                                              PaymentStatus.FAILED}
    # one cost-of-sales entry per invoice and credit note with goods, one opening stock
    notes = SalesCreditNote.objects.filter(company=demo)
    with_goods = sum(1 for doc in (*invoices, *notes) if goods_lines(doc))
    assert JournalEntry.objects.filter(company=demo,
                                       idempotency_key__contains=":cogs:").count() == with_goods
    assert JournalEntry.objects.filter(company=demo).count() == (
        invoices.count() + notes.count() + with_goods + 1
        + payments.count() + payments.filter(status=PaymentStatus.FAILED).count())
    # every goods item opened with its stock at cost; the valuation equals the books
    opening = StockAdjustment.objects.get(company=demo, issue_key="demo-sales:opening-stock")
    assert opening.status == "issued" and opening.lines.count() == Item.objects.filter(
        company=demo, kind="goods").count()
    assert inventory_verify(company=demo).ok
    assert valuation_total(company=demo) == inventory_accounts_balance(company=demo) > 0
    assert ledger_verify(company=demo).ok
    before = row_counts(exclude=())
    assert _load(demo, platform) == 0
    assert row_counts(exclude=()) == before
