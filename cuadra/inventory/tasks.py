"""Celery tasks of inventory: ids in, one service call, idempotent. ``recost_run`` runs on
the ``recost`` queue (settings.CELERY_TASK_ROUTES); eager in the embedded default.
``snapshots_close`` runs daily and ``recost_resume_stalled`` every 15 minutes from beat
(settings.CELERY_BEAT_SCHEDULE)."""

from __future__ import annotations

from celery import shared_task

from cuadra.core import context


@shared_task(name="cuadra.inventory.tasks.recost_run")
def recost_run(job_id: int) -> str:
    from cuadra.inventory.recost import recost_job_run

    with context.request_context(request_id=context.current().request_id, source="task"):
        return recost_job_run(job_id=job_id).state


@shared_task(name="cuadra.inventory.tasks.snapshots_close")
def snapshots_close() -> int:
    """Beat, daily: last month's stock snapshots of every company (idempotent)."""
    from cuadra.inventory.snapshots import stock_snapshots_close_due

    with context.request_context(source="task"):
        return stock_snapshots_close_due()


@shared_task(name="cuadra.inventory.tasks.recost_resume_stalled")
def recost_resume_stalled() -> int:
    """Beat: re-queue re-cost jobs left pending or running (a lost message, a dead
    worker); the job resumes from its cursor."""
    from cuadra.inventory.services import recost_jobs_resume_stalled

    with context.request_context(source="task"):
        return recost_jobs_resume_stalled()
