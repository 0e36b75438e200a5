"""Every registered transition table is consistent with its model (DESIGN.md convention 6):
each state exists in the model's status choices, each transition declares a permission,
and every guard and effect registered for a type binds to something its workflows have."""

from __future__ import annotations

import pytest

from cuadra.access.permissions import Action, Path
from cuadra.documents import lifecycle

TYPES = lifecycle.registered_document_types()
WORKFLOWS = [(doc_type, key) for doc_type, spec in sorted(TYPES.items())
             for key in sorted(spec.workflows)]


def test_some_document_type_is_registered():
    assert TYPES, "no document type registered: the checks below would prove nothing"


def _choices(spec) -> set[str]:
    return {value for value, _ in spec.model._meta.get_field("status").choices or []}


@pytest.mark.parametrize("doc_type,key", WORKFLOWS, ids=[f"{t}:{k}" for t, k in WORKFLOWS])
def test_every_state_exists_in_the_model_choices(doc_type, key):
    spec = TYPES[doc_type]
    workflow = spec.workflows[key]
    choices = _choices(spec)
    used = {workflow.initial, *workflow.states}
    for t in workflow.transitions:
        used.update((*t.sources, t.target))
    assert used <= choices, f"{doc_type}/{key}: {sorted(used - choices)} not in choices"


@pytest.mark.parametrize("doc_type,key", WORKFLOWS, ids=[f"{t}:{k}" for t, k in WORKFLOWS])
def test_every_transition_declares_a_permission(doc_type, key):
    for t in TYPES[doc_type].workflows[key].transitions:
        assert isinstance(t.path, Path) and isinstance(t.perm, Action), (doc_type, key, t)
        assert t.sources and t.target, (doc_type, key, t)


@pytest.mark.parametrize("doc_type", sorted(TYPES))
def test_model_and_default_agree(doc_type):
    spec = TYPES[doc_type]
    assert spec.model.document_type == doc_type
    assert spec.default_workflow in spec.workflows
    assert spec.model._meta.get_field("status").max_length >= max(
        len(s) for w in spec.workflows.values() for s in w.states)


@pytest.mark.parametrize("doc_type", sorted(TYPES))
def test_guards_and_effects_bind_to_existing_actions_and_stages(doc_type):
    workflows = TYPES[doc_type].workflows.values()
    actions = {a for w in workflows for a in w.actions}
    stages = {s for w in workflows for s in w.stages}
    for guard in lifecycle._guards.get(doc_type, []):
        assert guard.action is None or guard.action in actions, (doc_type, guard.name)
    for (registered_type, stage), effects in lifecycle._effects.items():
        if registered_type == doc_type and effects:
            assert stage in stages, (doc_type, stage, [e.name for e in effects])
