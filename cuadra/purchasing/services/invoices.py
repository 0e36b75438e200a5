"""Supplier invoices (standalone, from an order, from a receipt), the match override,
and supplier credit notes (related or free)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from cuadra.access.permissions import Action, Path
from cuadra.access.selectors import require_perm
from cuadra.core.audit import audit_create, audit_update, snapshot
from cuadra.core.errors import ErrorCollector, InvalidTransition, ValidationError
from cuadra.purchasing import selectors
from cuadra.purchasing.enums import CreditKind
from cuadra.purchasing.lines import ZERO, build_lines, copy_line, decimal, line_amounts
from cuadra.purchasing.models import (
    PurchaseOrder,
    SupplierCredit,
    SupplierCreditLine,
    SupplierInvoice,
    SupplierInvoiceLine,
)
from cuadra.purchasing.services.common import (
    header,
    locked,
    locked_draft,
    parse_date,
    reason_required,
    refresh_totals,
    same_company,
    supplier_get,
    write_lines,
)


def _supplier_number(company, supplier, number, errors, exclude_pk=None) -> str:
    text = (number or "").strip()[:64]
    if not text:
        return ""
    taken = SupplierInvoice.objects.filter(company=company, supplier=supplier,
                                           supplier_number=text).exclude(status="cancelled")
    if exclude_pk:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        errors.add("supplierNumber", f"Invoice {text} of supplier {supplier.code} is "
                                     "already recorded.")
    return text


def _invoice_header(company, supplier, data, errors) -> dict:
    values = header(company, supplier, data, errors)
    values["due_date"] = parse_date(data.get("due_date"), errors, "dueDate") or (
        values["date"] + dt.timedelta(days=supplier.payment_terms_days))
    values["supplier_number"] = _supplier_number(company, supplier,
                                                 data.get("supplier_number"), errors)
    return values


@transaction.atomic
def supplier_invoice_create(*, company, actor, supplier, lines, **data) -> SupplierInvoice:
    """A standalone draft invoice (no order: nothing to match). ``supplier_number`` is the
    supplier's own number, unique per supplier."""
    supplier = supplier_get(company, supplier)
    errors = ErrorCollector()
    values = _invoice_header(company, supplier, data, errors)
    built = build_lines(company=company, supplier=supplier, date=values["date"],
                        lines_data=lines, errors=errors)
    if not built and not errors.errors:
        errors.add("lines", "An invoice needs at least one line.")
    errors.raise_if_any()
    invoice = SupplierInvoice.objects.create(company=company, supplier=supplier,
                                             created_by=actor, **values)
    write_lines(invoice, built)
    audit_create(actor=actor, company_id=company.pk, obj=invoice,
                 operation="supplier_invoice_create")
    return invoice


def _issued_order(order) -> PurchaseOrder:
    row = locked(order)
    if row.status not in selectors.LIVE_ORDER_STATES:
        raise InvalidTransition(f"Order is {row.status}; only an issued order is "
                                "invoiced.", field="orderId")
    return row


def _line_rows(requested, by_id, errors, link: str) -> dict:
    """{source line id: (quantity or None, unit price or None)}; None requested: all."""
    if requested is None:
        return {pk: (None, None) for pk in by_id}
    out = {}
    for i, data in enumerate(requested):
        pk = int(data["line_id"]) if str(data.get("line_id", "")).isdigit() else None
        if pk not in by_id or pk in out:
            errors.add(f"lines[{i}].{link}", "No such line of the source (or named twice).")
            continue
        qty = decimal(errors, f"lines[{i}].quantity", data.get("quantity"))
        if qty is not None and qty <= 0:
            errors.add(f"lines[{i}].quantity", "The quantity must be greater than zero.")
            continue
        price = decimal(errors, f"lines[{i}].unitPrice", data.get("unit_price"))
        if price is not None and price < 0:
            errors.add(f"lines[{i}].unitPrice", "The unit price cannot be negative.")
            continue
        out[pk] = (qty, price)
    return out


def _priced_copy(source, qty, price, **links) -> dict:
    values = copy_line(source, qty, **links)
    if price is not None and price != source.unit_price:
        amounts = line_amounts(quantity=qty, unit_price=price,
                               discount_percent=source.discount_percent,
                               rate=source.tax_rate, tax_inclusive=source.tax_inclusive)
        values.update(unit_price=price, base_amount=amounts.base, tax_amount=amounts.tax,
                      total_amount=amounts.total)
    return values


def _create_from(company, actor, supplier, data, rows: list[dict], extra: dict, op: str):
    errors = ErrorCollector()
    values = _invoice_header(company, supplier, data, errors)
    if not rows and not errors.errors:
        errors.add("lines", "Nothing remains to be invoiced.")
    errors.raise_if_any()
    invoice = SupplierInvoice.objects.create(company=company, supplier=supplier,
                                             created_by=actor, **values, **extra)
    SupplierInvoiceLine.objects.bulk_create([
        SupplierInvoiceLine(company=company, document=invoice, line_no=n, **row)
        for n, row in enumerate(rows, start=1)])
    refresh_totals(invoice)
    audit_create(actor=actor, company_id=company.pk, obj=invoice, operation=op)
    return invoice


