"""Pure functions: period keys, prefix rendering and format checks (no database)."""

from __future__ import annotations

import datetime as dt
import re

from cuadra.sequences.enums import (
    MAX_NUMBER_LENGTH,
    MAX_PADDING,
    MAX_PREFIX_LENGTH,
    PREFIX_TOKENS,
    ResetStrategy,
)

_TOKEN_RE = re.compile(r"\{([^{}]*)\}")
_YEAR_TOKENS = ("{YYYY}", "{YY}")


def period_key(reset_strategy: str, date: dt.date) -> str:
    """The counter a date belongs to: '' (never resets), 'YYYY' or 'YYYY-MM'."""
    if reset_strategy == ResetStrategy.YEARLY:
        return f"{date.year:04d}"
    if reset_strategy == ResetStrategy.MONTHLY:
        return f"{date.year:04d}-{date.month:02d}"
    return ""


def render_prefix(prefix: str, date: dt.date) -> str:
    values = {"YYYY": f"{date.year:04d}", "YY": f"{date.year % 100:02d}",
              "MM": f"{date.month:02d}"}
    return _TOKEN_RE.sub(lambda m: values[m.group(1)], prefix)


def render(prefix: str, padding: int, value: int, date: dt.date) -> str:
    return render_prefix(prefix, date) + str(value).zfill(padding)


def format_errors(*, prefix: str, padding: int, reset_strategy: str) -> list[tuple[str, str]]:
    """(field, message) for every way this format is unusable; [] when it is sound.

    A resetting series must print its period, or the first number of each period would
    repeat the first number of the previous one.
    """
    errors: list[tuple[str, str]] = []
    tokens = {f"{{{t}}}" for t in _TOKEN_RE.findall(prefix)}
    unknown = sorted(tokens - set(PREFIX_TOKENS))
    if unknown:
        errors.append(("prefix", f"Unknown token(s) {', '.join(unknown)}; "
                                 f"use {' '.join(PREFIX_TOKENS)}."))
    elif "{" in _TOKEN_RE.sub("", prefix) or "}" in _TOKEN_RE.sub("", prefix):
        errors.append(("prefix", "Unbalanced brace in the prefix."))
    if len(prefix) > MAX_PREFIX_LENGTH:
        errors.append(("prefix", f"At most {MAX_PREFIX_LENGTH} characters."))
    if not 1 <= padding <= MAX_PADDING:
        errors.append(("padding", f"Choose a padding from 1 to {MAX_PADDING}."))
    if reset_strategy not in ResetStrategy.values:
        errors.append(("resetStrategy", "Choose NEVER, YEARLY or MONTHLY."))
    has_year = any(t in tokens for t in _YEAR_TOKENS)
    if reset_strategy == ResetStrategy.YEARLY and not has_year:
        errors.append(("prefix", "A YEARLY series restarts every year, so its prefix must "
                                 "contain {YYYY} or {YY}; otherwise numbers would repeat."))
    if reset_strategy == ResetStrategy.MONTHLY and not (has_year and "{MM}" in tokens):
        errors.append(("prefix", "A MONTHLY series restarts every month, so its prefix must "
                                 "contain {YYYY} or {YY} and {MM}; otherwise numbers would "
                                 "repeat."))
    if not errors and len(render_prefix(prefix, dt.date(2000, 1, 1))) + MAX_PADDING > \
            MAX_NUMBER_LENGTH:
        errors.append(("prefix", "The rendered number would be too long."))
    return errors


def suffix_pattern(rendered_prefix: str, padding: int) -> str:
    """A regex (valid in Python, SQLite's REGEXP and PostgreSQL) matching every number
    ``render`` can produce after this rendered prefix."""
    return "^" + re.escape(rendered_prefix) + rf"([0-9]{{{padding}}}|[1-9][0-9]{{{padding},}})$"
