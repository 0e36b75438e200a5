"""GraphQL types of the books. Amounts go out as the ``Amount`` scalar: an exact decimal
string without exponent or trailing zeros ("12.34", "0"); inputs take the Decimal scalar
(a string; never send a float)."""

from __future__ import annotations

import datetime as dt
import warnings
from decimal import Decimal
from typing import NewType

import strawberry
import strawberry_django

from cuadra.ledger import models as m
from cuadra.ledger.chain import dec

with warnings.catch_warnings():
    # strawberry prefers StrawberryConfig.scalar_map, which lives in the shared schema
    warnings.simplefilter("ignore", DeprecationWarning)
    Amount = strawberry.scalar(
        NewType("Amount", Decimal), serialize=dec, parse_value=Decimal,
        description="An exact decimal as a string, e.g. \"12.34\" (no exponent, no float)")


@strawberry_django.type(m.Account, name="Account")
class AccountType:
    id: strawberry.auto
    code: strawberry.auto
    name_es: strawberry.auto
    name_en: strawberry.auto
    type: str
    role: str
    is_group: strawberry.auto
    currency: strawberry.auto
    is_active: strawberry.auto
    parent_id: strawberry.ID | None


@strawberry_django.type(m.Journal, name="Journal")
class JournalType:
    id: strawberry.auto
    code: strawberry.auto
    name: strawberry.auto
    kind: str
    is_active: strawberry.auto


@strawberry_django.type(m.Period, name="Period")
class PeriodType:
    id: strawberry.auto
    name: strawberry.auto
    start: strawberry.auto
    end: strawberry.auto
    state: str


@strawberry_django.type(m.JournalLine, name="JournalLine")
class JournalLineType:
    id: strawberry.auto
    line_no: strawberry.auto
    account: AccountType
    label: strawberry.auto
    debit: Amount
    credit: Amount
    currency: strawberry.auto
    amount_currency: Amount
    exchange_rate: Amount
    partner: strawberry.auto
    due_date: strawberry.auto
    branch_id: strawberry.ID | None
    cost_center: strawberry.auto
    project: strawberry.auto


@strawberry_django.type(m.JournalEntry, name="JournalEntry")
class JournalEntryType:
    id: strawberry.auto
    journal: JournalType
    date: strawberry.auto
    number: strawberry.auto
    reference: strawberry.auto
    memo: strawberry.auto
    source_type: strawberry.auto
    source_id: strawberry.auto
    currency: strawberry.auto
    exchange_rate: Amount
    state: str
    posted_at: strawberry.auto
    posted_by_id: strawberry.ID | None
    reversal_of_id: strawberry.ID | None
    lines: list[JournalLineType]


@strawberry.type
class TrialBalanceRowType:
    account: AccountType
    opening: Amount
    debit: Amount
    credit: Amount
    closing: Amount


@strawberry.type
class TrialBalanceType:
    date_from: dt.date
    date_to: dt.date
    rows: list[TrialBalanceRowType]
    total_opening: Amount
    total_debit: Amount
    total_credit: Amount
    total_closing: Amount


@strawberry.type
class LedgerIntegrity:
    ok: bool
    entries: int
    head_hash: str
    broken_entry_number: str | None
    field: str | None
    message: str


@strawberry.type
class JournalEntryDeletePayload:
    ok: bool
    id: strawberry.ID


@strawberry.input
class JournalLineInput:
    account_id: strawberry.ID
    debit: Decimal | None = None
    credit: Decimal | None = None
    label: str = ""
    partner: str = ""
    due_date: dt.date | None = None
    branch_id: strawberry.ID | None = None
    cost_center: str = ""
    project: str = ""


@strawberry.input
class JournalEntryInput:
    date: dt.date
    lines: list[JournalLineInput]
    journal_id: strawberry.ID | None = None
    journal_code: str | None = None
    reference: str = ""
    memo: str = ""
    currency: str | None = None
    exchange_rate: Decimal | None = None


@strawberry.input
class JournalEntryUpdateInput:
    date: dt.date | None = None
    lines: list[JournalLineInput] | None = None
    journal_id: strawberry.ID | None = None
    journal_code: str | None = None
    reference: str | None = None
    memo: str | None = None
    currency: str | None = None
    exchange_rate: Decimal | None = None


@strawberry.input
class JournalEntryFilter:
    state: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    journal_id: strawberry.ID | None = None
