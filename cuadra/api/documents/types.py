from __future__ import annotations

import strawberry
import strawberry_django

from cuadra.documents import models as m
from cuadra.documents.lifecycle import Workflow
from cuadra.documents.selectors import WorkflowChoice


@strawberry_django.type(m.DocumentHistory)
class DocumentHistoryType:
    id: strawberry.auto
    document_type: strawberry.auto
    object_id: strawberry.ID
    action: strawberry.auto
    from_state: strawberry.auto
    to_state: strawberry.auto
    actor_id: strawberry.ID
    comment: strawberry.auto
    at: strawberry.auto

    @strawberry_django.field(select_related=["actor"], only=["actor__username"])
    def actor_username(self) -> str:
        return self.actor.username


@strawberry.type
class TransitionType:
    action: str
    sources: list[str]
    target: str
    path: str
    perm: str
    effects: list[str]
    compensates: list[str]


@strawberry.type
class WorkflowType:
    key: str
    initial: str
    states: list[str]
    transitions: list[TransitionType]

    @classmethod
    def of(cls, w: Workflow) -> WorkflowType:
        return cls(key=w.key, initial=w.initial, states=list(w.states), transitions=[
            TransitionType(action=t.action, sources=list(t.sources), target=t.target,
                           path=t.path.value, perm=t.perm.value, effects=list(t.effects),
                           compensates=list(t.compensates))
            for t in w.transitions])


@strawberry.type
class WorkflowSettingType:
    document_type: str
    workflow_key: str
    default_workflow: str
    available_workflows: list[str]
    workflow: WorkflowType

    @classmethod
    def of(cls, c: WorkflowChoice) -> WorkflowSettingType:
        return cls(document_type=c.document_type, workflow_key=c.workflow_key,
                   default_workflow=c.default_workflow, available_workflows=list(c.available),
                   workflow=WorkflowType.of(c.workflow))
