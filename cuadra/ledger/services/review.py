"""The seed's general-journal review as a workflow preset of document type JOURNAL_ENTRY.

* ``simple`` (default): a manual draft is posted directly (``postJournalEntry``).
* ``review``: new → audit → confirm; the ledger posts the draft at ``confirm`` (the
  ``entry_audit`` stage effect registered below). Who audited and confirmed is read from
  the document history (``documents.selectors.audited_by`` / ``confirmed_by``).

The review is a :class:`JournalEntryReview` lifecycle document pointing at the draft, so
``JournalEntry.state`` (draft/posted, on which the immutability triggers key) is untouched.
Stepping back from ``confirmed`` compensates the posting the only way the books allow: a
reversal, after which a fresh draft copy awaits the next confirm.
"""

from __future__ import annotations

from django.db import transaction

from cuadra.access.permissions import Path
from cuadra.core.errors import InvalidTransition
from cuadra.documents import lifecycle
from cuadra.documents.presets import LEDGER, REVIEW, SIMPLE, review_workflow, simple_workflow
from cuadra.ledger.enums import EntryState
from cuadra.ledger.models import JournalEntry, JournalEntryReview
from cuadra.ledger.services.posting import (
    journal_entry_create,
    journal_entry_get,
    journal_entry_post,
    journal_entry_reverse,
)

DOCUMENT_TYPE = JournalEntryReview.document_type


def register() -> None:
    """Called from LedgerConfig.ready(): the type, its presets and the posting effect."""
    lifecycle.register_document_type(
        DOCUMENT_TYPE, model=JournalEntryReview, default_workflow=SIMPLE,
        workflows={SIMPLE: simple_workflow(Path.JOURNAL_ENTRIES),
                   REVIEW: review_workflow(Path.JOURNAL_ENTRIES)})
    lifecycle.register_effect(DOCUMENT_TYPE, LEDGER, apply=_post_effect,
                              compensate=_reverse_effect, name="ledger.journal_entry_post")


def journal_entry_review_required(*, company) -> bool:
    """True when the company chose the review preset: a manual draft then posts only by
    confirm, never directly."""
    return lifecycle.workflow_for(company=company, document_type=DOCUMENT_TYPE).key == REVIEW


# --- effects -------------------------------------------------------------------------------

def _post_effect(ctx: lifecycle.EffectContext) -> None:
    review = ctx.document
    draft = JournalEntry.objects.get(pk=review.entry_id)
    journal_entry_post(company=ctx.company, actor=ctx.actor, entry=draft,
                       idempotency_key=f"review:{review.pk}:{draft.pk}")


def _copy_lines(entry: JournalEntry) -> list[dict]:
    return [{"account": li.account_id, "label": li.label,
             "debit": li.amount_currency if li.amount_currency > 0 else None,
             "credit": -li.amount_currency if li.amount_currency < 0 else None,
             "partner": li.partner, "due_date": li.due_date, "branch": li.branch_id,
             "cost_center": li.cost_center, "project": li.project}
            for li in entry.lines.order_by("line_no")]


def _reverse_effect(ctx: lifecycle.EffectContext) -> None:
    review = ctx.document
    posted = JournalEntry.objects.get(pk=review.entry_id)
    journal_entry_reverse(company=ctx.company, actor=ctx.actor, entry=posted,
                          memo=f"Review of {posted.number} reopened")
    draft = journal_entry_create(
        company=ctx.company, actor=ctx.actor, journal=posted.journal_id, date=posted.date,
        reference=posted.reference, memo=posted.memo, currency=posted.currency,
        exchange_rate=posted.exchange_rate if posted.currency != ctx.company.base_currency
        else None, lines=_copy_lines(posted))
    review.entry = draft
    review.save(update_fields=["entry", "updated_at"])


# --- steps ---------------------------------------------------------------------------------

def journal_entry_review_get(*, company, entry: JournalEntry) -> JournalEntryReview | None:
    return JournalEntryReview.objects.filter(company=company, entry=entry).first()


@transaction.atomic
def journal_entry_audit(*, company, actor, entry: JournalEntry,
                        comment: str = "") -> JournalEntryReview:
    """new → audited. Opens the review of a draft on first use."""
    draft = journal_entry_get(company=company, entry_id=entry.pk, lock=True)
    if draft.state != EntryState.DRAFT:
        raise InvalidTransition(f"Entry {draft.number} is already posted.", field="id")
    review = journal_entry_review_get(company=company, entry=draft)
    if review is None:
        review = JournalEntryReview(company=company, entry=draft)
        review.save()
    return lifecycle.transition(document=review, action="audit", actor=actor,
                                comment=comment)


@transaction.atomic
def journal_entry_confirm(*, company, actor, entry: JournalEntry,
                          comment: str = "") -> JournalEntryReview:
    """audited → confirmed, posting the entry."""
    draft = journal_entry_get(company=company, entry_id=entry.pk)
    review = journal_entry_review_get(company=company, entry=draft)
    if review is None:
        raise InvalidTransition("Audit the entry before confirming it.", field="id")
    return lifecycle.transition(document=review, action="confirm", actor=actor,
                                comment=comment)


@transaction.atomic
def journal_entry_review_reverse(*, company, actor, entry: JournalEntry,
                                 comment: str = "") -> JournalEntryReview:
    """One step back: confirmed → audited (reversing the posting) or audited → new."""
    review = journal_entry_review_get(company=company, entry=journal_entry_get(
        company=company, entry_id=entry.pk))
    if review is None:
        raise InvalidTransition("The entry is not under review.", field="id")
    return lifecycle.transition(document=review, action="reverse", actor=actor,
                                comment=comment)


def review_refuse_direct_post(*, company, entry: JournalEntry | None = None) -> None:
    """Under the review preset (or with a review open on the draft) a manual entry is
    posted only by confirming it, never directly: neither a draft nor a new entry."""
    if entry is not None and entry.state != EntryState.DRAFT:
        return  # the posting service answers a posted entry (idempotent retry, or refusal)
    has_review = entry is not None and JournalEntryReview.objects.filter(
        company=company, entry=entry).exists()
    if journal_entry_review_required(company=company) or has_review:
        raise InvalidTransition("This company reviews journal entries: audit the entry, "
                                "then confirm it to post it.", field="id")


def review_refuse_edit(*, company, entry: JournalEntry) -> None:
    """An audited draft is what confirm will post: changing it would skip the audit."""
    review = JournalEntryReview.objects.filter(company=company, entry=entry).first()
    if review is not None and review.status == "audited":
        raise InvalidTransition("The entry was audited: step its review back before "
                                "changing it, then audit and confirm it again.", field="id")