@transaction.atomic
def supplier_invoice_from_order(*, company, actor, order, lines=None, **data
                                ) -> SupplierInvoice:
    """A draft invoice for ``lines=[{line_id (order line), quantity, unit_price}]`` of an
    issued order. By default each line takes what is received and not yet invoiced
    (goods) or what remains ordered (services), at the order's price. Quantities and
    prices are the supplier's: the match at posting compares them."""
    same_company(company, order, "orderId")
    row = _issued_order(order)
    by_id = {li.pk: li for li in row.lines.select_related("item").order_by("line_no")}
    errors = ErrorCollector()
    wanted = _line_rows(lines, by_id, errors, "orderLineId")
    errors.raise_if_any()
    received = selectors.received_quantities(order=row)
    invoiced = selectors.invoiced_quantities(order=row)
    rows = []
    for pk, (qty, price) in wanted.items():
        source = by_id[pk]
        if qty is None:
            ceiling = (received.get(pk, ZERO) if source.item_id and source.item.kind == "goods"
                       else source.quantity)
            qty = ceiling - invoiced.get(pk, ZERO)
            if qty <= 0:
                continue
        rows.append(_priced_copy(source, qty, price, order_line_id=pk))
    return _create_from(company, actor, row.supplier, data, rows, {"order": row},
                        "supplier_invoice_from_order")


@transaction.atomic
def supplier_invoice_from_receipt(*, company, actor, receipt, lines=None, **data
                                  ) -> SupplierInvoice:
    """A draft invoice for an issued receipt: each receipt line's quantity not yet
    invoiced, at the order's price (``lines=[{line_id (receipt line), quantity,
    unit_price}]`` to say otherwise)."""
    same_company(company, receipt, "receiptId")
    row = locked(receipt)
    if row.status != "issued":
        raise InvalidTransition(f"Receipt is {row.status}; only an issued receipt is "
                                "invoiced.", field="receiptId")
    by_id = {li.pk: li for li in row.lines.select_related("order_line").order_by("line_no")}
    errors = ErrorCollector()
    wanted = _line_rows(lines, by_id, errors, "receiptLineId")
    errors.raise_if_any()
    done = dict.fromkeys(by_id, ZERO)
    for pk, qty in (SupplierInvoiceLine.objects.filter(receipt_line_id__in=by_id)
                    .exclude(document__status__in=selectors.DEAD_STATES)
                    .values_list("receipt_line_id", "quantity")):
        done[pk] += qty
    rows = []
    for pk, (qty, price) in wanted.items():
        line = by_id[pk]
        qty = line.quantity - done[pk] if qty is None else qty
        if qty > 0:
            rows.append(_priced_copy(line.order_line, qty, price,
                                     order_line_id=line.order_line_id, receipt_line_id=pk))
    order = row.order
    return _create_from(company, actor, order.supplier, data, rows,
                        {"order": order, "receipt": row}, "supplier_invoice_from_receipt")


@transaction.atomic
def supplier_invoice_update(*, company, actor, invoice, lines=None, **data
                            ) -> SupplierInvoice:
    """Change a draft's header (date, due date, supplier number, notes) and, for a
    standalone invoice, its lines. Any change clears a match override."""
    same_company(company, invoice)
    row = locked_draft(invoice)
    before = snapshot(row)
    errors = ErrorCollector()
    merged = {"date": row.date, "currency": row.currency, "notes": row.notes,
              "branch": row.branch_id, **data}
    values = header(company, row.supplier, merged, errors)
    values["due_date"] = parse_date(data.get("due_date"), errors, "dueDate", row.due_date)
    if "supplier_number" in data:
        values["supplier_number"] = _supplier_number(company, row.supplier,
                                                     data["supplier_number"], errors, row.pk)
    if lines is not None and row.order_id:
        errors.add("lines", "Lines of an invoice from an order follow it; cancel it and "
                            "invoice again.")
    built = (build_lines(company=company, supplier=row.supplier, date=values["date"],
                         lines_data=lines, errors=errors) if lines is not None else None)
    errors.raise_if_any()
    for name, value in values.items():
        setattr(row, name, value)
    row.match_override_at, row.match_override_by, row.match_override_reason = None, None, ""
    row.save()
    if built is not None:
        write_lines(row, built)
    audit_update(actor=actor, company_id=company.pk, obj=row, before=before,
                 operation="supplier_invoice_update")
    invoice.refresh_from_db()
    return invoice


