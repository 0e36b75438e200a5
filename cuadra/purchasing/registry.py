"""Document types, numbering and bounds checks of purchasing, and the approvals wiring.

Numbers are taken from the document's series at its issuing stage (requisition: submit;
order: issue; receipt: issue; invoice and credit: ``entry_audit``, which ``simple`` runs
at ``issue``; expense: issue). A document stepped back and re-posted keeps its number.

Approvals: the requisition's ``submit`` opens the approval request of the configs its
estimated total meets; ``release`` (run by the conversion to purchase orders) is refused
with APPROVAL_REQUIRED until the policy is satisfied; ``reject`` sends it back to draft.
"""

from __future__ import annotations

from cuadra.access.permissions import Path
from cuadra.approvals.registry import register_approvable
from cuadra.core.errors import InvalidTransition, ValidationError
from cuadra.documents import lifecycle
from cuadra.documents.presets import LEDGER, SIMPLE
from cuadra.purchasing import selectors
from cuadra.purchasing.enums import (
    CREDIT_TYPE,
    EXPENSE_TYPE,
    INVOICE_TYPE,
    ORDER_TYPE,
    PAYMENT_TYPE,
    RECEIPT_TYPE,
    REQUISITION_TYPE,
)
from cuadra.purchasing.models import (
    Expense,
    GoodsReceipt,
    PurchaseOrder,
    PurchaseRequisition,
    SupplierCredit,
    SupplierInvoice,
    SupplierPayment,
)
from cuadra.purchasing.workflows import (
    CREDIT_WORKFLOWS,
    EXPENSE_WORKFLOWS,
    INVOICE_WORKFLOWS,
    NUMBERING,
    ORDER,
    ORDER_WORKFLOWS,
    PAYMENT,
    PAYMENT_WORKFLOWS,
    RECEIPT_WORKFLOWS,
    REQUISITION,
    REQUISITION_WORKFLOWS,
)
from cuadra.sequences.enums import DocumentType
from cuadra.sequences.services import sequence_next

SERIES = {REQUISITION_TYPE: DocumentType.PURCHASE_REQUISITION,
          ORDER_TYPE: DocumentType.PURCHASE_ORDER, RECEIPT_TYPE: DocumentType.GOODS_RECEIPT,
          INVOICE_TYPE: DocumentType.SUPPLIER_INVOICE,
          CREDIT_TYPE: DocumentType.SUPPLIER_CREDIT,
          PAYMENT_TYPE: DocumentType.SUPPLIER_PAYMENT, EXPENSE_TYPE: DocumentType.EXPENSE}

# (type, model, workflows, default, stage at which the number is taken)
TYPES = (
    (REQUISITION_TYPE, PurchaseRequisition, REQUISITION_WORKFLOWS, REQUISITION, NUMBERING),
    (ORDER_TYPE, PurchaseOrder, ORDER_WORKFLOWS, ORDER, NUMBERING),
    (RECEIPT_TYPE, GoodsReceipt, RECEIPT_WORKFLOWS, SIMPLE, LEDGER),
    (INVOICE_TYPE, SupplierInvoice, INVOICE_WORKFLOWS, SIMPLE, LEDGER),
    (CREDIT_TYPE, SupplierCredit, CREDIT_WORKFLOWS, SIMPLE, LEDGER),
    (PAYMENT_TYPE, SupplierPayment, PAYMENT_WORKFLOWS, PAYMENT, None),
    (EXPENSE_TYPE, Expense, EXPENSE_WORKFLOWS, SIMPLE, LEDGER),
)


def register() -> None:
    for document_type, model, workflows, default, stage in TYPES:
        lifecycle.register_document_type(document_type, model=model, workflows=workflows,
                                         default_workflow=default)
        if stage is not None:
            lifecycle.register_effect(document_type, stage, apply=_check_and_number,
                                      compensate=None, name="purchasing.number")
    lifecycle.register_guard(ORDER_TYPE, "cancel", _refuse_cancelling_received,
                             name="purchasing.received_order")
    lifecycle.register_guard(INVOICE_TYPE, None, _refuse_unposting_credited_or_paid,
                             name="purchasing.credited_invoice")
    lifecycle.register_guard(RECEIPT_TYPE, "void", _refuse_voiding_invoiced_receipt,
                             name="purchasing.invoiced_receipt")
    lifecycle.register_guard(EXPENSE_TYPE, None, _refuse_unposting_paid_expense,
                             name="purchasing.paid_expense")
    lifecycle.register_guard(PAYMENT_TYPE, "fail", _refuse_failing_refunded,
                             name="purchasing.refunded_payment")
    register_approvable(REQUISITION_TYPE, model=PurchaseRequisition, submit_action="submit",
                        guarded_action="release", reject_action="reject",
                        path=Path.PURCHASE_REQUISITIONS)


def _refuse_cancelling_received(ctx: lifecycle.GuardContext) -> None:
    if selectors.received_quantities(order=ctx.document):
        raise InvalidTransition("Goods were received on this order; it is no longer "
                                "cancelled (close it instead).", field="action")


def _refuse_unposting_credited_or_paid(ctx: lifecycle.GuardContext) -> None:
    if LEDGER not in ctx.transition.compensates:
        return
    invoice = ctx.document
    if invoice.credit_notes.exclude(status__in=selectors.DEAD_STATES).exists():
        raise InvalidTransition("The invoice has credit notes; void or cancel them first.",
                                field="action")
    if invoice.allocations.filter(released_at=None).exists():
        raise InvalidTransition("Payments are allocated to the invoice; fail or reallocate "
                                "them first.", field="action")


def _refuse_unposting_paid_expense(ctx: lifecycle.GuardContext) -> None:
    if LEDGER in ctx.transition.compensates and \
            ctx.document.allocations.filter(released_at=None).exists():
        raise InvalidTransition("Payments are allocated to the expense; fail them first.",
                                field="action")


def _refuse_failing_refunded(ctx: lifecycle.GuardContext) -> None:
    if ctx.document.refunds.exists():
        raise InvalidTransition("The supplier refunded part of this payment; it is no "
                                "longer failed.", field="action")


def _refuse_voiding_invoiced_receipt(ctx: lifecycle.GuardContext) -> None:
    from cuadra.purchasing.models import SupplierInvoiceLine

    if SupplierInvoiceLine.objects.filter(receipt_line__document=ctx.document).exclude(
            document__status__in=selectors.DEAD_STATES).exists():
        raise InvalidTransition("Supplier invoices refer to this receipt; void them first.",
                                field="action")


def _check_and_number(ctx: lifecycle.EffectContext) -> None:
    from cuadra.purchasing.services import checks

    document = ctx.document
    if hasattr(document, "lines") and not document.lines.exists():
        raise ValidationError("A document with no lines is not issued.", field="lines")
    checks.check_at_issue(document, actor=ctx.actor)
    if document.number:
        return
    document_number(document)


def document_number(document) -> None:
    document.number = sequence_next(
        company=document.company, document_type=SERIES[document.document_type],
        date=document.date, branch=getattr(document, "branch", None),
        object_type=document._meta.label, object_id=document.pk)
    document.save(update_fields=["number", "updated_at"])
