"""The Documents registry at scale: page queries under filter combinations, and full
exports to CSV and XLSX, against a raw baseline.

    cuadra bench documents [--rows 1000000] [--companies 20] [--repeat 20]
                           [--skip-pages] [--skip-export] [--export-rows N]

Registry rows are written directly (not through sales: this measures the registry, not
invoicing), spread over companies BD01..NN, once; a second run reuses them. On
PostgreSQL one set-based ``INSERT ... SELECT ... FROM generate_series`` per 100,000 rows
(values derived from the row number, so every run loads the same data); on SQLite bulk
inserts. A user ``benchdocs`` holds the Owner role in every company, so pages and
exports span all of them, as a multi-company user sees them. Each company has two
custom fields (project: choice, budget: money) that some combinations filter on.

Pages: one page of 50 rows through ``documents_page`` (scope, view, filters, the
default columns, 51 rows read, a count capped at 10,000) per filter combination: median
and p95. Raw baseline: the same two SQL statements on a bare cursor. Summary: the exact
count and per-currency totals the page leaves out (``documents_summary``). A deep page
by OFFSET against the same rows by keyset cursor.

Exports: every row the user may export, default columns, to CSV (``csv_lines``, the
generator the web streams) and XLSX (``write_xlsx``, write-only workbook), and the raw
baseline (``COPY (SELECT ...) TO STDOUT CSV`` on PostgreSQL, a sqlite3 cursor into
``csv.writer`` on SQLite), each in a fresh process whose peak RSS (ru_maxrss) is
printed with rows per second. Prints figures; never asserts timings.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import functools
import io
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal

from django.db import connection

BATCH = 10_000
KINDS = [("SALES_INVOICE", "SALES_INVOICES", "INVOICE"),
         ("SALES_INVOICE", "SALES_INVOICES", "TAX_INVOICE"),
         ("SALES_INVOICE", "SALES_INVOICES", "RECEIPT_TAX_INVOICE"),
         ("SALES_CREDIT", "CREDIT_NOTES", "CREDIT_INVOICE"),
         ("SALES_ORDER", "SALES_ORDERS", "SALES_ORDER"),
         ("SALES_QUOTE", "SALES_QUOTES", "QUOTE")]
STATES = ["PAID", "PARTIAL", "UNPAID", ""]
TAGS = ["", ",vip,", ",norte,", ",vip,norte,", ",sur,"]
CUSTOMER_STATUS = ["ACTIVE", "ACTIVE", "ACTIVE", "ON_HOLD", "BLOCKED"]


def _setup(companies: int):
    from django.contrib.auth import get_user_model

    from cuadra.access import services as access
    from cuadra.access.models import Role
    from cuadra.tenancy import services as tenancy
    from cuadra.tenancy.models import Company, Organization

    User = get_user_model()
    user = User.objects.filter(username="benchdocs").first() or User.objects.create_user(
        username="benchdocs", password="benchdocs")
    org = (Organization.objects.filter(name="Bench docs").first()
           or tenancy.organization_create(name="Bench docs"))
    out = []
    for i in range(1, companies + 1):
        code = f"BD{i:02d}"
        company = Company.objects.filter(code=code).first() or tenancy.company_create(
            organization=org, code=code, name=f"Bench docs {i}")
        role = Role.objects.get(organization=org, key="owner")
        access.role_assign(company=company, user=user, role=role, actor=user)
        out.append(company)
    return user, out


def _custom_fields(companies, user) -> None:
    """Two custom fields per company the filters use: project (choice), budget (money)."""
    from cuadra.documents.custom_fields import custom_field_definition_create
    from cuadra.documents.models import CustomFieldDefinition

    for company in companies:
        have = set(CustomFieldDefinition.objects.filter(company=company)
                   .values_list("key", flat=True))
        if "project" not in have:
            custom_field_definition_create(company=company, actor=user, key="project",
                                           label="Proyecto", field_type="choice",
                                           choices=PROJECTS)
        if "budget" not in have:
            custom_field_definition_create(company=company, actor=user, key="budget",
                                           label="Presupuesto", field_type="money")


PROJECTS = ["alfa", "beta", "gamma", "delta"]

# One set-based statement per chunk: every value derives from the row number through
# hashint4extended (deterministic, so two runs load the same data).
PG_INSERT = """
WITH src AS (
  SELECT g,
    (1 + abs(hashint4extended(g, 1)) %% 6)::int AS ki,
    (abs(hashint4extended(g, 2)) %% 731)::int AS day,
    round((100 + abs(hashint4extended(g, 3)) %% 4999901)::numeric / 100, 2) AS amount,
    (1 + abs(hashint4extended(g, 4)) %% 4)::int AS si,
    (1 + abs(hashint4extended(g, 5)) %% 5000)::int AS party,
    (1 + abs(hashint4extended(g, 6)) %% 5)::int AS cs,
    (1 + abs(hashint4extended(g, 7)) %% 30)::int AS mgr,
    (1 + abs(hashint4extended(g, 8)) %% 5)::int AS ti,
    (1 + abs(hashint4extended(g, 9)) %% 5)::int AS st,
    (1 + abs(hashint4extended(g, 10)) %% 4)::int AS pj
  FROM generate_series(%(first)s, %(last)s) g),
