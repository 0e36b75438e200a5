"""Catalog writes: taxes, categories, items with their unit levels, prices, price lists and
client prices. Each service validates every field first (one VALIDATION error listing all
bad fields), writes in one transaction, and audits what it changed.

References (category, tax, account, unit, ...) may be passed as a model instance or an id;
either way they must belong to the company, or the field is reported as bad."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction

from cuadra.catalog import clients
from cuadra.catalog.enums import ITBMS_RATES, MAX_UNIT_LEVELS, ItemKind, TaxKind
from cuadra.catalog.models import (
    Category,
    ClientPrice,
    Item,
    ItemUnit,
    PriceList,
    PriceListItem,
    Tax,
)
from cuadra.core.audit import audit_create, audit_delete, audit_record, audit_update, snapshot
from cuadra.core.errors import ErrorCollector
from cuadra.core.models import AuditAction
from cuadra.core.money import to_decimal
from cuadra.ledger.models import Account

_UNSET: Any = object()


# --- input helpers ---------------------------------------------------------------------------

def _decimal(errors: ErrorCollector, field: str, value, *, required: bool = False,
             positive: bool = False, non_negative: bool = False) -> Decimal | None:
    """An exact Decimal from a str, int or Decimal; a float is refused, never converted."""
    if value is None or value == "":
        if required:
            errors.add(field, "A value is required.")
        return None
    try:
        number = to_decimal(value)
    except TypeError:
        errors.add(field, "Floats are never accepted: send a string or a decimal.")
        return None
    except ValueError:
        errors.add(field, f"Not a decimal number: {value!r}.")
        return None
    if not number.is_finite():
        errors.add(field, "Must be a finite number.")
    elif positive and number <= 0:
        errors.add(field, "Must be greater than zero.")
    elif non_negative and number < 0:
        errors.add(field, "Must not be negative.")
    else:
        return number
    return None


def _ref(errors: ErrorCollector, model, company, value, field: str):
    """The company's row ``value`` names (instance or id), or None with an error."""
    if value is None or value == "":
        return None
    if isinstance(value, model):
        if value.company_id == company.pk:
            return value
    elif str(value).isdigit():
        row = model.objects.filter(company=company, pk=int(value)).first()
        if row is not None:
            return row
    errors.add(field, f"No such {model._meta.verbose_name} in this company.")
    return None


