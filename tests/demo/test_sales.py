"""Demo sales: a year of quotes, orders, invoices and credit notes, issued and posted once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from cuadra.demo import catalog as demo_catalog
from cuadra.demo import contacts as demo_contacts
from cuadra.demo import sales as demo_sales
from cuadra.ledger.models import JournalEntry, JournalLine
from cuadra.ledger.selectors import ledger_verify
from cuadra.sales.enums import InvoiceKind
from cuadra.sales.models import SalesCreditNote, SalesInvoice, SalesOrder, SalesQuote
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
    # every issued document is posted, and the receivable holds exactly the credit sales
    # less their credit notes
    assert invoices.filter(journal_entry__isnull=True).count() == 0
    receivable = JournalLine.objects.filter(company=demo, account__role="RECEIVABLE")
    owed = sum((i.total for i in invoices.exclude(kind=InvoiceKind.RECEIPT_TAX_INVOICE)),
               Decimal(0))
    credited = sum((c.total for c in SalesCreditNote.objects.filter(company=demo)
                    .exclude(invoice__kind=InvoiceKind.RECEIPT_TAX_INVOICE)), Decimal(0))
    assert sum((li.debit - li.credit for li in receivable), Decimal(0)) == owed - credited
    assert JournalEntry.objects.filter(company=demo).count() == (
        invoices.count() + SalesCreditNote.objects.filter(company=demo).count())
    assert ledger_verify(company=demo).ok
    before = row_counts(exclude=())
    assert _load(demo, platform) == 0
    assert row_counts(exclude=()) == before
