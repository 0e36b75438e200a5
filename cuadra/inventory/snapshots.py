"""Per-period stock snapshots (pain point 6: balances as of a date sum only the moves after
the last snapshot). Celery beat runs :func:`stock_snapshots_close_due` daily
(settings.CELERY_BEAT_SCHEDULE["inventory-snapshots"]); closing a period again rewrites
the same rows, so overlapping or repeated runs are harmless.

A snapshot is dropped when a move (or a re-cost) dated on or before it arrives for its
item and warehouse (``services._after_move``, ``recost._apply``); (item, warehouse) pairs
waiting for a re-cost are not snapshotted until the job is done."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from cuadra.inventory.models import StockSnapshot


def period_end_before(day: dt.date) -> dt.date:
    """The last day of the month before ``day``'s."""
    return day.replace(day=1) - dt.timedelta(days=1)


@transaction.atomic
def stock_snapshots_close(*, company, period_end: dt.date) -> int:
    """Store quantity and value per (item, warehouse) at the end of ``period_end``, so
    later balances sum only the moves after it. Returns the number of rows written."""
    from cuadra.inventory import selectors

    stale = selectors.stale_keys(company=company)
    rows = [r for r in selectors.stock_on_hand(company=company, as_of=period_end,
                                               include_zero=True)
            if (r.item_id, r.warehouse_id) not in stale]
    StockSnapshot.objects.bulk_create(
        [StockSnapshot(company=company, item_id=r.item_id, warehouse_id=r.warehouse_id,
                       period_end=period_end, quantity=r.quantity, value=r.value)
         for r in rows],
        batch_size=1_000, update_conflicts=True,
        unique_fields=["company", "item", "warehouse", "period_end"],
        update_fields=["quantity", "value", "updated_at"])
    return len(rows)


def stock_snapshots_close_due(*, today: dt.date | None = None) -> int:
    """Every active company's snapshot at the end of last month (one transaction per
    company). Returns the rows written."""
    from cuadra.tenancy.models import Company

    end = period_end_before(today or timezone.localdate())
    return sum(stock_snapshots_close(company=company, period_end=end)
               for company in Company.objects.filter(is_active=True).order_by("pk"))
