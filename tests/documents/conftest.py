"""Fixtures for lifecycle tests: TestDocument in the demo company, users by role."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from cuadra.documents.services import workflow_setting_set


@pytest.fixture
def owner(platform):
    return platform.owner


@pytest.fixture
def users(platform):
    User = get_user_model()
    return {u.username: u for u in User.objects.filter(
        username__in=["demo", "contador", "ventas", "compras", "bodega", "auditor", "otra"])}


@pytest.fixture
def make_doc(demo, owner):
    from tests.docapp.models import TestDocument

    def make(company=None, **fields):
        fields.setdefault("title", "Prueba")
        fields.setdefault("amount", Decimal("100.00"))
        return TestDocument.objects.create(company=company or demo, **fields)
    return make


@pytest.fixture
def use_workflow(demo, owner):
    def use(key, company=None):
        workflow_setting_set(company=company or demo, document_type="TEST_DOCUMENT",
                             workflow_key=key, actor=owner)
    return use


def path_to(workflow, target: str) -> list[str]:
    """The shortest list of actions that takes a new document to ``target``."""
    frontier, seen = [(workflow.initial, [])], {workflow.initial}
    while frontier:
        state, actions = frontier.pop(0)
        if state == target:
            return actions
        for t in workflow.transitions:
            for source in t.sources:
                if source == state and t.target not in seen:
                    seen.add(t.target)
                    frontier.append((t.target, [*actions, t.action]))
    raise AssertionError(f"{target} unreachable in {workflow.key}")


@pytest.fixture
def drive(owner):
    from cuadra.documents.lifecycle import transition

    def go(document, actions, actor=None):
        for action in actions:
            transition(document=document, action=action, actor=actor or owner)
        return document
    return go


@pytest.fixture
def user_without(demo, owner):
    """A user holding every permission in DEMO but exactly one."""
    from cuadra.access.models import Role, RoleAssignment
    from cuadra.access.permissions import ALL_PERMISSIONS, perm

    def make(path, action):
        missing = perm(path, action)
        key = f"all-but-{missing.replace(':', '-').lower()}"
        role = Role.objects.create(organization_id=demo.organization_id, key=key, name=key,
                                   permissions=sorted(ALL_PERMISSIONS - {missing}))
        user = get_user_model().objects.create_user(username=key, password="x")
        RoleAssignment.objects.create(company=demo, user=user, role=role)
        return user
    return make


# the registry tests drive sales documents: reuse the sales fixtures (a client, two items)
from tests.sales.conftest import client, galletas, itbms7, itbms10, ron  # noqa: E402, F401


@pytest.fixture
def english():
    """Column labels follow the active language; service-level tests read them in
    English whatever an earlier request left active."""
    from django.utils import translation

    with translation.override("en"):
        yield
