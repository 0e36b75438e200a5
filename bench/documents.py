"""The Documents registry at scale: page queries under filter combinations, and full
exports to CSV and XLSX, against a raw baseline.

    cuadra bench documents [--rows 1000000] [--companies 20] [--repeat 20]
                           [--skip-export] [--export-rows N]

Registry rows are written directly with bulk inserts (not through sales: this measures
the registry, not invoicing), spread over BENCHDOC01..NN companies, once; a second run
reuses them. A user ``benchdocs`` holds the Owner role in every one of them, so pages
and exports span all companies, as a multi-company user sees them.

Pages: one page of 50 rows, through ``documents_page`` (scope, view, filters, the
columns of the default configuration, totals), for a dozen filter combinations: median
and p95 per combination. Exports: every row the user may export, default columns, to CSV
(``csv_lines``, the generator the web streams) and XLSX (``write_xlsx``, write-only
workbook to a temporary file): rows per second and peak Python memory (tracemalloc) and
the process's peak RSS. Baseline: the same rows and columns, raw: ``COPY (SELECT ...)
TO STDOUT CSV`` on PostgreSQL, a plain sqlite3 cursor into ``csv.writer`` on SQLite.
Prints figures; never asserts timings.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import random
import resource
import statistics
import tempfile
import time
import tracemalloc
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


def _load(companies, rows: int) -> int:
    from cuadra.documents.models import DocumentRecord

    ids = [c.pk for c in companies]
    have = DocumentRecord.objects.filter(company_id__in=ids).count()
    if have >= rows:
        return have
    rng = random.Random(42)
    start = time.perf_counter()
    day0 = dt.date(2024, 1, 1)
    next_id = (DocumentRecord.objects.order_by("-object_id")
               .values_list("object_id", flat=True).first() or 0) + 1_000_000_000
    todo = rows - have
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
                status=rng.choice(["issued", "issued", "issued", "draft", "voided"]),
                document_date=day0 + dt.timedelta(days=rng.randint(0, 730)),
                party_type="CLIENT", party_id=rng.randint(1, 5000),
                party_code=f"C{rng.randint(1, 5000):05d}",
                party_name=f"Cliente {rng.randint(1, 5000)}", currency="USD",
                amount=amount, tax=(amount * Decimal("0.07")).quantize(Decimal("0.01")),
                paid_amount=paid, payment_state=state,
                customer_status=rng.choice(CUSTOMER_STATUS), manager_id=rng.randint(1, 30),
                manager_name="Vendedor", tags=rng.choice(TAGS)))
        next_id += n
        DocumentRecord.objects.bulk_create(batch, batch_size=BATCH)
        todo -= n
    took = time.perf_counter() - start
    print(f"loaded {rows - have} registry rows in {took:.1f} s "
          f"({(rows - have) / took:,.0f} rows/s, bulk inserts)")
    return rows


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
    ("date+state+amount", {"date_from": "2025-01-01", "date_to": "2025-06-30",
                           "payment_state": "UNPAID", "amount_min": "500"}),
]


def _pages(user, company, repeat: int, with_totals: bool) -> None:
    from cuadra.documents.filters import DocumentFilters
    from cuadra.documents.registry_selectors import documents_page

    print(f"\none page of 50 rows (scope + filters + default columns + COUNT"
          f"{' + totals per currency' if with_totals else ''}), {repeat} runs each")
    print(f"{'filters':<24} {'rows':>9} {'median ms':>10} {'p95 ms':>8}")
    for label, raw in COMBINATIONS:
        filters = DocumentFilters.parse(raw)
        times = []
        total = 0
        for _ in range(repeat):
            user.__dict__.pop("_cuadra_grants", None)  # a fresh request each time
            start = time.perf_counter()
            page = documents_page(company=company, user=user, view="everything",
                                  filters=filters, offset=0, limit=50,
                                  with_totals=with_totals)
            times.append((time.perf_counter() - start) * 1000)
            total = page.total_count
        times.sort()
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        print(f"{label:<24} {total:>9,} {statistics.median(times):>10.1f} {p95:>8.1f}")


def _measure(fn):
    tracemalloc.start()
    start = time.perf_counter()
    rows = fn()
    took = time.perf_counter() - start
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return rows, took, peak


def _exports(user, company, limit: int | None) -> None:
    from cuadra.documents.exports import csv_lines, export_plan, write_xlsx
    from cuadra.documents.filters import DocumentFilters

    plan = export_plan(company=company, user=user, view="everything",
                       filters=DocumentFilters())
    if limit:
        plan.queryset = plan.queryset[:limit]
    print(f"\nfull export, columns {[c.key for c in plan.columns]}")

    def do_csv():
        count = 0
        size = 0
        for line in csv_lines(plan):
            size += len(line)
            count += 1
        return count - 1

    def do_xlsx():
        with tempfile.TemporaryFile() as out:
            return write_xlsx(plan, out)

    def do_raw():
        return _raw_export(plan, limit)

    results = []
    for label, fn in (("CSV (csv_lines)", do_csv), ("raw baseline", do_raw),
                      ("XLSX (write_only)", do_xlsx)):
        rows, took, peak = _measure(fn)
        results.append((label, rows, took, peak))
    print(f"{'export':<20} {'rows':>10} {'seconds':>8} {'rows/s':>10} {'peak MB':>8}")
    for label, rows, took, peak in results:
        print(f"{label:<20} {rows:>10,} {took:>8.1f} {rows / took:>10,.0f} "
              f"{peak / 2**20:>8.1f}")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"process peak RSS so far: {rss:.0f} MB (tracemalloc peaks are Python heap only)")


def _raw_export(plan, limit: int | None) -> int:
    """The same rows, raw: COPY on PostgreSQL, sqlite3 cursor + csv.writer on SQLite."""
    from cuadra.documents.filters import values_fields

    qs = plan.queryset.values(*values_fields(plan.columns))
    sql, params = qs.query.sql_with_params()
    if connection.vendor == "postgresql":
        count = 0
        with connection.cursor() as cursor:
            raw = cursor.connection.cursor()
            literal = raw.mogrify(sql, params)
            with raw.copy(f"COPY ({literal}) TO STDOUT WITH CSV") as copy:
                for block in copy:
                    count += bytes(block).count(b"\n")
        return count
    out = io.StringIO()
    writer = csv.writer(out)
    count = 0
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while True:
            chunk = cursor.fetchmany(2000)
            if not chunk:
                break
            for row in chunk:
                writer.writerow(row)
                count += 1
            out.seek(0)
            out.truncate()
    return count


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="cuadra bench documents")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--companies", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=20, help="runs per filter combination")
    parser.add_argument("--skip-export", action="store_true")
    parser.add_argument("--export-rows", type=int, default=0,
                        help="export only the first N rows (0: all)")
    args = parser.parse_args(argv)
    print(f"database: {connection.vendor} {connection.settings_dict.get('NAME')}")
    user, companies = _setup(args.companies)
    total = _load(companies, args.rows)
    print(f"registry rows in BD01..BD{args.companies:02d}: {total:,}")
    _pages(user, companies[0], args.repeat, with_totals=False)
    _pages(user, companies[0], args.repeat, with_totals=True)
    if not args.skip_export:
        _exports(user, companies[0], args.export_rows or None)
    return 0
