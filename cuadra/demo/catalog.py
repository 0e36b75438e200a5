"""Demo catalog of a Panama food-and-household distributor: categories, ~25 items (goods
with caja > paquete > unidad, and services), ITBMS taxes, a retail and a wholesale price
list with quantity tiers. Idempotent: what exists (by SKU, code, name) is left alone."""

from __future__ import annotations

import datetime as dt
import zlib
from decimal import Decimal

from cuadra.catalog import services
from cuadra.catalog.models import Category, Item, PriceList, PriceListItem, Tax
from cuadra.catalog.selectors import unit_price_derived
from cuadra.core.money import CENT, round_money
from cuadra.ledger.enums import AccountRole
from cuadra.ledger.models import Account

# sku, name, category, tax code, unit price, units per pack, packs per box, own box price
GOODS = [
    ("ARZ-001", "Arroz grado A 1 lb", "Granos", "00", "0.55", 10, 4, "20.50"),
    ("ARZ-005", "Arroz grado A 5 lb", "Granos", "00", "2.60", 2, 5, None),
    ("FRJ-001", "Frijoles rojos 1 lb", "Granos", "00", "1.15", 6, 4, None),
    ("LEN-001", "Lentejas 1 lb", "Granos", "00", "0.95", 6, 4, None),
    ("ACE-001", "Aceite vegetal 1 L", "Aceites", "00", "3.25", 3, 4, "37.00"),
    ("AZU-002", "Azúcar blanca 2 kg", "Granos", "00", "2.10", 5, 2, None),
    ("CAF-001", "Café molido 425 g", "Bebidas", "00", "5.75", 4, 3, None),
    ("LEC-001", "Leche evaporada 354 ml", "Lácteos", "00", "0.99", 6, 8, "45.00"),
    ("GAL-001", "Galletas de soda 6 u", "Snacks", "01", "1.25", 6, 4, None),
    ("SNK-001", "Papitas fritas 150 g", "Snacks", "01", "1.80", 12, 2, None),
    ("SOD-001", "Soda de cola 2 L", "Bebidas", "01", "1.65", 6, 1, None),
    ("AGU-001", "Agua embotellada 600 ml", "Bebidas", "01", "0.50", 24, 1, "10.80"),
    ("JUG-001", "Jugo de naranja 1 L", "Bebidas", "01", "2.25", 6, 2, None),
    ("CER-001", "Cerveza nacional lata 355 ml", "Licores", "02", "0.95", 6, 4, "21.50"),
    ("RON-001", "Ron añejo 750 ml", "Licores", "02", "12.50", 6, 2, None),
    ("CIG-001", "Cigarrillos cajetilla 20 u", "Tabaco", "03", "4.50", 10, 5, None),
    ("DET-001", "Detergente en polvo 1 kg", "Limpieza", "01", "3.40", 4, 3, None),
    ("JAB-001", "Jabón de baño 3 u", "Limpieza", "01", "2.15", 12, 2, None),
    ("CLO-001", "Cloro 1 galón", "Limpieza", "01", "2.95", 1, 6, None),
    ("PAP-001", "Papel higiénico 4 rollos", "Limpieza", "01", "3.10", 6, 2, None),
    ("SER-001", "Servilletas 100 u", "Limpieza", "01", "1.05", 12, 2, None),
]

SERVICES = [
    ("SRV-ENV", "Entrega a domicilio", "01", "15.00"),
    ("SRV-INS", "Instalación de exhibidor", "01", "45.00"),
    ("SRV-ASE", "Asesoría de inventario (hora)", "01", "35.00"),
]

CATEGORIES = {"Alimentos": ["Granos", "Aceites", "Lácteos", "Snacks"],
              "Bebidas": [], "Licores": [], "Tabaco": [], "Limpieza": [], "Servicios": []}

# wholesale: per box, tiers from 1, 10 and 50 boxes (3%, 6% and 9% under the retail box)
WHOLESALE_TIERS = (("1", "0.97"), ("10", "0.94"), ("50", "0.91"))
PRICE_YEAR_START = dt.date(2026, 1, 1)


