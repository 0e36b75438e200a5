"""Rendering and period keys: pure functions, checked exhaustively with hypothesis."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from cuadra.sequences.enums import ResetStrategy
from cuadra.sequences.formatting import format_errors, period_key, render, render_prefix

dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(9999, 12, 31))
literal = st.text(alphabet="ABCXYZ-/_ #.0123456789", max_size=10)


def test_render_examples():
    day = dt.date(2025, 3, 7)
    assert render("FAC-{YYYY}-", 6, 1, day) == "FAC-2025-000001"
    assert render("F{YY}{MM}-", 4, 12345, day) == "F2503-12345"
    assert render("", 1, 9, day) == "9"
    assert render_prefix("{YYYY}/{MM}/{YY}", dt.date(2001, 12, 31)) == "2001/12/01"


def test_period_keys():
    day = dt.date(2025, 3, 7)
    assert period_key(ResetStrategy.NEVER, day) == ""
    assert period_key(ResetStrategy.YEARLY, day) == "2025"
    assert period_key(ResetStrategy.MONTHLY, day) == "2025-03"


@given(date=dates, value=st.integers(1, 10**12), padding=st.integers(1, 12), head=literal)
def test_render_is_prefix_plus_padded_value(date, value, padding, head):
    number = render(head + "{YYYY}-", padding, value, date)
    digits = number[len(head) + 5:]
    assert number.startswith(f"{head}{date.year:04d}-")
    assert int(digits) == value
    assert len(digits) == max(padding, len(str(value)))


@given(a=dates, b=dates, strategy=st.sampled_from(list(ResetStrategy)))
def test_period_key_groups_exactly_the_dates_of_one_period(a, b, strategy):
    same = period_key(strategy, a) == period_key(strategy, b)
    if strategy == ResetStrategy.NEVER:
        assert same
    elif strategy == ResetStrategy.YEARLY:
        assert same == (a.year == b.year)
    else:
        assert same == ((a.year, a.month) == (b.year, b.month))


@given(a=dates, b=dates, va=st.integers(1, 10**7), vb=st.integers(1, 10**7),
       padding=st.integers(1, 8),
       setup=st.sampled_from([("FAC-{YYYY}-", ResetStrategy.YEARLY),
                              ("F{YYYY}{MM}-", ResetStrategy.MONTHLY),
                              ("F{YY}{MM}", ResetStrategy.MONTHLY),
                              ("A-", ResetStrategy.NEVER)]))
def test_a_valid_format_never_renders_two_counter_positions_alike(a, b, va, vb, padding,
                                                                  setup):
    """Within a century, distinct (period, value) pairs give distinct numbers."""
    prefix, strategy = setup
    assert format_errors(prefix=prefix, padding=padding, reset_strategy=strategy) == []
    if a.year // 100 != b.year // 100:
        return
    same_slot = (period_key(strategy, a), va) == (period_key(strategy, b), vb)
    assert (render(prefix, padding, va, a) == render(prefix, padding, vb, b)) == same_slot \
        or (strategy == ResetStrategy.NEVER and va == vb)


def test_format_errors():
    assert format_errors(prefix="FAC-", padding=6, reset_strategy="YEARLY") == [
        ("prefix", "A YEARLY series restarts every year, so its prefix must contain {YYYY} "
                   "or {YY}; otherwise numbers would repeat.")]
    assert [f for f, _ in format_errors(prefix="F{YYYY}-", padding=6,
                                        reset_strategy="MONTHLY")] == ["prefix"]
    assert format_errors(prefix="F{YY}{MM}-", padding=6, reset_strategy="MONTHLY") == []
    assert [f for f, _ in format_errors(prefix="F{DD}-", padding=6,
                                        reset_strategy="NEVER")] == ["prefix"]
    assert [f for f, _ in format_errors(prefix="F{YYYY-", padding=6,
                                        reset_strategy="NEVER")] == ["prefix"]
    assert [f for f, _ in format_errors(prefix="F-", padding=0,
                                        reset_strategy="NEVER")] == ["padding"]
    assert [f for f, _ in format_errors(prefix="F-", padding=13,
                                        reset_strategy="NEVER")] == ["padding"]
