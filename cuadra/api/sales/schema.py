"""GraphQL for sales documents. Thin: input -> one service or selector call -> payload.

Permissions: quotes under SALES_QUOTES, orders under SALES_ORDERS, invoices under
SALES_INVOICES, credit notes under CREDIT_NOTES (create/update/view at the API; the
lifecycle checks ``post`` for issue and void itself). Converting needs ``create`` on the
document it makes."""

from __future__ import annotations

import datetime as dt

import strawberry
import strawberry_django
from strawberry_django.pagination import OffsetPaginated

from cuadra.access.permissions import Action, Path
from cuadra.api.base import actor, company, requires
from cuadra.api.sales.payments import PaymentsMutation, PaymentsQuery
from cuadra.api.sales.reports import SalesReportsQuery
from cuadra.api.sales.types import (
    CreditNoteType,
    DocumentFilter,
    DocumentInput,
    DocumentUpdateInput,
    InvoiceLineQuantity,
    InvoicePayload,
    InvoiceType,
    OrderLineQuantity,
    OrderType,
    QuoteType,
)
from cuadra.core.errors import NotFound
from cuadra.sales import selectors, services
from cuadra.sales.batch import sales_invoices_issue

Q_, O_, I_, C_ = Path.SALES_QUOTES, Path.SALES_ORDERS, Path.SALES_INVOICES, Path.CREDIT_NOTES


def _filter(f: DocumentFilter | None) -> dict:
    f = f or DocumentFilter()
    return {"status": f.status, "client_id": f.client_id}


def _id(value) -> int:
    if not str(value).isdigit():
        raise NotFound("No such invoice.", field="ids")
    return int(value)


def _create(fn, info, data: DocumentInput):
    return fn(company=company(info), actor=actor(info), client=data.client_id,
              lines=[li.as_data() for li in data.lines], **data.as_data())


def _update(info, document, data: DocumentUpdateInput):
    changes = {k: v for k, v in {
        "client": data.client_id, "date": data.date, "currency": data.currency,
        "notes": data.notes, "salesperson": data.salesperson_id, "kind": data.kind,
        "due_date": data.due_date}.items() if v is not None}
    lines = [li.as_data() for li in data.lines] if data.lines is not None else None
    return services.sales_document_update(company=company(info), actor=actor(info),
                                          document=document, lines=lines, **changes)


@strawberry.type
class SalesQuery(PaymentsQuery, SalesReportsQuery):
    @strawberry_django.offset_paginated(OffsetPaginated[QuoteType],
                                        extensions=requires(Q_, Action.VIEW))
    def sales_quotes(self, info: strawberry.Info, filter: DocumentFilter | None = None):
        return selectors.sales_quotes_list(company=company(info), **_filter(filter))

    @strawberry_django.field(extensions=requires(Q_, Action.VIEW))
    def sales_quote(self, info: strawberry.Info, id: strawberry.ID) -> QuoteType:
        return selectors.sales_quote_get(company=company(info), quote_id=id)

    @strawberry_django.offset_paginated(OffsetPaginated[OrderType],
                                        extensions=requires(O_, Action.VIEW))
    def sales_orders(self, info: strawberry.Info, filter: DocumentFilter | None = None):
        return selectors.sales_orders_list(company=company(info), **_filter(filter))

    @strawberry_django.field(extensions=requires(O_, Action.VIEW))
    def sales_order(self, info: strawberry.Info, id: strawberry.ID) -> OrderType:
        return selectors.sales_order_get(company=company(info), order_id=id)

    @strawberry_django.offset_paginated(OffsetPaginated[InvoiceType],
                                        extensions=requires(I_, Action.VIEW))
    def sales_invoices(self, info: strawberry.Info, filter: DocumentFilter | None = None):
        return selectors.sales_invoices_list(company=company(info), **_filter(filter))

    @strawberry_django.field(extensions=requires(I_, Action.VIEW))
    def sales_invoice(self, info: strawberry.Info, id: strawberry.ID) -> InvoiceType:
        return selectors.sales_invoice_get(company=company(info), invoice_id=id)

    @strawberry_django.offset_paginated(OffsetPaginated[CreditNoteType],
                                        extensions=requires(C_, Action.VIEW))
    def credit_notes(self, info: strawberry.Info, filter: DocumentFilter | None = None):
        return selectors.sales_credit_notes_list(company=company(info), **_filter(filter))

    @strawberry_django.field(extensions=requires(C_, Action.VIEW))
    def credit_note(self, info: strawberry.Info, id: strawberry.ID) -> CreditNoteType:
        return selectors.sales_credit_note_get(company=company(info), credit_note_id=id)


