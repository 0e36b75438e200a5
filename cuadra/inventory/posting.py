"""How inventory's own documents and value changes reach the books: through
``journal_entry_post`` only, on the company's GENERAL journal.

Accounts by role (no hard-wired codes): the item's ``inventory_account`` else the first
INVENTORY-role account; cost of sales: the item's ``cogs_account`` else COGS; losses,
spoilage and count differences: INVENTORY_LOSS; transfers in transit: GOODS_IN_TRANSIT.
"""

from __future__ import annotations

from collections import defaultdict
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


def role_account(company, role: str, path: str = "account") -> Account:
    account = (Account.objects.filter(company=company, role=role, is_group=False,
                                      is_active=True).order_by("code").first())
    if account is None:
        raise ValidationError(f"The chart has no active {role} account.", field=path)
    return account


def inventory_account_id(item) -> int:
    return item.inventory_account_id or role_account(item.company, AccountRole.INVENTORY).pk


def counter_account_id(item, source_type: str) -> int:
    role = _COUNTER_ROLES.get(source_type, AccountRole.COGS)
    if role == AccountRole.COGS and item.cogs_account_id:
        return item.cogs_account_id
    return role_account(item.company, role).pk


def general_journal(company) -> Journal:
    journal = (Journal.objects.filter(company=company, kind=JournalKind.GENERAL, is_active=True)
               .order_by("code").first())
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
    lines = balanced_lines(amounts, memo[:200])
    if not lines:
        return None
    return journal_entry_post(
        company=company, actor=actor, journal=general_journal(company).pk, date=date,
        currency=company.base_currency, reference=reference[:100], memo=memo,
        source_type=source_type, source_id=str(source_id), lines=lines,
        idempotency_key=key)


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
