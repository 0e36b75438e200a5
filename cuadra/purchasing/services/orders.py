"""Purchase orders, supplier prices and the company's purchasing settings."""

from __future__ import annotations

from django.db import transaction

from cuadra.catalog.models import Item, ItemUnit
from cuadra.core.audit import audit_create, audit_delete, audit_update, snapshot
from cuadra.core.errors import ErrorCollector
from cuadra.purchasing import selectors
from cuadra.purchasing.lines import HUNDRED, ZERO, build_lines, decimal, row
from cuadra.purchasing.models import PurchaseOrder, PurchasingSettings, SupplierPrice
from cuadra.purchasing.services.common import (
    Result,
    document_transition,
    header,
    locked_draft,
    parse_date,
    reason_required,
    same_company,
    supplier_get,
    write_lines,
)


@transaction.atomic
def purchase_order_create(*, company, actor, supplier, lines, **data) -> PurchaseOrder:
    """A draft order; a line without ``unit_price`` takes the supplier's price for the
    item and unit (:func:`selectors.supplier_price_resolve`), else the item's cost."""
    supplier = supplier_get(company, supplier)
    errors = ErrorCollector()
    values = header(company, supplier, data, errors)
    values["expected_date"] = parse_date(data.get("expected_date"), errors, "expectedDate")
    values["terms"] = data.get("terms") or ""
    built = build_lines(company=company, supplier=supplier, date=values["date"],
                        lines_data=lines, errors=errors)
    if not built and not errors.errors:
        errors.add("lines", "An order needs at least one line.")
    errors.raise_if_any()
    order = PurchaseOrder.objects.create(company=company, supplier=supplier,
                                         created_by=actor, **values)
    write_lines(order, built)
    audit_create(actor=actor, company_id=company.pk, obj=order,
                 operation="purchase_order_create")
    return order


@transaction.atomic
def purchase_order_update(*, company, actor, order, lines=None, **data) -> PurchaseOrder:
    """Change a draft order's header and, with ``lines``, replace its lines (an order
    converted from a requisition keeps its lines: cancel it and convert again)."""
    same_company(company, order)
    locked = locked_draft(order)
    before = snapshot(locked)
    errors = ErrorCollector()
    merged = {"date": locked.date, "currency": locked.currency, "notes": locked.notes,
              "branch": locked.branch_id, **data}
    values = header(company, locked.supplier, merged, errors)
    if "expected_date" in data:
        values["expected_date"] = parse_date(data["expected_date"], errors, "expectedDate")
    if "terms" in data:
        values["terms"] = data["terms"] or ""
    if lines is not None and locked.lines.exclude(requisition_line=None).exists():
        errors.add("lines", "Lines converted from a requisition follow it; cancel the "
                            "order and convert again.")
    built = (build_lines(company=company, supplier=locked.supplier, date=values["date"],
                         lines_data=lines, errors=errors) if lines is not None else None)
    errors.raise_if_any()
    for name, value in values.items():
        setattr(locked, name, value)
    locked.save()
    if built is not None:
        write_lines(locked, built)
    audit_update(actor=actor, company_id=company.pk, obj=locked, before=before,
                 operation="purchase_order_update")
    order.refresh_from_db()
    return order


def purchase_order_issue(*, company, actor, order, idempotency_key=None) -> Result:
    return document_transition(company=company, actor=actor, document=order, action="issue",
                               idempotency_key=idempotency_key)


def purchase_order_cancel(*, company, actor, order, reason: str) -> Result:
    """Cancel a draft or an issued order on which nothing was received yet."""
    return document_transition(company=company, actor=actor, document=order,
                               action="cancel", comment=reason_required(reason))


def purchase_order_close(*, company, actor, order, reason: str = "") -> Result:
    return document_transition(company=company, actor=actor, document=order, action="close",
                               comment=reason or "")


# --- supplier prices ----------------------------------------------------------------------

def _price_values(company, data: dict, errors: ErrorCollector) -> dict:
    item = row(Item, company, data.get("item"))
    if not item:
        errors.add("item", "No such item in this company.")
    unit = row(ItemUnit, company, data.get("unit"))
    if unit is False or (unit and item and unit.item_id != item.pk):
        errors.add("unit", "No such unit level for this item.")
    if item and unit is None:
        unit = ItemUnit.objects.filter(company=company, item=item, lower=None).first()
    price = decimal(errors, "price", data.get("price"), required=True)
    if price is not None and price < 0:
        errors.add("price", "The price cannot be negative.")
    min_qty = decimal(errors, "minQuantity", data.get("min_quantity")) or ZERO
    if min_qty < 0:
        errors.add("minQuantity", "The minimum quantity cannot be negative.")
    valid_from = parse_date(data.get("valid_from"), errors, "validFrom")
    valid_until = parse_date(data.get("valid_until"), errors, "validUntil")
    if valid_from and valid_until and valid_until < valid_from:
        errors.add("validUntil", "The price ends before it starts.")
    return {"item": item or None, "unit": unit or None, "price": price,
            "min_quantity": min_qty, "valid_from": valid_from, "valid_until": valid_until}


@transaction.atomic
def supplier_price_create(*, company, actor, supplier, **data) -> SupplierPrice:
    supplier = supplier_get(company, supplier)
    errors = ErrorCollector()
    values = _price_values(company, data, errors)
    errors.raise_if_any()
    price = SupplierPrice.objects.create(company=company, supplier=supplier,
                                         currency=(data.get("currency") or supplier.currency),
                                         **values)
    audit_create(actor=actor, company_id=company.pk, obj=price,
                 operation="supplier_price_create")
    return price


@transaction.atomic
def supplier_price_delete(*, company, actor, price: SupplierPrice) -> None:
    same_company(company, price)
    audit_delete(actor=actor, company_id=company.pk, obj=price,
                 operation="supplier_price_delete")
    price.delete()


@transaction.atomic
def purchasing_settings_update(*, company, actor, receipt_tolerance_percent=None,
                               price_tolerance_percent=None) -> PurchasingSettings:
    """Set the over-receipt and price tolerances (percent, 0 to 100)."""
    errors = ErrorCollector()
    changes = {}
    for name, path, value in (("receipt_tolerance_percent", "receiptTolerancePercent",
                               receipt_tolerance_percent),
                              ("price_tolerance_percent", "priceTolerancePercent",
                               price_tolerance_percent)):
        number = decimal(errors, path, value)
        if number is not None and not ZERO <= number <= HUNDRED:
            errors.add(path, "A tolerance is between 0 and 100 percent.")
        elif number is not None:
            changes[name] = number
    errors.raise_if_any()
    settings, _created = PurchasingSettings.objects.select_for_update().get_or_create(
        company=company)
    before = snapshot(settings)
    for name, value in changes.items():
        setattr(settings, name, value)
    settings.save()
    audit_update(actor=actor, company_id=company.pk, obj=settings, before=before,
                 operation="purchasing_settings_update")
    return selectors.purchasing_settings_get(company=company)
