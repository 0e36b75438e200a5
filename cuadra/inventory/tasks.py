"""Celery tasks of inventory: ids in, one service call, idempotent. ``recost_run`` runs on
the ``recost`` queue (settings.CELERY_TASK_ROUTES); eager in the embedded default."""

from __future__ import annotations

from celery import shared_task

from cuadra.core import context


@shared_task(name="cuadra.inventory.tasks.recost_run")
def recost_run(job_id: int) -> str:
    from cuadra.inventory.recost import recost_job_run

    with context.request_context(request_id=context.current().request_id, source="task"):
        return recost_job_run(job_id=job_id).state
