"""Writes of the documents domain: the workflow preset a company uses per document type.

Moving a document is :func:`cuadra.documents.lifecycle.transition`."""

from __future__ import annotations

from django.db import transaction

from cuadra.core.audit import audit_create, audit_update, snapshot
from cuadra.core.errors import Conflict, ValidationError
from cuadra.documents.lifecycle import document_type_spec, workflow_for
from cuadra.documents.models import WorkflowSetting


@transaction.atomic
def workflow_setting_set(*, company, document_type: str, workflow_key: str,
                         actor) -> WorkflowSetting:
    """Choose the workflow preset of a document type. Refused while documents of the type
    sit mid-flow in a state the new workflow does not have: they could never move on."""
    spec = document_type_spec(document_type)
    if workflow_key not in spec.workflows:
        raise ValidationError(f"Unknown workflow '{workflow_key}' for {document_type}; "
                              f"choose one of {', '.join(sorted(spec.workflows))}.",
                              field="workflowKey")
    current = workflow_for(company=company, document_type=document_type)
    new = spec.workflows[workflow_key]
    _refuse_stranded(spec, company, current, new)
    setting = (WorkflowSetting.objects.select_for_update()
               .filter(company=company, document_type=document_type).first())
    if setting is None:
        setting = WorkflowSetting.objects.create(company=company, document_type=document_type,
                                                 workflow_key=workflow_key)
        audit_create(actor=actor, company_id=company.pk, obj=setting,
                     operation="workflow_setting_set")
        return setting
    before = snapshot(setting)
    setting.workflow_key = workflow_key
    setting.save(update_fields=["workflow_key", "updated_at"])
    audit_update(actor=actor, company_id=company.pk, obj=setting, before=before,
                 operation="workflow_setting_set")
    return setting


def _refuse_stranded(spec, company, current, new) -> None:
    mid_flow = [s for s in current.states if not current.is_terminal(s)]
    lacking = [s for s in mid_flow if s not in new.states]
    if not lacking:
        return
    stranded = (spec.model._base_manager.filter(company=company, status__in=lacking)
                .values_list("status", flat=True).distinct())
    states = sorted(set(stranded))
    if states:
        raise Conflict(f"Documents of type {spec.document_type} are in "
                       f"{', '.join(states)}, which workflow '{new.key}' lacks; finish or "
                       f"reverse them first.", field="workflowKey")
