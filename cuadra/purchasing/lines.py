"""Turning purchase line input into priced, checked line values (no writes).

Amounts follow the DGI rules stated in :mod:`cuadra.sales.totals` (a sibling layer, so
the few lines are repeated here): net unit price exact; tax-exclusive ``base =
round2(qty x net)``, ``tax = round2(base x rate)``; tax-inclusive ``total = round2(qty x
net)``, ``tax = round2(total x rate / (1 + rate))``; half-up to the cent; document totals
are sums of the rounded lines.

Input per line: ``item`` (optional for free text), ``unit`` (default the item's base
unit), ``description``, ``quantity`` (> 0), ``unit_price`` (default: the supplier's price
for the item and unit, see :func:`cuadra.purchasing.selectors.supplier_price_resolve`,
else the item's standard cost), ``discount_percent``, ``tax`` (default the item's tax;
None: untaxed), ``tax_inclusive``, ``account`` (a postable account debited instead of the
item's purchase account)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from cuadra.catalog.models import Item, ItemUnit, Tax
from cuadra.core.errors import ErrorCollector
from cuadra.core.money import CENT, to_decimal
from cuadra.ledger.models import Account

ZERO = Decimal(0)
LINK_FIELDS = ("requisition_line", "order_line", "receipt_line", "invoice_line")
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Amounts:
    base: Decimal
    tax: Decimal
    total: Decimal


def round2(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def line_amounts(*, quantity, unit_price, discount_percent, rate, tax_inclusive=False
                 ) -> Amounts:
    gross = round2(quantity * (unit_price - unit_price * discount_percent / HUNDRED))
    if tax_inclusive:
        tax = round2(gross * rate / (1 + rate))
        return Amounts(base=gross - tax, tax=tax, total=gross)
    tax = round2(gross * rate)
    return Amounts(base=gross, tax=tax, total=gross + tax)


def order_unit_cost(line, quantity: Decimal) -> Decimal:
    """The base (tax-exclusive) amount of ``quantity`` of an order line."""
    return line_amounts(quantity=quantity, unit_price=line.unit_price,
                        discount_percent=line.discount_percent, rate=line.tax_rate,
                        tax_inclusive=line.tax_inclusive).base


def _pk(value):
    if value in (None, ""):
        return None
    if hasattr(value, "pk"):
        return value.pk
    text = str(value)
    return int(text) if text.isdigit() else -1


def row(model, company, value):
    """The company's row, None for no value, False for a value that names none."""
    pk = _pk(value)
    if pk is None:
        return None
    return model.objects.filter(company=company, pk=pk).first() or False


def decimal(errors: ErrorCollector, path: str, value, *, required=False):
    if value in (None, ""):
        if required:
            errors.add(path, "A value is required.")
        return None
    try:
        number = to_decimal(value)
    except TypeError:
        errors.add(path, "Never a float: send a decimal string.")
        return None
    except (ValueError, InvalidOperation):
        errors.add(path, "Not a decimal number.")
        return None
    if not number.is_finite():
        errors.add(path, "Not a decimal number.")
        return None
    return number


def item_and_unit(company, data, errors, path):
    item = row(Item, company, data.get("item"))
    if item is False:
        errors.add(f"{path}.item", "No such item in this company.")
        return None, None, False
    unit = row(ItemUnit, company, data.get("unit"))
    if unit is False:
        errors.add(f"{path}.unit", "No such unit in this company.")
        return item, None, False
    if unit and item is None:
        errors.add(f"{path}.unit", "A free-text line has no item unit levels; name its "
                                   "unit in words instead.")
        return item, None, False
    if unit and unit.item_id != item.pk:
        errors.add(f"{path}.unit", f"Unit {unit.code} is not a unit level of item "
                                   f"{item.sku}: choose one of its units.")
        return item, None, False
    if item is not None and unit is None:
        unit = ItemUnit.objects.filter(company=company, item=item, lower=None).first()
    return item, unit, True


def positive_quantity(errors, path, value):
    qty = decimal(errors, f"{path}.quantity", value, required=True)
    if qty is not None and qty <= 0:
        errors.add(f"{path}.quantity", "The quantity must be greater than zero.")
        return None
    return qty


