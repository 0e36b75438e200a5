"""What the Documents registry says about each sales document (seed 004's types).

Found and imported by ``cuadra.documents.apps`` (``autodiscover_modules``), so sales needs
no call of its own. Payment tracking fields are read with ``getattr``: before payments
existed an issued cash sale (RECEIPT_TAX_INVOICE) counted as paid and every other issued
invoice as unpaid; once ``SalesInvoice.payment_state``/``amount_paid`` and ``Payment``
exist, the state is the one payment tracking wrote, never computed here."""

from __future__ import annotations

from decimal import Decimal

from cuadra.access.permissions import Path
from cuadra.documents.registry import Link, RecordValues, register_record_describer
from cuadra.sales import models as sales_models
from cuadra.sales.enums import CREDIT_TYPE, INVOICE_TYPE, ORDER_TYPE, QUOTE_TYPE, InvoiceKind

ZERO = Decimal(0)
POSTED = ("issued", "entry_audit", "final")
PAYMENT_MODEL = getattr(sales_models, "Payment", None)

INVOICE_KINDS = {InvoiceKind.INVOICE.value: "Invoice",
                 InvoiceKind.TAX_INVOICE.value: "Tax invoice (GI/IR)",
                 InvoiceKind.RECEIPT_TAX_INVOICE.value: "Receipt tax invoice"}


def _party(document) -> dict:
    client = document.client
    salesperson = document.salesperson or client.salesperson
    return {
        "party_type": "CLIENT", "party_id": client.pk, "party_code": client.code,
        "party_name": client.legal_name, "customer_status": client.status,
        "manager_id": salesperson.pk if salesperson else None,
        "manager_name": salesperson.name if salesperson else "",
        "owner_id": (salesperson.user_id if salesperson and salesperson.user_id
                     else document.created_by_id)}


def _common(document, kind: str) -> dict:
    return {"number": document.number, "kind": kind, "status": document.status,
            "document_date": document.date, "document_created_at": document.created_at,
            "branch_id": document.branch_id, "creator_id": document.created_by_id,
            "currency": document.currency, "amount": document.total,
            "tax": document.tax_total, "notes": document.notes, **_party(document)}


def describe_quote(quote) -> RecordValues:
    return RecordValues(**_common(quote, "QUOTE"), due_date=quote.valid_until)


def describe_order(order) -> RecordValues:
    links = [Link(order.quote, order, "QUOTE_ORDER")] if order.quote_id else []
    return RecordValues(**_common(order, "SALES_ORDER"), links=links)


def invoice_payment(invoice) -> tuple[str, Decimal]:
    """(payment state, paid amount) as payment tracking reports them; blank while the
    invoice asks for no payment (draft, cancelled, voided)."""
    if invoice.status not in POSTED:
        return "", ZERO
    state = getattr(invoice, "payment_state", None)
    if state is None:  # before payment tracking: only a cash sale is paid, at issue
        if invoice.kind == InvoiceKind.RECEIPT_TAX_INVOICE:
            return "PAID", invoice.total
        return "UNPAID", ZERO
    return str(state), getattr(invoice, "amount_paid", ZERO) or ZERO


def describe_invoice(invoice) -> RecordValues:
    state, paid = invoice_payment(invoice)
    links = [Link(invoice.order, invoice, "ORDER_INVOICE")] if invoice.order_id else []
    if PAYMENT_MODEL is not None and hasattr(invoice, "allocations"):
        for allocation in invoice.allocations.order_by("id"):
            role = "INVOICE_PAYMENT_REVERSED" if allocation.reversed else "INVOICE_PAYMENT"
            links.append(Link(invoice, (PAYMENT_MODEL.document_type, allocation.payment_id),
                              role))
    return RecordValues(**_common(invoice, str(invoice.kind)), due_date=invoice.due_date,
                        payment_state=state, paid_amount=paid, links=links)


def describe_credit_note(note) -> RecordValues:
    # issuing or voiding a note changes what its invoice still owes: resync it too, read
    # afresh (the note's cached invoice predates the payment state the note rewrote)
    invoice = sales_models.SalesInvoice._base_manager.get(pk=note.invoice_id)
    return RecordValues(**_common(note, "CREDIT_INVOICE"),
                        links=[Link(note, invoice, "CREDIT_INVOICE")], related=[invoice])


def describe_payment(payment) -> RecordValues:
    client = payment.client
    status = str(payment.status)
    invoices = sales_models.SalesInvoice._base_manager.filter(
        pk__in=payment.allocations.values("invoice_id")).order_by("id")
    return RecordValues(
        number=payment.number, kind="RECEIPT", status=status, document_date=payment.date,
        document_created_at=payment.created_at, party_type="CLIENT", party_id=client.pk,
        party_code=client.code, party_name=client.legal_name,
        customer_status=client.status,
        manager_id=client.salesperson_id,
        manager_name=client.salesperson.name if client.salesperson_id else "",
        creator_id=payment.created_by_id, owner_id=payment.created_by_id,
        currency=payment.currency, amount=payment.amount,
        paid_amount=payment.amount if status == "SUCCEEDED" else ZERO,
        payment_result=status, notes=payment.reference, related=list(invoices))


def register() -> None:
    register_record_describer(QUOTE_TYPE, describe_quote, path=Path.SALES_QUOTES,
                              kinds={"QUOTE": "Quote"})
    register_record_describer(ORDER_TYPE, describe_order, path=Path.SALES_ORDERS,
                              kinds={"SALES_ORDER": "Order (sales)"})
    register_record_describer(INVOICE_TYPE, describe_invoice, path=Path.SALES_INVOICES,
                              kinds=INVOICE_KINDS)
    register_record_describer(CREDIT_TYPE, describe_credit_note, path=Path.CREDIT_NOTES,
                              kinds={"CREDIT_INVOICE": "Credit invoice"})
    if PAYMENT_MODEL is not None:
        register_record_describer(PAYMENT_MODEL.document_type, describe_payment,
                                  path=Path.PAYMENTS, kinds={"RECEIPT": "Receipt"})


register()
