"""Reads of purchasing: documents, quantities ordered/received/invoiced/credited, the
company's settings, supplier prices, and the reports (payables aging, purchases by
supplier and item, open orders, received-not-invoiced)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet

from cuadra.core.errors import NotFound
from cuadra.core.money import DecimalSum
from cuadra.documents.presets import CANCELLED, VOIDED
from cuadra.purchasing import models as m
from cuadra.purchasing.enums import PaymentStatus

ZERO = Decimal(0)
DEAD_STATES = (CANCELLED, VOIDED)
# an invoice, credit note or expense on the books (simple: issued; five_stage: entry_audit,
# final); a receipt counts once issued
POSTED_STATES = ("issued", "entry_audit", "final")
LIVE_ORDER_STATES = ("issued", "closed")


def _get(model, *, company, pk, field: str = "id"):
    text = str(pk)
    row = (model.objects.filter(company=company, pk=int(text)).first()
           if text.isdigit() else None)
    if row is None:
        raise NotFound(f"No such {model._meta.verbose_name}.", field=field)
    return row


def purchase_requisition_get(*, company, requisition_id, field="id"):
    return _get(m.PurchaseRequisition, company=company, pk=requisition_id, field=field)


def purchase_order_get(*, company, order_id, field="id"):
    return _get(m.PurchaseOrder, company=company, pk=order_id, field=field)


def goods_receipt_get(*, company, receipt_id, field="id"):
    return _get(m.GoodsReceipt, company=company, pk=receipt_id, field=field)


def supplier_invoice_get(*, company, invoice_id, field="id"):
    return _get(m.SupplierInvoice, company=company, pk=invoice_id, field=field)


def supplier_credit_get(*, company, credit_id, field="id"):
    return _get(m.SupplierCredit, company=company, pk=credit_id, field=field)


def supplier_payment_get(*, company, payment_id, field="id"):
    return _get(m.SupplierPayment, company=company, pk=payment_id, field=field)


def expense_get(*, company, expense_id, field="id"):
    return _get(m.Expense, company=company, pk=expense_id, field=field)


def supplier_price_get(*, company, price_id, field="id"):
    return _get(m.SupplierPrice, company=company, pk=price_id, field=field)


def _list(model, company, status=None, supplier_id=None) -> QuerySet:
    qs = model.objects.filter(company=company)
    if status:
        qs = qs.filter(status=status)
    if supplier_id:
        qs = qs.filter(supplier_id=supplier_id)
    return qs.order_by("-date", "-id")


def purchase_requisitions_list(*, company, status=None) -> QuerySet:
    return _list(m.PurchaseRequisition, company, status)


def purchase_orders_list(*, company, status=None, supplier_id=None) -> QuerySet:
    return _list(m.PurchaseOrder, company, status, supplier_id)


def goods_receipts_list(*, company, status=None) -> QuerySet:
    return _list(m.GoodsReceipt, company, status)


def supplier_invoices_list(*, company, status=None, supplier_id=None) -> QuerySet:
    return _list(m.SupplierInvoice, company, status, supplier_id)


def supplier_credits_list(*, company, status=None, supplier_id=None) -> QuerySet:
    return _list(m.SupplierCredit, company, status, supplier_id)


def supplier_payments_list(*, company, status=None, supplier_id=None) -> QuerySet:
    return _list(m.SupplierPayment, company, status, supplier_id)


def expenses_list(*, company, status=None, supplier_id=None) -> QuerySet:
    return _list(m.Expense, company, status, supplier_id)


def supplier_prices_list(*, company, supplier_id=None, item_id=None) -> QuerySet:
    qs = m.SupplierPrice.objects.filter(company=company)
    if supplier_id:
        qs = qs.filter(supplier_id=supplier_id)
    if item_id:
        qs = qs.filter(item_id=item_id)
    return qs.order_by("supplier_id", "item_id", "min_quantity", "id")


def purchasing_settings_get(*, company) -> m.PurchasingSettings:
    """The company's row, or an unsaved one with the defaults (0% tolerances)."""
    return (m.PurchasingSettings.objects.filter(company=company).first()
            or m.PurchasingSettings(company=company, receipt_tolerance_percent=ZERO,
                                    price_tolerance_percent=ZERO))


def supplier_price_resolve(*, company, supplier, item, unit, quantity: Decimal,
                           date: dt.date) -> Decimal | None:
    """The supplier's price for the item in the unit on ``date``: among valid rows whose
    ``min_quantity`` the quantity reaches, the one with the highest minimum."""
    row = (m.SupplierPrice.objects.filter(company=company, supplier=supplier, item=item,
                                          unit=unit, min_quantity__lte=quantity)
           .filter(Q(valid_from=None) | Q(valid_from__lte=date))
           .filter(Q(valid_until=None) | Q(valid_until__gte=date))
           .order_by("-min_quantity", "-id").first())
    return row.price if row is not None else None


