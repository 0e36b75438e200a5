"""Receivables aging as of any date: open items per client in buckets by due date.

As of ``as_of`` an item is open for:

* a posted invoice dated on or before it (cash sales never touch the receivable): its
  total - posted credit notes dated on or before it - allocations that counted then (dated
  on or before it, and not reversed on or before it);
* a payment on the books then (succeeded, or failed only after ``as_of``): minus its
  amount not allocated then nor refunded by then - a negative item, the client's unapplied
  credit.

Voids post their reversal on the document's own date, so a voided invoice or credit note is
never open; a failed payment's reversal is dated the day it failed, exactly like its
allocations' ``reversed_on``. Allocations appear on both sides of the same client, so the
total per client and overall equals the RECEIVABLE balance (partner = client code) in the
ledger as of that date. Invoices are bucketed by due date (else their date), unapplied
payments by their date (Odoo's aged receivable does the same)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from cuadra.contacts.models import Client
from cuadra.core.money import DecimalSum
from cuadra.sales.enums import InvoiceKind, PaymentStatus
from cuadra.sales.models import (
    Payment,
    PaymentAllocation,
    PaymentRefund,
    SalesCreditNote,
    SalesInvoice,
)
from cuadra.sales.selectors import POSTED_STATES

ZERO = Decimal(0)
BUCKETS = ("current", "days_1_30", "days_31_60", "days_61_90", "over_90")


def bucket_of(days_overdue: int) -> str:
    if days_overdue <= 0:
        return "current"
    if days_overdue <= 30:
        return "days_1_30"
    if days_overdue <= 60:
        return "days_31_60"
    if days_overdue <= 90:
        return "days_61_90"
    return "over_90"


@dataclass
class AgingItem:
    kind: str  # "invoice" or "payment"
    id: int
    number: str
    client_id: int
    date: dt.date
    due_date: dt.date
    days_overdue: int
    bucket: str
    amount: Decimal  # open as of the date; negative for unapplied payment credit


@dataclass
class AgingRow:
    client_id: int | None
    client_code: str = ""
    client_name: str = ""
    current: Decimal = ZERO
    days_1_30: Decimal = ZERO
    days_31_60: Decimal = ZERO
    days_61_90: Decimal = ZERO
    over_90: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return sum((getattr(self, b) for b in BUCKETS), ZERO)

    def add(self, item: AgingItem) -> None:
        setattr(self, item.bucket, getattr(self, item.bucket) + item.amount)


@dataclass
class ReceivablesAging:
    as_of: dt.date
    rows: list[AgingRow] = field(default_factory=list)
    items: list[AgingItem] = field(default_factory=list)
    totals: AgingRow = field(default_factory=lambda: AgingRow(client_id=None))

    @property
    def total(self) -> Decimal:
        return self.totals.total


def _by(qs, key: str, amount: str) -> dict[int, Decimal]:
    return {row[key]: row["s"] or ZERO
            for row in qs.order_by().values(key).annotate(s=DecimalSum(amount))}


def _open_invoices(company, as_of, client_id) -> list[AgingItem]:
    invoices = (SalesInvoice.objects.filter(company=company, status__in=POSTED_STATES,
                                            date__lte=as_of)
                .exclude(kind=InvoiceKind.RECEIPT_TAX_INVOICE))
    if client_id:
        invoices = invoices.filter(client_id=client_id)
    credited = _by(SalesCreditNote.objects.filter(
        company=company, status__in=POSTED_STATES, date__lte=as_of,
        invoice__in=invoices), "invoice_id", "total")
    allocated = _by(_live_allocations(company, as_of).filter(invoice__in=invoices),
                    "invoice_id", "amount")
    items = []
    for pk, number, client, date, due, total in invoices.values_list(
            "pk", "number", "client_id", "date", "due_date", "total"):
        amount = total - credited.get(pk, ZERO) - allocated.get(pk, ZERO)
        if amount:
            due = due or date
            days = (as_of - due).days
            items.append(AgingItem("invoice", pk, number, client, date, due, days,
                                   bucket_of(days), amount))
    return items


def _live_allocations(company, as_of):
    return PaymentAllocation.objects.filter(company=company, date__lte=as_of).filter(
        Q(reversed=False) | Q(reversed_on__gt=as_of))


def _unapplied_payments(company, as_of, client_id) -> list[AgingItem]:
    payments = (Payment.objects.filter(company=company, date__lte=as_of,
                                       journal_entry__isnull=False)
                .filter(Q(status=PaymentStatus.SUCCEEDED)
                        | Q(status=PaymentStatus.FAILED, failed_on__gt=as_of)))
    if client_id:
        payments = payments.filter(client_id=client_id)
    allocated = _by(_live_allocations(company, as_of).filter(payment__in=payments),
                    "payment_id", "amount")
    refunded = _by(PaymentRefund.objects.filter(company=company, date__lte=as_of,
                                                payment__in=payments), "payment_id", "amount")
    items = []
    for pk, number, client, date, amount in payments.values_list(
            "pk", "number", "client_id", "date", "amount"):
        unapplied = amount - allocated.get(pk, ZERO) - refunded.get(pk, ZERO)
        if unapplied:
            days = (as_of - date).days
            items.append(AgingItem("payment", pk, number, client, date, date, days,
                                   bucket_of(days), -unapplied))
    return items


def receivables_aging_get(*, company, as_of: dt.date, client_id=None) -> ReceivablesAging:
    """Open items as of ``as_of`` per client and in total (see the module docstring)."""
    if client_id is not None and not str(client_id).isdigit():
        client_id = -1
    items = _open_invoices(company, as_of, client_id) + _unapplied_payments(company, as_of,
                                                                             client_id)
    items.sort(key=lambda i: (i.client_id, i.due_date, i.kind, i.id))
    rows: dict[int, AgingRow] = defaultdict(lambda: AgingRow(client_id=None))
    report = ReceivablesAging(as_of=as_of, items=items)
    for item in items:
        row = rows[item.client_id]
        row.client_id = item.client_id
        row.add(item)
        report.totals.add(item)
    names = dict((pk, (code, name)) for pk, code, name in Client.objects.filter(
        company=company, pk__in=list(rows)).values_list("pk", "code", "legal_name"))
    for pk, row in rows.items():
        row.client_code, row.client_name = names.get(pk, ("", ""))
    report.rows = sorted(rows.values(), key=lambda r: r.client_code)
    return report
