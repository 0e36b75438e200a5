"""GraphQL types of sales documents. Amounts go out as the exact ``Amount`` string;
inputs take the Decimal scalar (a string: a float is never accepted)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import strawberry
import strawberry_django
from django.db.models import Prefetch
from django.utils import timezone

from cuadra.api.ledger.types import Amount
from cuadra.sales import models as m
from cuadra.sales.totals import totals_by_rate


@strawberry.type(name="SalesRateTotal")
class RateTotalType:
    tax_code: str
    rate: Amount
    base: Amount
    tax: Amount


@strawberry.interface(name="SalesLine")
class SalesLineFields:
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
        return self.item_id

    @strawberry.field
    def unit_id(self) -> strawberry.ID | None:
        return self.unit_id

    @strawberry.field
    def tax_id(self) -> strawberry.ID | None:
        return self.tax_id


@strawberry_django.type(m.SalesQuoteLine, name="SalesQuoteLine")
class QuoteLineType(SalesLineFields):
    pass


@strawberry_django.type(m.SalesOrderLine, name="SalesOrderLine")
class OrderLineType(SalesLineFields):
    @strawberry.field
    def order_line_id(self) -> strawberry.ID | None:
        return None


@strawberry_django.type(m.SalesInvoiceLine, name="SalesInvoiceLine")
class InvoiceLineType(SalesLineFields):
    @strawberry.field
    def order_line_id(self) -> strawberry.ID | None:
        return self.order_line_id


@strawberry_django.type(m.SalesCreditNoteLine, name="SalesCreditNoteLine")
class CreditLineType(SalesLineFields):
    @strawberry.field
    def invoice_line_id(self) -> strawberry.ID:
        return self.invoice_line_id


def _rate_totals(document) -> list[RateTotalType]:
    """A page's lines and taxes come in one prefetch (``rate_lines``, its own attribute so
    the ``lines`` field's prefetch does not clash); a lone document reads its own."""
    lines = getattr(document, "rate_lines", None)
    if lines is None:
        lines = document.lines.select_related("tax").order_by("line_no")
    return [RateTotalType(tax_code=r.tax_code, rate=r.rate, base=r.base, tax=r.tax)
            for r in totals_by_rate(sorted(lines, key=lambda li: li.line_no))]


@strawberry.interface(name="SalesDocument")
class SalesDocumentFields:
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
    def client_id(self) -> strawberry.ID:
        return self.client_id

    @strawberry_django.field(select_related=["client"])
    def client_code(self) -> str:
        return self.client.code

    @strawberry.field
    def totals_by_rate(self) -> list[RateTotalType]:
        return _rate_totals(self)


@strawberry_django.type(m.SalesQuote, name="SalesQuote")
class QuoteType(SalesDocumentFields):
    valid_until: dt.date | None
    lines: list[QuoteLineType]


@strawberry_django.type(m.SalesOrder, name="SalesOrder")
class OrderType(SalesDocumentFields):
    lines: list[OrderLineType]

    @strawberry.field
    def quote_id(self) -> strawberry.ID | None:
        return self.quote_id


_DUE_FIELDS = ["kind", "status", "total", "amount_credited", "amount_paid"]


@strawberry_django.type(m.SalesInvoice, name="SalesInvoice")
class InvoiceType(SalesDocumentFields):
    kind: str
    due_date: dt.date | None
    lines: list[InvoiceLineType]
    amount_paid: Amount
    payment_state: str

    @strawberry_django.field(only=_DUE_FIELDS)
    def amount_due(self) -> Amount:
        return self.amount_due

    @strawberry_django.field(only=[*_DUE_FIELDS, "payment_state", "due_date"],
                             description="Past its due date and not paid, as of a date "
                                         "(default today).")
    def is_overdue(self, as_of: dt.date | None = None) -> bool:
        return self.is_overdue(as_of or timezone.localdate())

    @strawberry.field
    def order_id(self) -> strawberry.ID | None:
        return self.order_id

    @strawberry.field
    def journal_entry_id(self) -> strawberry.ID | None:
        return self.journal_entry_id

    @strawberry_django.field(prefetch_related=[Prefetch(
        "lines", queryset=m.SalesInvoiceLine.objects.select_related("tax"),
        to_attr="rate_lines")])
    def totals_by_rate(self) -> list[RateTotalType]:
        return _rate_totals(self)


@strawberry_django.type(m.SalesCreditNote, name="SalesCreditNote")
class CreditNoteType(SalesDocumentFields):
    reason: str
    lines: list[CreditLineType]

    @strawberry.field
    def invoice_id(self) -> strawberry.ID:
        return self.invoice_id


@strawberry.type(name="SalesInvoicePayload")
class InvoicePayload:
    invoice: InvoiceType
    warnings: list[str]


@strawberry.input(name="SalesLineInput")
class LineInput:
    quantity: Decimal
    item_id: strawberry.ID | None = None
    unit_id: strawberry.ID | None = None
    description: str | None = None
    unit_price: Decimal | None = None
    discount_percent: Decimal | None = None
    tax_id: strawberry.ID | None = strawberry.UNSET
    tax_inclusive: bool = False

    def as_data(self) -> dict:
        data = {"item": self.item_id, "unit": self.unit_id, "description": self.description,
                "quantity": self.quantity, "unit_price": self.unit_price,
                "discount_percent": self.discount_percent,
                "tax_inclusive": self.tax_inclusive}
        if self.tax_id is not strawberry.UNSET:
            data["tax"] = self.tax_id
        return data


@strawberry.input(name="SalesDocumentInput")
class DocumentInput:
    client_id: strawberry.ID
    lines: list[LineInput]
    date: dt.date | None = None
    currency: str | None = None
    branch_id: strawberry.ID | None = None
    salesperson_id: strawberry.ID | None = None
    notes: str | None = None
    kind: str | None = None
    due_date: dt.date | None = None
    payment_account_id: strawberry.ID | None = None
    valid_until: dt.date | None = None

    def as_data(self) -> dict:
        data = {"date": self.date, "currency": self.currency, "branch": self.branch_id,
                "salesperson": self.salesperson_id, "notes": self.notes, "kind": self.kind,
                "due_date": self.due_date, "payment_account": self.payment_account_id,
                "valid_until": self.valid_until}
        return {k: v for k, v in data.items() if v is not None}


@strawberry.input(name="SalesDocumentUpdateInput")
class DocumentUpdateInput:
    client_id: strawberry.ID | None = None
    lines: list[LineInput] | None = None
    date: dt.date | None = None
    currency: str | None = None
    notes: str | None = None
    salesperson_id: strawberry.ID | None = None
    kind: str | None = None
    due_date: dt.date | None = None


@strawberry.input(name="OrderLineQuantityInput")
class OrderLineQuantity:
    order_line_id: strawberry.ID
    quantity: Decimal


@strawberry.input(name="InvoiceLineQuantityInput")
class InvoiceLineQuantity:
    invoice_line_id: strawberry.ID
    quantity: Decimal


@strawberry.input(name="SalesDocumentFilter")
class DocumentFilter:
    status: str | None = None
    client_id: strawberry.ID | None = None