# --- quantities ----------------------------------------------------------------------------

def _sum_by(rows) -> dict[int, Decimal]:
    sums: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for key, qty in rows:
        sums[key] += qty
    return dict(sums)


def ordered_quantities(*, requisition) -> dict[int, Decimal]:
    """Per requisition line id: the quantity on purchase orders that still count."""
    return _sum_by(m.PurchaseOrderLine.objects
                   .filter(company_id=requisition.company_id,
                           requisition_line__document=requisition)
                   .exclude(document__status__in=DEAD_STATES)
                   .values_list("requisition_line_id", "quantity"))


def received_quantities(*, order, include_receipt_id=None) -> dict[int, Decimal]:
    """Per order line id: the quantity on issued receipts (plus one receipt being
    issued)."""
    rows = m.GoodsReceiptLine.objects.filter(company_id=order.company_id,
                                             order_line__document=order)
    status = Q(document__status="issued")
    if include_receipt_id is not None:
        status |= Q(document_id=include_receipt_id)
    return _sum_by(rows.filter(status).values_list("order_line_id", "quantity"))


def invoiced_quantities(*, order) -> dict[int, Decimal]:
    """Per order line id: the quantity on supplier invoices that still count."""
    return _sum_by(m.SupplierInvoiceLine.objects
                   .filter(company_id=order.company_id, order_line__document=order)
                   .exclude(document__status__in=DEAD_STATES)
                   .values_list("order_line_id", "quantity"))


def credited_quantities(*, invoice) -> dict[int, Decimal]:
    return _sum_by(m.SupplierCreditLine.objects
                   .filter(company_id=invoice.company_id, invoice_line__document=invoice)
                   .exclude(document__status__in=DEAD_STATES)
                   .values_list("invoice_line_id", "quantity"))


