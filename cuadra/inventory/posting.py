"""How inventory's own documents and value changes reach the books: through
``journal_entry_post`` only, on the company's GENERAL journal.

Accounts by role (no hard-wired codes): the item's ``inventory_account`` else the first
INVENTORY-role account; cost of sales: the item's ``cogs_account`` else COGS; losses,
spoilage and count differences: INVENTORY_LOSS; transfers in transit: GOODS_IN_TRANSIT.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal

from cuadra.core.errors import ValidationError
from cuadra.core.money import ZERO
from cuadra.ledger.enums import AccountRole, JournalKind
from cuadra.ledger.models import Account, Journal, JournalEntry
from cuadra.ledger.services import journal_entry_post

# source_type -> the role charged when a re-cost or settlement changes an issue's cost
_COUNTER_ROLES: dict[str, str] = {}


def register_counter_role(source_type: str, role: str) -> None:
    """Higher layers say where a re-costed issue of their documents lands (default COGS)."""
    _COUNTER_ROLES[source_type] = role


# Accounts by role and journals by kind read during one call (``lookups``): an invoice
# of five lines asks for the same two role accounts ten times. Keyed by company, and gone
# when the call ends, so nothing stale outlives it or crosses tenants.
_memo: ContextVar[dict | None] = ContextVar("inventory_posting_lookups", default=None)


@contextmanager
def lookups() -> Iterator[None]:
    """Memoise ``role_account`` and ``general_journal``/``journal_of_kind`` for the
    block (re-entrant: an inner block shares the outer memo)."""
    if _memo.get() is not None:
        yield
        return
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def _memoised(key: tuple, load):
    memo = _memo.get()
    if memo is None:
        return load()
    if key not in memo:
        memo[key] = load()
    return memo[key]


def role_account(company, role: str, path: str = "account") -> Account:
    account = _memoised(("role", company.pk, str(role)), lambda: (
        Account.objects.filter(company=company, role=role, is_group=False, is_active=True)
        .order_by("code").first()))
    if account is None:
        raise ValidationError(f"The chart has no active {role} account.", field=path)
    return account


def inventory_account_id(item, company=None) -> int:
    """``company``: the item's, when the caller has it (saves loading ``item.company``)."""
    return item.inventory_account_id or role_account(company or item.company,
                                                     AccountRole.INVENTORY).pk


def counter_account_id(item, source_type: str, company=None) -> int:
    role = _COUNTER_ROLES.get(source_type, AccountRole.COGS)
    if role == AccountRole.COGS and item.cogs_account_id:
        return item.cogs_account_id
    return role_account(company or item.company, role).pk


def journal_of_kind(company, kind: str) -> Journal | None:
    """The company's first active journal of ``kind`` (memoised inside ``lookups``)."""
    return _memoised(("journal", company.pk, str(kind)), lambda: (
        Journal.objects.filter(company=company, kind=kind, is_active=True)
        .order_by("code").first()))


def general_journal(company) -> Journal:
    journal = journal_of_kind(company, JournalKind.GENERAL)
    if journal is None:
        raise ValidationError("The company has no active general journal.", field="journal")
    return journal


def balanced_lines(amounts: dict[int, Decimal], label: str) -> list[dict]:
    """``amounts`` account id -> signed amount (+ debit, - credit), netted per account."""
    lines = []
    for account, amount in amounts.items():
        if amount > 0:
            lines.append({"account": account, "debit": amount, "label": label})
        elif amount < 0:
            lines.append({"account": account, "credit": -amount, "label": label})
    return lines


def post(*, company, actor, date, reference: str, memo: str, source_type: str, source_id,
         amounts: dict[int, Decimal], key: str) -> JournalEntry | None:
    data = entry_data(company=company, date=date, reference=reference, memo=memo,
                      source_type=source_type, source_id=source_id, amounts=amounts, key=key)
    if data is None:
        return None
    key = data.pop("idempotency_key")
    return journal_entry_post(company=company, actor=actor, idempotency_key=key, **data)


def entry_data(*, company, date, reference: str, memo: str, source_type: str, source_id,
               amounts: dict[int, Decimal], key: str) -> dict | None:
    """What ``post`` posts, as one item of ``journal_entries_post`` (None: nothing to
    post, every amount nets to zero)."""
    lines = balanced_lines(amounts, memo[:200])
    if not lines:
        return None
    return {"journal": general_journal(company).pk, "date": date,
            "currency": company.base_currency, "reference": reference[:100], "memo": memo,
            "source_type": source_type, "source_id": str(source_id), "lines": lines,
            "idempotency_key": key}


def post_value_change(*, company, actor, move, memo: str) -> JournalEntry | None:
    """A quantity-0 move changed the stock value: inventory against the counter role of
    the source (cost of sales by default)."""
    amounts: dict[int, Decimal] = defaultdict(lambda: ZERO)
    amounts[inventory_account_id(move.item)] += move.value
    amounts[counter_account_id(move.item, move.source_type)] -= move.value
    return post(company=company, actor=actor, date=move.date,
                reference=f"{move.source_type} {move.source_id}", memo=memo,
                source_type="inventory.StockMove", source_id=move.pk, amounts=amounts,
                key=f"inventory.move:{move.pk}")
