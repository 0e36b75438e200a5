"""Workflow presets that document domains reuse, each built for the domain's RBAC path.

Stage names are the hooks effects bind to, the same in every preset:

* ``storage_audit``: stock moves (inventory registers here);
* ``entry_audit``: ledger posting (the ledger registers here).

In ``simple`` both happen at ``issue``; in ``five_stage`` each at its own stage; in
``review`` the ledger posts at ``confirm``. Going back never edits: the transition that
steps back names the stages whose effects it compensates (a reversal).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial

from cuadra.access.permissions import Action, Path
from cuadra.documents.lifecycle import Transition, Workflow

STOCK = "storage_audit"
LEDGER = "entry_audit"

SIMPLE = "simple"
FIVE_STAGE = "five_stage"
REVIEW = "review"

# States. "draft" is the seed's "new" (whose stored status the seed calls "audit": awaiting
# audit); every preset starts there, so a company may switch presets while it has drafts.
DRAFT, ISSUED, VOIDED, CANCELLED = "draft", "issued", "voided", "cancelled"
AUDITED, CONFIRMED, STORAGE_AUDIT, ENTRY_AUDIT, FINAL = (
    "audited", "confirmed", "storage_audit", "entry_audit", "final")

SIMPLE_STATES = (DRAFT, ISSUED, VOIDED, CANCELLED)
FIVE_STAGE_STATES = (DRAFT, AUDITED, CONFIRMED, STORAGE_AUDIT, ENTRY_AUDIT, FINAL, CANCELLED)
REVIEW_STATES = (DRAFT, AUDITED, CONFIRMED, CANCELLED)

STATE_LABELS = {
    DRAFT: "Draft", ISSUED: "Issued", VOIDED: "Voided", CANCELLED: "Cancelled",
    AUDITED: "Audited", CONFIRMED: "Confirmed", STORAGE_AUDIT: "Storage audit",
    ENTRY_AUDIT: "Entry audit", FINAL: "Final",
}

PermOverrides = Mapping[str, tuple[Path, Action]]


def _t(path: Path, overrides: PermOverrides | None, action: str, sources, target: str,
       perm: Action, effects=(), compensates=()) -> Transition:
    path, perm = (overrides or {}).get(action, (path, perm))
    return Transition(action=action, sources=tuple(sources), target=target, path=Path(path),
                      perm=Action(perm), effects=tuple(effects),
                      compensates=tuple(compensates))


def simple_workflow(path: Path, *, perms: PermOverrides | None = None) -> Workflow:
    """draft → issued (stock and ledger at once) → voided; a draft may be cancelled."""
    return Workflow(key=SIMPLE, initial=DRAFT, states=SIMPLE_STATES, transitions=(
        _t(path, perms, "issue", [DRAFT], ISSUED, Action.POST, effects=(STOCK, LEDGER)),
        _t(path, perms, "void", [ISSUED], VOIDED, Action.POST, compensates=(LEDGER, STOCK)),
        _t(path, perms, "cancel", [DRAFT], CANCELLED, Action.UPDATE),
    ))


def five_stage_workflow(path: Path, *, perms: PermOverrides | None = None) -> Workflow:
    """Seed 001 "Sales Invoice Approval Workflow": draft (new) → audited → confirmed →
    storage_audit (stock) → entry_audit (ledger) → final, reversible from final to
    entry_audit. ``reverse`` steps back one stage and compensates that stage's effects.

    ``perms`` overrides (path, action) per action name, e.g.
    ``{"storage_audit": (Path.INVENTORY, Action.POST)}`` to let the warehouse do that step.
    """
    t = partial(_t, path, perms)
    return Workflow(key=FIVE_STAGE, initial=DRAFT, states=FIVE_STAGE_STATES, transitions=(
        t("audit", [DRAFT], AUDITED, Action.APPROVE),
        t("confirm", [AUDITED], CONFIRMED, Action.APPROVE),
        t("storage_audit", [CONFIRMED], STORAGE_AUDIT, Action.POST, effects=(STOCK,)),
        t("entry_audit", [STORAGE_AUDIT], ENTRY_AUDIT, Action.POST, effects=(LEDGER,)),
        t("finalize", [ENTRY_AUDIT], FINAL, Action.POST),
        t("reopen", [FINAL], ENTRY_AUDIT, Action.POST),
        t("reverse", [ENTRY_AUDIT], STORAGE_AUDIT, Action.POST, compensates=(LEDGER,)),
        t("reverse", [STORAGE_AUDIT], CONFIRMED, Action.POST, compensates=(STOCK,)),
        t("reverse", [CONFIRMED], AUDITED, Action.APPROVE),
        t("reverse", [AUDITED], DRAFT, Action.APPROVE),
        t("cancel", [DRAFT], CANCELLED, Action.UPDATE),
    ))


def review_workflow(path: Path, *, perms: PermOverrides | None = None) -> Workflow:
    """Seed 001 general journal / cash in-out: new → audit → confirm, the ledger posting
    at confirm. Who audited and who confirmed is read from the history
    (:func:`cuadra.documents.selectors.audited_by` / ``confirmed_by``)."""
    t = partial(_t, path, perms)
    return Workflow(key=REVIEW, initial=DRAFT, states=REVIEW_STATES, transitions=(
        t("audit", [DRAFT], AUDITED, Action.APPROVE),
        t("confirm", [AUDITED], CONFIRMED, Action.POST, effects=(LEDGER,)),
        t("reverse", [CONFIRMED], AUDITED, Action.POST, compensates=(LEDGER,)),
        t("reverse", [AUDITED], DRAFT, Action.APPROVE),
        t("cancel", [DRAFT], CANCELLED, Action.UPDATE),
    ))


def status_choices(*workflows: Workflow) -> list[tuple[str, str]]:
    """Model ``choices`` covering every state of the given workflows, in first-seen order."""
    states = dict.fromkeys(s for w in workflows for s in w.states)
    return [(s, STATE_LABELS.get(s, s.replace("_", " ").capitalize())) for s in states]
