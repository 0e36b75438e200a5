"""The stock effect of invoices and credit notes, bound to the ``storage_audit`` stage
(``simple`` runs it at ``issue``, before the ledger posting; ``five_stage`` at its own
``storage_audit`` step).

Invoice (every kind, a cash sale too): every goods line issued at once
(``stock_issue_many``: one ISSUE move per line, services never move stock) from the
company's PRINCIPAL warehouse, in the line's unit (inventory converts to base units),
costed FIFO; then one entry on the GENERAL journal: debit cost
of sales (the item's ``cogs_account``, else the first COGS-role account) and credit
inventory (the item's ``inventory_account``, else the first INVENTORY-role account) with
the issued cost, netted per account. No stock refuses the stage with
``INSUFFICIENT_STOCK`` (unless the company allows negative stock) and the whole
transition writes nothing.

Credit note: one ``stock_return`` per goods line, at the cost its invoice's issue took
(a full return puts back exactly what left); the entry is the mirror (debit inventory,
credit cost of sales).

The compensating effect (void, or ``reverse`` out of ``storage_audit``) reverses the
stock moves (``stock_reverse``) and the cost entry (``journal_entry_reverse``). The
entry's source is the document (``source_type`` its type); its idempotency key
``<type>:<id>:cogs:<n>`` is new on every re-application after a reversal."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from cuadra.catalog.enums import ItemKind
from cuadra.core.money import ZERO
from cuadra.documents import lifecycle
from cuadra.documents.presets import LEDGER
from cuadra.inventory import posting, services
from cuadra.inventory.selectors import warehouse_default
from cuadra.ledger.models import JournalEntry
from cuadra.ledger.services import journal_entry_post, journal_entry_reverse
from cuadra.sales.enums import INVOICE_TYPE
from cuadra.sales.models import SalesCreditNote
from cuadra.sales.registry import number_assign


def _key_prefix(document) -> str:
    return f"{document.document_type}:{document.pk}:cogs:"


def goods_lines(document) -> list:
    return [line for line in document.lines.select_related("item", "unit").order_by("line_no")
            if line.item_id and line.item.kind == ItemKind.GOODS]


def stock_apply(ctx: lifecycle.EffectContext) -> None:
    document, company = ctx.document, ctx.company
    lines = goods_lines(document)
    if not lines:
        return
    if LEDGER in ctx.transition.effects:  # simple workflow: issued (numbered) right after
        number_assign(company, document)
    with posting.lookups():
        warehouse = warehouse_default(company=company)
        moves = (_return_lines(ctx, warehouse, lines) if isinstance(document, SalesCreditNote)
                 else _issue_lines(ctx, warehouse, lines))
        done = JournalEntry.objects.filter(
            company=company, source_type=document.document_type, source_id=str(document.pk),
            idempotency_key__startswith=_key_prefix(document)).count()
        data = cost_entry(company, document, lines, moves, done)
        if data is not None:
            key = data.pop("idempotency_key")
            journal_entry_post(company=company, actor=ctx.actor, idempotency_key=key, **data)


def cost_entry(company, document, lines, moves, done: int) -> dict | None:
    """The cost-of-sales entry of the moves, as one item of ``journal_entries_post``:
    inventory against cost of sales netted per account; ``done`` earlier cost entries
    of the document make its key new."""
    amounts: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for line, move in zip(lines, moves, strict=True):
        amounts[posting.inventory_account_id(line.item, company)] += move.value
        amounts[posting.counter_account_id(line.item, document.document_type,
                                           company)] -= move.value
    label = document.number or f"{document.document_type} #{document.pk}"
    return posting.entry_data(company=company, date=document.date, reference=label,
                              memo=f"Cost of sales {label} {document.client.code}",
                              source_type=document.document_type, source_id=document.pk,
                              amounts=amounts, key=f"{_key_prefix(document)}{done}")


def _issue_lines(ctx, warehouse, lines) -> list:
    return issue_lines(ctx.company, ctx.actor, warehouse, ctx.document, lines)


def issue_lines(company, actor, warehouse, document, lines) -> list:
    """Every goods line out at once (FIFO, one locking read); a refusal names the line."""
    return services.stock_issue_many(
        company=company, actor=actor, warehouse=warehouse, date=document.date,
        lines=[services.IssueLine(line.item, line.quantity, line.unit) for line in lines],
        source_type=document.document_type, source_id=document.pk)


def _return_lines(ctx, warehouse, lines) -> list:
    document, moves = ctx.document, []
    for i, line in enumerate(lines):
        try:
            moves.append(services.stock_return(
                company=ctx.company, actor=ctx.actor, item=line.item, warehouse=warehouse,
                quantity=line.quantity, unit=line.unit, date=document.date,
                source_type=document.document_type, source_id=document.pk,
                of_source_type=INVOICE_TYPE, of_source_id=document.invoice_id))
        except services.InsufficientStock as exc:
            # name the line: the stage is refused, nothing is written
            exc.field = f"lines.{i}.quantity"
            raise
    return moves


def stock_compensate(ctx: lifecycle.EffectContext) -> None:
    document, company = ctx.document, ctx.company
    services.stock_reverse(company=company, actor=ctx.actor,
                           source_type=document.document_type, source_id=document.pk)
    live = JournalEntry.objects.filter(
        company=company, source_type=document.document_type, source_id=str(document.pk),
        idempotency_key__startswith=_key_prefix(document), reversed_by__isnull=True,
    ).order_by("pk")
    for entry in live:
        journal_entry_reverse(company=company, actor=ctx.actor, entry=entry,
                              date=document.date,
                              memo=f"{ctx.transition.action} {document.number}: {ctx.comment}")
