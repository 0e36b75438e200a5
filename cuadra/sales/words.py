"""An amount in Spanish words, as printed on a Panamanian invoice.

``amount_in_words_es(Decimal("1234.56"))`` → ``"MIL DOSCIENTOS TREINTA Y CUATRO CON
56/100 BALBOAS"``. The integer part is written in words, the cents as ``NN/100``, then the
currency name (PAB: balboas; USD: dólares). Exact for 0 … 999,999,999,999.99; the amount is
rounded half-up to the cent first (an invoice total already is).

Rules of Spanish numerals applied (RAE):

* 1 before a masculine noun is apocopated: ``UN BALBOA``, ``VEINTIÚN BALBOAS``,
  ``TREINTA Y UN MIL``, ``VEINTIÚN MILLONES``; alone it is ``UNO`` only as a number, never
  before the currency, so the integer part is always apocopated here;
* 100 is ``CIEN`` alone (and before ``MIL``/``MILLONES``), ``CIENTO`` before more digits;
* 500 ``QUINIENTOS``, 700 ``SETECIENTOS``, 900 ``NOVECIENTOS``;
* 16-29 are one word (``DIECISÉIS``, ``VEINTIDÓS``); 31-99 take ``Y``;
* 1,000 is ``MIL`` (never ``UN MIL``); 1,000,000 is ``UN MILLÓN``, more are ``MILLONES``;
  a thousand millions is ``MIL MILLONES``. The cents stand between the number and the
  currency (``UN MILLÓN CON 00/100 BALBOAS``), so no ``DE`` is added.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from cuadra.core.money import CENT, to_decimal

MAX_AMOUNT = Decimal("999999999999.99")

# (singular, plural) currency names
CURRENCIES = {
    "PAB": ("BALBOA", "BALBOAS"),
    "USD": ("DÓLAR", "DÓLARES"),
}

_UNITS = ("", "UN", "DOS", "TRES", "CUATRO", "CINCO", "SEIS", "SIETE", "OCHO", "NUEVE",
          "DIEZ", "ONCE", "DOCE", "TRECE", "CATORCE", "QUINCE", "DIECISÉIS", "DIECISIETE",
          "DIECIOCHO", "DIECINUEVE", "VEINTE", "VEINTIÚN", "VEINTIDÓS", "VEINTITRÉS",
          "VEINTICUATRO", "VEINTICINCO", "VEINTISÉIS", "VEINTISIETE", "VEINTIOCHO",
          "VEINTINUEVE")
_TENS = ("", "", "", "TREINTA", "CUARENTA", "CINCUENTA", "SESENTA", "SETENTA", "OCHENTA",
         "NOVENTA")
_HUNDREDS = ("", "CIENTO", "DOSCIENTOS", "TRESCIENTOS", "CUATROCIENTOS", "QUINIENTOS",
             "SEISCIENTOS", "SETECIENTOS", "OCHOCIENTOS", "NOVECIENTOS")


def _below_hundred(n: int) -> str:
    if n < 30:
        return _UNITS[n]
    tens, unit = divmod(n, 10)
    return _TENS[tens] + (f" Y {_UNITS[unit]}" if unit else "")


def _below_thousand(n: int) -> str:
    """1..999, apocopated (UN, VEINTIÚN, ... Y UN): the form used before a noun."""
    if n == 100:
        return "CIEN"
    hundreds, rest = divmod(n, 100)
    parts = [_HUNDREDS[hundreds]] if hundreds else []
    if rest:
        parts.append(_below_hundred(rest))
    return " ".join(parts)


def _below_million(n: int) -> str:
    thousands, rest = divmod(n, 1000)
    parts = []
    if thousands == 1:
        parts.append("MIL")
    elif thousands:
        parts.append(f"{_below_thousand(thousands)} MIL")
    if rest:
        parts.append(_below_thousand(rest))
    return " ".join(parts)


def integer_in_words_es(n: int) -> str:
    """0 … 999,999,999,999 in capital Spanish words, apocopated before a noun."""
    if not 0 <= n <= 999_999_999_999:
        raise ValueError(f"{n} is outside 0 … 999,999,999,999")
    if n == 0:
        return "CERO"
    millions, rest = divmod(n, 1_000_000)
    parts = []
    if millions == 1:
        parts.append("UN MILLÓN")
    elif millions:
        parts.append(f"{_below_million(millions)} MILLONES")
    if rest:
        parts.append(_below_million(rest))
    return " ".join(parts)


def amount_in_words_es(amount, currency: str = "PAB") -> str:
    """``amount`` (Decimal, int or decimal string; never a float) in Spanish words with
    its cents as NN/100 and the currency name. A negative amount (a credit) is written as
    its magnitude preceded by ``MENOS``."""
    value = to_decimal(amount)
    if not value.is_finite():
        raise ValueError(f"not a finite amount: {amount!r}")
    value = value.quantize(CENT, rounding=ROUND_HALF_UP)
    negative = value < 0
    value = value.copy_abs()
    if value > MAX_AMOUNT:
        raise ValueError(f"{amount} is over {MAX_AMOUNT}")
    code = (currency or "PAB").upper()
    if code not in CURRENCIES:
        raise ValueError(f"no Spanish name for currency {currency!r}")
    singular, plural = CURRENCIES[code]
    whole = int(value)
    cents = int((value - whole) * 100)
    words = integer_in_words_es(whole)
    noun = singular if whole == 1 else plural
    text = f"{words} CON {cents:02d}/100 {noun}"
    return f"MENOS {text}" if negative else text
