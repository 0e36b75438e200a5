"""Properties: across random unit-level trees and factors, a level without its own price
costs exactly factor x the price of the level below (so a box costs packs x pack price),
factors to the base are exact products, and no float is accepted anywhere."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cuadra.catalog import services
from cuadra.catalog.models import Item
from cuadra.catalog.selectors import price_resolve
from cuadra.core.errors import ValidationError
from cuadra.core.money import to_decimal

_SKU = itertools.count(1)
HYPO = settings(max_examples=30, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])

factors = st.one_of(
    st.integers(min_value=1, max_value=500).map(Decimal),
    st.decimals(min_value=Decimal("0.001"), max_value=Decimal("1000"), places=3,
                allow_nan=False, allow_infinity=False))
prices = st.one_of(st.none(), st.decimals(min_value=Decimal("0.0001"), max_value=Decimal(10**6),
                                          places=4, allow_nan=False, allow_infinity=False))


@st.composite
def level_trees(draw):
    """Up to 9 extra levels; each picks a lower among the base and the earlier levels that
    leave room (depth <= 6); each has a factor and maybe its own price."""
    depth = {"base": 1}
    levels = []
    for i in range(draw(st.integers(min_value=1, max_value=9))):
        room = [code for code, d in depth.items() if d < 6]
        lower = draw(st.sampled_from(room))
        code = f"u{i}"
        depth[code] = depth[lower] + 1
        levels.append({"code": code, "lower": lower, "factor": draw(factors),
                       "price": draw(prices)})
    return draw(prices.filter(lambda p: p is not None)), levels


def _expected(code: str, base_price: Decimal, by_code: dict[str, dict]) -> Decimal:
    if code == "base":
        return base_price
    level = by_code[code]
    if level["price"] is not None:
        return level["price"]
    return level["factor"] * _expected(level["lower"], base_price, by_code)


@HYPO
@given(tree=level_trees(), qty=st.integers(min_value=1, max_value=10_000).map(Decimal))
def test_unpriced_levels_cost_exactly_factor_times_the_level_below(demo, owner, tree, qty):
    base_price, levels = tree
    item = services.item_create(company=demo, actor=owner, sku=f"H{next(_SKU)}", name="H",
                                base_unit_code="base", base_price=base_price, units=levels)
    by_code = {lv["code"]: lv for lv in levels}
    units = {u.code: u for u in item.units.all()}
    for code, unit in units.items():
        quote = price_resolve(company=demo, item=item, unit=unit, quantity=qty,
                              date=dt.date(2026, 1, 1))
        assert quote.unit_price == _expected(code, base_price, by_code)
        assert type(quote.unit_price) is Decimal
        if code != "base":
            lower = units[by_code[code]["lower"]]
            assert unit.factor_to_base == unit.factor * lower.factor_to_base
            if by_code[code]["price"] is None:  # the box = packs x pack price property
                below = price_resolve(company=demo, item=item, unit=lower, quantity=qty,
                                      date=dt.date(2026, 1, 1))
                assert quote.unit_price == unit.factor * below.unit_price


@HYPO
@given(tree=level_trees())
def test_stored_factors_read_back_exactly(demo, owner, tree):
    base_price, levels = tree
    item = services.item_create(company=demo, actor=owner, sku=f"R{next(_SKU)}", name="R",
                                base_unit_code="base", base_price=base_price, units=levels)
    fresh = Item.objects.get(pk=item.pk)
    stored = {u.code: (u.factor, u.price) for u in fresh.units.all()}
    for lv in levels:
        assert stored[lv["code"]] == (lv["factor"], lv["price"])
        assert type(stored[lv["code"]][0]) is Decimal


floats = st.floats(allow_nan=False, allow_infinity=False, min_value=0.001, max_value=1e6)


@settings(max_examples=50, deadline=None)
@given(value=floats)
def test_to_decimal_refuses_every_float(value):
    with pytest.raises(TypeError):
        to_decimal(value)


@HYPO
@given(value=floats, where=st.sampled_from(["base_price", "cost", "factor", "level_price"]))
def test_item_services_refuse_floats_and_write_nothing(demo, owner, counts, value, where):
    kwargs = {"base_price": "1", "units": [{"code": "caja", "factor": "12"}]}
    if where in ("base_price", "cost"):
        kwargs[where] = value
    elif where == "factor":
        kwargs["units"][0]["factor"] = value
    else:
        kwargs["units"][0]["price"] = value
    before = counts()
    with pytest.raises(ValidationError) as exc:
        services.item_create(company=demo, actor=owner, sku=f"F{next(_SKU)}", name="F",
                             **kwargs)
    assert "Floats" in exc.value.errors[0].message
    assert counts() == before


@HYPO
@given(value=floats, where=st.sampled_from(["tax", "list_row", "client", "discount",
                                            "quantity", "unit_price"]))
def test_price_services_and_the_resolver_refuse_floats(demo, owner, counts, value, where):
    item = Item.objects.filter(company=demo, sku="FLOATS").first() or services.item_create(
        company=demo, actor=owner, sku="FLOATS", name="F", base_price="1")
    plist = services.price_list_create(company=demo, actor=owner, code=f"P{next(_SKU)}")
    base = item.units.get()
    calls = {
        "tax": lambda: services.tax_create(company=demo, actor=owner, code="X", name="X",
                                           rate=value),
        "list_row": lambda: services.price_list_item_set(
            company=demo, actor=owner, price_list=plist, item=item, unit=base, price=value),
        "client": lambda: services.client_price_set(company=demo, actor=owner, client_id=1,
                                                    item=item, price=value),
        "discount": lambda: services.client_price_set(company=demo, actor=owner, client_id=1,
                                                      item=item, discount_percent=value),
        "quantity": lambda: price_resolve(company=demo, item=item, unit=base, quantity=value,
                                          date=dt.date(2026, 1, 1)),
        "unit_price": lambda: services.item_price_set(company=demo, actor=owner, unit=base,
                                                      price=value),
    }
    before = counts()
    with pytest.raises(ValidationError):
        calls[where]()
    assert counts() == before
