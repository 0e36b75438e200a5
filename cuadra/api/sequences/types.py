from __future__ import annotations

import datetime as dt

import strawberry
import strawberry_django

from cuadra.sequences import enums
from cuadra.sequences import models as m

DocumentType = strawberry.enum(enums.DocumentType, name="DocumentType",
                               description="Document types that take a legal number")
ResetStrategy = strawberry.enum(enums.ResetStrategy, name="ResetStrategy",
                                description="When a series' counter restarts")


@strawberry_django.type(m.SequenceCounter)
class SequenceCounterType:
    period_key: strawberry.auto
    last_value: int
    last_date: dt.date | None


@strawberry_django.type(m.AutoSequence)
class AutoSequenceType:
    id: strawberry.auto
    prefix: strawberry.auto
    padding: int
    branch_code: strawberry.auto
    enforce_chronology: strawberry.auto
    created_at: strawberry.auto
    updated_at: strawberry.auto

    @strawberry_django.field(only=["document_type"])
    def document_type(self) -> DocumentType:
        return enums.DocumentType(self.document_type)

    @strawberry_django.field(only=["reset_strategy"])
    def reset_strategy(self) -> ResetStrategy:
        return enums.ResetStrategy(self.reset_strategy)

    @strawberry.field(description="Last value issued in the current period (read-only)")
    def current_value(self) -> int:
        return int(getattr(self, "current_value", 0) or 0)

    @strawberry_django.field(only=["id"])
    def counters(self) -> list[SequenceCounterType]:
        """Every period this series has counted, newest first."""
        return list(m.SequenceCounter.objects.filter(sequence_id=self.pk)
                    .order_by("-period_key"))