@strawberry.type
class SalesMutation(PaymentsMutation):
    @strawberry.mutation(extensions=requires(Q_, Action.CREATE))
    def create_sales_quote(self, info: strawberry.Info, input: DocumentInput) -> QuoteType:
        return _create(services.sales_quote_create, info, input)

    @strawberry.mutation(extensions=requires(O_, Action.CREATE))
    def create_sales_order(self, info: strawberry.Info, input: DocumentInput) -> OrderType:
        return _create(services.sales_order_create, info, input)

    @strawberry.mutation(extensions=requires(I_, Action.CREATE))
    def create_sales_invoice(self, info: strawberry.Info, input: DocumentInput
                             ) -> InvoiceType:
        return _create(services.sales_invoice_create, info, input)

    @strawberry.mutation(extensions=requires(Q_, Action.UPDATE))
    def update_sales_quote(self, info: strawberry.Info, id: strawberry.ID,
                           input: DocumentUpdateInput) -> QuoteType:
        doc = selectors.sales_quote_get(company=company(info), quote_id=id)
        return _update(info, doc, input)

    @strawberry.mutation(extensions=requires(O_, Action.UPDATE))
    def update_sales_order(self, info: strawberry.Info, id: strawberry.ID,
                           input: DocumentUpdateInput) -> OrderType:
        doc = selectors.sales_order_get(company=company(info), order_id=id)
        return _update(info, doc, input)

    @strawberry.mutation(extensions=requires(I_, Action.UPDATE))
    def update_sales_invoice(self, info: strawberry.Info, id: strawberry.ID,
                             input: DocumentUpdateInput) -> InvoiceType:
        doc = selectors.sales_invoice_get(company=company(info), invoice_id=id)
        return _update(info, doc, input)

    @strawberry.mutation(extensions=requires(Q_, Action.POST))
    def issue_sales_quote(self, info: strawberry.Info, id: strawberry.ID) -> QuoteType:
        doc = selectors.sales_quote_get(company=company(info), quote_id=id)
        return services.sales_document_transition(company=company(info), actor=actor(info),
                                                  document=doc, action="issue").document

    @strawberry.mutation(extensions=requires(O_, Action.POST))
    def issue_sales_order(self, info: strawberry.Info, id: strawberry.ID) -> OrderType:
        doc = selectors.sales_order_get(company=company(info), order_id=id)
        return services.sales_document_transition(company=company(info), actor=actor(info),
                                                  document=doc, action="issue").document

    @strawberry.mutation(extensions=requires(I_, Action.POST))
    def issue_sales_invoice(self, info: strawberry.Info, id: strawberry.ID,
                            idempotency_key: str | None = None) -> InvoicePayload:
        doc = selectors.sales_invoice_get(company=company(info), invoice_id=id)
        result = services.sales_invoice_issue(company=company(info), actor=actor(info),
                                              invoice=doc, idempotency_key=idempotency_key)
        return InvoicePayload(invoice=result.document, warnings=result.warnings)

    @strawberry.mutation(extensions=requires(I_, Action.POST))
    def issue_invoices(self, info: strawberry.Info, ids: list[strawberry.ID],
                       idempotency_key: str | None = None) -> list[InvoicePayload]:
        """Issue the selected drafts, in the order given, all or nothing."""
        results = sales_invoices_issue(company=company(info), actor=actor(info),
                                       invoices=[_id(i) for i in ids],
                                       idempotency_key=idempotency_key)
        return [InvoicePayload(invoice=r.document, warnings=r.warnings) for r in results]

    @strawberry.mutation(extensions=requires(I_, Action.POST))
    def move_sales_invoice(self, info: strawberry.Info, id: strawberry.ID, action: str,
                           comment: str = "") -> InvoiceType:
        """Any other step of the invoice's workflow (five_stage: audit, confirm,
        storage_audit, entry_audit, finalize, reverse, reopen; cancel a draft)."""
        doc = selectors.sales_invoice_get(company=company(info), invoice_id=id)
        return services.sales_document_transition(company=company(info), actor=actor(info),
                                                  document=doc, action=action,
                                                  comment=comment).document

    @strawberry.mutation(extensions=requires(I_, Action.POST))
    def void_sales_invoice(self, info: strawberry.Info, id: strawberry.ID,
                           reason: str) -> InvoiceType:
        doc = selectors.sales_invoice_get(company=company(info), invoice_id=id)
        return services.sales_document_void(company=company(info), actor=actor(info),
                                            document=doc, reason=reason).document

    @strawberry.mutation(extensions=requires(O_, Action.CREATE))
    def convert_quote_to_order(self, info: strawberry.Info, quote_id: strawberry.ID,
                               date: dt.date | None = None) -> OrderType:
        quote = selectors.sales_quote_get(company=company(info), quote_id=quote_id)
        return services.sales_quote_convert_to_order(company=company(info),
                                                     actor=actor(info), quote=quote,
                                                     date=date)

    @strawberry.mutation(extensions=requires(I_, Action.CREATE))
    def invoice_sales_order(self, info: strawberry.Info, order_id: strawberry.ID,
                            lines: list[OrderLineQuantity] | None = None,
                            date: dt.date | None = None) -> InvoiceType:
        order = selectors.sales_order_get(company=company(info), order_id=order_id)
        rows = None if lines is None else [{"line_id": li.order_line_id,
                                            "quantity": li.quantity} for li in lines]
        return services.sales_order_invoice(company=company(info), actor=actor(info),
                                            order=order, lines=rows, date=date)

    @strawberry.mutation(extensions=requires(C_, Action.CREATE))
    def create_credit_note(self, info: strawberry.Info, invoice_id: strawberry.ID,
                           reason: str, lines: list[InvoiceLineQuantity] | None = None,
                           date: dt.date | None = None) -> CreditNoteType:
        invoice = selectors.sales_invoice_get(company=company(info), invoice_id=invoice_id)
        rows = None if lines is None else [{"line_id": li.invoice_line_id,
                                            "quantity": li.quantity} for li in lines]
        return services.sales_credit_note_create(company=company(info), actor=actor(info),
                                                 invoice=invoice, reason=reason,
                                                 lines=rows, date=date)

    @strawberry.mutation(extensions=requires(C_, Action.POST))
    def issue_credit_note(self, info: strawberry.Info, id: strawberry.ID,
                          idempotency_key: str | None = None) -> CreditNoteType:
        doc = selectors.sales_credit_note_get(company=company(info), credit_note_id=id)
        return services.sales_document_transition(
            company=company(info), actor=actor(info), document=doc, action="issue",
            idempotency_key=idempotency_key).document

    @strawberry.mutation(extensions=requires(C_, Action.POST))
    def void_credit_note(self, info: strawberry.Info, id: strawberry.ID,
                         reason: str) -> CreditNoteType:
        doc = selectors.sales_credit_note_get(company=company(info), credit_note_id=id)
        return services.sales_document_void(company=company(info), actor=actor(info),
                                            document=doc, reason=reason).document
