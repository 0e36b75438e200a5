"""Panama RUC check digits (DV), as the DGI computes them.

The DV is two digits, each a mod-11 check over a 20-digit base: DV1 over the base,
DV2 over the base followed by DV1. Weights run 2, 3, 4 ... from the right; a remainder
r gives 11 - r when r > 1, else 0. (../shared/research/panama-fe.md section 3.)
"""

from __future__ import annotations

import re

# Old-style legal RUCs (third part of the base in 000..004) replace the two digits at
# positions 5-6 of the base through this DGI conversion table, and their weight
# sequence repeats 11 once.
_OLD_STYLE_DIGITS = dict(
    pair.split(":") for pair in (
        "00:00 10:01 11:02 12:03 13:04 14:05 15:06 16:07 17:08 18:09 19:01 20:02 21:03 "
        "22:04 23:07 24:08 25:09 26:02 27:03 28:04 29:05 30:06 31:07 32:08 33:09 34:01 "
        "35:02 36:03 37:04 38:05 39:06 40:07 41:08 42:09 43:01 44:02 45:03 46:04 47:05 "
        "48:06 49:07"
    ).split()
)

_LEGAL = re.compile(r"^(\d{3,10})-(\d{1,4})-(\d{1,6})$")
_NATURAL = re.compile(r"^(\d{1,2})-(\d{1,4})-(\d{1,6})$")


class InvalidRuc(ValueError):
    pass


def _mod11(digits: str, old_style: bool) -> str:
    if old_style:
        weights = [*range(2, 12), *range(11, len(digits) + 1)]
    else:
        weights = list(range(2, len(digits) + 2))
    total = sum(int(d) * w for d, w in zip(reversed(digits), weights, strict=False))
    r = total % 11
    return str(11 - r) if r > 1 else "0"


def _base(ruc: str) -> tuple[str, bool]:
    ruc = ruc.strip().upper()
    if m := _NATURAL.match(ruc):
        province, folio, seat = m.groups()
        return ("5" + province.zfill(2) + "00" + folio.zfill(3) + seat.zfill(5)).zfill(20), False
    if m := _LEGAL.match(ruc):
        a, b, c = m.groups()
        base = a.zfill(10) + b.zfill(4) + c.zfill(6)
        old_style = base[3:6] in {"000", "001", "002", "003", "004"}
        if old_style and base[5:7] in _OLD_STYLE_DIGITS:
            base = base[:5] + _OLD_STYLE_DIGITS[base[5:7]] + base[7:]
        return base, old_style
    raise InvalidRuc(f"'{ruc}' is not a RUC of the form NNN-N-NNNN or a cédula P-FFF-AAAA")


def compute_dv(ruc: str) -> str:
    """The two-digit DV of a legal-person RUC or a plain natural-person cédula."""
    base, old_style = _base(ruc)
    dv1 = _mod11(base, old_style)
    dv2 = _mod11(base + dv1, old_style)
    return dv1 + dv2


def is_valid(ruc: str, dv: str) -> bool:
    try:
        return compute_dv(ruc) == str(dv).strip().zfill(2)
    except InvalidRuc:
        return False
