"""Unit levels: exact factors to the base, at most six levels, no cycles, no floats, and a
refusal writes nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cuadra.catalog import services
from cuadra.catalog.models import Item, ItemUnit, Tax
from cuadra.core.errors import ValidationError
from cuadra.core.models import AuditLog
from tests.catalog.conftest import unit


def test_levels_carry_exact_factors_to_the_base(make_item, demo):
    item = make_item()
    rows = {u.code: (u.factor, u.factor_to_base, u.depth) for u in item.units.all()}
    assert rows == {"und": (Decimal(1), Decimal(1), 1), "paq": (Decimal(6), Decimal(6), 2),
                    "caja": (Decimal(4), Decimal(24), 3)}
    assert unit(item, "caja").lower == unit(item, "paq")
    assert AuditLog.objects.filter(company_id=demo.pk, operation="item_create").count() == 4


def test_decimal_factors_stay_exact(demo, owner):
    item = services.item_create(company=demo, actor=owner, sku="ACEITE", name="Aceite",
                                base_unit_code="ml", base_unit_name="Mililitro",
                                units=[{"code": "lt", "factor": "1000"},
                                       {"code": "gal", "factor": "3.785411784"},
                                       {"code": "tambor", "factor": "55"}])
    assert unit(item, "tambor").factor_to_base == Decimal("208197.64812")


def test_changing_a_factor_recomputes_the_levels_above(make_item, owner, demo):
    item = make_item()
    services.unit_level_update(company=demo, actor=owner, unit=unit(item, "paq"), factor="12")
    assert unit(item, "paq").factor_to_base == Decimal(12)
    assert unit(item, "caja").factor_to_base == Decimal(48)


def test_a_level_can_move_to_another_lower_level(make_item, owner, demo):
    item = make_item()
    display = services.unit_level_create(company=demo, actor=owner, item=item, code="exh",
                                         factor="10")
    services.unit_level_update(company=demo, actor=owner, unit=unit(item, "caja"),
                               lower=display)
    box = unit(item, "caja")
    assert (box.depth, box.factor_to_base) == (3, Decimal(40))


def test_six_levels_are_allowed(demo, owner):
    item = services.item_create(company=demo, actor=owner, sku="SIX", name="Six",
                                units=[{"code": f"l{i}", "factor": 2} for i in range(2, 7)])
    assert unit(item, "l6").factor_to_base == Decimal(32)
    assert unit(item, "l6").depth == 6


def test_a_seventh_level_is_refused_and_nothing_is_written(demo, owner, counts):
    before = counts()
    with pytest.raises(ValidationError) as exc:
        services.item_create(company=demo, actor=owner, sku="SEVEN", name="Seven",
                             units=[{"code": f"l{i}", "factor": 2} for i in range(2, 8)])
    assert [e.field for e in exc.value.errors] == ["units[5].lower"]
    assert counts() == before
    six = services.item_create(company=demo, actor=owner, sku="SIX", name="Six",
                               units=[{"code": f"l{i}", "factor": 2} for i in range(2, 7)])
    before = counts()
    with pytest.raises(ValidationError):
        services.unit_level_create(company=demo, actor=owner, item=six, code="l7",
                                   factor=2, lower=unit(six, "l6"))
    assert counts() == before


@pytest.mark.parametrize("factor", ["0", "-6", 0, -1, 6.0, "seis", None])
def test_zero_negative_float_or_missing_factor_is_refused(demo, owner, counts, factor):
    before = counts()
    with pytest.raises(ValidationError) as exc:
        services.item_create(company=demo, actor=owner, sku="BAD", name="Bad",
                             units=[{"code": "paq", "factor": factor}])
    assert [e.field for e in exc.value.errors] == ["units[0].factor"]
    assert counts() == before


def test_updating_a_factor_to_zero_or_a_float_writes_nothing(make_item, demo, owner, counts):
    item = make_item()
    before = counts()
    for bad in ("0", "-2", 6.0):
        with pytest.raises(ValidationError):
            services.unit_level_update(company=demo, actor=owner, unit=unit(item, "paq"),
                                       factor=bad)
    assert counts() == before
    assert unit(item, "caja").factor_to_base == Decimal(24)


def test_a_cycle_is_refused_and_nothing_changes(make_item, demo, owner, counts):
    item = make_item()
    before = counts()
    snapshot = list(ItemUnit.objects.filter(item=item).values_list("lower_id", "depth",
                                                                   "factor_to_base"))
    with pytest.raises(ValidationError) as exc:  # pack under box, box under pack
        services.unit_level_update(company=demo, actor=owner, unit=unit(item, "paq"),
                                   lower=unit(item, "caja"))
    assert exc.value.errors[0].field == "lowerId"
    with pytest.raises(ValidationError):  # a level under itself
        services.unit_level_update(company=demo, actor=owner, unit=unit(item, "paq"),
                                   lower=unit(item, "paq"))
    assert counts() == before
    assert list(ItemUnit.objects.filter(item=item).values_list(
        "lower_id", "depth", "factor_to_base")) == snapshot


def test_moving_a_level_past_six_deep_is_refused(demo, owner, counts):
    item = services.item_create(company=demo, actor=owner, sku="DEEP", name="Deep",
                                units=[{"code": f"l{i}", "factor": 2} for i in range(2, 7)])
    side = services.unit_level_create(company=demo, actor=owner, item=item, code="side",
                                      factor=3)  # level 2, beside l2
    top = services.unit_level_create(company=demo, actor=owner, item=item, code="top",
                                     factor=3, lower=side)  # level 3
    before = counts()
    with pytest.raises(ValidationError) as exc:  # side under l5 pushes top to level 7
        services.unit_level_update(company=demo, actor=owner, unit=side, lower=unit(item, "l5"))
    assert "At most 6" in exc.value.errors[0].message
    assert counts() == before
    top.refresh_from_db()
    assert top.depth == 3


def test_the_base_unit_keeps_factor_one_and_no_lower_level(make_item, demo, owner):
    item = make_item()
    with pytest.raises(ValidationError) as exc:
        services.unit_level_update(company=demo, actor=owner, unit=unit(item, "und"),
                                   factor="2", lower=unit(item, "paq"))
    assert {e.field for e in exc.value.errors} == {"factor", "lowerId"}


def test_item_refusal_lists_every_bad_field(demo, otra, owner, counts, make_item):
    make_item(sku="DUP")
    other_tax = Tax.objects.get(company=otra, code="01")
    before = counts()
    with pytest.raises(ValidationError) as exc:
        services.item_create(company=demo, actor=owner, sku="DUP", name=" ", kind="thing",
                             cost=1.5, default_tax=other_tax, category="999999",
                             units=[{"code": "und", "factor": "2"}])
    assert {e.field for e in exc.value.errors} == {
        "sku", "name", "kind", "cost", "defaultTaxId", "categoryId", "units[0].code"}
    assert counts() == before
    assert Item.objects.filter(company=demo, sku="DUP").count() == 1


def test_barcodes_are_unique_across_items_and_levels(demo, owner):
    services.item_create(company=demo, actor=owner, sku="A", name="A", barcode="7701",
                         units=[{"code": "caja", "factor": 12, "barcode": "7702"}])
    with pytest.raises(ValidationError) as exc:
        services.item_create(company=demo, actor=owner, sku="B", name="B", barcode="7702",
                             units=[{"code": "caja", "factor": 12, "barcode": "7701"}])
    assert {e.field for e in exc.value.errors} == {"barcode", "units[0].barcode"}
