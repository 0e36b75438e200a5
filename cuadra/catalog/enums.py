"""Catalog choices and the fixed data seeded for Panama."""

from __future__ import annotations

from decimal import Decimal

from django.db import models

MAX_UNIT_LEVELS = 6  # seed 001 "6 Unit Levels": the base unit counts as the first


class ItemKind(models.TextChoices):
    GOODS = "goods", "Goods"
    SERVICE = "service", "Service"


class TaxKind(models.TextChoices):
    ITBMS = "ITBMS", "ITBMS"
    OTHER = "OTHER", "Other"


# DGI rFE v1.00 dTasaITBMS enumeration (../shared/research/panama-fe.md 1.4): the codes are
# the 2-char strings, never "07" or 1.
ITBMS_RATES: dict[str, tuple[str, Decimal]] = {
    "00": ("ITBMS 0% (exento)", Decimal("0")),
    "01": ("ITBMS 7%", Decimal("0.07")),
    "02": ("ITBMS 10% (alcoholes)", Decimal("0.10")),
    "03": ("ITBMS 15% (tabaco)", Decimal("0.15")),
}


class PriceRule(models.TextChoices):
    """Which rule set the unit price of a PriceQuote, in precedence order."""

    CLIENT_UNIT = "client_unit", "Client price for the unit"
    CLIENT_BASE = "client_base", "Client price for the base unit, converted"
    PRICE_LIST = "price_list", "Price list row for the unit"
    PRICE_LIST_BASE = "price_list_base", "Price list row for the base unit, converted"
    UNIT_PRICE = "unit_price", "Item price for the unit level"
    DERIVED = "derived", "Derived: factor x the nearest lower level's price"


class DiscountRule(models.TextChoices):
    NONE = "", "No discount"
    CLIENT_ITEM = "client_item", "Client discount on the item"
    CLIENT_CATEGORY = "client_category", "Client discount on the category"
