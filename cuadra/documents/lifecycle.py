"""The lifecycle machinery (DESIGN.md convention 3): transition tables are data, and one
function, :func:`transition`, is the only place a document's status changes.

Higher layers plug in without this module knowing them: a domain registers its document
type and the workflows it offers; approvals registers a guard; inventory and the ledger
register effects bound to stage names (stock at ``storage_audit``, ledger at
``entry_audit``); anyone may subscribe to the after-commit event of a transition.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction as db_transaction
from django.utils import timezone

from cuadra.access.permissions import Action, Path
from cuadra.access.selectors import require_perm
from cuadra.core.audit import audit_record, audit_records_many
from cuadra.core.errors import InvalidTransition, NotFound, ValidationError
from cuadra.core.events import publish_on_commit
from cuadra.core.models import AuditAction
from cuadra.documents.models import DocumentHistory, LifecycleDocument, WorkflowSetting
from cuadra.documents.registry import document_record_sync, record_sync_deferred

__all__ = [
    "DocumentTypeSpec", "EffectContext", "GuardContext", "LifecycleDocument", "Transition",
    "Workflow", "document_type_spec", "effects_for", "guards_for", "register_document_type",
    "register_effect", "register_guard", "registered_document_types", "subscribe",
    "transition", "transition_many", "unregister_effect", "unregister_guard", "unsubscribe",
    "workflow_for",
]


# --- transition tables ------------------------------------------------------------------

@dataclass(frozen=True)
class Transition:
    action: str
    sources: tuple[str, ...]
    target: str
    path: Path
    perm: Action
    effects: tuple[str, ...] = ()
    compensates: tuple[str, ...] = ()


@dataclass(frozen=True)
class Workflow:
    key: str
    initial: str
    states: tuple[str, ...]
    transitions: tuple[Transition, ...]

    def __post_init__(self):
        problems = self._problems()
        if problems:
            raise ValueError(f"workflow {self.key!r}: " + "; ".join(problems))

    def _problems(self) -> list[str]:
        problems = [] if self.initial in self.states else [f"initial {self.initial!r} "
                                                            "is not a state"]
        seen: set[tuple[str, str]] = set()
        for t in self.transitions:
            for state in (*t.sources, t.target):
                if state not in self.states:
                    problems.append(f"{t.action}: {state!r} is not a state")
            for source in t.sources:
                if (t.action, source) in seen:
                    problems.append(f"{t.action} from {source!r} is declared twice")
                seen.add((t.action, source))
        return problems

    def find(self, action: str, source: str) -> Transition:
        for t in self.transitions:
            if t.action == action and source in t.sources:
                return t
        raise InvalidTransition(f"'{action}' is not allowed from '{source}'.", field="action")

    def actions_from(self, source: str) -> tuple[str, ...]:
        return tuple(t.action for t in self.transitions if source in t.sources)

    def is_terminal(self, state: str) -> bool:
        return not self.actions_from(state)

    @property
    def actions(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(t.action for t in self.transitions))

    @property
    def stages(self) -> tuple[str, ...]:
        """Every stage name an effect may bind to in this workflow."""
        names = (s for t in self.transitions for s in (*t.effects, *t.compensates))
        return tuple(dict.fromkeys(names))


# --- registries ---------------------------------------------------------------------------

@dataclass(frozen=True)
class DocumentTypeSpec:
    document_type: str
    model: type[LifecycleDocument]
    workflows: dict[str, Workflow]
    default_workflow: str


@dataclass(frozen=True)
class GuardContext:
    document: Any
    transition: Transition
    actor: Any
    company: Any
    comment: str
    workflow: Workflow | None = None
    from_state: str = ""


@dataclass(frozen=True)
class EffectContext:
    document: Any
    transition: Transition
    actor: Any
    company: Any
    comment: str
    stage: str
    workflow: Workflow | None = None
    from_state: str = ""
    compensating: bool = False


Guard = Callable[[GuardContext], None]
EffectFn = Callable[[EffectContext], None]


@dataclass(frozen=True)
class _Guard:
    name: str
    action: str | None
    fn: Guard


@dataclass(frozen=True)
class _Effect:
    name: str
    apply: EffectFn
    compensate: EffectFn | None


_types: dict[str, DocumentTypeSpec] = {}
_guards: dict[str, list[_Guard]] = {}
_effects: dict[tuple[str, str], list[_Effect]] = {}
_subscribers: dict[str, list[Callable]] = {}


def register_document_type(document_type: str, *, model, workflows: dict[str, Workflow],
                           default_workflow: str) -> DocumentTypeSpec:
    if not (isinstance(model, type) and issubclass(model, LifecycleDocument)):
        raise TypeError(f"{model!r} is not a LifecycleDocument")
    if model.document_type != document_type:
        raise ValueError(f"{model.__name__}.document_type is {model.document_type!r}, "
                         f"not {document_type!r}")
    if default_workflow not in workflows:
        raise ValueError(f"default workflow {default_workflow!r} is not among "
                         f"{sorted(workflows)}")
    for key, workflow in workflows.items():
        if workflow.key != key:
            raise ValueError(f"workflow registered as {key!r} has key {workflow.key!r}")
    spec = DocumentTypeSpec(document_type, model, dict(workflows), default_workflow)
    _types[document_type] = spec
    return spec


def registered_document_types() -> dict[str, DocumentTypeSpec]:
    return dict(_types)


def document_type_spec(document_type: str) -> DocumentTypeSpec:
    try:
        return _types[document_type]
    except KeyError:
        raise ValidationError(f"Unknown document type '{document_type}'.",
                              field="documentType") from None


def register_guard(document_type: str, action: str | None, guard: Guard, *,
                   name: str) -> None:
    """``action`` None guards every action of the type. Re-registering a name replaces it
    (so a module reloaded in tests does not run its guard twice)."""
    unregister_guard(document_type, name)
    _guards.setdefault(document_type, []).append(_Guard(name, action, guard))


def unregister_guard(document_type: str, name: str) -> None:
    _guards[document_type] = [g for g in _guards.get(document_type, []) if g.name != name]


def guards_for(document_type: str, action: str) -> list[_Guard]:
    return [g for g in _guards.get(document_type, []) if g.action in (None, action)]


def register_effect(document_type: str, stage: str, *, apply: EffectFn,
                    compensate: EffectFn | None, name: str) -> None:
    """Bind an effect to a stage name. ``compensate`` None declares that the effect leaves
    nothing to undo (e.g. it only queues a notification)."""
    unregister_effect(document_type, stage, name)
    _effects.setdefault((document_type, stage), []).append(_Effect(name, apply, compensate))


def unregister_effect(document_type: str, stage: str, name: str) -> None:
    key = (document_type, stage)
    _effects[key] = [e for e in _effects.get(key, []) if e.name != name]


def effects_for(document_type: str, stage: str) -> list[_Effect]:
    return list(_effects.get((document_type, stage), []))


def subscribe(document_type: str, fn: Callable) -> None:
    """``fn(document, history_row)`` runs after the transition commits; ``"*"`` hears every
    type. Subscribing the same function twice has no further effect."""
    subscribers = _subscribers.setdefault(document_type, [])
    if fn not in subscribers:
        subscribers.append(fn)


def unsubscribe(document_type: str, fn: Callable) -> None:
    if fn in _subscribers.get(document_type, []):
        _subscribers[document_type].remove(fn)


# --- choosing the workflow ----------------------------------------------------------------

def workflow_for(*, company, document_type: str) -> Workflow:
    """The company's chosen preset for the type, else the type's default."""
    spec = document_type_spec(document_type)
    key = (WorkflowSetting.objects.filter(company=company, document_type=document_type)
           .values_list("workflow_key", flat=True).first()) or spec.default_workflow
    if key not in spec.workflows:
        raise ValidationError(f"Workflow '{key}' is no longer offered for {document_type}.",
                              field="workflowKey")
    return spec.workflows[key]


# --- the one place status changes ---------------------------------------------------------

def transition(*, document, action: str, actor, comment: str = ""):
    """Move ``document`` by ``action``: lock, check the pair, check the permission, run
    guards and effects, set the status, append history, audit, publish after commit.
    Everything happens in one transaction; any refusal leaves nothing behind. Returns the
    caller's instance refreshed from the database."""
    spec = document_type_spec(type(document).document_type)
    with db_transaction.atomic(), record_sync_deferred():
        locked = _lock(spec, document)
        workflow = workflow_for(company=locked.company, document_type=spec.document_type)
        source = locked.status
        t = workflow.find(action, source)
        require_perm(user=actor, company=locked.company, path=t.path, action=t.perm)
        base = dict(document=locked, transition=t, actor=actor, company=locked.company,
                    comment=comment, workflow=workflow, from_state=source)
        for guard in guards_for(spec.document_type, action):
            guard.fn(GuardContext(**base))
        _run_effects(spec.document_type, t, base)
        _set_status(locked, source, t.target)
        document_record_sync(locked)  # once, when the block ends: the final state
        history = _record(spec, locked, t, source, actor, comment)
        _publish(spec.document_type, locked, history)
    document.refresh_from_db()
    return document


