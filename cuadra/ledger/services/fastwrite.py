"""The SQL under ``posting``: posted entries, their lines, chain links, the chain head and
the balance rollups written as plain rows (DESIGN.md "Performance stance").

Only ``cuadra.ledger.services.posting`` calls this, after it has checked everything
(invariants 2-5); nothing here validates. Values are converted once per value, not per
field object: on SQLite money becomes the order-preserving text of
``cuadra.core.money.encode_sortable`` (what MoneyField stores), on PostgreSQL it stays a
Decimal and psycopg sends it as numeric. Inserts use ``executemany`` on SQLite and
``COPY`` (large batches) or one multi-row ``INSERT`` (small ones) on PostgreSQL.
"""

from __future__ import annotations

from contextlib import contextmanager
from decimal import Decimal

from django.db import connection

from cuadra.core import context
from cuadra.core.audit import _jsonable
from cuadra.core.models import AuditLog
from cuadra.core.money import MONEY_DIGITS, MONEY_PLACES, ZERO, encode_sortable
from cuadra.ledger.models import (
    RATE_DIGITS,
    RATE_PLACES,
    AccountBalance,
    AccountPeriodTotal,
    JournalEntry,
    JournalLine,
    LedgerAuditLog,
    LedgerChainHead,
)

ENTRY_ATTRS = tuple(f.attname for f in JournalEntry._meta.concrete_fields)
_ENTRY_COLS = tuple(f.column for f in JournalEntry._meta.concrete_fields)
# chain.LINE_FIELDS order after the bookkeeping columns
_LINE_COLS = ("created_at", "updated_at", "company_id", "entry_id", "line_no", "account_id",
              "label", "debit", "credit", "currency", "amount_currency", "exchange_rate",
              "partner", "due_date", "branch_id", "cost_center", "project")
_LINK_COLS = ("company_id", "seq", "entry_id", "entry_number", "version", "prev_hash", "hash",
              "canonical", "created_at")
_BALANCE_KEY = ("account_id", "period_id", "branch_key", "cost_center", "project")
_TOTAL_KEY = ("account_id", "period_id")
_VALUE_COLS = {  # rollup table -> columns between company_id and debit
    AccountBalance._meta.db_table: ("account_id", "period_id", "branch_id", "branch_key",
                                    "cost_center", "project"),
    AccountPeriodTotal._meta.db_table: _TOTAL_KEY,
}
_COPY_FROM = 50  # rows; below it one multi-row INSERT is a single round trip

_MONEY_INT = MONEY_DIGITS - MONEY_PLACES
_RATE_INT = RATE_DIGITS - RATE_PLACES
_ENTRY_RATE = ENTRY_ATTRS.index("exchange_rate")
_ENTRY_DATES = tuple(ENTRY_ATTRS.index(a) for a in ("date",))
_ENTRY_TIMES = tuple(ENTRY_ATTRS.index(a) for a in ("created_at", "updated_at", "posted_at"))

assert [f.column for f in JournalLine._meta.concrete_fields][1:] == list(_LINE_COLS)
assert [f.column for f in LedgerAuditLog._meta.concrete_fields][1:] == list(_LINK_COLS)


def _sqlite() -> bool:
    return connection.vendor == "sqlite"


class _Encoder:
    """SQLite text for money, rates, dates and datetimes, each distinct value once."""

    def __init__(self) -> None:
        self.money: dict[Decimal, str] = {}
        self.rate: dict[Decimal, str] = {}
        self.times: dict = {}

    def m(self, value: Decimal) -> str:
        text = self.money.get(value)
        if text is None:
            text = self.money[value] = encode_sortable(value, _MONEY_INT, MONEY_PLACES)
        return text

    def r(self, value: Decimal) -> str:
        text = self.rate.get(value)
        if text is None:
            text = self.rate[value] = encode_sortable(value, _RATE_INT, RATE_PLACES)
        return text

    def t(self, value):
        if value is None:
            return None
        text = self.times.get(value)
        if text is None:
            text = self.times[value] = connection.ops.adapt_datetimefield_value(value)
        return text


def _insert(cur, table: str, cols, rows: list) -> None:
    if not rows:
        return
    names = ", ".join(cols)
    if _sqlite():
        marks = ", ".join(["%s"] * len(cols))
        cur.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
    elif len(rows) >= _COPY_FROM:
        with cur.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        one = "(" + ", ".join(["%s"] * len(cols)) + ")"
        cur.execute(f"INSERT INTO {table} ({names}) VALUES " + ", ".join([one] * len(rows)),
                    [v for row in rows for v in row])


def fits_one_insert(rows: int) -> bool:
    """Whether ``rows`` rows go as one multi-row INSERT (no COPY) on PostgreSQL."""
    return rows < _COPY_FROM


