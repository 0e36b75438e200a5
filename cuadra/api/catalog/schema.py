"""GraphQL for the catalog: items with unit levels and prices, categories, price lists,
client prices, taxes, and the price resolver. Thin: input -> one service or selector call."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import strawberry
import strawberry_django
from strawberry_django.pagination import OffsetPaginated

from cuadra.access.permissions import Action, Path
from cuadra.api.base import actor, company, requires
from cuadra.api.catalog.types import (
    CategoryType,
    ClientPriceType,
    ItemFilter,
    ItemInput,
    ItemType,
    ItemUpdateInput,
    PriceListInput,
    PriceListItemType,
    PriceListType,
    PriceQuoteType,
    QuoteTaxType,
    TaxType,
    UnitLevelType,
)
from cuadra.catalog import selectors, services
from cuadra.core.errors import ValidationError

_ID_FIELDS = {"category_id": "category", "default_tax_id": "default_tax",
              "sales_account_id": "sales_account", "purchase_account_id": "purchase_account",
              "inventory_account_id": "inventory_account", "cogs_account_id": "cogs_account"}


def _item_create_args(data: ItemInput) -> dict:
    args = {name: getattr(data, name) for name in (
        "sku", "name", "kind", "barcode", "description", "price_includes_tax", "cost",
        "base_unit_code", "base_unit_name", "base_price", "base_barcode")}
    args.update({target: getattr(data, source) for source, target in _ID_FIELDS.items()})
    args["units"] = [{"code": u.code, "name": u.name, "factor": u.factor, "lower": u.lower,
                      "barcode": u.barcode, "price": u.price} for u in data.units or []]
    return args


def _item_changes(data: ItemUpdateInput) -> dict:
    changes = {name: getattr(data, name) for name in (
        "sku", "name", "kind", "barcode", "description", "price_includes_tax", "is_active")
        if getattr(data, name) is not None}
    if data.cost is not strawberry.UNSET:
        changes["cost"] = data.cost
    for source, target in _ID_FIELDS.items():
        if getattr(data, source) is not strawberry.UNSET:
            changes[target] = getattr(data, source)
    return changes


def _quote_payload(quote) -> PriceQuoteType:
    line = selectors.line_amounts(quote)
    return PriceQuoteType(
        item_id=quote.item_id, unit_id=quote.unit_id, quantity=quote.quantity,
        currency=quote.currency, unit_price=quote.unit_price, tax_inclusive=quote.tax_inclusive,
        discount_percent=quote.discount_percent, discount_amount=quote.discount_amount,
        net_unit_price=quote.net_unit_price,
        net_unit_price_excl_tax=quote.net_unit_price_excl_tax,
        net_unit_price_incl_tax=quote.net_unit_price_incl_tax,
        taxes=[QuoteTaxType(code=t.code, name=t.name, rate=t.rate) for t in quote.taxes],
        rule=quote.rule, discount_rule=quote.discount_rule, line_base=line.base,
        line_tax=line.tax, line_total=line.total)


def _client_id(value) -> int | None:
    if value in (None, ""):
        return None
    if not str(value).isdigit():
        raise ValidationError("A client id is a number.", field="clientId")
    return int(value)


@strawberry.type
class CatalogQuery:
    @strawberry_django.offset_paginated(OffsetPaginated[ItemType],
                                        extensions=requires(Path.ITEMS, Action.VIEW))
    def items(self, info: strawberry.Info, filter: ItemFilter | None = None):
        f = filter or ItemFilter()
        category_id = None
        if f.category_id is not None:
            category_id = selectors.category_get(company=company(info),
                                                 category_id=f.category_id).pk
        return selectors.items_list(company=company(info), search=f.search,
                                    category_id=category_id, kind=f.kind,
                                    active_only=f.active_only)

    @strawberry_django.field(extensions=requires(Path.ITEMS, Action.VIEW))
    def item(self, info: strawberry.Info, id: strawberry.ID) -> ItemType:
        return selectors.item_get(company=company(info), item_id=id)

    @strawberry_django.field(extensions=requires(Path.ITEMS, Action.VIEW))
    def categories(self, info: strawberry.Info) -> list[CategoryType]:
        return list(selectors.categories_list(company=company(info)))

    @strawberry_django.field(extensions=requires(Path.ITEMS, Action.VIEW))
    def price_lists(self, info: strawberry.Info,
                    active_only: bool = False) -> list[PriceListType]:
        return list(selectors.price_lists_list(company=company(info), active_only=active_only))

    @strawberry_django.field(extensions=requires(Path.ITEMS, Action.VIEW))
    def client_prices(self, info: strawberry.Info,
                      client_id: strawberry.ID) -> list[ClientPriceType]:
        return list(selectors.client_prices_list(company=company(info),
                                                 client_id=_client_id(client_id) or 0))

    @strawberry_django.field(extensions=requires(Path.ITEMS, Action.VIEW))
    def taxes(self, info: strawberry.Info, active_only: bool = False) -> list[TaxType]:
        return list(selectors.taxes_list(company=company(info), active_only=active_only))

    @strawberry.field(extensions=requires(Path.ITEMS, Action.VIEW),
                      description="Unit price, discount and taxes of quantity x unit of an "
                                  "item for a client on a date (see price_resolve)")
    def resolve_price(self, info: strawberry.Info, item_id: strawberry.ID,
                      unit_id: strawberry.ID, quantity: Decimal, date: dt.date,
                      client_id: strawberry.ID | None = None,
                      price_list_id: strawberry.ID | None = None) -> PriceQuoteType:
        co = company(info)
        item = selectors.item_get(company=co, item_id=item_id)
        unit = selectors.unit_get(company=co, unit_id=unit_id)
        price_list = selectors.price_list_get(company=co, price_list_id=price_list_id) \
            if price_list_id not in (None, "") else None
        quote = selectors.price_resolve(company=co, item=item, unit=unit, quantity=quantity,
                                        date=date, client_id=_client_id(client_id),
                                        price_list=price_list)
        return _quote_payload(quote)


@strawberry.type
class CatalogMutation:
    @strawberry.mutation(extensions=requires(Path.ITEMS, Action.CREATE))
    def create_item(self, info: strawberry.Info, input: ItemInput) -> ItemType:
        return services.item_create(company=company(info), actor=actor(info),
                                    **_item_create_args(input))

    @strawberry.mutation(extensions=requires(Path.ITEMS, Action.UPDATE))
    def update_item(self, info: strawberry.Info, id: strawberry.ID,
                    input: ItemUpdateInput) -> ItemType:
        item = selectors.item_get(company=company(info), item_id=id)
        return services.item_update(company=company(info), actor=actor(info), item=item,
                                    **_item_changes(input))

    @strawberry.mutation(extensions=requires(Path.ITEMS, Action.UPDATE))
    def create_unit_level(self, info: strawberry.Info, item_id: strawberry.ID, code: str,
                          factor: Decimal, name: str = "",
                          lower_id: strawberry.ID | None = None, barcode: str = "",
                          price: Decimal | None = None) -> UnitLevelType:
        item = selectors.item_get(company=company(info), item_id=item_id)
        return services.unit_level_create(company=company(info), actor=actor(info), item=item,
                                          code=code, factor=factor, name=name, lower=lower_id,
                                          barcode=barcode, price=price)

    @strawberry.mutation(extensions=requires(Path.ITEMS, Action.UPDATE))
    def update_unit_level(self, info: strawberry.Info, id: strawberry.ID,
                          factor: Decimal | None = None, name: str | None = None,
                          lower_id: strawberry.ID | None = None,
                          barcode: str | None = None,
                          is_active: bool | None = None) -> UnitLevelType:
        unit = selectors.unit_get(company=company(info), unit_id=id)
        changes = {k: v for k, v in (("factor", factor), ("name", name), ("lower", lower_id),
                                     ("barcode", barcode), ("is_active", is_active))
                   if v is not None}
        return services.unit_level_update(company=company(info), actor=actor(info), unit=unit,
                                          **changes)

    @strawberry.mutation(extensions=requires(Path.ITEMS, Action.UPDATE),
                         description="A unit level's own price; null clears it (the level is "
                                     "then priced as factor x its lower level)")
    def set_item_price(self, info: strawberry.Info, item_id: strawberry.ID,
                       unit_id: strawberry.ID,
                       price: Decimal | None = None) -> UnitLevelType:
        item = selectors.item_get(company=company(info), item_id=item_id)
        unit = selectors.unit_get(company=company(info), unit_id=unit_id)
        if unit.item_id != item.pk:
            raise ValidationError("The unit level belongs to another item.", field="unitId")
        return services.item_price_set(company=company(info), actor=actor(info), unit=unit,
                                       price=price)

    @strawberry.mutation(extensions=requires(Path.ITEMS, Action.CREATE))
    def create_category(self, info: strawberry.Info, name: str,
                        parent_id: strawberry.ID | None = None) -> CategoryType:
        return services.category_create(company=company(info), actor=actor(info), name=name,
                                        parent=parent_id)

    @strawberry.mutation(extensions=requires(Path.ITEMS, Action.CREATE))
    def create_price_list(self, info: strawberry.Info, input: PriceListInput) -> PriceListType:
        return services.price_list_create(
            company=company(info), actor=actor(info), code=input.code, name=input.name,
            currency=input.currency, tax_inclusive=input.tax_inclusive,
            valid_from=input.valid_from, valid_to=input.valid_to)

    @strawberry.mutation(extensions=requires(Path.ITEMS, Action.UPDATE))
    def set_price_list_item(self, info: strawberry.Info, price_list_id: strawberry.ID,
                            item_id: strawberry.ID, unit_id: strawberry.ID, price: Decimal,
                            min_quantity: Decimal = Decimal(0),
                            valid_from: dt.date | None = None,
                            valid_to: dt.date | None = None) -> PriceListItemType:
        return services.price_list_item_set(
            company=company(info), actor=actor(info), price_list=price_list_id, item=item_id,
            unit=unit_id, price=price, min_quantity=min_quantity, valid_from=valid_from,
            valid_to=valid_to)

    @strawberry.mutation(extensions=requires(Path.ITEMS, Action.UPDATE),
                         description="A client's own price and/or discount % for an item "
                                     "(or a discount for a category)")
    def set_client_price(self, info: strawberry.Info, client_id: strawberry.ID,
                         item_id: strawberry.ID | None = None,
                         category_id: strawberry.ID | None = None,
                         unit_id: strawberry.ID | None = None, price: Decimal | None = None,
                         discount_percent: Decimal | None = None, tax_inclusive: bool = False,
                         valid_from: dt.date | None = None,
                         valid_to: dt.date | None = None) -> ClientPriceType:
        return services.client_price_set(
            company=company(info), actor=actor(info), client_id=client_id, item=item_id,
            category=category_id, unit=unit_id, price=price, discount_percent=discount_percent,
            tax_inclusive=tax_inclusive, valid_from=valid_from, valid_to=valid_to)

    @strawberry.mutation(extensions=requires(Path.ITEMS, Action.CREATE))
    def create_tax(self, info: strawberry.Info, code: str, name: str, rate: Decimal,
                   kind: str = "ITBMS") -> TaxType:
        return services.tax_create(company=company(info), actor=actor(info), code=code,
                                   name=name, rate=rate, kind=kind)


__all__ = ["CatalogMutation", "CatalogQuery"]
