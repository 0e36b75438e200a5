"""Compras → Pagos a proveedores: the list, and the form that pays a supplier's open
supplier invoices and expenses on credit (amount, method, date, reference, an amount per
open document; what is not allocated stays the payment's unapplied credit). A succeeded
payment with unapplied credit offers a refund form (the supplier pays some of it back);
the refunds made are listed under their payment."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cuadra.access.permissions import Action, Path
from cuadra.contacts.models import Supplier
from cuadra.ledger.enums import AccountRole
from cuadra.ledger.models import Account
from cuadra.purchasing import selectors
from cuadra.purchasing import services as purchasing
from cuadra.purchasing.enums import ExpensePayment, PaymentMethod, PaymentStatus
from cuadra.purchasing.models import Expense, SupplierInvoice
from cuadra.web.actions import field_errors, perform, require
from cuadra.web.purchasing.common import can, get_or_404, page, refusal
from cuadra.web.purchasing.labels import choices

FIELDS = ("supplier", "amount", "method", "date", "reference")


REFUND_FIELDS = ("amount", "date", "account", "reference")


def _list_page(request, *, refund_for=None, error=None, status=200):
    """The payments (each with its refunds); ``refund_for`` is the payment whose refund
    form was refused: its values and field errors come back on it."""
    company = request.active_company
    rows = list(selectors.supplier_payments_list(company=company).select_related(
        "supplier").prefetch_related("refunds__account")[:200])
    values = {f: request.POST.get(f, "") for f in REFUND_FIELDS} if refund_for else {}
    values["date"] = values.get("date") or timezone.localdate().isoformat()
    return page(request, "payments.html", "payments", {
        "rows": rows, "can_create": can(request, Path.SUPPLIER_PAYMENTS, Action.POST),
        "can_refund": can(request, Path.SUPPLIER_PAYMENTS, Action.POST),
        "succeeded": PaymentStatus.SUCCEEDED, "refund_for": refund_for,
        "refund_values": values, "refund_errors": field_errors(error),
        "refusal": refusal(error),
        "accounts": Account.objects.filter(company=company, is_group=False, is_active=True,
                                           role__in=(AccountRole.CASH, AccountRole.BANK)
                                           ).order_by("code"),
    }, status=status)


@login_required
def payment_list(request):
    require(request, Path.SUPPLIER_PAYMENTS, Action.VIEW)
    return _list_page(request)


@login_required
@require_POST
def payment_refund(request, payment_id: int):
    """The supplier paid back part of the payment's unapplied credit (GraphQL
    ``refundSupplierPayment``)."""
    require(request, Path.SUPPLIER_PAYMENTS, Action.VIEW)
    company, post = request.active_company, request.POST
    payment = get_or_404(selectors.supplier_payment_get, company=company,
                         payment_id=payment_id)
    refund, error = perform(
        request, operation="web_supplier_payment_refund", path=Path.SUPPLIER_PAYMENTS,
        action=Action.POST,
        write=lambda: purchasing.supplier_payment_refund(
            company=company, actor=request.user, payment=payment,
            amount=post.get("amount", "").replace(",", "").strip(),
            date=post.get("date") or None, account=post.get("account") or None,
            reference=post.get("reference", ""),
            idempotency_key=post.get("idempotency_key") or None))
    if error:
        return _list_page(request, refund_for=payment.pk, error=error, status=400)
    messages.success(request, _("Refund of %(amount)s recorded on payment %(number)s.") % {
        "amount": f"{refund.amount:.2f}", "number": payment.number})
    return redirect("web:purchasing_payments")


def _supplier(company, value):
    text = str(value or "")
    return (Supplier.objects.filter(company=company, pk=int(text), is_active=True).first()
            if text.isdigit() else None)


def _open_documents(company, supplier) -> list[dict]:
    """The supplier's posted invoices and expenses on credit that still owe something,
    each with the name of its amount input (``invoice-<id>`` / ``expense-<id>``)."""
    if supplier is None:
        return []
    invoices = SupplierInvoice.objects.filter(
        company=company, supplier=supplier, status__in=selectors.POSTED_STATES,
        amount_due__gt=0).order_by("due_date", "pk")
    expenses = Expense.objects.filter(
        company=company, supplier=supplier, status__in=selectors.POSTED_STATES,
        payment_method=ExpensePayment.CREDIT, amount_due__gt=0).order_by("date", "pk")
    return ([{"kind": "invoice", "field": f"invoice-{d.pk}", "doc": d,
              "label": _("Supplier invoice"), "due_date": d.due_date,
              "reference": d.supplier_number} for d in invoices]
            + [{"kind": "expense", "field": f"expense-{d.pk}", "doc": d,
                "label": _("Expense on credit"), "due_date": d.date,
                "reference": d.description} for d in expenses])


def _form(request, *, errors=None, status=200):
    company = request.active_company
    data = request.POST if request.method == "POST" else request.GET
    values = {f: data.get(f, "") for f in FIELDS}
    values["date"] = values["date"] or timezone.localdate().isoformat()
    values["method"] = values["method"] or PaymentMethod.BANK_TRANSFER
    supplier = _supplier(company, values["supplier"])
    documents = _open_documents(company, supplier)
    for row in documents:
        row["value"] = data.get(row["field"], "")
        row["error"] = (errors or {}).get(row["field"], "")
    return page(request, "payment_form.html", "payments", {
        "suppliers": Supplier.objects.filter(company=company, is_active=True
                                             ).order_by("code"),
        "supplier": supplier, "documents": documents,
        "methods": choices("method", PaymentMethod.values), "values": values,
        "errors": errors or {}}, status=status)


def _allocations(post, documents) -> list[dict]:
    return [{row["kind"]: row["doc"].pk,
             "amount": post.get(row["field"], "").replace(",", "").strip()}
            for row in documents if post.get(row["field"], "").strip()]


@login_required
def payment_new(request):
    require(request, Path.SUPPLIER_PAYMENTS, Action.POST)
    if request.method != "POST":
        return _form(request)
    company, post = request.active_company, request.POST
    supplier = _supplier(company, post.get("supplier"))
    documents = _open_documents(company, supplier)
    payment, error = perform(
        request, operation="web_supplier_payment_register", path=Path.SUPPLIER_PAYMENTS,
        action=Action.POST,
        write=lambda: purchasing.supplier_payment_register(
            company=company, actor=request.user, supplier=post.get("supplier") or "",
            amount=post.get("amount", "").replace(",", "").strip(),
            method=post.get("method", ""), date=post.get("date") or None,
            reference=post.get("reference", ""),
            allocations=_allocations(post, documents),
            idempotency_key=post.get("idempotency_key") or None))
    if error:
        errors = field_errors(error)
        for key, message in list(errors.items()):
            # allocations[i].amount -> the input of the i-th allocated document
            if key.startswith("allocations[") and "]" in key:
                index = key[len("allocations["):key.index("]")]
                wanted = [r for r in documents if post.get(r["field"], "").strip()]
                if index.isdigit() and int(index) < len(wanted):
                    errors[wanted[int(index)]["field"]] = message
        return _form(request, errors=errors, status=400)
    messages.success(request, _("Payment %(number)s registered.") % {"number": payment.number})
    return redirect("web:purchasing_payments")