def _lock(spec: DocumentTypeSpec, document):
    try:
        # of=("self",): lock the document row only, never its company row, so documents
        # of one company do not queue behind each other
        return (spec.model._base_manager.select_for_update(of=("self",))
                .select_related("company").get(pk=document.pk))
    except spec.model.DoesNotExist:
        raise NotFound(f"No such {spec.document_type}.", field="documentId") from None


def _run_effects(document_type: str, t: Transition, base: dict) -> None:
    for stage in t.effects:
        for effect in effects_for(document_type, stage):
            effect.apply(EffectContext(**base, stage=stage))
    # undo a stage's effects in the reverse of the order they were applied
    for stage in t.compensates:
        for effect in reversed(effects_for(document_type, stage)):
            if effect.compensate is not None:
                effect.compensate(EffectContext(**base, stage=stage, compensating=True))


def _set_status(locked, source: str, target: str) -> None:
    # The WHERE on the old status makes the update itself the final check: correctness
    # does not rest on SQLite honouring select_for_update.
    updated = (type(locked)._base_manager.filter(pk=locked.pk, status=source)
               .update(status=target, updated_at=timezone.now()))
    if updated != 1:
        raise InvalidTransition("The document changed while it was being moved; "
                                "reload it and try again.", field="action")
    locked.refresh_from_db(fields=["status", "updated_at"])


