"""The sales cycle end to end: issue and post invoices, then pay them, against Tryton.

    cuadra bench sales [--invoices N] [--payments N] [--lines L] [--batch B]
                       [--path both|single|batch]
                       [--peer tryton [--tryton-python PATH] [--peer-n N] [--peer-batch B]]

Runs against DATABASE_URL (migrated; ``cuadra init``), in company BENCHSALES (created on
the first run, with 50 clients and 5 items under ITBMS 0 %, 7 % and 10 %; every run adds
to it). Figures (issue 5, "Performance"):

* invoices, SINGLE path: ``--invoices`` invoices of ``--lines`` lines, each one
  transaction through the services a user's two calls go through —
  ``sales_invoice_create`` (price resolution per line from the catalog and the client's
  price list, DGI line rounding, totals by rate) and ``sales_invoice_issue`` (credit
  check, legal number, lifecycle history, the FIFO stock issue and its cost-of-sales
  entry from an untimed opening stock, the posting through ``journal_entry_post`` with
  its hash-chain link, rollups and audit);
* invoices, BATCH path: as many again, each draft created in its own transaction, then
  issued ``--batch`` at a time by ``sales_invoices_issue`` (the "issue all selected
  drafts" action: same numbers, entries, stock and registry rows as one by one);
* payments: ``--payments`` payments registered through ``payment_register``, each
  allocated in full to one of those invoices (receipt number, posting, payment state);
* peer (``--peer tryton``): Tryton's own benchmark on the same backend, creating and
  posting 3-line customer invoices through its API; the target is at least 20 times its
  rate on PostgreSQL. Not like for like in our disfavour: ours are 5-line invoices.

Timings are printed, never asserted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import importlib.util
import os
import sys
import time

from django.db import connection, transaction

sys.path.insert(0, os.path.dirname(__file__))
import _tryton  # bench/ is not a package: its modules load by path

YEAR = 2025
COMPANY = "BENCHSALES"
CLIENTS = 50
# sku, name, tax code, price
ITEMS = (("B-ARZ", "Arroz 1 lb", "00", "0.55"), ("B-GAL", "Galletas", "01", "1.25"),
         ("B-SOD", "Soda 2 L", "01", "1.65"), ("B-RON", "Ron 750 ml", "02", "12.50"),
         ("B-DET", "Detergente 1 kg", "01", "3.40"))
TARGET_TIMES_TRYTON = 20


def _company():
    """BENCHSALES and its owner (issuing is permission-checked: the actor is a user)."""
    from django.contrib.auth import get_user_model

    from cuadra.tenancy import services as tenancy
    from cuadra.tenancy.models import Company, Organization

    owner, _ = get_user_model().objects.get_or_create(username="bench-sales-owner")
    company = Company.objects.filter(code=COMPANY).first()
    if company is None:
        org = (Organization.objects.filter(name="Bench").first()
               or tenancy.organization_create(name="Bench"))
        company = tenancy.company_create(organization=org, actor=owner, code=COMPANY,
                                         name="Bench Sales, S.A.")
    return company, owner


def _catalog(company, actor) -> tuple[list, list]:
    from cuadra.catalog import services as catalog
    from cuadra.catalog.models import Item, Tax
    from cuadra.contacts import services as contacts
    from cuadra.contacts.models import Client

    taxes = {t.code: t for t in Tax.objects.filter(company=company)}
    items = {i.sku: i for i in Item.objects.filter(company=company, sku__startswith="B-")}
    for sku, name, tax, price in ITEMS:
        if sku not in items:
            items[sku] = catalog.item_create(company=company, actor=actor, sku=sku, name=name,
                                             default_tax=taxes[tax], base_price=price)
    clients = list(Client.objects.filter(company=company, code__startswith="BC-")
                   .order_by("code"))
    for k in range(len(clients), CLIENTS):
        clients.append(contacts.client_create(company=company, actor=actor, code=f"BC-{k:03d}",
                                              legal_name=f"Cliente {k:03d}, S.A.",
                                              payment_terms_days=30))
    return [items[sku] for sku, *_ in ITEMS], clients


def _lines(i: int, items: list, count: int) -> list[dict]:
    return [{"item": items[(i + k) % len(items)].pk, "quantity": str(1 + (i * 7 + k) % 12)}
            for k in range(count)]


def _first_date(company) -> dt.date:
    """Invoice numbers follow their dates: a rerun continues from the last issued date."""
    from django.db.models import Max

    from cuadra.sales.models import SalesInvoice

    last = SalesInvoice.objects.filter(company=company).aggregate(d=Max("date"))["d"]
    return max(last or dt.date(YEAR, 1, 1), dt.date(YEAR, 1, 1))


def _date(first: dt.date, i: int, n: int) -> dt.date:
    days = (dt.date(YEAR, 12, 31) - first).days
    return first + dt.timedelta(days=i * days // max(n, 1))


def opening_stock(company, actor, items: list, n: int, line_count: int, date: dt.date):
    """Before the timed run (untimed): exactly the units this run sells, per item, in
    through one storage-in document at 70% of the item's price against capital, so each
    invoice issues its goods at FIFO cost (negative stock is refused)."""
    from decimal import Decimal

    from cuadra.inventory import documents
    from cuadra.inventory.selectors import warehouse_default
    from cuadra.ledger.models import Account

    needed: dict[int, int] = {}
    for i in range(n):
        for line in _lines(i, items, line_count):
            needed[line["item"]] = needed.get(line["item"], 0) + int(line["quantity"])
    prices = {sku: Decimal(price) for sku, _name, _tax, price in ITEMS}
    capital = Account.objects.filter(company=company, type="EQUITY", is_group=False,
                                     is_active=True).order_by("code").first()
    with transaction.atomic():
        doc = documents.stock_adjustment_create(
            company=company, actor=actor, kind="storage_in", date=date,
            warehouse=warehouse_default(company=company), counter_account=capital,
            employee="bench", lines=[
                {"item": item, "quantity": str(needed[item.pk]),
                 "unit_cost": str((prices[item.sku] * Decimal("0.70")).quantize(
                     Decimal("0.01")))} for item in items if needed.get(item.pk)])
        documents.document_move(company=company, actor=actor, document=doc, action="issue")


def issue_invoices(company, actor, n: int, line_count: int) -> tuple[float, list[int]]:
    from cuadra.sales import services

    items, clients = _catalog(company, actor)
    first = _first_date(company)
    if n:
        opening_stock(company, actor, items, n, line_count, first)
    issued = []
    began = time.perf_counter()
    for i in range(n):
        with transaction.atomic():
            invoice = services.sales_invoice_create(
                company=company, actor=actor, client=clients[i % len(clients)],
                date=_date(first, i, n), lines=_lines(i, items, line_count))
            services.sales_invoice_issue(company=company, actor=actor, invoice=invoice)
        issued.append(invoice.pk)
    return time.perf_counter() - began, issued


def issue_invoices_batch(company, actor, n: int, line_count: int, batch: int
                         ) -> tuple[float, list[int]]:
    """The batch path: the same drafts (each created in its own transaction, as a user
    saves them), then issued ``batch`` at a time through ``sales_invoices_issue`` ("issue
    all selected drafts": one transaction per batch)."""
    from cuadra.sales import services
    from cuadra.sales.batch import sales_invoices_issue

    items, clients = _catalog(company, actor)
    first = _first_date(company)
    if n:
        opening_stock(company, actor, items, n, line_count, first)
    issued = []
    began = time.perf_counter()
    for start in range(0, n, batch):
        drafts = []
        for i in range(start, min(n, start + batch)):
            with transaction.atomic():
                drafts.append(services.sales_invoice_create(
                    company=company, actor=actor, client=clients[i % len(clients)],
                    date=_date(first, i, n), lines=_lines(i, items, line_count)))
        sales_invoices_issue(company=company, actor=actor, invoices=drafts)
        issued += [d.pk for d in drafts]
    return time.perf_counter() - began, issued


def pay_invoices(company, actor, invoice_ids: list[int]) -> float:
    from cuadra.sales.models import SalesInvoice

    payment_register = importlib.import_module("cuadra.sales.payment_services").payment_register

    invoices = SalesInvoice.objects.filter(company=company, pk__in=invoice_ids).select_related(
        "client").order_by("pk")
    began = time.perf_counter()
    for k, invoice in enumerate(invoices):
        with transaction.atomic():
            payment_register(company=company, actor=actor, client=invoice.client,
                             amount=invoice.total, method="BANK_TRANSFER",
                             date=invoice.date, reference=f"TRF-{k}",
                             allocations=[{"invoice": invoice, "amount": invoice.total}])
    return time.perf_counter() - began


def _row(label: str, count: int, seconds: float, unit: str, extra: str = "") -> float:
    rate = count / seconds if seconds else float("inf")
    print(f"  {label:<52} {count:>8,} {unit:<9} {seconds:>9.2f} s {rate:>9,.1f} {unit}/s "
          f"{1000 * seconds / max(count, 1):>7.2f} ms each  {extra}", flush=True)
    return rate


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="cuadra bench sales")
    parser.add_argument("--invoices", type=int, default=10_000)
    parser.add_argument("--payments", type=int, default=10_000,
                        help="payments, one per issued invoice (at most --invoices)")
    parser.add_argument("--lines", type=int, default=5, help="lines per invoice")
    parser.add_argument("--batch", type=int, default=200,
                        help="drafts per sales_invoices_issue call on the batch path")
    parser.add_argument("--path", choices=["both", "single", "batch"], default="both",
                        help="which issue path(s) to time (each issues --invoices)")
    _tryton.add_arguments(parser)
    args = parser.parse_args(argv)

    company, actor = _company()
    print(f"sales bench into {company.code} ({connection.vendor}): {args.invoices:,} invoices "
          f"of {args.lines} lines, then {min(args.payments, args.invoices):,} payments",
          flush=True)
    rates: dict[str, float] = {}
    issued: list[int] = []
    if args.path in ("both", "single"):
        took, issued = issue_invoices(company, actor, args.invoices, args.lines)
        rates["single path (one transaction per invoice)"] = _row(
            "SINGLE path: created, priced, issued, posted", len(issued), took, "invoices")
    if args.path in ("both", "batch"):
        took, batch_issued = issue_invoices_batch(company, actor, args.invoices, args.lines,
                                                  args.batch)
        rates[f"batch path (sales_invoices_issue, {args.batch} per call)"] = _row(
            f"BATCH path: created one by one, issued {args.batch}/call", len(batch_issued),
            took, "invoices")
        issued = issued or batch_issued
    if importlib.util.find_spec("cuadra.sales.payment_services") is None:
        print("  payments: not built in this checkout; skipped", flush=True)
    elif args.payments:
        paid = issued[:args.payments]
        _row("payments registered and allocated in full", len(paid),
             pay_invoices(company, actor, paid), "payments")
    if args.peer:
        peer = _tryton.run(args)
        if peer:
            steady = peer.get("steady_per_s") or peer["invoices_per_s"]
            print(f"  tryton invoices/s (steady) {steady:>9.1f}; tryton's invoices have 3 "
                  f"lines, ours {args.lines}", flush=True)
            for label, ours in rates.items():
                print(f"  {label:<52} {ours:>9.1f}/s  {_tryton.versus(ours, steady)} "
                      f"(target >= {TARGET_TIMES_TRYTON}x on PostgreSQL: "
                      f"{'meets' if ours >= TARGET_TIMES_TRYTON * steady else 'BELOW'})",
                      flush=True)
    return 0
