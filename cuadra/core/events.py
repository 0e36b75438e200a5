"""Side effects after commit (DESIGN.md convention 2).

``publish_on_commit`` queues a callable (e-mail, webhook, Celery job) to run only once the
surrounding transaction commits; a rollback drops it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial

from django.db import transaction

log = logging.getLogger(__name__)


def publish_on_commit(func: Callable, /, *args, **kwargs) -> None:
    transaction.on_commit(partial(_run_logged, func, *args, **kwargs), robust=True)


def _run_logged(func: Callable, *args, **kwargs) -> None:
    log.debug("after-commit %s", getattr(func, "__name__", func))
    func(*args, **kwargs)
