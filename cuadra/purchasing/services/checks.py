"""Bounds re-checked at a document's issuing stage, under a lock of its source:
over-receipt beyond the company tolerance, the supplier invoice's three-way match, and
credit beyond what remains creditable."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from cuadra.catalog.enums import ItemKind
from cuadra.core.errors import ErrorCollector, FieldError, InvalidTransition, ValidationError
from cuadra.purchasing import selectors
from cuadra.purchasing.enums import MATCH_FAILED, MatchFailed
from cuadra.purchasing.lines import HUNDRED, ZERO
from cuadra.purchasing.models import (
    GoodsReceipt,
    PurchaseOrder,
    SupplierCredit,
    SupplierInvoice,
)


def check_at_issue(document, *, actor=None) -> None:
    if isinstance(document, GoodsReceipt):
        check_receipt(document)
    elif isinstance(document, SupplierInvoice):
        if document.match_override_at is None:
            differences = match_differences(document)
            if differences:
                raise MatchFailed(
                    f"The invoice does not match its order and receipts "
                    f"({len(differences)} difference(s)); correct it or have it "
                    "overridden by someone who may approve supplier invoices.",
                    errors=[FieldError(d.field, d.message, MATCH_FAILED)
                            for d in differences])
    elif isinstance(document, SupplierCredit) and document.invoice_id:
        check_credit(document)


def _locked_order(order_id) -> PurchaseOrder:
    return PurchaseOrder._base_manager.select_for_update().get(pk=order_id)


def receipt_limit(line, tolerance_percent: Decimal) -> Decimal:
    return line.quantity + line.quantity * tolerance_percent / HUNDRED


def check_receipt(receipt: GoodsReceipt) -> None:
    order = _locked_order(receipt.order_id)
    if order.status != "issued":
        raise InvalidTransition(f"Order {order.number} is {order.status}; goods are "
                                "received on an issued order only.", field="orderId")
    tolerance = selectors.purchasing_settings_get(company=order.company
                                                  ).receipt_tolerance_percent
    received = selectors.received_quantities(order=order, include_receipt_id=receipt.pk)
    lines = {li.pk: li for li in order.lines.all()}
    errors = ErrorCollector()
    for line in receipt.lines.order_by("line_no"):
        source = lines[line.order_line_id]
        limit = receipt_limit(source, tolerance)
        if received.get(source.pk, ZERO) > limit:
            errors.add(f"lines[{line.line_no - 1}].quantity",
                       f"Line {source.line_no} would be received beyond its quantity "
                       f"{source.quantity.normalize():f} (tolerance {tolerance.normalize():f}"
                       f"%: at most {limit.normalize():f}).")
    errors.raise_if_any()


@dataclass(frozen=True)
class Difference:
    field: str
    message: str
    kind: str  # NOT_RECEIVED, OVER_ORDERED, PRICE
    expected: Decimal
    actual: Decimal


def match_differences(invoice: SupplierInvoice) -> list[Difference]:
    """The three-way match of an invoice's order lines: invoiced quantity (every live
    invoice of the order line, this one included) against received (goods) and ordered,
    and the unit price against the order's within the company's price tolerance. Lines
    without an order line (standalone) are not matched."""
    order_ids = sorted(set(invoice.lines.exclude(order_line=None)
                           .values_list("order_line__document_id", flat=True)))
    if not order_ids:
        return []
    orders = {pk: _locked_order(pk) for pk in order_ids}
    received, invoiced = {}, {}
    for order in orders.values():
        received.update(selectors.received_quantities(order=order))
        invoiced.update(selectors.invoiced_quantities(order=order))
    tolerance = selectors.purchasing_settings_get(company=invoice.company
                                                  ).price_tolerance_percent
    out: list[Difference] = []
    for line in invoice.lines.exclude(order_line=None).select_related(
            "order_line", "order_line__item").order_by("line_no"):
        out += _line_differences(line, received, invoiced, tolerance)
    return out


def _line_differences(line, received, invoiced, tolerance) -> list[Difference]:
    source = line.order_line
    path = f"lines[{line.line_no - 1}]"
    total = invoiced.get(source.pk, ZERO)
    got = received.get(source.pk, ZERO)
    out = []
    is_goods = source.item_id is not None and source.item.kind == ItemKind.GOODS
    if is_goods and total > got:
        out.append(Difference(f"{path}.quantity", f"Line {line.line_no}: invoiced "
                              f"{total.normalize():f} but received {got.normalize():f}.",
                              "NOT_RECEIVED", got, total))
    if total > source.quantity:
        out.append(Difference(f"{path}.quantity", f"Line {line.line_no}: invoiced "
                              f"{total.normalize():f} but ordered "
                              f"{source.quantity.normalize():f}.",
                              "OVER_ORDERED", source.quantity, total))
    allowed = source.unit_price * tolerance / HUNDRED
    if abs(line.unit_price - source.unit_price) > allowed or (
            line.discount_percent != source.discount_percent):
        out.append(Difference(f"{path}.unitPrice", f"Line {line.line_no}: unit price "
                              f"{line.unit_price.normalize():f} against the order's "
                              f"{source.unit_price.normalize():f} (tolerance "
                              f"{tolerance.normalize():f}%).", "PRICE",
                              source.unit_price, line.unit_price))
    return out


def check_credit(note: SupplierCredit) -> None:
    """A related note never credits more than remains creditable of its invoice (per
    line quantity and in amount). It may credit more than the invoice still owes (a paid
    invoice): the posting frees that excess from the invoice's allocations. The payments
    are locked before the invoice, in the order a payment's allocation takes them."""
    from cuadra.purchasing.models import SupplierPayment

    list(SupplierPayment._base_manager.select_for_update(of=("self",)).filter(
        allocations__invoice_id=note.invoice_id, allocations__released_at=None
    ).order_by("pk").values_list("pk", flat=True))
    invoice = SupplierInvoice._base_manager.select_for_update().get(pk=note.invoice_id)
    if invoice.status not in selectors.POSTED_STATES:
        raise ValidationError(f"Invoice {invoice.number} is {invoice.status}; only a posted "
                              "invoice is credited.", field="invoiceId")
    used = selectors.credited_quantities(invoice=invoice)
    lines = {li.pk: li for li in invoice.lines.all()}
    errors = ErrorCollector()
    for line in note.lines.order_by("line_no"):
        source = lines[line.invoice_line_id]
        if used.get(source.pk, ZERO) > source.quantity:
            errors.add(f"lines[{line.line_no - 1}].quantity",
                       f"Line {source.line_no} would be credited beyond its quantity "
                       f"{source.quantity.normalize():f}.")
    creditable = invoice.total - invoice.amount_credited
    if note.total > creditable:
        errors.add("total", f"The credit ({note.total}) exceeds what remains creditable on "
                            f"invoice {invoice.number} ({creditable}).")
    errors.raise_if_any()
