"""Items, categories, unit levels, prices, price lists, client prices and taxes.

Money and quantities are exact decimals (cuadra.core.money): a factor or a price is never a
float and never rounded here; rounding happens on the document line (sales)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cuadra.catalog.enums import ItemKind, TaxKind
from cuadra.core.money import ExactDecimalField, MoneyField, QuantityField
from cuadra.tenancy.models import TenantModel


def RateField(**kwargs):
    """A rate or percentage: 12 integer digits, 12 places, exact on both databases."""
    return ExactDecimalField(max_digits=24, decimal_places=12, **kwargs)


class Tax(TenantModel):
    code = models.CharField(_("code"), max_length=8,
                            help_text="ITBMS: the DGI code 00, 01, 02 or 03")
    name = models.CharField(_("name"), max_length=100)
    rate = RateField(help_text="A fraction: 0.07 is 7%")
    kind = models.CharField(max_length=8, choices=TaxKind.choices, default=TaxKind.ITBMS)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["company", "code"]
        verbose_name_plural = "taxes"
        constraints = [
            models.UniqueConstraint(fields=["company", "code"], name="catalog_tax_code"),
            models.CheckConstraint(condition=Q(rate__gte=0), name="catalog_tax_rate_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Category(TenantModel):
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children")
    name = models.CharField(_("name"), max_length=120)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["company", "name"]
        verbose_name_plural = "categories"
        constraints = [
            models.UniqueConstraint(fields=["company", "parent", "name"],
                                    name="catalog_category_name"),
            models.UniqueConstraint(fields=["company", "name"], condition=Q(parent=None),
                                    name="catalog_category_root_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Item(TenantModel):
    kind = models.CharField(max_length=8, choices=ItemKind.choices, default=ItemKind.GOODS)
    sku = models.CharField(_("SKU"), max_length=40)
    barcode = models.CharField(_("barcode"), max_length=64, blank=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="items")
    default_tax = models.ForeignKey(Tax, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    price_includes_tax = models.BooleanField(
        default=False, help_text="The unit-level prices below include the default tax")
    cost = MoneyField(null=True, blank=True,
                      help_text="Standard cost per base unit; hidden from the Sales role")
    sales_account = models.ForeignKey("ledger.Account", null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")
    purchase_account = models.ForeignKey("ledger.Account", null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="+")
    inventory_account = models.ForeignKey("ledger.Account", null=True, blank=True,
                                          on_delete=models.PROTECT, related_name="+")
    cogs_account = models.ForeignKey("ledger.Account", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["company", "sku"]
        constraints = [
            models.UniqueConstraint(fields=["company", "sku"], name="catalog_item_sku"),
        ]
        indexes = [
            models.Index(fields=["company", "barcode"], name="catalog_item_barcode"),
            models.Index(fields=["company", "category"], name="catalog_item_category"),
            models.Index(fields=["company", "name"], name="catalog_item_name"),
        ]

    def __str__(self) -> str:
        return f"{self.sku} {self.name}"


class ItemUnit(TenantModel):
    """One unit level of an item (pallet > box > pack > unit).

    The base level has no ``lower`` and factor 1. Any other level holds ``factor`` lower
    units (exact, > 0) and ``factor_to_base``, the product of the factors down to the base,
    kept by the services whenever a factor or a ``lower`` changes. Levels form a tree
    rooted at the base, at most six deep. ``price`` is this level's own price (the
    "alternative unit price"); empty means factor x the lower level's price."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="units")
    code = models.CharField(_("code"), max_length=20,
                            help_text="e.g. und, paq, caja (DGI cUnidad where one fits)")
    name = models.CharField(_("name"), max_length=60)
    lower = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="uppers")
    factor = QuantityField(help_text="How many lower units this level holds")
    factor_to_base = QuantityField(help_text="Derived: base units in one of this level")
    depth = models.PositiveSmallIntegerField(default=1, help_text="1 for the base unit")
    barcode = models.CharField(_("barcode"), max_length=64, blank=True)
    price = MoneyField(null=True, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["company", "item", "depth", "code"]
        constraints = [
            models.UniqueConstraint(fields=["company", "item", "code"],
                                    name="catalog_unit_code"),
            models.UniqueConstraint(fields=["company", "item"], condition=Q(lower=None),
                                    name="catalog_unit_one_base"),
            models.CheckConstraint(condition=Q(factor__gt=0), name="catalog_unit_factor_gt_0"),
            models.CheckConstraint(condition=Q(depth__gte=1, depth__lte=6),
                                   name="catalog_unit_depth_1_6"),
        ]
        indexes = [models.Index(fields=["company", "barcode"], name="catalog_unit_barcode")]

    @property
    def is_base(self) -> bool:
        return self.lower_id is None

    def __str__(self) -> str:
        return f"{self.code} ({self.factor_to_base})"


class PriceList(TenantModel):
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=120)
    currency = models.CharField(_("currency"), max_length=3)
    tax_inclusive = models.BooleanField(default=False)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["company", "code"]
        constraints = [
            models.UniqueConstraint(fields=["company", "code"], name="catalog_pricelist_code"),
        ]

    def __str__(self) -> str:
        return self.code


class PriceListItem(TenantModel):
    """A price for (item, unit level) from ``min_quantity`` units of that level on."""

    price_list = models.ForeignKey(PriceList, on_delete=models.CASCADE, related_name="rows")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="price_rows")
    unit = models.ForeignKey(ItemUnit, on_delete=models.PROTECT, related_name="+")
    min_quantity = QuantityField(default=0)
    price = MoneyField()
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["company", "price_list", "item", "unit", "min_quantity"]
        constraints = [
            models.CheckConstraint(condition=Q(price__gte=0), name="catalog_plitem_price_gte_0"),
            models.CheckConstraint(condition=Q(min_quantity__gte=0),
                                   name="catalog_plitem_minqty_gte_0"),
        ]
        indexes = [models.Index(fields=["company", "price_list", "item", "unit"],
                                name="catalog_plitem_lookup")]


class ClientPrice(TenantModel):
    """A client's own price and/or discount for an item (or a discount for a category).

    ``client_id`` is the ``contacts.Client`` id as a plain column: catalog sits beside
    contacts in the layers and may not import it; the sales layer passes the id."""

    client_id = models.BigIntegerField(help_text="contacts.Client id")
    item = models.ForeignKey(Item, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="client_prices")
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="client_prices")
    unit = models.ForeignKey(ItemUnit, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+", help_text="Empty: the base unit")
    price = MoneyField(null=True, blank=True)
    tax_inclusive = models.BooleanField(default=False)
    discount_percent = RateField(null=True, blank=True, help_text="10 is 10%")
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["company", "client_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(item__isnull=False, category__isnull=True)
                           | Q(item__isnull=True, category__isnull=False, price__isnull=True,
                               unit__isnull=True)),
                name="catalog_clientprice_item_xor_category"),
            models.CheckConstraint(
                condition=Q(price__isnull=False) | Q(discount_percent__isnull=False),
                name="catalog_clientprice_price_or_discount"),
        ]
        indexes = [
            models.Index(fields=["company", "client_id", "item"], name="catalog_cp_item"),
            models.Index(fields=["company", "client_id", "category"], name="catalog_cp_cat"),
        ]
