"""Shared fixtures: demo companies and users, a GraphQL client, database switches."""

from __future__ import annotations

import json
import os

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client


def pytest_configure(config):
    # PBKDF2's million rounds cost ~0.5 s per demo user and login; tests need no strong hash
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_collection_modifyitems(config, items):
    on_postgres = os.environ.get("DATABASE_URL", "").startswith("postgres")
    skip_pg = pytest.mark.skip(reason="needs PostgreSQL (row locks, triggers, concurrency); "
                                      "runs in CI with DATABASE_URL=postgresql://...")
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(skip_pg)


@pytest.fixture
def is_postgres() -> bool:
    return connection.vendor == "postgresql"


@pytest.fixture
def platform(db):
    from cuadra.demo import platform as demo_platform

    return demo_platform.load()


@pytest.fixture
def demo(platform):
    return platform.demo


@pytest.fixture
def otra(platform):
    return platform.otra


class GraphQLClient:
    """Posts GraphQL over HTTP, as a real client would (middleware included)."""

    def __init__(self):
        self.client = Client()
        self.token: str | None = None
        self.company: str | None = None

    def login(self, username: str, password: str | None = None, company: str | None = None):
        result = self.execute(
            "mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }",
            {"u": username, "p": password if password is not None else username})
        assert "errors" not in result, result
        self.token = result["data"]["login"]["token"]
        self.company = company
        return self

    def execute(self, query: str, variables: dict | None = None, *, token: str | None = None,
                company: str | None = None, headers: dict | None = None) -> dict:
        extra = {}
        tok = token if token is not None else self.token
        if tok:
            extra["HTTP_AUTHORIZATION"] = f"Bearer {tok}"
        comp = company if company is not None else self.company
        if comp:
            extra["HTTP_X_COMPANY"] = comp
        for key, value in (headers or {}).items():
            extra["HTTP_" + key.upper().replace("-", "_")] = value
        response = self.client.post("/graphql", json.dumps({"query": query,
                                                            "variables": variables or {}}),
                                    content_type="application/json", **extra)
        return response.json()


def error_codes(result: dict) -> list[str]:
    return [e.get("extensions", {}).get("code") for e in result.get("errors", [])]


@pytest.fixture
def gql():
    return GraphQLClient()


@pytest.fixture
def as_demo(platform):
    return GraphQLClient().login("demo", "demo", company="DEMO")


@pytest.fixture
def as_otra(platform):
    return GraphQLClient().login("otra", "otra", company="OTRA")


def row_counts(*, exclude: tuple[str, ...] = ("core.AuditLog",)) -> dict[str, int]:
    """Row count of every installed model but the excluded ones: compare before and after
    a refusal to prove it wrote nothing (its audit row aside)."""
    from django.apps import apps

    return {model._meta.label: model._base_manager.count() for model in apps.get_models()
            if model._meta.label not in exclude}


@pytest.fixture
def counts():
    return row_counts


# --- live server on SQLite ------------------------------------------------------------------
# Browser tests run against ``live_server`` and so need ``transactional_db``, whose teardown
# empties every table. On PostgreSQL that is a TRUNCATE, which the append-only triggers let
# through; on SQLite it is a row DELETE, which they refuse. So on SQLite the tables are
# emptied with the triggers lifted for that moment only.


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
