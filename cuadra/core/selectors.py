"""Reads of platform data: the audit log."""

from __future__ import annotations

import datetime as dt

from cuadra.core.models import AuditLog


def audit_log_list(*, company_id: int, object_type: str | None = None,
                   object_id: str | None = None, action: str | None = None,
                   actor_id: int | None = None, since: dt.datetime | None = None,
                   until: dt.datetime | None = None):
    qs = AuditLog.objects.filter(company_id=company_id)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=str(object_id))
    if action:
        qs = qs.filter(action=action)
    if actor_id:
        qs = qs.filter(actor_id=actor_id)
    if since:
        qs = qs.filter(at__gte=since)
    if until:
        qs = qs.filter(at__lt=until)
    return qs.order_by("-at", "-id")
