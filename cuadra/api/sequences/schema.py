"""GraphQL for number series (seed 002 "Auto sequences"): names exactly as the seed."""

from __future__ import annotations

import datetime as dt

import strawberry
import strawberry_django

from cuadra.access.permissions import Action, Path
from cuadra.api.base import actor, company, requires
from cuadra.api.sequences.types import AutoSequenceType, DocumentType, ResetStrategy
from cuadra.sequences import selectors, services


@strawberry.type
class DeletePayload:
    ok: bool
    id: strawberry.ID


@strawberry.type
class SequencesQuery:
    @strawberry_django.field(extensions=requires(Path.AUTO_SEQUENCES, Action.VIEW))
    def auto_sequences(self, info: strawberry.Info,
                       document_type: DocumentType | None = None) -> list[AutoSequenceType]:
        qs = selectors.auto_sequences_for_company(company=company(info))
        if document_type is not None:
            qs = qs.filter(document_type=document_type.value)
        return list(qs)

    @strawberry_django.field(extensions=requires(Path.AUTO_SEQUENCES, Action.VIEW))
    def auto_sequence(self, info: strawberry.Info, id: strawberry.ID) -> AutoSequenceType:
        return selectors.auto_sequence_get(company=company(info), sequence_id=id)

    @strawberry_django.field(extensions=requires(Path.AUTO_SEQUENCES, Action.VIEW),
                             description="The number the next document would take; "
                                         "consumes nothing")
    def preview_next_number(self, info: strawberry.Info, document_type: DocumentType,
                            branch_code: str = "", date: dt.date | None = None) -> str:
        return selectors.sequence_preview(company=company(info),
                                          document_type=document_type.value,
                                          branch_code=branch_code, date=date)


def _reloaded(info, seq) -> AutoSequenceType:
    """Re-read through the selector so ``currentValue`` is annotated."""
    return selectors.auto_sequence_get(company=company(info), sequence_id=seq.pk)


@strawberry.type
class SequencesMutation:
    @strawberry.mutation(extensions=requires(Path.AUTO_SEQUENCES, Action.CREATE))
    def create_auto_sequence(self, info: strawberry.Info, document_type: DocumentType,
                             prefix: str, padding: int = 6,
                             reset_strategy: ResetStrategy = ResetStrategy.YEARLY,
                             branch_code: str = "",
                             enforce_chronology: bool = True) -> AutoSequenceType:
        seq = services.auto_sequence_create(
            company=company(info), actor=actor(info), document_type=document_type.value,
            prefix=prefix, padding=padding, reset_strategy=reset_strategy.value,
            branch_code=branch_code, enforce_chronology=enforce_chronology)
        return _reloaded(info, seq)

    @strawberry.mutation(extensions=requires(Path.AUTO_SEQUENCES, Action.UPDATE))
    def update_auto_sequence(self, info: strawberry.Info, id: strawberry.ID,
                             prefix: str | None = None, padding: int | None = None,
                             reset_strategy: ResetStrategy | None = None,
                             enforce_chronology: bool | None = None) -> AutoSequenceType:
        seq = selectors.auto_sequence_get(company=company(info), sequence_id=id)
        seq = services.auto_sequence_update(
            company=company(info), actor=actor(info), sequence=seq, prefix=prefix,
            padding=padding, enforce_chronology=enforce_chronology,
            reset_strategy=reset_strategy.value if reset_strategy is not None else None)
        return _reloaded(info, seq)

    @strawberry.mutation(extensions=requires(Path.AUTO_SEQUENCES, Action.DELETE))
    def delete_auto_sequence(self, info: strawberry.Info, id: strawberry.ID) -> DeletePayload:
        seq = selectors.auto_sequence_get(company=company(info), sequence_id=id)
        services.auto_sequence_delete(company=company(info), actor=actor(info), sequence=seq)
        return DeletePayload(ok=True, id=id)

    @strawberry.mutation(extensions=requires(Path.AUTO_SEQUENCES, Action.UPDATE),
                         description="Move the counter of the period `date` falls in "
                                     "(default today) forward: the next number is "
                                     "newValue + 1. Never backwards.")
    def reset_auto_sequence_counter(self, info: strawberry.Info, id: strawberry.ID,
                                    new_value: int | None = None,
                                    date: dt.date | None = None) -> AutoSequenceType:
        seq = selectors.auto_sequence_get(company=company(info), sequence_id=id)
        services.auto_sequence_counter_reset(company=company(info), actor=actor(info),
                                             sequence=seq, new_value=new_value, date=date)
        return _reloaded(info, seq)


__all__ = ["SequencesMutation", "SequencesQuery"]