@transaction.atomic
def supplier_invoice_match_override(*, company, actor, invoice, reason: str
                                    ) -> SupplierInvoice:
    """Let an invoice that fails the three-way match be posted anyway. Needs
    ``SUPPLIER_INVOICES:approve``; the reason and the differences overridden are
    audited."""
    from cuadra.purchasing.services.checks import match_differences

    same_company(company, invoice)
    require_perm(user=actor, company=company, path=Path.SUPPLIER_INVOICES,
                 action=Action.APPROVE)
    text = reason_required(reason)
    row = locked(invoice)
    if row.status in (*selectors.POSTED_STATES, *selectors.DEAD_STATES):
        raise InvalidTransition(f"The invoice is {row.status}; only an unposted invoice's "
                                "match is overridden.", field="id")
    differences = match_differences(row)
    if not differences:
        raise ValidationError("The invoice matches its order; there is nothing to "
                              "override.", field="id")
    before = snapshot(row)
    row.match_override_at, row.match_override_by = timezone.now(), actor
    row.match_override_reason = text
    row.save(update_fields=["match_override_at", "match_override_by",
                            "match_override_reason", "updated_at"])
    audit_update(actor=actor, company_id=company.pk, obj=row, before=before,
                 operation="supplier_invoice_match_override")
    invoice.refresh_from_db()
    return invoice


# --- credit notes -------------------------------------------------------------------------

@transaction.atomic
def supplier_credit_create(*, company, actor, kind: str, reason: str, invoice=None,
                           supplier=None, lines=None, **data) -> SupplierCredit:
    """A draft supplier credit note. ``related``: ``invoice`` and ``lines=[{line_id
    (invoice line), quantity}]`` (None: whatever remains creditable), never more than
    remains. ``free``: ``supplier`` and priced ``lines`` like a standalone invoice."""
    text = reason_required(reason)
    if kind not in CreditKind.values:
        raise ValidationError(f"Choose one of {', '.join(CreditKind.values)}.", field="kind")
    if kind == CreditKind.FREE:
        return _free_credit(company, actor, supplier, lines, text, data)
    if invoice is None:
        raise ValidationError("A related credit names its invoice.", field="invoiceId")
    same_company(company, invoice, "invoiceId")
    row = locked(invoice)
    if row.status not in selectors.POSTED_STATES:
        raise InvalidTransition(f"Invoice is {row.status}; only a posted invoice is "
                                "credited.", field="invoiceId")
    by_id = {li.pk: li for li in row.lines.order_by("line_no")}
    errors = ErrorCollector()
    wanted = _line_rows(lines, by_id, errors, "invoiceLineId")
    used = selectors.credited_quantities(invoice=row)
    take = {}
    for i, (pk, (qty, _price)) in enumerate(wanted.items()):
        remaining = by_id[pk].quantity - used.get(pk, ZERO)
        qty = remaining if qty is None else qty
        if qty > remaining:
            errors.add(f"lines[{i}].quantity", f"Only {remaining.normalize():f} of line "
                                               f"{by_id[pk].line_no} remains creditable.")
        elif qty > 0:
            take[pk] = qty
    if not take and not errors.errors:
        errors.add("lines", "Nothing remains creditable on this invoice.")
    # read before the errors are raised: a malformed date is refused, never taken as today
    day = parse_date(data.get("date"), errors, default=dt.date.today())
    errors.raise_if_any()
    note = SupplierCredit.objects.create(
        company=company, kind=kind, invoice=row, supplier=row.supplier, reason=text,
        created_by=actor, date=day, currency=row.currency, branch=row.branch,
        supplier_number=(data.get("supplier_number") or "")[:64])
    SupplierCreditLine.objects.bulk_create([
        SupplierCreditLine(company=company, document=note, line_no=n,
                           **_credit_values(row, by_id[pk], qty, used))
        for n, (pk, qty) in enumerate(take.items(), start=1)])
    refresh_totals(note)
    audit_create(actor=actor, company_id=company.pk, obj=note,
                 operation="supplier_credit_create")
    return note


def _credit_values(invoice, line, qty, used) -> dict:
    values = copy_line(line, qty, invoice_line_id=line.pk)
    if used.get(line.pk, ZERO) and qty == line.quantity - used[line.pk]:
        base, tax = selectors.credited_amounts(invoice=invoice).get(line.pk, (ZERO, ZERO))
        values.update(base_amount=line.base_amount - base, tax_amount=line.tax_amount - tax,
                      total_amount=line.total_amount - base - tax)
    return values


def _free_credit(company, actor, supplier, lines, reason, data) -> SupplierCredit:
    supplier = supplier_get(company, supplier)
    errors = ErrorCollector()
    values = header(company, supplier, data, errors)
    built = build_lines(company=company, supplier=supplier, date=values["date"],
                        lines_data=lines, errors=errors)
    if not built and not errors.errors:
        errors.add("lines", "A credit note needs at least one line.")
    errors.raise_if_any()
    note = SupplierCredit.objects.create(
        company=company, kind=CreditKind.FREE, supplier=supplier, reason=reason,
        created_by=actor, supplier_number=(data.get("supplier_number") or "")[:64], **values)
    write_lines(note, built)
    audit_create(actor=actor, company_id=company.pk, obj=note,
                 operation="supplier_credit_create")
    return note
