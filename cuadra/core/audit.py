"""Writing audit rows. Services call these; nothing else writes AuditLog."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from typing import Any

from django.db import models, transaction

from cuadra.core import context
from cuadra.core.models import AuditAction, AuditLog

_SKIP_FIELDS = {"created_at", "updated_at", "password", "key_hash"}


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes | memoryview):
        # a file kept in a row (a logo) is recorded by its digest, not its bytes
        data = bytes(value)
        return f"sha256:{hashlib.sha256(data).hexdigest()}" if data else ""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def snapshot(instance: models.Model) -> dict[str, Any]:
    """The concrete field values of a row, for a before/after diff."""
    data = {}
    for f in instance._meta.concrete_fields:
        if f.name in _SKIP_FIELDS:
            continue
        data[f.attname] = _jsonable(getattr(instance, f.attname))
    return data


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list]:
    keys = set(before) | set(after)
    return {k: [before.get(k), after.get(k)] for k in sorted(keys)
            if before.get(k) != after.get(k)}


def audit_record(*, action: str, actor=None, company_id: int | None = None,
                 obj: models.Model | None = None, object_type: str = "",
                 object_id: str | int = "", changes: dict | None = None,
                 operation: str = "", error_code: str = "", message: str = "") -> AuditLog:
    ctx = context.current()
    if obj is not None:
        object_type = object_type or obj._meta.label
        object_id = object_id or obj.pk
    return AuditLog.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        company_id=company_id,
        request_id=ctx.request_id,
        ip=ctx.ip,
        source=ctx.source,
        action=action,
        operation=operation,
        object_type=object_type,
        object_id=str(object_id or ""),
        changes=_jsonable(changes or {}),
        error_code=error_code,
        message=message[:2000],
    )


def audit_create(*, actor, company_id, obj, operation: str = "") -> AuditLog:
    return audit_record(action=AuditAction.CREATE, actor=actor, company_id=company_id, obj=obj,
                        changes={k: [None, v] for k, v in snapshot(obj).items()},
                        operation=operation)


def audit_records_many(*, action: str, actor, rows: list[tuple], message: str = "") -> None:
    """``audit_record`` of each ``(company_id, obj, operation, changes)`` in one bulk
    insert (same rows, same order): a batch write audits every row it touched without a
    round trip each."""
    ctx = context.current()
    user = actor if getattr(actor, "pk", None) else None
    AuditLog.objects.bulk_create([AuditLog(
        actor=user, company_id=company_id, request_id=ctx.request_id, ip=ctx.ip,
        source=ctx.source, action=action, operation=operation,
        object_type=obj._meta.label, object_id=str(obj.pk or ""),
        changes=_jsonable(changes or {}), error_code="", message=message[:2000])
        for company_id, obj, operation, changes in rows])


def audit_create_many(*, actor, company_id, objs, operation: str = "") -> None:
    """``audit_create`` of each row of ``objs``, in one bulk insert."""
    audit_records_many(action=AuditAction.CREATE, actor=actor, rows=[
        (company_id, obj, operation, {k: [None, v] for k, v in snapshot(obj).items()})
        for obj in objs])


def audit_update(*, actor, company_id, obj, before: dict, operation: str = "") -> AuditLog:
    return audit_record(action=AuditAction.UPDATE, actor=actor, company_id=company_id, obj=obj,
                        changes=diff(before, snapshot(obj)), operation=operation)


def audit_delete(*, actor, company_id, obj, operation: str = "") -> AuditLog:
    return audit_record(action=AuditAction.DELETE, actor=actor, company_id=company_id, obj=obj,
                        changes={k: [v, None] for k, v in snapshot(obj).items()},
                        operation=operation)


def audit_refusal(*, actor, company_id, operation: str, error_code: str, message: str,
                  object_type: str = "", object_id: str | int = "",
                  attempted: dict | None = None) -> AuditLog:
    """Record a refused attempt. Callers invoke it after the refused work was rolled back,
    so a refusal writes nothing but this row."""
    with transaction.atomic():
        return audit_record(action=AuditAction.REFUSED, actor=actor, company_id=company_id,
                            operation=operation, error_code=error_code, message=message,
                            object_type=object_type, object_id=object_id,
                            changes={"attempted": attempted} if attempted else None)
