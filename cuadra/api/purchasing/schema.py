"""GraphQL for purchasing. Thin: input -> one service or selector call -> payload.

Permissions: requisitions under PURCHASE_REQUISITIONS, orders under PURCHASE_ORDERS,
receipts under GOODS_RECEIPTS, supplier invoices under SUPPLIER_INVOICES (the match
override needs ``approve``), credit notes under SUPPLIER_CREDITS, payments under
SUPPLIER_PAYMENTS, expenses and their files under EXPENSES. The lifecycle checks each
transition's own permission too. Issuing, posting and paying take an ``idempotencyKey``."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from decimal import Decimal

import strawberry
import strawberry_django
from strawberry_django.pagination import OffsetPaginated

from cuadra.access.permissions import Action, Path
from cuadra.api.base import actor, company, requires
from cuadra.api.purchasing import types as t
from cuadra.core.errors import ValidationError
from cuadra.purchasing import selectors, services

R_, O_, G_ = Path.PURCHASE_REQUISITIONS, Path.PURCHASE_ORDERS, Path.GOODS_RECEIPTS
I_, C_, P_, E_ = (Path.SUPPLIER_INVOICES, Path.SUPPLIER_CREDITS, Path.SUPPLIER_PAYMENTS,
                  Path.EXPENSES)


def _f(f: t.DocumentFilter | None) -> dict:
    f = f or t.DocumentFilter()
    return {"status": f.status, "supplier_id": f.supplier_id}


def _rows(lines) -> list[dict] | None:
    return None if lines is None else [li.as_data() for li in lines]


def _move(info, document, action: str, comment: str = "", key: str | None = None):
    if action in ("void", "cancel", "fail") and not comment.strip():
        raise ValidationError("Say why.", field="comment")
    return services.document_transition(company=company(info), actor=actor(info),
                                        document=document, action=action, comment=comment,
                                        idempotency_key=key).document


def _aging_row(row) -> t.AgingRowType:
    b = row.buckets
    return t.AgingRowType(supplier_id=strawberry.ID(str(row.supplier_id)),
                          supplier_code=row.supplier_code, current=b["current"],
                          days_1_30=b["1-30"], days_31_60=b["31-60"],
                          days_61_90=b["61-90"], over_90=b["90+"], total=row.total)


def _totals(rows) -> list[t.PurchaseTotalType]:
    return [t.PurchaseTotalType(key=r.key, name=r.name, base=r.base, tax=r.tax,
                                total=r.total) for r in rows]


@strawberry.type
class PurchasingQuery:
    @strawberry_django.offset_paginated(OffsetPaginated[t.RequisitionType],
                                        extensions=requires(R_, Action.VIEW))
    def purchase_requisitions(self, info: strawberry.Info, status: str | None = None):
        return selectors.purchase_requisitions_list(company=company(info), status=status)

    @strawberry_django.field(extensions=requires(R_, Action.VIEW))
    def purchase_requisition(self, info: strawberry.Info, id: strawberry.ID
                             ) -> t.RequisitionType:
        return selectors.purchase_requisition_get(company=company(info), requisition_id=id)

    @strawberry_django.offset_paginated(OffsetPaginated[t.OrderType],
                                        extensions=requires(O_, Action.VIEW))
    def purchase_orders(self, info: strawberry.Info, filter: t.DocumentFilter | None = None):
        return selectors.purchase_orders_list(company=company(info), **_f(filter))

    @strawberry_django.field(extensions=requires(O_, Action.VIEW))
    def purchase_order(self, info: strawberry.Info, id: strawberry.ID) -> t.OrderType:
        return selectors.purchase_order_get(company=company(info), order_id=id)

    @strawberry_django.offset_paginated(OffsetPaginated[t.ReceiptType],
                                        extensions=requires(G_, Action.VIEW))
    def goods_receipts(self, info: strawberry.Info, status: str | None = None):
        return selectors.goods_receipts_list(company=company(info), status=status)

    @strawberry_django.field(extensions=requires(G_, Action.VIEW))
    def goods_receipt(self, info: strawberry.Info, id: strawberry.ID) -> t.ReceiptType:
        return selectors.goods_receipt_get(company=company(info), receipt_id=id)

    @strawberry_django.offset_paginated(OffsetPaginated[t.InvoiceType],
                                        extensions=requires(I_, Action.VIEW))
    def supplier_invoices(self, info: strawberry.Info,
                          filter: t.DocumentFilter | None = None):
        return selectors.supplier_invoices_list(company=company(info), **_f(filter))

    @strawberry_django.field(extensions=requires(I_, Action.VIEW))
    def supplier_invoice(self, info: strawberry.Info, id: strawberry.ID) -> t.InvoiceType:
        return selectors.supplier_invoice_get(company=company(info), invoice_id=id)

    @strawberry_django.offset_paginated(OffsetPaginated[t.CreditType],
                                        extensions=requires(C_, Action.VIEW))
    def supplier_credits(self, info: strawberry.Info,
                         filter: t.DocumentFilter | None = None):
        return selectors.supplier_credits_list(company=company(info), **_f(filter))

    @strawberry_django.field(extensions=requires(C_, Action.VIEW))
    def supplier_credit(self, info: strawberry.Info, id: strawberry.ID) -> t.CreditType:
        return selectors.supplier_credit_get(company=company(info), credit_id=id)

    @strawberry_django.offset_paginated(OffsetPaginated[t.PaymentType],
                                        extensions=requires(P_, Action.VIEW))
    def supplier_payments(self, info: strawberry.Info,
                          filter: t.DocumentFilter | None = None):
        return selectors.supplier_payments_list(company=company(info), **_f(filter))

    @strawberry_django.field(extensions=requires(P_, Action.VIEW))
    def supplier_payment(self, info: strawberry.Info, id: strawberry.ID) -> t.PaymentType:
        return selectors.supplier_payment_get(company=company(info), payment_id=id)

    @strawberry_django.offset_paginated(OffsetPaginated[t.ExpenseType],
                                        extensions=requires(E_, Action.VIEW))
    def expenses(self, info: strawberry.Info, filter: t.DocumentFilter | None = None):
        return selectors.expenses_list(company=company(info), **_f(filter))

    @strawberry_django.field(extensions=requires(E_, Action.VIEW))
    def expense(self, info: strawberry.Info, id: strawberry.ID) -> t.ExpenseType:
        return selectors.expense_get(company=company(info), expense_id=id)

    @strawberry_django.offset_paginated(OffsetPaginated[t.SupplierPriceType],
                                        extensions=requires(O_, Action.VIEW))
    def supplier_prices(self, info: strawberry.Info, supplier_id: strawberry.ID | None = None,
                        item_id: strawberry.ID | None = None):
        return selectors.supplier_prices_list(company=company(info), supplier_id=supplier_id,
                                              item_id=item_id)

    @strawberry.field(extensions=requires(O_, Action.VIEW))
    def purchasing_settings(self, info: strawberry.Info) -> t.SettingsType:
        row = selectors.purchasing_settings_get(company=company(info))
        return t.SettingsType(receipt_tolerance_percent=row.receipt_tolerance_percent,
                              price_tolerance_percent=row.price_tolerance_percent)

    @strawberry.field(extensions=requires(I_, Action.VIEW))
    def payables_aging(self, info: strawberry.Info, as_of: dt.date) -> list[t.AgingRowType]:
        return [_aging_row(r) for r in selectors.payables_aging(company=company(info),
                                                                 as_of=as_of)]

    @strawberry.field(extensions=requires(I_, Action.VIEW))
    def purchases_by_supplier(self, info: strawberry.Info, date_from: dt.date | None = None,
                              date_to: dt.date | None = None) -> list[t.PurchaseTotalType]:
        return _totals(selectors.purchases_by_supplier(company=company(info),
                                                       date_from=date_from, date_to=date_to))

    @strawberry.field(extensions=requires(I_, Action.VIEW))
    def purchases_by_item(self, info: strawberry.Info, date_from: dt.date | None = None,
                          date_to: dt.date | None = None) -> list[t.PurchaseTotalType]:
        return _totals(selectors.purchases_by_item(company=company(info),
                                                   date_from=date_from, date_to=date_to))

    @strawberry.field(extensions=requires(O_, Action.VIEW))
    def open_purchase_orders(self, info: strawberry.Info) -> list[t.OpenOrderLineType]:
        return [t.OpenOrderLineType(
            order_id=strawberry.ID(str(r.order_id)), order_number=r.order_number,
            supplier_code=r.supplier_code, line_id=strawberry.ID(str(r.line_id)),
            description=r.description, ordered=r.ordered, received=r.received,
            remaining=r.remaining) for r in selectors.open_purchase_orders(
                company=company(info))]

    @strawberry.field(extensions=requires(G_, Action.VIEW))
    def received_not_invoiced(self, info: strawberry.Info
                              ) -> list[t.ReceivedNotInvoicedType]:
        return [t.ReceivedNotInvoicedType(
            order_line_id=strawberry.ID(str(r.order_line_id)), order_number=r.order_number,
            description=r.description, received=r.received, invoiced=r.invoiced,
            amount=r.amount) for r in selectors.received_not_invoiced(company=company(info))]


@strawberry.type
class PurchasingMutation:
    # --- requisitions ----------------------------------------------------------------------
    @strawberry.mutation(extensions=requires(R_, Action.CREATE))
    def create_purchase_requisition(self, info: strawberry.Info, input: t.RequisitionInput
                                    ) -> t.RequisitionType:
        return services.purchase_requisition_create(
            company=company(info), actor=actor(info), lines=_rows(input.lines),
            date=input.date, branch=input.branch_id, notes=input.notes or "")

    @strawberry.mutation(extensions=requires(R_, Action.UPDATE))
    def update_purchase_requisition(self, info: strawberry.Info, id: strawberry.ID,
                                    input: t.RequisitionInput) -> t.RequisitionType:
        doc = selectors.purchase_requisition_get(company=company(info), requisition_id=id)
        return services.purchase_requisition_update(
            company=company(info), actor=actor(info), requisition=doc,
            lines=_rows(input.lines), notes=input.notes, date=input.date)

    @strawberry.mutation(extensions=requires(R_, Action.CREATE))
    def submit_purchase_requisition(self, info: strawberry.Info, id: strawberry.ID
                                    ) -> t.RequisitionType:
        doc = selectors.purchase_requisition_get(company=company(info), requisition_id=id)
        return services.purchase_requisition_submit(company=company(info), actor=actor(info),
                                                    requisition=doc).document

    @strawberry.mutation(extensions=requires(R_, Action.UPDATE))
    def move_purchase_requisition(self, info: strawberry.Info, id: strawberry.ID,
                                  action: str, comment: str = "") -> t.RequisitionType:
        """close a released requisition, cancel a draft or submitted one."""
        doc = selectors.purchase_requisition_get(company=company(info), requisition_id=id)
        return services.purchase_requisition_move(company=company(info), actor=actor(info),
                                                  requisition=doc, action=action,
                                                  comment=comment).document

    @strawberry.mutation(extensions=requires(O_, Action.CREATE))
    def convert_purchase_requisition(self, info: strawberry.Info, id: strawberry.ID,
                                     lines: list[t.ConversionLineInput],
                                     date: dt.date | None = None) -> list[t.OrderType]:
        doc = selectors.purchase_requisition_get(company=company(info), requisition_id=id)
        return services.purchase_requisition_convert(company=company(info), actor=actor(info),
                                                     requisition=doc, lines=_rows(lines),
                                                     date=date)

    # --- orders ----------------------------------------------------------------------------
    @strawberry.mutation(extensions=requires(O_, Action.CREATE))
    def create_purchase_order(self, info: strawberry.Info, input: t.OrderInput
                              ) -> t.OrderType:
        return services.purchase_order_create(company=company(info), actor=actor(info),
                                              supplier=input.supplier_id,
                                              lines=_rows(input.lines), **input.as_data())

    @strawberry.mutation(extensions=requires(O_, Action.UPDATE))
    def update_purchase_order(self, info: strawberry.Info, id: strawberry.ID,
                              input: t.OrderUpdateInput) -> t.OrderType:
        doc = selectors.purchase_order_get(company=company(info), order_id=id)
        return services.purchase_order_update(company=company(info), actor=actor(info),
                                              order=doc, lines=_rows(input.lines),
                                              **input.as_data())

    @strawberry.mutation(extensions=requires(O_, Action.POST))
    def issue_purchase_order(self, info: strawberry.Info, id: strawberry.ID,
                             idempotency_key: str | None = None) -> t.OrderType:
        doc = selectors.purchase_order_get(company=company(info), order_id=id)
        return _move(info, doc, "issue", key=idempotency_key)

    @strawberry.mutation(extensions=requires(O_, Action.UPDATE))
    def cancel_purchase_order(self, info: strawberry.Info, id: strawberry.ID,
                              reason: str) -> t.OrderType:
        doc = selectors.purchase_order_get(company=company(info), order_id=id)
        return services.purchase_order_cancel(company=company(info), actor=actor(info),
                                              order=doc, reason=reason).document

    @strawberry.mutation(extensions=requires(O_, Action.POST))
    def close_purchase_order(self, info: strawberry.Info, id: strawberry.ID,
                             reason: str = "") -> t.OrderType:
        doc = selectors.purchase_order_get(company=company(info), order_id=id)
        return services.purchase_order_close(company=company(info), actor=actor(info),
                                             order=doc, reason=reason).document

    @strawberry.mutation(extensions=requires(O_, Action.CREATE))
    def create_supplier_price(self, info: strawberry.Info, input: t.SupplierPriceInput
                              ) -> t.SupplierPriceType:
        return services.supplier_price_create(
            company=company(info), actor=actor(info), supplier=input.supplier_id,
            item=input.item_id, unit=input.unit_id, price=input.price,
            min_quantity=input.min_quantity, valid_from=input.valid_from,
            valid_until=input.valid_until, currency=input.currency)

    @strawberry.mutation(extensions=requires(O_, Action.DELETE))
    def delete_supplier_price(self, info: strawberry.Info, id: strawberry.ID
                              ) -> strawberry.ID:
        row = selectors.supplier_price_get(company=company(info), price_id=id)
        services.supplier_price_delete(company=company(info), actor=actor(info), price=row)
        return id

    @strawberry.mutation(extensions=requires(Path.SETTINGS, Action.UPDATE))
    def update_purchasing_settings(self, info: strawberry.Info,
                                   receipt_tolerance_percent: Decimal | None = None,
                                   price_tolerance_percent: Decimal | None = None
                                   ) -> t.SettingsType:
        row = services.purchasing_settings_update(
            company=company(info), actor=actor(info),
            receipt_tolerance_percent=receipt_tolerance_percent,
            price_tolerance_percent=price_tolerance_percent)
        return t.SettingsType(receipt_tolerance_percent=row.receipt_tolerance_percent,
                              price_tolerance_percent=row.price_tolerance_percent)

    # --- receipts --------------------------------------------------------------------------
    @strawberry.mutation(extensions=requires(G_, Action.POST))
    def receive_goods(self, info: strawberry.Info, order_id: strawberry.ID,
                      lines: list[t.SourceLineInput] | None = None,
                      date: dt.date | None = None, notes: str = "",
                      idempotency_key: str | None = None) -> t.ReceiptType:
        """Create and issue a receipt of an issued order (no lines: all that remains)."""
        order = selectors.purchase_order_get(company=company(info), order_id=order_id,
                                             field="orderId")
        return services.goods_receipt_receive(company=company(info), actor=actor(info),
                                              order=order, lines=_rows(lines), date=date,
                                              notes=notes, idempotency_key=idempotency_key)

    @strawberry.mutation(extensions=requires(G_, Action.CREATE))
    def create_goods_receipt(self, info: strawberry.Info, order_id: strawberry.ID,
                             lines: list[t.SourceLineInput] | None = None,
                             date: dt.date | None = None, notes: str = "") -> t.ReceiptType:
        order = selectors.purchase_order_get(company=company(info), order_id=order_id,
                                             field="orderId")
        return services.goods_receipt_create(company=company(info), actor=actor(info),
                                             order=order, lines=_rows(lines), date=date,
                                             notes=notes)

    @strawberry.mutation(extensions=requires(G_, Action.POST))
    def move_goods_receipt(self, info: strawberry.Info, id: strawberry.ID, action: str,
                           comment: str = "", idempotency_key: str | None = None
                           ) -> t.ReceiptType:
        """issue (numbered, stock hook), void (with a comment), cancel a draft."""
        doc = selectors.goods_receipt_get(company=company(info), receipt_id=id)
        return _move(info, doc, action, comment, idempotency_key)

    # --- supplier invoices -----------------------------------------------------------------
    @strawberry.mutation(extensions=requires(I_, Action.CREATE))
    def create_supplier_invoice(self, info: strawberry.Info, input: t.InvoiceInput
                                ) -> t.InvoiceType:
        return services.supplier_invoice_create(company=company(info), actor=actor(info),
                                                supplier=input.supplier_id,
                                                lines=_rows(input.lines), **input.as_data())

    @strawberry.mutation(extensions=requires(I_, Action.CREATE))
    def invoice_purchase_order(self, info: strawberry.Info, order_id: strawberry.ID,
                               lines: list[t.SourceLineInput] | None = None,
                               supplier_number: str | None = None,
                               date: dt.date | None = None,
                               due_date: dt.date | None = None) -> t.InvoiceType:
        order = selectors.purchase_order_get(company=company(info), order_id=order_id,
                                             field="orderId")
        return services.supplier_invoice_from_order(
            company=company(info), actor=actor(info), order=order, lines=_rows(lines),
            supplier_number=supplier_number, date=date, due_date=due_date)

    @strawberry.mutation(extensions=requires(I_, Action.CREATE))
    def invoice_goods_receipt(self, info: strawberry.Info, receipt_id: strawberry.ID,
                              lines: list[t.SourceLineInput] | None = None,
                              supplier_number: str | None = None,
                              date: dt.date | None = None,
                              due_date: dt.date | None = None) -> t.InvoiceType:
        receipt = selectors.goods_receipt_get(company=company(info), receipt_id=receipt_id,
                                              field="receiptId")
        return services.supplier_invoice_from_receipt(
            company=company(info), actor=actor(info), receipt=receipt, lines=_rows(lines),
            supplier_number=supplier_number, date=date, due_date=due_date)

    @strawberry.mutation(extensions=requires(I_, Action.UPDATE))
    def update_supplier_invoice(self, info: strawberry.Info, id: strawberry.ID,
                                input: t.InvoiceUpdateInput) -> t.InvoiceType:
        doc = selectors.supplier_invoice_get(company=company(info), invoice_id=id)
        return services.supplier_invoice_update(company=company(info), actor=actor(info),
                                                invoice=doc, lines=_rows(input.lines),
                                                **input.as_data())

    @strawberry.mutation(extensions=requires(I_, Action.POST))
    def issue_supplier_invoice(self, info: strawberry.Info, id: strawberry.ID,
                               idempotency_key: str | None = None) -> t.InvoiceType:
        """Post (simple workflow): three-way match, number, ledger."""
        doc = selectors.supplier_invoice_get(company=company(info), invoice_id=id)
        return _move(info, doc, "issue", key=idempotency_key)

    @strawberry.mutation(extensions=requires(I_, Action.POST))
    def move_supplier_invoice(self, info: strawberry.Info, id: strawberry.ID, action: str,
                              comment: str = "", idempotency_key: str | None = None
                              ) -> t.InvoiceType:
        """Any other step (five_stage: audit, confirm, storage_audit, entry_audit,
        finalize, reverse, reopen; void; cancel a draft)."""
        doc = selectors.supplier_invoice_get(company=company(info), invoice_id=id)
        return _move(info, doc, action, comment, idempotency_key)

    @strawberry.mutation(extensions=requires(I_, Action.APPROVE))
    def override_supplier_invoice_match(self, info: strawberry.Info, id: strawberry.ID,
                                        reason: str) -> t.InvoiceType:
        doc = selectors.supplier_invoice_get(company=company(info), invoice_id=id)
        return services.supplier_invoice_match_override(company=company(info),
                                                        actor=actor(info), invoice=doc,
                                                        reason=reason)

    # --- credit notes ----------------------------------------------------------------------
    @strawberry.mutation(extensions=requires(C_, Action.CREATE))
    def create_supplier_credit(self, info: strawberry.Info, input: t.CreditInput
                               ) -> t.CreditType:
        invoice = (selectors.supplier_invoice_get(company=company(info),
                                                  invoice_id=input.invoice_id,
                                                  field="invoiceId")
                   if input.invoice_id else None)
        lines = _rows(input.invoice_lines) if input.kind == "related" else _rows(input.lines)
        return services.supplier_credit_create(
            company=company(info), actor=actor(info), kind=input.kind, reason=input.reason,
            invoice=invoice, supplier=input.supplier_id, lines=lines,
            supplier_number=input.supplier_number, date=input.date)

    @strawberry.mutation(extensions=requires(C_, Action.POST))
    def move_supplier_credit(self, info: strawberry.Info, id: strawberry.ID, action: str,
                             comment: str = "", idempotency_key: str | None = None
                             ) -> t.CreditType:
        """issue (posts), void, cancel, or a five_stage step."""
        doc = selectors.supplier_credit_get(company=company(info), credit_id=id)
        return _move(info, doc, action, comment, idempotency_key)

    # --- payments --------------------------------------------------------------------------
    @strawberry.mutation(extensions=requires(P_, Action.POST))
    def register_supplier_payment(self, info: strawberry.Info, input: t.PaymentInput
                                  ) -> t.PaymentType:
        return services.supplier_payment_register(
            company=company(info), actor=actor(info), supplier=input.supplier_id,
            amount=input.amount, method=input.method, date=input.date,
            account=input.account_id, reference=input.reference or "",
            allocations=_rows(input.allocations), succeeded=input.succeeded,
            idempotency_key=input.idempotency_key)

    @strawberry.mutation(extensions=requires(P_, Action.POST))
    def allocate_supplier_payment(self, info: strawberry.Info, id: strawberry.ID,
                                  allocations: list[t.AllocationInput]) -> t.PaymentType:
        doc = selectors.supplier_payment_get(company=company(info), payment_id=id)
        return services.supplier_payment_allocate(company=company(info), actor=actor(info),
                                                  payment=doc, allocations=_rows(allocations))

    @strawberry.mutation(extensions=requires(P_, Action.POST))
    def succeed_supplier_payment(self, info: strawberry.Info, id: strawberry.ID
                                 ) -> t.PaymentType:
        doc = selectors.supplier_payment_get(company=company(info), payment_id=id)
        return services.supplier_payment_succeed(company=company(info), actor=actor(info),
                                                 payment=doc)

    @strawberry.mutation(extensions=requires(P_, Action.POST))
    def fail_supplier_payment(self, info: strawberry.Info, id: strawberry.ID, reason: str
                              ) -> t.PaymentType:
        doc = selectors.supplier_payment_get(company=company(info), payment_id=id)
        return services.supplier_payment_fail(company=company(info), actor=actor(info),
                                              payment=doc, reason=reason)

    @strawberry.mutation(extensions=requires(P_, Action.POST))
    def run_supplier_payment(self, info: strawberry.Info, supplier_id: strawberry.ID,
                             method: str, invoice_ids: list[strawberry.ID] | None = None,
                             expense_ids: list[strawberry.ID] | None = None,
                             date: dt.date | None = None,
                             account_id: strawberry.ID | None = None,
                             idempotency_key: str | None = None) -> t.PaymentType:
        """One payment for every open invoice and expense on credit of the supplier (or
        only the invoices and expenses named)."""
        return services.supplier_payment_run(
            company=company(info), actor=actor(info), supplier=supplier_id,
            invoices=invoice_ids, expenses=expense_ids, method=method, date=date,
            account=account_id, idempotency_key=idempotency_key)

    @strawberry.mutation(extensions=requires(P_, Action.POST))
    def refund_supplier_payment(self, info: strawberry.Info, id: strawberry.ID,
                                input: t.RefundInput) -> t.RefundType:
        """The supplier paid back part of the payment's unapplied credit."""
        doc = selectors.supplier_payment_get(company=company(info), payment_id=id)
        return services.supplier_payment_refund(
            company=company(info), actor=actor(info), payment=doc, amount=input.amount,
            date=input.date, account=input.account_id, reference=input.reference or "",
            idempotency_key=input.idempotency_key)

    # --- expenses --------------------------------------------------------------------------
    @strawberry.mutation(extensions=requires(E_, Action.CREATE))
    def upload_stored_file(self, info: strawberry.Info, content_base64: str,
                           name: str = "", content_type: str = "") -> t.StoredFileType:
        """Store a receipt file (base64); the same bytes are kept once."""
        try:
            content = base64.b64decode(content_base64, validate=True)
        except (binascii.Error, ValueError):
            raise ValidationError("Send the file as base64.", field="contentBase64") from None
        return services.stored_file_put(company=company(info), actor=actor(info),
                                        content=content, name=name,
                                        content_type=content_type)

    @strawberry.mutation(extensions=requires(E_, Action.CREATE))
    def create_expense(self, info: strawberry.Info, input: t.ExpenseInput) -> t.ExpenseType:
        return services.expense_create(
            company=company(info), actor=actor(info), description=input.description,
            amount=input.amount, expense_account=input.expense_account_id,
            payment_method=input.payment_method, date=input.date,
            supplier=input.supplier_id, tax=input.tax_id,
            payment_account=input.payment_account_id, branch=input.branch_id,
            receipt_file=input.receipt_file_id, currency=input.currency)

    @strawberry.mutation(extensions=requires(E_, Action.POST))
    def move_expense(self, info: strawberry.Info, id: strawberry.ID, action: str,
                     comment: str = "", idempotency_key: str | None = None) -> t.ExpenseType:
        """issue (posts), void (with a comment), cancel a draft."""
        doc = selectors.expense_get(company=company(info), expense_id=id)
        return _move(info, doc, action, comment, idempotency_key)
