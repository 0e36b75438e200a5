"""Writes of the purchasing domain, split by sub-topic; everything is re-exported here.

Every service runs in one transaction; a refusal raises a DomainError before anything is
written (or rolls everything back). Numbers, bounds, the three-way match and the ledger
posting are applied at the issuing transition by :mod:`cuadra.purchasing.registry` and
:mod:`cuadra.purchasing.posting`."""

from cuadra.purchasing.services.common import Result, document_transition
from cuadra.purchasing.services.expenses import expense_create, expense_post, stored_file_put
from cuadra.purchasing.services.invoices import (
    supplier_credit_create,
    supplier_invoice_create,
    supplier_invoice_from_order,
    supplier_invoice_from_receipt,
    supplier_invoice_match_override,
    supplier_invoice_update,
)
from cuadra.purchasing.services.orders import (
    purchase_order_cancel,
    purchase_order_close,
    purchase_order_create,
    purchase_order_issue,
    purchase_order_update,
    purchasing_settings_update,
    supplier_price_create,
    supplier_price_delete,
)
from cuadra.purchasing.services.payments import (
    supplier_payment_allocate,
    supplier_payment_fail,
    supplier_payment_refund,
    supplier_payment_register,
    supplier_payment_run,
    supplier_payment_succeed,
)
from cuadra.purchasing.services.receipts import (
    goods_receipt_create,
    goods_receipt_issue,
    goods_receipt_receive,
)
from cuadra.purchasing.services.requisitions import (
    purchase_requisition_convert,
    purchase_requisition_create,
    purchase_requisition_move,
    purchase_requisition_submit,
    purchase_requisition_update,
)


def supplier_invoice_issue(*, company, actor, invoice, idempotency_key=None) -> Result:
    """Post the invoice (``simple``: issue): match, number, ledger."""
    return document_transition(company=company, actor=actor, document=invoice,
                               action="issue", idempotency_key=idempotency_key)


def supplier_document_void(*, company, actor, document, reason: str) -> Result:
    from cuadra.purchasing.services.common import reason_required

    return document_transition(company=company, actor=actor, document=document,
                               action="void", comment=reason_required(reason))


__all__ = [
    "Result", "document_transition", "expense_create", "expense_post",
    "goods_receipt_create", "goods_receipt_issue", "goods_receipt_receive",
    "purchase_order_cancel", "purchase_order_close", "purchase_order_create",
    "purchase_order_issue", "purchase_order_update", "purchase_requisition_convert",
    "purchase_requisition_create", "purchase_requisition_move", "purchase_requisition_submit",
    "purchase_requisition_update", "purchasing_settings_update", "stored_file_put",
    "supplier_credit_create", "supplier_document_void", "supplier_invoice_create",
    "supplier_invoice_from_order", "supplier_invoice_from_receipt",
    "supplier_invoice_issue", "supplier_invoice_match_override", "supplier_invoice_update",
    "supplier_payment_allocate", "supplier_payment_fail", "supplier_payment_refund",
    "supplier_payment_register",
    "supplier_payment_run", "supplier_payment_succeed", "supplier_price_create",
    "supplier_price_delete",
]
