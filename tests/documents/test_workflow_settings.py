"""Choosing a workflow preset per company and document type."""

from __future__ import annotations

import pytest

from cuadra.core.errors import Conflict, ValidationError
from cuadra.core.models import AuditLog
from cuadra.documents.lifecycle import workflow_for
from cuadra.documents.models import WorkflowSetting
from cuadra.documents.services import workflow_setting_set


def _set(company, key, actor, document_type="TEST_DOCUMENT"):
    return workflow_setting_set(company=company, document_type=document_type,
                                workflow_key=key, actor=actor)


def test_choose_and_switch_is_audited(demo, owner):
    setting = _set(demo, "simple", owner)
    assert (setting.company, setting.document_type, setting.workflow_key) == (
        demo, "TEST_DOCUMENT", "simple")
    _set(demo, "five_stage", owner)
    assert WorkflowSetting.objects.get(company=demo).workflow_key == "five_stage"
    audits = AuditLog.objects.filter(operation="workflow_setting_set").order_by("id")
    assert [a.action for a in audits] == ["create", "update"]
    assert audits[1].changes == {"workflow_key": ["simple", "five_stage"]}


def test_unknown_key_or_type_is_refused(demo, owner):
    with pytest.raises(ValidationError) as exc:
        _set(demo, "seven_stage", owner)
    assert (exc.value.code, exc.value.field) == ("VALIDATION", "workflowKey")
    with pytest.raises(ValidationError) as exc:
        _set(demo, "simple", owner, document_type="NO_SUCH_TYPE")
    assert exc.value.field == "documentType"
    assert not WorkflowSetting.objects.exists()


def test_switching_with_drafts_is_allowed(demo, owner, make_doc):
    _set(demo, "simple", owner)
    doc = make_doc()
    _set(demo, "five_stage", owner)
    assert workflow_for(company=demo, document_type="TEST_DOCUMENT").key == "five_stage"
    assert doc.status == "draft"


def test_switching_strands_nothing_mid_flow(demo, owner, make_doc, drive):
    _set(demo, "simple", owner)
    drive(make_doc(), ["issue"])
    with pytest.raises(Conflict) as exc:
        _set(demo, "five_stage", owner)
    assert (exc.value.code, exc.value.field) == ("CONFLICT", "workflowKey")
    assert "issued" in exc.value.message
    assert WorkflowSetting.objects.get(company=demo).workflow_key == "simple"


def test_documents_in_terminal_states_do_not_block(demo, owner, make_doc, drive):
    _set(demo, "simple", owner)
    drive(make_doc(), ["issue", "void"])
    _set(demo, "five_stage", owner)
    assert WorkflowSetting.objects.get(company=demo).workflow_key == "five_stage"


def test_final_is_mid_flow_because_it_can_reopen(demo, owner, make_doc, drive):
    _set(demo, "five_stage", owner)
    drive(make_doc(), ["audit", "confirm", "storage_audit", "entry_audit", "finalize"])
    with pytest.raises(Conflict):
        _set(demo, "simple", owner)


def test_other_companies_documents_do_not_block(demo, otra, owner, make_doc, drive, users):
    _set(demo, "simple", owner)
    drive(make_doc(), ["issue"])
    _set(otra, "five_stage", users["otra"])
    assert workflow_for(company=otra, document_type="TEST_DOCUMENT").key == "five_stage"
