"""GraphQL for document lifecycles: history of a document, workflow presets."""

from __future__ import annotations

import strawberry
import strawberry_django

from cuadra.access.permissions import Action, Path
from cuadra.api.base import actor, company, requires
from cuadra.api.documents.registry import RegistryMutation, RegistryQuery
from cuadra.api.documents.types import DocumentHistoryType, WorkflowSettingType
from cuadra.documents import selectors, services


@strawberry.type
class DocumentsQuery(RegistryQuery):
    @strawberry_django.field(extensions=requires(Path.DOCUMENTS, Action.VIEW))
    def document_history(self, info: strawberry.Info, document_type: str,
                         document_id: strawberry.ID) -> list[DocumentHistoryType]:
        return selectors.document_history_list(company=company(info),
                                               document_type=document_type,
                                               document_id=document_id)

    @strawberry.field(extensions=requires(Path.SETTINGS, Action.VIEW))
    def workflow_settings(self, info: strawberry.Info) -> list[WorkflowSettingType]:
        return [WorkflowSettingType.of(c)
                for c in selectors.workflow_settings_list(company=company(info))]


@strawberry.type
class DocumentsMutation(RegistryMutation):
    @strawberry.mutation(extensions=requires(Path.SETTINGS, Action.UPDATE))
    def set_workflow_preset(self, info: strawberry.Info, document_type: str,
                            workflow_key: str) -> WorkflowSettingType:
        services.workflow_setting_set(company=company(info), document_type=document_type,
                                      workflow_key=workflow_key, actor=actor(info))
        choice = next(c for c in selectors.workflow_settings_list(company=company(info))
                      if c.document_type == document_type)
        return WorkflowSettingType.of(choice)


__all__ = ["DocumentsMutation", "DocumentsQuery"]
