"""Compras → Órdenes de compra and Facturas de proveedor: list and detail; issue and
cancel an order, receive all or part of it, invoice an order or a receipt; an invoice
shows its three-way match differences and, for a user with approve, the override."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cuadra.access.permissions import Action, Path
from cuadra.core.errors import NotFound
from cuadra.purchasing import selectors
from cuadra.purchasing import services as purchasing
from cuadra.purchasing.services.checks import match_differences
from cuadra.web.actions import perform, require
from cuadra.web.purchasing.common import (
    can,
    get_or_404,
    page,
    refusal,
    supplier_invoice_or_404,
)

ZERO = 0


def _order(request, order_id):
    return get_or_404(selectors.purchase_order_get, company=request.active_company,
                      order_id=order_id)


@login_required
def order_list(request):
    require(request, Path.PURCHASE_ORDERS, Action.VIEW)
    status = request.GET.get("status") or None
    rows = selectors.purchase_orders_list(company=request.active_company, status=status
                                          ).select_related("supplier")
    return page(request, "orders.html", "orders", {"rows": rows[:200], "status": status or ""})


def _order_page(request, order, *, error=None, status=200):
    received = selectors.received_quantities(order=order)
    invoiced = selectors.invoiced_quantities(order=order)
    lines = [{"line": li, "received": received.get(li.pk, ZERO),
              "invoiced": invoiced.get(li.pk, ZERO),
              "remaining": li.quantity - received.get(li.pk, ZERO)}
             for li in order.lines.select_related("item").order_by("line_no")]
    return page(request, "order_detail.html", "orders", {
        "doc": order, "lines": lines, "refusal": refusal(error),
        "receipts": order.receipts.order_by("id"),
        "invoices": order.invoices.order_by("id"),
        "can_issue": can(request, Path.PURCHASE_ORDERS, Action.POST),
        # an order with goods received is closed, never cancelled (the guard refuses it)
        "can_cancel": not received and can(request, Path.PURCHASE_ORDERS, Action.UPDATE),
        "can_receive": can(request, Path.GOODS_RECEIPTS, Action.POST),
        "can_invoice": can(request, Path.SUPPLIER_INVOICES, Action.CREATE),
    }, status=status)


@login_required
def order_detail(request, order_id: int):
    require(request, Path.PURCHASE_ORDERS, Action.VIEW)
    return _order_page(request, _order(request, order_id))


def _order_action(request, order_id, *, path, action, operation, write, done):
    order = _order(request, order_id)
    result, error = perform(request, operation=operation, path=path, action=action,
                            write=lambda: write(order))
    if error:
        order.refresh_from_db()
        return None, _order_page(request, order, error=error, status=400)
    messages.success(request, done)
    return result, None


@login_required
@require_POST
def order_issue(request, order_id: int):
    _r, failed = _order_action(
        request, order_id, path=Path.PURCHASE_ORDERS, action=Action.POST,
        operation="web_purchase_order_issue", done=_("Purchase order issued."),
        write=lambda order: purchasing.purchase_order_issue(
            company=request.active_company, actor=request.user, order=order,
            idempotency_key=request.POST.get("idempotency_key") or None))
    return failed or redirect("web:purchasing_order", order_id)


@login_required
@require_POST
def order_cancel(request, order_id: int):
    _r, failed = _order_action(
        request, order_id, path=Path.PURCHASE_ORDERS, action=Action.UPDATE,
        operation="web_purchase_order_cancel", done=_("Purchase order cancelled."),
        write=lambda order: purchasing.purchase_order_cancel(
            company=request.active_company, actor=request.user, order=order,
            reason=request.POST.get("reason", "")))
    return failed or redirect("web:purchasing_order", order_id)


@login_required
@require_POST
def order_receive(request, order_id: int):
    """Receive what the form names per line; all blank: everything that remains."""
    post = request.POST
    rows = [{"line_id": key.split("-", 1)[1], "quantity": value.strip()}
            for key, value in post.items()
            if key.startswith("receive-") and value.strip()]
    _r, failed = _order_action(
        request, order_id, path=Path.GOODS_RECEIPTS, action=Action.POST,
        operation="web_goods_receipt_receive", done=_("Goods received."),
        write=lambda order: purchasing.goods_receipt_receive(
            company=request.active_company, actor=request.user, order=order,
            lines=rows or None, date=post.get("date") or None,
            idempotency_key=post.get("idempotency_key") or None))
    return failed or redirect("web:purchasing_order", order_id)


@login_required
@require_POST
def order_invoice(request, order_id: int):
    """A draft supplier invoice of the order (or of one of its receipts)."""
    post = request.POST
    receipt_id = post.get("receipt", "")

    def write(order):
        data = {"supplier_number": post.get("supplier_number", ""),
                "date": post.get("date") or None}
        if receipt_id:
            receipt = selectors.goods_receipt_get(company=request.active_company,
                                                  receipt_id=receipt_id)
            if receipt.order_id != order.pk:
                raise NotFound("No such receipt of this order.", field="receiptId")
            return purchasing.supplier_invoice_from_receipt(
                company=request.active_company, actor=request.user, receipt=receipt, **data)
        return purchasing.supplier_invoice_from_order(
            company=request.active_company, actor=request.user, order=order, **data)

    invoice, failed = _order_action(
        request, order_id, path=Path.SUPPLIER_INVOICES, action=Action.CREATE,
        operation="web_supplier_invoice_create", done=_("Supplier invoice drafted."),
        write=write)
    return failed or redirect("web:purchasing_invoice", invoice.pk)


@login_required
def invoice_list(request):
    require(request, Path.SUPPLIER_INVOICES, Action.VIEW)
    rows = selectors.supplier_invoices_list(company=request.active_company
                                            ).select_related("supplier")
    return page(request, "invoices.html", "invoices", {"rows": rows[:200]})


def _invoice_page(request, invoice, *, error=None, status=200):
    with transaction.atomic():  # the match reads its orders under a row lock
        differences = match_differences(invoice)
    return page(request, "invoice_detail.html", "invoices", {
        "doc": invoice, "refusal": refusal(error), "differences": differences,
        "lines": invoice.lines.select_related("order_line").order_by("line_no"),
        "can_issue": can(request, Path.SUPPLIER_INVOICES, Action.POST),
        "can_override": can(request, Path.SUPPLIER_INVOICES, Action.APPROVE),
        "can_pay": can(request, Path.SUPPLIER_PAYMENTS, Action.POST),
        # a related credit note: what GraphQL createSupplierCredit requires, on a posted
        # invoice with something left to credit
        "can_credit": (invoice.status in selectors.POSTED_STATES
                       and can(request, Path.SUPPLIER_CREDITS, Action.CREATE)
                       and _creditable(invoice)),
        "credits": (invoice.credit_notes.order_by("id")
                    if can(request, Path.SUPPLIER_CREDITS, Action.VIEW) else ()),
    }, status=status)


def _creditable(invoice) -> bool:
    used = selectors.credited_quantities(invoice=invoice)
    return any(li.quantity > used.get(li.pk, ZERO) for li in invoice.lines.all())


@login_required
def invoice_detail(request, invoice_id: int):
    require(request, Path.SUPPLIER_INVOICES, Action.VIEW)
    return _invoice_page(request, supplier_invoice_or_404(request, invoice_id))


def _invoice_action(request, invoice_id, *, action, operation, write, done):
    invoice = supplier_invoice_or_404(request, invoice_id)
    _result, error = perform(request, operation=operation, path=Path.SUPPLIER_INVOICES,
                             action=action, write=lambda: write(invoice))
    if error:
        invoice.refresh_from_db()
        return _invoice_page(request, invoice, error=error, status=400)
    messages.success(request, done)
    return redirect("web:purchasing_invoice", invoice_id)


@login_required
@require_POST
def invoice_issue(request, invoice_id: int):
    return _invoice_action(
        request, invoice_id, action=Action.POST, operation="web_supplier_invoice_issue",
        done=_("Supplier invoice posted."),
        write=lambda invoice: purchasing.supplier_invoice_issue(
            company=request.active_company, actor=request.user, invoice=invoice,
            idempotency_key=request.POST.get("idempotency_key") or None))


@login_required
@require_POST
def invoice_override(request, invoice_id: int):
    return _invoice_action(
        request, invoice_id, action=Action.APPROVE,
        operation="web_supplier_invoice_match_override",
        done=_("Match override recorded."),
        write=lambda invoice: purchasing.supplier_invoice_match_override(
            company=request.active_company, actor=request.user, invoice=invoice,
            reason=request.POST.get("reason", "")))
