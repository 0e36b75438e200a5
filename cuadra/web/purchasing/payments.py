"""Compras → Pagos a proveedores: the list, and the form that pays a supplier's open
supplier invoices and expenses on credit (amount, method, date, reference, an amount per
open document; what is not allocated stays the payment's unapplied credit)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from cuadra.access.permissions import Action, Path
from cuadra.contacts.models import Supplier
from cuadra.purchasing import selectors
from cuadra.purchasing import services as purchasing
from cuadra.purchasing.enums import ExpensePayment, PaymentMethod
from cuadra.purchasing.models import Expense, SupplierInvoice
from cuadra.web.actions import field_errors, perform, require
from cuadra.web.purchasing.common import can, page
from cuadra.web.purchasing.labels import choices

FIELDS = ("supplier", "amount", "method", "date", "reference")


@login_required
def payment_list(request):
    require(request, Path.SUPPLIER_PAYMENTS, Action.VIEW)
    rows = selectors.supplier_payments_list(company=request.active_company
                                            ).select_related("supplier")
    return page(request, "payments.html", "payments", {
        "rows": rows[:200], "can_create": can(request, Path.SUPPLIER_PAYMENTS, Action.POST)})


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
