"""The ledger effects of purchasing, bound to the ``entry_audit`` stage, and the receipt's
stock hook bound to ``storage_audit``.

Supplier invoice (PURCHASES journal): debit per line, grouped by account — the line's own
account if given, else GRNI (role GRNI) for an order line of a stock item (goods), else
the item's purchase account, else the company's first EXPENSE-role account; debit ITBMS
receivable (first TAX_RECEIVABLE-role account) with one line per tax rate; credit PAYABLE
(first PAYABLE-role account) with the total, the supplier's code as partner and the due
date. A supplier credit note posts the same lines for its own amounts, debits and credits
swapped (a related note follows its invoice lines' accounts) and reduces what its invoice
still owes.

Supplier payment (BANK or CASH journal, by the account's role): debit PAYABLE (partner:
the supplier) with the amount, credit the cash/bank account — the seed's "treasury
transaction". Failing a payment reverses that entry and releases its allocations.

Expense: debit its expense account and ITBMS receivable; credit the payment account
(CASH/BANK journal) or, on credit, PAYABLE with the supplier as partner (PURCHASES).

The compensating effect (void, ``reverse`` out of ``entry_audit``, fail) posts the
reversal through ``journal_entry_reverse``; re-posting takes a new idempotency key
(``<type>:<id>:post:<n>``)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from cuadra.catalog.enums import ItemKind
from cuadra.core.errors import ValidationError
from cuadra.documents import lifecycle
from cuadra.documents.presets import LEDGER, STOCK
from cuadra.ledger.enums import AccountRole, JournalKind
from cuadra.ledger.models import Account, Journal, JournalEntry
from cuadra.ledger.services import journal_entry_post, journal_entry_reverse
from cuadra.purchasing.balances import invoice_balance_apply, lock_invoices
from cuadra.purchasing.enums import (
    CREDIT_TYPE,
    EXPENSE_TYPE,
    INVOICE_TYPE,
    PAYMENT_TYPE,
    RECEIPT_TYPE,
    ExpensePayment,
)
from cuadra.purchasing.models import (
    Expense,
    GoodsReceipt,
    SupplierCredit,
    SupplierPayment,
)
from cuadra.purchasing.workflows import ALLOCATION

ZERO = Decimal(0)


def register() -> None:
    for document_type in (INVOICE_TYPE, CREDIT_TYPE, EXPENSE_TYPE, PAYMENT_TYPE):
        lifecycle.register_effect(document_type, LEDGER, apply=_post, compensate=_reverse,
                                  name="purchasing.ledger")
    for document_type in (INVOICE_TYPE, CREDIT_TYPE, EXPENSE_TYPE):
        lifecycle.register_effect(document_type, STOCK, apply=_no_stock, compensate=None,
                                  name="purchasing.stock")
    lifecycle.register_effect(RECEIPT_TYPE, STOCK, apply=_receipt_stock, compensate=None,
                              name="purchasing.receipt_stock")
    lifecycle.register_effect(PAYMENT_TYPE, ALLOCATION, apply=_no_stock,
                              compensate=_release_allocations, name="purchasing.allocation")


# --- stock ---------------------------------------------------------------------------------

def receipt_stock_effect(receipt: GoodsReceipt) -> dict[int, Decimal]:
    """THE stock hook of a goods receipt, run when the receipt is issued (the
    ``storage_audit`` stage of its workflow, which ``simple`` runs at ``issue``).

    For now it only records quantities — {order line id: quantity received by this
    receipt}, which is what the receipt's lines already hold — and posts nothing: no
    stock move, no ledger entry (so GRNI is not credited yet).

    The inventory helper (app ``cuadra.inventory``, a layer BELOW purchasing) provides
    ``stock_receive(...)`` (stock in at the order's cost: debit inventory, credit GRNI);
    the integrator wires it here, calling it once per goods line with the item, unit,
    quantity, the order line's net unit cost and this receipt as the source. Voiding a
    receipt should then call the inventory's reversal."""
    quantities: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for order_line_id, qty in receipt.lines.values_list("order_line_id", "quantity"):
        quantities[order_line_id] += qty
    return dict(quantities)


def _receipt_stock(ctx: lifecycle.EffectContext) -> None:
    receipt_stock_effect(ctx.document)


def _no_stock(ctx: lifecycle.EffectContext) -> None:
    """Invoices, credit notes and expenses move no stock (the receipt does)."""


# --- accounts ------------------------------------------------------------------------------

def role_account(company, role: str, path: str) -> Account:
    account = (Account.objects.filter(company=company, role=role, is_group=False,
                                      is_active=True).order_by("code").first())
    if account is None:
        raise ValidationError(f"The chart has no active {role} account.", field=path)
    return account


def _journal(company, kind: str) -> Journal:
    journal = (Journal.objects.filter(company=company, kind=kind, is_active=True)
               .order_by("code").first())
    if journal is None:
        raise ValidationError(f"The company has no active {kind} journal.", field="journal")
    return journal


class _Accounts:
    """Role accounts looked up once per posting."""

    def __init__(self, company):
        self.company = company
        self._cache: dict[str, Account] = {}

    def role(self, role: str) -> Account:
        if role not in self._cache:
            self._cache[role] = role_account(self.company, role, role.lower())
        return self._cache[role]


def _line_account(line, accounts: _Accounts) -> int:
    if line.account_id:
        return line.account_id
    order_line_id = getattr(line, "order_line_id", None)
    if isinstance(line.document, SupplierCredit) and line.invoice_line_id:
        order_line_id = line.invoice_line.order_line_id
    if order_line_id and line.item_id and line.item.kind == ItemKind.GOODS:
        return accounts.role(AccountRole.GRNI).pk
    if line.item_id and line.item.purchase_account_id:
        return line.item.purchase_account_id
    return accounts.role(AccountRole.EXPENSE).pk


def document_entry_lines(document) -> list[dict]:
    """An invoice's entry lines (a credit note's before the swap): debits per account,
    taxes per rate, then the payable credit."""
    accounts = _Accounts(document.company)
    debits: dict[int, Decimal] = defaultdict(lambda: ZERO)
    taxes: dict[Decimal, Decimal] = defaultdict(lambda: ZERO)
    lines = document.lines.select_related("item", "document").order_by("line_no")
    if isinstance(document, SupplierCredit):
        lines = lines.select_related("invoice_line")
    for line in lines:
        debits[_line_account(line, accounts)] += line.base_amount
        if line.tax_amount:
            taxes[line.tax_rate] += line.tax_amount
    label = f"{document.supplier.code} {document.supplier_number or document.number}"
    branch = document.branch_id
    out = [{"account": pk, "debit": amount, "label": label, "branch": branch}
           for pk, amount in debits.items() if amount]
    out += [{"account": accounts.role(AccountRole.TAX_RECEIVABLE).pk, "debit": amount,
             "branch": branch, "label": f"ITBMS {(rate * 100).normalize():f}% {label}"}
            for rate, amount in taxes.items()]
    out.append({"account": accounts.role(AccountRole.PAYABLE).pk, "credit": document.total,
                "partner": document.supplier.code, "label": label, "branch": branch,
                "due_date": getattr(document, "due_date", None)})
    return out


def _swap(lines: list[dict]) -> list[dict]:
    return [{**li, "debit": li.get("credit"), "credit": li.get("debit")} for li in lines]


def _payment_lines(payment: SupplierPayment) -> tuple[str, list[dict]]:
    payable = role_account(payment.company, AccountRole.PAYABLE, "payable")
    label = f"{payment.supplier.code} {payment.number}"
    kind = JournalKind.CASH if payment.account.role == AccountRole.CASH else JournalKind.BANK
    return kind, [{"account": payable.pk, "debit": payment.amount, "label": label,
                   "partner": payment.supplier.code},
                  {"account": payment.account_id, "credit": payment.amount, "label": label}]


def _expense_lines(expense: Expense) -> tuple[str, list[dict]]:
    accounts = _Accounts(expense.company)
    label = f"{expense.number} {expense.description}"[:200]
    out = [{"account": expense.expense_account_id, "debit": expense.amount, "label": label,
            "branch": expense.branch_id}]
    if expense.tax_amount:
        out.append({"account": accounts.role(AccountRole.TAX_RECEIVABLE).pk,
                    "debit": expense.tax_amount, "label": label, "branch": expense.branch_id})
    if expense.payment_method == ExpensePayment.CREDIT:
        out.append({"account": accounts.role(AccountRole.PAYABLE).pk, "credit": expense.total,
                    "partner": expense.supplier.code, "label": label,
                    "branch": expense.branch_id})
        return JournalKind.PURCHASES, out
    out.append({"account": expense.payment_account_id, "credit": expense.total,
                "label": label, "branch": expense.branch_id})
    role = expense.payment_account.role
    return (JournalKind.CASH if role == AccountRole.CASH else JournalKind.BANK), out


def _entry(document) -> tuple[str, list[dict], str]:
    """(journal kind, lines, partner code) of a document's posting."""
    if isinstance(document, SupplierPayment):
        kind, lines = _payment_lines(document)
        return kind, lines, document.supplier.code
    if isinstance(document, Expense):
        kind, lines = _expense_lines(document)
        return kind, lines, document.supplier.code if document.supplier_id else ""
    lines = document_entry_lines(document)
    if isinstance(document, SupplierCredit):
        lines = _swap(lines)
    return JournalKind.PURCHASES, lines, document.supplier.code


# --- effects -------------------------------------------------------------------------------

def _post(ctx: lifecycle.EffectContext) -> None:
    document = ctx.document
    kind, lines, partner = _entry(document)
    done = JournalEntry.objects.filter(company=ctx.company, source_type=document.document_type,
                                       source_id=str(document.pk)).count()
    entry = journal_entry_post(
        company=ctx.company, actor=ctx.actor, journal=_journal(ctx.company, kind).pk,
        date=document.date, currency=document.currency, reference=document.number,
        memo=f"{document.document_type} {document.number} {partner}".strip(),
        source_type=document.document_type, source_id=str(document.pk), lines=lines,
        idempotency_key=f"{document.document_type}:{document.pk}:post:{done}")
    document.journal_entry = entry
    document.save(update_fields=["journal_entry", "updated_at"])
    if isinstance(document, SupplierCredit) and document.invoice_id:
        invoice = lock_invoices([document.invoice_id])[document.invoice_id]
        invoice_balance_apply(invoice, credited=document.total)


def _reverse(ctx: lifecycle.EffectContext) -> None:
    document = ctx.document
    if document.journal_entry_id is None:
        return
    journal_entry_reverse(company=ctx.company, actor=ctx.actor, entry=document.journal_entry,
                          date=document.date,
                          memo=f"{ctx.transition.action} {document.number}: {ctx.comment}")
    document.journal_entry = None
    document.save(update_fields=["journal_entry", "updated_at"])
    if isinstance(document, SupplierCredit) and document.invoice_id:
        invoice = lock_invoices([document.invoice_id])[document.invoice_id]
        invoice_balance_apply(invoice, credited=-document.total)


def _release_allocations(ctx: lifecycle.EffectContext) -> None:
    """A failed payment pays nothing: its live allocations are released and the
    invoices owe those amounts again."""
    from django.utils import timezone

    payment = ctx.document
    live = list(payment.allocations.filter(released_at=None).order_by("invoice_id", "pk"))
    invoices = lock_invoices(a.invoice_id for a in live)
    now = timezone.now()
    for alloc in live:
        invoice_balance_apply(invoices[alloc.invoice_id], paid=-alloc.amount)
    payment.allocations.filter(pk__in=[a.pk for a in live]).update(released_at=now,
                                                                  updated_at=now)
    SupplierPayment._base_manager.filter(pk=payment.pk).update(allocated=ZERO)


