"""The general-journal review preset: new → audit → confirm (posting at confirm), with who
audited and who confirmed; the default 'simple' preset posts directly."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from cuadra.core.errors import InvalidTransition, PermissionDenied
from cuadra.documents.selectors import audited_by, confirmed_by, history_of
from cuadra.documents.services import workflow_setting_set
from cuadra.ledger.models import JournalEntry, JournalEntryReview
from cuadra.ledger.services import UnbalancedEntry, journal_entry_create
from cuadra.ledger.services.review import (
    journal_entry_audit,
    journal_entry_confirm,
    journal_entry_review_required,
    journal_entry_review_reverse,
)
from tests.conftest import GraphQLClient, error_codes, row_counts
from tests.ledger.conftest import lines

DAY = dt.date(2025, 3, 14)


def user(name):
    return get_user_model().objects.get(username=name)


@pytest.fixture
def reviewed(demo, owner):
    workflow_setting_set(company=demo, document_type="JOURNAL_ENTRY", workflow_key="review",
                         actor=owner)
    return demo


@pytest.fixture
def draft(demo, owner):
    return journal_entry_create(company=demo, actor=owner, journal="GEN", date=DAY,
                                memo="ajuste", lines=lines(("6201", "75.50", None),
                                                           ("110101", None, "75.50")))


def test_simple_is_the_default_and_has_no_audit_step(demo, owner, draft):
    assert journal_entry_review_required(company=demo) is False
    before = row_counts()
    with pytest.raises(InvalidTransition):
        journal_entry_audit(company=demo, actor=owner, entry=draft)
    assert row_counts() == before


def test_audit_then_confirm_posts_and_records_who(reviewed, owner, draft):
    assert journal_entry_review_required(company=reviewed) is True
    review = journal_entry_audit(company=reviewed, actor=user("contador"), entry=draft)
    draft.refresh_from_db()
    assert (review.status, draft.state, draft.number) == ("audited", "draft", "")
    assert audited_by(review).username == "contador"
    assert confirmed_by(review) is None

    review = journal_entry_confirm(company=reviewed, actor=owner, entry=draft)
    entry = JournalEntry.objects.get(pk=draft.pk)
    assert (review.status, entry.state, entry.number) == ("confirmed", "posted",
                                                          "AS-2025-000001")
    assert [(li.account.code, li.debit, li.credit) for li in entry.lines.order_by("line_no")] \
        == [("6201", Decimal("75.50"), Decimal("0")), ("110101", Decimal("0"),
                                                       Decimal("75.50"))]
    assert (audited_by(review).username, confirmed_by(review).username) == ("contador", "demo")
    assert [(h.action, h.from_state, h.to_state) for h in history_of(review)] == [
        ("audit", "draft", "audited"), ("confirm", "audited", "confirmed")]


def test_refusals_write_nothing(reviewed, owner, draft):
    before = row_counts()
    with pytest.raises(InvalidTransition):  # confirm before audit
        journal_entry_confirm(company=reviewed, actor=owner, entry=draft)
    with pytest.raises(PermissionDenied):  # sales may not audit the books
        journal_entry_audit(company=reviewed, actor=user("ventas"), entry=draft)
    assert row_counts() == before
    review = journal_entry_audit(company=reviewed, actor=owner, entry=draft)
    with pytest.raises(InvalidTransition):  # audit twice
        journal_entry_audit(company=reviewed, actor=owner, entry=draft)
    assert review.status == "audited"


def test_an_unbalanced_draft_cannot_be_confirmed(reviewed, owner):
    lopsided = journal_entry_create(company=reviewed, actor=owner, journal="GEN", date=DAY,
                                    lines=lines(("6201", "10", None), ("110101", None, "9")))
    review = journal_entry_audit(company=reviewed, actor=owner, entry=lopsided)
    before = row_counts()
    with pytest.raises(UnbalancedEntry):
        journal_entry_confirm(company=reviewed, actor=owner, entry=lopsided)
    assert row_counts() == before
    review.refresh_from_db()
    assert review.status == "audited"
    assert JournalEntry.objects.get(pk=lopsided.pk).state == "draft"


def test_a_posted_entry_is_not_audited(reviewed, owner, post):
    posted = post(("6201", "1", None), ("110101", None, "1"))
    with pytest.raises(InvalidTransition):
        journal_entry_audit(company=reviewed, actor=owner, entry=posted)


def test_stepping_back_from_confirmed_reverses_and_leaves_a_fresh_draft(reviewed, owner,
                                                                         draft):
    journal_entry_audit(company=reviewed, actor=owner, entry=draft)
    journal_entry_confirm(company=reviewed, actor=owner, entry=draft)
    review = journal_entry_review_reverse(company=reviewed, actor=owner, entry=draft)
    assert review.status == "audited"
    assert confirmed_by(review) is None
    original = JournalEntry.objects.get(pk=draft.pk)
    reversal = JournalEntry.objects.get(reversal_of=original)
    assert [(li.debit, li.credit) for li in reversal.lines.order_by("line_no")] == [
        (Decimal("0"), Decimal("75.50")), (Decimal("75.50"), Decimal("0"))]
    fresh = review.entry
    assert (fresh.state, fresh.memo, fresh.date) == ("draft", "ajuste", DAY)
    again = journal_entry_confirm(company=reviewed, actor=owner, entry=fresh)
    assert again.status == "confirmed"
    # the reversal is dated today (its own year's series); the fresh draft keeps its date
    assert reversal.date == timezone.localdate()
    assert JournalEntry.objects.get(pk=fresh.pk).number == "AS-2025-000002"
    assert JournalEntryReview.objects.filter(company=reviewed).count() == 1


AUDIT = """mutation($id: ID!) { auditJournalEntry(id: $id) {
  status auditedBy confirmedBy entry { state number } } }"""
CONFIRM = """mutation($id: ID!) { confirmJournalEntry(id: $id) {
  status auditedBy confirmedBy entry { state number } } }"""


def test_review_over_graphql(as_demo, as_otra, reviewed, draft):
    ids = {"id": str(draft.pk)}
    assert error_codes(as_otra.execute(AUDIT, ids)) == ["NOT_FOUND"]
    ventas = GraphQLClient().login("ventas", company="DEMO")
    assert error_codes(ventas.execute(AUDIT, ids)) == ["PERMISSION_DENIED"]
    contador = GraphQLClient().login("contador", company="DEMO")
    audited = contador.execute(AUDIT, ids)["data"]["auditJournalEntry"]
    assert audited == {"status": "audited", "auditedBy": "contador", "confirmedBy": None,
                       "entry": {"state": "draft", "number": ""}}
    confirmed = as_demo.execute(CONFIRM, ids)["data"]["confirmJournalEntry"]
    assert confirmed == {"status": "confirmed", "auditedBy": "contador",
                         "confirmedBy": "demo",
                         "entry": {"state": "posted", "number": "AS-2025-000001"}}
    assert error_codes(as_demo.execute(CONFIRM, ids)) == ["INVALID_TRANSITION"]


def test_deleting_a_draft_under_review_drops_the_review_not_its_history(reviewed, owner,
                                                                        draft):
    from cuadra.documents.models import DocumentHistory
    from cuadra.ledger.services import journal_entry_delete

    journal_entry_audit(company=reviewed, actor=owner, entry=draft)
    journal_entry_delete(company=reviewed, actor=owner, entry=draft)
    assert not JournalEntryReview.objects.filter(company=reviewed).exists()
    assert DocumentHistory.objects.filter(company=reviewed,
                                          document_type="JOURNAL_ENTRY").count() == 1
