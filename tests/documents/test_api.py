"""GraphQL: documentHistory (tenant-scoped), workflowSettings, setWorkflowPreset."""

from __future__ import annotations

from cuadra.documents.lifecycle import transition
from cuadra.documents.models import WorkflowSetting
from tests.conftest import GraphQLClient, error_codes

HISTORY = """query($t: String!, $id: ID!) { documentHistory(documentType: $t, documentId: $id) {
  documentType objectId action fromState toState actorId actorUsername comment at } }"""
SETTINGS = """{ workflowSettings { documentType workflowKey defaultWorkflow availableWorkflows
  workflow { key initial states transitions { action sources target path perm effects
  compensates } } } }"""
SET = """mutation($t: String!, $k: String!) { setWorkflowPreset(documentType: $t,
  workflowKey: $k) { documentType workflowKey } }"""


def test_document_history_lists_rows_in_order(as_demo, make_doc, owner, users):
    doc = make_doc()
    transition(document=doc, action="submit", actor=owner, comment="para aprobar")
    transition(document=doc, action="reject", actor=owner, comment="falta cotización")
    result = as_demo.execute(HISTORY, {"t": "TEST_DOCUMENT", "id": str(doc.pk)})
    assert "errors" not in result, result
    rows = result["data"]["documentHistory"]
    assert [(r["action"], r["fromState"], r["toState"], r["comment"], r["actorUsername"])
            for r in rows] == [("submit", "draft", "submitted", "para aprobar", "demo"),
                               ("reject", "submitted", "draft", "falta cotización", "demo")]
    assert {(r["documentType"], r["objectId"], r["actorId"]) for r in rows} == {
        ("TEST_DOCUMENT", str(doc.pk), str(owner.pk))}


def test_document_history_is_tenant_scoped(as_otra, make_doc, owner, platform):
    doc = make_doc()
    transition(document=doc, action="submit", actor=owner)
    result = as_otra.execute(HISTORY, {"t": "TEST_DOCUMENT", "id": str(doc.pk)})
    assert error_codes(result) == ["NOT_FOUND"]
    # and naming the other company in the header does not help
    result = as_otra.execute(HISTORY, {"t": "TEST_DOCUMENT", "id": str(doc.pk)},
                             company="DEMO")
    assert error_codes(result) == ["PERMISSION_DENIED"]


def test_document_history_needs_documents_view(platform, make_doc, owner):
    doc = make_doc()
    client = GraphQLClient().login("ventas", company="DEMO")  # sales may view DOCUMENTS
    assert "errors" not in client.execute(HISTORY, {"t": "TEST_DOCUMENT",
                                                    "id": str(doc.pk)})
    anonymous = GraphQLClient()
    result = anonymous.execute(HISTORY, {"t": "TEST_DOCUMENT", "id": str(doc.pk)},
                               company="DEMO")
    assert error_codes(result) == ["PERMISSION_DENIED"]


def test_document_history_unknown_type_or_id(as_demo, make_doc):
    assert error_codes(as_demo.execute(HISTORY, {"t": "NOPE", "id": "1"})) == ["VALIDATION"]
    assert error_codes(as_demo.execute(HISTORY, {"t": "TEST_DOCUMENT", "id": "x"})) == [
        "NOT_FOUND"]


def test_workflow_settings_lists_the_choice(as_demo):
    result = as_demo.execute(SETTINGS)
    assert "errors" not in result, result
    (row,) = [r for r in result["data"]["workflowSettings"]
              if r["documentType"] == "TEST_DOCUMENT"]
    assert (row["workflowKey"], row["defaultWorkflow"], row["availableWorkflows"]) == (
        "requisition", "requisition", ["five_stage", "requisition", "review", "simple"])
    assert row["workflow"]["initial"] == "draft"
    assert row["workflow"]["transitions"][0] == {
        "action": "submit", "sources": ["draft"], "target": "submitted",
        "path": "PURCHASE_REQUISITIONS", "perm": "create", "effects": [], "compensates": []}


def test_set_workflow_preset(as_demo, demo):
    result = as_demo.execute(SET, {"t": "TEST_DOCUMENT", "k": "five_stage"})
    assert result["data"]["setWorkflowPreset"] == {"documentType": "TEST_DOCUMENT",
                                                   "workflowKey": "five_stage"}
    assert WorkflowSetting.objects.get(company=demo).workflow_key == "five_stage"


def test_set_workflow_preset_refusals_write_nothing(as_demo, platform, make_doc, drive,
                                                    use_workflow):
    result = as_demo.execute(SET, {"t": "TEST_DOCUMENT", "k": "nine_stage"})
    assert error_codes(result) == ["VALIDATION"]
    assert result["errors"][0]["extensions"]["field"] == "workflowKey"
    use_workflow("simple")
    drive(make_doc(), ["issue"])
    assert error_codes(as_demo.execute(SET, {"t": "TEST_DOCUMENT", "k": "five_stage"})) == [
        "CONFLICT"]
    ventas = GraphQLClient().login("ventas", company="DEMO")
    assert error_codes(ventas.execute(SET, {"t": "TEST_DOCUMENT", "k": "review"})) == [
        "PERMISSION_DENIED"]
    assert WorkflowSetting.objects.get().workflow_key == "simple"
