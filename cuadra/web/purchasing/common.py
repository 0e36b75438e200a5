"""What every Compras page shares: the tab bar (only the pages the user may open), the
refusal box, reading a company's document (another company's is a 404) and typed lines."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cuadra.access.permissions import Action, Path
from cuadra.access.selectors import has_perm
from cuadra.core.errors import NotFound
from cuadra.purchasing.selectors import POSTED_STATES, supplier_invoice_get

# (tab key, label, url name, the permission that opens it)
TABS = (
    ("requisitions", _("Requisitions"), "web:purchasing_requisitions",
     (Path.PURCHASE_REQUISITIONS, Action.VIEW)),
    ("approvals", _("Approvals"), "web:purchasing_inbox", None),
    ("orders", _("Purchase orders"), "web:purchasing_orders",
     (Path.PURCHASE_ORDERS, Action.VIEW)),
    ("invoices", _("Supplier invoices"), "web:purchasing_invoices",
     (Path.SUPPLIER_INVOICES, Action.VIEW)),
    ("credits", _("Supplier credit notes"), "web:purchasing_credits",
     (Path.SUPPLIER_CREDITS, Action.VIEW)),
    ("expenses", _("Expenses"), "web:purchasing_expenses", (Path.EXPENSES, Action.VIEW)),
    ("payments", _("Supplier payments"), "web:purchasing_payments",
     (Path.SUPPLIER_PAYMENTS, Action.VIEW)),
)


def can(request, path: Path, action: Action) -> bool:
    return has_perm(user=request.user, company=request.active_company, path=path,
                    action=action)


def tabs(request, current: str) -> list[dict]:
    return [{"key": key, "label": label, "url": reverse(url), "current": key == current}
            for key, label, url, perm in TABS if perm is None or can(request, *perm)]


def refusal(error) -> dict | None:
    if error is None:
        return None
    return {"code": error.code, "title": _("Refused"), "message": error.message}


def page(request, template: str, tab: str, context: dict, status: int = 200):
    return render(request, f"web/purchasing/{template}", {
        "current_section": "purchasing", "tabs": tabs(request, tab),
        "posted_states": POSTED_STATES, **context}, status=status)


def get_or_404(getter, **kwargs):
    """A selector's NotFound (also another company's id) is the page's 404."""
    try:
        return getter(company=kwargs.pop("company"), **kwargs)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def supplier_invoice_or_404(request, invoice_id):
    return get_or_404(supplier_invoice_get, company=request.active_company,
                      invoice_id=invoice_id)


def posted_rows(post, prefix: str, fields: tuple[str, ...]) -> list[dict]:
    """Form rows named ``<prefix>-<n>-<field>``; a row whose fields are all blank is
    dropped (a removed or untouched line)."""
    indexes = sorted({int(k.split("-")[1]) for k in post
                      if k.startswith(f"{prefix}-") and k.split("-")[1].isdigit()})
    rows = []
    for n in indexes:
        row = {f: post.get(f"{prefix}-{n}-{f}", "").strip() for f in fields}
        if any(row.values()):
            rows.append(row)
    return rows
