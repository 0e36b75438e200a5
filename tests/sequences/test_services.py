"""Service semantics of number series (issue 3 part 1), on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction

from cuadra.core.errors import Conflict, NotFound, ValidationError
from cuadra.core.models import AuditLog
from cuadra.sequences import selectors, services
from cuadra.sequences.enums import DEFAULT_SEQUENCES, DocumentType
from cuadra.sequences.models import AutoSequence, IssuedNumber, SequenceCounter
from cuadra.tenancy.services import branch_create

D = dt.date(2025, 3, 10)


def nxt(company, document_type=DocumentType.INVOICE, date=D, **kw) -> str:
    return services.sequence_next(company=company, document_type=document_type, date=date,
                                  **kw)


def seq_of(company, document_type, branch_code=""):
    return AutoSequence.objects.get(company=company, document_type=document_type,
                                    branch_code=branch_code)


def state(company):
    """Everything a refused call must leave as it was."""
    return (list(AutoSequence.objects.filter(company=company).order_by("pk").values()),
            list(SequenceCounter.objects.filter(company=company).order_by("pk").values()),
            IssuedNumber.objects.filter(company=company).count())


def test_every_company_gets_a_default_series_per_document_type(demo, otra):
    for company in (demo, otra):
        got = {s.document_type: (s.prefix, s.padding, s.reset_strategy, s.branch_code)
               for s in AutoSequence.objects.filter(company=company)}
        assert set(got) == set(DocumentType.values)
        assert got["INVOICE"] == ("FAC-{YYYY}-", 6, "YEARLY", "")
        assert {k: v[:3] for k, v in got.items()} == DEFAULT_SEQUENCES
    services.company_sequences_setup(company=demo, actor=None)  # idempotent
    assert AutoSequence.objects.filter(company=demo).count() == len(DocumentType)


def test_numbers_are_consecutive_and_registered(demo):
    assert [nxt(demo, object_type="sales.invoice", object_id=i) for i in (7, 8, 9)] == [
        "FAC-2025-000001", "FAC-2025-000002", "FAC-2025-000003"]
    rows = list(IssuedNumber.objects.filter(company=demo).order_by("value")
                .values_list("number", "period_key", "value", "date", "object_id"))
    assert rows == [("FAC-2025-000001", "2025", 1, D, "7"),
                    ("FAC-2025-000002", "2025", 2, D, "8"),
                    ("FAC-2025-000003", "2025", 3, D, "9")]
    counter = SequenceCounter.objects.get(company=demo)
    assert (counter.period_key, counter.last_value, counter.last_date) == ("2025", 3, D)


def test_sequence_next_refuses_to_run_outside_a_transaction(demo, monkeypatch):
    class NoAtomic:
        in_atomic_block = False

    monkeypatch.setattr(transaction, "get_connection", lambda *a, **k: NoAtomic())
    with pytest.raises(RuntimeError, match="inside the issuing transaction"):
        nxt(demo)
    monkeypatch.undo()
    assert IssuedNumber.objects.filter(company=demo).count() == 0


def test_a_rollback_consumes_nothing(demo):
    assert nxt(demo) == "FAC-2025-000001"
    with pytest.raises(RuntimeError), transaction.atomic():
        assert nxt(demo) == "FAC-2025-000002"
        raise RuntimeError("the document failed to issue")
    assert nxt(demo) == "FAC-2025-000002"
    assert list(IssuedNumber.objects.filter(company=demo).values_list("value", flat=True)
                .order_by("value")) == [1, 2]


def test_issued_numbers_are_unique_and_append_only(demo):
    nxt(demo)
    first = IssuedNumber.objects.get(company=demo)
    with pytest.raises(IntegrityError), transaction.atomic():
        IssuedNumber.objects.create(company=demo, document_type="INVOICE",
                                    number="FAC-2025-000001", sequence=first.sequence,
                                    period_key="2099", value=99, date=D)
    with pytest.raises(Exception, match=r"IMMUTABLE|append-only"), transaction.atomic():
        IssuedNumber.objects.filter(pk=first.pk).delete()
    with pytest.raises(Exception, match="IMMUTABLE"), transaction.atomic(), \
            connection.cursor() as cursor:
        cursor.execute("DELETE FROM sequences_issuednumber WHERE id = %s", [first.pk])
    assert IssuedNumber.objects.filter(company=demo).count() == 1


def test_yearly_series_restart_each_year(demo):
    assert nxt(demo, date=dt.date(2024, 12, 31)) == "FAC-2024-000001"
    assert nxt(demo, date=dt.date(2024, 12, 31)) == "FAC-2024-000002"
    assert nxt(demo, date=dt.date(2025, 1, 1)) == "FAC-2025-000001"
    assert sorted(SequenceCounter.objects.filter(company=demo)
                  .values_list("period_key", "last_value")) == [("2024", 2), ("2025", 1)]


def test_monthly_series_restart_each_month(demo):
    seq = seq_of(demo, "JOURNAL")
    services.auto_sequence_update(company=demo, actor=None, sequence=seq,
                                  prefix="AS-{YY}{MM}-", padding=4, reset_strategy="MONTHLY")
    days = [dt.date(2025, 1, 31), dt.date(2025, 1, 31), dt.date(2025, 2, 1), dt.date(2026, 2, 1)]
    issued = [nxt(demo, "JOURNAL", day) for day in days]
    assert issued == ["AS-2501-0001", "AS-2501-0002", "AS-2502-0001", "AS-2602-0001"]


def test_never_resetting_series_runs_across_years(demo):
    seq = seq_of(demo, "RECEIPT")
    services.auto_sequence_update(company=demo, actor=None, sequence=seq, prefix="R-",
                                  padding=3, reset_strategy="NEVER")
    assert [nxt(demo, "RECEIPT", dt.date(y, 1, 1)) for y in (2024, 2025)] == ["R-001", "R-002"]


@pytest.mark.parametrize(("prefix", "reset"), [("FAC-", "YEARLY"), ("FAC-{YYYY}-", "MONTHLY"),
                                               ("FAC-{MM}-", "MONTHLY"), ("F{XX}", "NEVER")])
def test_a_format_that_could_repeat_numbers_is_refused(demo, prefix, reset):
    seq = seq_of(demo, "INVOICE")
    before = state(demo)
    with pytest.raises(ValidationError) as err:
        services.auto_sequence_update(company=demo, actor=None, sequence=seq, prefix=prefix,
                                      reset_strategy=reset)
    assert err.value.code == "VALIDATION" and err.value.field == "prefix"
    assert state(demo) == before


def test_chronology_rule_and_its_switch(demo):
    nxt(demo, date=dt.date(2025, 3, 10))
    before = state(demo)
    with pytest.raises(ValidationError) as err:
        nxt(demo, date=dt.date(2025, 3, 9))
    assert err.value.field == "date"
    assert state(demo) == before
    assert nxt(demo, date=dt.date(2025, 3, 10)) == "FAC-2025-000002"  # same day is fine
    assert nxt(demo, date=dt.date(2024, 6, 1)) == "FAC-2024-000001"  # another period
    services.auto_sequence_update(company=demo, actor=None, sequence=seq_of(demo, "INVOICE"),
                                  enforce_chronology=False)
    assert nxt(demo, date=dt.date(2025, 1, 2)) == "FAC-2025-000003"
    counter = SequenceCounter.objects.get(company=demo, period_key="2025")
    assert counter.last_date == dt.date(2025, 3, 10)  # the high-water date stays


def test_branch_series_and_fallback(demo):
    branch = branch_create(company=demo, code="0001", name="Colón")
    services.auto_sequence_create(company=demo, actor=None, document_type="INVOICE",
                                  prefix="FAC-{YYYY}-S1-", padding=4, branch_code="0001")
    assert nxt(demo, branch=branch) == "FAC-2025-S1-0001"
    assert nxt(demo, branch="0000") == "FAC-2025-000001"  # no own series: company-wide
    assert nxt(demo) == "FAC-2025-000002"
    assert nxt(demo, branch=branch) == "FAC-2025-S1-0002"


def test_create_refusals_write_nothing(demo):
    before, audits = state(demo), AuditLog.objects.count()
    cases = [
        dict(document_type="INVOICE", prefix="X-{YYYY}-"),  # company-wide exists
        dict(document_type="INVOICE", prefix="FAC-{YYYY}-", branch_code="0000"),  # same prefix
        dict(document_type="INVOICE", prefix="X-{YYYY}-", branch_code="9999"),  # no branch
        dict(document_type="NOPE", prefix="X-{YYYY}-", branch_code="0000"),
    ]
    fields = []
    for case in cases:
        with pytest.raises(ValidationError) as err:
            services.auto_sequence_create(company=demo, actor=None, **case)
        fields.append(err.value.field)
    assert fields == ["documentType", "prefix", "branchCode", "documentType"]
    assert state(demo) == before and AuditLog.objects.count() == audits


def test_counter_only_moves_forward(demo):
    seq = seq_of(demo, "INVOICE")
    nxt(demo), nxt(demo)
    before = state(demo)
    for bad in (1, -1):
        with pytest.raises(ValidationError) as err:
            services.auto_sequence_counter_reset(company=demo, actor=None, sequence=seq,
                                                 new_value=bad, date=D)
        assert err.value.field == "newValue"
    with pytest.raises(ValidationError):  # no value = restart at 0: only for a fresh period
        services.auto_sequence_counter_reset(company=demo, actor=None, sequence=seq, date=D)
    assert state(demo) == before
    services.auto_sequence_counter_reset(company=demo, actor=None, sequence=seq,
                                         new_value=100, date=D)
    assert nxt(demo) == "FAC-2025-000101"
    fresh = services.auto_sequence_counter_reset(company=demo, actor=None, sequence=seq,
                                                 date=dt.date(2030, 5, 5))
    assert (fresh.period_key, fresh.last_value) == ("2030", 0)
    assert nxt(demo, date=dt.date(2030, 5, 5)) == "FAC-2030-000001"
    audit = AuditLog.objects.filter(operation="auto_sequence_counter_reset").order_by("id")
    assert [a.changes for a in audit] == [{"counter[2025]": [2, 100]}, {"counter[2030]": [0, 0]}]


def test_prefix_change_that_would_reissue_a_number_is_refused(demo):
    seq = seq_of(demo, "RECEIPT")
    services.auto_sequence_update(company=demo, actor=None, sequence=seq, prefix="A-1",
                                  padding=1, reset_strategy="NEVER")
    assert [nxt(demo, "RECEIPT") for _ in range(3)] == ["A-11", "A-12", "A-13"]
    before = state(demo)
    with pytest.raises(ValidationError) as err:  # value 11 would render "A-11" again
        services.auto_sequence_update(company=demo, actor=None, sequence=seq, prefix="A-")
    assert "A-11 was already issued" in err.value.message
    assert state(demo) == before
    services.auto_sequence_counter_reset(company=demo, actor=None, sequence=seq,
                                         new_value=13, date=D)
    services.auto_sequence_update(company=demo, actor=None, sequence=seq, prefix="A-")
    assert nxt(demo, "RECEIPT") == "A-14"


def test_padding_change_is_checked_too(demo):
    seq = seq_of(demo, "RECEIPT")
    services.auto_sequence_update(company=demo, actor=None, sequence=seq, prefix="R",
                                  padding=2, reset_strategy="NEVER")
    assert nxt(demo, "RECEIPT") == "R01"
    services.auto_sequence_update(company=demo, actor=None, sequence=seq, padding=3)
    assert nxt(demo, "RECEIPT") == "R002"


def test_reset_refused_when_it_would_collide_and_the_constraint_backstops(demo):
    branch_create(company=demo, code="0001", name="Colón")
    main = seq_of(demo, "CREDIT")
    services.auto_sequence_update(company=demo, actor=None, sequence=main, prefix="N-",
                                  padding=1, reset_strategy="NEVER")
    services.auto_sequence_create(company=demo, actor=None, document_type="CREDIT",
                                  prefix="N-1", padding=1, reset_strategy="NEVER",
                                  branch_code="0001")
    assert [nxt(demo, "CREDIT", branch="0001") for _ in range(2)] == ["N-11", "N-12"]
    assert nxt(demo, "CREDIT") == "N-1"
    with pytest.raises(ValidationError) as err:
        services.auto_sequence_counter_reset(company=demo, actor=None, sequence=main,
                                             new_value=10, date=D)
    assert "N-11 was already issued" in err.value.message
    services.auto_sequence_counter_reset(company=demo, actor=None, sequence=main,
                                         new_value=12, date=D)
    assert nxt(demo, "CREDIT") == "N-13"
    branch_seq = seq_of(demo, "CREDIT", "0001")
    with pytest.raises(ValidationError):  # branch value 3 would render N-13
        services.auto_sequence_counter_reset(company=demo, actor=None, sequence=branch_seq,
                                             new_value=2, date=D)
    # code that bypasses the checks still meets the unique constraint
    SequenceCounter.objects.filter(sequence=branch_seq).update(last_value=2)
    before = IssuedNumber.objects.count()
    with pytest.raises(Conflict), transaction.atomic():
        nxt(demo, "CREDIT", branch="0001")  # renders N-13 again
    assert IssuedNumber.objects.count() == before


def test_delete_refused_once_a_number_was_issued(demo):
    seq = seq_of(demo, "INVOICE")
    nxt(demo)
    before = state(demo)
    with pytest.raises(Conflict) as err:
        services.auto_sequence_delete(company=demo, actor=None, sequence=seq)
    assert err.value.code == "CONFLICT"
    assert state(demo) == before
    unused = seq_of(demo, "QUOTE")
    services.auto_sequence_delete(company=demo, actor=None, sequence=unused)
    assert not AutoSequence.objects.filter(pk=unused.pk).exists()
    assert AuditLog.objects.filter(operation="auto_sequence_delete",
                                   object_id=str(unused.pk)).count() == 1
    with pytest.raises(NotFound):
        nxt(demo, "QUOTE")


def test_preview_consumes_nothing(demo):
    assert selectors.sequence_preview(company=demo, document_type="INVOICE", date=D) == \
        "FAC-2025-000001"
    assert SequenceCounter.objects.filter(company=demo).count() == 0
    nxt(demo)
    before = state(demo)
    for _ in range(2):
        assert selectors.sequence_preview(company=demo, document_type="INVOICE",
                                          date=D) == "FAC-2025-000002"
    assert selectors.sequence_preview(company=demo, document_type="INVOICE",
                                      date=dt.date(2026, 1, 1)) == "FAC-2026-000001"
    assert state(demo) == before


def test_current_value_is_the_current_period(demo):
    today = selectors.company_today(company=demo)
    nxt(demo, date=today), nxt(demo, date=today)
    nxt(demo, date=dt.date(today.year - 1, 6, 1))
    values = {s.document_type: s.current_value
              for s in selectors.auto_sequences_for_company(company=demo)}
    assert values["INVOICE"] == 2 and values["QUOTE"] == 0


def test_companies_have_separate_numbers(demo, otra):
    assert nxt(demo) == nxt(otra) == "FAC-2025-000001"
    assert nxt(otra) == "FAC-2025-000002"


def test_writes_are_audited(demo):
    seq = services.auto_sequence_create(company=demo, actor=None,
                                        document_type="INVOICE", prefix="FB-{YYYY}-",
                                        branch_code="0000")
    services.auto_sequence_update(company=demo, actor=None, sequence=seq, padding=8)
    services.auto_sequence_delete(company=demo, actor=None, sequence=seq)
    ops = list(AuditLog.objects.filter(company_id=demo.pk, object_id=str(seq.pk),
                                       object_type="sequences.AutoSequence")
               .order_by("id").values_list("operation", "action"))
    assert ops == [("auto_sequence_create", "create"), ("auto_sequence_update", "update"),
                   ("auto_sequence_delete", "delete")]
    update = AuditLog.objects.get(operation="auto_sequence_update", object_id=str(seq.pk))
    assert update.changes["padding"] == [6, 8]


def test_default_series_keep_chronology_for_legal_documents_only(demo):
    rules = dict(AutoSequence.objects.filter(company=demo, branch_code="")
                 .values_list("document_type", "enforce_chronology"))
    assert rules["INVOICE"] is True and rules["CREDIT"] is True
    assert rules["JOURNAL"] is False and rules["STOCK_TRANSFER"] is False
