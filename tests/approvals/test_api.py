"""GraphQL of approvals: names as the seed, refusals with stable codes that write nothing
but their audit row."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from cuadra.approvals.models import ApprovalConfig, ApprovalRequest
from cuadra.core.models import AuditLog
from tests.conftest import GraphQLClient, error_codes

pytestmark = pytest.mark.django_db

CONFIG_FIELDS = ("id documentType condition threshold approverUserIds approvalMode "
                 "escalationAfterHours escalationUserId")

CREATE = """
mutation($approvers: [ID!]!) {
  createApprovalConfig(documentType: PURCHASE_REQUISITION, threshold: "500",
                       approverUserIds: $approvers, approvalMode: ANY_ONE) { FIELDS }
}""".replace("FIELDS", CONFIG_FIELDS)

REQUEST_FIELDS = """id documentType documentId amount status reason
  steps { level threshold approvalMode status decisions { approverId status comment } }"""


def client(username: str) -> GraphQLClient:
    return GraphQLClient().login(username, username, company="DEMO")


def refusal_rows(operation: str):
    return list(AuditLog.objects.filter(action="refused", operation=operation)
                .values_list("error_code", flat=True))


def test_anything_over_500_to_me_in_one_call(as_demo, owner):
    result = as_demo.execute(CREATE, {"approvers": [str(owner.pk)]})
    assert "errors" not in result, result
    data = result["data"]["createApprovalConfig"]
    assert {k: v for k, v in data.items() if k != "id"} == {
        "documentType": "PURCHASE_REQUISITION", "condition": "AMOUNT_GTE_THRESHOLD",
        "threshold": "500.00", "approverUserIds": [str(owner.pk)], "approvalMode": "ANY_ONE",
        "escalationAfterHours": None, "escalationUserId": None}

    listed = as_demo.execute("{ getAllApprovalConfigs { id threshold } }")
    assert listed["data"]["getAllApprovalConfigs"] == [{"id": data["id"], "threshold": "500.00"}]
    one = as_demo.execute("query($id: ID!) { getApprovalConfig(id: $id) { approvalMode } }",
                          {"id": data["id"]})
    assert one["data"]["getApprovalConfig"] == {"approvalMode": "ANY_ONE"}


def test_update_and_delete(as_demo, owner, manager):
    created = as_demo.execute(CREATE, {"approvers": [str(owner.pk)]})
    config_id = created["data"]["createApprovalConfig"]["id"]
    updated = as_demo.execute("""
      mutation($id: ID!, $m: ID!) {
        updateApprovalConfig(id: $id, threshold: "1000.5", approverUserIds: [$m],
                             approvalMode: ALL, escalationAfterHours: 24) { FIELDS }
      }""".replace("FIELDS", CONFIG_FIELDS), {"id": config_id, "m": str(manager.pk)})
    assert "errors" not in updated, updated
    assert updated["data"]["updateApprovalConfig"] == {
        "id": config_id, "documentType": "PURCHASE_REQUISITION",
        "condition": "AMOUNT_GTE_THRESHOLD", "threshold": "1000.50",
        "approverUserIds": [str(manager.pk)], "approvalMode": "ALL",
        "escalationAfterHours": 24, "escalationUserId": None}

    deleted = as_demo.execute("mutation($id: ID!) { deleteApprovalConfig(id: $id) { ok id } }",
                              {"id": config_id})
    assert deleted["data"]["deleteApprovalConfig"] == {"ok": True, "id": config_id}
    assert not ApprovalConfig.objects.exists()


def test_approver_without_a_role_in_the_company_is_validation(as_demo, counts):
    outsider = get_user_model().objects.get(username="otra")
    before = counts()
    result = as_demo.execute(CREATE, {"approvers": [str(outsider.pk)]})
    assert error_codes(result) == ["VALIDATION"]
    assert result["errors"][0]["extensions"]["field"] == "approverUserIds"
    assert counts() == before
    assert refusal_rows("createApprovalConfig") == ["VALIDATION"]


def test_sales_role_may_not_create_a_config(platform, owner, counts):
    ventas = client("ventas")  # logging in writes a token: count after it
    before = counts()
    result = ventas.execute(CREATE, {"approvers": [str(owner.pk)]})
    assert error_codes(result) == ["PERMISSION_DENIED"]
    assert counts() == before
    assert refusal_rows("createApprovalConfig") == ["PERMISSION_DENIED"]


def test_another_companys_config_is_not_found(as_demo, as_otra, owner, counts):
    config_id = as_demo.execute(CREATE, {"approvers": [str(owner.pk)]})[
        "data"]["createApprovalConfig"]["id"]
    before = counts()
    read = as_otra.execute("query($id: ID!) { getApprovalConfig(id: $id) { id } }",
                           {"id": config_id})
    update = as_otra.execute("""mutation($id: ID!) {
        updateApprovalConfig(id: $id, threshold: "1") { id } }""", {"id": config_id})
    delete = as_otra.execute("mutation($id: ID!) { deleteApprovalConfig(id: $id) { ok } }",
                             {"id": config_id})
    assert [error_codes(r) for r in (read, update, delete)] == [["NOT_FOUND"]] * 3
    assert counts() == before
    assert as_otra.execute("{ getAllApprovalConfigs { id } }")["data"] == {
        "getAllApprovalConfigs": []}
    assert ApprovalConfig.objects.get().threshold == Decimal("500")


def test_submit_approve_and_inbox_through_the_api(levels, make_doc, manager, owner,
                                                  django_capture_on_commit_callbacks):
    doc = make_doc("6000")
    compras, gerente, demo_owner = client("compras"), client("gerente"), client("demo")
    variables = {"t": "TEST_DOCUMENT", "d": str(doc.pk)}

    with django_capture_on_commit_callbacks(execute=True):
        submitted = compras.execute("""
          mutation($t: DocumentTypeCode!, $d: ID!) {
            submitForApproval(documentType: $t, documentId: $d) {
              required request { FIELDS } } }""".replace("FIELDS", REQUEST_FIELDS), variables)
    assert "errors" not in submitted, submitted
    payload = submitted["data"]["submitForApproval"]
    assert payload["required"] is True
    assert (payload["request"]["amount"], payload["request"]["status"],
            [(s["level"], s["threshold"], s["approvalMode"], s["status"])
             for s in payload["request"]["steps"]]) == (
        "6000.00", "PENDING", [(1, "500.00", "ANY_ONE", "PENDING"),
                               (2, "5000.00", "ALL", "WAITING")])
    assert [m.to for m in mail.outbox] == [["gerente@example.com"]]

    inbox = gerente.execute("""{ myPendingApprovals { count items {
        documentType documentId amount level approvalMode requesterId } } }""")
    compras_user = get_user_model().objects.get(username="compras")
    assert inbox["data"]["myPendingApprovals"] == {"count": 1, "items": [{
        "documentType": "TEST_DOCUMENT", "documentId": str(doc.pk), "amount": "6000.00",
        "level": 1, "approvalMode": "ANY_ONE", "requesterId": str(compras_user.pk)}]}
    assert demo_owner.execute("{ myPendingApprovals { count } }")["data"] == {
        "myPendingApprovals": {"count": 0}}

    approve = """mutation($t: DocumentTypeCode!, $d: ID!) {
        approveDocument(documentType: $t, documentId: $d, comment: "ok") { status } }"""
    assert gerente.execute(approve, variables)["data"]["approveDocument"] == {
        "status": "PENDING"}
    assert demo_owner.execute("{ myPendingApprovals { count items { level } } }")["data"] == {
        "myPendingApprovals": {"count": 1, "items": [{"level": 2}]}}
    gerente.execute(approve, variables)
    assert demo_owner.execute(approve, variables)["data"]["approveDocument"] == {
        "status": "APPROVED"}


def test_reject_through_the_api_needs_approve_permission(levels, make_doc, manager,
                                                         counts):
    from cuadra.documents.lifecycle import transition

    doc = make_doc("800")
    transition(document=doc, action="submit",
               actor=get_user_model().objects.get(username="compras"))
    compras, gerente = client("compras"), client("gerente")
    reject = """mutation($d: ID!, $r: String!) {
        rejectDocument(documentType: TEST_DOCUMENT, documentId: $d, reason: $r) {
          status reason } }"""
    before = counts()
    refused = compras.execute(reject, {"d": str(doc.pk), "r": "no"})
    assert error_codes(refused) == ["PERMISSION_DENIED"]
    assert counts() == before
    assert refusal_rows("rejectDocument") == ["PERMISSION_DENIED"]

    result = gerente.execute(reject, {"d": str(doc.pk), "r": "Over budget"})
    assert result["data"]["rejectDocument"] == {"status": "REJECTED",
                                                "reason": "Over budget"}
    doc.refresh_from_db()
    assert doc.status == "draft"


def test_self_approval_through_the_api_is_refused(demo, owner, manager, make_doc, counts):
    from cuadra.approvals import services
    from cuadra.documents.lifecycle import transition

    services.approval_config_create(company=demo, actor=owner, document_type="TEST_DOCUMENT",
                                    threshold="1", approver_user_ids=[manager.pk, owner.pk])
    doc = make_doc("50", requester=manager)
    transition(document=doc, action="submit", actor=manager)
    gerente = client("gerente")
    before = counts()
    result = gerente.execute("""mutation($d: ID!) {
        approveDocument(documentType: TEST_DOCUMENT, documentId: $d) { status } }""",
                                       {"d": str(doc.pk)})
    assert error_codes(result) == ["PERMISSION_DENIED"]
    assert result["errors"][0]["message"] == "You cannot approve or reject your own document."
    assert counts() == before


def test_another_companys_document_is_not_found(levels, make_doc, otra, as_otra, counts):
    doc = make_doc("800")
    before = counts()
    result = as_otra.execute("""mutation($d: ID!) {
        submitForApproval(documentType: TEST_DOCUMENT, documentId: $d) { required } }""",
                             {"d": str(doc.pk)})
    assert error_codes(result) == ["NOT_FOUND"]
    assert counts() == before
    assert not ApprovalRequest.objects.exists()


def test_unknown_document_type_is_refused(as_demo):
    result = as_demo.execute("""mutation {
        approveDocument(documentType: NO_SUCH_THING, documentId: 1) { status } }""")
    assert error_codes(result) == ["NOT_FOUND"]
    result = as_demo.execute("""mutation($a: [ID!]!) {
        createApprovalConfig(documentType: NO_SUCH_THING, threshold: "1",
                             approverUserIds: $a) { id } }""", {"a": ["1"]})
    assert error_codes(result) == ["VALIDATION"]