typed AS (
  SELECT src.*,
    (%(types)s::text[])[ki] AS document_type, (%(paths)s::text[])[ki] AS path,
    (%(kinds)s::text[])[ki] AS kind,
    CASE WHEN ki <= 3 THEN (%(states)s::text[])[si] ELSE '' END AS payment_state
  FROM src)
INSERT INTO documents_documentrecord (
  created_at, updated_at, company_id, document_type, object_id, path, number, kind,
  document_date, document_created_at, party_type, party_id, party_code, party_name,
  customer_status, manager_id, manager_name, currency, amount, tax, paid_amount,
  payment_state, payment_result, status, notes, tags, folder, shared_with, custom)
SELECT now(), now(), (%(companies)s::bigint[])[1 + g %% %(ncompanies)s::int], document_type,
  %(base)s + g, path, 'N-' || (%(base)s + g), kind,
  date '2024-01-01' + day, now(), 'CLIENT', party, 'C' || lpad(party::text, 5, '0'),
  'Cliente ' || party, (%(customer_status)s::text[])[cs], mgr, 'Vendedor ' || mgr, 'USD',
  amount, round(amount * 0.07, 2),
  CASE payment_state WHEN 'PAID' THEN amount WHEN 'PARTIAL' THEN round(amount / 2, 2)
                     ELSE 0 END,
  payment_state, '', (%(statuses)s::text[])[st], '', (%(tags)s::text[])[ti], '', '',
  jsonb_build_object('project', (%(projects)s::text[])[pj], 'budget',
                     round(amount * 1.5, 2)::text)
