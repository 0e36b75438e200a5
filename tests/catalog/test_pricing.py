"""price_resolve: precedence with exact figures, tiers by quantity and date, client
discounts (item > category), tax-inclusive vs exclusive with ITBMS 7%."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from cuadra.catalog import services
from cuadra.catalog.enums import DiscountRule, PriceRule
from cuadra.catalog.selectors import line_amounts, price_resolve
from cuadra.core.errors import NotFound, ValidationError
from tests.catalog.conftest import unit

TODAY = dt.date(2026, 3, 15)
CLIENT = 501


def quote(demo, item, code, qty="1", **kw):
    kw.setdefault("date", TODAY)
    return price_resolve(company=demo, item=item, unit=unit(item, code), quantity=qty, **kw)


def test_a_level_without_its_own_price_is_factor_times_the_level_below(make_item, demo):
    item = make_item("1.25")
    assert quote(demo, item, "und").unit_price == D("1.25")
    q = quote(demo, item, "paq")
    assert (q.unit_price, q.rule, q.source_id) == (D("7.50"), PriceRule.DERIVED,
                                                   unit(item, "und").pk)
    assert quote(demo, item, "caja").unit_price == D("30.00")


def test_own_level_prices_win_and_higher_levels_derive_from_them(make_item, demo):
    item = make_item("1.25", pack_price="7.00")
    q = quote(demo, item, "paq")
    assert (q.unit_price, q.rule) == (D("7.00"), PriceRule.UNIT_PRICE)
    q = quote(demo, item, "caja")  # 4 packs at their own price, not 24 x 1.25
    assert (q.unit_price, q.rule) == (D("28.00"), PriceRule.DERIVED)


def test_no_price_anywhere_below_is_a_validation_error(demo, owner):
    item = services.item_create(company=demo, actor=owner, sku="NP", name="No price",
                                units=[{"code": "caja", "factor": 10, "price": "9"}])
    with pytest.raises(ValidationError):
        quote(demo, item, "und")
    assert quote(demo, item, "caja").unit_price == D(9)


def test_price_list_tiers_by_quantity_and_date(make_item, demo, owner):
    item = make_item("1.25")
    wholesale = services.price_list_create(company=demo, actor=owner, code="MAYOR",
                                           name="Mayoreo")
    box = unit(item, "caja")
    for min_qty, price in (("0", "27.00"), ("10", "25.50"), ("50", "24.00")):
        services.price_list_item_set(company=demo, actor=owner, price_list=wholesale,
                                     item=item, unit=box, price=price, min_quantity=min_qty)
    # a promotion in April only, for 10 boxes or more
    services.price_list_item_set(company=demo, actor=owner, price_list=wholesale, item=item,
                                 unit=box, price="23.00", min_quantity="10",
                                 valid_from=dt.date(2026, 4, 1), valid_to=dt.date(2026, 4, 30))
    cases = [("1", TODAY, "27.00"), ("9.5", TODAY, "27.00"), ("10", TODAY, "25.50"),
             ("49", TODAY, "25.50"), ("50", TODAY, "24.00"),
             ("10", dt.date(2026, 4, 10), "23.00"), ("50", dt.date(2026, 4, 10), "24.00"),
             ("10", dt.date(2026, 5, 1), "25.50")]
    for qty, date, expected in cases:
        q = quote(demo, item, "caja", qty, date=date, price_list=wholesale)
        assert (q.unit_price, q.rule) == (D(expected), PriceRule.PRICE_LIST), (qty, date)
    # no row for the pack: the unit level's own (derived) price
    q = quote(demo, item, "paq", "100", price_list=wholesale)
    assert (q.unit_price, q.rule) == (D("7.50"), PriceRule.DERIVED)


def test_base_unit_price_list_rows_convert_with_the_quantity_in_base_units(make_item, demo,
                                                                           owner):
    item = make_item("1.25")
    retail = services.price_list_create(company=demo, actor=owner, code="DET", name="Detal")
    base = unit(item, "und")
    services.price_list_item_set(company=demo, actor=owner, price_list=retail, item=item,
                                 unit=base, price="1.10")
    services.price_list_item_set(company=demo, actor=owner, price_list=retail, item=item,
                                 unit=base, price="1.05", min_quantity="48")
    q = quote(demo, item, "caja", "1", price_list=retail)  # 24 units
    assert (q.unit_price, q.rule) == (D("26.40"), PriceRule.PRICE_LIST_BASE)
    q = quote(demo, item, "caja", "2", price_list=retail)  # 48 units reach the tier
    assert q.unit_price == D("25.20")


def test_an_expired_or_inactive_price_list_is_skipped(make_item, demo, owner):
    item = make_item("1.25")
    old = services.price_list_create(company=demo, actor=owner, code="2025",
                                     valid_to=dt.date(2025, 12, 31))
    services.price_list_item_set(company=demo, actor=owner, price_list=old, item=item,
                                 unit=unit(item, "und"), price="1.00")
    assert quote(demo, item, "und", price_list=old).rule == PriceRule.UNIT_PRICE
    assert quote(demo, item, "und", price_list=old,
                 date=dt.date(2025, 6, 1)).unit_price == D("1.00")


def test_precedence_client_unit_then_client_base_then_list_then_item(make_item, demo, owner):
    item = make_item("1.25", pack_price="7.00")
    plist = services.price_list_create(company=demo, actor=owner, code="L")
    services.price_list_item_set(company=demo, actor=owner, price_list=plist, item=item,
                                 unit=unit(item, "paq"), price="6.80")
    args = dict(client_id=CLIENT, price_list=plist)
    assert quote(demo, item, "paq", **args).rule == PriceRule.PRICE_LIST
    services.client_price_set(company=demo, actor=owner, client_id=CLIENT, item=item,
                              price="1.05")  # base unit
    q = quote(demo, item, "paq", **args)
    assert (q.unit_price, q.rule) == (D("6.30"), PriceRule.CLIENT_BASE)
    services.client_price_set(company=demo, actor=owner, client_id=CLIENT, item=item,
                              unit=unit(item, "paq"), price="6.00")
    q = quote(demo, item, "paq", **args)
    assert (q.unit_price, q.rule) == (D("6.00"), PriceRule.CLIENT_UNIT)
    q = quote(demo, item, "caja", **args)  # client base price x 24
    assert (q.unit_price, q.rule) == (D("25.20"), PriceRule.CLIENT_BASE)
    # another client, or no client, does not see these prices
    assert quote(demo, item, "paq", client_id=999, price_list=plist).unit_price == D("6.80")
    assert quote(demo, item, "paq").unit_price == D("7.00")


def test_client_price_validity_dates(make_item, demo, owner):
    item = make_item("1.25")
    services.client_price_set(company=demo, actor=owner, client_id=CLIENT, item=item,
                              price="1.00", valid_from=dt.date(2026, 1, 1),
                              valid_to=dt.date(2026, 1, 31))
    assert quote(demo, item, "und", client_id=CLIENT,
                 date=dt.date(2026, 1, 31)).unit_price == D("1.00")
    assert quote(demo, item, "und", client_id=CLIENT).unit_price == D("1.25")


def test_client_discount_item_beats_category_nearest_category_first(make_item, demo, owner):
    food = services.category_create(company=demo, actor=owner, name="Alimentos")
    snacks = services.category_create(company=demo, actor=owner, name="Snacks", parent=food)
    item = make_item("1.25", category=snacks)
    services.client_price_set(company=demo, actor=owner, client_id=CLIENT, category=food,
                              discount_percent="5")
    q = quote(demo, item, "caja", client_id=CLIENT)
    assert (q.unit_price, q.discount_percent, q.discount_amount, q.net_unit_price,
            q.discount_rule) == (D("30.00"), D(5), D("1.5"), D("28.5"),
                                 DiscountRule.CLIENT_CATEGORY)
    services.client_price_set(company=demo, actor=owner, client_id=CLIENT, category=snacks,
                              discount_percent="8")
    assert quote(demo, item, "caja", client_id=CLIENT).discount_percent == D(8)
    services.client_price_set(company=demo, actor=owner, client_id=CLIENT, item=item,
                              discount_percent="12.5")
    q = quote(demo, item, "caja", client_id=CLIENT)
    assert (q.discount_percent, q.net_unit_price, q.discount_rule) == (
        D("12.5"), D("26.25"), DiscountRule.CLIENT_ITEM)


def test_itbms_7_exclusive_exact_figures(make_item, demo):
    item = make_item("1.25")
    q = quote(demo, item, "caja", "3")
    assert [(t.code, t.rate) for t in q.taxes] == [("01", D("0.07"))]
    assert (q.net_unit_price_excl_tax, q.net_unit_price_incl_tax) == (D("30.00"), D("32.1"))
    assert line_amounts(q) == line_amounts(q, "3")
    amounts = line_amounts(q)
    assert (amounts.base, amounts.tax, amounts.total) == (D("90.00"), D("6.30"), D("96.30"))
    odd = line_amounts(quote(demo, item, "und", "7"))  # 8.75 x 7% = 0.6125 -> 0.61
    assert (odd.base, odd.tax, odd.total) == (D("8.75"), D("0.61"), D("9.36"))


def test_itbms_7_inclusive_exact_figures(make_item, demo):
    item = make_item("10.70", includes_tax=True)
    q = quote(demo, item, "und", "1")
    assert q.tax_inclusive and q.net_unit_price_incl_tax == D("10.70")
    assert q.net_unit_price_excl_tax == D("10.00")
    amounts = line_amounts(q)
    assert (amounts.base, amounts.tax, amounts.total) == (D("10.00"), D("0.70"), D("10.70"))
    cheap = make_item("1.00", includes_tax=True)
    q = quote(demo, cheap, "und", "3")  # 3.00 incl. -> tax 0.196... -> 0.20
    amounts = line_amounts(q)
    assert (amounts.base, amounts.tax, amounts.total) == (D("2.80"), D("0.20"), D("3.00"))
    assert q.net_unit_price_excl_tax == D("0.9345794392523364485981308")  # 1/1.07, 25 places


def test_a_tax_inclusive_price_list_says_so(make_item, demo, owner):
    item = make_item("1.25")
    pos = services.price_list_create(company=demo, actor=owner, code="POS",
                                     tax_inclusive=True)
    services.price_list_item_set(company=demo, actor=owner, price_list=pos, item=item,
                                 unit=unit(item, "und"), price="1.07")
    q = quote(demo, item, "und", "100", price_list=pos)
    assert q.tax_inclusive and q.net_unit_price_excl_tax == D("1")
    assert line_amounts(q) == line_amounts(q)  # deterministic
    amounts = line_amounts(q)
    assert (amounts.base, amounts.tax, amounts.total) == (D("100.00"), D("7.00"), D("107.00"))


@pytest.mark.parametrize("qty", [1.5, 0.0, "0", "-1", "x"])
def test_bad_quantities_are_refused(make_item, demo, qty):
    item = make_item()
    with pytest.raises(ValidationError) as exc:
        quote(demo, item, "und", qty)
    assert exc.value.field == "quantity"


def test_another_companys_unit_or_list_is_not_found(make_item, demo, otra, owner):
    item = make_item()
    other = services.item_create(company=otra, actor=owner, sku="O", name="O", base_price="1")
    with pytest.raises(NotFound):
        price_resolve(company=demo, item=item, unit=other.units.get(), quantity="1",
                      date=TODAY)
    plist = services.price_list_create(company=otra, actor=owner, code="O")
    with pytest.raises(NotFound):
        quote(demo, item, "und", price_list=plist)


def test_client_price_refusals_list_every_field_and_write_nothing(make_item, demo, owner,
                                                                  counts):
    item = make_item()
    cat = services.category_create(company=demo, actor=owner, name="C")
    before = counts()
    with pytest.raises(ValidationError) as exc:
        services.client_price_set(company=demo, actor=owner, client_id="abc", item=item,
                                  category=cat, price=1.5, discount_percent="101",
                                  valid_from=dt.date(2026, 2, 1), valid_to=dt.date(2026, 1, 1))
    assert {e.field for e in exc.value.errors} == {
        "clientId", "itemId", "price", "discountPercent", "validTo"}
    with pytest.raises(ValidationError) as exc:
        services.client_price_set(company=demo, actor=owner, client_id=CLIENT, item=item)
    assert [e.field for e in exc.value.errors] == ["price"]
    assert counts() == before


def test_a_registered_client_checker_refuses_unknown_clients(make_item, demo, owner):
    from cuadra.catalog import clients

    item = make_item()
    clients.register_client_checker(lambda *, company, client_id: client_id == CLIENT)
    try:
        with pytest.raises(ValidationError) as exc:
            services.client_price_set(company=demo, actor=owner, client_id=7, item=item,
                                      price="1")
        assert exc.value.field == "clientId"
        services.client_price_set(company=demo, actor=owner, client_id=CLIENT, item=item,
                                  price="1")
    finally:
        clients._checker.clear()
