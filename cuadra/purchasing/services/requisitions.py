"""Purchase requisitions: drafts, submit (approvals), conversion to purchase orders."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import transaction

from cuadra.approvals.services import approvals_void_for
from cuadra.core.audit import audit_create, audit_update, snapshot
from cuadra.core.errors import DomainError, ErrorCollector, InvalidTransition
from cuadra.documents import lifecycle
from cuadra.purchasing import selectors
from cuadra.purchasing.lines import (
    ZERO,
    decimal,
    description,
    item_and_unit,
    positive_quantity,
    round2,
)
from cuadra.purchasing.models import (
    PurchaseOrder,
    PurchaseRequisition,
    PurchaseRequisitionLine,
)
from cuadra.purchasing.services.common import (
    Result,
    document_transition,
    locked,
    locked_draft,
    optional,
    parse_date,
    same_company,
    supplier_get,
)
from cuadra.purchasing.workflows import RELEASED, SUBMITTED
from cuadra.tenancy.models import Branch


def _requisition_lines(company, lines_data, errors) -> list[dict]:
    built = []
    for i, data in enumerate(lines_data or []):
        path = f"lines[{i}]"
        item, unit, ok = item_and_unit(company, data, errors, path)
        qty = positive_quantity(errors, path, data.get("quantity"))
        price = decimal(errors, f"{path}.estimatedPrice", data.get("estimated_price"))
        needed_by = parse_date(data.get("needed_by"), errors, f"{path}.neededBy")
        text = description(data, item)
        if ok and not text:
            errors.add(f"{path}.description", "A free-text line needs a description.")
        if price is None and item is not None:
            price = item.cost
        if price is not None and price < 0:
            errors.add(f"{path}.estimatedPrice", "The price cannot be negative.")
        if not ok or qty is None or not text or (price is not None and price < 0):
            continue
        price = price or ZERO
        unit_name = "" if item is not None else (data.get("unit_name") or "").strip()[:30]
        built.append({"line_no": i + 1, "item": item, "unit": unit, "unit_name": unit_name,
                      "description": text,
                      "quantity": qty, "estimated_price": price,
                      "estimated_amount": round2(qty * price), "needed_by": needed_by})
    if not built and not errors.errors:
        errors.add("lines", "A requisition needs at least one line.")
    return built


def _write(requisition, built) -> None:
    requisition.lines.all().delete()
    PurchaseRequisitionLine.objects.bulk_create([
        PurchaseRequisitionLine(company_id=requisition.company_id, document=requisition,
                                **values) for values in built])
    requisition.total = sum((v["estimated_amount"] for v in built), ZERO)
    requisition.save(update_fields=["total", "updated_at"])


@transaction.atomic
def purchase_requisition_create(*, company, actor, lines, date=None, branch=None,
                                notes: str = "", requester=None) -> PurchaseRequisition:
    """A draft requisition; lines: item or description, quantity, unit, estimated price
    (default the item's cost), needed-by date. The requester defaults to the actor."""
    errors = ErrorCollector()
    built = _requisition_lines(company, lines, errors)
    branch_row = optional(Branch, company, branch, "branch", errors)
    day = parse_date(date, errors, default=dt.date.today())
    errors.raise_if_any()
    requisition = PurchaseRequisition.objects.create(
        company=company, date=day, branch=branch_row, notes=notes or "",
        requester=requester or actor)
    _write(requisition, built)
    audit_create(actor=actor, company_id=company.pk, obj=requisition,
                 operation="purchase_requisition_create")
    return requisition


@transaction.atomic
def purchase_requisition_update(*, company, actor, requisition, lines=None, notes=None,
                                date=None) -> PurchaseRequisition:
    same_company(company, requisition)
    row = locked_draft(requisition)
    before = snapshot(row)
    errors = ErrorCollector()
    built = _requisition_lines(company, lines, errors) if lines is not None else None
    day = parse_date(date, errors, default=row.date)
    errors.raise_if_any()
    row.date = day
    if notes is not None:
        row.notes = notes
    row.save()
    if built is not None:
        _write(row, built)
        approvals_void_for(document=row, reason="lines changed", actor=actor)
    audit_update(actor=actor, company_id=company.pk, obj=row, before=before,
                 operation="purchase_requisition_update")
    requisition.refresh_from_db()
    return requisition


def purchase_requisition_submit(*, company, actor, requisition) -> Result:
    """Submit: numbered, and the approval configs its total meets open a request."""
    return document_transition(company=company, actor=actor, document=requisition,
                               action="submit")


def _conversion_rows(company, requisition, rows, errors) -> dict:
    """{supplier: [(requisition line, quantity, unit price or None)]}, bounded by what
    remains to be ordered of each line."""
    by_id = {li.pk: li for li in requisition.lines.order_by("line_no")}
    ordered = selectors.ordered_quantities(requisition=requisition)
    wanted: dict = defaultdict(lambda: ZERO)
    groups: dict = defaultdict(list)
    for i, data in enumerate(rows or []):
        path = f"lines[{i}]"
        pk = int(data["line_id"]) if str(data.get("line_id", "")).isdigit() else None
        line = by_id.get(pk)
        if line is None:
            errors.add(f"{path}.lineId", "No such line of this requisition.")
            continue
        qty = decimal(errors, f"{path}.quantity", data.get("quantity"))
        qty = line.quantity - ordered.get(pk, ZERO) - wanted[pk] if qty is None else qty
        price = decimal(errors, f"{path}.unitPrice", data.get("unit_price"))
        try:
            supplier = supplier_get(company, data.get("supplier"), f"{path}.supplier")
        except DomainError as exc:  # not found or inactive
            errors.add(f"{path}.supplier", exc.message)
            continue
        remaining = line.quantity - ordered.get(pk, ZERO) - wanted[pk]
        if qty <= 0 or qty > remaining:
            errors.add(f"{path}.quantity", f"Only {remaining.normalize():f} of line "
                                           f"{line.line_no} remains to be ordered.")
            continue
        wanted[pk] += qty
        groups[supplier].append((line, qty, price))
    if not groups and not errors.errors:
        errors.add("lines", "Choose at least one line to order.")
    return groups


@transaction.atomic
def purchase_requisition_convert(*, company, actor, requisition, lines, date=None
                                 ) -> list[PurchaseOrder]:
    """Draft purchase orders, one per supplier, for ``lines=[{line_id, supplier, quantity
    (default: what remains), unit_price (default: the supplier price list)}]``. A submitted
    requisition is released first, which approvals refuse with APPROVAL_REQUIRED until
    its policy is satisfied. Ordering more than a line's quantity is refused."""
    from cuadra.purchasing.services.orders import purchase_order_create

    same_company(company, requisition, "requisitionId")
    row = locked(requisition)
    if row.status == SUBMITTED:
        lifecycle.transition(document=row, action="release", actor=actor,
                             comment="converted to purchase orders")
        row.refresh_from_db()
    if row.status != RELEASED:
        raise InvalidTransition(f"Only a submitted or released requisition is converted "
                                f"(it is {row.status}).", field="requisitionId")
    errors = ErrorCollector()
    groups = _conversion_rows(company, row, lines, errors)
    errors.raise_if_any()
    orders = []
    for supplier, picked in sorted(groups.items(), key=lambda kv: kv[0].pk):
        order_lines = [{"item": li.item, "unit": li.unit, "description": li.description,
                        "quantity": qty, "unit_price": price, "requisition_line": li,
                        "fallback_price": li.estimated_price}
                       for li, qty, price in picked]
        orders.append(purchase_order_create(company=company, actor=actor, supplier=supplier,
                                            lines=order_lines, date=date,
                                            branch=row.branch_id,
                                            notes=f"From requisition {row.number}"))
    return orders



@transaction.atomic
def purchase_requisition_move(*, company, actor, requisition, action: str,
                              comment: str = "") -> Result:
    """``cancel`` a draft or submitted requisition (its approval request is voided) or
    ``close`` a released one. Submitting, releasing and rejecting have their own paths
    (submit, the conversion, the approvals inbox)."""
    same_company(company, requisition)
    if action not in ("cancel", "close"):
        raise InvalidTransition("Only cancel or close are taken here.", field="action")
    if action == "cancel":
        approvals_void_for(document=requisition, reason=comment or "cancelled", actor=actor)
    return document_transition(company=company, actor=actor, document=requisition,
                               action=action, comment=comment)
