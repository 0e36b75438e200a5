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

from cuadra.ledger.enums import CANONICAL_VERSION

_WIDE = Context(prec=120)


def dec(value: Decimal) -> str:
    if value == 0:
        return "0"
    # normalize() rounds to the context precision: use one wide enough for 50 digits
    return format(Decimal(value).normalize(_WIDE), "f")


def _date(value) -> str | None:
    return value.isoformat() if value else None


def canonical_v1_data(entry, lines) -> dict:
    return {
        "v": 1,
        "company": entry.company_id,
        "number": entry.number,
        "journal": entry.journal_id,
        "date": _date(entry.date),
        "reference": entry.reference,
        "memo": entry.memo,
        "source_type": entry.source_type,
        "source_id": entry.source_id,
        "currency": entry.currency,
        "exchange_rate": dec(entry.exchange_rate),
        "reversal_of": entry.reversal_of_id,
        "posted_by": entry.posted_by_id,
        "posted_at": entry.posted_at.astimezone(dt.UTC).isoformat(),
        "lines": [
            {
                "line_no": line.line_no,
                "account": line.account_id,
                "label": line.label,
                "debit": dec(line.debit),
                "credit": dec(line.credit),
                "currency": line.currency,
                "amount_currency": dec(line.amount_currency),
                "exchange_rate": dec(line.exchange_rate),
                "partner": line.partner,
                "due_date": _date(line.due_date),
                "branch": line.branch_id,
                "cost_center": line.cost_center,
                "project": line.project,
            }
            for line in sorted(lines, key=lambda li: li.line_no)
        ],
    }


CANONICAL = {1: canonical_v1_data}


def canonical(entry, lines, version: int = CANONICAL_VERSION) -> str:
    data = CANONICAL[version](entry, lines)
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


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
