"""Human (translated) labels of purchasing codes: document states, payment states and
statuses, payment methods, approval request states. Documents are feminine in Spanish
(requisición, orden, factura, nota, entrada), expenses and payments masculine (gasto,
pago): each has its own map where the adjective differs."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

DOCUMENT_STATES = {
    "draft": _("Draft"), "submitted": pgettext_lazy("purchase document", "Submitted"),
    "released": pgettext_lazy("purchase document", "Released"),
    "issued": _("Issued"), "closed": pgettext_lazy("purchase document", "Closed"),
    "cancelled": _("Cancelled"), "voided": _("Voided"), "audited": _("Audited"),
    "confirmed": _("Confirmed"), "storage_audit": _("Storage audit"),
    "entry_audit": _("Entry audit"), "final": _("Final"),
}
EXPENSE_STATES = {
    "draft": _("Draft"), "issued": pgettext_lazy("expense", "Posted"),
    "cancelled": pgettext_lazy("expense", "Cancelled"),
    "voided": pgettext_lazy("expense", "Voided"),
}
PAYMENT_STATES = {"PAID": _("Paid"), "PARTIAL": _("Partially paid"), "UNPAID": _("Unpaid")}
EXPENSE_PAYMENT_STATES = {"PAID": pgettext_lazy("expense", "Paid"),
                          "PARTIAL": _("Partially paid"), "UNPAID": _("Unpaid")}
PAYMENT_CSS = {"PAID": "paid", "PARTIAL": "partial", "UNPAID": "unpaid"}
PAYMENT_STATUSES = {"PENDING": pgettext_lazy("payment", "Pending"),
                    "SUCCEEDED": pgettext_lazy("payment", "Succeeded"),
                    "FAILED": pgettext_lazy("payment", "Failed")}
METHODS = {"CASH": pgettext_lazy("payment method", "Cash"),
           "BANK_TRANSFER": _("Bank transfer"), "CHEQUE": _("Cheque"), "CARD": _("Card"),
           "CREDIT": _("On credit")}
APPROVAL_STATUSES = {"PENDING": pgettext_lazy("approval", "Pending"),
                     "APPROVED": pgettext_lazy("approval", "Approved"),
                     "REJECTED": pgettext_lazy("approval", "Rejected"),
                     "VOID": pgettext_lazy("approval", "Void")}

CREDIT_KINDS = {"related": pgettext_lazy("supplier credit", "Related"),
                "free": pgettext_lazy("supplier credit", "Free")}
# the lifecycle steps a supplier credit note offers (simple and five_stage)
ACTIONS = {"issue": _("Post"), "void": _("Void"), "cancel": _("Cancel draft"),
           "audit": _("Audit"), "confirm": _("Confirm"), "storage_audit": _("Storage audit"),
           "entry_audit": _("Entry audit"), "finalize": _("Finalize"), "reopen": _("Reopen"),
           "reverse": _("Step back")}

DIFFERENCES = {"NOT_RECEIVED": _("Not received"), "OVER_ORDERED": _("Beyond the order"),
               "PRICE": _("Price")}
DOCUMENT_TYPES = {"PURCHASE_REQUISITION": _("Purchase requisition")}

_MAPS = {"difference": DIFFERENCES, "document_type": DOCUMENT_TYPES,
         "document": DOCUMENT_STATES, "credit_kind": CREDIT_KINDS, "action": ACTIONS,
         "expense": EXPENSE_STATES,
         "payment_state": PAYMENT_STATES, "expense_payment": EXPENSE_PAYMENT_STATES,
         "payment": PAYMENT_STATUSES, "method": METHODS, "approval": APPROVAL_STATUSES}


def label(code: str, kind: str = "document") -> str:
    """The label of ``code`` in the ``kind`` map; an unknown code shows as it is."""
    return str(_MAPS[kind].get(code, code))


def choices(kind: str, codes) -> list[tuple[str, str]]:
    return [(code, label(code, kind)) for code in codes]