def _text(errors: ErrorCollector, field: str, value, *, max_length: int,
          required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        errors.add(field, "A value is required.")
    elif len(text) > max_length:
        errors.add(field, f"At most {max_length} characters.")
    return text


def _dates(errors: ErrorCollector, valid_from, valid_to) -> None:
    if valid_from and valid_to and valid_to < valid_from:
        errors.add("validTo", "The end of validity precedes its start.")


def _save_update(*, company, actor, obj, before: dict, operation: str):
    obj.save()
    audit_update(actor=actor, company_id=company.pk, obj=obj, before=before,
                 operation=operation)
    return obj


# --- taxes -----------------------------------------------------------------------------------

def taxes_setup(*, company, actor) -> list[Tax]:
    """Company-created hook (and demo loader): ITBMS 00/01/02/03 for a Panama company.
    Idempotent: a code that exists is left as it is."""
    if company.country != "PA":
        return []
    existing = set(Tax.objects.filter(company=company).values_list("code", flat=True))
    missing = [Tax(company=company, code=code, name=name, rate=rate, kind=TaxKind.ITBMS)
               for code, (name, rate) in ITBMS_RATES.items() if code not in existing]
    if missing:
        Tax.objects.bulk_create(missing)
        audit_record(action=AuditAction.CREATE, actor=actor, company_id=company.pk,
                     operation="taxes_setup", object_type="catalog.Tax",
                     changes={"codes": [None, [t.code for t in missing]]})
    return missing


def _validate_tax(errors, *, company, code, name, rate, kind, exclude_pk=None):
    code = _text(errors, "code", code, max_length=8)
    name = _text(errors, "name", name, max_length=100)
    rate = _decimal(errors, "rate", rate, required=True, non_negative=True)
    if rate is not None and rate >= 1:
        errors.add("rate", "A rate is a fraction: 0.07 is 7%.")
    if kind not in TaxKind.values:
        errors.add("kind", f"Choose one of {', '.join(TaxKind.values)}.")
    if code and Tax.objects.filter(company=company, code=code).exclude(pk=exclude_pk).exists():
        errors.add("code", "This tax code exists in the company.")
    return code, name, rate


@transaction.atomic
def tax_create(*, company, actor, code: str, name: str, rate, kind: str = TaxKind.ITBMS) -> Tax:
    errors = ErrorCollector()
    code, name, rate = _validate_tax(errors, company=company, code=code, name=name, rate=rate,
                                     kind=kind)
    errors.raise_if_any()
    tax = Tax.objects.create(company=company, code=code, name=name, rate=rate, kind=kind)
    audit_create(actor=actor, company_id=company.pk, obj=tax, operation="tax_create")
    return tax


@transaction.atomic
def tax_update(*, company, actor, tax: Tax, name=_UNSET, rate=_UNSET, kind=_UNSET,
               is_active=_UNSET) -> Tax:
    locked = Tax.objects.select_for_update().get(pk=tax.pk, company=company)
    before = snapshot(locked)
    errors = ErrorCollector()
    _, name, rate = _validate_tax(
        errors, company=company, code=locked.code, exclude_pk=locked.pk,
        name=locked.name if name is _UNSET else name,
        rate=locked.rate if rate is _UNSET else rate,
        kind=locked.kind if kind is _UNSET else kind)
    errors.raise_if_any()
    locked.name, locked.rate = name, rate
    if kind is not _UNSET:
        locked.kind = kind
    if is_active is not _UNSET:
        locked.is_active = bool(is_active)
    return _save_update(company=company, actor=actor, obj=locked, before=before,
                        operation="tax_update")


def tax_deactivate(*, company, actor, tax: Tax) -> Tax:
    return tax_update(company=company, actor=actor, tax=tax, is_active=False)


# --- categories ------------------------------------------------------------------------------

def _category_cycle(category: Category | None, parent: Category | None) -> bool:
    node, seen = parent, 0
    while node is not None and seen < 1000:
        if category is not None and node.pk == category.pk:
            return True
        node, seen = node.parent, seen + 1
    return False


def _validate_category(errors, *, company, name, parent, category=None):
    name = _text(errors, "name", name, max_length=120)
    parent = _ref(errors, Category, company, parent, "parentId")
    if parent is not None and category is not None and _category_cycle(category, parent):
        errors.add("parentId", "A category cannot sit under itself or its descendants.")
    clash = Category.objects.filter(company=company, parent=parent, name=name)
    if name and clash.exclude(pk=getattr(category, "pk", None)).exists():
        errors.add("name", "A category with this name exists at this level.")
    return name, parent


@transaction.atomic
def category_create(*, company, actor, name: str, parent=None) -> Category:
    errors = ErrorCollector()
    name, parent = _validate_category(errors, company=company, name=name, parent=parent)
    errors.raise_if_any()
    category = Category.objects.create(company=company, name=name, parent=parent)
    audit_create(actor=actor, company_id=company.pk, obj=category, operation="category_create")
    return category


@transaction.atomic
def category_update(*, company, actor, category: Category, name=_UNSET, parent=_UNSET,
                    is_active=_UNSET) -> Category:
    locked = Category.objects.select_for_update().get(pk=category.pk, company=company)
    before = snapshot(locked)
    errors = ErrorCollector()
    name, parent = _validate_category(
        errors, company=company, category=locked,
        name=locked.name if name is _UNSET else name,
        parent=locked.parent if parent is _UNSET else parent)
    errors.raise_if_any()
    locked.name, locked.parent = name, parent
    if is_active is not _UNSET:
        locked.is_active = bool(is_active)
    return _save_update(company=company, actor=actor, obj=locked, before=before,
                        operation="category_update")


def category_deactivate(*, company, actor, category: Category) -> Category:
    return category_update(company=company, actor=actor, category=category, is_active=False)


# --- items -----------------------------------------------------------------------------------

_ACCOUNT_FIELDS = ("sales_account", "purchase_account", "inventory_account", "cogs_account")
_CAMEL = {"sales_account": "salesAccountId", "purchase_account": "purchaseAccountId",
          "inventory_account": "inventoryAccountId", "cogs_account": "cogsAccountId",
          "category": "categoryId", "default_tax": "defaultTaxId"}


def _barcode_taken(company, barcode: str, *, item_pk=None, unit_pk=None) -> bool:
    """Barcodes are unique in the company across items and unit levels, so a scan finds
    exactly one (item, unit)."""
    if not barcode:
        return False
    items = Item.objects.filter(company=company, barcode=barcode).exclude(pk=item_pk)
    units = ItemUnit.objects.filter(company=company, barcode=barcode).exclude(pk=unit_pk)
    return items.exists() or units.exists()


def _validate_item_fields(errors, *, company, values: dict, item=None) -> dict:
    out = dict(values)
    out["sku"] = _text(errors, "sku", values["sku"], max_length=40)
    out["name"] = _text(errors, "name", values["name"], max_length=200)
    out["barcode"] = _text(errors, "barcode", values["barcode"], max_length=64, required=False)
    out["description"] = values["description"] or ""
    if values["kind"] not in ItemKind.values:
        errors.add("kind", f"Choose one of {', '.join(ItemKind.values)}.")
    pk = getattr(item, "pk", None)
    if out["sku"] and Item.objects.filter(company=company, sku=out["sku"]).exclude(pk=pk).exists():
        errors.add("sku", "This SKU exists in the company.")
    if _barcode_taken(company, out["barcode"], item_pk=pk):
        errors.add("barcode", "This barcode is already used in the company.")
    out["cost"] = _decimal(errors, "cost", values["cost"], non_negative=True)
    out["category"] = _ref(errors, Category, company, values["category"], "categoryId")
    out["default_tax"] = _ref(errors, Tax, company, values["default_tax"], "defaultTaxId")
    for name in _ACCOUNT_FIELDS:
        account = _ref(errors, Account, company, values[name], _CAMEL[name])
        if account is not None and account.is_group:
            errors.add(_CAMEL[name], "A group account takes no postings; choose a postable one.")
        out[name] = account
    return out


def _validate_new_units(errors, *, company, base_code: str, units: list[dict]) -> list[dict]:
    """The extra levels of a new item: codes unique, each ``lower`` an earlier level (so no
    cycle can be written), factors exact and > 0, at most six levels deep."""
    depth_of = {base_code: 1}
    factor_of = {base_code: Decimal(1)}
    clean = []
    for i, unit in enumerate(units):
        at = f"units[{i}]"
        code = _text(errors, f"{at}.code", unit.get("code"), max_length=20)
        name = _text(errors, f"{at}.name", unit.get("name") or code, max_length=60)
        lower = unit.get("lower") or (clean[-1]["code"] if clean else base_code)
        factor = _decimal(errors, f"{at}.factor", unit.get("factor"), required=True,
                          positive=True)
        price = _decimal(errors, f"{at}.price", unit.get("price"), non_negative=True)
        barcode = _text(errors, f"{at}.barcode", unit.get("barcode"), max_length=64,
                        required=False)
        if code in depth_of:
            errors.add(f"{at}.code", f"Unit code {code!r} appears twice.")
        if lower not in depth_of:
            errors.add(f"{at}.lower", f"{lower!r} is not the base or an earlier level.")
        elif depth_of[lower] + 1 > MAX_UNIT_LEVELS:
            errors.add(f"{at}.lower", f"At most {MAX_UNIT_LEVELS} unit levels.")
        elif code and factor is not None:
            depth_of[code] = depth_of[lower] + 1
            factor_of[code] = factor * factor_of[lower]
        if _barcode_taken(company, barcode):
            errors.add(f"{at}.barcode", "This barcode is already used in the company.")
        clean.append({"code": code, "name": name, "lower": lower, "factor": factor,
                      "price": price, "barcode": barcode,
                      "depth": depth_of.get(code), "factor_to_base": factor_of.get(code)})
    return clean


@transaction.atomic
def item_create(*, company, actor, sku: str, name: str, kind: str = ItemKind.GOODS,
                barcode: str = "", description: str = "", category=None, default_tax=None,
                price_includes_tax: bool = False, cost=None, sales_account=None,
                purchase_account=None, inventory_account=None, cogs_account=None,
                base_unit_code: str = "und", base_unit_name: str = "Unidad",
                base_price=None, base_barcode: str = "",
                units: list[dict] | None = None) -> Item:
    """An item, its base unit level and, in ``units``, its higher levels from the bottom
    up: ``{code, name, factor, lower (a code; default the previous level), price, barcode}``.
    """
    values = dict(sku=sku, name=name, kind=kind, barcode=barcode, description=description,
                  category=category, default_tax=default_tax, cost=cost,
                  sales_account=sales_account, purchase_account=purchase_account,
                  inventory_account=inventory_account, cogs_account=cogs_account)
    errors = ErrorCollector()
    fields = _validate_item_fields(errors, company=company, values=values)
    base_code = _text(errors, "baseUnitCode", base_unit_code, max_length=20)
    base_name = _text(errors, "baseUnitName", base_unit_name or base_code, max_length=60)
    price = _decimal(errors, "basePrice", base_price, non_negative=True)
    base_barcode = _text(errors, "baseBarcode", base_barcode, max_length=64, required=False)
    if _barcode_taken(company, base_barcode) or (base_barcode and base_barcode == barcode):
        errors.add("baseBarcode", "This barcode is already used in the company.")
    extra = _validate_new_units(errors, company=company, base_code=base_code,
                                units=list(units or []))
    errors.raise_if_any()
    item = Item.objects.create(company=company, price_includes_tax=bool(price_includes_tax),
                               **fields)
    by_code = {base_code: ItemUnit.objects.create(
        company=company, item=item, code=base_code, name=base_name, factor=Decimal(1),
        factor_to_base=Decimal(1), depth=1, price=price, barcode=base_barcode)}
    for unit in extra:
        by_code[unit["code"]] = ItemUnit.objects.create(
            company=company, item=item, code=unit["code"], name=unit["name"],
            lower=by_code[unit["lower"]], factor=unit["factor"],
            factor_to_base=unit["factor_to_base"], depth=unit["depth"], price=unit["price"],
            barcode=unit["barcode"])
    audit_create(actor=actor, company_id=company.pk, obj=item, operation="item_create")
    for unit in by_code.values():
        audit_create(actor=actor, company_id=company.pk, obj=unit, operation="item_create")
    return item


_ITEM_FIELDS = ("sku", "name", "kind", "barcode", "description", "category", "default_tax",
                "cost", *_ACCOUNT_FIELDS)


@transaction.atomic
def item_update(*, company, actor, item: Item, **changes) -> Item:
    """Change any of ``sku, name, kind, barcode, description, category, default_tax, cost,
    *_account, price_includes_tax, is_active``; unit levels have their own services."""
    locked = Item.objects.select_for_update().get(pk=item.pk, company=company)
    before = snapshot(locked)
    errors = ErrorCollector()
    unknown = set(changes) - {*_ITEM_FIELDS, "price_includes_tax", "is_active"}
    for name in sorted(unknown):
        errors.add(name, "Not a field of an item.")
    values = {f: changes.get(f, getattr(locked, f)) for f in _ITEM_FIELDS}
    fields = _validate_item_fields(errors, company=company, values=values, item=locked)
    errors.raise_if_any()
    for name, value in fields.items():
        setattr(locked, name, value)
    for name in ("price_includes_tax", "is_active"):
        if name in changes:
            setattr(locked, name, bool(changes[name]))
    return _save_update(company=company, actor=actor, obj=locked, before=before,
                        operation="item_update")


def item_deactivate(*, company, actor, item: Item) -> Item:
    return item_update(company=company, actor=actor, item=item, is_active=False)


# --- unit levels -----------------------------------------------------------------------------

def _unit_tree_errors(units: dict[int, ItemUnit]) -> list[tuple[str, str]]:
    """Recompute depth and factor_to_base of every level of one item in memory; report a
    cycle or a level deeper than six. ``units`` maps pk -> row (with pending changes)."""
    problems = []
    for unit in units.values():
        chain, node, factor = [], unit, Decimal(1)
        while node is not None:
            if node.pk in chain:
                problems.append(("lowerId", f"Unit level {unit.code!r} would sit above itself."))
                break
            chain.append(node.pk)
            factor *= node.factor
            node = units.get(node.lower_id) if node.lower_id else None
        else:
            unit.depth, unit.factor_to_base = len(chain), factor
            if len(chain) > MAX_UNIT_LEVELS:
                problems.append(("lowerId", f"At most {MAX_UNIT_LEVELS} unit levels; "
                                            f"{unit.code!r} would be level {len(chain)}."))
    return problems


def _item_units_locked(company, item) -> dict[int, ItemUnit]:
    return {u.pk: u for u in ItemUnit.objects.select_for_update()
            .filter(company=company, item_id=item.pk).order_by("pk")}


def _save_tree(*, company, actor, units: dict[int, ItemUnit], befores: dict[int, dict],
               operation: str) -> None:
    for pk, unit in units.items():
        if pk in befores and snapshot(unit) != befores[pk]:
            unit.save()
            audit_update(actor=actor, company_id=company.pk, obj=unit, before=befores[pk],
                         operation=operation)


@transaction.atomic
def unit_level_create(*, company, actor, item, code: str, factor, name: str = "",
                      lower=None, barcode: str = "", price=None) -> ItemUnit:
    """A new level above ``lower`` (default: the base unit) holding ``factor`` of it."""
    errors = ErrorCollector()
    item = _ref(errors, Item, company, item, "itemId")
    errors.raise_if_any()
    units = _item_units_locked(company, item)
    code = _text(errors, "code", code, max_length=20)
    name = _text(errors, "name", name or code, max_length=60)
    factor = _decimal(errors, "factor", factor, required=True, positive=True)
    price = _decimal(errors, "price", price, non_negative=True)
    barcode = _text(errors, "barcode", barcode, max_length=64, required=False)
    base = next(u for u in units.values() if u.lower_id is None)
    lower = base if lower in (None, "") else _ref(errors, ItemUnit, company, lower, "lowerId")
    if lower is not None and lower.item_id != item.pk:
        errors.add("lowerId", "The lower level must be a level of the same item.")
    elif lower is not None and units[lower.pk].depth + 1 > MAX_UNIT_LEVELS:
        errors.add("lowerId", f"At most {MAX_UNIT_LEVELS} unit levels.")
    if any(u.code == code for u in units.values()):
        errors.add("code", "This item already has a level with this code.")
    if _barcode_taken(company, barcode):
        errors.add("barcode", "This barcode is already used in the company.")
    errors.raise_if_any()
    lower = units[lower.pk]
    unit = ItemUnit.objects.create(
        company=company, item=item, code=code, name=name, lower=lower, factor=factor,
        factor_to_base=factor * lower.factor_to_base, depth=lower.depth + 1, price=price,
        barcode=barcode)
    audit_create(actor=actor, company_id=company.pk, obj=unit, operation="unit_level_create")
    return unit


@transaction.atomic
def unit_level_update(*, company, actor, unit, code=_UNSET, name=_UNSET, factor=_UNSET,
                      lower=_UNSET, barcode=_UNSET, price=_UNSET,
                      is_active=_UNSET) -> ItemUnit:
    """Change a level; moving it (``lower``) or changing its ``factor`` recomputes every
    level's factor to the base. A cycle, a seventh level, a factor <= 0 or a float writes
    nothing. The base level keeps factor 1 and no lower level."""
    errors = ErrorCollector()
    unit = _ref(errors, ItemUnit, company, unit, "unitId")
    errors.raise_if_any()
    units = _item_units_locked(company, unit.item)
    befores = {pk: snapshot(u) for pk, u in units.items()}
    row = units[unit.pk]
    if code is not _UNSET:
        row.code = _text(errors, "code", code, max_length=20)
        if any(u.code == row.code and u.pk != row.pk for u in units.values()):
            errors.add("code", "This item already has a level with this code.")
    if name is not _UNSET:
        row.name = _text(errors, "name", name, max_length=60)
    if barcode is not _UNSET:
        row.barcode = _text(errors, "barcode", barcode, max_length=64, required=False)
        if _barcode_taken(company, row.barcode, unit_pk=row.pk):
            errors.add("barcode", "This barcode is already used in the company.")
    if price is not _UNSET:
        row.price = _decimal(errors, "price", price, non_negative=True)
    if is_active is not _UNSET:
        row.is_active = bool(is_active)
    if factor is not _UNSET:
        value = _decimal(errors, "factor", factor, required=True, positive=True)
        if row.lower_id is None and value is not None and value != 1:
            errors.add("factor", "The base unit's factor is 1.")
        elif value is not None:
            row.factor = value
    if lower is not _UNSET:
        _move_level(errors, company=company, row=row, lower=lower, units=units)
    errors.raise_if_any()
    for field, message in _unit_tree_errors(units):
        errors.add(field, message)
    errors.raise_if_any()
    _save_tree(company=company, actor=actor, units=units, befores=befores,
               operation="unit_level_update")
    return row


def _move_level(errors, *, company, row: ItemUnit, lower, units: dict[int, ItemUnit]) -> None:
    if row.lower_id is None:
        errors.add("lowerId", "The base unit has no lower level.")
        return
    target = _ref(errors, ItemUnit, company, lower, "lowerId")
    if target is None:
        if lower in (None, ""):
            errors.add("lowerId", "Only the base unit has no lower level.")
        return
    if target.pk not in units:
        errors.add("lowerId", "The lower level must be a level of the same item.")
        return
    row.lower_id = target.pk


def unit_level_deactivate(*, company, actor, unit) -> ItemUnit:
    return unit_level_update(company=company, actor=actor, unit=unit, is_active=False)


def item_price_set(*, company, actor, unit, price) -> ItemUnit:
    """The own price of one unit level ("alternative unit price"); None clears it, so the
    level is priced as factor x its lower level again."""
    return unit_level_update(company=company, actor=actor, unit=unit, price=price)


# --- price lists -----------------------------------------------------------------------------

def _validate_price_list(errors, *, company, code, name, currency, valid_from, valid_to,
                         exclude_pk=None):
    code = _text(errors, "code", code, max_length=20)
    name = _text(errors, "name", name or code, max_length=120)
    currency = (currency or company.base_currency or "").strip().upper()
    if len(currency) != 3 or not currency.isalpha():
        errors.add("currency", "An ISO 4217 code of three letters, e.g. USD.")
    if code and PriceList.objects.filter(company=company, code=code).exclude(
            pk=exclude_pk).exists():
        errors.add("code", "This price list code exists in the company.")
    _dates(errors, valid_from, valid_to)
    return code, name, currency


@transaction.atomic
def price_list_create(*, company, actor, code: str, name: str = "", currency: str = "",
                      tax_inclusive: bool = False, valid_from: dt.date | None = None,
                      valid_to: dt.date | None = None) -> PriceList:
    errors = ErrorCollector()
    code, name, currency = _validate_price_list(errors, company=company, code=code, name=name,
                                                currency=currency, valid_from=valid_from,
                                                valid_to=valid_to)
    errors.raise_if_any()
    price_list = PriceList.objects.create(company=company, code=code, name=name,
                                          currency=currency, tax_inclusive=bool(tax_inclusive),
                                          valid_from=valid_from, valid_to=valid_to)
    audit_create(actor=actor, company_id=company.pk, obj=price_list,
                 operation="price_list_create")
    return price_list


@transaction.atomic
def price_list_update(*, company, actor, price_list: PriceList, **changes) -> PriceList:
    locked = PriceList.objects.select_for_update().get(pk=price_list.pk, company=company)
    before = snapshot(locked)
    errors = ErrorCollector()
    for name in sorted(set(changes) - {"code", "name", "currency", "tax_inclusive",
                                       "valid_from", "valid_to", "is_active"}):
        errors.add(name, "Not a field of a price list.")
    v = {f: changes.get(f, getattr(locked, f))
         for f in ("code", "name", "currency", "valid_from", "valid_to")}
    v["code"], v["name"], v["currency"] = _validate_price_list(
        errors, company=company, exclude_pk=locked.pk, **v)
    errors.raise_if_any()
    for name, value in {**changes, **v}.items():
        setattr(locked, name, value)
    return _save_update(company=company, actor=actor, obj=locked, before=before,
                        operation="price_list_update")


def price_list_deactivate(*, company, actor, price_list: PriceList) -> PriceList:
    return price_list_update(company=company, actor=actor, price_list=price_list,
                             is_active=False)


@transaction.atomic
def price_list_item_set(*, company, actor, price_list, item, unit, price,
                        min_quantity=0, valid_from: dt.date | None = None,
                        valid_to: dt.date | None = None) -> PriceListItem:
    """Create or replace the row for (list, item, unit, min quantity, valid from)."""
    errors = ErrorCollector()
    price_list = _ref(errors, PriceList, company, price_list, "priceListId")
    item = _ref(errors, Item, company, item, "itemId")
    unit = _ref(errors, ItemUnit, company, unit, "unitId")
    if item is not None and unit is not None and unit.item_id != item.pk:
        errors.add("unitId", "The unit level belongs to another item.")
    price = _decimal(errors, "price", price, required=True, non_negative=True)
    min_quantity = _decimal(errors, "minQuantity", min_quantity, non_negative=True) \
        or Decimal(0)
    _dates(errors, valid_from, valid_to)
    errors.raise_if_any()
    row = PriceListItem.objects.select_for_update().filter(
        company=company, price_list=price_list, item=item, unit=unit,
        min_quantity=min_quantity, valid_from=valid_from).first()
    if row is None:
        row = PriceListItem.objects.create(
            company=company, price_list=price_list, item=item, unit=unit, price=price,
            min_quantity=min_quantity, valid_from=valid_from, valid_to=valid_to)
        audit_create(actor=actor, company_id=company.pk, obj=row,
                     operation="price_list_item_set")
        return row
    before = snapshot(row)
    row.price, row.valid_to = price, valid_to
    return _save_update(company=company, actor=actor, obj=row, before=before,
                        operation="price_list_item_set")


@transaction.atomic
def price_list_item_delete(*, company, actor, row) -> None:
    errors = ErrorCollector()
    row = _ref(errors, PriceListItem, company, row, "id")
    errors.raise_if_any()
    audit_delete(actor=actor, company_id=company.pk, obj=row, operation="price_list_item_delete")
    row.delete()


# --- client prices and discounts -------------------------------------------------------------

def _client_id(errors, company, client_id) -> int | None:
    if isinstance(client_id, bool) or not str(client_id or "").isdigit():
        errors.add("clientId", "A client id (contacts.Client) is required.")
        return None
    client_id = int(client_id)
    if clients.client_exists(company=company, client_id=client_id) is False:
        errors.add("clientId", "No such client in this company.")
    return client_id


@transaction.atomic
def client_price_set(*, company, actor, client_id, item=None, category=None, unit=None,
                     price=None, discount_percent=None, tax_inclusive: bool = False,
                     valid_from: dt.date | None = None,
                     valid_to: dt.date | None = None) -> ClientPrice:
    """A client's own price (item, unit level or the base unit) and/or discount % (item or
    category). Replaces the row with the same client, target, unit and start date."""
    errors = ErrorCollector()
    client_id = _client_id(errors, company, client_id)
    item = _ref(errors, Item, company, item, "itemId")
    category = _ref(errors, Category, company, category, "categoryId")
    unit = _ref(errors, ItemUnit, company, unit, "unitId")
    price = _decimal(errors, "price", price, non_negative=True)
    discount = _decimal(errors, "discountPercent", discount_percent, non_negative=True)
    if discount is not None and discount > 100:
        errors.add("discountPercent", "At most 100%.")
    if (item is None) == (category is None) and "itemId" not in _fields(errors) \
            and "categoryId" not in _fields(errors):
        errors.add("itemId", "Name an item or a category, not both.")
    if category is not None and (price is not None or unit is not None):
        errors.add("price", "A category takes a discount only; prices are per item.")
    if unit is not None and item is not None and unit.item_id != item.pk:
        errors.add("unitId", "The unit level belongs to another item.")
    if price is None and discount is None and not {"price", "discountPercent"} & _fields(errors):
        errors.add("price", "Give a price, a discount % or both.")
    _dates(errors, valid_from, valid_to)
    errors.raise_if_any()
    key = dict(company=company, client_id=client_id, item=item, category=category, unit=unit,
               valid_from=valid_from)
    values = dict(price=price, discount_percent=discount, tax_inclusive=bool(tax_inclusive),
                  valid_to=valid_to, is_active=True)
    row = ClientPrice.objects.select_for_update().filter(**key).first()
    if row is None:
        row = ClientPrice.objects.create(**key, **values)
        audit_create(actor=actor, company_id=company.pk, obj=row, operation="client_price_set")
        return row
    before = snapshot(row)
    for name, value in values.items():
        setattr(row, name, value)
    return _save_update(company=company, actor=actor, obj=row, before=before,
                        operation="client_price_set")


def _fields(errors: ErrorCollector) -> set[str]:
    return {e.field for e in errors.errors}


@transaction.atomic
def client_price_deactivate(*, company, actor, client_price) -> ClientPrice:
    errors = ErrorCollector()
    row = _ref(errors, ClientPrice, company, client_price, "id")
    errors.raise_if_any()
    before = snapshot(row)
    row.is_active = False
    return _save_update(company=company, actor=actor, obj=row, before=before,
                        operation="client_price_deactivate")
