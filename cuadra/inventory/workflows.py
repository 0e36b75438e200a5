"""Workflows of the inventory documents.

Adjustments (storage in/out, spoilage, manual) and counts take ``simple``: the stock moves
and the ledger entry at ``issue``, reversed at ``void``. A transfer has its own table
(seed 001 "new, out, in, audit, confirm"): ``send`` (out: stock leaves the source into
transit), ``receive`` (in: stock enters the destination), ``audit`` (expected vs actual
cost), ``confirm``; ``void`` from ``in_transit`` puts the goods back."""

from __future__ import annotations

from cuadra.access.permissions import Action, Path
from cuadra.documents.lifecycle import Transition, Workflow
from cuadra.documents.presets import SIMPLE, simple_workflow, status_choices

TRANSFER = "transfer"
SEND_STAGE = "transfer_out"
RECEIVE_STAGE = "transfer_in"
DRAFT, IN_TRANSIT, RECEIVED, AUDITED, CONFIRMED, VOIDED, CANCELLED = (
    "draft", "in_transit", "received", "audited", "confirmed", "voided", "cancelled")


def transfer_workflow() -> Workflow:
    p = Path.STOCK_TRANSFERS
    return Workflow(key=TRANSFER, initial=DRAFT, states=(
        DRAFT, IN_TRANSIT, RECEIVED, AUDITED, CONFIRMED, VOIDED, CANCELLED), transitions=(
        Transition("send", (DRAFT,), IN_TRANSIT, p, Action.POST, effects=(SEND_STAGE,)),
        Transition("receive", (IN_TRANSIT,), RECEIVED, p, Action.POST,
                   effects=(RECEIVE_STAGE,)),
        Transition("audit", (RECEIVED,), AUDITED, p, Action.APPROVE),
        Transition("confirm", (AUDITED,), CONFIRMED, p, Action.APPROVE),
        Transition("void", (IN_TRANSIT,), VOIDED, p, Action.POST, compensates=(SEND_STAGE,)),
        Transition("cancel", (DRAFT,), CANCELLED, p, Action.UPDATE),
    ))


ADJUSTMENT_WORKFLOWS = {SIMPLE: simple_workflow(Path.STOCK_ADJUSTMENTS)}
COUNT_WORKFLOWS = {SIMPLE: simple_workflow(Path.INVENTORY_COUNTS)}
TRANSFER_WORKFLOWS = {TRANSFER: transfer_workflow()}

ADJUSTMENT_STATUS = status_choices(*ADJUSTMENT_WORKFLOWS.values())
COUNT_STATUS = status_choices(*COUNT_WORKFLOWS.values())
TRANSFER_STATUS = status_choices(*TRANSFER_WORKFLOWS.values())
