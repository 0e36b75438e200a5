"""Catalog reads, and the one price resolver every sales document uses."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import F, Prefetch, Q, QuerySet

from cuadra.catalog.enums import DiscountRule, PriceRule
from cuadra.catalog.models import (
    Category,
    ClientPrice,
    Item,
    ItemUnit,
    PriceList,
    PriceListItem,
    Tax,
)
from cuadra.core.errors import ErrorCollector, NotFound, ValidationError
from cuadra.core.money import CENT, MONEY_PLACES, to_decimal

ZERO = Decimal(0)
HUNDRED = Decimal(100)
_EXACT = Decimal(1).scaleb(-MONEY_PLACES)
# the latest start of validity first; an open start (NULL) counts as the earliest
_LATEST = F("valid_from").desc(nulls_last=True)


# --- lists and lookups -----------------------------------------------------------------------

def items_list(*, company, search: str | None = None, category_id=None, kind: str | None = None,
               active_only: bool = False) -> QuerySet[Item]:
    qs = Item.objects.filter(company=company)
    if search:
        qs = qs.filter(Q(sku__icontains=search) | Q(name__icontains=search)
                       | Q(barcode=search) | Q(units__barcode=search)).distinct()
    if category_id is not None:
        qs = qs.filter(category_id=category_id)
    if kind:
        qs = qs.filter(kind=kind)
    if active_only:
        qs = qs.filter(is_active=True)
    return qs.order_by("sku", "pk")


def _get(model, *, company, pk, field: str):
    row = model.objects.filter(company=company, pk=int(pk)).first() \
        if str(pk).isdigit() else None
    if row is None:
        raise NotFound(f"No such {model._meta.verbose_name}.", field=field)
    return row


def item_get(*, company, item_id) -> Item:
    return _get(Item, company=company, pk=item_id, field="itemId")


def unit_get(*, company, unit_id) -> ItemUnit:
    return _get(ItemUnit, company=company, pk=unit_id, field="unitId")


def category_get(*, company, category_id) -> Category:
    return _get(Category, company=company, pk=category_id, field="categoryId")


def price_list_get(*, company, price_list_id) -> PriceList:
    return _get(PriceList, company=company, pk=price_list_id, field="priceListId")


def tax_get(*, company, tax_id) -> Tax:
    return _get(Tax, company=company, pk=tax_id, field="taxId")


def tax_by_code(*, company, code: str) -> Tax:
    tax = Tax.objects.filter(company=company, code=code).first()
    if tax is None:
        raise NotFound(f"No tax {code!r} in this company.", field="taxCode")
    return tax


def categories_list(*, company) -> QuerySet[Category]:
    return Category.objects.filter(company=company).order_by("name", "pk")


def price_lists_list(*, company, active_only: bool = False) -> QuerySet[PriceList]:
    qs = PriceList.objects.filter(company=company)
    return (qs.filter(is_active=True) if active_only else qs).order_by("code")


def taxes_list(*, company, active_only: bool = False) -> QuerySet[Tax]:
    qs = Tax.objects.filter(company=company)
    return (qs.filter(is_active=True) if active_only else qs).order_by("code")


def client_prices_list(*, company, client_id: int) -> QuerySet[ClientPrice]:
    return ClientPrice.objects.filter(company=company, client_id=client_id).order_by("pk")


def unit_for_barcode(*, company, barcode: str) -> ItemUnit | None:
    """The (item, unit) a scanned barcode names: a unit level's own, or the item's (its base
    unit)."""
    unit = ItemUnit.objects.filter(company=company, barcode=barcode).select_related("item")
    found = unit.first()
    if found is not None:
        return found
    return (ItemUnit.objects.filter(company=company, item__barcode=barcode, lower=None)
            .select_related("item").first())


# --- price resolution ------------------------------------------------------------------------

@dataclass(frozen=True)
class QuoteTax:
    code: str
    name: str
    rate: Decimal


@dataclass(frozen=True)
class PriceQuote:
    """The price of one unit of ``unit`` for ``quantity`` units, unrounded.

    ``unit_price`` is as its source states it (tax included when ``tax_inclusive``);
    ``discount_amount = unit_price x discount_percent / 100`` and ``net_unit_price =
    unit_price - discount_amount`` are exact. ``net_unit_price_excl_tax`` and
    ``net_unit_price_incl_tax`` express the net both ways: exact when the source excludes
    tax; when it includes tax, the tax-exclusive figure is the quotient to 25 places (1/1.07
    never terminates), so a document line should use :func:`line_amounts`, which rounds once
    and keeps the tax-inclusive total the customer was quoted."""

    item_id: int
    unit_id: int
    quantity: Decimal
    currency: str
    unit_price: Decimal
    tax_inclusive: bool
    discount_percent: Decimal
    discount_amount: Decimal
    net_unit_price: Decimal
    net_unit_price_excl_tax: Decimal
    net_unit_price_incl_tax: Decimal
    taxes: tuple[QuoteTax, ...]
    rule: str
    discount_rule: str
    source_id: int | None = None  # the row that won: ClientPrice, PriceListItem or ItemUnit
    discount_source_id: int | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def tax_rate(self) -> Decimal:
        return sum((t.rate for t in self.taxes), ZERO)


@dataclass(frozen=True)
class LineAmounts:
    base: Decimal   # taxable amount, rounded to the cent
    tax: Decimal
    total: Decimal


def line_amounts(quote: PriceQuote, quantity=None, *, places: Decimal = CENT) -> LineAmounts:
    """Round once, on the line (DGI: dValITBMS = round2(dPrItem x rate)).

    Tax-exclusive: base = round(q x net), tax = round(base x rate), total = base + tax.
    Tax-inclusive: total = round(q x net), tax = round(total x rate / (1 + rate)),
    base = total - tax, so the quoted total is never off by a cent."""
    qty = quote.quantity if quantity is None else to_decimal(quantity)
    rate = quote.tax_rate
    if not quote.tax_inclusive:
        base = (qty * quote.net_unit_price).quantize(places, rounding=ROUND_HALF_UP)
        tax = (base * rate).quantize(places, rounding=ROUND_HALF_UP)
        return LineAmounts(base=base, tax=tax, total=base + tax)
    total = (qty * quote.net_unit_price).quantize(places, rounding=ROUND_HALF_UP)
    tax = (total * rate / (1 + rate)).quantize(places, rounding=ROUND_HALF_UP)
    return LineAmounts(base=total - tax, tax=tax, total=total)


def _valid_on(date: dt.date) -> Q:
    return ((Q(valid_from__isnull=True) | Q(valid_from__lte=date))
            & (Q(valid_to__isnull=True) | Q(valid_to__gte=date)))


def _checked_quantity(quantity) -> Decimal:
    errors = ErrorCollector()
    try:
        qty = to_decimal(quantity)
    except TypeError:
        raise ValidationError("Floats are never accepted: send a string or a decimal.",
                              field="quantity") from None
    except ValueError:
        raise ValidationError(f"Not a decimal number: {quantity!r}.", field="quantity") from None
    if not qty.is_finite() or qty <= 0:
        errors.add("quantity", "The quantity must be greater than zero.")
    errors.raise_if_any()
    return qty


def unit_price_derived(unit: ItemUnit, units: dict[int, ItemUnit]) -> tuple[Decimal, ItemUnit]:
    """A level's own price, or factor x its lower level's price, recursively, exactly.

    Returns the price and the level whose own price it came from. No rounding: a box of 12
    packs without its own price costs exactly 12 x the pack price."""
    factor, node = Decimal(1), unit
    while node.price is None:
        if node.lower_id is None:
            raise ValidationError(f"No price for unit {unit.code!r} of this item or any "
                                  "level below it.", field="unitId")
        factor *= node.factor
        node = units[node.lower_id]
    return factor * node.price, node


def _latest_first(row) -> tuple:
    """Sort key of ``valid_from DESC NULLS LAST, pk DESC`` (the latest start wins)."""
    return (row.valid_from is None, -row.valid_from.toordinal() if row.valid_from else 0,
            -row.pk)


def _list_valid(price_list: PriceList, date: dt.date) -> bool:
    return ((price_list.valid_from is None or price_list.valid_from <= date)
            and (price_list.valid_to is None or price_list.valid_to >= date))


class PriceBook:
    """Every price and discount row a set of items can draw on for one client, price list
    and date, read once (four queries however many lines), then resolved in memory by
    :func:`price_resolve` with the precedence it documents."""

    def __init__(self, *, company, items, date: dt.date, client_id: int | None = None,
                 price_list: PriceList | None = None):
        self.company, self.date, self.client_id = company, date, client_id
        self.price_list = price_list
        item_ids = {i.pk for i in items}
        self.units: dict[int, dict[int, ItemUnit]] = {pk: {} for pk in item_ids}
        for u in ItemUnit.objects.filter(company=company, item_id__in=item_ids):
            self.units[u.item_id][u.pk] = u
        self.client_rows, self.category_rows, self.list_rows = {}, [], {}
        self._categories: dict[int, int | None] | None = None
        if client_id is not None:
            self._load_client_rows(item_ids)
        if price_list is not None and price_list.is_active and _list_valid(price_list, date):
            for row in PriceListItem.objects.filter(_valid_on(date), company=company,
                                                    price_list=price_list,
                                                    item_id__in=item_ids):
                self.list_rows.setdefault(row.item_id, []).append(row)

    def _load_client_rows(self, item_ids) -> None:
        rows = ClientPrice.objects.filter(
            _valid_on(self.date), Q(item_id__in=item_ids) | Q(category__isnull=False),
            company=self.company, client_id=self.client_id, is_active=True)
        for row in sorted(rows, key=_latest_first):
            if row.item_id is not None:
                self.client_rows.setdefault(row.item_id, []).append(row)
            elif row.discount_percent is not None:
                self.category_rows.append(row)

    def client_price(self, *, item, unit, base):
        rows = [r for r in self.client_rows.get(item.pk, ()) if r.price is not None
                and r.unit_id in (unit.pk, base.pk, None)]
        for row in rows:
            if row.unit_id == unit.pk:
                return row.price, row.tax_inclusive, PriceRule.CLIENT_UNIT, row.pk
        for row in rows:
            if row.unit_id in (None, base.pk):
                rule = PriceRule.CLIENT_UNIT if unit.pk == base.pk else PriceRule.CLIENT_BASE
                return row.price * unit.factor_to_base, row.tax_inclusive, rule, row.pk
        return None

    def list_price(self, *, item, unit, base, quantity):
        """The best tier (largest min quantity the order reaches): first for the unit
        itself, then for the base unit, converted with the quantity in base units."""
        rows = self.list_rows.get(item.pk, ())

        def best(target, qty):
            tiers = [r for r in rows if r.unit_id == target.pk and r.min_quantity <= qty]
            return min(tiers, key=lambda r: (-r.min_quantity, *_latest_first(r)), default=None)

        inclusive = self.price_list.tax_inclusive if self.price_list else False
        row = best(unit, quantity)
        if row is not None:
            return row.price, inclusive, PriceRule.PRICE_LIST, row.pk
        if unit.pk != base.pk:
            row = best(base, quantity * unit.factor_to_base)
            if row is not None:
                return (row.price * unit.factor_to_base, inclusive,
                        PriceRule.PRICE_LIST_BASE, row.pk)
        return None

    def discount(self, *, item: Item):
        """Item discount beats category discount; the nearest category (the item's own,
        then its ancestors) beats a farther one."""
        for row in self.client_rows.get(item.pk, ()):
            if row.discount_percent is not None:
                return row.discount_percent, DiscountRule.CLIENT_ITEM, row.pk
        if not self.category_rows or item.category_id is None:
            return ZERO, DiscountRule.NONE, None
        latest = {}
        for row in self.category_rows:  # latest start first: the first row per category wins
            latest.setdefault(row.category_id, row)
        for pk in self._category_chain(item.category_id):
            if pk in latest:
                row = latest[pk]
                return row.discount_percent, DiscountRule.CLIENT_CATEGORY, row.pk
        return ZERO, DiscountRule.NONE, None

    def _category_chain(self, category_id: int) -> list[int]:
        if self._categories is None:
            self._categories = dict(Category.objects.filter(company=self.company)
                                    .values_list("pk", "parent_id"))
        chain, pk = [], category_id
        while pk is not None and len(chain) < 100:
            chain.append(pk)
            pk = self._categories.get(pk)
        return chain


def price_resolve(*, company, item, unit, quantity, date: dt.date, client_id: int | None = None,
                  price_list: PriceList | None = None, book: PriceBook | None = None
                  ) -> PriceQuote:
    """Resolve the unit price, discount and taxes of ``quantity`` x ``unit`` of ``item``.

    Price precedence (first match wins; every candidate must be active and valid on
    ``date``):

    1. the client's price for (item, unit);
    2. the client's price for (item, base unit) x the unit's factor to the base;
    3. the price list row for (item, unit) with the largest ``min_quantity`` <= quantity,
       then the base-unit row (tier compared in base units) x the factor;
    4. the unit level's own price ("alternative unit price");
    5. derived: factor x the price of the level below, recursively down to the nearest
       level with a price (no rounding until the document line).

    Then the client's discount %: on the item, else on the item's category, nearest first
    up the tree. Whether prices include tax comes from the winning source (client row,
    price list, or the item's ``price_includes_tax``). Taxes: the item's default tax.
    Quantities and prices are Decimal: a float is refused (VALIDATION). A document pricing
    several lines passes one :class:`PriceBook` for all of them (same client, list, date)."""
    qty = _checked_quantity(quantity)
    if item.company_id != company.pk or unit.company_id != company.pk or unit.item_id != item.pk:
        raise NotFound("No such unit level for this item.", field="unitId")
    if price_list is not None and price_list.company_id != company.pk:
        raise NotFound("No such price list.", field="priceListId")
    if book is None:
        book = PriceBook(company=company, items=[item], date=date, client_id=client_id,
                         price_list=price_list)
    units = book.units[item.pk]
    unit = units[unit.pk]
    base = next(u for u in units.values() if u.lower_id is None)
    found = None
    if client_id is not None:
        found = book.client_price(item=item, unit=unit, base=base)
    if found is None and price_list is not None:
        found = book.list_price(item=item, unit=unit, base=base, quantity=qty)
    if found is None:
        price, source = unit_price_derived(unit, units)
        rule = PriceRule.UNIT_PRICE if source.pk == unit.pk else PriceRule.DERIVED
        found = (price, item.price_includes_tax, rule, source.pk)
    price, inclusive, rule, source_id = found
    pct, discount_rule, discount_id = ZERO, DiscountRule.NONE, None
    if client_id is not None:
        pct, discount_rule, discount_id = book.discount(item=item)
    return _quote(item=item, unit=unit, qty=qty, price=price, inclusive=inclusive, pct=pct,
                  rule=rule, discount_rule=discount_rule, source_id=source_id,
                  discount_id=discount_id,
                  currency=price_list.currency if rule in (PriceRule.PRICE_LIST,
                                                           PriceRule.PRICE_LIST_BASE)
                  else company.base_currency)


def _quote(*, item, unit, qty, price, inclusive, pct, rule, discount_rule, source_id,
           discount_id, currency) -> PriceQuote:
    taxes = ()
    if item.default_tax_id is not None:
        tax = item.default_tax
        taxes = (QuoteTax(code=tax.code, name=tax.name, rate=tax.rate),)
    rate = sum((t.rate for t in taxes), ZERO)
    discount = price * pct / HUNDRED
    net = price - discount
    if inclusive:
        incl, excl = net, (net / (1 + rate)).quantize(_EXACT)
    else:
        excl, incl = net, net * (1 + rate)
    return PriceQuote(item_id=item.pk, unit_id=unit.pk, quantity=qty, currency=currency,
                      unit_price=price, tax_inclusive=inclusive, discount_percent=pct,
                      discount_amount=discount, net_unit_price=net,
                      net_unit_price_excl_tax=excl, net_unit_price_incl_tax=incl,
                      taxes=taxes, rule=str(rule), discount_rule=str(discount_rule),
                      source_id=source_id, discount_source_id=discount_id)


def items_with_units(qs: QuerySet[Item]) -> QuerySet[Item]:
    """Items with their unit levels and price list rows in three queries, not N+1."""
    return qs.select_related("default_tax", "category").prefetch_related(
        Prefetch("units", queryset=ItemUnit.objects.order_by("depth", "code")),
        Prefetch("price_rows", queryset=PriceListItem.objects.select_related("price_list")))
