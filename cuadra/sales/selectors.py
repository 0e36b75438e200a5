"""Reads of the sales domain: documents, what remains to invoice or credit, exposure."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import QuerySet

from cuadra.contacts.models import Client
from cuadra.core.errors import NotFound
from cuadra.core.money import DecimalSum
from cuadra.documents.presets import CANCELLED, DRAFT, VOIDED
from cuadra.sales.models import (
    SalesCreditNote,
    SalesCreditNoteLine,
    SalesInvoice,
    SalesInvoiceLine,
    SalesOrder,
    SalesQuote,
)

ZERO = Decimal(0)
# states in which a document no longer counts (its quantities are free again)
DEAD_STATES = (CANCELLED, VOIDED)
# states in which an invoice is on the books (simple: issued; five_stage: entry_audit, final)
POSTED_STATES = ("issued", "entry_audit", "final")


def client_exists(*, company, client_id) -> bool:
    """The checker catalog asks before storing a client price."""
    return Client.objects.filter(company=company, pk=client_id).exists()


def _get(model, *, company, pk, field: str):
    text = str(pk)
    row = (model.objects.filter(company=company, pk=int(text)).first()
           if text.isdigit() else None)
    if row is None:
        raise NotFound(f"No such {model._meta.verbose_name}.", field=field)
    return row


def sales_quote_get(*, company, quote_id) -> SalesQuote:
    return _get(SalesQuote, company=company, pk=quote_id, field="id")


def sales_order_get(*, company, order_id) -> SalesOrder:
    return _get(SalesOrder, company=company, pk=order_id, field="id")


def sales_invoice_get(*, company, invoice_id) -> SalesInvoice:
    return _get(SalesInvoice, company=company, pk=invoice_id, field="id")


def sales_credit_note_get(*, company, credit_note_id) -> SalesCreditNote:
    return _get(SalesCreditNote, company=company, pk=credit_note_id, field="id")


def _list(model, company, status, client_id) -> QuerySet:
    qs = model.objects.filter(company=company)
    if status:
        qs = qs.filter(status=status)
    if client_id:
        qs = qs.filter(client_id=client_id)
    return qs.order_by("-date", "-id")


def sales_quotes_list(*, company, status=None, client_id=None) -> QuerySet:
    return _list(SalesQuote, company, status, client_id)


def sales_orders_list(*, company, status=None, client_id=None) -> QuerySet:
    return _list(SalesOrder, company, status, client_id)


def sales_invoices_list(*, company, status=None, client_id=None) -> QuerySet:
    return _list(SalesInvoice, company, status, client_id)


def sales_credit_notes_list(*, company, status=None, client_id=None) -> QuerySet:
    return _list(SalesCreditNote, company, status, client_id)


def invoiced_quantities(*, order, exclude_invoice_id=None) -> dict[int, Decimal]:
    """Per order line id: the quantity on invoices of the order that still count (drafts
    reserve their quantity; cancelled and voided invoices free it)."""
    rows = (SalesInvoiceLine.objects.filter(company_id=order.company_id,
                                            order_line__document=order)
            .exclude(document__status__in=DEAD_STATES))
    if exclude_invoice_id is not None:
        rows = rows.exclude(document_id=exclude_invoice_id)
    sums: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for line_id, qty in rows.values_list("order_line_id", "quantity"):
        sums[line_id] += qty
    return dict(sums)


def credited_quantities(*, invoice, exclude_credit_id=None) -> dict[int, Decimal]:
    """Per invoice line id: the quantity on credit notes of the invoice that still count."""
    rows = (SalesCreditNoteLine.objects.filter(company_id=invoice.company_id,
                                               invoice_line__document=invoice)
            .exclude(document__status__in=DEAD_STATES))
    if exclude_credit_id is not None:
        rows = rows.exclude(document_id=exclude_credit_id)
    sums: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for line_id, qty in rows.values_list("invoice_line_id", "quantity"):
        sums[line_id] += qty
    return dict(sums)


def credited_amounts(*, invoice) -> dict[int, tuple[Decimal, Decimal]]:
    """Per invoice line id: (base, tax) on credit notes of the invoice that still count."""
    rows = (SalesCreditNoteLine.objects.filter(company_id=invoice.company_id,
                                               invoice_line__document=invoice)
            .exclude(document__status__in=DEAD_STATES))
    sums: dict[int, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    for line_id, base, tax in rows.values_list("invoice_line_id", "base_amount",
                                               "tax_amount"):
        sums[line_id][0] += base
        sums[line_id][1] += tax
    return {k: (v[0], v[1]) for k, v in sums.items()}


def client_open_balance(*, company, client) -> Decimal:
    """What the client owes on credit: the amount due of its posted invoices (cash sales
    ask nothing) less its unapplied payment credit. Equal to the client's balance on the
    receivable account (partner = its code)."""
    from cuadra.sales.payment_selectors import client_unapplied_credit

    due = (SalesInvoice.objects.filter(company=company, client=client,
                                       status__in=POSTED_STATES)
           .exclude(kind="RECEIPT_TAX_INVOICE")
           .aggregate(t=DecimalSum("total"), c=DecimalSum("amount_credited"),
                      p=DecimalSum("amount_paid")))
    owed = (due["t"] or ZERO) - (due["c"] or ZERO) - (due["p"] or ZERO)
    return owed - client_unapplied_credit(company=company, client=client)


def is_draft(document) -> bool:
    return document.status == DRAFT
