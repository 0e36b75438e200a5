"""The four sales documents the pages show, each with its model, RBAC path, selectors and
URL names, so one set of views serves them all."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cuadra.access.permissions import Path
from cuadra.sales import selectors, services
from cuadra.sales.models import SalesCreditNote, SalesInvoice, SalesOrder, SalesQuote


@dataclass(frozen=True)
class Kind:
    slug: str            # URL segment: sales/<slug>/
    key: str             # url names: web:<key>s (list), web:<key> (detail), web:<key>_new ...
    tab: str
    model: type
    path: Path
    label: Promise
    plural: Promise
    new_label: Promise
    get: Callable
    list: Callable
    create: Callable | None  # credit notes are created from an invoice only

    @property
    def name(self) -> str:
        """The namespaced URL name stem templates reverse: web:sales_invoice ..."""
        return f"web:{self.key}"


KINDS = {
    "quotes": Kind("quotes", "sales_quote", "quotes", SalesQuote, Path.SALES_QUOTES,
                   _("Quote"), _("Quotes"), _("New quote"),
                   lambda c, pk: selectors.sales_quote_get(company=c, quote_id=pk),
                   selectors.sales_quotes_list, services.sales_quote_create),
    "orders": Kind("orders", "sales_order", "orders", SalesOrder, Path.SALES_ORDERS,
                   _("Order"), _("Orders"), _("New order"),
                   lambda c, pk: selectors.sales_order_get(company=c, order_id=pk),
                   selectors.sales_orders_list, services.sales_order_create),
    "invoices": Kind("invoices", "sales_invoice", "invoices", SalesInvoice,
                     Path.SALES_INVOICES, _("Invoice"), _("Invoices"), _("New invoice"),
                     lambda c, pk: selectors.sales_invoice_get(company=c, invoice_id=pk),
                     selectors.sales_invoices_list, services.sales_invoice_create),
    "credit-notes": Kind("credit-notes", "sales_credit_note", "credit_notes", SalesCreditNote,
                         Path.CREDIT_NOTES, _("Credit note"), _("Credit notes"),
                         _("New credit note"),
                         lambda c, pk: selectors.sales_credit_note_get(company=c,
                                                                       credit_note_id=pk),
                         selectors.sales_credit_notes_list, None),
}
KIND_OF_MODEL = {kind.model: kind for kind in KINDS.values()}

STATE_LABELS = {
    "draft": _("Draft"), "issued": _("Issued"), "voided": _("Voided"),
    "cancelled": _("Cancelled"), "audited": _("Audited"), "confirmed": _("Confirmed"),
    "storage_audit": _("Storage audit"), "entry_audit": _("Entry audit"), "final": _("Final"),
}

ACTION_LABELS = {
    "issue": _("Issue"), "void": _("Void"), "cancel": _("Cancel draft"),
    "audit": _("Audit"), "confirm": _("Confirm"), "storage_audit": _("Storage audit"),
    "entry_audit": _("Entry audit"), "finalize": _("Finalize"), "reopen": _("Reopen"),
    "reverse": _("Step back"),
}

INVOICE_KIND_LABELS = {
    "INVOICE": _("Invoice"), "TAX_INVOICE": _("Tax invoice"),
    "RECEIPT_TAX_INVOICE": _("Receipt tax invoice (cash sale)"),
}
