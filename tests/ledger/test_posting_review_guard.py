"""The review preset cannot be bypassed over GraphQL: with it (or with a review open on the
draft) postJournalEntry refuses, and an audited draft cannot be changed before confirm."""

from __future__ import annotations

import datetime as dt

import pytest

from cuadra.documents.services import workflow_setting_set
from cuadra.ledger.models import JournalEntry
from cuadra.ledger.services import journal_entry_create
from cuadra.ledger.services.review import (
    journal_entry_audit,
    journal_entry_confirm,
    journal_entry_review_reverse,
)
from tests.conftest import error_codes, row_counts
from tests.ledger.conftest import lines
from tests.ledger.test_api import POST, UPDATE

DAY = dt.date(2025, 3, 14)


@pytest.fixture
def draft(demo, owner):
    return journal_entry_create(company=demo, actor=owner, journal="GEN", date=DAY,
                                memo="ajuste", lines=lines(("6201", "75.50", None),
                                                           ("110101", None, "75.50")))


def _review(demo, owner):
    workflow_setting_set(company=demo, document_type="JOURNAL_ENTRY", workflow_key="review",
                         actor=owner)


def _refusal(result) -> tuple[list[str], str]:
    return error_codes(result), result["errors"][0]["message"]


def test_review_preset_refuses_direct_post(as_demo, demo, owner, draft):
    _review(demo, owner)
    before = row_counts()
    codes, message = _refusal(as_demo.execute(POST, {"id": str(draft.pk)}))
    assert codes == ["INVALID_TRANSITION"]
    assert "audit the entry" in message and "confirm it" in message
    assert row_counts() == before
    draft.refresh_from_db()
    assert (draft.state, draft.number) == ("draft", "")


def test_an_open_review_refuses_direct_post_even_after_switching_to_simple(as_demo, demo,
                                                                          owner, draft):
    _review(demo, owner)
    journal_entry_audit(company=demo, actor=owner, entry=draft)
    journal_entry_review_reverse(company=demo, actor=owner, entry=draft)  # back to new
    workflow_setting_set(company=demo, document_type="JOURNAL_ENTRY", workflow_key="simple",
                         actor=owner)
    before = row_counts()
    assert error_codes(as_demo.execute(POST, {"id": str(draft.pk)})) == ["INVALID_TRANSITION"]
    assert row_counts() == before


def test_an_audited_draft_cannot_be_edited(as_demo, demo, owner, draft):
    _review(demo, owner)
    journal_entry_audit(company=demo, actor=owner, entry=draft)
    before = row_counts()
    codes, message = _refusal(as_demo.execute(UPDATE, {"id": str(draft.pk),
                                                       "input": {"memo": "otro"}}))
    assert codes == ["INVALID_TRANSITION"]
    assert "audited" in message
    assert row_counts() == before
    assert JournalEntry.objects.get(pk=draft.pk).memo == "ajuste"
    # confirm still posts what was audited
    journal_entry_confirm(company=demo, actor=owner, entry=draft)
    entry = JournalEntry.objects.get(pk=draft.pk)
    assert (entry.state, entry.memo, entry.number) == ("posted", "ajuste", "AS-2025-000001")


def test_a_new_draft_stays_editable_under_review(as_demo, demo, owner, draft):
    _review(demo, owner)
    data = as_demo.execute(UPDATE, {"id": str(draft.pk), "input": {"memo": "corregido"}})
    assert data["data"]["updateJournalEntry"]["memo"] == "corregido"


def test_simple_preset_still_posts_directly(as_demo, demo, draft):
    data = as_demo.execute(POST, {"id": str(draft.pk)})["data"]["postJournalEntry"]
    assert (data["state"], data["number"]) == ("posted", "AS-2025-000001")
