"""GraphQL types of purchasing. Amounts go out as the exact ``Amount`` string; inputs take
the Decimal scalar (a string: a float is never accepted)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import strawberry
import strawberry_django

from cuadra.api.ledger.types import Amount
from cuadra.purchasing import models as m


def _id(value) -> strawberry.ID | None:
    return None if value is None else strawberry.ID(str(value))


@strawberry.interface(name="PurchaseLine")
class PurchaseLineFields:
    id: strawberry.ID
    line_no: int
    description: str
    quantity: Amount
    unit_price: Amount
    discount_percent: Amount
    tax_rate: Amount
    tax_inclusive: bool
    base_amount: Amount
    tax_amount: Amount
    total_amount: Amount

    @strawberry.field
    def item_id(self) -> strawberry.ID | None:
        return _id(self.item_id)

    @strawberry.field
    def unit_id(self) -> strawberry.ID | None:
        return _id(self.unit_id)

    @strawberry.field
    def tax_id(self) -> strawberry.ID | None:
        return _id(self.tax_id)

    @strawberry.field
    def account_id(self) -> strawberry.ID | None:
        return _id(self.account_id)


@strawberry.interface(name="PurchaseDocument")
class PurchaseDocumentFields:
    id: strawberry.ID
    status: str
    number: str
    date: dt.date
    currency: str
    notes: str
    subtotal: Amount
    tax_total: Amount
    total: Amount

    @strawberry.field
    def supplier_id(self) -> strawberry.ID:
        return _id(self.supplier_id)

    @strawberry.field
    def supplier_code(self) -> str:
        return self.supplier.code


@strawberry_django.type(m.PurchaseRequisitionLine, name="PurchaseRequisitionLine")
class RequisitionLineType:
    id: strawberry.ID
    line_no: int
    description: str
    unit_name: str
    quantity: Amount
    estimated_price: Amount
    estimated_amount: Amount
    needed_by: dt.date | None

    @strawberry.field
    def item_id(self) -> strawberry.ID | None:
        return _id(self.item_id)

    @strawberry.field
    def unit_id(self) -> strawberry.ID | None:
        return _id(self.unit_id)


@strawberry_django.type(m.PurchaseRequisition, name="PurchaseRequisition")
class RequisitionType:
    id: strawberry.ID
    status: str
    number: str
    date: dt.date
    notes: str
    total: Amount
    lines: list[RequisitionLineType]

    @strawberry.field
    def requester_id(self) -> strawberry.ID:
        return _id(self.requester_id)


@strawberry_django.type(m.PurchaseOrderLine, name="PurchaseOrderLine")
class OrderLineType(PurchaseLineFields):
    @strawberry.field
    def requisition_line_id(self) -> strawberry.ID | None:
        return _id(self.requisition_line_id)


@strawberry_django.type(m.PurchaseOrder, name="PurchaseOrder")
class OrderType(PurchaseDocumentFields):
    expected_date: dt.date | None
    terms: str
    lines: list[OrderLineType]


@strawberry_django.type(m.GoodsReceiptLine, name="GoodsReceiptLine")
class ReceiptLineType:
    id: strawberry.ID
    line_no: int
    quantity: Amount

    @strawberry.field
    def order_line_id(self) -> strawberry.ID:
        return _id(self.order_line_id)


@strawberry_django.type(m.GoodsReceipt, name="GoodsReceipt")
class ReceiptType:
    id: strawberry.ID
    status: str
    number: str
    date: dt.date
    notes: str
    lines: list[ReceiptLineType]

    @strawberry.field
    def order_id(self) -> strawberry.ID:
        return _id(self.order_id)


@strawberry_django.type(m.SupplierInvoiceLine, name="SupplierInvoiceLine")
class InvoiceLineType(PurchaseLineFields):
    @strawberry.field
    def order_line_id(self) -> strawberry.ID | None:
        return _id(self.order_line_id)

    @strawberry.field
    def receipt_line_id(self) -> strawberry.ID | None:
        return _id(self.receipt_line_id)


@strawberry_django.type(m.SupplierInvoice, name="SupplierInvoice")
class InvoiceType(PurchaseDocumentFields):
    supplier_number: str
    due_date: dt.date | None
    amount_paid: Amount
    amount_credited: Amount
    amount_due: Amount
    payment_state: str
    match_override_reason: str
    lines: list[InvoiceLineType]

    @strawberry.field
    def order_id(self) -> strawberry.ID | None:
        return _id(self.order_id)

    @strawberry.field
    def receipt_id(self) -> strawberry.ID | None:
        return _id(self.receipt_id)

    @strawberry.field
    def journal_entry_id(self) -> strawberry.ID | None:
        return _id(self.journal_entry_id)

    @strawberry.field
    def match_overridden(self) -> bool:
        return self.match_override_at is not None


@strawberry_django.type(m.SupplierCreditLine, name="SupplierCreditLine")
class CreditLineType(PurchaseLineFields):
    @strawberry.field
    def invoice_line_id(self) -> strawberry.ID | None:
        return _id(self.invoice_line_id)


@strawberry_django.type(m.SupplierCredit, name="SupplierCredit")
class CreditType(PurchaseDocumentFields):
    kind: str
    reason: str
    supplier_number: str
    lines: list[CreditLineType]

    @strawberry.field
    def invoice_id(self) -> strawberry.ID | None:
        return _id(self.invoice_id)

    @strawberry.field
    def journal_entry_id(self) -> strawberry.ID | None:
        return _id(self.journal_entry_id)


@strawberry_django.type(m.SupplierPaymentAllocation, name="SupplierPaymentAllocation")
class AllocationType:
    id: strawberry.ID
    amount: Amount
    released_at: dt.datetime | None

    @strawberry.field
    def invoice_id(self) -> strawberry.ID | None:
        return _id(self.invoice_id)

    @strawberry.field
    def expense_id(self) -> strawberry.ID | None:
        return _id(self.expense_id)


@strawberry_django.type(m.SupplierPaymentRefund, name="SupplierPaymentRefund")
class RefundType:
    id: strawberry.ID
    date: dt.date
    amount: Amount
    reference: str

    @strawberry.field
    def payment_id(self) -> strawberry.ID:
        return _id(self.payment_id)

    @strawberry.field
    def account_id(self) -> strawberry.ID:
        return _id(self.account_id)

    @strawberry.field
    def journal_entry_id(self) -> strawberry.ID | None:
        return _id(self.journal_entry_id)


@strawberry_django.type(m.SupplierPayment, name="SupplierPayment")
class PaymentType:
    id: strawberry.ID
    status: str
    number: str
    date: dt.date
    method: str
    amount: Amount
    currency: str
    reference: str
    allocated: Amount
    refunded: Amount
    allocations: list[AllocationType]
    refunds: list[RefundType]

    @strawberry.field
    def unapplied(self) -> Amount:
        return self.amount - self.allocated - self.refunded

    @strawberry.field
    def supplier_id(self) -> strawberry.ID:
        return _id(self.supplier_id)

    @strawberry.field
    def account_id(self) -> strawberry.ID:
        return _id(self.account_id)

    @strawberry.field
    def journal_entry_id(self) -> strawberry.ID | None:
        return _id(self.journal_entry_id)


@strawberry_django.type(m.StoredFile, name="StoredFile")
class StoredFileType:
    id: strawberry.ID
    sha256: str
    size: int
    name: str
    content_type: str


@strawberry_django.type(m.Expense, name="Expense")
class ExpenseType:
    id: strawberry.ID
    status: str
    number: str
    date: dt.date
    description: str
    currency: str
    amount: Amount
    tax_rate: Amount
    tax_amount: Amount
    total: Amount
    payment_method: str
    receipt_file: StoredFileType | None
    amount_paid: Amount
    amount_due: Amount
    payment_state: str

    @strawberry.field
    def supplier_id(self) -> strawberry.ID | None:
        return _id(self.supplier_id)

    @strawberry.field
    def expense_account_id(self) -> strawberry.ID:
        return _id(self.expense_account_id)

    @strawberry.field
    def payment_account_id(self) -> strawberry.ID | None:
        return _id(self.payment_account_id)

    @strawberry.field
    def journal_entry_id(self) -> strawberry.ID | None:
        return _id(self.journal_entry_id)


@strawberry_django.type(m.SupplierPrice, name="SupplierPrice")
class SupplierPriceType:
    id: strawberry.ID
    price: Amount
    currency: str
    min_quantity: Amount
    valid_from: dt.date | None
    valid_until: dt.date | None

    @strawberry.field
    def supplier_id(self) -> strawberry.ID:
        return _id(self.supplier_id)

    @strawberry.field
    def item_id(self) -> strawberry.ID:
        return _id(self.item_id)

    @strawberry.field
    def unit_id(self) -> strawberry.ID | None:
        return _id(self.unit_id)


@strawberry.type(name="PurchasingSettings")
class SettingsType:
    receipt_tolerance_percent: Amount
    price_tolerance_percent: Amount


# --- reports --------------------------------------------------------------------------------

@strawberry.type(name="PayablesAgingRow")
class AgingRowType:
    supplier_id: strawberry.ID
    supplier_code: str
    current: Amount
    days_1_30: Amount
    days_31_60: Amount
    days_61_90: Amount
    over_90: Amount
    total: Amount


@strawberry.type(name="PurchaseTotal")
class PurchaseTotalType:
    key: str
    name: str
    base: Amount
    tax: Amount
    total: Amount


@strawberry.type(name="OpenPurchaseOrderLine")
class OpenOrderLineType:
    order_id: strawberry.ID
    order_number: str
    supplier_code: str
    line_id: strawberry.ID
    description: str
    ordered: Amount
    received: Amount
    remaining: Amount


@strawberry.type(name="ReceivedNotInvoicedRow")
class ReceivedNotInvoicedType:
    order_line_id: strawberry.ID
    order_number: str
    description: str
    received: Amount
    invoiced: Amount
    amount: Amount


# --- inputs ---------------------------------------------------------------------------------

@strawberry.input(name="PurchaseLineInput")
class LineInput:
    quantity: Decimal
    item_id: strawberry.ID | None = None
    unit_id: strawberry.ID | None = None
    description: str | None = None
    unit_price: Decimal | None = None
    discount_percent: Decimal | None = None
    tax_id: strawberry.ID | None = strawberry.UNSET
    tax_inclusive: bool = False
    account_id: strawberry.ID | None = None

    def as_data(self) -> dict:
        data = {"item": self.item_id, "unit": self.unit_id, "description": self.description,
                "quantity": self.quantity, "unit_price": self.unit_price,
                "discount_percent": self.discount_percent,
                "tax_inclusive": self.tax_inclusive, "account": self.account_id}
        if self.tax_id is not strawberry.UNSET:
            data["tax"] = self.tax_id
        return data


@strawberry.input(name="PurchaseRequisitionLineInput")
class RequisitionLineInput:
    quantity: Decimal
    item_id: strawberry.ID | None = None
    unit_id: strawberry.ID | None = None
    description: str | None = None
    estimated_price: Decimal | None = None
    needed_by: dt.date | None = None
    unit_name: str | None = None

    def as_data(self) -> dict:
        return {"item": self.item_id, "unit": self.unit_id, "description": self.description,
                "quantity": self.quantity, "estimated_price": self.estimated_price,
                "needed_by": self.needed_by, "unit_name": self.unit_name}


@strawberry.input(name="PurchaseRequisitionInput")
class RequisitionInput:
    lines: list[RequisitionLineInput]
    date: dt.date | None = None
    branch_id: strawberry.ID | None = None
    notes: str | None = None


@strawberry.input(name="RequisitionConversionLineInput")
class ConversionLineInput:
    requisition_line_id: strawberry.ID
    supplier_id: strawberry.ID
    quantity: Decimal | None = None
    unit_price: Decimal | None = None

    def as_data(self) -> dict:
        return {"line_id": self.requisition_line_id, "supplier": self.supplier_id,
                "quantity": self.quantity, "unit_price": self.unit_price}


@strawberry.input(name="PurchaseOrderInput")
class OrderInput:
    supplier_id: strawberry.ID
    lines: list[LineInput]
    date: dt.date | None = None
    currency: str | None = None
    branch_id: strawberry.ID | None = None
    notes: str | None = None
    expected_date: dt.date | None = None
    terms: str | None = None

    def as_data(self) -> dict:
        data = {"date": self.date, "currency": self.currency, "branch": self.branch_id,
                "notes": self.notes, "expected_date": self.expected_date, "terms": self.terms}
        return {k: v for k, v in data.items() if v is not None}


@strawberry.input(name="PurchaseOrderUpdateInput")
class OrderUpdateInput:
    lines: list[LineInput] | None = None
    date: dt.date | None = None
    notes: str | None = None
    expected_date: dt.date | None = None
    terms: str | None = None

    def as_data(self) -> dict:
        data = {"date": self.date, "notes": self.notes, "expected_date": self.expected_date,
                "terms": self.terms}
        return {k: v for k, v in data.items() if v is not None}


@strawberry.input(name="SupplierInvoiceInput")
class InvoiceInput:
    supplier_id: strawberry.ID
    lines: list[LineInput]
    supplier_number: str | None = None
    date: dt.date | None = None
    due_date: dt.date | None = None
    currency: str | None = None
    branch_id: strawberry.ID | None = None
    notes: str | None = None

    def as_data(self) -> dict:
        data = {"date": self.date, "due_date": self.due_date, "currency": self.currency,
                "branch": self.branch_id, "notes": self.notes,
                "supplier_number": self.supplier_number}
        return {k: v for k, v in data.items() if v is not None}


@strawberry.input(name="SupplierInvoiceUpdateInput")
class InvoiceUpdateInput:
    lines: list[LineInput] | None = None
    supplier_number: str | None = None
    date: dt.date | None = None
    due_date: dt.date | None = None
    notes: str | None = None

    def as_data(self) -> dict:
        data = {"date": self.date, "due_date": self.due_date, "notes": self.notes,
                "supplier_number": self.supplier_number}
        return {k: v for k, v in data.items() if v is not None}


@strawberry.input(name="SourceLineInput")
class SourceLineInput:
    """A line of the source document (order, receipt or invoice line) and how much of it;
    ``unitPrice`` is the supplier's price when it differs (invoices)."""

    line_id: strawberry.ID
    quantity: Decimal | None = None
    unit_price: Decimal | None = None

    def as_data(self) -> dict:
        return {"line_id": self.line_id, "quantity": self.quantity,
                "unit_price": self.unit_price}


