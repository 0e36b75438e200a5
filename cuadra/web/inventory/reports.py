"""Inventario's reports: stock on hand by warehouse, the stock ledger of one item and
warehouse with running quantity and value, the valuation as of a date next to the
books' inventory balance (and a stale marker while a re-cost is pending), the movement
summary and slow movers; each on the page and as a CSV/XLSX download (INVENTORY:export).

Each report is one function that reads the selectors and returns a
:class:`~cuadra.ledger.exports.ReportTable`, so the page and the file show the same
figures. Quantities are in the item's base unit."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from cuadra.access.permissions import Action, Path
from cuadra.catalog.enums import ItemKind
from cuadra.catalog.models import Item
from cuadra.core.errors import ValidationError
from cuadra.core.money import ZERO
from cuadra.documents import lifecycle
from cuadra.inventory import selectors
from cuadra.ledger.exports import CSV_TYPE, XLSX_TYPE, Column, ReportTable, csv_stream, xlsx_stream
from cuadra.web.accounting.common import can, parse_date
from cuadra.web.actions import require
from cuadra.web.inventory.common import page, pick, quantity_text, warehouses

FORMATS = {"csv": (csv_stream, CSV_TYPE), "xlsx": (xlsx_stream, XLSX_TYPE)}
QTY = "quantity"


@dataclass
class Report:
    """A report as the page shows it: the table, its totals, and what sits beside it."""

    table: ReportTable
    totals: list[tuple] = field(default_factory=list)  # (label, value, data key)
    stale: bool = False
    note: str = ""


@dataclass(frozen=True)
class Filters:
    as_of: dt.date
    date_from: dt.date
    date_to: dt.date
    warehouse: object
    item: object
    days: int

    def query(self) -> str:
        params = {"as_of": self.as_of.isoformat(), "date_from": self.date_from.isoformat(),
                  "date_to": self.date_to.isoformat(), "days": self.days}
        if self.warehouse is not None:
            params["warehouse"] = self.warehouse.pk
        if self.item is not None:
            params["item"] = self.item.pk
        return urlencode(params)


def _filters(request) -> Filters:
    get, company = request.GET, request.active_company
    today = timezone.localdate()
    date_to = parse_date(get.get("date_to"), today)
    days = get.get("days", "")
    item = None
    if (get.get("item") or "").isdigit():
        item = Item.objects.filter(company=company, pk=int(get["item"])).first()
    return Filters(as_of=parse_date(get.get("as_of"), today),
                   date_from=parse_date(get.get("date_from"), date_to.replace(day=1)),
                   date_to=date_to,
                   warehouse=pick(warehouses(company, active_only=False), get.get("warehouse")),
                   item=item, days=int(days) if days.isdigit() and int(days) > 0 else 90)


def _names(company, rows) -> tuple[dict, dict]:
    items = {i.pk: i for i in Item.objects.filter(company=company,
                                                  pk__in={r.item_id for r in rows})}
    whs = {w.pk: w for w in warehouses(company, active_only=False)}
    return items, whs


def _stock_rows(company, rows, *, by_code: bool = True) -> list[list]:
    """Rows by warehouse code and SKU (or in the selector's order)."""
    items, whs = _names(company, rows)
    out = [[whs[r.warehouse_id].code, items[r.item_id].sku, items[r.item_id].name,
            r.quantity, r.value, "*" if r.stale else ""] for r in rows]
    return sorted(out, key=lambda row: (row[0], row[1])) if by_code else out


STOCK_COLUMNS = [Column("warehouse", _("Warehouse")), Column("sku", _("SKU")),
                 Column("name", _("Item")), Column("quantity", _("Quantity"), QTY),
                 Column("value", _("Value"), "money"), Column("stale", _("Stale"))]


def _stem(company, name: str, *parts) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", "_".join([f"inventory_{name}", company.code,
                                                      *map(str, parts)]))


# --- the reports ---------------------------------------------------------------------------

def stock_report(company, f: Filters) -> Report:
    rows = selectors.stock_on_hand(company=company, as_of=f.as_of,
                                   warehouse_id=f.warehouse.pk if f.warehouse else None)
    table = ReportTable(str(_("Stock on hand")), _stem(company, "stock", f.as_of),
                        STOCK_COLUMNS, _stock_rows(company, rows))
    return Report(table, [(_("Total value"), sum((r.value for r in rows), ZERO), "value")],
                  stale=any(r.stale for r in rows))


