"""The versioned canonical form of a posted entry, and the hash that chains it.

Version 1 is JSON with sorted keys, no whitespace, amounts as normalised decimal strings
(no exponent, no trailing zeros) and surrogate ids for accounts, journals and branches
(ids never change; codes may be renamed). A new version gets a new function here; old
links keep verifying with the version they were written with.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Context, Decimal
from json.encoder import encode_basestring as _quote

from cuadra.ledger.enums import CANONICAL_VERSION

_WIDE = Context(prec=120)


def dec(value: Decimal) -> str:
    if value == 0:
        return "0"
    # normalize() rounds to the context precision: use one wide enough for 50 digits
    return format(Decimal(value).normalize(_WIDE), "f")


def _date(value) -> str | None:
    return value.isoformat() if value else None


# Column order of the tuples the fast paths (posting, verify) hand in; the model-based
# forms below build the same tuples, so every path serialises through one function.
ENTRY_FIELDS = ("company", "number", "journal", "date", "reference", "memo", "source_type",
                "source_id", "currency", "exchange_rate", "reversal_of", "posted_by",
                "posted_at")
LINE_FIELDS = ("line_no", "account", "label", "debit", "credit", "currency",
               "amount_currency", "exchange_rate", "partner", "due_date", "branch",
               "cost_center", "project")


def entry_tuple(entry) -> tuple:
    return (entry.company_id, entry.number, entry.journal_id, entry.date, entry.reference,
            entry.memo, entry.source_type, entry.source_id, entry.currency,
            entry.exchange_rate, entry.reversal_of_id, entry.posted_by_id, entry.posted_at)


def line_tuple(line) -> tuple:
    return (line.line_no, line.account_id, line.label, line.debit, line.credit,
            line.currency, line.amount_currency, line.exchange_rate, line.partner,
            line.due_date, line.branch_id, line.cost_center, line.project)


def canonical_v1_rows(e: tuple, lines) -> dict:
    """``e`` in ENTRY_FIELDS order, ``lines`` tuples in LINE_FIELDS order."""
    return {
        "v": 1,
        "company": e[0],
        "number": e[1],
        "journal": e[2],
        "date": _date(e[3]),
        "reference": e[4],
        "memo": e[5],
        "source_type": e[6],
        "source_id": e[7],
        "currency": e[8],
        "exchange_rate": dec(e[9]),
        "reversal_of": e[10],
        "posted_by": e[11],
        "posted_at": e[12].astimezone(dt.UTC).isoformat(),
        "lines": [
            {
                "line_no": li[0],
                "account": li[1],
                "label": li[2],
                "debit": dec(li[3]),
                "credit": dec(li[4]),
                "currency": li[5],
                "amount_currency": dec(li[6]),
                "exchange_rate": dec(li[7]),
                "partner": li[8],
                "due_date": _date(li[9]),
                "branch": li[10],
                "cost_center": li[11],
                "project": li[12],
            }
            for li in sorted(lines, key=lambda li: li[0])
        ],
    }


def canonical_v1_data(entry, lines) -> dict:
    return canonical_v1_rows(entry_tuple(entry), [line_tuple(li) for li in lines])


CANONICAL = {1: canonical_v1_data}
CANONICAL_ROWS = {1: canonical_v1_rows}
_dumps = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode


def canonical(entry, lines, version: int = CANONICAL_VERSION) -> str:
    return _dumps(CANONICAL[version](entry, lines))


def canonical_rows(entry: tuple, lines, version: int = CANONICAL_VERSION, *,
                   money=dec) -> str:
    """The same text as ``canonical`` from plain tuples (no model instances). ``money``
    turns a stored amount into its canonical string (verify passes a memoised one)."""
    if version == 1:
        return _v1_text(entry, lines, money)
    return _dumps(CANONICAL_ROWS[version](entry, lines))


def _j(value) -> str:
    """One JSON scalar exactly as ``json.dumps(..., ensure_ascii=False)`` writes it."""
    if value is None:
        return "null"
    kind = type(value)
    if kind is str:
        return _quote(value)
    if kind is int:
        return int.__repr__(value)
    return _dumps(value)


def _v1_text(e: tuple, lines, money) -> str:
    """Version 1 written directly, keys already in sorted order: the same bytes as
    ``json.dumps(canonical_v1_rows(...), sort_keys=True, separators=(",", ":"),
    ensure_ascii=False)`` (tests/ledger/test_chain.py compares them), several times
    faster, which is what posting and verify spend their time on."""
    parts = []
    for li in sorted(lines, key=_line_no):
        parts.append(
            f'{{"account":{_j(li[1])},"amount_currency":"{money(li[6])}",'
            f'"branch":{_j(li[10])},"cost_center":{_j(li[11])},"credit":"{money(li[4])}",'
            f'"currency":{_j(li[5])},"debit":"{money(li[3])}","due_date":{_j(_date(li[9]))},'
            f'"exchange_rate":"{money(li[7])}","label":{_j(li[2])},"line_no":{_j(li[0])},'
            f'"partner":{_j(li[8])},"project":{_j(li[12])}}}')
    return (f'{{"company":{_j(e[0])},"currency":{_j(e[8])},"date":{_j(_date(e[3]))},'
            f'"exchange_rate":"{money(e[9])}","journal":{_j(e[2])},'
            f'"lines":[{",".join(parts)}],"memo":{_j(e[5])},"number":{_j(e[1])},'
            f'"posted_at":{_j(e[12].astimezone(dt.UTC).isoformat())},'
            f'"posted_by":{_j(e[11])},"reference":{_j(e[4])},"reversal_of":{_j(e[10])},'
            f'"source_id":{_j(e[7])},"source_type":{_j(e[6])},"v":1}}')


def _line_no(line: tuple):
    return line[0]


def link_hash(prev_hash: str, canonical_text: str) -> str:
    return hashlib.sha256((prev_hash + canonical_text).encode("utf-8")).hexdigest()


def first_difference(stored: dict, current: dict, prefix: str = "") -> str | None:
    """The path of the first field that differs between two canonical forms."""
    for key in sorted(set(stored) | set(current)):
        a, b = stored.get(key), current.get(key)
        path = f"{prefix}.{key}" if prefix else key
        if key == "lines" and isinstance(a, list) and isinstance(b, list):
            for i in range(max(len(a), len(b))):
                if i >= len(a) or i >= len(b):
                    return f"{path}[{i}]"
                found = first_difference(a[i], b[i], f"{path}[{i}]")
                if found:
                    return found
        elif a != b:
            return path
    return None
