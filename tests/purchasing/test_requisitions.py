"""Requisitions: estimated totals, approvals gating the conversion, no self-approval,
per-supplier conversion tracking ordered quantity, over-ordering refused."""

from __future__ import annotations

import pytest

from cuadra.approvals.services import approval_approve, approval_config_create, approval_reject
from cuadra.core.errors import DomainError, PermissionDenied, ValidationError
from cuadra.purchasing import selectors, services
from tests.conftest import row_counts
from tests.purchasing.conftest import DAY, D


@pytest.fixture
def policy(demo, owner):
    return approval_config_create(company=demo, actor=owner,
                                  document_type="PURCHASE_REQUISITION", threshold="500",
                                  approver_user_ids=[owner.pk])


@pytest.fixture
def requisition(demo, compras, papel):
    return services.purchase_requisition_create(
        company=demo, actor=compras, date=DAY,
        lines=[{"item": papel, "quantity": "80", "estimated_price": "8"},
               {"description": "Sillas de oficina", "quantity": "4",
                "estimated_price": "45.50", "needed_by": "2025-04-01"}])


def test_create_sums_estimates_and_numbers_at_submit(demo, compras, requisition):
    lines = list(requisition.lines.order_by("line_no"))
    assert [(li.description, li.estimated_amount) for li in lines] == [
        ("Papel", D("640.00")), ("Sillas de oficina", D("182.00"))]
    assert requisition.total == D("822.00") and requisition.number == ""
    assert requisition.requester == compras
    services.purchase_requisition_submit(company=demo, actor=compras, requisition=requisition)
    requisition.refresh_from_db()
    assert (requisition.status, requisition.number) == ("submitted", "RC-2025-000001")


def test_bad_lines_are_refused_with_every_field(demo, compras):
    before = row_counts()
    with pytest.raises(ValidationError) as exc:
        services.purchase_requisition_create(company=demo, actor=compras, lines=[
            {"quantity": "0", "description": "x"}, {"quantity": "1", "item": "999999"},
            {"quantity": "2"}])
    assert [e.field for e in exc.value.errors] == [
        "lines[0].quantity", "lines[1].item", "lines[2].description"]
    assert row_counts() == before


def test_unapproved_conversion_refused_then_approved_converts_per_supplier(
        demo, owner, compras, policy, requisition, supplier, other_supplier):
    services.purchase_requisition_submit(company=demo, actor=compras, requisition=requisition)
    paper, chairs = requisition.lines.order_by("line_no")
    rows = [{"line_id": paper.pk, "supplier": supplier.pk, "quantity": "50"},
            {"line_id": chairs.pk, "supplier": other_supplier.pk}]
    before = row_counts()
    with pytest.raises(DomainError) as exc:
        services.purchase_requisition_convert(company=demo, actor=compras,
                                              requisition=requisition, lines=rows)
    assert exc.value.code == "APPROVAL_REQUIRED"
    assert row_counts() == before
    # nobody approves their own requisition, and the refusal writes nothing
    with pytest.raises(PermissionDenied):
        approval_approve(company=demo, actor=compras, document=requisition)
    assert row_counts() == before
    approval_approve(company=demo, actor=owner, document=requisition)
    orders = services.purchase_requisition_convert(company=demo, actor=compras,
                                                   requisition=requisition, lines=rows,
                                                   date=DAY)
    assert [(o.supplier.code, o.total) for o in orders] == [
        ("PRV-1", D("401.25")),   # 50 x 7.50 (the 50+ price) + 7%
        ("PRV-2", D("182.00"))]   # free text at the estimate, no tax
    assert selectors.ordered_quantities(requisition=requisition) == {
        paper.pk: D("50"), chairs.pk: D("4")}
    # over-ordering is refused and writes nothing; the rest may still be ordered
    before = row_counts()
    with pytest.raises(ValidationError) as exc:
        services.purchase_requisition_convert(
            company=demo, actor=compras, requisition=requisition,
            lines=[{"line_id": paper.pk, "supplier": supplier.pk, "quantity": "31"}])
    assert exc.value.errors[0].field == "lines[0].quantity"
    assert row_counts() == before
    [third] = services.purchase_requisition_convert(
        company=demo, actor=compras, requisition=requisition,
        lines=[{"line_id": paper.pk, "supplier": supplier.pk}], date=DAY)
    assert third.lines.get().quantity == D("30")
    assert third.lines.get().unit_price == D("8.00")  # under 50: the base price
    # a cancelled order frees its quantity again
    services.purchase_order_cancel(company=demo, actor=compras, order=third, reason="dup")
    assert selectors.ordered_quantities(requisition=requisition)[paper.pk] == D("50")


