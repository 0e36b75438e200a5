"""Register a payment on the invoice detail page, and the invoice's payment state badge
(paid green, partial yellow, unpaid red; overdue when past its due date and not paid).

Payments are the sales domain's (``cuadra.sales.payment_services.payment_register``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cuadra.access.permissions import Action, Path
from cuadra.core.errors import NotFound
from cuadra.core.errors import PermissionDenied as DomainPermissionDenied
from cuadra.sales import enums
from cuadra.sales import selectors as sales_selectors
from cuadra.sales.payment_services import payment_register
from cuadra.web.accounting.common import can, parse_amount, parse_date
from cuadra.web.actions import field_errors, perform, require
from cuadra.web.sales.common import forbidden, money_plain

STATE_LABELS = {"PAID": gettext_lazy("Paid"), "PARTIAL": gettext_lazy("Partially paid"),
                "UNPAID": gettext_lazy("Unpaid")}
STATE_CSS = {"PAID": "paid", "PARTIAL": "partial", "UNPAID": "unpaid"}
METHOD_LABELS = {"CASH": gettext_lazy("Cash"), "BANK_TRANSFER": gettext_lazy("Bank transfer"),
                 "CHEQUE": gettext_lazy("Cheque"), "CARD": gettext_lazy("Card")}


def methods() -> list[tuple[str, str]]:
    return [(v, METHOD_LABELS.get(v, v)) for v in enums.PaymentMethod.values]


def state_of(invoice) -> dict | None:
    """The badge of a posted invoice, or None (a draft or voided invoice)."""
    state = invoice.payment_state
    if invoice.status not in sales_selectors.POSTED_STATES:
        return None
    overdue = invoice.is_overdue(timezone.localdate())
    return {"state": state, "label": STATE_LABELS.get(state, state),
            "css": STATE_CSS.get(state, ""), "overdue": overdue,
            "paid": invoice.amount_paid, "due": invoice.amount_due}


def detail_context(request, invoice, *, values=None) -> dict:
    payment = state_of(invoice)
    can_pay = (payment is not None and payment["state"] != "PAID"
               and can(request, Path.PAYMENTS, Action.CREATE))
    return {"payment": payment, "can_pay": can_pay, "payment_methods": methods(),
            "payment_values": values or {
                "amount": money_plain(payment["due"]) if payment and payment["due"] else "",
                "method": "BANK_TRANSFER", "date": timezone.localdate().isoformat(),
                "reference": ""}}


def _register(request, invoice, values: dict):
    """One payment of the client, applied to this invoice up to what it still asks for;
    anything above stays with the client as unapplied credit."""
    amount = parse_amount(values["amount"])
    applied = min(amount, invoice.amount_due) if amount is not None and amount > 0 else None
    return payment_register(
        company=request.active_company, actor=request.user, client=invoice.client,
        amount=amount if amount is not None else values["amount"], method=values["method"],
        date=parse_date(values["date"]) or values["date"], reference=values["reference"],
        allocations=[{"invoice": invoice, "amount": applied}] if applied else [],
        idempotency_key=values["key"] or None)


def _form_errors(fields: dict) -> dict:
    """Allocation errors belong to the amount the user typed."""
    return {("amount" if name.startswith("allocations[") else name): message
            for name, message in fields.items()}


@login_required
@require_POST
def invoice_payment(request, pk: int):
    from cuadra.web.sales.documents import KINDS, _render_detail

    kind = KINDS["invoices"]
    require(request, kind.path, Action.VIEW)
    try:
        invoice = sales_selectors.sales_invoice_get(company=request.active_company,
                                                    invoice_id=pk)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    post = request.POST
    values = {"amount": post.get("amount", "").strip(), "method": post.get("method", ""),
              "date": post.get("date", "").strip(), "reference": post.get("reference", ""),
              "key": post.get("payment_key", "")}
    payment, error = perform(request, operation="web_payment_register", path=Path.PAYMENTS,
                              action=Action.CREATE, write=lambda: _register(request, invoice,
                                                                            values))
    if isinstance(error, DomainPermissionDenied):
        return forbidden(request, error)
    if error:
        context = detail_context(request, invoice, values=values)
        context["errors"] = _form_errors(field_errors(error))
        return _render_detail(request, kind, invoice, error=error, status=400, extra=context)
    invoice.refresh_from_db()
    messages.success(request, _("Payment %(number)s of %(amount)s registered.") % {
        "number": payment.number or payment.pk, "amount": number_format(
            payment.amount, 2, force_grouping=True)})
    if payment.unapplied > 0:
        messages.info(request, _("%(amount)s stays with the client as credit.") % {
            "amount": number_format(payment.unapplied, 2, force_grouping=True)})
    return redirect("web:sales_invoice", pk=invoice.pk)
