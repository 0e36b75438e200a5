"""A year of the DEMO company's own warehouse work (issue 7 item 10), through the
inventory documents: a second warehouse (SUCURSAL), two items bought by the box
(agua, caja de 24; aceite, caja de 12), a storage-in every four weeks into PRINCIPAL at
slowly rising costs (FIFO layers that differ), a transfer of boxes to SUCURSAL every
eight weeks (send → receive → audit → confirm), one spoilage and one count with a
shortage and an overage. Sales of the catalog items already issue stock (``demo.sales``).

Documents are created in date order, so no move is backdated (no re-cost job). The
receipts credit goods-received-not-invoiced (GRNI). Idempotency keys
(``demo-inventory:<n>``) and the check below make a second ``cuadra demo`` add nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from cuadra.catalog import services as catalog
from cuadra.catalog.models import Item, Tax
from cuadra.inventory import documents, selectors, services
from cuadra.inventory.enums import AdjustmentKind
from cuadra.inventory.models import StockAdjustment, Warehouse
from cuadra.inventory.posting import role_account
from cuadra.ledger.enums import AccountRole
from cuadra.tenancy.models import Branch

KEY = "demo-inventory"
WEEKS = 52
RECEIPT_EVERY = 4   # weeks: 13 receipts
TRANSFER_EVERY = 8  # weeks: 6 transfers (weeks 4, 12, ... 44)
# sku, name, box code, units per box, base price, boxes received, first box cost, rise
ITEMS = (
    ("INV-AGUA", "Agua purificada 600 ml", "caja", 24, "0.75", 20, "9.60", "0.12"),
    ("INV-ACEITE", "Aceite vegetal 1 L", "caja", 12, "3.25", 10, "24.00", "0.30"),
)
TRANSFER_BOXES = {"INV-AGUA": 6, "INV-ACEITE": 3}


def _item(company, actor, row) -> Item:
    sku, name, box, factor, price, *_rest = row
    found = Item.objects.filter(company=company, sku=sku).first()
    if found is not None:
        return found
    return catalog.item_create(company=company, actor=actor, sku=sku, name=name,
                               default_tax=Tax.objects.filter(company=company,
                                                              code="01").first(),
                               base_price=price, units=[{"code": box, "name": "Caja",
                                                         "factor": str(factor)}])


def _branch_warehouse(company, actor) -> Warehouse:
    found = Warehouse.objects.filter(company=company, code="SUCURSAL").first()
    if found is not None:
        return found
    branch = Branch.objects.filter(company=company).order_by("code")[1:2].first()
    return services.warehouse_create(company=company, actor=actor, code="SUCURSAL",
                                     name="Bodega sucursal", branch=branch)


class _Run:
    def __init__(self, company, actor):
        self.company, self.actor, self.n = company, actor, 0

    def move(self, doc, action: str = "issue", *, keyed: bool = True):
        self.n += 1
        return documents.document_move(company=self.company, actor=self.actor,
                                       document=doc, action=action,
                                       idempotency_key=f"{KEY}:{self.n}" if keyed else None)


def _receipt(run, date, items, k, principal, grni):
    lines = [{"item": items[row[0]], "unit": items[row[0]].units.get(code=row[2]),
              "quantity": str(row[5]),
              "unit_cost": str(Decimal(row[6]) + Decimal(row[7]) * k)} for row in ITEMS]
    doc = documents.stock_adjustment_create(
        company=run.company, actor=run.actor, kind=AdjustmentKind.STORAGE_IN,
        warehouse=principal, date=date, counter_account=grni, employee="Carlos Bodega",
        notes="Entrada de mercancía del proveedor", lines=lines)
    run.move(doc)


def _transfer(run, date, items, principal, branch):
    doc = documents.stock_transfer_create(
        company=run.company, actor=run.actor, from_warehouse=principal, to_warehouse=branch,
        date=date, notes="Reposición de la sucursal",
        lines=[{"item": items[sku], "unit": items[sku].units.get(code="caja"),
                "quantity": str(boxes)} for sku, boxes in TRANSFER_BOXES.items()])
    run.move(doc, "send")
    for action in ("receive", "audit", "confirm"):
        run.move(doc, action, keyed=False)


def _spoilage(run, date, items, principal):
    doc = documents.stock_adjustment_create(
        company=run.company, actor=run.actor, kind=AdjustmentKind.SPOILAGE,
        warehouse=principal, date=date, employee="Carlos Bodega",
        notes="Botellas rotas en la descarga",
        lines=[{"item": items["INV-AGUA"], "quantity": "18"}])
    run.move(doc)


def _count(run, date, items, branch):
    """Agua 7 units short, aceite 2 over, against what the books expect that day."""
    lines = []
    for sku, delta in (("INV-AGUA", -7), ("INV-ACEITE", 2)):
        expected = selectors.stock_quantity(company=run.company, item=items[sku],
                                            warehouse=branch, as_of=date)
        lines.append({"item": items[sku], "counted": str(expected + delta)})
    doc = documents.inventory_count_create(company=run.company, actor=run.actor,
                                           warehouse=branch, date=date, lines=lines,
                                           notes="Conteo físico de fin de trimestre")
    run.move(doc)


def load(*, company, actor, today: dt.date | None = None) -> int:
    """Issue the year of warehouse documents; returns how many are new (0 when loaded)."""
    if StockAdjustment.objects.filter(company=company, issue_key__startswith=f"{KEY}:"
                                      ).exists():
        return 0
    today = today or timezone.localdate()
    items = {row[0]: _item(company, actor, row) for row in ITEMS}
    principal = selectors.warehouse_default(company=company)
    branch = _branch_warehouse(company, actor)
    grni = role_account(company, AccountRole.GRNI)
    first = today - dt.timedelta(weeks=WEEKS)
    events = []  # (date, order, callable): run in date order, nothing backdated
    for week in range(0, WEEKS, RECEIPT_EVERY):
        k = week // RECEIPT_EVERY
        events.append((first + dt.timedelta(weeks=week), 0,
                       lambda run, d, k=k: _receipt(run, d, items, k, principal, grni)))
    for week in range(TRANSFER_EVERY // 2, WEEKS, TRANSFER_EVERY):
        events.append((first + dt.timedelta(weeks=week, days=3), 1,
                       lambda run, d: _transfer(run, d, items, principal, branch)))
    events.append((today - dt.timedelta(days=60), 2,
                   lambda run, d: _spoilage(run, d, items, principal)))
    events.append((today - dt.timedelta(days=14), 3,
                   lambda run, d: _count(run, d, items, branch)))
    run = _Run(company, actor)
    for date, _order, do in sorted(events, key=lambda e: (e[0], e[1])):
        do(run, date)
    return run.n
