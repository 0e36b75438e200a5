"""Exact decimals on both databases (DESIGN.md invariant 6).

PostgreSQL stores ``numeric(p, s)`` and sums it exactly. SQLite has no decimal type: a
NUMERIC column keeps 15 significant digits and ``SUM`` returns a float. On SQLite an
:class:`ExactDecimalField` is therefore stored as TEXT in an order-preserving encoding, so
that equality, ``<``/``>`` filters, ``ORDER BY``, ``MIN`` and ``MAX`` work in plain SQL, and
``DecimalSum`` sums through a registered aggregate that decodes and adds ``Decimal``s.
"""

from __future__ import annotations

import decimal
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation

from django.db import models
from django.db.backends.signals import connection_created

MONEY_DIGITS = 50
MONEY_PLACES = 25  # the seed system keeps 25 places on financials; we keep as many
QUANTITY_DIGITS = 38
QUANTITY_PLACES = 12
CENT = Decimal("0.01")
ZERO = Decimal(0)

_CTX = Context(prec=MONEY_DIGITS + 10)

# Python's default context keeps 28 significant digits, too few for 50-digit money: adding
# two amounts would round silently. Widen the default for this thread and for every thread
# started later (each copies DefaultContext), so plain ``a + b`` stays exact everywhere.
WIDE_PRECISION = 120
decimal.DefaultContext.prec = WIDE_PRECISION
decimal.getcontext().prec = WIDE_PRECISION


def to_decimal(value) -> Decimal:
    """Coerce user input to Decimal, refusing floats: they are never exact."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool | float):
        raise TypeError("money and quantities are never floats; pass a str, int or Decimal")
    if isinstance(value, int):
        return Decimal(value)
    try:
        return Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise ValueError(f"not a decimal number: {value!r}") from exc


def round_money(value: Decimal, places: Decimal = CENT) -> Decimal:
    return to_decimal(value).quantize(places, rounding=ROUND_HALF_UP)


# --- Order-preserving text encoding for SQLite ---------------------------------------------
#
# "P" + integer part zero-padded + "." + fraction zero-padded, for zero and positives.
# "N" + the nines' complement of the same digits, for negatives: "N" < "P", and a larger
# magnitude gives smaller complemented digits, so text order equals numeric order.

_COMPLEMENT = str.maketrans("0123456789", "9876543210")


def encode_sortable(value: Decimal, int_digits: int, places: int) -> str:
    q = to_decimal(value).quantize(Decimal(1).scaleb(-places), context=_CTX)
    negative = q < 0
    # copy_abs, not abs(): abs() rounds to the thread's context precision (28 digits)
    digits = format(q.copy_abs(), f".{places}f")
    int_part, _, frac = digits.partition(".")
    if len(int_part) > int_digits:
        raise ValueError(f"{value} does not fit in {int_digits} integer digits")
    body = int_part.rjust(int_digits, "0") + ("." + frac if places else "")
    return "N" + body.translate(_COMPLEMENT) if negative else "P" + body


def decode_sortable(text: str) -> Decimal:
    sign, body = text[0], text[1:]
    if sign == "N":
        return Decimal(body.translate(_COMPLEMENT)).copy_negate()  # unary minus rounds
    if sign == "P":
        return Decimal(body)
    return Decimal(text)  # plain literal (e.g. written by hand); still exact


class ExactDecimalField(models.DecimalField):
    """A DecimalField that is exact on SQLite as well as on PostgreSQL."""

    def get_internal_type(self) -> str:
        return "ExactDecimalField"

    def db_type(self, connection) -> str:
        if connection.vendor == "sqlite":
            return "text"
        return f"numeric({self.max_digits}, {self.decimal_places})"

    def rel_db_type(self, connection) -> str:
        return self.db_type(connection)

    def get_db_prep_value(self, value, connection, prepared=False):
        if not prepared:
            value = self.get_prep_value(value)
        if value is None or hasattr(value, "as_sql"):
            return value
        if connection.vendor == "sqlite":
            return encode_sortable(value, self.max_digits - self.decimal_places,
                                   self.decimal_places)
        return connection.ops.adapt_decimalfield_value(value, self.max_digits,
                                                       self.decimal_places)

    def get_prep_value(self, value):
        if isinstance(value, float):
            raise TypeError(f"{self.name}: floats are never stored as money or quantity")
        return super().get_prep_value(value)

    def from_db_value(self, value, expression, connection):
        if value is None or isinstance(value, Decimal):
            return value
        if isinstance(value, str):
            return decode_sortable(value)
        if isinstance(value, int):
            return Decimal(value)
        raise TypeError(f"{self.name}: the database returned a {type(value).__name__}; "
                        "an inexact value never becomes money")


class MoneyField(ExactDecimalField):
    def __init__(self, *args, max_digits: int = MONEY_DIGITS,
                 decimal_places: int = MONEY_PLACES, **kwargs):
        super().__init__(*args, max_digits=max_digits, decimal_places=decimal_places, **kwargs)


class QuantityField(ExactDecimalField):
    def __init__(self, *args, max_digits: int = QUANTITY_DIGITS,
                 decimal_places: int = QUANTITY_PLACES, **kwargs):
        super().__init__(*args, max_digits=max_digits, decimal_places=decimal_places, **kwargs)


class DecimalSum(models.Aggregate):
    """``SUM`` that stays exact: NUMERIC sum on PostgreSQL, a Decimal aggregate on SQLite."""

    function = "SUM"
    name = "DecimalSum"
    allow_distinct = False

    def __init__(self, expression, **extra):
        extra.setdefault("output_field", MoneyField())
        super().__init__(expression, **extra)

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="cuadra_decimal_sum",
                              **extra_context)


class _SqliteDecimalSum:
    def __init__(self) -> None:
        self.total = ZERO
        self.seen = False

    def step(self, value) -> None:
        if value is None:
            return
        self.seen = True
        # _CTX.add: the default context would round the running total to 28 digits
        if isinstance(value, str):
            self.total = _CTX.add(self.total, decode_sortable(value))
        elif isinstance(value, int):
            self.total = _CTX.add(self.total, Decimal(value))
        else:
            raise TypeError("cuadra_decimal_sum refuses a float")

    def finalize(self):
        if not self.seen:
            return None
        return encode_sortable(self.total, MONEY_DIGITS - MONEY_PLACES, MONEY_PLACES)


def _register(sender, connection, **kwargs) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_aggregate("cuadra_decimal_sum", 1, _SqliteDecimalSum)


def install_sqlite_functions() -> None:
    connection_created.connect(_register, dispatch_uid="cuadra_sqlite_decimal")