def _record(spec, locked, t: Transition, source: str, actor, comment: str) -> DocumentHistory:
    history = DocumentHistory.objects.create(
        company=locked.company, document_type=spec.document_type, object_id=locked.pk,
        action=t.action, from_state=source, to_state=t.target, actor=actor, comment=comment)
    audit_record(action=AuditAction.TRANSITION, actor=actor, company_id=locked.company_id,
                 obj=locked, operation=f"{spec.document_type}.{t.action}",
                 changes={"status": [source, t.target]}, message=comment)
    return history


def _publish(document_type: str, locked, history: DocumentHistory) -> None:
    for fn in (*_subscribers.get(document_type, []), *_subscribers.get("*", [])):
        publish_on_commit(fn, locked, history)



# --- many documents at once ---------------------------------------------------------------

BatchEffects = Callable[[list, Transition, Workflow], None]


def transition_many(*, model, company, documents: list, action: str, actor, comment: str = "",
                    effects: BatchEffects | None = None) -> list:
    """``transition`` of each document, in order, in one transaction: rows locked in
    primary-key order, each pair checked, the permission checked, guards run per document,
    then ``effects(locked, transition, workflow)`` (the caller's batch form of the stage
    effects; None: each document's registered effects in turn), one status UPDATE, bulk
    history and audit rows, one registry sync per document, events after commit. Any
    refusal leaves nothing behind. Returns the locked instances in the given order."""
    spec = document_type_spec(model.document_type)
    with db_transaction.atomic(), record_sync_deferred():
        locked = _lock_many(spec, company, documents)
        workflow = workflow_for(company=company, document_type=spec.document_type)
        found = [workflow.find(action, doc.status) for doc in locked]
        if len({(t.target, t.path, t.perm, t.effects, t.compensates) for t in found}) > 1:
            raise InvalidTransition(f"'{action}' does not move these documents alike; "
                                    "move them one by one.", field="action")
        t, source = found[0], locked[0].status
        require_perm(user=actor, company=company, path=t.path, action=t.perm)
        for doc in locked:
            base = dict(document=doc, transition=t, actor=actor, company=company,
                        comment=comment, workflow=workflow, from_state=doc.status)
            for guard in guards_for(spec.document_type, action):
                guard.fn(GuardContext(**base))
        if effects is not None:
            effects(locked, t, workflow)
        else:
            for doc in locked:
                _run_effects(spec.document_type, t, dict(
                    document=doc, transition=t, actor=actor, company=company,
                    comment=comment, workflow=workflow, from_state=source))
        _set_status_many(spec, locked, source, t.target)
        for doc in locked:
            document_record_sync(doc)
        histories = _record_many(spec, locked, t, source, actor, comment)
        for doc, history in zip(locked, histories, strict=True):
            _publish(spec.document_type, doc, history)
    return locked


def _lock_many(spec: DocumentTypeSpec, company, documents: list) -> list:
    pks = [int(getattr(d, "pk", d)) for d in documents]
    if not pks:
        raise ValidationError("Choose at least one document.", field="ids")
    if len(set(pks)) != len(pks):
        raise ValidationError("A document is named twice.", field="ids")
    rows = {d.pk: d for d in spec.model._base_manager.select_for_update(of=("self",))
            .select_related("company").filter(company=company, pk__in=pks).order_by("pk")}
    for i, pk in enumerate(pks):
        if pk not in rows:
            raise NotFound(f"No such {spec.document_type}.", field=f"ids[{i}]")
    return [rows[pk] for pk in pks]


def _set_status_many(spec: DocumentTypeSpec, locked: list, source: str, target: str) -> None:
    now = timezone.now()
    updated = (spec.model._base_manager.filter(pk__in=[d.pk for d in locked], status=source)
               .update(status=target, updated_at=now))
    if updated != len(locked):
        raise InvalidTransition("A document changed while it was being moved; "
                                "reload it and try again.", field="action")
    for doc in locked:
        doc.status, doc.updated_at, doc._loaded_status = target, now, target


def _record_many(spec, locked: list, t: Transition, source: str, actor,
                 comment: str) -> list[DocumentHistory]:
    histories = DocumentHistory.objects.bulk_create([DocumentHistory(
        company_id=doc.company_id, document_type=spec.document_type, object_id=doc.pk,
        action=t.action, from_state=source, to_state=t.target, actor=actor, comment=comment)
        for doc in locked])
    audit_records_many(action=AuditAction.TRANSITION, actor=actor, rows=[
        (doc.company_id, doc, f"{spec.document_type}.{t.action}",
         {"status": [source, t.target]}) for doc in locked], message=comment)
    return histories