@contextmanager
def pipelined(*, enabled: bool = True):
    """On PostgreSQL, send the statements of the block in one pipeline (psycopg 3): the
    writes of a small post reach the server in one round trip instead of one each. They
    read no result, and none may COPY (``fits_one_insert``). An error surfaces when the
    block ends, as the Django error it would have been, and the transaction is rolled
    back as usual. Elsewhere (SQLite, large batches) the block runs as it is."""
    if not enabled or _sqlite():
        yield
        return
    connection.ensure_connection()
    with connection.wrap_database_errors, connection.connection.pipeline():
        yield


# --- ids -----------------------------------------------------------------------------------

_pg_sequence: dict[str, str] = {}


def reserve_ids(headers: list[dict]) -> None:
    """Set ``id`` in each header before the insert (the issued numbers name them).
    SQLite runs write transactions BEGIN IMMEDIATE (settings), so inside ours nobody else
    inserts: the next ids are ours. PostgreSQL hands them out with nextval."""
    if not headers:
        return
    table = JournalEntry._meta.db_table
    with connection.cursor() as cur:
        if _sqlite():
            cur.execute(f"SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = "
                        f"'{table}'), 0), COALESCE((SELECT MAX(id) FROM {table}), 0))")
            first = cur.fetchone()[0] + 1
            ids = range(first, first + len(headers))
        else:
            seq = _pg_sequence.get(table)
            if seq is None:
                cur.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
                seq = _pg_sequence[table] = cur.fetchone()[0]
            cur.execute("SELECT nextval(%s) FROM generate_series(1, %s)", [seq, len(headers)])
            ids = sorted(row[0] for row in cur.fetchall())
    for header, pk in zip(headers, ids, strict=True):
        header["id"] = pk


# --- rows ----------------------------------------------------------------------------------

def insert_entries(company_id: int, headers: list[dict], lines: list[tuple]) -> None:
    """``headers`` complete (every JournalEntry attribute); ``lines``: (entry id, line
    tuples in chain.LINE_FIELDS order)."""
    if not headers:
        return
    now = headers[0]["updated_at"]
    if _sqlite():
        enc = _Encoder()
        m, r = enc.m, enc.r
        entries = []
        for h in headers:
            row = [h[a] for a in ENTRY_ATTRS]
            row[_ENTRY_RATE] = r(row[_ENTRY_RATE])
            for i in _ENTRY_DATES:
                row[i] = row[i].isoformat()
            for i in _ENTRY_TIMES:
                row[i] = enc.t(row[i])
            entries.append(row)
        ts = enc.t(now)
        rows = [(ts, ts, company_id, entry_id, li[0], li[1], li[2], m(li[3]), m(li[4]), li[5],
                 m(li[6]), r(li[7]), li[8], li[9].isoformat() if li[9] else None, li[10],
                 li[11], li[12])
                for entry_id, entry_lines in lines for li in entry_lines]
    else:
        entries = [[h[a] for a in ENTRY_ATTRS] for h in headers]
        rows = [(now, now, company_id, entry_id, *li)
                for entry_id, entry_lines in lines for li in entry_lines]
    with connection.cursor() as cur:
        _insert(cur, JournalEntry._meta.db_table, _ENTRY_COLS, entries)
        _insert(cur, JournalLine._meta.db_table, _LINE_COLS, rows)


def insert_links(links: list[tuple], now) -> None:
    ts = _Encoder().t(now) if _sqlite() else now
    with connection.cursor() as cur:
        _insert(cur, LedgerAuditLog._meta.db_table, _LINK_COLS,
                [(*link, ts) for link in links])


def head_update(company_id: int, seq: int, digest: str) -> None:
    with connection.cursor() as cur:
        cur.execute(f"UPDATE {LedgerChainHead._meta.db_table} SET seq = %s, hash = %s "
                    "WHERE company_id = %s", [seq, digest, company_id])


# --- rollups -------------------------------------------------------------------------------

def rollups_add(company_id: int, deltas: dict[tuple, list], now) -> None:
    """Add (debit, credit) to the rollup row of each (account, period, branch_key,
    cost_center, project), and their sums to the (account, period) totals. The chain head
    lock serialises this company's writers, so no one changes these rows meanwhile.
    PostgreSQL adds in SQL (numeric is exact); SQLite stores text, so the touched rows are
    read, added in Python (exact Decimal) and written back."""
    if not deltas:
        return
    totals: dict[tuple, list] = {}
    for k, (d, c) in deltas.items():
        pair = totals.get(k[:2])
        if pair is None:
            totals[k[:2]] = [d, c]
        else:
            pair[0] += d
            pair[1] += c
    with connection.cursor() as cur:
        current = _add(cur, AccountBalance._meta.db_table, _BALANCE_KEY, company_id, deltas,
                       now, lambda k: (k[0], k[1], k[2] or None, k[2], k[3], k[4]))
        if current is not None:
            # SQLite read every rollup row of the touched (account, period) pairs: their
            # sum is the total before this post (totals = rollups summed, kept together)
            before: dict[tuple, list] = {k: [ZERO, ZERO] for k in totals}
            for k, (d, c) in current.items():
                pair = before.get(k[:2])  # the read spans accounts x periods: skip others
                if pair is not None:
                    pair[0] += d
                    pair[1] += c
            current = before
        _add(cur, AccountPeriodTotal._meta.db_table, _TOTAL_KEY, company_id, totals, now,
             lambda k: k, current=current)


