"""Line and document amounts (DGI rules, ../shared/research/panama-fe.md 1.7).

Rounding rule, stated once and tested with exact figures:

* the line's net unit price is exact: ``unit_price x (1 - discount_percent / 100)``;
* tax-exclusive line: ``base = round2(quantity x net unit price)`` (DGI dPrItem),
  ``tax = round2(base x rate)`` (dValITBMS), ``total = base + tax`` (dValTotItem);
* tax-inclusive line (the price already holds the tax): ``total = round2(quantity x net)``,
  ``tax = round2(total x rate / (1 + rate))``, ``base = total - tax``: the quoted total
  never moves by a cent;
* round2 is half-up to the cent, once per figure, on the line only;
* document totals are plain sums of the rounded line figures, also per tax rate
  (dTotNeto = sum of bases, dTotITBMS = sum of line taxes): the tax of a rate group is
  never recomputed from the group's base, so the lines always add up to the total.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from cuadra.core.money import CENT

ZERO = Decimal(0)
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Amounts:
    base: Decimal
    tax: Decimal
    total: Decimal


def round2(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def net_unit_price(unit_price: Decimal, discount_percent: Decimal) -> Decimal:
    return unit_price - unit_price * discount_percent / HUNDRED


def line_amounts(*, quantity: Decimal, unit_price: Decimal, discount_percent: Decimal,
                 rate: Decimal, tax_inclusive: bool = False) -> Amounts:
    gross = round2(quantity * net_unit_price(unit_price, discount_percent))
    if tax_inclusive:
        tax = round2(gross * rate / (1 + rate))
        return Amounts(base=gross - tax, tax=tax, total=gross)
    tax = round2(gross * rate)
    return Amounts(base=gross, tax=tax, total=gross + tax)


@dataclass(frozen=True)
class RateTotal:
    tax_code: str
    rate: Decimal
    base: Decimal
    tax: Decimal


def totals_by_rate(lines) -> list[RateTotal]:
    """One row per tax (code, rate) in first-seen order; ``lines`` carry ``tax`` (a Tax
    or None), ``base_amount`` and ``tax_amount``."""
    groups: dict[tuple[str, Decimal], list[Decimal]] = {}
    for line in lines:
        key = (line.tax.code, line.tax.rate) if line.tax_id else ("", ZERO)
        sums = groups.setdefault(key, [ZERO, ZERO])
        sums[0] += line.base_amount
        sums[1] += line.tax_amount
    return [RateTotal(code, rate, base, tax) for (code, rate), (base, tax) in groups.items()]
