"""A year of the DEMO company's purchasing (issue 6 item 9), through the purchasing and
approvals services.

Every other week ``compras`` asks for two or three catalog items at their cost; the
owner's policy (``demo.approvals``: over $500 → the owner, escalation after 24 hours)
sends the larger ones to the owner, who approves most, lets some wait past the deadline
(escalated by ``approval_steps_escalate``, then approved) and rejects some (the requester
then cancels them). Each approved or unguarded requisition becomes a purchase order to a
demo supplier, issued, received (in two parts one time in three), and invoiced by the
supplier; invoices past their terms are paid by transfer or cheque. Every month one or two
expenses (cash, bank or on credit) are posted. A seeded generator builds the same
documents on every run; an idempotency key on each issue (``demo-purchasing:<n>``) and the
check below make a second ``cuadra demo`` add nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from cuadra.approvals.selectors import approval_request_active
from cuadra.approvals.services import (
    approval_approve,
    approval_reject,
    approval_steps_escalate,
)
from cuadra.catalog.models import Item, Tax
from cuadra.contacts.models import Supplier
from cuadra.ledger.models import Account
from cuadra.purchasing import services
from cuadra.purchasing.enums import REQUISITION_TYPE
from cuadra.purchasing.models import SupplierInvoice

WEEKS = 52
EVERY = 2  # a requisition every other week: 26 in the year
SEED = 2027
REQUESTER = "compras"
EXPENSES = (("Taxi y mensajería", "CASH", "15.00"), ("Internet de la oficina", "BANK_TRANSFER",
                                                     "65.00"),
            ("Mantenimiento del aire acondicionado", "CREDIT", "120.00"),
            ("Papelería menor", "CASH", "23.50"))


class _Keys:
    def __init__(self):
        self.n = 0

    def next(self) -> str:
        self.n += 1
        return f"demo-purchasing:{self.n}"


def _requisition(ctx, date: dt.date):
    """Submit one requisition and decide its approval; returns it when it may be ordered."""
    rng, company, requester = ctx["rng"], ctx["company"], ctx["requester"]
    items = rng.sample(ctx["items"], rng.randint(2, min(3, len(ctx["items"]))))
    scale = 10 if rng.random() < 0.5 else 1  # a restock of the whole quarter, or a top-up
    lines = [{"item": item.pk, "quantity": str(rng.randint(5, 30) * scale),
              "estimated_price": str(item.cost if item.cost > 0 else Decimal("12.00")),
              "needed_by": (date + dt.timedelta(days=14)).isoformat()} for item in items]
    req = services.purchase_requisition_create(company=company, actor=requester, date=date,
                                               lines=lines, notes="Reposición")
    services.purchase_requisition_submit(company=company, actor=requester, requisition=req)
    req.refresh_from_db()
    if approval_request_active(company=company, document_type=REQUISITION_TYPE,
                               document_id=req.pk) is None:
        return req
    owner, g = ctx["actor"], ctx["guarded"]
    ctx["guarded"] += 1
    if g % 5 == 2:  # rejected; the requester withdraws it
        approval_reject(company=company, actor=owner, document=req,
                        reason="Fuera del presupuesto del mes")
        services.purchase_requisition_move(company=company, actor=requester,
                                           requisition=req, action="cancel",
                                           comment="Rechazada por la dueña")
        return None
    if g % 4 == 1:  # waited past the 24 hours: escalated, then approved
        approval_steps_escalate(now=timezone.now() + dt.timedelta(hours=25))
    approval_approve(company=company, actor=owner, document=req, comment="Aprobado")
    return req


def _waiting_requisition(ctx, today: dt.date) -> None:
    """Today's restock, over the owner's $500 threshold and not decided yet: what the
    owner finds in the approvals inbox and in the home page's count."""
    company, requester = ctx["company"], ctx["requester"]
    lines = []
    for item in ctx["items"][:2]:
        price = item.cost if item.cost > 0 else Decimal("12.00")
        # each line about $300: the requisition is over the $500 threshold
        quantity = max(40, -(-Decimal(300) // price))
        lines.append({"item": item.pk, "quantity": str(quantity), "estimated_price": str(price),
                      "needed_by": (today + dt.timedelta(days=10)).isoformat()})
    req = services.purchase_requisition_create(company=company, actor=requester, date=today,
                                               lines=lines, notes="Reposición de temporada")
    services.purchase_requisition_submit(company=company, actor=requester, requisition=req)


def _order_receive_invoice(ctx, req, date: dt.date) -> None:
    rng, company, actor, keys = ctx["rng"], ctx["company"], ctx["requester"], ctx["keys"]
    supplier = rng.choice(ctx["suppliers"])
    [order] = services.purchase_requisition_convert(
        company=company, actor=actor, requisition=req, date=date,
        lines=[{"line_id": li.pk, "supplier": supplier.pk} for li in req.lines.all()])
    services.purchase_order_issue(company=company, actor=actor, order=order,
                                  idempotency_key=keys.next())
    lines = list(order.lines.order_by("line_no"))
    arrival = date + dt.timedelta(days=3)
    if rng.random() < 1 / 3 and lines[0].quantity > 1:  # two deliveries
        half = (lines[0].quantity // 2).normalize()
        services.goods_receipt_receive(company=company, actor=actor, order=order,
                                       date=arrival, idempotency_key=keys.next(),
                                       lines=[{"line_id": lines[0].pk, "quantity": half}])
        arrival += dt.timedelta(days=4)
    services.goods_receipt_receive(company=company, actor=actor, order=order, date=arrival,
                                   idempotency_key=keys.next())
    invoice = services.supplier_invoice_from_order(
        company=company, actor=actor, order=order, date=arrival,
        supplier_number=f"F-{supplier.code}-{keys.n + 1:04d}")
    services.supplier_invoice_issue(company=company, actor=actor, invoice=invoice,
                                    idempotency_key=keys.next())
    ctx["invoices"].append(invoice)


def _expenses(ctx, month_day: dt.date, month: int) -> None:
    rng, company, actor = ctx["rng"], ctx["company"], ctx["requester"]
    for j in range(1 + month % 2):
        text, method, amount = EXPENSES[(month + j) % len(EXPENSES)]
        expense = services.expense_create(
            company=company, actor=actor, description=text, amount=amount,
            expense_account=ctx["expense_account"].pk, payment_method=method,
            tax=ctx["tax"].pk if ctx["tax"] else None,
            supplier=rng.choice(ctx["suppliers"]).pk if method == "CREDIT" else None,
            date=month_day + dt.timedelta(days=j))
        services.expense_post(company=company, actor=actor, expense=expense,
                              idempotency_key=ctx["keys"].next())


def _pay(ctx, today: dt.date) -> None:
    rng, company, actor = ctx["rng"], ctx["company"], ctx["actor"]
    due = []
    for invoice in ctx["invoices"]:
        invoice.refresh_from_db()
        when = invoice.due_date or invoice.date
        if when + dt.timedelta(days=5) < today and rng.random() > 0.1:
            due.append((when, invoice))
    for k, (when, invoice) in enumerate(sorted(due, key=lambda row: (row[0], row[1].pk))):
        services.supplier_payment_register(
            company=company, actor=actor, supplier=invoice.supplier,
            amount=invoice.amount_due, method="CHEQUE" if k % 7 == 3 else "BANK_TRANSFER",
            date=when, reference=f"PP-REF-{k + 1:05d}",
            allocations=[{"invoice": invoice, "amount": invoice.amount_due}],
            idempotency_key=f"demo-purchasing-payment:{k + 1}")


def load(*, company, actor, today: dt.date | None = None) -> int:
    """Issue the year of purchasing; returns how many supplier invoices are new (0 when
    loaded already or when the demo has no suppliers, items or requester)."""
    if SupplierInvoice.objects.filter(company=company,
                                      issue_key__startswith="demo-purchasing:").exists():
        return 0
    today = today or timezone.localdate()
    requester = get_user_model().objects.filter(username=REQUESTER).first()
    suppliers = list(Supplier.objects.filter(company=company, is_active=True).order_by("code"))
    items = list(Item.objects.filter(company=company, is_active=True, kind="goods")
                 .order_by("sku"))
    account = (Account.objects.filter(company=company, type="EXPENSE", is_group=False,
                                      is_active=True).order_by("code").first())
    if requester is None or not suppliers or len(items) < 2 or account is None:
        return 0
    ctx = {"rng": random.Random(SEED), "company": company, "actor": actor,
           "requester": requester, "suppliers": suppliers, "items": items,
           "expense_account": account, "keys": _Keys(), "invoices": [], "guarded": 0,
           "tax": Tax.objects.filter(company=company, code="01", is_active=True).first()}
    first = today - dt.timedelta(weeks=WEEKS)
    for week in range(0, WEEKS, EVERY):
        date = first + dt.timedelta(weeks=week)
        req = _requisition(ctx, date)
        if req is not None:
            _order_receive_invoice(ctx, req, date)
        if week % 4 == 0:
            _expenses(ctx, date + dt.timedelta(days=1), week // 4)
    _pay(ctx, today)
    _waiting_requisition(ctx, today)
    return SupplierInvoice.objects.filter(company=company,
                                          issue_key__startswith="demo-purchasing:").count()