def build_lines(*, company, supplier, date, lines_data, errors: ErrorCollector,
                prefix: str = "lines") -> list[dict]:
    from cuadra.purchasing.selectors import supplier_price_resolve

    built = []
    for i, data in enumerate(lines_data or []):
        path = f"{prefix}[{i}]"
        item, unit, ok = item_and_unit(company, data, errors, path)
        qty = positive_quantity(errors, path, data.get("quantity"))
        price = decimal(errors, f"{path}.unitPrice", data.get("unit_price"))
        pct = decimal(errors, f"{path}.discountPercent", data.get("discount_percent")) or ZERO
        account = _line_account(company, data.get("account"), errors, f"{path}.account")
        if not ok or qty is None or account is False:
            continue
        if price is None and item is not None:
            price = (supplier_price_resolve(company=company, supplier=supplier, item=item,
                                            unit=unit, quantity=qty, date=date)
                     if supplier is not None else None)
            price = price if price is not None else item.cost
        if price is None:
            price = data.get("fallback_price")
        if price is None:
            errors.add(f"{path}.unitPrice", "No supplier price or cost for this line: "
                                            "give a unit price.")
            continue
        if price < 0 or not ZERO <= pct <= HUNDRED:
            errors.add(f"{path}.unitPrice", "The price is not negative and a discount is "
                                            "between 0 and 100 percent.")
            continue
        tax = line_tax(company, data, item, errors, path)
        if tax is False:
            continue
        built.append({**priced(item=item, unit=unit, description=description(data, item),
                               quantity=qty, unit_price=price, discount_percent=pct, tax=tax,
                               tax_inclusive=bool(data.get("tax_inclusive", False))),
                      "account": account or None, "line_no": i + 1,
                      **{k: data[k] for k in LINK_FIELDS if data.get(k) is not None}})
    return built


def _line_account(company, value, errors, path):
    account = row(Account, company, value)
    if account is False or (account and (account.is_group or not account.is_active)):
        errors.add(path, "No such postable account in this company.")
        return False
    return account


def line_tax(company, data, item, errors, path):
    if "tax" in data and data["tax"] in (None, ""):
        return None
    if data.get("tax") is None:
        return item.default_tax if item is not None else None
    tax = row(Tax, company, data["tax"])
    if not tax or not tax.is_active:
        errors.add(f"{path}.tax", "Unknown tax: no such active tax in this company.")
        return False
    return tax


def description(data, item) -> str:
    text = (data.get("description") or "").strip()
    return (text or (item.name if item is not None else ""))[:500]


def priced(*, item, unit, description, quantity, unit_price, discount_percent, tax,
           tax_inclusive) -> dict:
    rate = tax.rate if tax is not None else ZERO
    amounts = line_amounts(quantity=quantity, unit_price=unit_price,
                           discount_percent=discount_percent, rate=rate,
                           tax_inclusive=tax_inclusive)
    return {"item": item, "unit": unit, "description": description, "quantity": quantity,
            "unit_price": unit_price, "discount_percent": discount_percent, "tax": tax,
            "tax_rate": rate, "tax_inclusive": tax_inclusive, "base_amount": amounts.base,
            "tax_amount": amounts.tax, "total_amount": amounts.total}


def copy_line(line, quantity: Decimal | None = None, **extra) -> dict:
    """A converted line's values, amounts recomputed for ``quantity`` at the same price."""
    qty = line.quantity if quantity is None else quantity
    amounts = line_amounts(quantity=qty, unit_price=line.unit_price,
                           discount_percent=line.discount_percent, rate=line.tax_rate,
                           tax_inclusive=line.tax_inclusive)
    return {"item_id": line.item_id, "unit_id": line.unit_id, "description": line.description,
            "quantity": qty, "unit_price": line.unit_price,
            "discount_percent": line.discount_percent, "tax_id": line.tax_id,
            "tax_rate": line.tax_rate, "tax_inclusive": line.tax_inclusive,
            "account_id": line.account_id, "base_amount": amounts.base,
            "tax_amount": amounts.tax, "total_amount": amounts.total, **extra}
