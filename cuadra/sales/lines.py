"""Turning line input into priced, checked line values (no writes).

Input per line: ``item`` (id or Item, optional for free text), ``unit`` (id or ItemUnit;
default the item's base unit), ``description``, ``quantity`` (> 0), ``unit_price``
(default: :func:`cuadra.catalog.selectors.price_resolve` for the client and date),
``discount_percent`` (0-100; default the resolved client discount), ``tax`` (id or Tax;
default the item's tax; an id of no tax of the company is refused), ``tax_inclusive``."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from cuadra.catalog.models import Item, ItemUnit, PriceList, Tax
from cuadra.catalog.selectors import PriceBook, price_resolve
from cuadra.core.errors import DomainError, ErrorCollector
from cuadra.core.money import to_decimal
from cuadra.sales.totals import HUNDRED, ZERO, line_amounts


def _pk(value):
    if value in (None, ""):
        return None
    if hasattr(value, "pk"):
        return value.pk
    text = str(value)
    return int(text) if text.isdigit() else -1


class _Rows:
    """The company's items, units and taxes the lines name, read in one query per model
    (a row of another company is simply not found)."""

    def __init__(self, company, lines_data):
        def ids(key):
            return {pk for d in lines_data if isinstance(d, dict)
                    and (pk := _pk(d.get(key))) not in (None, -1)}

        self.items = Item.objects.select_related("default_tax").in_bulk(
            ids("item"), field_name="pk") if ids("item") else {}
        self.items = {pk: i for pk, i in self.items.items() if i.company_id == company.pk}
        self.units = {u.pk: u for u in ItemUnit.objects.filter(
            company=company, item_id__in=list(self.items))}
        self.base_units = {u.item_id: u for u in self.units.values() if u.lower_id is None}
        tax_ids = ids("tax")
        self.taxes = {t.pk: t for t in Tax.objects.filter(company=company, pk__in=tax_ids)
                      } if tax_ids else {}

    @staticmethod
    def get(found: dict, value):
        pk = _pk(value)
        if pk is None:
            return None
        return found.get(pk, False)


def _decimal(errors, path, value, *, default=None):
    if value in (None, ""):
        return default
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


def client_price_list(*, company, client) -> PriceList | None:
    if not client.price_list_code:
        return None
    return PriceList.objects.filter(company=company, code=client.price_list_code,
                                    is_active=True).first()


def build_lines(*, company, client, date, lines_data, errors: ErrorCollector,
                prefix: str = "lines") -> list[dict]:
    """Checked values of each line (model field names), amounts computed."""
    price_list = client_price_list(company=company, client=client)
    rows = _Rows(company, lines_data or [])
    book = PriceBook(company=company, items=rows.items.values(), date=date,
                     client_id=client.pk, price_list=price_list)
    built = []
    for i, data in enumerate(lines_data or []):
        values = _build_one(company, client, date, data, errors, f"{prefix}[{i}]", rows, book)
        if values is not None:
            built.append({**values, "line_no": i + 1})
    return built


def _item_and_unit(rows: _Rows, data, errors, path):
    item = rows.get(rows.items, data.get("item"))
    if item is False:
        errors.add(f"{path}.item", "No such item in this company.")
        return None, None, False
    unit = rows.get(rows.units, data.get("unit"))
    if unit is False or (unit and (item is None or unit.item_id != item.pk)):
        errors.add(f"{path}.unit", "No such unit level for this item.")
        return item, None, False
    if item is not None and unit is None:
        unit = rows.base_units.get(item.pk)
    return item, unit, True


def _build_one(company, client, date, data, errors, path, rows: _Rows, book: PriceBook):
    item, unit, ok = _item_and_unit(rows, data, errors, path)
    qty = _decimal(errors, f"{path}.quantity", data.get("quantity"))
    if qty is None:
        if data.get("quantity") in (None, ""):
            errors.add(f"{path}.quantity", "A line needs a quantity.")
        return None
    if qty <= 0:
        errors.add(f"{path}.quantity", "The quantity must be greater than zero.")
        return None
    price = _decimal(errors, f"{path}.unitPrice", data.get("unit_price"))
    pct = _decimal(errors, f"{path}.discountPercent", data.get("discount_percent"))
    inclusive = bool(data.get("tax_inclusive", False))
    if not ok:
        return None
    if price is None and item is None:
        errors.add(f"{path}.unitPrice", "A free-text line needs a unit price.")
        return None
    if price is None:
        try:
            quote = price_resolve(company=company, item=item, unit=unit, quantity=qty,
                                  date=date, client_id=client.pk,
                                  price_list=book.price_list, book=book)
        except DomainError as exc:
            errors.add(f"{path}.unitPrice", str(exc))
            return None
        price, inclusive = quote.unit_price, quote.tax_inclusive
        pct = quote.discount_percent if pct is None else pct
    pct = ZERO if pct is None else pct
    if price < 0:
        errors.add(f"{path}.unitPrice", "The unit price cannot be negative.")
    if not ZERO <= pct <= HUNDRED:
        errors.add(f"{path}.discountPercent", "A discount is between 0 and 100 percent.")
    tax = _line_tax(rows, data, item, errors, path)
    if tax is False or price < 0 or not ZERO <= pct <= HUNDRED:
        return None
    return priced(item=item, unit=unit, description=_description(data, item), quantity=qty,
                  unit_price=price, discount_percent=pct, tax=tax, tax_inclusive=inclusive)


def _line_tax(rows: _Rows, data, item, errors, path):
    if "tax" in data and data["tax"] in (None, ""):
        return None  # explicitly untaxed
    if data.get("tax") is None:
        return item.default_tax if item is not None else None
    tax = rows.get(rows.taxes, data["tax"])
    if not tax or not tax.is_active:
        errors.add(f"{path}.tax", "Unknown tax: no such active tax in this company.")
        return False
    return tax


def _description(data, item) -> str:
    text = (data.get("description") or "").strip()
    return (text or (item.name if item is not None else ""))[:500]


def priced(*, item, unit, description, quantity: Decimal, unit_price: Decimal,
           discount_percent: Decimal, tax, tax_inclusive: bool) -> dict:
    rate = tax.rate if tax is not None else ZERO
    amounts = line_amounts(quantity=quantity, unit_price=unit_price,
                           discount_percent=discount_percent, rate=rate,
                           tax_inclusive=tax_inclusive)
    return {"item": item, "unit": unit, "description": description, "quantity": quantity,
            "unit_price": unit_price, "discount_percent": discount_percent, "tax": tax,
            "tax_rate": rate, "tax_inclusive": tax_inclusive, "base_amount": amounts.base,
            "tax_amount": amounts.tax, "total_amount": amounts.total}


def copy_line(line, quantity: Decimal | None = None, **extra) -> dict:
    """The values of ``line`` for a converted document, amounts recomputed for
    ``quantity`` with the same price, discount and tax rate (so the full quantity gives
    the very same figures)."""
    rate = line.tax_rate
    qty = line.quantity if quantity is None else quantity
    amounts = line_amounts(quantity=qty, unit_price=line.unit_price,
                           discount_percent=line.discount_percent, rate=rate,
                           tax_inclusive=line.tax_inclusive)
    return {"item_id": line.item_id, "unit_id": line.unit_id, "description": line.description,
            "quantity": qty, "unit_price": line.unit_price,
            "discount_percent": line.discount_percent, "tax_id": line.tax_id,
            "tax_rate": rate, "tax_inclusive": line.tax_inclusive,
            "base_amount": amounts.base, "tax_amount": amounts.tax,
            "total_amount": amounts.total, **extra}
