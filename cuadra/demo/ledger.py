"""A year of the DEMO company's books (issue 4 item 11), posted through the posting service.

A small Panama distributor in USD: capital on 2 January, then every month sales invoices
with ITBMS 7 %, customer collections, purchases of merchandise with ITBMS credit,
supplier payments, payroll with CSS and educational insurance withheld, rent,
utilities and bank charges. The amounts come from a seeded generator, so every run builds
the same books. The merchandise of these plain entries is costed the periodic way (bought
straight to cost of sales): the inventory account moves only with the stock ledger, which
the sales, purchasing and inventory demos fill, so ``cuadra inventory verify`` holds after
the whole demo. Each entry carries an idempotency key (``demo-ledger:<year>:<n>``), so a
second ``cuadra demo`` posts nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import ROUND_HALF_EVEN, Decimal

from django.utils import timezone

from cuadra.ledger.models import JournalEntry
from cuadra.ledger.services import journal_entries_post

ITBMS = Decimal("0.07")
CENT = Decimal("0.01")
CSS_EMPLOYEE = Decimal("0.0975")
EDU_EMPLOYEE = Decimal("0.0125")
SALARIES = [Decimal(s) for s in ("1450.00", "1200.00", "950.00", "875.00", "820.00")]
RENT = Decimal("2500.00")
CUSTOMERS = ["C-001", "C-002", "C-003", "C-004", "C-005", "C-006"]
SUPPLIERS = ["P-001", "P-002", "P-003"]

BANK, RECEIVABLE, ITBMS_CREDIT = "110103", "110201", "110401"
PAYABLE, ITBMS_DUE, CSS_DUE, EDU_DUE = "210101", "210201", "210302", "210303"
CAPITAL, SALES, COGS = "3101", "4101", "5101"
WAGES, RENT_EXP, UTILITIES, BANK_FEES = "6101", "6201", "6202", "6302"


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_EVEN)


def _entry(journal: str, date: dt.date, reference: str, memo: str, lines: list) -> dict:
    return {"journal": journal, "date": date, "reference": reference, "memo": memo,
            "lines": [{"account": a, "debit": str(d) if d else None,
                       "credit": str(c) if c else None, "partner": p}
                      for a, d, c, p in lines]}


def _month(rng: random.Random, year: int, month: int, counter: list) -> list[dict]:
    out = []

    def day(d: int) -> dt.date:
        return dt.date(year, month, min(d, 28))

    def nxt() -> int:
        counter[0] += 1
        return counter[0]

    for i in range(rng.randint(8, 12)):  # sales invoices
        d, who = day(2 + i * 2), rng.choice(CUSTOMERS)
        net = _cents(Decimal(rng.randint(25_000, 480_000)) / 100)
        tax = _cents(net * ITBMS)
        n = nxt()
        out.append(_entry("VEN", d, f"FAC-{year}-{n:04d}", f"Venta a {who}",
                          [(RECEIVABLE, net + tax, 0, who), (SALES, 0, net, who),
                           (ITBMS_DUE, 0, tax, who)]))
        if rng.random() < 0.85:  # most customers pay within the month
            out.append(_entry("BAN", day(d.day + 5), f"REC-{year}-{n:04d}",
                              f"Cobro a {who}", [(BANK, net + tax, 0, who),
                                                 (RECEIVABLE, 0, net + tax, who)]))
    for i in range(rng.randint(2, 4)):  # merchandise purchases and their payment
        who = rng.choice(SUPPLIERS)
        net = _cents(Decimal(rng.randint(150_000, 900_000)) / 100)
        tax = _cents(net * ITBMS)
        n = nxt()
        out.append(_entry("COM", day(3 + i * 6), f"FP-{year}-{n:04d}", f"Compra a {who}",
                          [(COGS, net, 0, who), (ITBMS_CREDIT, tax, 0, who),
                           (PAYABLE, 0, net + tax, who)]))
        out.append(_entry("BAN", day(12 + i * 5), f"PAG-{year}-{n:04d}",
                          f"Pago a {who}", [(PAYABLE, net + tax, 0, who),
                                            (BANK, 0, net + tax, who)]))
    gross = sum(SALARIES, Decimal(0))
    css, edu = _cents(gross * CSS_EMPLOYEE), _cents(gross * EDU_EMPLOYEE)
    out.append(_entry("BAN", day(28), f"PLA-{year}-{month:02d}", "Planilla del mes",
                      [(WAGES, gross, 0, ""), (CSS_DUE, 0, css, ""), (EDU_DUE, 0, edu, ""),
                       (BANK, 0, gross - css - edu, "")]))
    rent_tax = _cents(RENT * ITBMS)
    out.append(_entry("BAN", day(1), f"ALQ-{year}-{month:02d}", "Alquiler del local",
                      [(RENT_EXP, RENT, 0, "P-900"), (ITBMS_CREDIT, rent_tax, 0, "P-900"),
                       (BANK, 0, RENT + rent_tax, "P-900")]))
    power = _cents(Decimal(rng.randint(28_000, 46_000)) / 100)
    out.append(_entry("BAN", day(15), f"ENSA-{year}-{month:02d}", "Electricidad y agua",
                      [(UTILITIES, power, 0, ""), (BANK, 0, power, "")]))
    fees = _cents(Decimal(rng.randint(1_500, 4_500)) / 100)
    out.append(_entry("BAN", day(28), f"BCO-{year}-{month:02d}", "Cargos bancarios",
                      [(BANK_FEES, fees, 0, ""), (BANK, 0, fees, "")]))
    return sorted(out, key=lambda e: e["date"])


def demo_entries(year: int) -> list[dict]:
    rng = random.Random(year)
    entries = [_entry("APE", dt.date(year, 1, 2), f"CAP-{year}", "Aporte de capital",
                      [(BANK, Decimal("60000.00"), 0, ""),
                       (CAPITAL, 0, Decimal("60000.00"), "")])]
    counter = [0]
    for month in range(1, 13):
        entries += _month(rng, year, month, counter)
    for i, entry in enumerate(entries, start=1):
        entry["idempotency_key"] = f"demo-ledger:{year}:{i:04d}"
    return entries


def load(*, company, actor, year: int | None = None) -> int:
    """Post the year (last calendar year by default); returns how many entries are new."""
    year = year or timezone.localdate().year - 1
    entries = demo_entries(year)
    if JournalEntry.objects.filter(company=company,
                                   idempotency_key=entries[-1]["idempotency_key"]).exists():
        return 0
    before = JournalEntry.objects.filter(company=company).count()
    journal_entries_post(company=company, actor=actor, entries=entries)
    return JournalEntry.objects.filter(company=company).count() - before
