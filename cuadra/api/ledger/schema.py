"""GraphQL for the books: accounts, manual journal entries, trial balance, integrity.
Thin: input -> one service or selector call -> payload."""

from __future__ import annotations

import datetime as dt

import strawberry
import strawberry_django
from strawberry_django.pagination import OffsetPaginated

from cuadra.access.permissions import Action, Path
from cuadra.api.base import actor, company, requires
from cuadra.api.ledger.types import (
    AccountType,
    JournalEntryDeletePayload,
    JournalEntryFilter,
    JournalEntryInput,
    JournalEntryType,
    JournalEntryUpdateInput,
    JournalLineInput,
    JournalType,
    LedgerIntegrity,
    PeriodType,
    TrialBalanceRowType,
    TrialBalanceType,
)
from cuadra.core.errors import NotFound
from cuadra.ledger import selectors, services
from cuadra.ledger.models import Journal, Period
from cuadra.ledger.services import review
from cuadra.tenancy.models import Branch

_UNKNOWN = -1  # an id that is not a number matches no row, so it comes back NOT_FOUND


def _pk(value) -> int | None:
    if value in (None, ""):
        return None
    return int(value) if str(value).isdigit() else _UNKNOWN


def _line(data: JournalLineInput) -> dict:
    return {"account": _pk(data.account_id), "debit": data.debit, "credit": data.credit,
            "label": data.label, "partner": data.partner, "due_date": data.due_date,
            "branch": _pk(data.branch_id), "cost_center": data.cost_center,
            "project": data.project}


def _entry_data(data, *, partial: bool) -> dict:
    out = {}
    if data.journal_id is not None or data.journal_code is not None:
        out["journal"] = _pk(data.journal_id) if data.journal_id is not None \
            else data.journal_code
    elif not partial:
        out["journal"] = "GEN"
    for name in ("date", "reference", "memo", "currency", "exchange_rate"):
        value = getattr(data, name)
        if value is not None or not partial:
            out[name] = value
    if data.lines is not None:
        out["lines"] = [_line(li) for li in data.lines]
    return out


@strawberry.type
class LedgerQuery:
    @strawberry_django.field(extensions=requires(Path.ACCOUNTS, Action.VIEW))
    def accounts(self, info: strawberry.Info, postable_only: bool = False,
                 active_only: bool = False) -> list[AccountType]:
        return list(selectors.accounts_list(company=company(info), postable_only=postable_only,
                                            active_only=active_only))

    @strawberry_django.field(extensions=requires(Path.JOURNAL_ENTRIES, Action.VIEW))
    def journals(self, info: strawberry.Info) -> list[JournalType]:
        return list(Journal.objects.filter(company=company(info)).order_by("code"))

    @strawberry_django.field(extensions=requires(Path.PERIODS, Action.VIEW))
    def periods(self, info: strawberry.Info, year: int | None = None) -> list[PeriodType]:
        qs = Period.objects.filter(company=company(info)).order_by("start")
        return list(qs.filter(fiscal_year__start__year=year) if year else qs)

    @strawberry_django.offset_paginated(OffsetPaginated[JournalEntryType],
                                        extensions=requires(Path.JOURNAL_ENTRIES, Action.VIEW))
    def journal_entries(self, info: strawberry.Info, filter: JournalEntryFilter | None = None):
        f = filter or JournalEntryFilter()
        return selectors.journal_entries_list(company=company(info), state=f.state,
                                              date_from=f.date_from, date_to=f.date_to,
                                              journal_id=_pk(f.journal_id))

    @strawberry_django.field(extensions=requires(Path.JOURNAL_ENTRIES, Action.VIEW))
    def journal_entry(self, info: strawberry.Info, id: strawberry.ID) -> JournalEntryType:
        return selectors.journal_entry_get(company=company(info), entry_id=id)

    @strawberry_django.field(extensions=requires(Path.LEDGER, Action.VIEW))
    def trial_balance(self, info: strawberry.Info, date_from: dt.date, date_to: dt.date,
                      branch_id: strawberry.ID | None = None) -> TrialBalanceType:
        branch = None
        if branch_id is not None:
            branch = Branch.objects.filter(company=company(info), pk=_pk(branch_id)).first()
            if branch is None:
                raise NotFound("No such branch.", field="branchId")
        tb = selectors.trial_balance_get(company=company(info), date_from=date_from,
                                         date_to=date_to, branch=branch)
        return TrialBalanceType(
            date_from=tb.date_from, date_to=tb.date_to,
            rows=[TrialBalanceRowType(account=r.account, opening=r.opening, debit=r.debit,
                                      credit=r.credit, closing=r.closing) for r in tb.rows],
            total_opening=tb.total_opening, total_debit=tb.total_debit,
            total_credit=tb.total_credit, total_closing=tb.total_closing)

    @strawberry_django.field(extensions=requires(Path.LEDGER, Action.VIEW))
    def ledger_integrity(self, info: strawberry.Info) -> LedgerIntegrity:
        r = selectors.ledger_verify(company=company(info))
        return LedgerIntegrity(ok=r.ok, entries=r.entries, head_hash=r.head_hash,
                               broken_entry_number=r.broken_entry_number, field=r.field,
                               message=r.message)


