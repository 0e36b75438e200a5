"""The presets each sales document offers. Invoices and credit notes offer ``simple``
(number, ledger and stock hook at ``issue``) and seed 001's ``five_stage`` (stock hook at
``storage_audit``, number and ledger at ``entry_audit``); quotes and orders, which never
post, offer ``simple`` only."""

from __future__ import annotations

from cuadra.access.permissions import Action, Path
from cuadra.documents.lifecycle import Transition, Workflow
from cuadra.documents.presets import (
    FIVE_STAGE,
    LEDGER,
    SIMPLE,
    five_stage_workflow,
    simple_workflow,
    status_choices,
)

QUOTE_WORKFLOWS = {SIMPLE: simple_workflow(Path.SALES_QUOTES)}
ORDER_WORKFLOWS = {SIMPLE: simple_workflow(Path.SALES_ORDERS)}
INVOICE_WORKFLOWS = {SIMPLE: simple_workflow(Path.SALES_INVOICES),
                     FIVE_STAGE: five_stage_workflow(Path.SALES_INVOICES)}
CREDIT_WORKFLOWS = {SIMPLE: simple_workflow(Path.CREDIT_NOTES),
                    FIVE_STAGE: five_stage_workflow(Path.CREDIT_NOTES)}

STATUS_CHOICES = status_choices(*INVOICE_WORKFLOWS.values())


# Payments: PENDING -> SUCCEEDED (receipt number and posting at the LEDGER stage) or FAILED;
# SUCCEEDED -> FAILED (a bounced cheque, a charged-back card) compensates the posting with a
# reversal and undoes the allocations. FAILED is terminal.
PAYMENT_WORKFLOW_KEY = "payment"
PENDING, SUCCEEDED, FAILED = "PENDING", "SUCCEEDED", "FAILED"
PAYMENT_WORKFLOWS = {PAYMENT_WORKFLOW_KEY: Workflow(
    key=PAYMENT_WORKFLOW_KEY, initial=PENDING, states=(PENDING, SUCCEEDED, FAILED),
    transitions=(
        Transition("succeed", (PENDING,), SUCCEEDED, Path.PAYMENTS, Action.POST,
                   effects=(LEDGER,)),
        Transition("fail", (PENDING,), FAILED, Path.PAYMENTS, Action.POST),
        Transition("fail", (SUCCEEDED,), FAILED, Path.PAYMENTS, Action.POST,
                   compensates=(LEDGER,)),
    ))}
