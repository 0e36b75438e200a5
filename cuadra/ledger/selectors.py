"""Reads of the books: accounts, entries, the trial balance, chain verification."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from cuadra.core.errors import NotFound
from cuadra.core.money import ZERO, decode_sortable
from cuadra.ledger import chain
from cuadra.ledger.enums import GENESIS_HASH, EntryState
from cuadra.ledger.exact import exact
from cuadra.ledger.models import (
    Account,
    JournalEntry,
    JournalLine,
    LedgerAuditLog,
    LedgerChainHead,
)


def accounts_list(*, company, postable_only: bool = False, active_only: bool = False):
    qs = Account.objects.filter(company=company).order_by("code")
    if postable_only:
        qs = qs.filter(is_group=False)
    if active_only:
        qs = qs.filter(is_active=True)
    return qs


def journal_entries_list(*, company, state: str | None = None, date_from=None, date_to=None,
                         journal_id=None):
    qs = JournalEntry.objects.filter(company=company).order_by("-date", "-id")
    if state:
        qs = qs.filter(state=state)
    if date_from:
        qs = qs.filter(date__gte=date_from)
    if date_to:
        qs = qs.filter(date__lte=date_to)
    if journal_id:
        qs = qs.filter(journal_id=journal_id)
    return qs


def journal_entry_get(*, company, entry_id) -> JournalEntry:
    entry = JournalEntry.objects.filter(company=company, pk=entry_id).first() \
        if str(entry_id).isdigit() else None
    if entry is None:
        raise NotFound("No such journal entry.", field="id")
    return entry


# --- trial balance -------------------------------------------------------------------------

@dataclass
class TrialBalanceRow:
    account: Account
    opening: Decimal = ZERO  # signed: debit positive
    debit: Decimal = ZERO
    credit: Decimal = ZERO
    closing: Decimal = ZERO


@dataclass
class TrialBalance:
    """Totals are computed once, in the wide decimal context (see ledger.exact)."""

    date_from: dt.date
    date_to: dt.date
    rows: list[TrialBalanceRow] = field(default_factory=list)
    total_opening: Decimal = ZERO
    total_debit: Decimal = ZERO
    total_credit: Decimal = ZERO
    total_closing: Decimal = ZERO


@exact
def trial_balance_get(*, company, date_from: dt.date, date_to: dt.date,
                      branch=None) -> TrialBalance:
    """Opening, movements and closing per postable account, in code order: the postable
    rows of ``reports.trial_balance_report``, which computes them (from the per-period
    rollups, plus the lines of the days of a month the range covers in part)."""
    from cuadra.ledger.reports import trial_balance_report

    report = trial_balance_report(company=company, date_from=date_from, date_to=date_to,
                                  branch=branch)
    rows = sorted((TrialBalanceRow(account=li.account, opening=li.opening, debit=li.debit,
                                   credit=li.credit, closing=li.closing)
                   for li in report.lines if not li.account.is_group),
                  key=lambda r: r.account.code)
    return TrialBalance(date_from=date_from, date_to=date_to, rows=rows,
                        total_opening=report.total_opening, total_debit=report.total_debit,
                        total_credit=report.total_credit, total_closing=report.total_closing)


# --- the hash chain ------------------------------------------------------------------------

@dataclass
class Integrity:
    ok: bool
    entries: int
    head_hash: str
    broken_entry_number: str | None = None
    field: str | None = None
    message: str = ""


_BATCH = 20_000  # links per chunk: three queries per chunk, values only (no instances)

_ENTRY_COLS = ("id", "company_id", "number", "journal_id", "date", "reference", "memo",
               "source_type", "source_id", "currency", "exchange_rate", "reversal_of_id",
               "posted_by_id", "posted_at")
_LINE_COLS = ("entry_id", "line_no", "account_id", "label", "debit", "credit", "currency",
              "amount_currency", "exchange_rate", "partner", "due_date", "branch_id",
              "cost_center", "project")
_LINK_COLS = ("seq", "entry_id", "entry_number", "version", "prev_hash", "hash", "canonical")


class _Reader:
    """Plain rows for verify, read with one SQL statement per table and chunk, no model
    instances or per-field converters: money is turned into its canonical string once
    per distinct stored value (SQLite returns the sortable text, PostgreSQL a Decimal)."""

    def __init__(self, company) -> None:
        self.company_id = company.pk
        self.sqlite = connection.vendor == "sqlite"
        self.texts: dict = {}

    def money(self, raw) -> str:
        text = self.texts.get(raw)
        if text is None:
            try:
                value = decode_sortable(raw) if isinstance(raw, str) else raw
                text = chain.dec(value)
            except (ArithmeticError, ValueError, TypeError):
                text = f"unreadable {raw!r}"  # differs from any chained amount
            self.texts[raw] = text
        return text

    def _rows(self, sql: str, params) -> list[tuple]:
        with connection.cursor() as cur:
            cur.execute(sql, params)
            return cur.fetchall()

    def links(self, start_seq: int, size: int) -> list[tuple]:
        return self._rows(f"SELECT {', '.join(_LINK_COLS)} FROM {LedgerAuditLog._meta.db_table}"
                          " WHERE company_id = %s AND seq > %s ORDER BY seq LIMIT %s",
                          [self.company_id, start_seq, size])

    def entries(self, where: str, params) -> dict[int, tuple]:
        rows = self._rows(f"SELECT {', '.join(_ENTRY_COLS)} FROM "
                          f"{JournalEntry._meta.db_table} WHERE {where}", params)
        if self.sqlite:  # the driver's declared-type converters give naive UTC datetimes
            return {r[0]: (*r[1:4], _day(r[4]), *r[5:13], _utc(r[13])) for r in rows}
        return {r[0]: r[1:] for r in rows}

    def lines(self, first_id: int, last_id: int, wanted) -> dict[int, list[tuple]]:
        out = defaultdict(list)
        sqlite = self.sqlite
        for r in self._rows(f"SELECT {', '.join(_LINE_COLS)} FROM "
                            f"{JournalLine._meta.db_table} WHERE +company_id = %s AND "
                            "entry_id >= %s AND entry_id <= %s",  # "+": SQLite walks the
                            # entry range, not every line of the company (line_company_account)
                            [self.company_id, first_id, last_id]):
            if r[0] in wanted:
                if sqlite and r[10] is not None:
                    r = (*r[:10], _day(r[10]), *r[11:])
                out[r[0]].append(r[1:])
        return out


def _day(value):
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def _utc(value):
    if value is None:
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value


def _links_with_entries(reader: _Reader, start_seq: int, size: int = _BATCH):
    """Up to ``size`` links after ``start_seq`` as (link tuple, entry tuple or None, line
    tuples): tuples in chain.ENTRY_FIELDS / LINE_FIELDS order."""
    links = reader.links(start_seq, size)
    if not links:
        return []
    # entries by their chain positions and lines by an entry-id range: index range scans
    entries = reader.entries("company_id = %s AND chain_seq >= %s AND chain_seq <= %s",
                             [reader.company_id, links[0][0], links[-1][0]])
    missing = sorted({link[1] for link in links} - set(entries))
    if missing:  # an entry whose chain_seq was altered is still found by its id
        entries.update(reader.entries(f"id IN ({', '.join(['%s'] * len(missing))})",
                                      missing))
    lines = reader.lines(min(entries), max(entries), entries) if entries else {}
    return [(link, entries.get(link[1]), lines.get(link[1], [])) for link in links]


def _check_link(link, entry, lines, prev_hash: str, money=chain.dec) -> tuple[str, str] | None:
    """(field, message) of the first thing wrong with one link, or None."""
    _, _, _, version, link_prev, link_hash, text = link
    if link_prev != prev_hash:
        return "prev_hash", "the link does not follow the previous one"
    if chain.link_hash(link_prev, text) != link_hash:
        return "hash", "the stored link was altered"
    if entry is None:
        return "entry", "the entry is missing"
    current = chain.canonical_rows(entry, lines, version, money=money)
    if current != text:
        diff = chain.first_difference(json.loads(text), json.loads(current))
        return diff or "canonical", "the entry differs from what was chained"
    return None


def ledger_verify(*, company) -> Integrity:
    """Recompute the company's chain from genesis; stop at the first broken link."""
    prev, count, seq = GENESIS_HASH, 0, 0
    reader = _Reader(company)
    while True:
        batch = _links_with_entries(reader, seq)
        if not batch:
            break
        for link, entry, lines in batch:
            number = link[2]
            if link[0] != seq + 1:
                return Integrity(False, count, prev, number, "seq",
                                 f"link {seq + 1} is missing")
            problem = _check_link(link, entry, lines, prev, reader.money)
            if problem:
                return Integrity(False, count, prev, number, problem[0], problem[1])
            prev, count, seq = link[5], count + 1, link[0]
    return _verify_tail(company, count, prev)


def _verify_tail(company, count: int, prev: str) -> Integrity:
    """Every posted entry has a link, and the head row matches the last link."""
    unchained = (JournalEntry.objects.filter(company=company, state=EntryState.POSTED)
                 .exclude(pk__in=LedgerAuditLog.objects.filter(company=company)
                          .values("entry_id")).order_by("chain_seq", "pk").first())
    if unchained is not None:
        return Integrity(False, count, prev, unchained.number, "link",
                         "a posted entry has no chain link")
    head = LedgerChainHead.objects.filter(company=company).first()
    if head is not None and (head.seq, head.hash) != (count, prev):
        return Integrity(False, count, prev, None, "head",
                         "the chain head does not match the last link")
    return Integrity(True, count, prev)


@dataclass
class Checkpoint:
    company: str
    entries: int
    head_hash: str
    at: dt.datetime


def ledger_checkpoint(*, company) -> Checkpoint:
    head = LedgerChainHead.objects.filter(company=company).first()
    return Checkpoint(company=company.code, entries=head.seq if head else 0,
                      head_hash=head.hash if head else GENESIS_HASH, at=timezone.now())