@strawberry.type
class LedgerMutation:
    @strawberry.mutation(extensions=requires(Path.JOURNAL_ENTRIES, Action.CREATE))
    def create_journal_entry(self, info: strawberry.Info,
                             input: JournalEntryInput) -> JournalEntryType:
        return services.journal_entry_create(company=company(info), actor=actor(info),
                                             **_entry_data(input, partial=False))

    @strawberry.mutation(extensions=requires(Path.JOURNAL_ENTRIES, Action.UPDATE))
    def update_journal_entry(self, info: strawberry.Info, id: strawberry.ID,
                             input: JournalEntryUpdateInput) -> JournalEntryType:
        entry = selectors.journal_entry_get(company=company(info), entry_id=id)
        review.review_refuse_edit(company=company(info), entry=entry)
        return services.journal_entry_update(company=company(info), actor=actor(info),
                                             entry=entry, **_entry_data(input, partial=True))

    @strawberry.mutation(extensions=requires(Path.JOURNAL_ENTRIES, Action.POST))
    def post_journal_entry(self, info: strawberry.Info, id: strawberry.ID,
                           idempotency_key: str | None = None) -> JournalEntryType:
        entry = selectors.journal_entry_get(company=company(info), entry_id=id)
        review.review_refuse_direct_post(company=company(info), entry=entry)
        return services.journal_entry_post(company=company(info), actor=actor(info),
                                           entry=entry, idempotency_key=idempotency_key)

    @strawberry.mutation(extensions=requires(Path.JOURNAL_ENTRIES, Action.POST))
    def reverse_journal_entry(self, info: strawberry.Info, id: strawberry.ID,
                              date: dt.date | None = None, memo: str | None = None,
                              idempotency_key: str | None = None) -> JournalEntryType:
        entry = selectors.journal_entry_get(company=company(info), entry_id=id)
        return services.journal_entry_reverse(company=company(info), actor=actor(info),
                                              entry=entry, date=date, memo=memo,
                                              idempotency_key=idempotency_key)

    @strawberry.mutation(extensions=requires(Path.JOURNAL_ENTRIES, Action.DELETE))
    def delete_journal_entry(self, info: strawberry.Info,
                             id: strawberry.ID) -> JournalEntryDeletePayload:
        entry = selectors.journal_entry_get(company=company(info), entry_id=id)
        services.journal_entry_delete(company=company(info), actor=actor(info), entry=entry)
        return JournalEntryDeletePayload(ok=True, id=id)

    @strawberry.mutation(extensions=requires(Path.PERIODS, Action.UPDATE))
    def close_period(self, info: strawberry.Info, id: strawberry.ID) -> PeriodType:
        period = services.period_get(company=company(info), period_id=id)
        return services.period_close(company=company(info), actor=actor(info), period=period)

    @strawberry.mutation(extensions=requires(Path.PERIODS, Action.UPDATE))
    def reopen_period(self, info: strawberry.Info, id: strawberry.ID) -> PeriodType:
        period = services.period_get(company=company(info), period_id=id)
        return services.period_reopen(company=company(info), actor=actor(info), period=period)

    @strawberry.mutation(extensions=requires(Path.PERIODS, Action.APPROVE),
                         description="Irreversible: a locked period never takes a post again")
    def lock_period(self, info: strawberry.Info, id: strawberry.ID) -> PeriodType:
        period = services.period_get(company=company(info), period_id=id)
        return services.period_lock(company=company(info), actor=actor(info), period=period)


__all__ = ["LedgerMutation", "LedgerQuery"]
