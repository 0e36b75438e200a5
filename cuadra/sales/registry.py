"""Document types, and the effects that make a document legal at its issuing stage.

At the ``entry_audit`` stage (``simple``: ``issue``) each sales document, in this order:
re-checks its bounds under a lock of its source (an order line is never invoiced, an
invoice line never credited, beyond its quantity; the client's credit), takes its number
from its series if it has none yet (a document stepped back and re-posted keeps its
number: numbers are never issued twice), then the ledger effect of
:mod:`cuadra.sales.posting` posts it. Nothing here is compensated: a voided document
keeps its number."""

from __future__ import annotations

from cuadra.core.errors import ErrorCollector, InvalidTransition, ValidationError
from cuadra.documents import lifecycle
from cuadra.documents.presets import LEDGER, SIMPLE
from cuadra.sales import selectors
from cuadra.sales.enums import CREDIT_TYPE, INVOICE_TYPE, ORDER_TYPE, QUOTE_TYPE, InvoiceKind
from cuadra.sales.models import SalesCreditNote, SalesInvoice, SalesOrder, SalesQuote
from cuadra.sales.workflows import (
    CREDIT_WORKFLOWS,
    INVOICE_WORKFLOWS,
    ORDER_WORKFLOWS,
    QUOTE_WORKFLOWS,
)
from cuadra.sequences.enums import DocumentType
from cuadra.sequences.services import sequence_next

SERIES = {QUOTE_TYPE: DocumentType.QUOTE, ORDER_TYPE: DocumentType.ORDER,
          INVOICE_TYPE: DocumentType.INVOICE, CREDIT_TYPE: DocumentType.CREDIT}


def register() -> None:
    for document_type, model, workflows in (
            (QUOTE_TYPE, SalesQuote, QUOTE_WORKFLOWS), (ORDER_TYPE, SalesOrder, ORDER_WORKFLOWS),
            (INVOICE_TYPE, SalesInvoice, INVOICE_WORKFLOWS),
            (CREDIT_TYPE, SalesCreditNote, CREDIT_WORKFLOWS)):
        lifecycle.register_document_type(document_type, model=model, workflows=workflows,
                                         default_workflow=SIMPLE)
        lifecycle.register_effect(document_type, LEDGER, apply=_check_and_number,
                                  compensate=None, name="sales.number")
    lifecycle.register_guard(INVOICE_TYPE, None, _refuse_unposting_credited,
                             name="sales.credited_invoice")


def _refuse_unposting_credited(ctx: lifecycle.GuardContext) -> None:
    """An invoice with live credit notes stays on the books: void the notes first."""
    if LEDGER not in ctx.transition.compensates:
        return
    live = ctx.document.credit_notes.exclude(status__in=selectors.DEAD_STATES)
    if live.exists():
        raise InvalidTransition("The invoice has credit notes; void or cancel them first.",
                                field="action")


def _check_and_number(ctx: lifecycle.EffectContext) -> None:
    document = ctx.document
    if not document.lines.exists():
        raise ValidationError("A document with no lines is not issued.", field="lines")
    if isinstance(document, SalesInvoice):
        _check_invoice(document)
    if isinstance(document, SalesCreditNote):
        _check_credit(document)
    number_assign(ctx.company, document)


def number_assign(company, document) -> None:
    """The document's legal number, once: at the ledger stage, or earlier in the same
    transition when its stock effect runs first and labels the cost entry with it."""
    if document.number:
        return
    document.number = sequence_next(
        company=company, document_type=SERIES[document.document_type],
        date=document.date, branch=document.branch, object_type=document._meta.label,
        object_id=document.pk)
    document.save(update_fields=["number", "updated_at"])


def _check_invoice(invoice: SalesInvoice) -> None:
    from cuadra.sales.services import invoice_credit_check

    check_order_bounds(invoice)
    if invoice.kind != InvoiceKind.RECEIPT_TAX_INVOICE:
        check = invoice_credit_check(invoice)
        if not check.allowed:
            raise ValidationError(check.warning, field="client")


def check_order_bounds(invoice: SalesInvoice) -> None:
    """An invoice of an order never takes an order line beyond its quantity (under the
    order's lock)."""
    if invoice.order_id is not None:
        order = SalesOrder._base_manager.select_for_update().get(pk=invoice.order_id)
        _check_bounds(invoice, {li.pk: li for li in order.lines.all()},
                      selectors.invoiced_quantities(order=order), "order_line_id", "invoiced")


def _check_credit(note: SalesCreditNote) -> None:
    invoice = SalesInvoice._base_manager.select_for_update().get(pk=note.invoice_id)
    if invoice.status not in selectors.POSTED_STATES:
        raise ValidationError(f"Invoice {invoice.number} is {invoice.status}; only a posted "
                              "invoice is credited.", field="invoiceId")
    _check_bounds(note, {li.pk: li for li in invoice.lines.all()},
                  selectors.credited_quantities(invoice=invoice), "invoice_line_id",
                  "credited")


def _check_bounds(document, source_lines: dict, used: dict, link: str, verb: str) -> None:
    """``used`` counts this document's own lines too (it is live): over means the sum of
    every live document exceeds the source line."""
    errors = ErrorCollector()
    for line in document.lines.order_by("line_no"):
        source = source_lines[getattr(line, link)]
        if used.get(source.pk, 0) > source.quantity:
            errors.add(f"lines[{line.line_no - 1}].quantity",
                       f"Line {source.line_no} would be {verb} beyond its quantity "
                       f"{source.quantity.normalize():f}.")
    errors.raise_if_any()
