"""The presets each sales document offers. Invoices and credit notes offer ``simple``
(number, ledger and stock hook at ``issue``) and seed 001's ``five_stage`` (stock hook at
``storage_audit``, number and ledger at ``entry_audit``); quotes and orders, which never
post, offer ``simple`` only."""

from __future__ import annotations

from cuadra.access.permissions import Path
from cuadra.documents.presets import (
    FIVE_STAGE,
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
