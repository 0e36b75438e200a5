"""Decimal arithmetic wide enough for 50-digit money (DESIGN.md invariant 6).

Python's default decimal context keeps 28 significant digits, so adding two amounts with
25 integer and 25 decimal places would round silently. Every ledger service and report
does its arithmetic inside ``WIDE``; the quantities it produces still fit MoneyField.
"""

from __future__ import annotations

import functools
from decimal import (
    ROUND_HALF_EVEN,
    Context,
    DivisionByZero,
    Inexact,
    InvalidOperation,
    Overflow,
    localcontext,
)

# Inexact is trapped: an addition that would round raises instead of losing a digit.
WIDE = Context(prec=120, rounding=ROUND_HALF_EVEN,
               traps=[InvalidOperation, DivisionByZero, Overflow, Inexact])


def exact(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with localcontext(WIDE):
            return fn(*args, **kwargs)
    return wrapper
