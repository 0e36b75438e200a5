"""What the Documents registry says about each purchasing document.

Found and imported by ``cuadra.documents.apps`` (``autodiscover_modules``). Supplier
invoices carry the payment state purchasing's payment tracking wrote
(``purchasing.balances``), never recomputed here; a payment links to the invoices it was
allocated to (released allocations of a failed payment as ``INVOICE_PAYMENT_REVERSED``);
expenses on credit likewise (``EXPENSE_PAYMENT``), with their own payment state.
"""

from __future__ import annotations

from decimal import Decimal

from cuadra.access.permissions import Path
from cuadra.documents.registry import Link, RecordValues, register_record_describer
from cuadra.purchasing.enums import (
    CREDIT_TYPE,
    EXPENSE_TYPE,
    INVOICE_TYPE,
    ORDER_TYPE,
    PAYMENT_TYPE,
    RECEIPT_TYPE,
    REQUISITION_TYPE,
)
from cuadra.purchasing.models import Expense, SupplierInvoice

ZERO = Decimal(0)
POSTED = ("issued", "entry_audit", "final")


def _supplier(supplier) -> dict:
    if supplier is None:
        return {}
    return {"party_type": "SUPPLIER", "party_id": supplier.pk, "party_code": supplier.code,
            "party_name": supplier.legal_name}


def _common(document, kind: str, **extra) -> dict:
    values = {"number": document.number, "kind": kind, "status": document.status,
              "document_date": document.date, "document_created_at": document.created_at,
              "branch_id": document.branch_id,
              "notes": getattr(document, "notes", None) or getattr(document, "description", "")}
    return {**values, **extra}


def _purchase(document, kind: str) -> dict:
    return _common(document, kind, creator_id=document.created_by_id,
                   owner_id=document.created_by_id, currency=document.currency,
                   amount=document.total, tax=document.tax_total,
                   **_supplier(document.supplier))


def describe_requisition(requisition) -> RecordValues:
    return RecordValues(**_common(requisition, "PURCHASE_REQUISITION",
                                  creator_id=requisition.requester_id,
                                  owner_id=requisition.requester_id,
                                  amount=requisition.total))


def describe_order(order) -> RecordValues:
    return RecordValues(**_purchase(order, "PURCHASE_ORDER"))


def describe_receipt(receipt) -> RecordValues:
    order = receipt.order
    return RecordValues(**_common(receipt, "GOODS_RECEIPT", creator_id=receipt.created_by_id,
                                  owner_id=receipt.created_by_id, currency=order.currency,
                                  **_supplier(order.supplier)),
                        links=[Link(order, receipt, "ORDER_RECEIPT")])


def describe_invoice(invoice: SupplierInvoice) -> RecordValues:
    posted = invoice.status in POSTED
    links = [Link(invoice.order, invoice, "ORDER_INVOICE")] if invoice.order_id else []
    for allocation in invoice.allocations.order_by("id"):
        role = "INVOICE_PAYMENT_REVERSED" if allocation.released_at else "INVOICE_PAYMENT"
        links.append(Link(invoice, (PAYMENT_TYPE, allocation.payment_id), role))
    return RecordValues(**_purchase(invoice, "SUPPLIER_INVOICE"), due_date=invoice.due_date,
                        payment_state=str(invoice.payment_state) if posted else "",
                        paid_amount=invoice.amount_paid if posted else ZERO, links=links)


def describe_credit(credit) -> RecordValues:
    links = [Link(credit, credit.invoice, "CREDIT_INVOICE")] if credit.invoice_id else []
    related = [credit.invoice] if credit.invoice_id else []
    return RecordValues(**_purchase(credit, "SUPPLIER_CREDIT"), links=links, related=related)


def describe_payment(payment) -> RecordValues:
    status = str(payment.status)
    invoices = SupplierInvoice._base_manager.filter(
        pk__in=payment.allocations.values("invoice_id")).order_by("id")
    expenses = Expense._base_manager.filter(
        pk__in=payment.allocations.values("expense_id")).order_by("id")
    return RecordValues(
        number=payment.number, kind="SUPPLIER_PAYMENT", status=status,
        document_date=payment.date, document_created_at=payment.created_at,
        creator_id=payment.created_by_id, owner_id=payment.created_by_id,
        currency=payment.currency, amount=payment.amount,
        paid_amount=payment.amount if status == "SUCCEEDED" else ZERO,
        payment_result=status, notes=payment.reference,
        related=[*invoices, *expenses], **_supplier(payment.supplier))


def describe_expense(expense) -> RecordValues:
    posted = expense.status in POSTED
    links = []
    for allocation in expense.allocations.order_by("id"):
        role = "EXPENSE_PAYMENT_REVERSED" if allocation.released_at else "EXPENSE_PAYMENT"
        links.append(Link(expense, (PAYMENT_TYPE, allocation.payment_id), role))
    return RecordValues(**_common(expense, "EXPENSE", creator_id=expense.created_by_id,
                                  owner_id=expense.created_by_id, currency=expense.currency,
                                  amount=expense.total, tax=expense.tax_amount,
                                  payment_state=str(expense.payment_state) if posted else "",
                                  paid_amount=expense.amount_paid if posted else ZERO,
                                  **_supplier(expense.supplier)), links=links)


def register() -> None:
    for document_type, describe, path, kinds in (
            (REQUISITION_TYPE, describe_requisition, Path.PURCHASE_REQUISITIONS,
             {"PURCHASE_REQUISITION": "Purchase requisition"}),
            (ORDER_TYPE, describe_order, Path.PURCHASE_ORDERS,
             {"PURCHASE_ORDER": "Order (purchase)"}),
            (RECEIPT_TYPE, describe_receipt, Path.GOODS_RECEIPTS,
             {"GOODS_RECEIPT": "Goods receipt"}),
            (INVOICE_TYPE, describe_invoice, Path.SUPPLIER_INVOICES,
             {"SUPPLIER_INVOICE": "Supplier invoice"}),
            (CREDIT_TYPE, describe_credit, Path.SUPPLIER_CREDITS,
             {"SUPPLIER_CREDIT": "Supplier credit"}),
            (PAYMENT_TYPE, describe_payment, Path.SUPPLIER_PAYMENTS,
             {"SUPPLIER_PAYMENT": "Supplier payment"}),
            (EXPENSE_TYPE, describe_expense, Path.EXPENSES, {"EXPENSE": "Expense"})):
        register_record_describer(document_type, describe, path=path, kinds=kinds)


register()