FROM typed
"""
CHUNK_ROWS = 100_000
STATUSES = ["issued", "issued", "issued", "draft", "voided"]


def _load(companies, rows: int) -> int:
    from cuadra.documents.models import DocumentRecord

    ids = [c.pk for c in companies]
    have = DocumentRecord.objects.filter(company_id__in=ids).count()
    if have >= rows:
        return have
    start = time.perf_counter()
    if connection.vendor == "postgresql":
        _load_pg(ids, have, rows)
    else:
        _load_bulk(ids, rows - have)
    took = time.perf_counter() - start
    how = ("INSERT ... SELECT generate_series" if connection.vendor == "postgresql"
           else "bulk inserts")
    print(f"loaded {rows - have:,} registry rows in {took:.1f} s "
          f"({(rows - have) / took:,.0f} rows/s, {how})")
    return rows


def _load_pg(ids: list[int], have: int, rows: int) -> None:
    """Plain indexes are dropped for the load and rebuilt after it (a bulk load's usual
    order: building a GIN trigram index once is far cheaper than row by row); the
    constraint indexes stay."""
    params = {"types": [k[0] for k in KINDS], "paths": [k[1] for k in KINDS],
              "kinds": [k[2] for k in KINDS], "states": STATES, "companies": ids,
              "ncompanies": len(ids), "customer_status": CUSTOMER_STATUS,
              "statuses": STATUSES, "tags": TAGS, "projects": PROJECTS, "base": 2_000_000_000}
    with connection.cursor() as cursor:
        cursor.execute("""SELECT i.indexname, i.indexdef FROM pg_indexes i
                          WHERE i.tablename = 'documents_documentrecord' AND NOT EXISTS (
                            SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)""")
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        try:
            for first in range(have + 1, rows + 1, CHUNK_ROWS):
                last = min(first + CHUNK_ROWS - 1, rows)
                cursor.execute(PG_INSERT, {**params, "first": first, "last": last})
        finally:
            started = time.perf_counter()
            for _name, definition in indexes:
                cursor.execute(definition)
            # what autovacuum does after a bulk insert (PostgreSQL 13+ vacuums on
            # inserts too): statistics, and the visibility map that lets a page's
            # capped count be an index-only scan
            cursor.execute("VACUUM (ANALYZE) documents_documentrecord")
            print(f"rebuilt {len(indexes)} indexes and vacuumed/analysed in "
                  f"{time.perf_counter() - started:.1f} s")


def _load_bulk(ids: list[int], todo: int) -> None:
    from cuadra.documents.models import DocumentRecord

    rng = random.Random(42)
    day0 = dt.date(2024, 1, 1)
    next_id = (DocumentRecord.objects.order_by("-object_id")
               .values_list("object_id", flat=True).first() or 0) + 1_000_000_000
    while todo > 0:
        n = min(BATCH, todo)
        batch = []
        for j in range(n):
            document_type, path, kind = rng.choice(KINDS)
            amount = Decimal(rng.randint(100, 5_000_000)) / 100
            state = rng.choice(STATES) if document_type == "SALES_INVOICE" else ""
            paid = (amount if state == "PAID" else
                    (amount / 2).quantize(Decimal("0.01")) if state == "PARTIAL" else 0)
            oid = next_id + j
            batch.append(DocumentRecord(
                company_id=ids[oid % len(ids)], document_type=document_type,
                object_id=oid, path=path, kind=kind, number=f"N-{oid}",
                status=rng.choice(STATUSES),
                document_date=day0 + dt.timedelta(days=rng.randint(0, 730)),
                party_type="CLIENT", party_id=rng.randint(1, 5000),
                party_code=f"C{rng.randint(1, 5000):05d}",
                party_name=f"Cliente {rng.randint(1, 5000)}", currency="USD",
                amount=amount, tax=(amount * Decimal("0.07")).quantize(Decimal("0.01")),
                paid_amount=paid, payment_state=state,
                customer_status=rng.choice(CUSTOMER_STATUS), manager_id=rng.randint(1, 30),
                manager_name="Vendedor", tags=rng.choice(TAGS),
                custom={"project": rng.choice(PROJECTS),
                        "budget": str((amount * Decimal("1.5")).quantize(Decimal("0.01")))}))
        next_id += n
        DocumentRecord.objects.bulk_create(batch, batch_size=BATCH)
        todo -= n


COMBINATIONS = [
    ("no filter", {}),
    ("date range (1 month)", {"date_from": "2025-03-01", "date_to": "2025-03-31"}),
    ("amount range", {"amount_min": "1000", "amount_max": "2000"}),
    ("payment UNPAID", {"payment_state": "UNPAID"}),
    ("payment PAID+PARTIAL", {"payment_state": "PAID,PARTIAL"}),
    ("one company", {"company": "BD03"}),
    ("type TAX_INVOICE", {"kind": "TAX_INVOICE"}),
    ("tag vip", {"tags": "vip"}),
    ("customer ON_HOLD", {"customer_status": "ON_HOLD"}),
    ("manager 7", {"manager": "7"}),
    ("text 'Cliente 42'", {"q": "Cliente 42"}),
    ("text number N-2000012345", {"q": "N-2000012345"}),
    ("date+state+amount", {"date_from": "2025-01-01", "date_to": "2025-06-30",
                           "payment_state": "UNPAID", "amount_min": "500"}),
    ("cf.project=beta", {"cf.project": "beta"}),
    ("cf.budget 100..200", {"cf.budget.min": "100", "cf.budget.max": "200"}),
    ("company+state+cf", {"company": "BD05", "payment_state": "PAID",
                          "cf.project": "gamma"}),
]


def _p95(times: list[float]) -> float:
    times = sorted(times)
    return times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]


def _raw_ms(sql: str, params) -> float:
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        cursor.fetchall()
    return (time.perf_counter() - start) * 1000


def _page_sql(user, filters, columns) -> tuple[tuple[str, tuple], tuple[str, tuple]]:
    """The page's statement (51 rows) and the capped count's, for the raw baseline."""
    from cuadra.documents.filters import documents_query, values_fields
    from cuadra.documents.registry_selectors import COUNT_CAP

    qs = documents_query(user=user, view="everything", filters=filters)
    page = qs.values(*values_fields(columns), "document_date")[:51]
    count = qs.order_by().values("id")[:COUNT_CAP + 1]
    return (page.query.sql_with_params(),
            (f"SELECT COUNT(*) FROM ({count.query.sql_with_params()[0]}) t",
             count.query.sql_with_params()[1]))


def _timed(repeat: int, call) -> tuple[list[float], object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = call()
        times.append((time.perf_counter() - start) * 1000)
    return times, result


def _fresh_page(company, user, filters):
    from cuadra.documents.registry_selectors import documents_page

    user.__dict__.pop("_cuadra_grants", None)  # a fresh request each time
    return documents_page(company=company, user=user, view="everything", filters=filters,
                          offset=0, limit=50, with_count=False)


def _fresh_count(user, filters):
    from cuadra.documents.registry_selectors import documents_count

    user.__dict__.pop("_cuadra_grants", None)
    return documents_count(user=user, view="everything", filters=filters)


def _pages(user, company, repeat: int) -> None:
    from cuadra.documents.filters import DocumentFilters
    from cuadra.documents.registry_selectors import documents_summary

    print(f"\none page of 50 rows through documents_page as the web page and a GraphQL "
          f"client that shows no total ask for it (scope + filters + default columns + "
          f"limit 51; the count is its own request), {repeat} runs each; raw: the same "
          f"SQL on a bare cursor. count: documents_count, capped at 10,000 (the pager's "
          f"total, loaded after the rows). summary: exact count + totals per currency "
          f"over every match (asked apart), 3 runs")
    print(f"{'filters':<26} {'matches':>9} {'page med':>9} {'page p95':>9} {'raw med':>8} "
          f"{'raw p95':>8} {'count med':>10} {'count p95':>10} {'raw cnt':>8} "
          f"{'summary':>8}")
    for label, raw in COMBINATIONS:
        filters = DocumentFilters.parse(raw)

        page_call = functools.partial(_fresh_page, company, user, filters)
        count_call = functools.partial(_fresh_count, user, filters)
        times, page = _timed(repeat, page_call)
        count_times, found = _timed(repeat, count_call)
        page_sql, count_sql = _page_sql(user, filters, page.columns)
        raw_times = [_raw_ms(*page_sql) for _ in range(repeat)]
        raw_count = [_raw_ms(*count_sql) for _ in range(repeat)]
        summary_times, summary = _timed(3, functools.partial(
            documents_summary, user=user, view="everything", filters=filters))
        shown = ">10,000" if found.count_capped else f"{found.total_count:,}"
        print(f"{label:<26} {shown:>9} {statistics.median(times):>9.1f} "
              f"{_p95(times):>9.1f} {statistics.median(raw_times):>8.1f} "
              f"{_p95(raw_times):>8.1f} {statistics.median(count_times):>10.1f} "
              f"{_p95(count_times):>10.1f} {statistics.median(raw_count):>8.1f} "
              f"{statistics.median(summary_times):>8.1f}  (exact {summary.total_count:,})")


def _deep_pages(user, company, repeat: int, depth: int) -> None:
    """Page ``depth/50`` by OFFSET, and the same rows by keyset cursor."""
    from cuadra.documents.filters import DocumentFilters
    from cuadra.documents.registry_selectors import documents_page, keyset_cursor

    filters = DocumentFilters()
    before = documents_page(company=company, user=user, view="everything",
                            filters=filters, offset=depth - 50, limit=50)
    cursor_row = {"id": before.rows[-1].id,
                  "document_date": next(c for c, col in zip(before.rows[-1].cells,
                                                            before.columns, strict=True)
                                        if col.key == "date") or None}
    cursor = keyset_cursor(cursor_row)
    results = {}
    for label, kwargs in ((f"offset {depth:,}", {"offset": depth}),
                          ("keyset after cursor", {"after": cursor})):
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            page = documents_page(company=company, user=user, view="everything",
                                  filters=filters, limit=50, **kwargs)
            times.append((time.perf_counter() - start) * 1000)
        results[label] = [r.id for r in page.rows]
        print(f"{label:<26} {'':>9} {statistics.median(times):>10.1f} {_p95(times):>8.1f}")
    same = len(set(map(tuple, results.values()))) == 1
    print(f"(offset and keyset pages hold the same rows: {same})")


EXPORT_KINDS = ("csv", "xlsx", "raw")


def _exports(limit: int | None, runs_in: str, xlsx_limit: int | None = None) -> None:
    """Each export in its own process, so its peak RSS is its own."""
    print("\nfull export of every row the user may export, default columns; each in a "
          "fresh process (peak RSS = ru_maxrss of that process; 'start' = after Django "
          "setup, before the export)")
    print(f"{'export':<22} {'rows':>10} {'seconds':>8} {'rows/s':>10} {'MB written':>10} "
          f"{'start RSS':>10} {'peak RSS':>9}")
    for kind in EXPORT_KINDS:
        argv = [sys.executable, "-c", "import sys; from cuadra.cli import main; main(sys.argv)",
                "bench", "documents", "--export-child", kind, "--export-rows",
                str((xlsx_limit if kind == "xlsx" and xlsx_limit else limit) or 0)]
        done = subprocess.run(argv, capture_output=True, text=True, check=False, cwd=runs_in)
        line = [x for x in done.stdout.splitlines() if x.startswith("{")]
        if done.returncode or not line:
            print(f"{kind}: failed\n{done.stdout[-2000:]}{done.stderr[-4000:]}")
            continue
        r = json.loads(line[-1])
        print(f"{r['label']:<22} {r['rows']:>10,} {r['seconds']:>8.1f} "
              f"{r['rows'] / r['seconds']:>10,.0f} {r['bytes'] / 2**20:>10.1f} "
              f"{r['rss_start_mb']:>10.0f} {r['rss_peak_mb']:>9.0f}")


def _rss_mb() -> float:
    """Current RSS (Linux /proc), in MB."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 2**20