def valuation_report(company, f: Filters) -> Report:
    rows = selectors.stock_on_hand(company=company, as_of=f.as_of)
    stock = sum((r.value for r in rows), ZERO)
    books = selectors.inventory_accounts_balance(company=company, as_of=f.as_of)
    table = ReportTable(str(_("Valuation")), _stem(company, "valuation", f.as_of),
                        STOCK_COLUMNS, _stock_rows(company, rows))
    return Report(table, [(_("Stock value"), stock, "stock"),
                          (_("Inventory accounts in the ledger"), books, "books"),
                          (_("Difference"), stock - books, "difference")],
                  stale=any(r.stale for r in rows))


def ledger_report(company, f: Filters) -> Report:
    columns = [Column("date", _("Date"), "date"), Column("kind", _("Move")),
               Column("source", _("Source document")),
               Column("quantity", _("Quantity"), QTY),
               Column("unit_cost", _("Unit cost"), "money"),
               Column("value", _("Value"), "money"),
               Column("running_quantity", _("Running quantity"), QTY),
               Column("running_value", _("Running value"), "money")]
    if f.item is None or f.warehouse is None:
        return Report(ReportTable(str(_("Stock ledger")), _stem(company, "ledger"), columns,
                                  []), note=str(_("Choose an item and a warehouse.")))
    rows = selectors.inventory_ledger(company=company, item_id=f.item.pk,
                                      warehouse_id=f.warehouse.pk, date_from=f.date_from,
                                      date_to=f.date_to)
    opening = selectors.stock_on_hand(company=company,
                                      as_of=f.date_from - dt.timedelta(days=1),
                                      item_id=f.item.pk, warehouse_id=f.warehouse.pk,
                                      include_zero=True)
    sources = _source_numbers(company, [r.move for r in rows])
    values = [[r.move.date, r.move.get_kind_display(),
               sources.get((r.move.source_type, r.move.source_id),
                           f"{r.move.source_type} #{r.move.source_id}"), r.move.quantity,
               r.move.unit_cost, r.move.value, r.running_quantity, r.running_value]
              for r in rows]
    last = rows[-1] if rows else None
    opening_qty, opening_val = ((opening[0].quantity, opening[0].value) if opening
                                else (ZERO, ZERO))
    stale = (f.item.pk, f.warehouse.pk) in selectors.stale_keys(company=company)
    return Report(
        ReportTable(str(_("Stock ledger")),
                    _stem(company, "ledger", f.item.sku, f.warehouse.code, f.date_from,
                          f.date_to), columns, values),
        [(_("Opening quantity"), opening_qty, "opening_quantity"),
         (_("Opening value"), opening_val, "opening_value"),
         (_("Closing quantity"), last.running_quantity if last else opening_qty,
          "closing_quantity"),
         (_("Closing value"), last.running_value if last else opening_val,
          "closing_value")], stale=stale)


def _source_numbers(company, moves) -> dict[tuple[str, str], str]:
    """(source type, id) -> the number of the lifecycle document that made the move."""
    wanted: dict[str, set[int]] = {}
    for m in moves:
        if m.source_id.isdigit():
            wanted.setdefault(m.source_type, set()).add(int(m.source_id))
    out = {}
    for source_type, ids in wanted.items():
        try:
            model = lifecycle.document_type_spec(source_type).model
        except ValidationError:
            continue  # not a lifecycle document (a test or bench source)
        for pk, number in (model.objects.filter(company=company, pk__in=ids)
                           .exclude(number="").values_list("pk", "number")):
            out[(source_type, str(pk))] = number
    return out


