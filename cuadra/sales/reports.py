"""Sales by item, by client and by salesperson over a date range.

What counts: invoices (every kind) and credit notes on the books (simple: ``issued``;
five_stage: ``entry_audit``/``final``) dated in the range, optionally of one branch. A
credit note subtracts its lines (at its own date); voided and cancelled documents and
drafts count for nothing. Figures per row: quantity in the item's base unit (by item only),
net amount (the lines' base), tax, total, the number of invoices and of credit notes.

Sums run in SQL with :class:`DecimalSum`, grouped by the row key (and, by item, by unit
level, so that each level's sum is turned into base units with its exact factor): no
float anywhere. Amounts are in document currency; a company that invoices in several
currencies gets one row per key and currency.

By item also offers the standard cost (base quantity x ``Item.cost``) and the margin
(net - cost) when the caller may see them: ``field_visible`` on ``REPORTS.cost`` /
``REPORTS.margin`` (the built-in Sales role hides ``*.cost`` and ``*.margin``).

Exports (CSV, XLSX) reuse the ledger's streamed writers
(:mod:`cuadra.ledger.exports`)."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count
from django.utils.translation import pgettext_lazy

from cuadra.access.permissions import Path
from cuadra.access.selectors import field_visible
from cuadra.catalog.models import Item, ItemUnit
from cuadra.contacts.models import Client, Salesperson
from cuadra.core.errors import ValidationError
from cuadra.core.money import DecimalSum
from cuadra.ledger.exports import CSV_TYPE, XLSX_TYPE, Column, ReportTable, csv_stream, xlsx_stream
from cuadra.sales.models import SalesCreditNote, SalesCreditNoteLine, SalesInvoice, SalesInvoiceLine
from cuadra.sales.selectors import POSTED_STATES
from cuadra.tenancy.models import Branch

ZERO = Decimal(0)
BY_ITEM, BY_CLIENT, BY_SALESPERSON = "item", "client", "salesperson"
REPORT_KINDS = (BY_ITEM, BY_CLIENT, BY_SALESPERSON)


@dataclass
class SalesRow:
    key: str        # item SKU, client code or salesperson code ("" for none)
    name: str
    id: int | None
    currency: str
    quantity: Decimal | None = None   # base units; by item only (None for free text)
    net: Decimal = ZERO
    tax: Decimal = ZERO
    total: Decimal = ZERO
    invoice_count: int = 0
    credit_note_count: int = 0
    cost: Decimal | None = None       # by item, when visible and the item has a cost
    margin: Decimal | None = None


@dataclass
class SalesReport:
    kind: str
    date_from: dt.date
    date_to: dt.date
    branch_id: int | None
    show_cost: bool
    rows: list[SalesRow] = field(default_factory=list)

    def totals(self) -> dict[str, dict[str, Decimal]]:
        """Per currency: net, tax, total."""
        out: dict[str, dict[str, Decimal]] = {}
        for row in self.rows:
            sums = out.setdefault(row.currency, {"net": ZERO, "tax": ZERO, "total": ZERO})
            sums["net"] += row.net
            sums["tax"] += row.tax
            sums["total"] += row.total
        return out


# --- the queries ---------------------------------------------------------------------------

def _check(company, date_from, date_to, branch_id) -> int | None:
    if date_from is None or date_to is None:
        raise ValidationError("Choose both dates.",
                              field="dateFrom" if date_from is None else "dateTo")
    if date_from > date_to:
        raise ValidationError("The start date is after the end date.", field="dateFrom")
    if branch_id in (None, ""):
        return None
    text = str(branch_id)
    if not text.isdigit() or not Branch.objects.filter(company=company, pk=int(text)).exists():
        raise ValidationError("No such branch in this company.", field="branchId")
    return int(text)


def _scope(model, company, date_from, date_to, branch_id, prefix: str = ""):
    where = {f"{prefix}company": company, f"{prefix}status__in": POSTED_STATES,
             f"{prefix}date__gte": date_from, f"{prefix}date__lte": date_to}
    if branch_id is not None:
        where[f"{prefix}branch_id"] = branch_id
    return model.objects.filter(**where)


_SUMS = {"net": DecimalSum("base_amount"), "tax": DecimalSum("tax_amount"),
         "total": DecimalSum("total_amount")}


def _line_sums(company, date_from, date_to, branch_id, group: list[str]):
    """(invoice rows, credit rows): the line sums grouped by ``group`` (line fields)."""
    out = []
    for model in (SalesInvoiceLine, SalesCreditNoteLine):
        rows = (_scope(model, company, date_from, date_to, branch_id, "document__")
                .values(*group, "document__currency").annotate(**_SUMS,
                                                              qty=DecimalSum("quantity"))
                .order_by())
        out.append(list(rows))
    return out


def _doc_counts(company, date_from, date_to, branch_id, key: str) -> dict:
    """{(key, currency): (invoices, credit notes)} counted per document."""
    counts: dict = defaultdict(lambda: [0, 0])
    for i, model in enumerate((SalesInvoice, SalesCreditNote)):
        rows = (_scope(model, company, date_from, date_to, branch_id)
                .values(key, "currency").annotate(n=Count("id")).order_by())
        for row in rows:
            counts[(row[key], row["currency"])][i] += row["n"]
    return counts


def _item_doc_counts(company, date_from, date_to, branch_id) -> dict:
    counts: dict = defaultdict(lambda: [0, 0])
    for i, model in enumerate((SalesInvoiceLine, SalesCreditNoteLine)):
        rows = (_scope(model, company, date_from, date_to, branch_id, "document__")
                .values("item_id", "document__currency")
                .annotate(n=Count("document_id", distinct=True)).order_by())
        for row in rows:
            counts[(row["item_id"], row["document__currency"])][i] += row["n"]
    return counts


def _accumulate(rows: dict, key, currency, sums: dict, sign: int, qty=None) -> SalesRow:
    row = rows.get((key, currency))
    if row is None:
        row = rows[(key, currency)] = SalesRow(key="", name="", id=key, currency=currency)
    row.net += sign * (sums["net"] or ZERO)
    row.tax += sign * (sums["tax"] or ZERO)
    row.total += sign * (sums["total"] or ZERO)
    if qty is not None:
        row.quantity = (row.quantity or ZERO) + sign * qty
    return row


def _finish(kind, date_from, date_to, branch_id, rows: dict, counts: dict, names: dict,
            show_cost: bool = False) -> SalesReport:
    report = SalesReport(kind=kind, date_from=date_from, date_to=date_to,
                         branch_id=branch_id, show_cost=show_cost)
    for (pk, currency), row in rows.items():
        row.key, row.name = names.get(pk, ("", ""))
        row.invoice_count, row.credit_note_count = counts.get((pk, currency), (0, 0))
        report.rows.append(row)
    report.rows.sort(key=lambda r: (-r.total, r.key, r.currency))
    return report


def _visible(user, company, name: str) -> bool:
    if user is None:
        return True  # a service call without a user (exports run with one)
    return field_visible(user=user, company=company, path=Path.REPORTS, field=name)


def sales_by_item_get(*, company, date_from: dt.date, date_to: dt.date, branch_id=None,
                      user=None) -> SalesReport:
    """One row per item (and currency); free-text lines (no item) share one row whose
    quantity is None. With ``user`` given, cost and margin appear only if visible."""
    branch_id = _check(company, date_from, date_to, branch_id)
    invoiced, credited = _line_sums(company, date_from, date_to, branch_id,
                                    ["item_id", "unit_id"])
    factors = dict(ItemUnit.objects.filter(
        company=company, pk__in={r["unit_id"] for r in invoiced + credited if r["unit_id"]})
        .values_list("pk", "factor_to_base"))
    rows: dict = {}
    for sign, group in ((1, invoiced), (-1, credited)):
        for r in group:
            qty = None
            if r["item_id"] is not None:
                qty = (r["qty"] or ZERO) * factors.get(r["unit_id"], Decimal(1))
            _accumulate(rows, r["item_id"], r["document__currency"], r, sign, qty)
    items = {i.pk: i for i in Item.objects.filter(company=company,
                                                   pk__in={k for k, _c in rows if k})}
    names = {pk: (i.sku, i.name) for pk, i in items.items()}
    show_cost = _visible(user, company, "cost") and _visible(user, company, "margin")
    report = _finish(BY_ITEM, date_from, date_to, branch_id, rows,
                     _item_doc_counts(company, date_from, date_to, branch_id), names,
                     show_cost)
    if show_cost:
        for row in report.rows:
            item = items.get(row.id)
            if item is not None and item.cost is not None:
                row.cost = row.quantity * item.cost
                row.margin = row.net - row.cost
    return report


def _by_header(kind, key_field, model, company, date_from, date_to, branch_id,
               label) -> SalesReport:
    branch_id = _check(company, date_from, date_to, branch_id)
    rows: dict = {}
    for sign, model_rows in zip((1, -1), (
            (_scope(m, company, date_from, date_to, branch_id)
             .values(key_field, "currency")
             .annotate(net=DecimalSum("subtotal"), tax=DecimalSum("tax_total"),
                       total=DecimalSum("total")).order_by())
            for m in (SalesInvoice, SalesCreditNote)), strict=True):
        for r in model_rows:
            _accumulate(rows, r[key_field], r["currency"], r, sign)
    names = {pk: label(obj) for pk, obj in model.objects.filter(
        company=company, pk__in={k for k, _c in rows if k}).in_bulk().items()}
    return _finish(kind, date_from, date_to, branch_id, rows,
                   _doc_counts(company, date_from, date_to, branch_id, key_field), names)


def sales_by_client_get(*, company, date_from: dt.date, date_to: dt.date,
                        branch_id=None) -> SalesReport:
    return _by_header(BY_CLIENT, "client_id", Client, company, date_from, date_to, branch_id,
                      lambda c: (c.code, c.legal_name))


def sales_by_salesperson_get(*, company, date_from: dt.date, date_to: dt.date,
                             branch_id=None) -> SalesReport:
    """One row per salesperson of the document (the client's by default); documents with
    none share a row with an empty key."""
    return _by_header(BY_SALESPERSON, "salesperson_id", Salesperson, company, date_from,
                      date_to, branch_id, lambda s: (s.code, s.name))


def sales_report_get(*, company, kind: str, date_from, date_to, branch_id=None,
                     user=None) -> SalesReport:
    if kind == BY_ITEM:
        return sales_by_item_get(company=company, date_from=date_from, date_to=date_to,
                                 branch_id=branch_id, user=user)
    if kind == BY_CLIENT:
        return sales_by_client_get(company=company, date_from=date_from, date_to=date_to,
                                   branch_id=branch_id)
    if kind == BY_SALESPERSON:
        return sales_by_salesperson_get(company=company, date_from=date_from,
                                        date_to=date_to, branch_id=branch_id)
    raise ValidationError(f"Unknown sales report {kind!r}.", field="report")


# --- exports -------------------------------------------------------------------------------

TITLES = {
    BY_ITEM: pgettext_lazy("sales reports", "Sales by item"),
    BY_CLIENT: pgettext_lazy("sales reports", "Sales by client"),
    BY_SALESPERSON: pgettext_lazy("sales reports", "Sales by salesperson"),
}
_KEY_LABELS = {
    BY_ITEM: (pgettext_lazy("sales reports", "SKU"), pgettext_lazy("sales reports", "Item")),
    BY_CLIENT: (pgettext_lazy("sales reports", "Code"),
                pgettext_lazy("sales reports", "Client")),
    BY_SALESPERSON: (pgettext_lazy("sales reports", "Code"),
                     pgettext_lazy("sales reports", "Salesperson")),
}
NO_ITEM = pgettext_lazy("sales reports", "(lines without an item)")
NO_SALESPERSON = pgettext_lazy("sales reports", "(no salesperson)")


def report_columns(report: SalesReport) -> list[Column]:
    key, name = _KEY_LABELS[report.kind]
    columns = [Column("key", key), Column("name", name),
               Column("currency", pgettext_lazy("sales reports", "Currency"))]
    if report.kind == BY_ITEM:
        columns.append(Column("quantity", pgettext_lazy("sales reports", "Quantity (base unit)"),
                              "quantity"))
    columns += [Column("net", pgettext_lazy("sales reports", "Net"), "money"),
                Column("tax", pgettext_lazy("sales reports", "Tax"), "money"),
                Column("total", pgettext_lazy("sales reports", "Total"), "money"),
                Column("invoices", pgettext_lazy("sales reports", "Invoices"), "int"),
                Column("credit_notes", pgettext_lazy("sales reports", "Credit notes"), "int")]
    if report.show_cost:
        columns += [Column("cost", pgettext_lazy("sales reports", "Cost"), "money"),
                    Column("margin", pgettext_lazy("sales reports", "Margin"), "money")]
    return columns


def row_name(report: SalesReport, row: SalesRow) -> str:
    if row.id is None:
        return str(NO_ITEM if report.kind == BY_ITEM else NO_SALESPERSON)
    return row.name


def report_values(report: SalesReport) -> Iterator[list]:
    """Each row's values in :func:`report_columns` order."""
    for row in report.rows:
        values = [row.key, row_name(report, row), row.currency]
        if report.kind == BY_ITEM:
            values.append(row.quantity)
        values += [row.net, row.tax, row.total, row.invoice_count, row.credit_note_count]
        if report.show_cost:
            values += [row.cost, row.margin]
        yield values


def report_table(report: SalesReport, company) -> ReportTable:
    title = str(TITLES[report.kind])
    stem = f"sales_by_{report.kind}_{company.code}_{report.date_from}_{report.date_to}"
    return ReportTable(title, re.sub(r"[^A-Za-z0-9_.-]+", "-", stem), report_columns(report),
                       report_values(report))


_FORMATS = {"csv": (csv_stream, CSV_TYPE), "xlsx": (xlsx_stream, XLSX_TYPE)}


def sales_report_export(*, company, kind: str, date_from, date_to, fmt: str, branch_id=None,
                        user=None) -> tuple[str, str, Iterator[bytes]]:
    """(filename, content type, byte iterator). Bad parameters are refused before any
    byte is produced."""
    if fmt not in _FORMATS:
        raise ValidationError("Export as csv or xlsx.", field="format")
    report = sales_report_get(company=company, kind=kind, date_from=date_from,
                              date_to=date_to, branch_id=branch_id, user=user)
    table = report_table(report, company)
    writer, content_type = _FORMATS[fmt]
    return f"{table.stem}.{fmt}", content_type, writer(table)
