"""Configuración → Documentos: number series and approval policies."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from cuadra.approvals.models import ApprovalConfig
from cuadra.core.models import AuditLog
from cuadra.sequences.models import AutoSequence

URL = "/settings/documents/"


def _client(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=username)
    return client


@pytest.fixture
def owner(platform) -> Client:
    return _client("demo")


def test_page_lists_every_series_with_its_next_number(owner, demo):
    page = owner.get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert AutoSequence.objects.filter(company=demo).count() == 17
    assert 'data-sequence="INVOICE"' in html
    assert "FAC-" in html and "-000001" in html
    assert "Aprobaciones" in html  # Spanish by default for a Panama company


def test_owner_sets_anything_over_500_to_me_in_one_form(owner, demo, platform):
    response = owner.post(URL + "approvals/", {"document_type": "PURCHASE_REQUISITION",
                                               "threshold": "500"})
    assert response.status_code == 302
    config = ApprovalConfig.objects.get(company=demo)
    assert config.threshold == Decimal("500")
    assert config.approver_user_ids == [platform.owner.pk]
    assert config.approval_mode == "ANY_ONE"
    listed = owner.get(URL).content.decode()
    assert f'data-config="{config.pk}"' in listed and "≥ 500.00" in listed


def test_a_bad_threshold_is_refused_writes_nothing_but_its_audit_row(owner, demo):
    response = owner.post(URL + "approvals/", {"document_type": "PURCHASE_REQUISITION",
                                               "threshold": "quinientos"})
    assert response.status_code == 400
    assert 'data-error="threshold"' in response.content.decode()
    assert not ApprovalConfig.objects.filter(company=demo).exists()
    refusal = AuditLog.objects.filter(company_id=demo.pk, action="refused").latest("id")
    assert (refusal.operation, refusal.error_code) == ("web_approval_config_create",
                                                       "VALIDATION")


def test_a_sales_user_cannot_configure_approvals(platform, demo):
    client = _client("ventas")
    assert client.get(URL).status_code == 403
    client.post(URL + "approvals/", {"threshold": "500"})
    assert not ApprovalConfig.objects.filter(company=demo).exists()


def test_series_prefix_is_edited_from_the_page(owner, demo):
    seq = AutoSequence.objects.get(company=demo, document_type="QUOTE", branch_code="")
    owner.post(URL + f"sequences/{seq.pk}/", {"prefix": "Q-{YYYY}-", "padding": "5",
                                              "reset_strategy": "YEARLY"})
    seq.refresh_from_db()
    assert (seq.prefix, seq.padding) == ("Q-{YYYY}-", 5)


def test_a_yearly_series_without_the_year_is_refused(owner, demo):
    seq = AutoSequence.objects.get(company=demo, document_type="QUOTE", branch_code="")
    owner.post(URL + f"sequences/{seq.pk}/", {"prefix": "Q-", "padding": "5",
                                              "reset_strategy": "YEARLY"})
    seq.refresh_from_db()
    assert seq.prefix == "COT-{YYYY}-"


def test_another_companys_series_is_not_found_from_the_page(owner, otra):
    foreign = AutoSequence.objects.filter(company=otra).first()
    owner.post(URL + f"sequences/{foreign.pk}/", {"prefix": "HACKED-{YYYY}-"})
    foreign.refresh_from_db()
    assert "HACKED" not in foreign.prefix


# TEST_DOCUMENT (tests/docapp, registered by its AppConfig) offers several workflows.
def test_owner_chooses_the_five_stage_workflow(owner, demo):
    from cuadra.documents.lifecycle import workflow_for

    page = owner.get(URL).content.decode()
    assert 'data-workflow="TEST_DOCUMENT"' in page
    owner.post(URL + "workflows/", {"document_type": "TEST_DOCUMENT",
                                    "workflow_key": "five_stage"})
    assert workflow_for(company=demo, document_type="TEST_DOCUMENT").key == "five_stage"


def test_an_unknown_workflow_is_refused_and_audited(owner, demo):
    from cuadra.documents.lifecycle import workflow_for

    before = workflow_for(company=demo, document_type="TEST_DOCUMENT").key
    owner.post(URL + "workflows/", {"document_type": "TEST_DOCUMENT", "workflow_key": "x"})
    assert workflow_for(company=demo, document_type="TEST_DOCUMENT").key == before
    refusal = AuditLog.objects.filter(company_id=demo.pk, action="refused").latest("id")
    assert refusal.operation == "web_workflow_preset_set"


def test_the_page_title_is_plain_text(owner):
    html = owner.get(URL).content.decode()
    title = html[html.index("<title>"):html.index("</title>")]
    assert title == "<title>Configuración → Documentos · Cuadra"
