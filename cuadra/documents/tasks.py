"""Celery tasks of the documents registry: ids in, one service call, idempotent."""

from __future__ import annotations

from celery import shared_task

from cuadra.core import context


@shared_task(name="cuadra.documents.tasks.documents_export_run")
def documents_export_run(job_id: int) -> str:
    from cuadra.documents.exports import export_job_run

    with context.request_context(request_id=context.current().request_id, source="task"):
        return export_job_run(job_id=job_id).state


@shared_task(name="cuadra.documents.tasks.documents_custom_field_index")
def documents_custom_field_index(key: str, field_type: str) -> bool:
    """Build the expression index of a new custom field (minutes on a large registry:
    never inside the request that defined the field)."""
    from cuadra.documents.custom_fields import custom_field_index_ensure

    return custom_field_index_ensure(key=key, field_type=field_type)
