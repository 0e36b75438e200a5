"""Celery tasks of the documents registry: ids in, one service call, idempotent."""

from __future__ import annotations

from celery import shared_task

from cuadra.core import context


@shared_task(name="cuadra.documents.tasks.documents_export_run")
def documents_export_run(job_id: int) -> str:
    from cuadra.documents.exports import export_job_run

    with context.request_context(request_id=context.current().request_id, source="task"):
        return export_job_run(job_id=job_id).state
