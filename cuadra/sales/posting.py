"""The ledger effect of invoices and credit notes, bound to the ``entry_audit`` stage.

Invoice (INVOICE, TAX_INVOICE): debit receivable (role RECEIVABLE, the client's code as
partner, due date) with the total; credit revenue per line (the item's sales account,
else the company's first REVENUE-role account), grouped by account; credit ITBMS payable
(first TAX_PAYABLE-role account) with one line per tax rate, each the sum of the line
taxes of that rate. A cash sale (RECEIPT_TAX_INVOICE) debits the invoice's payment
account (CASH or BANK; default the first CASH-role account) instead of the receivable.

A credit note posts the same lines as its invoice would for the credited lines, debits and
credits swapped, on the invoice's debit account: its line amounts are the invoice lines'
recomputed for the credited quantity, so a full credit mirrors the invoice exactly.

The compensating effect (void, or ``reverse`` out of ``entry_audit`` in five_stage) posts
the reversal through ``journal_entry_reverse``; re-posting after a reverse takes a new
idempotency key (``<type>:<id>:post:<n>``) so the retry rule never returns the reversed
entry.

``storage_audit`` moves the stock (out for invoices, back in for credit notes) and posts
the cost of sales: :mod:`cuadra.sales.stock`."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from cuadra.core.errors import ValidationError
from cuadra.documents import lifecycle
from cuadra.documents.presets import LEDGER, STOCK
from cuadra.inventory import posting as inventory_posting
from cuadra.ledger.enums import AccountRole, JournalKind
from cuadra.ledger.models import Account, Journal, JournalEntry
from cuadra.ledger.services import journal_entry_post, journal_entry_reverse
from cuadra.sales import stock
from cuadra.sales.enums import CREDIT_TYPE, INVOICE_TYPE, InvoiceKind
from cuadra.sales.models import SalesCreditNote

ZERO = Decimal(0)


def register() -> None:
    for document_type in (INVOICE_TYPE, CREDIT_TYPE):
        lifecycle.register_effect(document_type, LEDGER, apply=_post, compensate=_reverse,
                                  name="sales.ledger")
        lifecycle.register_effect(document_type, STOCK, apply=_stock_hook,
                                  compensate=_stock_unhook, name="sales.stock")


def _stock_hook(ctx: lifecycle.EffectContext) -> None:
    """Stock out (invoice) or back in (credit note) at storage_audit (simple: at issue),
    with its cost-of-sales entry: :mod:`cuadra.sales.stock`."""
    stock.stock_apply(ctx)


def _stock_unhook(ctx: lifecycle.EffectContext) -> None:
    stock.stock_compensate(ctx)


def _role_account(company, role: str, path: str) -> Account:
    return inventory_posting.role_account(company, role, path)


def _sales_journal(company) -> Journal:
    journal = inventory_posting.journal_of_kind(company, JournalKind.SALES)
    if journal is None:
        raise ValidationError("The company has no active sales journal.", field="journal")
    return journal


def _debit_account(company, invoice) -> Account:
    if invoice.kind != InvoiceKind.RECEIPT_TAX_INVOICE:
        return _role_account(company, AccountRole.RECEIVABLE, "receivable")
    if invoice.payment_account_id:
        return invoice.payment_account
    return _role_account(company, AccountRole.CASH, "paymentAccount")


def entry_lines(document, lines=None) -> list[dict]:
    """The entry's lines as an invoice: debit first, then revenue, then taxes.
    ``lines``: the document's lines with item and tax, when the caller read them."""
    company = document.company
    invoice = document.invoice if isinstance(document, SalesCreditNote) else document
    revenue: dict[int, Decimal] = defaultdict(lambda: ZERO)
    taxes: dict[tuple, Decimal] = defaultdict(lambda: ZERO)
    default_revenue = None
    if lines is None:
        lines = document.lines.select_related("item", "tax").order_by("line_no")
    for line in lines:
        account_id = line.item.sales_account_id if line.item_id else None
        if account_id is None:
            default_revenue = default_revenue or _role_account(company, AccountRole.REVENUE,
                                                               "revenue")
            account_id = default_revenue.pk
        revenue[account_id] += line.base_amount
        if line.tax_amount:
            taxes[(line.tax.code, line.tax_rate)] += line.tax_amount
    partner = invoice.client.code
    label = f"{invoice.get_kind_display()} {document.number}"
    lines = [{"account": _debit_account(company, invoice).pk, "debit": document.total,
              "partner": partner, "label": label, "due_date": getattr(document, "due_date",
                                                                      None),
              "branch": document.branch_id}]
    lines += [{"account": pk, "credit": amount, "label": label, "branch": document.branch_id}
              for pk, amount in revenue.items() if amount]
    if taxes:
        payable = _role_account(company, AccountRole.TAX_PAYABLE, "taxPayable")
        lines += [{"account": payable.pk, "credit": amount, "branch": document.branch_id,
                   "label": f"ITBMS {(rate * 100).normalize():f}% {document.number}"}
                  for (code, rate), amount in taxes.items()]
    return lines


def _swap(lines: list[dict]) -> list[dict]:
    return [{**li, "debit": li.get("credit"), "credit": li.get("debit")} for li in lines]


def _post(ctx: lifecycle.EffectContext) -> None:
    document = ctx.document
    done = JournalEntry.objects.filter(company=ctx.company, source_type=document.document_type,
                                       source_id=str(document.pk)).count()
    data = entry_data(ctx.company, document, done)
    key = data.pop("idempotency_key")
    entry = journal_entry_post(company=ctx.company, actor=ctx.actor, idempotency_key=key,
                               **data)
    document.journal_entry = entry
    document.save(update_fields=["journal_entry", "updated_at"])


def entry_data(company, document, done: int, lines=None) -> dict:
    """The document's entry as one item of ``journal_entries_post``; ``done`` entries of
    the document already exist (its cost entry, earlier postings), so the key is new."""
    lines = entry_lines(document, lines)
    if isinstance(document, SalesCreditNote):
        lines = _swap(lines)
    return {"journal": _sales_journal(company).pk, "date": document.date,
            "currency": document.currency, "reference": document.number,
            "memo": f"{document.document_type} {document.number} {document.client.code}",
            "source_type": document.document_type, "source_id": str(document.pk),
            "lines": lines,
            "idempotency_key": f"{document.document_type}:{document.pk}:post:{done}"}


def _reverse(ctx: lifecycle.EffectContext) -> None:
    document = ctx.document
    if document.journal_entry_id is None:
        return
    journal_entry_reverse(company=ctx.company, actor=ctx.actor, entry=document.journal_entry,
                          date=document.date,
                          memo=f"{ctx.transition.action} {document.number}: {ctx.comment}")
    document.journal_entry = None
    document.save(update_fields=["journal_entry", "updated_at"])