@strawberry.input(name="SupplierCreditInput")
class CreditInput:
    kind: str
    reason: str
    invoice_id: strawberry.ID | None = None
    invoice_lines: list[SourceLineInput] | None = None
    supplier_id: strawberry.ID | None = None
    lines: list[LineInput] | None = None
    supplier_number: str | None = None
    date: dt.date | None = None


@strawberry.input(name="SupplierPaymentAllocationInput")
class AllocationInput:
    """One of ``invoiceId`` (a supplier invoice) or ``expenseId`` (an expense on credit)."""

    amount: Decimal
    invoice_id: strawberry.ID | None = None
    expense_id: strawberry.ID | None = None

    def as_data(self) -> dict:
        return {"invoice": self.invoice_id, "expense": self.expense_id,
                "amount": self.amount}


@strawberry.input(name="SupplierPaymentRefundInput")
class RefundInput:
    amount: Decimal
    date: dt.date | None = None
    account_id: strawberry.ID | None = None
    reference: str | None = None
    idempotency_key: str | None = None


@strawberry.input(name="SupplierPaymentInput")
class PaymentInput:
    supplier_id: strawberry.ID
    amount: Decimal
    method: str
    date: dt.date | None = None
    account_id: strawberry.ID | None = None
    reference: str | None = None
    allocations: list[AllocationInput] | None = None
    succeeded: bool = True
    idempotency_key: str | None = None


@strawberry.input(name="SupplierPriceInput")
class SupplierPriceInput:
    supplier_id: strawberry.ID
    item_id: strawberry.ID
    price: Decimal
    unit_id: strawberry.ID | None = None
    min_quantity: Decimal | None = None
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    currency: str | None = None


@strawberry.input(name="ExpenseInput")
class ExpenseInput:
    description: str
    amount: Decimal
    expense_account_id: strawberry.ID
    payment_method: str
    date: dt.date | None = None
    supplier_id: strawberry.ID | None = None
    tax_id: strawberry.ID | None = None
    payment_account_id: strawberry.ID | None = None
    branch_id: strawberry.ID | None = None
    receipt_file_id: strawberry.ID | None = None
    currency: str | None = None


@strawberry.input(name="PurchaseDocumentFilter")
class DocumentFilter:
    status: str | None = None
    supplier_id: strawberry.ID | None = None
