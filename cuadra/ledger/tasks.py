"""Celery tasks of the books: ids in, one service call, idempotent.

Beat runs ``recurring_entries_post`` hourly (settings.CELERY_BEAT_SCHEDULE); each due
occurrence posts once however often it runs. ``opening_balances_process`` processes one
opening balance import; a repeat finds it final or in error and does nothing.
"""

from __future__ import annotations

from celery import shared_task

from cuadra.core import context


@shared_task(name="cuadra.ledger.tasks.recurring_entries_post")
def recurring_entries_post() -> list[int]:
    from cuadra.ledger.services.recurring import recurring_entries_post as post_due

    with context.request_context(source="task"):
        return [entry.pk for entry in post_due()]


@shared_task(name="cuadra.ledger.tasks.opening_balances_process")
def opening_balances_process(import_id: int) -> str:
    from cuadra.ledger.services.opening import opening_balance_import_process

    # run eagerly inside a request, the audit rows keep that request's id
    with context.request_context(request_id=context.current().request_id, source="task"):
        return opening_balance_import_process(import_id=import_id).process_status
