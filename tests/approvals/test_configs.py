"""ApprovalConfig services: one call makes a policy; bad input changes nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from cuadra.approvals import selectors, services
from cuadra.approvals.models import ApprovalConfig
from cuadra.core.errors import NotFound, ValidationError
from cuadra.core.models import AuditLog

pytestmark = pytest.mark.django_db


def test_anything_over_500_to_me_is_one_call(demo, owner):
    config = services.approval_config_create(
        company=demo, actor=owner, document_type="PURCHASE_REQUISITION", threshold="500",
        approver_user_ids=[owner.pk], approval_mode="ANY_ONE")

    config.refresh_from_db()
    assert (config.document_type, config.condition, config.threshold,
            config.approver_user_ids, config.approval_mode, config.escalation_after_hours,
            config.escalation_user_id) == (
        "PURCHASE_REQUISITION", "AMOUNT_GTE_THRESHOLD", Decimal("500"), [owner.pk],
        "ANY_ONE", None, None)
    assert config.get_condition_display() == "amount >= threshold"
    row = AuditLog.objects.get(operation="approval_config_create")
    assert (row.action, row.actor_id, row.company_id, row.object_id) == (
        "create", owner.pk, demo.pk, str(config.pk))


def test_every_bad_field_is_reported_and_nothing_written(demo, otra, owner, counts):
    outsider = get_user_model().objects.get(username="otra")
    before = counts()
    with pytest.raises(ValidationError) as exc:
        services.approval_config_create(
            company=demo, actor=owner, document_type="NO_SUCH_TYPE", threshold="-1",
            approver_user_ids=[outsider.pk], approval_mode="MOST",
            escalation_after_hours=0, escalation_user_id=outsider.pk)
    assert exc.value.code == "VALIDATION"
    assert sorted(e.field for e in exc.value.errors) == [
        "approvalMode", "approverUserIds", "documentType", "escalationAfterHours",
        "escalationUserId", "threshold"]
    assert counts() == before


def test_approver_who_may_not_approve_the_type_is_refused(demo, owner, counts):
    """A salesperson named on a requisition policy could never decide: every request
    would wait until it escalates."""
    ventas = get_user_model().objects.get(username="ventas")
    before = counts()
    with pytest.raises(ValidationError) as exc:
        services.approval_config_create(
            company=demo, actor=owner, document_type="PURCHASE_REQUISITION",
            threshold="500", approver_user_ids=[owner.pk, ventas.pk])
    assert [(e.field, e.message) for e in exc.value.errors] == [
        ("approverUserIds",
         f"These users may not approve PURCHASE_REQUISITION: {ventas.pk}.")]
    assert counts() == before


def test_approver_without_a_role_here_is_refused(demo, owner, counts):
    outsider = get_user_model().objects.get(username="otra")
    before = counts()
    with pytest.raises(ValidationError) as exc:
        services.approval_config_create(
            company=demo, actor=owner, document_type="PURCHASE_REQUISITION",
            threshold="500", approver_user_ids=[owner.pk, outsider.pk])
    assert [(e.field, e.message) for e in exc.value.errors] == [
        ("approverUserIds", f"These users hold no role in this company: {outsider.pk}.")]
    assert counts() == before


def test_float_threshold_and_empty_approvers_refused(demo, owner):
    with pytest.raises(ValidationError) as exc:
        services.approval_config_create(company=demo, actor=owner,
                                        document_type="PURCHASE_REQUISITION",
                                        threshold=500.5, approver_user_ids=[])
    assert sorted(e.field for e in exc.value.errors) == ["approverUserIds", "threshold"]
    assert not ApprovalConfig.objects.exists()


def test_a_threshold_is_one_level_per_type(demo, owner):
    services.approval_config_create(company=demo, actor=owner,
                                    document_type="TEST_DOCUMENT", threshold="500",
                                    approver_user_ids=[owner.pk])
    with pytest.raises(ValidationError) as exc:
        services.approval_config_create(company=demo, actor=owner,
                                        document_type="TEST_DOCUMENT",
                                        threshold="500.00", approver_user_ids=[owner.pk])
    assert exc.value.field == "threshold"
    assert ApprovalConfig.objects.count() == 1


def test_update_changes_only_what_is_passed_and_is_audited(demo, owner, manager):
    config = services.approval_config_create(
        company=demo, actor=owner, document_type="TEST_DOCUMENT", threshold="500",
        approver_user_ids=[owner.pk])
    updated = services.approval_config_update(
        company=demo, actor=owner, config=config, threshold=Decimal("750.50"),
        approver_user_ids=[manager.pk, owner.pk], escalation_after_hours=4)

    assert (updated.threshold, updated.approver_user_ids, updated.approval_mode,
            updated.escalation_after_hours) == (Decimal("750.50"), [manager.pk, owner.pk],
                                                "ANY_ONE", 4)
    row = AuditLog.objects.get(operation="approval_config_update")
    assert row.changes["escalation_after_hours"] == [None, 4]
    assert row.changes["approver_user_ids"] == [[owner.pk], [manager.pk, owner.pk]]


def test_update_refuses_bad_values_and_keeps_the_row(demo, owner):
    config = services.approval_config_create(
        company=demo, actor=owner, document_type="TEST_DOCUMENT", threshold="500",
        approver_user_ids=[owner.pk])
    with pytest.raises(ValidationError):
        services.approval_config_update(company=demo, actor=owner, config=config,
                                        approval_mode="SOME")
    config.refresh_from_db()
    assert config.approval_mode == "ANY_ONE"
    assert not AuditLog.objects.filter(operation="approval_config_update").exists()


def test_delete_is_audited_and_another_companys_config_is_not_found(demo, otra, owner):
    config = services.approval_config_create(
        company=demo, actor=owner, document_type="TEST_DOCUMENT", threshold="500",
        approver_user_ids=[owner.pk])
    with pytest.raises(NotFound):
        selectors.approval_config_get(company=otra, config_id=config.pk)
    with pytest.raises(NotFound):
        services.approval_config_delete(company=otra, actor=owner, config=config)

    config_id = config.pk
    services.approval_config_delete(company=demo, actor=owner, config=config)
    assert not ApprovalConfig.objects.exists()
    assert AuditLog.objects.filter(operation="approval_config_delete",
                                   object_id=str(config_id)).count() == 1


def test_default_escalation_user_is_the_company_owner(demo, owner):
    assert selectors.company_owner_id(company=demo) == owner.pk
