"""The DGI rounding rule of cuadra.sales.totals with exact figures."""

from decimal import Decimal as D

from cuadra.sales.totals import line_amounts


def test_exclusive_line_rounds_base_then_tax_half_up():
    a = line_amounts(quantity=D("3"), unit_price=D("1.255"), discount_percent=D("0"),
                     rate=D("0.07"))
    assert (a.base, a.tax, a.total) == (D("3.77"), D("0.26"), D("4.03"))  # 3.765 -> 3.77


def test_discount_applies_to_the_unit_price_before_rounding():
    a = line_amounts(quantity=D("7"), unit_price=D("12.99"), discount_percent=D("15"),
                     rate=D("0.10"))
    # 12.99 x 0.85 = 11.0415; x 7 = 77.2905 -> 77.29; tax 7.729 -> 7.73
    assert (a.base, a.tax, a.total) == (D("77.29"), D("7.73"), D("85.02"))


def test_inclusive_line_keeps_the_quoted_total():
    a = line_amounts(quantity=D("1"), unit_price=D("10.70"), discount_percent=D("0"),
                     rate=D("0.07"), tax_inclusive=True)
    assert (a.base, a.tax, a.total) == (D("10.00"), D("0.70"), D("10.70"))
