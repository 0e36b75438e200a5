"""Posting, reports and verification of the books, against raw-SQL baselines.

    cuadra bench ledger [--entries N] [--single N] [--batch B] [--lines L] [--only P,...]
                        [--peer tryton [--tryton-python PATH] [--peer-n N] [--peer-batch B]]

Runs against DATABASE_URL (migrated; ``cuadra init``). Figures (issue 4, "Performance"):

* post: ``--entries`` entries of 3 lines (receivable / revenue / ITBMS 7 %) through
  ``journal_entries_post`` in batches of ``--batch``, and ``--single`` entries one by one
  through ``journal_entry_post`` (one transaction each), into company BENCHLEDGER (reused;
  every run adds to it);
* raw: the same rows inserted into two plain tables (entries + lines, an index on the
  lines' entry id, no checks): in bulk (``executemany`` on SQLite, ``COPY`` on PostgreSQL,
  one transaction per batch) and one transaction per entry;
* tb: the trial balance (``trial_balance_report``, which ``trial_balance_get`` wraps) for a
  year, the same for one branch, and the balance sheet at year end, over ``--lines``
  posted lines (company BENCHBOOKS: every postable account of the chart, ~100, four
  branches, cost centres on income and expense lines, a few projects, dates over the
  year; built once through ``journal_entries_post`` and reused); a full scan of the same
  lines through the ORM (exact DecimalSum), and a raw ``GROUP BY`` over as many rows in
  the plain table;
* verify: ``ledger_verify`` over BENCHLEDGER's chain;
* peer (``--peer tryton``, optional): the Tryton peer benchmark
  (/work/shared/peers/tryton_bench.py, run by its own venv, by default
  /tmp/peers/.venv-tryton) as a subprocess on the same backend as DATABASE_URL, with a
  small N; its invoices/s and trial-balance time are printed next to ours with the ratio.
  Not like for like: a Tryton invoice (document, 3 lines, taxes computed, a 5-line move
  posted) does more than one of our 3-line journal entries. Peer code and venv live
  outside the repository; when they are missing the install steps are printed instead.

Timings are printed, never asserted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from decimal import ROUND_HALF_EVEN, Decimal

from django.db import connection, transaction

sys.path.insert(0, os.path.dirname(__file__))
import _tryton  # bench/ is not a package: its modules load by path

YEAR = 2025
ACCOUNT_CODES = ("110201", "4101", "210201")  # receivable, revenue, ITBMS payable
RAW_ENTRY = "bench_raw_entry"
RAW_LINE = "bench_raw_line"
CENT = Decimal("0.01")


# --- data ----------------------------------------------------------------------------------

def _company(code: str):
    from cuadra.tenancy import services as tenancy
    from cuadra.tenancy.models import Company, Organization

    company = Company.objects.filter(code=code).first()
    if company is None:
        org = (Organization.objects.filter(name="Bench").first()
               or tenancy.organization_create(name="Bench"))
        company = tenancy.company_create(organization=org, code=code,
                                         name=f"{code.title()}, S.A.")
    return company


def _accounts(company) -> tuple[int, int, int]:
    from cuadra.ledger.models import Account

    by_code = dict(Account.objects.filter(company=company, code__in=ACCOUNT_CODES)
                   .values_list("code", "pk"))
    return tuple(by_code[c] for c in ACCOUNT_CODES)


def _amounts(i: int) -> tuple[Decimal, Decimal, Decimal]:
    net = Decimal(100 + (i * 37) % 9_900) + Decimal(i % 100) / 100
    tax = (net * Decimal("0.07")).quantize(CENT, rounding=ROUND_HALF_EVEN)
    return net + tax, net, tax


def _date(i: int, n: int) -> dt.date:
    return dt.date(YEAR, 1, 1) + dt.timedelta(days=i * 365 // max(n, 1))


def _entry(i: int, n: int, accounts) -> dict:
    total, net, tax = _amounts(i)
    rec, rev, itbms = accounts
    return {"journal": "VEN", "date": _date(i, n), "reference": f"FAC-{i}",
            "lines": [{"account": rec, "debit": total}, {"account": rev, "credit": net},
                      {"account": itbms, "credit": tax}]}


# --- ours ----------------------------------------------------------------------------------

def post_batches(company, n: int, batch: int) -> float:
    from cuadra.ledger.services import journal_entries_post

    accounts = _accounts(company)
    began = time.perf_counter()
    for start in range(0, n, batch):
        entries = [_entry(i, n, accounts) for i in range(start, min(n, start + batch))]
        journal_entries_post(company=company, actor=None, entries=entries)
    return time.perf_counter() - began


def post_single(company, n: int) -> float:
    from cuadra.ledger.services import journal_entry_post

    accounts = _accounts(company)
    began = time.perf_counter()
    for i in range(n):
        journal_entry_post(company=company, actor=None, **_entry(i, n, accounts))
    return time.perf_counter() - began


# --- raw baselines -------------------------------------------------------------------------

def _raw_tables() -> None:
    money = "TEXT" if connection.vendor == "sqlite" else "NUMERIC(50,25)"
    with connection.cursor() as cur:
        cur.execute(f"DROP TABLE IF EXISTS {RAW_LINE}")
        cur.execute(f"DROP TABLE IF EXISTS {RAW_ENTRY}")
        cur.execute(f"CREATE TABLE {RAW_ENTRY} (id BIGINT PRIMARY KEY, company_id BIGINT, "
                    "date DATE, number VARCHAR(64), reference VARCHAR(100))")
        cur.execute(f"CREATE TABLE {RAW_LINE} (id BIGINT PRIMARY KEY, entry_id BIGINT, "
                    f"line_no INTEGER, account_id BIGINT, debit {money}, credit {money})")
        cur.execute(f"CREATE INDEX {RAW_LINE}_entry ON {RAW_LINE} (entry_id)")


def _raw_rows(first: int, count: int, n: int, accounts):
    """(entries, lines) rows for entries first..first+count-1, ids given here."""
    entries, lines = [], []
    for i in range(first, first + count):
        total, net, tax = _amounts(i)
        entries.append((i + 1, 0, _date(i % n, n), f"R-{i + 1:09d}", f"FAC-{i}"))
        for no, (account, d, c) in enumerate(((accounts[0], total, 0), (accounts[1], 0, net),
                                              (accounts[2], 0, tax)), start=1):
            lines.append((3 * i + no, i + 1, no, account, str(d), str(c)))
    return entries, lines


def _raw_insert(cur, entries, lines) -> None:
    if connection.vendor == "postgresql":
        with cur.cursor.copy(f"COPY {RAW_ENTRY} FROM STDIN") as copy:
            for row in entries:
                copy.write_row(row)
        with cur.cursor.copy(f"COPY {RAW_LINE} FROM STDIN") as copy:
            for row in lines:
                copy.write_row(row)
    else:
        cur.executemany(f"INSERT INTO {RAW_ENTRY} VALUES (%s, %s, %s, %s, %s)", entries)
        cur.executemany(f"INSERT INTO {RAW_LINE} VALUES (%s, %s, %s, %s, %s, %s)", lines)


def raw_bulk(n: int, batch: int, accounts, first: int = 0) -> float:
    """Rows generated per batch inside the timing, as ours are."""
    began = time.perf_counter()
    for start in range(first, first + n, batch):
        entries, lines = _raw_rows(start, min(batch, first + n - start), n, accounts)
        with transaction.atomic(), connection.cursor() as cur:
            _raw_insert(cur, entries, lines)
    return time.perf_counter() - began


def raw_single(n: int, accounts, first: int) -> float:
    began = time.perf_counter()
    with connection.cursor() as cur:
        for i in range(first, first + n):
            entries, lines = _raw_rows(i, 1, n, accounts)
            with transaction.atomic():
                cur.execute(f"INSERT INTO {RAW_ENTRY} VALUES (%s, %s, %s, %s, %s)", entries[0])
                cur.executemany(f"INSERT INTO {RAW_LINE} VALUES (%s, %s, %s, %s, %s, %s)",
                                lines)
    return time.perf_counter() - began


def raw_group_by() -> tuple[float, int]:
    cast = "CAST(debit AS REAL)" if connection.vendor == "sqlite" else "debit"
    cast_c = cast.replace("debit", "credit")
    sql = (f"SELECT account_id, SUM({cast}), SUM({cast_c}) FROM {RAW_LINE} "
           "GROUP BY account_id")
    return _timed(lambda: _fetch(sql))


def _fetch(sql: str) -> int:
    with connection.cursor() as cur:
        cur.execute(sql)
        return len(cur.fetchall())


def _raw_count() -> int:
    with connection.cursor() as cur:
        cur.execute(f"SELECT COUNT(*) FROM {RAW_LINE}")
        return cur.fetchone()[0]


# --- reports and verify --------------------------------------------------------------------

def _timed(fn, repeat: int = 5) -> tuple[float, object]:
    result = fn()  # warm caches
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - began)
    return statistics.median(times), result


TB_COMPANY = "BENCHBOOKS"
TB_BRANCHES = ("0000", "0001", "0002", "0003")
TB_COST_CENTERS = ("ADM", "VEN", "OPS", "LOG")
TB_PROJECTS = ("", "", "", "P-NORTE", "P-SUR")


def _tb_setup(company) -> tuple[list[int], list[int], list[int]]:
    """(postable account ids, the income/expense ones among them, branch ids): every
    postable account of the chart (~100) and four branches."""
    from cuadra.ledger.enums import AccountType
    from cuadra.ledger.models import Account
    from cuadra.tenancy import services as tenancy
    from cuadra.tenancy.models import Branch

    have = set(Branch.objects.filter(company=company).values_list("code", flat=True))
    for code in TB_BRANCHES:
        if code not in have:
            tenancy.branch_create(company=company, code=code, name=f"Sucursal {code}")
    accounts = list(Account.objects.filter(company=company, is_group=False, is_active=True,
                                           currency="").order_by("code")
                    .values_list("pk", "type"))
    results = {AccountType.INCOME, AccountType.EXPENSE}
    branches = list(Branch.objects.filter(company=company, code__in=TB_BRANCHES)
                    .order_by("code").values_list("pk", flat=True))
    return [a for a, _ in accounts], [a for a, t in accounts if t in results], branches


def _tb_entry(i: int, n: int, accounts: list[int], results: set[int],
              branches: list[int]) -> dict:
    """A 3-line entry spread over the chart, the year, four branches, four cost centres
    (on income and expense lines) and a few projects."""
    total, net, tax = _amounts(i)
    k = len(accounts)
    picked = (accounts[(i * 7) % k], accounts[(i * 13 + 5) % k], accounts[(i * 31 + 11) % k])
    branch = branches[i % len(branches)]
    project = TB_PROJECTS[i % len(TB_PROJECTS)]
    lines = []
    for j, (account, side, amount) in enumerate(zip(picked, ("debit", "credit", "credit"),
                                                    (total, net, tax), strict=True)):
        lines.append({"account": account, side: amount, "branch": branch, "project": project,
                      "cost_center": TB_COST_CENTERS[(i + j) % len(TB_COST_CENTERS)]
                      if account in results else ""})
    return {"journal": "GEN", "date": _date(i, n), "reference": f"BK-{i}", "lines": lines}


def tb_company(lines: int, batch: int):
    """BENCHBOOKS with at least ``lines`` posted lines (3 per entry) over a year, built
    once through ``journal_entries_post`` and reused."""
    from cuadra.ledger.models import AccountBalance, JournalLine
    from cuadra.ledger.services import journal_entries_post

    company = _company(TB_COMPANY)
    accounts, results, branches = _tb_setup(company)
    results = set(results)
    have = JournalLine.objects.filter(company=company).count()
    missing = max(0, (lines - have + 2) // 3)
    if missing:
        print(f"building {TB_COMPANY}: posting {missing:,} entries ({have:,} lines there; "
              f"{len(accounts)} accounts, {len(branches)} branches, cost centres, projects)",
              flush=True)
        first = have // 3
        total = first + missing
        began = time.perf_counter()
        for start in range(first, total, batch):
            journal_entries_post(company=company, actor=None, entries=[
                _tb_entry(i, total, accounts, results, branches)
                for i in range(start, min(total, start + batch))])
        print(f"  built in {time.perf_counter() - began:.1f} s", flush=True)
    rollups = AccountBalance.objects.filter(company=company).count()
    return company, JournalLine.objects.filter(company=company).count(), rollups


def trial_balance(company):
    from cuadra.ledger.reports import trial_balance_report

    return trial_balance_report(company=company, date_from=dt.date(YEAR, 1, 1),
                                date_to=dt.date(YEAR, 12, 31))


def trial_balance_by_branch(company):
    from cuadra.ledger.reports import trial_balance_report

    return trial_balance_report(company=company, date_from=dt.date(YEAR, 1, 1),
                                date_to=dt.date(YEAR, 12, 31), branch=TB_BRANCHES[1])


def balance_sheet(company):
    from cuadra.ledger.reports import balance_sheet_get

    return balance_sheet_get(company=company, as_of=dt.date(YEAR, 12, 31))


def orm_scan(company) -> int:
    from cuadra.core.money import DecimalSum
    from cuadra.ledger.models import JournalLine

    return len(list(JournalLine.objects.filter(
        company=company, entry__date__gte=dt.date(YEAR, 1, 1),
        entry__date__lte=dt.date(YEAR, 12, 31)).values("account_id")
        .annotate(d=DecimalSum("debit"), c=DecimalSum("credit")).order_by()))


def verify(company) -> tuple[float, int, bool]:
    from cuadra.ledger.selectors import ledger_verify

    began = time.perf_counter()
    result = ledger_verify(company=company)
    return time.perf_counter() - began, result.entries, result.ok


# --- report --------------------------------------------------------------------------------

def _row(label: str, count: float, seconds: float, unit: str, extra: str = "") -> None:
    rate = count / seconds if seconds else float("inf")
    print(f"  {label:<48} {count:>10,.0f} {unit:<8} {seconds:>9.3f} s "
          f"{rate:>12,.0f} {unit}/s  {extra}", flush=True)


def _ratio(ours: float, base: float, target: float) -> str:
    ratio = ours / base if base else 0.0
    verdict = "meets" if ratio >= target else "BELOW"
    return f"{ratio:6.1%} of baseline (target >= {target:.0%}: {verdict})"


def _posting(args, accounts_for_raw) -> dict:
    company = _company("BENCHLEDGER")
    n, single = args.entries, args.single
    print(f"posting into {company.code} ({connection.vendor})", flush=True)
    t_batch = post_batches(company, n, args.batch)
    _row(f"journal_entries_post, batches of {args.batch}", n, t_batch, "entries")
    t_single = post_single(company, single)
    _row("journal_entry_post, one per transaction", single, t_single, "entries")
    _raw_tables()
    t_raw_bulk = raw_bulk(n, args.batch, accounts_for_raw)
    _row("raw bulk (" + ("COPY" if connection.vendor == "postgresql" else "executemany")
         + ")", n, t_raw_bulk, "entries")
    t_raw_single = raw_single(single, accounts_for_raw, first=n)
    _row("raw, one transaction per entry", single, t_raw_single, "entries")
    print("  rows/s (entry + 3 lines = 4 rows per entry):")
    rows = 4
    ours_bulk, base_bulk = rows * n / t_batch, rows * n / t_raw_bulk
    ours_one, base_one = single / t_single, single / t_raw_single
    print(f"    batch   {ours_bulk:>12,.0f} vs raw bulk {base_bulk:>12,.0f}: "
          f"{_ratio(ours_bulk, base_bulk, 0.25)}")
    print(f"    single  {ours_one:>12,.0f} vs raw 1/txn {base_one:>12,.0f} entries/s: "
          f"{_ratio(ours_one, base_one, 0.5)}", flush=True)
    return {"batch_per_s": n / t_batch, "single_per_s": single / t_single}


def _reports(args, accounts_for_raw) -> dict:
    company, count, rollups = tb_company(args.lines, args.batch)
    print(f"reports over {count:,} posted lines of {company.code} ({rollups:,} rollup rows)",
          flush=True)
    t_tb, tb = _timed(lambda: trial_balance(company))
    balanced = tb.total_debit == tb.total_credit
    _row("trial balance, a year (trial_balance_report)", len(tb.lines), t_tb, "rows",
         f"(debit = credit: {balanced}; target < 50 ms)")
    t_tbb, tbb = _timed(lambda: trial_balance_by_branch(company))
    _row(f"trial balance, a year, branch {TB_BRANCHES[1]}", len(tbb.lines), t_tbb, "rows")
    t_bs, bs = _timed(lambda: balance_sheet(company))
    _row("balance sheet at year end (balance_sheet_get)",
         sum(len(sec.lines) for sec in bs.sections), t_bs, "rows",
         f"(balanced: {bs.balanced}; target < 50 ms)")
    t_scan, groups = _timed(lambda: orm_scan(company), repeat=1)
    _row("full scan of the lines, DecimalSum GROUP BY", groups, t_scan, "accounts")
    if _table_exists(RAW_LINE) is False:
        _raw_tables()
    have = _raw_count()
    if have < count:
        entries = (count - have + 2) // 3
        raw_bulk(entries, 10_000, accounts_for_raw, first=have // 3)
    t_raw, groups = raw_group_by()
    _row(f"raw GROUP BY account over {_raw_count():,} plain rows", groups, t_raw, "accounts")
    print(f"    trial balance: {t_tb * 1000:.1f} ms, balance sheet {t_bs * 1000:.1f} ms; raw "
          f"GROUP BY {t_raw * 1000:.1f} ms (the rollups answer "
          f"{t_raw / max(t_tb, t_bs):.1f}x faster)", flush=True)
    return {"tb_s": t_tb, "tb_lines": count}


def _table_exists(name: str) -> bool:
    return name in connection.introspection.table_names()


def _verify() -> None:
    company = _company("BENCHLEDGER")
    took, entries, ok = verify(company)
    _row(f"ledger_verify {company.code} (ok={ok})", entries, took, "entries",
         "(target >= 20,000 entries/s)")


# --- peer: Tryton (optional; code and venv outside the repository) ----------------------

def _peer(args, ours: dict) -> None:
    r = _tryton.run(args)
    if r is None:
        return
    steady = r.get("steady_per_s")
    _peer_line("invoices/s overall (incl. 1st batch)", r["invoices_per_s"],
               ours.get("batch_per_s"), f"ours: journal_entries_post, batches of {args.batch}")
    _peer_line("invoices/s steady (without 1st batch)", steady,
               ours.get("batch_per_s"), f"ours: journal_entries_post, batches of {args.batch}")
    _peer_line("invoices/s vs ours one per transaction", steady,
               ours.get("single_per_s"), "ours: journal_entry_post, one per transaction")
    tb_ours = ours.get("tb_s")
    print(f"  {'trial balance (s)':<40} tryton {r['trial_balance_s']:>9.3f}   ours "
          + (f"{tb_ours:>9.4f}" if tb_ours else "      n/a")
          + f"   {_tryton.versus(tb_ours, r['trial_balance_s'], higher_better=False)}"
          f"  (tryton over {r['tb_line_count']:,} lines, one call; ours over "
          f"{ours.get('tb_lines', 0):,} lines, median of 5)", flush=True)
    print("  not like for like: a Tryton invoice is a document with 3 lines, taxes computed "
          "and a 5-line move posted; ours is a 3-line journal entry", flush=True)


def _peer_line(label: str, theirs: float | None, ours: float | None, what: str) -> None:
    t = f"{theirs:>9.1f}" if theirs else "      n/a"
    o = f"{ours:>9.1f}" if ours else "      n/a"
    print(f"  {label:<40} tryton {t}   ours {o}   "
          f"{_tryton.versus(ours, theirs)}  ({what})", flush=True)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="cuadra bench ledger")
    parser.add_argument("--entries", type=int, default=100_000,
                        help="entries posted in batches (default 100,000)")
    parser.add_argument("--single", type=int, default=10_000,
                        help="entries posted one by one (default 10,000)")
    parser.add_argument("--batch", type=int, default=1_000)
    parser.add_argument("--lines", type=int, default=1_000_000,
                        help="posted lines the report figures run over (default 1,000,000)")
    parser.add_argument("--only", default="post,tb,verify",
                        help="comma-separated parts: post, tb, verify")
    _tryton.add_arguments(parser)
    args = parser.parse_args(argv)
    parts = set(args.only.split(","))
    from django.conf import settings

    if settings.DEBUG:  # DEBUG logs every query: time what production runs
        settings.DEBUG = False
        print("(DEBUG query logging switched off for the run, as in production)")
    accounts_for_raw = (1, 2, 3)
    print(f"cuadra bench ledger on {connection.vendor} "
          f"({connection.settings_dict.get('NAME')})", flush=True)
    ours: dict = {}
    try:
        if "post" in parts:
            ours.update(_posting(args, accounts_for_raw))
        if "tb" in parts:
            ours.update(_reports(args, accounts_for_raw))
        if "verify" in parts:
            _verify()
    finally:
        if _table_exists(RAW_LINE):
            with connection.cursor() as cur:
                cur.execute(f"DROP TABLE {RAW_LINE}")
                cur.execute(f"DROP TABLE {RAW_ENTRY}")
    if args.peer == "tryton":
        # after ours, so the two never compete for the CPU
        _peer(args, ours)
    return 0
