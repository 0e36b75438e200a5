"""Approvals fixtures: TEST_DOCUMENT made approvable, a manager, documents, configs."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from cuadra.access.models import Role
from cuadra.access.permissions import Action, Path, perm
from cuadra.access.services import role_assign
from cuadra.approvals import services
from cuadra.approvals.registry import register_approvable, unregister_approvable
from cuadra.documents.lifecycle import transition

MANAGER_PERMISSIONS = sorted({perm(Path.PURCHASE_REQUISITIONS, a)
                              for a in (Action.VIEW, Action.CREATE, Action.APPROVE)}
                             | {perm(Path.DOCUMENTS, Action.VIEW)})


@pytest.fixture(autouse=True)
def approvable_test_document():
    from tests.docapp.models import TestDocument

    register_approvable("TEST_DOCUMENT", model=TestDocument, submit_action="submit",
                        guarded_action="convert", reject_action="reject",
                        path=Path.PURCHASE_REQUISITIONS)
    yield
    unregister_approvable("TEST_DOCUMENT")


@pytest.fixture
def owner(platform):
    return platform.owner


@pytest.fixture
def compras(platform):
    return get_user_model().objects.get(username="compras")


@pytest.fixture
def ventas(platform):
    return get_user_model().objects.get(username="ventas")


@pytest.fixture
def manager(demo, owner):
    """'gerente': may request and approve purchase requisitions, nothing else."""
    role, _ = Role.objects.get_or_create(
        organization=demo.organization, key="manager",
        defaults={"name": "Manager", "permissions": MANAGER_PERMISSIONS})
    user = get_user_model().objects.create_user(username="gerente", password="gerente",
                                                email="gerente@example.com")
    role_assign(company=demo, user=user, role=role, actor=owner)
    return user


@pytest.fixture
def make_doc(demo, compras):
    from tests.docapp.models import TestDocument

    def make(amount, *, requester=None, company=None):
        return TestDocument.objects.create(company=company or demo, amount=Decimal(amount),
                                           requester=requester or compras)
    return make


@pytest.fixture
def submit(compras):
    def do(document, actor=None):
        return transition(document=document, action="submit", actor=actor or compras)
    return do


@pytest.fixture
def levels(demo, owner, manager):
    """The issue's example: over 500 -> manager (ANY_ONE); over 5,000 -> manager and
    owner (ALL)."""
    low = services.approval_config_create(
        company=demo, actor=owner, document_type="TEST_DOCUMENT", threshold="500",
        approver_user_ids=[manager.pk], approval_mode="ANY_ONE")
    high = services.approval_config_create(
        company=demo, actor=owner, document_type="TEST_DOCUMENT", threshold="5000",
        approver_user_ids=[manager.pk, owner.pk], approval_mode="ALL")
    return low, high