def _barcode(sku: str) -> str:
    """A stable 13-digit demo code (745 is Panama's GS1 prefix; not a real GTIN)."""
    return f"745{zlib.crc32(sku.encode()) % 10**10:010d}"


def _cost(price: str):
    return (Decimal(price) * Decimal("0.72")).quantize(CENT)  # a 28% gross margin


def _categories(company, actor) -> dict[str, Category]:
    found = {c.name: c for c in Category.objects.filter(company=company)}
    for parent_name, children in CATEGORIES.items():
        if parent_name not in found:
            found[parent_name] = services.category_create(company=company, actor=actor,
                                                          name=parent_name)
        for child in children:
            if child not in found:
                found[child] = services.category_create(company=company, actor=actor,
                                                        name=child, parent=found[parent_name])
    return found


def _accounts(company) -> dict[str, Account | None]:
    def by_role(role):
        return (Account.objects.filter(company=company, role=role, is_group=False,
                                       is_active=True).order_by("code").first())
    return {"sales_account": by_role(AccountRole.REVENUE),
            "cogs_account": by_role(AccountRole.COGS),
            "inventory_account": by_role(AccountRole.INVENTORY)}


def _items(company, actor, categories, taxes, accounts) -> list[Item]:
    existing = set(Item.objects.filter(company=company).values_list("sku", flat=True))
    for sku, name, cat, tax, price, per_pack, per_box, box_price in GOODS:
        if sku in existing:
            continue
        services.item_create(
            company=company, actor=actor, sku=sku, name=name, category=categories[cat],
            default_tax=taxes[tax], base_unit_code="und", base_unit_name="Unidad",
            base_price=price, barcode=_barcode(sku), cost=_cost(price), **accounts,
            units=[{"code": "paq", "name": "Paquete", "factor": per_pack},
                   {"code": "caja", "name": "Caja", "factor": per_box, "price": box_price}])
    for sku, name, tax, price in SERVICES:
        if sku not in existing:
            services.item_create(company=company, actor=actor, sku=sku, name=name,
                                 kind="service", category=categories["Servicios"],
                                 default_tax=taxes[tax], base_unit_code="Actividad",
                                 base_unit_name="Servicio", base_price=price,
                                 sales_account=accounts["sales_account"])
    return list(Item.objects.filter(company=company).order_by("sku"))


def _price_lists(company, actor, items: list[Item]) -> None:
    retail = PriceList.objects.filter(company=company, code="DETAL").first() or \
        services.price_list_create(company=company, actor=actor, code="DETAL",
                                   name="Detal", currency="USD",
                                   tax_inclusive=False, valid_from=PRICE_YEAR_START)
    wholesale = PriceList.objects.filter(company=company, code="MAYOR").first() or \
        services.price_list_create(company=company, actor=actor, code="MAYOR",
                                   name="Mayoreo por caja", currency="USD",
                                   valid_from=PRICE_YEAR_START)
    if PriceListItem.objects.filter(company=company, price_list__in=[retail, wholesale]).exists():
        return
    for item in items:
        units = {u.pk: u for u in item.units.all()}
        by_code = {u.code: u for u in units.values()}
        base = by_code.get("und") or next(u for u in units.values() if u.lower_id is None)
        services.price_list_item_set(company=company, actor=actor, price_list=retail,
                                     item=item, unit=base, price=base.price)
        box = by_code.get("caja")
        if box is None:
            continue
        box_price, _ = unit_price_derived(box, units)
        for min_qty, share in WHOLESALE_TIERS:
            services.price_list_item_set(
                company=company, actor=actor, price_list=wholesale, item=item, unit=box,
                min_quantity=min_qty, price=round_money(box_price * Decimal(share)))


def load(*, company, actor, other_companies=()) -> None:
    """The catalog of ``company``; ITBMS taxes also for ``other_companies`` (DEMO and OTRA
    may predate the catalog's company-created hook)."""
    for other in other_companies:
        services.taxes_setup(company=other, actor=actor)
    services.taxes_setup(company=company, actor=actor)
    taxes = {t.code: t for t in Tax.objects.filter(company=company)}
    categories = _categories(company, actor)
    items = _items(company, actor, categories, taxes, _accounts(company))
    _price_lists(company, actor, items)
