"""GraphQL for the audit log (Owner and Auditor)."""

from __future__ import annotations

import datetime as dt

import strawberry
import strawberry_django
from strawberry.scalars import JSON
from strawberry_django.pagination import OffsetPaginated

from cuadra.access.permissions import Action, Path
from cuadra.api.base import company, requires
from cuadra.core import models as m
from cuadra.core.selectors import audit_log_list


@strawberry_django.type(m.AuditLog)
class AuditLogType:
    id: strawberry.auto
    at: strawberry.auto
    actor_id: strawberry.ID | None
    request_id: strawberry.auto
    ip: str | None
    source: strawberry.auto
    action: str
    operation: strawberry.auto
    object_type: strawberry.auto
    object_id: strawberry.auto
    changes: JSON
    error_code: strawberry.auto
    message: strawberry.auto


@strawberry.input
class AuditLogFilter:
    object_type: str | None = None
    object_id: str | None = None
    action: str | None = None
    actor_id: strawberry.ID | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None


@strawberry.type
class CoreQuery:
    @strawberry_django.offset_paginated(OffsetPaginated[AuditLogType],
                                        extensions=requires(Path.AUDIT_LOG, Action.VIEW))
    def audit_log(self, info: strawberry.Info, filter: AuditLogFilter | None = None):
        f = filter or AuditLogFilter()
        return audit_log_list(company_id=company(info).pk, object_type=f.object_type,
                              object_id=f.object_id, action=f.action,
                              actor_id=int(f.actor_id) if f.actor_id else None,
                              since=f.since, until=f.until)
