"""The workflows each purchasing document offers.

* Requisition: draft → submitted (approvals open their request) → released (guarded by
  APPROVAL_REQUIRED: the conversion to purchase orders runs it) → closed; a rejection
  takes it back to draft. The number is taken at ``submit`` (stage ``numbering``).
* Purchase order: draft → issued (numbered) → closed; cancellable from draft, and from
  issued until something is received (a guard checks).
* Goods receipt: ``simple`` (number and the stock hook at ``issue``; void undoes).
* Supplier invoice and credit note: ``simple`` and seed 001's ``five_stage`` ("audit
  confirm storage_audit entry_audit final"), the ledger at ``entry_audit``.
* Supplier payment: PENDING → SUCCEEDED (posts) → FAILED (reverses, unallocates); a
  pending payment may fail too.
* Expense: ``simple`` (posted at ``issue``).
"""

from __future__ import annotations

from cuadra.access.permissions import Action, Path
from cuadra.documents.lifecycle import Transition, Workflow
from cuadra.documents.presets import (
    CANCELLED,
    DRAFT,
    FIVE_STAGE,
    ISSUED,
    LEDGER,
    SIMPLE,
    five_stage_workflow,
    simple_workflow,
    status_choices,
)
from cuadra.purchasing.enums import PaymentStatus

NUMBERING = "numbering"
ALLOCATION = "allocation"  # a failed payment releases its allocations
SUBMITTED, RELEASED, CLOSED = "submitted", "released", "closed"
REQUISITION = "requisition"
ORDER = "purchase_order"
PAYMENT = "supplier_payment"


def _t(path, action, sources, target, perm, effects=(), compensates=()):
    return Transition(action=action, sources=tuple(sources), target=target, path=path,
                      perm=perm, effects=tuple(effects), compensates=tuple(compensates))


_R = Path.PURCHASE_REQUISITIONS
REQUISITION_WORKFLOW = Workflow(
    key=REQUISITION, initial=DRAFT, states=(DRAFT, SUBMITTED, RELEASED, CLOSED, CANCELLED),
    transitions=(
        _t(_R, "submit", [DRAFT], SUBMITTED, Action.CREATE, effects=(NUMBERING,)),
        _t(_R, "reject", [SUBMITTED], DRAFT, Action.APPROVE),
        _t(_R, "release", [SUBMITTED], RELEASED, Action.CREATE),
        _t(_R, "close", [RELEASED], CLOSED, Action.UPDATE),
        _t(_R, "cancel", [DRAFT, SUBMITTED], CANCELLED, Action.UPDATE),
    ))

_O = Path.PURCHASE_ORDERS
ORDER_WORKFLOW = Workflow(
    key=ORDER, initial=DRAFT, states=(DRAFT, ISSUED, CLOSED, CANCELLED),
    transitions=(
        _t(_O, "issue", [DRAFT], ISSUED, Action.POST, effects=(NUMBERING,)),
        _t(_O, "close", [ISSUED], CLOSED, Action.POST),
        _t(_O, "cancel", [DRAFT], CANCELLED, Action.UPDATE),
        _t(_O, "cancel", [ISSUED], CANCELLED, Action.POST),
    ))

_P = Path.SUPPLIER_PAYMENTS
PAYMENT_WORKFLOW = Workflow(
    key=PAYMENT, initial=PaymentStatus.PENDING,
    states=(PaymentStatus.PENDING, PaymentStatus.SUCCEEDED, PaymentStatus.FAILED),
    transitions=(
        _t(_P, "succeed", [PaymentStatus.PENDING], PaymentStatus.SUCCEEDED, Action.POST,
           effects=(LEDGER,)),
        _t(_P, "fail", [PaymentStatus.PENDING], PaymentStatus.FAILED, Action.POST,
           compensates=(ALLOCATION,)),
        _t(_P, "fail", [PaymentStatus.SUCCEEDED], PaymentStatus.FAILED, Action.POST,
           compensates=(LEDGER, ALLOCATION)),
    ))

REQUISITION_WORKFLOWS = {REQUISITION: REQUISITION_WORKFLOW}
ORDER_WORKFLOWS = {ORDER: ORDER_WORKFLOW}
RECEIPT_WORKFLOWS = {SIMPLE: simple_workflow(Path.GOODS_RECEIPTS)}
INVOICE_WORKFLOWS = {SIMPLE: simple_workflow(Path.SUPPLIER_INVOICES),
                     FIVE_STAGE: five_stage_workflow(Path.SUPPLIER_INVOICES)}
CREDIT_WORKFLOWS = {SIMPLE: simple_workflow(Path.SUPPLIER_CREDITS),
                    FIVE_STAGE: five_stage_workflow(Path.SUPPLIER_CREDITS)}
PAYMENT_WORKFLOWS = {PAYMENT: PAYMENT_WORKFLOW}
EXPENSE_WORKFLOWS = {SIMPLE: simple_workflow(Path.EXPENSES)}

STATUS_CHOICES = status_choices(REQUISITION_WORKFLOW, ORDER_WORKFLOW,
                                *INVOICE_WORKFLOWS.values(), *RECEIPT_WORKFLOWS.values())
PAYMENT_STATUS_CHOICES = PaymentStatus.choices
