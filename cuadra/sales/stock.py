"""The stock effect of invoices and credit notes, bound to the ``storage_audit`` stage
(``simple`` runs it at ``issue``, before the ledger posting; ``five_stage`` at its own
``storage_audit`` step).

Invoice (every kind, a cash sale too): one ``stock_issue`` per goods line (services never
move stock) from the company's PRINCIPAL warehouse, in the line's unit (inventory
converts to base units), costed FIFO; then one entry on the GENERAL journal: debit cost
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
from cuadra.inventory import posting, services
from cuadra.inventory.selectors import warehouse_default
from cuadra.ledger.models import JournalEntry
from cuadra.ledger.services import journal_entry_reverse
from cuadra.sales.enums import INVOICE_TYPE
from cuadra.sales.models import SalesCreditNote


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
    warehouse = warehouse_default(company=company)
    credit = isinstance(document, SalesCreditNote)
    amounts: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for i, line in enumerate(lines):
        common = dict(company=company, actor=ctx.actor, item=line.item, warehouse=warehouse,
                      quantity=line.quantity, unit=line.unit, date=document.date,
                      source_type=document.document_type, source_id=document.pk)
        try:
            if credit:
                move = services.stock_return(of_source_type=INVOICE_TYPE,
                                             of_source_id=document.invoice_id, **common)
            else:
                move = services.stock_issue(**common)
        except services.InsufficientStock as exc:
            # name the line: the stage is refused, nothing is written
            exc.field = f"lines.{i}.quantity"
            raise
        amounts[posting.inventory_account_id(line.item)] += move.value
        amounts[posting.counter_account_id(line.item, document.document_type)] -= move.value
    done = JournalEntry.objects.filter(
        company=company, source_type=document.document_type, source_id=str(document.pk),
        idempotency_key__startswith=_key_prefix(document)).count()
    label = document.number or f"{document.document_type} #{document.pk}"
    posting.post(company=company, actor=ctx.actor, date=document.date, reference=label,
                 memo=f"Cost of sales {label} {document.client.code}",
                 source_type=document.document_type, source_id=document.pk, amounts=amounts,
                 key=f"{_key_prefix(document)}{done}")


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
