"""GraphQL types of the catalog. Amounts go out as the exact ``Amount`` string; inputs take
the Decimal scalar (a string: a float is never accepted)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import strawberry
import strawberry_django

from cuadra.access.permissions import Path
from cuadra.access.selectors import field_visible
from cuadra.api.base import actor, company
from cuadra.api.ledger.types import Amount
from cuadra.catalog import models as m


@strawberry_django.type(m.Tax, name="Tax")
class TaxType:
    id: strawberry.auto
    code: strawberry.auto
    name: strawberry.auto
    rate: Amount = strawberry.field(description="A fraction: 0.07 is 7%")
    kind: str
    is_active: strawberry.auto


@strawberry_django.type(m.Category, name="Category")
class CategoryType:
    id: strawberry.auto
    name: strawberry.auto
    parent_id: strawberry.ID | None
    is_active: strawberry.auto


@strawberry_django.type(m.ItemUnit, name="UnitLevel")
class UnitLevelType:
    id: strawberry.auto
    code: strawberry.auto
    name: strawberry.auto
    lower_id: strawberry.ID | None
    factor: Amount
    factor_to_base: Amount
    depth: strawberry.auto
    barcode: strawberry.auto
    price: Amount | None = strawberry.field(
        description="This level's own price; null: factor x the lower level's price")
    is_active: strawberry.auto


@strawberry_django.type(m.PriceList, name="PriceList")
class PriceListType:
    id: strawberry.auto
    code: strawberry.auto
    name: strawberry.auto
    currency: strawberry.auto
    tax_inclusive: strawberry.auto
    valid_from: strawberry.auto
    valid_to: strawberry.auto
    is_active: strawberry.auto


@strawberry_django.type(m.PriceListItem, name="PriceListItem")
class PriceListItemType:
    id: strawberry.auto
    price_list: PriceListType
    item_id: strawberry.ID
    unit_id: strawberry.ID
    min_quantity: Amount
    price: Amount
    valid_from: strawberry.auto
    valid_to: strawberry.auto


@strawberry_django.type(m.Item, name="Item")
class ItemType:
    id: strawberry.auto
    kind: str
    sku: strawberry.auto
    barcode: strawberry.auto
    name: strawberry.auto
    description: strawberry.auto
    category: CategoryType | None
    default_tax: TaxType | None
    price_includes_tax: strawberry.auto
    sales_account_id: strawberry.ID | None
    purchase_account_id: strawberry.ID | None
    inventory_account_id: strawberry.ID | None
    cogs_account_id: strawberry.ID | None
    is_active: strawberry.auto
    unit_levels: list[UnitLevelType] = strawberry_django.field(field_name="units")
    prices: list[PriceListItemType] = strawberry_django.field(field_name="price_rows")

    @strawberry_django.field(only=["cost"], description="Standard cost per base unit; null "
                             "for roles that may not see costs (Sales)")
    def cost(self, info: strawberry.Info) -> Amount | None:
        if not field_visible(user=actor(info), company=company(info), path=Path.ITEMS,
                             field="cost"):
            return None
        return self.cost


@strawberry_django.type(m.ClientPrice, name="ClientPrice")
class ClientPriceType:
    id: strawberry.auto
    client_id: strawberry.ID
    item_id: strawberry.ID | None
    category_id: strawberry.ID | None
    unit_id: strawberry.ID | None
    price: Amount | None
    tax_inclusive: strawberry.auto
    discount_percent: Amount | None
    valid_from: strawberry.auto
    valid_to: strawberry.auto
    is_active: strawberry.auto


@strawberry.type(name="QuoteTax")
class QuoteTaxType:
    code: str
    name: str
    rate: Amount


@strawberry.type(name="PriceQuote")
class PriceQuoteType:
    item_id: strawberry.ID
    unit_id: strawberry.ID
    quantity: Amount
    currency: str
    unit_price: Amount
    tax_inclusive: bool
    discount_percent: Amount
    discount_amount: Amount
    net_unit_price: Amount
    net_unit_price_excl_tax: Amount
    net_unit_price_incl_tax: Amount
    taxes: list[QuoteTaxType]
    rule: str = strawberry.field(description="Which precedence rule set the unit price")
    discount_rule: str
    line_base: Amount = strawberry.field(description="quantity x net, rounded to the cent")
    line_tax: Amount
    line_total: Amount


@strawberry.input
class UnitLevelInput:
    code: str
    factor: Decimal
    name: str = ""
    lower: str | None = strawberry.field(
        default=None, description="Code of the level below; default: the previous one")
    barcode: str = ""
    price: Decimal | None = None


@strawberry.input
class ItemInput:
    sku: str
    name: str
    kind: str = "goods"
    barcode: str = ""
    description: str = ""
    category_id: strawberry.ID | None = None
    default_tax_id: strawberry.ID | None = None
    price_includes_tax: bool = False
    cost: Decimal | None = None
    sales_account_id: strawberry.ID | None = None
    purchase_account_id: strawberry.ID | None = None
    inventory_account_id: strawberry.ID | None = None
    cogs_account_id: strawberry.ID | None = None
    base_unit_code: str = "und"
    base_unit_name: str = "Unidad"
    base_price: Decimal | None = None
    base_barcode: str = ""
    units: list[UnitLevelInput] | None = None


@strawberry.input
class ItemUpdateInput:
    sku: str | None = None
    name: str | None = None
    kind: str | None = None
    barcode: str | None = None
    description: str | None = None
    category_id: strawberry.ID | None = strawberry.UNSET
    default_tax_id: strawberry.ID | None = strawberry.UNSET
    price_includes_tax: bool | None = None
    cost: Decimal | None = strawberry.UNSET
    sales_account_id: strawberry.ID | None = strawberry.UNSET
    purchase_account_id: strawberry.ID | None = strawberry.UNSET
    inventory_account_id: strawberry.ID | None = strawberry.UNSET
    cogs_account_id: strawberry.ID | None = strawberry.UNSET
    is_active: bool | None = None


@strawberry.input
class ItemFilter:
    search: str | None = None
    category_id: strawberry.ID | None = None
    kind: str | None = None
    active_only: bool = False


@strawberry.input
class PriceListInput:
    code: str
    name: str = ""
    currency: str = ""
    tax_inclusive: bool = False
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
