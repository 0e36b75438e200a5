"""Browser tests run against ``live_server``, so they need ``transactional_db``.

Its teardown empties every table with ``flush``. On PostgreSQL that is a TRUNCATE, which
the append-only triggers let through; on SQLite it is a row DELETE, which they refuse. So
on SQLite the tables are emptied here first with the triggers lifted, and the triggers are
put back at once: during the test they guard the audit log as usual, and Django's own
flush then finds nothing to delete."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection


def _append_only_triggers() -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, sql FROM sqlite_master "
                       "WHERE type = 'trigger' AND sql LIKE '%IMMUTABLE%'")
        return list(cursor.fetchall())


def _flush_sqlite_past_triggers() -> None:
    triggers = _append_only_triggers()
    with connection.cursor() as cursor:
        for name, _sql in triggers:
            cursor.execute(f'DROP TRIGGER "{name}"')
    try:
        call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
    finally:
        with connection.cursor() as cursor:
            for _name, sql in triggers:
                cursor.execute(sql)


@pytest.fixture
def live_db(transactional_db):
    """transactional_db whose SQLite teardown is not refused by the append-only triggers."""
    yield
    if connection.vendor == "sqlite":
        _flush_sqlite_past_triggers()