def test_below_threshold_converts_without_approval(demo, compras, policy, papel, supplier):
    req = services.purchase_requisition_create(
        company=demo, actor=compras, date=DAY,
        lines=[{"item": papel, "quantity": "10", "estimated_price": "8"}])
    services.purchase_requisition_submit(company=demo, actor=compras, requisition=req)
    [order] = services.purchase_requisition_convert(
        company=demo, actor=compras, requisition=req,
        lines=[{"line_id": req.lines.get().pk, "supplier": supplier.pk}])
    assert order.total == D("85.60")


def test_rejection_sends_it_back_to_draft(demo, owner, compras, policy, requisition):
    services.purchase_requisition_submit(company=demo, actor=compras, requisition=requisition)
    approval_reject(company=demo, actor=owner, document=requisition, reason="too much")
    requisition.refresh_from_db()
    assert requisition.status == "draft"
    services.purchase_requisition_update(
        company=demo, actor=compras, requisition=requisition,
        lines=[{"description": "Sillas", "quantity": "2", "estimated_price": "45.50"}])
    requisition.refresh_from_db()
    assert requisition.total == D("91.00")


def test_draft_is_not_converted(demo, compras, requisition, supplier):
    with pytest.raises(DomainError) as exc:
        services.purchase_requisition_convert(
            company=demo, actor=compras, requisition=requisition,
            lines=[{"line_id": requisition.lines.first().pk, "supplier": supplier.pk}])
    assert exc.value.code == "INVALID_TRANSITION"


def test_cancelling_a_submitted_requisition_voids_its_approval(demo, compras, policy,
                                                               requisition):
    from cuadra.approvals.models import ApprovalRequest

    services.purchase_requisition_submit(company=demo, actor=compras, requisition=requisition)
    services.purchase_requisition_move(company=demo, actor=compras, requisition=requisition,
                                       action="cancel", comment="not needed")
    requisition.refresh_from_db()
    assert requisition.status == "cancelled"
    assert ApprovalRequest.objects.get(document_id=requisition.pk).status == "VOID"
    with pytest.raises(DomainError) as exc:
        services.purchase_requisition_move(company=demo, actor=compras,
                                           requisition=requisition, action="release")
    assert exc.value.code == "INVALID_TRANSITION"


def test_submitting_notifies_the_approvers_after_commit(demo, owner, compras, policy,
                                                        requisition,
                                                        django_capture_on_commit_callbacks):
    from django.core import mail

    owner.email = "duena@example.com"
    owner.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        services.purchase_requisition_submit(company=demo, actor=compras,
                                             requisition=requisition)
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["duena@example.com"],
         f"[Cuadra] Approval needed: PURCHASE_REQUISITION #{requisition.pk} for 822.00")]


def test_a_unit_of_another_item_is_refused(demo, owner, compras, papel, limpieza):
    from cuadra.catalog.models import ItemUnit

    other_unit = ItemUnit.objects.get(item=limpieza, lower=None)
    before = row_counts()
    with pytest.raises(ValidationError) as exc:
        services.purchase_requisition_create(company=demo, actor=compras, lines=[
            {"item": papel, "quantity": "1", "unit": other_unit.pk},
            {"description": "Cajas", "quantity": "1", "unit": other_unit.pk}])
    assert [(e.field, e.message) for e in exc.value.errors] == [
        ("lines[0].unit", f"Unit {other_unit.code} is not a unit level of item T-PAP: "
                          "choose one of its units."),
        ("lines[1].unit", "A free-text line has no item unit levels; name its unit in "
                          "words instead.")]
    assert row_counts() == before
    # a free-text line names its unit in words; an item line keeps its item's unit
    req = services.purchase_requisition_create(company=demo, actor=compras, lines=[
        {"description": "Cajas de cartón", "quantity": "3", "unit_name": "paquete"},
        {"item": papel, "quantity": "2", "unit_name": "ignored"}])
    free, paper = req.lines.order_by("line_no")
    assert (free.unit_id, free.unit_name) == (None, "paquete")
    assert (paper.unit.item_id, paper.unit_name) == (papel.pk, "")