def credited_amounts(*, invoice) -> dict[int, tuple[Decimal, Decimal]]:
    sums: dict[int, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    for line_id, base, tax in (m.SupplierCreditLine.objects
                               .filter(company_id=invoice.company_id,
                                       invoice_line__document=invoice)
                               .exclude(document__status__in=DEAD_STATES)
                               .values_list("invoice_line_id", "base_amount", "tax_amount")):
        sums[line_id][0] += base
        sums[line_id][1] += tax
    return {k: (v[0], v[1]) for k, v in sums.items()}


# --- reports -------------------------------------------------------------------------------

AGING_BUCKETS = ("current", "1-30", "31-60", "61-90", "90+")


@dataclass
class AgingRow:
    supplier_id: int
    supplier_code: str
    buckets: dict[str, Decimal]

    @property
    def total(self) -> Decimal:
        return sum(self.buckets.values(), ZERO)


def _bucket(due: dt.date | None, as_of: dt.date) -> str:
    days = (as_of - due).days if due else 0
    if days <= 0:
        return "current"
    if days <= 30:
        return "1-30"
    if days <= 60:
        return "31-60"
    if days <= 90:
        return "61-90"
    return "90+"


def payables_aging(*, company, as_of: dt.date) -> list[AgingRow]:
    """What the company owes each supplier on ``as_of``, by days past due: posted invoices
    less their posted related credits and the allocations of succeeded payments, all dated
    on or before ``as_of``; free credits, unapplied payment amounts less what the supplier
    refunded (negative) and expenses on credit less their allocations. The grand total
    equals the PAYABLE accounts' balance on that date, since these are exactly the
    documents that post to them."""
    rows: dict[int, AgingRow] = {}

    def add(supplier, due, amount):
        if not amount:
            return
        row = rows.setdefault(supplier.pk, AgingRow(supplier.pk, supplier.code,
                                                    dict.fromkeys(AGING_BUCKETS, ZERO)))
        row.buckets[_bucket(due, as_of)] += amount

    invoices = list(m.SupplierInvoice.objects.filter(
        company=company, status__in=POSTED_STATES, date__lte=as_of).select_related("supplier"))
    credits = m.SupplierCredit.objects.filter(company=company, status__in=POSTED_STATES,
                                              date__lte=as_of).select_related("supplier")
    related: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for credit in credits:
        if credit.invoice_id:
            related[credit.invoice_id] += credit.total
        else:
            add(credit.supplier, credit.date, -credit.total)
    paid: dict[tuple[str, int], Decimal] = defaultdict(lambda: ZERO)
    payments = m.SupplierPayment.objects.filter(
        company=company, status=PaymentStatus.SUCCEEDED, date__lte=as_of
    ).select_related("supplier")
    for payment in payments:
        applied = ZERO
        for alloc in payment.allocations.filter(released_at=None):
            target = ("invoice", alloc.invoice_id) if alloc.invoice_id else \
                ("expense", alloc.expense_id)
            paid[target] += alloc.amount
            applied += alloc.amount
        refunded = (payment.refunds.filter(date__lte=as_of)
                    .aggregate(s=DecimalSum("amount"))["s"] or ZERO)
        add(payment.supplier, payment.date, -(payment.amount - applied - refunded))
    for invoice in invoices:
        add(invoice.supplier, invoice.due_date,
            invoice.total - related[invoice.pk] - paid["invoice", invoice.pk])
    for expense in m.Expense.objects.filter(company=company, status__in=POSTED_STATES,
                                            payment_method="CREDIT", date__lte=as_of
                                            ).select_related("supplier"):
        add(expense.supplier, expense.date, expense.total - paid["expense", expense.pk])
    return sorted(rows.values(), key=lambda r: r.supplier_code)


@dataclass
class PurchaseTotal:
    key: str
    name: str
    base: Decimal
    tax: Decimal
    total: Decimal


def _purchase_lines(company, date_from, date_to):
    invoice_lines = m.SupplierInvoiceLine.objects.filter(
        company=company, document__status__in=POSTED_STATES)
    credit_lines = m.SupplierCreditLine.objects.filter(
        company=company, document__status__in=POSTED_STATES)
    if date_from:
        invoice_lines = invoice_lines.filter(document__date__gte=date_from)
        credit_lines = credit_lines.filter(document__date__gte=date_from)
    if date_to:
        invoice_lines = invoice_lines.filter(document__date__lte=date_to)
        credit_lines = credit_lines.filter(document__date__lte=date_to)
    return ((1, invoice_lines), (-1, credit_lines))


def _grouped(company, date_from, date_to, key_fields) -> list[PurchaseTotal]:
    sums: dict[tuple, list[Decimal]] = {}
    for sign, qs in _purchase_lines(company, date_from, date_to):
        for *key, base, tax in qs.values_list(*key_fields, "base_amount", "tax_amount"):
            row = sums.setdefault(tuple(key), [ZERO, ZERO])
            row[0] += sign * base
            row[1] += sign * tax
    return sorted((PurchaseTotal(str(k[0] or ""), str(k[1] or ""), b, t, b + t)
                   for k, (b, t) in sums.items()), key=lambda r: r.key)


def purchases_by_supplier(*, company, date_from=None, date_to=None) -> list[PurchaseTotal]:
    """Posted supplier invoices less posted credit notes, per supplier code."""
    return _grouped(company, date_from, date_to,
                    ("document__supplier__code", "document__supplier__legal_name"))


def purchases_by_item(*, company, date_from=None, date_to=None) -> list[PurchaseTotal]:
    """Posted supplier invoice lines less credit lines, per item SKU (free text: '')."""
    return _grouped(company, date_from, date_to, ("item__sku", "item__name"))


@dataclass
class OpenOrderLine:
    order_id: int
    order_number: str
    supplier_code: str
    line_id: int
    description: str
    ordered: Decimal
    received: Decimal
    remaining: Decimal


def open_purchase_orders(*, company) -> list[OpenOrderLine]:
    """Lines of issued orders with quantity still to receive."""
    out = []
    orders = (m.PurchaseOrder.objects.filter(company=company, status="issued")
              .select_related("supplier").order_by("date", "id"))
    for order in orders:
        received = received_quantities(order=order)
        for line in order.lines.order_by("line_no"):
            got = received.get(line.pk, ZERO)
            if got < line.quantity:
                out.append(OpenOrderLine(order.pk, order.number, order.supplier.code, line.pk,
                                         line.description, line.quantity, got,
                                         line.quantity - got))
    return out


@dataclass
class ReceivedNotInvoiced:
    order_line_id: int
    order_number: str
    description: str
    received: Decimal
    invoiced: Decimal
    amount: Decimal


def received_not_invoiced(*, company) -> list[ReceivedNotInvoiced]:
    """Per order line of goods: received less posted-invoiced quantity, valued at the
    order's net unit price (what GRNI would hold once receipts credit it at order cost)."""
    from cuadra.purchasing.lines import order_unit_cost

    received = _sum_by(m.GoodsReceiptLine.objects.filter(
        company=company, document__status="issued", order_line__item__kind="goods"
    ).values_list("order_line_id", "quantity"))
    invoiced = _sum_by(m.SupplierInvoiceLine.objects.filter(
        company=company, document__status__in=POSTED_STATES, order_line_id__in=received
    ).values_list("order_line_id", "quantity"))
    out = []
    lines = m.PurchaseOrderLine.objects.filter(pk__in=received).select_related("document")
    for line in lines.order_by("document_id", "line_no"):
        open_qty = received[line.pk] - invoiced.get(line.pk, ZERO)
        if open_qty:
            out.append(ReceivedNotInvoiced(line.pk, line.document.number, line.description,
                                           received[line.pk], invoiced.get(line.pk, ZERO),
                                           order_unit_cost(line, open_qty)))
    return out
