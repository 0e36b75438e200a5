"""The pure FIFO queue: conservation, oldest-first costing, negative stock, no floats."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cuadra.inventory.valuation import CENT, FifoQueue, InsufficientStock

D = Decimal

quantities = st.decimals(min_value=D("0.001"), max_value=D("500"), places=3)
costs = st.decimals(min_value=D("0"), max_value=D("99.99999"), places=5)
steps = st.lists(st.one_of(st.tuples(st.just("in"), quantities, costs),
                           st.tuples(st.just("out"), quantities, st.none())),
                 min_size=1, max_size=40)


def _all_decimal(queue: FifoQueue) -> bool:
    return all(isinstance(v, Decimal) for la in queue.layers
               for v in (la.quantity, la.remaining, la.value, la.remaining_value,
                         la.unit_cost))


@settings(max_examples=300, deadline=None)
@given(steps)
def test_quantity_and_value_are_conserved_and_issues_draw_oldest_first(ops):
    queue = FifoQueue()
    received_qty = received_value = issued_qty = issued_value = D(0)
    for kind, qty, cost in ops:
        if kind == "in":
            receipt = queue.receive(qty, cost)
            assert receipt.value == (qty * cost).quantize(CENT, rounding="ROUND_HALF_UP")
            received_qty += qty
            received_value += receipt.value
            continue
        if qty > queue.quantity:
            with pytest.raises(InsufficientStock):
                queue.issue(qty)
            continue
        before = [(la.key, la.remaining) for la in queue.layers]
        issue = queue.issue(qty)
        assert sum(d.quantity for d in issue.draws) == qty
        assert all(d.value >= 0 for d in issue.draws)
        # oldest first: every layer drawn from except the last is emptied, and no
        # younger layer is touched while an older one still had stock
        drawn = [d.layer.key for d in issue.draws]
        live_before = [key for key, rem in before if rem > 0]
        assert drawn == live_before[:len(drawn)]
        assert all(d.layer.remaining == 0 for d in issue.draws[:-1])
        issued_qty += qty
        issued_value += issue.value
        assert isinstance(issue.value, Decimal)
    assert queue.quantity == received_qty - issued_qty
    assert queue.value == received_value - issued_value
    assert queue.quantity >= 0 and queue.value >= 0
    assert _all_decimal(queue)
    for layer in queue.layers:  # a layer never hands out more than it was worth
        assert 0 <= layer.remaining_value <= layer.value
        if layer.remaining == 0:
            assert layer.remaining_value == 0


@settings(max_examples=200, deadline=None)
@given(steps)
def test_negative_stock_conserves_value_through_settlement(ops):
    queue = FifoQueue(allow_negative=True, fallback_cost=D("1.5"))
    booked = D(0)  # what the caller posts to inventory: receipts - issues - adjustments
    qty = D(0)
    for kind, q, cost in ops:
        if kind == "in":
            receipt = queue.receive(q, cost)
            booked += receipt.value - receipt.adjustment
            qty += q
        else:
            issue = queue.issue(q)
            booked -= issue.value
            qty -= q
        assert queue.quantity == qty
        assert queue.value == booked
        negatives = [la for la in queue.layers if la.remaining < 0]
        positives = [la for la in queue.layers if la.remaining > 0]
        assert not (negatives and positives)  # a receipt settles negatives first


def test_fifo_example_exact_values():
    queue = FifoQueue()
    queue.receive(D(10), D("2.00"))
    queue.receive(D(10), D("3.00"))
    issue = queue.issue(D(15))
    assert [(d.quantity, d.value) for d in issue.draws] == [(D(10), D("20.00")),
                                                           (D(5), D("15.00"))]
    assert issue.value == D("35.00")
    assert (queue.quantity, queue.value) == (D(5), D("15.00"))


def test_cumulative_rounding_never_overdraws_a_layer():
    queue = FifoQueue()
    receipt = queue.receive(D(3), D("0.005"))  # worth 0.02 (0.015 half-up)
    values = [queue.issue(D(1)).value for _ in range(3)]
    assert receipt.value == D("0.02")
    assert values == [D("0.01"), D("0.00"), D("0.01")]
    assert sum(values) == receipt.value


def test_receipt_with_given_value_keeps_it_exactly():
    queue = FifoQueue()
    queue.receive(D(12), D("0.8333333333"), value=D("10.00"))  # a box of 12 for 10.00
    assert queue.issue(D(12)).value == D("10.00")


def test_negative_issue_costed_at_last_cost_and_settled_by_next_receipt():
    queue = FifoQueue(allow_negative=True)
    queue.receive(D(2), D("4.00"))
    issue = queue.issue(D(5))
    assert issue.value == D("20.00")  # 2 x 4 from stock + 3 x 4 on a negative layer
    assert issue.negative_layer.remaining == D(-3)
    receipt = queue.receive(D(10), D("5.00"))
    assert receipt.adjustment == D("3.00")  # the 3 units cost 5, not 4
    assert (queue.quantity, queue.value) == (D(7), D("35.00"))


def test_refusals():
    queue = FifoQueue()
    with pytest.raises(TypeError):
        queue.receive(1.5, D(1))
    with pytest.raises(TypeError):
        queue.receive(D(1), 0.1)
    with pytest.raises(ValueError):
        queue.receive(D(0), D(1))
    with pytest.raises(ValueError):
        queue.receive(D(1), D(-1))
    queue.receive(D(1), D(1))
    with pytest.raises(InsufficientStock) as exc:
        queue.issue(D(2))
    assert (exc.value.requested, exc.value.available) == (D(2), D(1))
    assert queue.quantity == D(1)  # a refused issue took nothing