def movements_report(company, f: Filters) -> Report:
    rows = selectors.movement_summary(company=company, date_from=f.date_from,
                                      date_to=f.date_to,
                                      warehouse_id=f.warehouse.pk if f.warehouse else None)
    items, whs = _names(company, rows)
    columns = [Column("warehouse", _("Warehouse")), Column("sku", _("SKU")),
               Column("name", _("Item")), Column("quantity_in", _("Quantity in"), QTY),
               Column("value_in", _("Value in"), "money"),
               Column("quantity_out", _("Quantity out"), QTY),
               Column("value_out", _("Value out"), "money")]
    values = [[whs[r.warehouse_id].code, items[r.item_id].sku, items[r.item_id].name,
               r.quantity_in, r.value_in, r.quantity_out, r.value_out] for r in rows]
    return Report(ReportTable(str(_("Movement summary")),
                              _stem(company, "movements", f.date_from, f.date_to),
                              columns, values),
                  [(_("Value in"), sum((r.value_in for r in rows), ZERO), "value_in"),
                   (_("Value out"), sum((r.value_out for r in rows), ZERO), "value_out")])


def slow_movers_report(company, f: Filters) -> Report:
    rows = selectors.slow_movers(company=company, as_of=f.as_of, days=f.days)
    return Report(ReportTable(str(_("Slow movers")),
                              _stem(company, "slow_movers", f.as_of, f.days),
                              STOCK_COLUMNS, _stock_rows(company, rows, by_code=False)),
                  [(_("Total value"), sum((r.value for r in rows), ZERO), "value")],
                  stale=any(r.stale for r in rows))


# slug -> (title, builder, the filters its form shows)
REPORTS: dict[str, tuple] = {
    "stock": (_("Stock on hand"), stock_report, ("as_of", "warehouse")),
    "valuation": (_("Valuation"), valuation_report, ("as_of",)),
    "ledger": (_("Stock ledger"), ledger_report,
               ("item", "warehouse", "date_from", "date_to")),
    "movements": (_("Movement summary"), movements_report,
                  ("date_from", "date_to", "warehouse")),
    "slow-movers": (_("Slow movers"), slow_movers_report, ("as_of", "days")),
}


# --- views ---------------------------------------------------------------------------------

def _cell(value, column: Column) -> dict:
    if isinstance(value, Decimal):
        text = quantity_text(value) if column.kind == QTY else f"{value:,.2f}"
    elif isinstance(value, dt.date):
        text = value.isoformat()
    else:
        text = "" if value is None else str(value)
    return {"text": text, "num": isinstance(value, Decimal), "key": column.key}


def _render(request, slug: str, tab: str):
    require(request, Path.INVENTORY, Action.VIEW)
    title, build, shown = REPORTS[slug]
    f = _filters(request)
    company = request.active_company
    report: Report = build(company, f)
    rows = [[_cell(v, c) for v, c in zip(row, report.table.columns, strict=True)]
            for row in report.table.rows]
    downloads = []
    if can(request, Path.INVENTORY, Action.EXPORT) and not report.note:
        downloads = [{"label": fmt.upper(),
                      "url": reverse("web:inventory_report_export", args=[slug, fmt])
                      + f"?{f.query()}"} for fmt in FORMATS]
    return page(request, "report.html", tab, {
        "slug": slug, "title": title, "report": report, "rows": rows, "f": f,
        "shown": shown, "downloads": downloads,
        "totals": [{"label": label, "text": f"{value:,.2f}" if "quantity" not in key
                    else quantity_text(value), "key": key}
                   for label, value, key in report.totals],
        "report_links": [(s, t, reverse(f"web:inventory_{s.replace('-', '_')}"))
                         for s, (t, _b, _s) in REPORTS.items() if s != "stock"],
        "warehouses": warehouses(company, active_only=False),
        "items": Item.objects.filter(company=company, kind=ItemKind.GOODS).order_by("sku")})


@login_required
@require_GET
def stock(request):
    return _render(request, "stock", "stock")


def _report_view(slug: str) -> Callable:
    @login_required
    @require_GET
    def view(request):
        return _render(request, slug, "reports")
    view.__name__ = f"report_{slug.replace('-', '_')}"
    return view


valuation = _report_view("valuation")
ledger = _report_view("ledger")
movements = _report_view("movements")
slow_movers = _report_view("slow-movers")


@login_required
@require_GET
def report_export(request, slug: str, fmt: str):
    if slug not in REPORTS or fmt not in FORMATS:
        raise Http404(slug)
    require(request, Path.INVENTORY, Action.EXPORT)
    report: Report = REPORTS[slug][1](request.active_company, _filters(request))
    writer, content_type = FORMATS[fmt]
    response = StreamingHttpResponse(writer(report.table), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{report.table.stem}.{fmt}"'
    return response