def _export_child(kind: str, limit: int | None) -> None:
    from django.contrib.auth import get_user_model

    from cuadra.documents.exports import csv_lines, export_plan, write_xlsx
    from cuadra.documents.filters import DocumentFilters
    from cuadra.tenancy.models import Company

    user = get_user_model().objects.get(username="benchdocs")
    company = Company.objects.get(code="BD01")
    plan = export_plan(company=company, user=user, view="everything",
                       filters=DocumentFilters())
    if limit:
        plan.queryset = plan.queryset[:limit]
    rss_start = _rss_mb()
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        if kind == "csv":
            label, rows = "CSV (csv_lines)", -1
            for line in csv_lines(plan):
                out.write(line.encode())
                rows += 1
        elif kind == "xlsx":
            label, rows = "XLSX (write_only)", write_xlsx(plan, out)
        else:
            label, rows = "raw baseline (COPY)", _raw_export(plan, out)
        out.flush()
        size = out.tell()
    took = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"label": label, "rows": rows, "seconds": took, "bytes": size,
                      "rss_start_mb": rss_start, "rss_peak_mb": peak}))


def _raw_export(plan, out) -> int:
    """The same rows and columns, raw: COPY on PostgreSQL, sqlite3 cursor + csv.writer
    on SQLite."""
    from cuadra.documents.filters import values_fields

    qs = plan.queryset.values(*values_fields(plan.columns))
    sql, params = qs.query.sql_with_params()
    count = 0
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            raw = cursor.connection.cursor()
            literal = raw.mogrify(sql, params)
            with raw.copy(f"COPY ({literal}) TO STDOUT WITH CSV") as copy:
                for block in copy:
                    data = bytes(block)
                    count += data.count(b"\n")
                    out.write(data)
        return count
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    writer = csv.writer(text)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(2000):
            writer.writerows(chunk)
            count += len(chunk)
    text.detach()
    return count


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="cuadra bench documents")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--companies", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=20, help="runs per filter combination")
    parser.add_argument("--skip-export", action="store_true")
    parser.add_argument("--skip-pages", action="store_true")
    parser.add_argument("--export-rows", type=int, default=0,
                        help="export only the first N rows (0: all)")
    parser.add_argument("--xlsx-rows", type=int, default=0,
                        help="export only the first N rows to XLSX (0: as --export-rows)")
    parser.add_argument("--export-child", choices=EXPORT_KINDS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.export_child:
        _export_child(args.export_child, args.export_rows or None)
        return 0
    print(f"database: {connection.vendor} {connection.settings_dict.get('NAME')}")
    user, companies = _setup(args.companies)
    _custom_fields(companies, user)
    total = _load(companies, args.rows)
    print(f"registry rows in BD01..BD{args.companies:02d}: {total:,}")
    if not args.skip_pages:
        _pages(user, companies[0], args.repeat)
        _deep_pages(user, companies[0], args.repeat, depth=min(20_000, total // 2))
    if not args.skip_export:
        _exports(args.export_rows or None, os.getcwd(), args.xlsx_rows or None)
    return 0
