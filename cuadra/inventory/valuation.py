"""The FIFO cost engine: a pure, ORM-free queue of cost layers in exact ``Decimal``.

The stock services load the live layers of one (company, item, warehouse) under a row lock,
run this queue, and write back what it changed; nothing else decides a cost.

Rules
-----
* A receipt of ``q`` base units at ``unit_cost`` becomes a layer worth
  ``round(q * unit_cost)`` (``value`` may be given instead when the caller priced the
  receipt in another unit: the layer is then worth exactly that value).
* A layer's remaining value is always ``round(remaining * unit_cost)``, or its whole value
  while untouched, and 0 once empty. An issue takes the difference between the remaining
  value before and after: the rounding is cumulative, so the values drawn from a layer are
  never negative and add up exactly to its value (quantity and value are conserved).
* An issue draws from the oldest layer first.
* Negative stock (only when allowed): the part of an issue beyond the stock on hand
  becomes a *negative layer* costed at the last known unit cost (the cost of the last
  layer received or drawn from; ``fallback_cost`` when nothing is known). The next
  receipts settle negative layers first, oldest first: the settled quantity leaves both
  the negative layer and the receipt, and the difference between what the receipt paid for
  it and what the issue was costed at is returned as ``adjustment`` (positive: the issue
  was under-costed; the caller posts it between inventory and cost of sales).

Rounding is ``ROUND_HALF_UP`` to ``quantum`` (cents by default).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal(0)


class InsufficientStock(Exception):
    """An issue exceeds the quantity on hand and negative stock is not allowed."""

    def __init__(self, requested: Decimal, available: Decimal):
        super().__init__(f"requested {requested}, on hand {available}")
        self.requested = requested
        self.available = available


def _dec(value, name: str) -> Decimal:
    if isinstance(value, bool | float) or not isinstance(value, Decimal | int):
        raise TypeError(f"{name} must be a Decimal or an int, never {type(value).__name__}")
    return Decimal(value)


@dataclass
class Layer:
    key: object
    quantity: Decimal  # original quantity; negative for a negative layer
    unit_cost: Decimal
    value: Decimal  # original value (same sign as quantity)
    remaining: Decimal
    remaining_value: Decimal

    @property
    def negative(self) -> bool:
        return self.quantity < 0

    def value_at(self, remaining: Decimal, quantum: Decimal) -> Decimal:
        """Remaining value when ``remaining`` is left (same sign as the layer)."""
        if remaining == 0:
            return ZERO
        if remaining == self.quantity:
            return self.value
        return (remaining * self.unit_cost).quantize(quantum, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Draw:
    """Part of an issue (or of a settlement) taken from one layer."""

    layer: Layer
    quantity: Decimal
    value: Decimal


@dataclass
class Issue:
    quantity: Decimal
    draws: list[Draw] = field(default_factory=list)
    negative_layer: Layer | None = None

    @property
    def value(self) -> Decimal:
        total = sum((d.value for d in self.draws), ZERO)
        if self.negative_layer is not None:
            total -= self.negative_layer.value  # negative value: adds its magnitude
        return total


@dataclass
class Receipt:
    layer: Layer
    settled: list[Draw] = field(default_factory=list)  # draws on negative layers (<0 qty)
    adjustment: Decimal = ZERO

    @property
    def value(self) -> Decimal:
        return self.layer.value


class FifoQueue:
    """Layers of one (item, warehouse) in FIFO order, oldest first."""

    def __init__(self, layers: list[Layer] | None = None, *, quantum: Decimal = CENT,
                 allow_negative: bool = False, last_unit_cost: Decimal | None = None,
                 fallback_cost: Decimal = ZERO):
        self.layers: list[Layer] = list(layers or [])
        self.quantum = quantum
        self.allow_negative = allow_negative
        self.last_unit_cost = last_unit_cost
        self.fallback_cost = fallback_cost
        self._keys = itertools.count(1)

    # --- reading -------------------------------------------------------------------------

    @property
    def quantity(self) -> Decimal:
        return sum((layer.remaining for layer in self.layers), ZERO)

    @property
    def value(self) -> Decimal:
        return sum((layer.remaining_value for layer in self.layers), ZERO)

    def live(self) -> list[Layer]:
        return [layer for layer in self.layers if layer.remaining != 0]

    def _round(self, value: Decimal) -> Decimal:
        return value.quantize(self.quantum, rounding=ROUND_HALF_UP)

    # --- writing -------------------------------------------------------------------------

    def _take(self, layer: Layer, quantity: Decimal) -> Draw:
        """Take ``quantity`` (same sign as the layer) out of ``layer``."""
        after = layer.remaining - quantity
        value_after = layer.value_at(after, self.quantum)
        draw = Draw(layer, quantity, layer.remaining_value - value_after)
        layer.remaining, layer.remaining_value = after, value_after
        self.last_unit_cost = layer.unit_cost
        return draw

    def receive(self, quantity, unit_cost, *, value=None, key=None) -> Receipt:
        quantity, unit_cost = _dec(quantity, "quantity"), _dec(unit_cost, "unit_cost")
        if quantity <= 0:
            raise ValueError("a receipt has a positive quantity")
        if unit_cost < 0:
            raise ValueError("a unit cost is never negative")
        total = self._round(quantity * unit_cost) if value is None else _dec(value, "value")
        layer = Layer(key=key if key is not None else next(self._keys), quantity=quantity,
                      unit_cost=unit_cost, value=total, remaining=quantity,
                      remaining_value=total)
        self.layers.append(layer)
        receipt = Receipt(layer=layer)
        for negative in [n for n in self.layers if n.negative and n.remaining < 0]:
            if layer.remaining == 0:
                break
            settle = min(layer.remaining, -negative.remaining)
            paid = self._take(layer, settle)
            owed = self._take(negative, -settle)
            receipt.settled.append(owed)
            receipt.adjustment += paid.value + owed.value  # owed.value is negative
        self.last_unit_cost = unit_cost
        return receipt

    def issue(self, quantity, *, key=None) -> Issue:
        quantity = _dec(quantity, "quantity")
        if quantity <= 0:
            raise ValueError("an issue has a positive quantity")
        on_hand = sum((la.remaining for la in self.layers if la.remaining > 0), ZERO)
        if quantity > on_hand and not self.allow_negative:
            raise InsufficientStock(quantity, self.quantity)
        issue = Issue(quantity=quantity)
        left = quantity
        for layer in self.layers:
            if left == 0:
                break
            if layer.remaining <= 0:
                continue
            draw = self._take(layer, min(left, layer.remaining))
            issue.draws.append(draw)
            left -= draw.quantity
        if left > 0:
            cost = self.last_unit_cost if self.last_unit_cost is not None else \
                self.fallback_cost
            value = -self._round(left * cost)
            issue.negative_layer = Layer(key=key if key is not None else next(self._keys),
                                         quantity=-left, unit_cost=cost, value=value,
                                         remaining=-left, remaining_value=value)
            self.layers.append(issue.negative_layer)
        return issue
