"""Goods receipts: receive all or part of an issued order."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from cuadra.core.audit import audit_create
from cuadra.core.errors import ErrorCollector, InvalidTransition
from cuadra.purchasing import selectors
from cuadra.purchasing.lines import ZERO, decimal
from cuadra.purchasing.models import GoodsReceipt, GoodsReceiptLine
from cuadra.purchasing.services.checks import receipt_limit
from cuadra.purchasing.services.common import (
    Result,
    document_transition,
    locked,
    parse_date,
    same_company,
)


@transaction.atomic
def goods_receipt_create(*, company, actor, order, lines=None, date=None,
                         notes: str = "") -> GoodsReceipt:
    """A draft receipt of ``lines=[{line_id (order line), quantity}]`` of an issued order
    (None: whatever remains of every line). A quantity past the ordered one beyond the
    company's receipt tolerance is refused here and again when the receipt is issued."""
    same_company(company, order, "orderId")
    row = locked(order)
    if row.status != "issued":
        raise InvalidTransition(f"Order is {row.status}; goods are received on an issued "
                                "order only.", field="orderId")
    tolerance = selectors.purchasing_settings_get(company=company).receipt_tolerance_percent
    by_id = {li.pk: li for li in row.lines.order_by("line_no")}
    received = selectors.received_quantities(order=row)
    errors = ErrorCollector()
    take = _quantities(lines, by_id, received, tolerance, errors)
    day = parse_date(date, errors, default=dt.date.today())
    errors.raise_if_any()
    receipt = GoodsReceipt.objects.create(company=company, order=row, date=day,
                                          branch=row.branch, notes=notes or "",
                                          created_by=actor)
    GoodsReceiptLine.objects.bulk_create([
        GoodsReceiptLine(company=company, document=receipt, line_no=n, order_line_id=pk,
                         quantity=qty) for n, (pk, qty) in enumerate(take.items(), start=1)])
    audit_create(actor=actor, company_id=company.pk, obj=receipt,
                 operation="goods_receipt_create")
    return receipt


def _quantities(rows, by_id, received, tolerance, errors) -> dict:
    if rows is None:
        take = {pk: li.quantity - received.get(pk, ZERO) for pk, li in by_id.items()}
        take = {pk: qty for pk, qty in take.items() if qty > 0}
        if not take:
            errors.add("lines", "Everything ordered was received already.")
        return take
    take = {}
    for i, data in enumerate(rows):
        pk = int(data["line_id"]) if str(data.get("line_id", "")).isdigit() else None
        if pk not in by_id or pk in take:
            errors.add(f"lines[{i}].orderLineId", "No such line of the order "
                                                  "(or named twice).")
            continue
        qty = decimal(errors, f"lines[{i}].quantity", data.get("quantity"), required=True)
        if qty is None:
            continue
        if qty <= 0:
            errors.add(f"lines[{i}].quantity", "The quantity must be greater than zero.")
            continue
        line = by_id[pk]
        limit = receipt_limit(line, tolerance)
        if received.get(pk, ZERO) + qty > limit:
            errors.add(f"lines[{i}].quantity",
                       f"Line {line.line_no}: {received.get(pk, ZERO).normalize():f} of "
                       f"{line.quantity.normalize():f} received already; at most "
                       f"{(limit - received.get(pk, ZERO)).normalize():f} more "
                       f"(tolerance {tolerance.normalize():f}%).")
            continue
        take[pk] = qty
    if not take and not errors.errors:
        errors.add("lines", "Choose at least one line.")
    return take


def goods_receipt_issue(*, company, actor, receipt, idempotency_key=None) -> Result:
    """Number the receipt and run its stock effect (``receipt_stock_effect``)."""
    return document_transition(company=company, actor=actor, document=receipt,
                               action="issue", idempotency_key=idempotency_key)


@transaction.atomic
def goods_receipt_receive(*, company, actor, order, lines=None, date=None, notes="",
                          idempotency_key=None) -> GoodsReceipt:
    """Create and issue a receipt in one go (the usual case at the dock)."""
    if idempotency_key:
        seen = GoodsReceipt.objects.filter(company=company, issue_key=idempotency_key).first()
        if seen is not None:
            return seen
    receipt = goods_receipt_create(company=company, actor=actor, order=order, lines=lines,
                                   date=date, notes=notes)
    return goods_receipt_issue(company=company, actor=actor, receipt=receipt,
                               idempotency_key=idempotency_key).document
