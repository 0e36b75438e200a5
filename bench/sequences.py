"""Legal numbers per second through ``sequence_next``, against a raw-SQL counter.

    cuadra bench sequences [--numbers N] [--writers 1,4,16]

Scenarios, each number in its own transaction, W concurrent writers (threads, one
connection each):

* one series: every writer issues from the same (company, INVOICE, period) counter row;
* 16 series: writer i issues from branch series i % 16 (16 separate counter rows).

Baseline, same process and thread counts: ``UPDATE counter SET v = v + 1 WHERE id = %s
RETURNING v`` in its own transaction, on a one-row-per-series table. PostgreSQL temporary
tables are private to one session, so threads could not share one: the baseline uses an
ordinary table created for the run and dropped after it.

Runs against DATABASE_URL (migrated; `cuadra init`). It creates company BENCH with 16
branches and series once, and adds issued numbers to it on every run.
"""

from __future__ import annotations

import argparse
import multiprocessing
import threading
import time

from django.db import connection, connections, transaction

SERIES = 16
BASELINE_TABLE = "bench_sequence_counter"


def _company():
    from cuadra.sequences.models import AutoSequence
    from cuadra.tenancy import services as tenancy
    from cuadra.tenancy.models import Branch, Company, Organization

    company = Company.objects.filter(code="BENCH").first()
    if company is None:
        org = (Organization.objects.filter(name="Bench").first()
               or tenancy.organization_create(name="Bench"))
        company = tenancy.company_create(organization=org, code="BENCH", name="Bench, S.A.")
    for i in range(1, SERIES + 1):
        code = f"B{i:03d}"
        if not Branch.objects.filter(company=company, code=code).exists():
            tenancy.branch_create(company=company, code=code, name=f"Bench {i}")
        if not AutoSequence.objects.filter(company=company, document_type="INVOICE",
                                           branch_code=code).exists():
            from cuadra.sequences import services

            services.auto_sequence_create(company=company, actor=None,
                                          document_type="INVOICE",
                                          prefix=f"FAC-{{YYYY}}-{code}-", branch_code=code)
    return company


def _run(writers: int, total: int, work) -> float:
    """Numbers per second for ``total`` calls of ``work(i)`` spread over ``writers``."""
    per_writer = max(1, total // writers)
    start = threading.Barrier(writers + 1)
    errors: list[BaseException] = []

    def writer(i):
        try:
            work(i)  # warm the connection before timing
            start.wait()
            for _ in range(per_writer):
                work(i)
        except BaseException as exc:
            errors.append(exc)
            start.abort()
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(writers)]
    for t in threads:
        t.start()
    start.wait()
    began = time.perf_counter()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - began
    if errors:
        raise errors[0]
    return per_writer * writers / elapsed


def _run_processes(writers: int, total: int, work) -> float:
    """Like ``_run`` with one forked process per writer: no GIL between writers, so the
    figure is the database's, not the Python client's."""
    per_writer = max(1, total // writers)
    ctx = multiprocessing.get_context("fork")
    start = ctx.Barrier(writers + 1)
    connections.close_all()  # a forked child must open its own connection

    def writer(i):
        work(i)
        start.wait()
        for _ in range(per_writer):
            work(i)
        connection.close()

    procs = [ctx.Process(target=writer, args=(i,)) for i in range(writers)]
    for p in procs:
        p.start()
    start.wait()
    began = time.perf_counter()
    for p in procs:
        p.join()
    elapsed = time.perf_counter() - began
    if any(p.exitcode for p in procs):
        raise RuntimeError("a benchmark writer process failed")
    return per_writer * writers / elapsed


def _cuadra_work(company, today, spread: bool):
    from cuadra.sequences.services import sequence_next

    def work(i):
        branch = f"B{i % SERIES + 1:03d}" if spread else None
        with transaction.atomic():
            sequence_next(company=company, document_type="INVOICE", branch=branch, date=today)
    return work


def _baseline_work(spread: bool):
    def work(i):
        key = i % SERIES if spread else 0
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"UPDATE {BASELINE_TABLE} SET v = v + 1 WHERE id = %s RETURNING v",
                           [key])
            cursor.fetchone()
    return work


def _baseline_table(create: bool) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {BASELINE_TABLE}")
        if create:
            cursor.execute(f"CREATE TABLE {BASELINE_TABLE} (id integer PRIMARY KEY, "
                           "v bigint NOT NULL)")
            cursor.execute(f"INSERT INTO {BASELINE_TABLE} (id, v) "
                           + " UNION ALL ".join(f"SELECT {i}, 0" for i in range(SERIES)))
    connection.close()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="cuadra bench sequences")
    parser.add_argument("--numbers", type=int, default=2000,
                        help="numbers per scenario (default 2000)")
    parser.add_argument("--writers", default="1,4,16", help="comma-separated thread counts")
    parser.add_argument("--scenario", choices=["one", "spread", "both"], default="both",
                        help="one series, 16 series, or both (default)")
    parser.add_argument("--processes", action="store_true",
                        help="one process per writer instead of threads (PostgreSQL)")
    args = parser.parse_args(argv)
    writer_counts = [int(w) for w in args.writers.split(",")]

    from cuadra.sequences.models import IssuedNumber, SequenceCounter
    from cuadra.sequences.selectors import company_today

    vendor = connection.vendor
    print(f"database: {vendor} {connection.settings_dict.get('NAME')}")
    if vendor != "postgresql":
        print("note: SQLite takes one database-wide write lock per transaction, so separate "
              "series cannot run in parallel there; figures are for orientation only.")
    company = _company()
    today = company_today(company=company)
    issued_before = IssuedNumber.objects.filter(company=company).count()
    run = _run_processes if args.processes else _run
    print(f"writers are {'processes' if args.processes else 'threads of this process'}; "
          f"{args.numbers} numbers per scenario, each in its own transaction")
    _baseline_table(create=True)
    rows = []
    try:
        scenarios = [("one series", False), (f"{SERIES} series", True)]
        scenarios = [s for s in scenarios
                     if args.scenario == "both" or s[1] == (args.scenario == "spread")]
        for label, spread in scenarios:
            for writers in writer_counts:
                ours = run(writers, args.numbers, _cuadra_work(company, today, spread))
                raw = run(writers, args.numbers, _baseline_work(spread))
                rows.append((label, writers, ours, raw))
    finally:
        _baseline_table(create=False)

    print(f"{'scenario':<12} {'writers':>7} {'sequence_next/s':>16} {'raw UPDATE/s':>13} "
          f"{'ratio':>6}")
    for label, writers, ours, raw in rows:
        print(f"{label:<12} {writers:>7} {ours:>16.0f} {raw:>13.0f} {ours / raw:>6.2f}")
    issued = IssuedNumber.objects.filter(company=company).count() - issued_before
    counted = sum(SequenceCounter.objects.filter(company=company)
                  .values_list("last_value", flat=True))
    total_issued = IssuedNumber.objects.filter(company=company).count()
    print(f"issued this run: {issued}; all counters of BENCH sum to {counted}, issued rows "
          f"{total_issued} ({'gapless' if counted == total_issued else 'MISMATCH'})")
    return 0
