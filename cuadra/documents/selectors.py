"""Reads of the documents domain: history, who did each step, workflow settings."""

from __future__ import annotations

from dataclasses import dataclass

from cuadra.core.errors import NotFound
from cuadra.documents.lifecycle import (
    Workflow,
    document_type_spec,
    registered_document_types,
    workflow_for,
)
from cuadra.documents.models import DocumentHistory


def document_get(*, company, document_type: str, document_id):
    """A document of a registered type, in the company only: another company's id is
    simply not found."""
    spec = document_type_spec(document_type)
    try:
        return spec.model._base_manager.get(company=company, pk=int(document_id))
    except (spec.model.DoesNotExist, ValueError, TypeError):
        raise NotFound(f"No such {document_type}.", field="documentId") from None


def document_history_list(*, company, document_type: str, document_id):
    document = document_get(company=company, document_type=document_type,
                            document_id=document_id)
    return history_of(document)


def history_of(document):
    return (DocumentHistory.objects
            .filter(company_id=document.company_id, document_type=document.document_type,
                    object_id=document.pk)
            .select_related("actor").order_by("id"))


def effective_steps(document) -> list[DocumentHistory]:
    """The history rows still in force: a step that was later reversed drops out, so
    after audit → confirm → reverse the confirm no longer counts."""
    rows = list(history_of(document))
    if not rows:
        return []
    stack: list[tuple[str, DocumentHistory | None]] = [(rows[0].from_state, None)]
    for row in rows:
        states = [state for state, _ in stack]
        if row.to_state in states:  # back to a state it passed: later steps are undone
            del stack[states.index(row.to_state) + 1:]
        else:
            stack.append((row.to_state, row))
    return [row for _, row in stack if row is not None]


def step_actor(document, action: str):
    """Who performed ``action`` on the document, if that step is still in force."""
    for row in reversed(effective_steps(document)):
        if row.action == action:
            return row.actor
    return None


def audited_by(document):
    return step_actor(document, "audit")


def confirmed_by(document):
    return step_actor(document, "confirm")


@dataclass(frozen=True)
class WorkflowChoice:
    document_type: str
    workflow_key: str
    default_workflow: str
    available: tuple[str, ...]
    workflow: Workflow


def workflow_settings_list(*, company) -> list[WorkflowChoice]:
    out = []
    for document_type, spec in sorted(registered_document_types().items()):
        workflow = workflow_for(company=company, document_type=document_type)
        out.append(WorkflowChoice(document_type, workflow.key, spec.default_workflow,
                                  tuple(sorted(spec.workflows)), workflow))
    return out