def _add(cur, table: str, key_cols: tuple, company_id: int, sums: dict, now, values,
         current: dict | None = None) -> dict | None:
    """Upsert ``sums`` (key -> [debit, credit]); ``values(key)`` gives the row's columns
    between company_id and debit (``key_cols`` name the conflict key after company_id).
    On SQLite, returns the rows read before (``current`` given: read nothing)."""
    cols = ("created_at", "updated_at", "company_id", *_VALUE_COLS[table], "debit", "credit")
    conflict = ", ".join(("company_id", *key_cols))
    marks = "(" + ", ".join(["%s"] * len(cols)) + ")"
    if _sqlite():
        if current is None:
            current = _sqlite_sums(cur, table, key_cols, company_id, sums)
        enc = _Encoder()
        ts = enc.t(now)
        rows = []
        for k, (d, c) in sums.items():
            old = current.get(k)
            if old is not None:
                d, c = old[0] + d, old[1] + c
            rows.append((ts, ts, company_id, *values(k), enc.m(d), enc.m(c)))
        cur.executemany(
            f"INSERT INTO {table} ({', '.join(cols)}) VALUES {marks} ON CONFLICT "
            f"({conflict}) DO UPDATE SET debit = excluded.debit, credit = excluded.credit, "
            "updated_at = excluded.updated_at", rows)
        return current
    rows = [(now, now, company_id, *values(k), d, c) for k, (d, c) in sums.items()]
    for start in range(0, len(rows), 1000):
        chunk = rows[start:start + 1000]
        cur.execute(
            f"INSERT INTO {table} ({', '.join(cols)}) VALUES " + ", ".join([marks] * len(chunk))
            + f" ON CONFLICT ({conflict}) DO UPDATE SET debit = {table}.debit + "
            f"excluded.debit, credit = {table}.credit + excluded.credit, "
            "updated_at = excluded.updated_at", [v for row in chunk for v in row])
    return None


def _sqlite_sums(cur, table: str, key_cols: tuple, company_id: int,
                 sums) -> dict[tuple, tuple]:
    from cuadra.core.money import decode_sortable

    periods = sorted({k[1] for k in sums})
    accounts = sorted({k[0] for k in sums})
    out = {}
    for start in range(0, len(accounts), 500):
        chunk = accounts[start:start + 500]
        cur.execute(
            f"SELECT {', '.join(key_cols)}, debit, credit FROM {table} WHERE company_id = %s "
            f"AND period_id IN ({', '.join(['%s'] * len(periods))}) AND account_id IN "
            f"({', '.join(['%s'] * len(chunk))})", [company_id, *periods, *chunk])
        for *k, d, c in cur.fetchall():
            out[tuple(k)] = (decode_sortable(d), decode_sortable(c))
    return out


# --- audit ---------------------------------------------------------------------------------

_AUDIT_FIELDS = [f for f in AuditLog._meta.concrete_fields if not f.primary_key]


def audit_insert(*, action: str, actor, company_id: int, object_type: str, object_id,
                 operation: str, changes: dict) -> None:
    """The row ``core.audit.audit_record`` writes, as one plain INSERT: the instance is
    built the same way and each field prepares its own value (auto_now_add, JSON)."""
    ctx = context.current()
    row = AuditLog(actor=actor if getattr(actor, "pk", None) else None, company_id=company_id,
                   request_id=ctx.request_id, ip=ctx.ip, source=ctx.source, action=action,
                   operation=operation, object_type=object_type,
                   object_id=str(object_id or ""), changes=_jsonable(changes),
                   error_code="", message="")
    values = [f.get_db_prep_save(f.pre_save(row, add=True), connection) for f in _AUDIT_FIELDS]
    names = ", ".join(connection.ops.quote_name(f.column) for f in _AUDIT_FIELDS)
    with connection.cursor() as cur:
        cur.execute(f"INSERT INTO {AuditLog._meta.db_table} ({names}) VALUES "
                    f"({', '.join(['%s'] * len(values))})", values)
