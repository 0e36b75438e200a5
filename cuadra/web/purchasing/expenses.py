"""Compras → Gastos: the list and one form (account, tax, payment method, the receipt's
file stored through the purchasing service); saved and posted in one use case."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from cuadra.access.permissions import Action, Path
from cuadra.catalog.models import Tax
from cuadra.contacts.models import Supplier
from cuadra.ledger.enums import AccountType
from cuadra.ledger.models import Account
from cuadra.purchasing import selectors
from cuadra.purchasing import services as purchasing
from cuadra.purchasing.enums import ExpensePayment
from cuadra.web.actions import field_errors, perform, require
from cuadra.web.purchasing.common import can, page
from cuadra.web.purchasing.labels import choices

FIELDS = ("date", "description", "amount", "expense_account", "tax", "payment_method",
          "supplier")


@login_required
def expense_list(request):
    require(request, Path.EXPENSES, Action.VIEW)
    rows = selectors.expenses_list(company=request.active_company
                                   ).select_related("expense_account", "supplier")
    return page(request, "expenses.html", "expenses", {
        "rows": rows[:200], "can_create": can(request, Path.EXPENSES, Action.POST),
        "can_pay": can(request, Path.SUPPLIER_PAYMENTS, Action.POST)})


def _form(request, *, errors=None, status=200):
    company = request.active_company
    return page(request, "expense_form.html", "expenses", {
        "accounts": Account.objects.filter(company=company, type=AccountType.EXPENSE,
                                           is_group=False, is_active=True).order_by("code"),
        "taxes": Tax.objects.filter(company=company, is_active=True).order_by("code"),
        "suppliers": Supplier.objects.filter(company=company, is_active=True
                                             ).order_by("code"),
        "methods": choices("method", ExpensePayment.values),
        "values": {f: request.POST.get(f, "") for f in FIELDS},
        "errors": errors or {},
    }, status=status)


@login_required
def expense_new(request):
    require(request, Path.EXPENSES, Action.CREATE)
    if request.method != "POST":
        return _form(request)
    post, upload = request.POST, request.FILES.get("receipt")

    def write():
        company, actor = request.active_company, request.user
        stored = (purchasing.stored_file_put(company=company, actor=actor,
                                             content=upload.read(), name=upload.name,
                                             content_type=upload.content_type or "")
                  if upload else None)
        expense = purchasing.expense_create(
            company=company, actor=actor, description=post.get("description", ""),
            amount=post.get("amount", "").replace(",", "").strip(),
            expense_account=post.get("expense_account") or None,
            tax=post.get("tax") or None,
            payment_method=post.get("payment_method", ""),
            supplier=post.get("supplier") or None, date=post.get("date") or None,
            receipt_file=stored)
        return purchasing.expense_post(company=company, actor=actor, expense=expense,
                                       idempotency_key=post.get("idempotency_key") or None)

    result, error = perform(request, operation="web_expense_create", path=Path.EXPENSES,
                            action=Action.POST, write=write)
    if error:
        return _form(request, errors=field_errors(error), status=400)
    messages.success(request, _("Expense %(number)s posted.") % {
        "number": result.document.number})
    return redirect("web:purchasing_expenses")
