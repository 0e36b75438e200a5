"""The demo catalog: ~25 items of a Panama distributor, two price lists, idempotent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from cuadra.catalog.models import Item, PriceList, PriceListItem, Tax
from cuadra.catalog.selectors import price_resolve
from cuadra.demo import catalog


def _load_twice(platform):
    for _ in range(2):
        catalog.load(company=platform.demo, actor=platform.owner,
                     other_companies=[platform.otra])


def test_demo_catalog_loads_once(platform, counts):
    _load_twice(platform)
    demo = platform.demo
    before = counts()
    catalog.load(company=demo, actor=platform.owner, other_companies=[platform.otra])
    assert counts() == before
    assert Item.objects.filter(company=demo).count() == 24
    assert Item.objects.filter(company=demo, kind="service").count() == 3
    assert set(PriceList.objects.filter(company=demo).values_list("code", flat=True)) == {
        "DETAL", "MAYOR"}
    assert Tax.objects.filter(company=platform.otra).count() == 4


def test_demo_prices_resolve_exactly(platform):
    _load_twice(platform)
    demo = platform.demo
    rice = Item.objects.get(company=demo, sku="ARZ-001")
    box = rice.units.get(code="caja")  # own box price 20.50, 4 packs of 10
    wholesale = PriceList.objects.get(company=demo, code="MAYOR")
    tiers = list(PriceListItem.objects.filter(price_list=wholesale, item=rice)
                 .order_by("min_quantity").values_list("min_quantity", "price"))
    assert tiers == [(Decimal(1), Decimal("19.89")), (Decimal(10), Decimal("19.27")),
                     (Decimal(50), Decimal("18.66"))]
    q = price_resolve(company=demo, item=rice, unit=box, quantity="12",
                      date=dt.date(2026, 6, 1), price_list=wholesale)
    assert (q.unit_price, q.rule) == (Decimal("19.27"), "price_list")
    cookies = Item.objects.get(company=demo, sku="GAL-001")
    q = price_resolve(company=demo, item=cookies, unit=cookies.units.get(code="caja"),
                      quantity="1", date=dt.date(2026, 6, 1))
    assert (q.unit_price, q.rule, q.taxes[0].rate) == (Decimal("30.00"), "derived",
                                                       Decimal("0.07"))
    assert cookies.sales_account is not None and cookies.sales_account.role == "REVENUE"
