"""sequence_next_many: N numbers at once, with sequence_next's rules."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from cuadra.core.errors import ValidationError
from cuadra.sequences import services
from cuadra.sequences.enums import DocumentType
from cuadra.sequences.models import IssuedNumber, SequenceCounter

D = dt.date(2025, 3, 10)


def many(company, dates, **kw):
    return services.sequence_next_many(company=company, document_type=DocumentType.INVOICE,
                                       dates=dates, **kw)


def state(company):
    return (list(SequenceCounter.objects.filter(company=company).order_by("pk").values()),
            list(IssuedNumber.objects.filter(company=company).order_by("pk").values()))


def test_batch_takes_consecutive_numbers_and_registers_them(demo):
    first = services.sequence_next(company=demo, document_type=DocumentType.INVOICE, date=D)
    got = many(demo, [D, D, dt.date(2025, 3, 11)], object_type="x", object_ids=[7, "", 9])
    assert [first, *got] == ["FAC-2025-000001", "FAC-2025-000002", "FAC-2025-000003",
                             "FAC-2025-000004"]
    rows = list(IssuedNumber.objects.filter(company=demo, value__gt=1).order_by("value")
                .values_list("number", "period_key", "value", "date", "object_type",
                             "object_id"))
    assert rows == [("FAC-2025-000002", "2025", 2, D, "x", "7"),
                    ("FAC-2025-000003", "2025", 3, D, "x", ""),
                    ("FAC-2025-000004", "2025", 4, dt.date(2025, 3, 11), "x", "9")]
    counter = SequenceCounter.objects.get(company=demo)
    assert (counter.last_value, counter.last_date) == (4, dt.date(2025, 3, 11))
    assert services.sequence_next(company=demo, document_type=DocumentType.INVOICE,
                                  date=dt.date(2025, 3, 11)) == "FAC-2025-000005"


def test_batch_spanning_two_years_uses_each_years_counter(demo):
    got = many(demo, [dt.date(2024, 12, 31), dt.date(2025, 1, 1), dt.date(2025, 1, 2)])
    assert got == ["FAC-2024-000001", "FAC-2025-000001", "FAC-2025-000002"]
    assert sorted(SequenceCounter.objects.filter(company=demo)
                  .values_list("period_key", "last_value")) == [("2024", 1), ("2025", 2)]


def test_chronology_is_checked_inside_the_batch_and_refusal_writes_nothing(demo):
    many(demo, [D])
    before = state(demo)
    with pytest.raises(ValidationError) as info, transaction.atomic():
        many(demo, [D, dt.date(2025, 3, 12), dt.date(2025, 3, 11)])
    assert info.value.field == "dates[2]"
    assert state(demo) == before
    with pytest.raises(ValidationError) as info, transaction.atomic():
        many(demo, [dt.date(2025, 3, 9)])
    assert info.value.field == "dates[0]"
    assert state(demo) == before


def test_rollback_gives_every_number_back(demo):
    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        many(demo, [D] * 5)
        raise Boom
    assert many(demo, [D]) == ["FAC-2025-000001"]
    assert IssuedNumber.objects.filter(company=demo).count() == 1


def test_empty_batch_takes_nothing(demo):
    assert many(demo, []) == []
    assert IssuedNumber.objects.filter(company=demo).count() == 0


def test_refuses_to_run_outside_a_transaction(demo, monkeypatch):
    class NoAtomic:
        in_atomic_block = False

    monkeypatch.setattr(transaction, "get_connection", lambda *a, **k: NoAtomic())
    with pytest.raises(RuntimeError, match="inside the issuing transaction"):
        many(demo, [D])
    monkeypatch.undo()
    assert IssuedNumber.objects.filter(company=demo).count() == 0
