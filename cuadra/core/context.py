"""Per-request context (request id, IP, actor) that the audit log reads.

Kept in a ContextVar so services need not thread the request through every call,
and Celery tasks can set their own.
"""

from __future__ import annotations

import uuid
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    request_id: str
    ip: str | None = None
    source: str = "web"


_current: ContextVar[RequestContext | None] = ContextVar("cuadra_request_context", default=None)


def current() -> RequestContext:
    ctx = _current.get()
    if ctx is None:
        return RequestContext(request_id=f"sys-{uuid.uuid4().hex[:16]}", source="system")
    return ctx


@contextmanager
def request_context(*, request_id: str | None = None, ip: str | None = None,
                    source: str = "web"):
    token = _current.set(
        RequestContext(request_id=request_id or uuid.uuid4().hex, ip=ip, source=source)
    )
    try:
        yield _current.get()
    finally:
        _current.reset(token)
