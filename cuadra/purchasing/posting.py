"""The ledger effects of purchasing, bound to the ``entry_audit`` stage, and the receipt's
stock hook bound to ``storage_audit``.

Goods receipt (GENERAL journal, :func:`receipt_stock_effect`): its goods come into stock
at the order's net cost (FIFO layers); debit inventory, credit GRNI. A void takes the
layers out (refused, INSUFFICIENT_STOCK, once anything was issued from them) and reverses
the entry. A supplier invoice whose net unit price differs from the order's revalues the
receipts' layers (``layers_revalue``) in its own GENERAL entry: credit GRNI with the whole
difference (GRNI then clears at the receipt's value), debit inventory with the part still
in stock and cost of sales with the part already issued; a void prices them back.

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
from decimal import ROUND_HALF_UP, Decimal

from cuadra.catalog.enums import ItemKind
from cuadra.core.errors import ValidationError
from cuadra.core.money import CENT, DecimalSum
from cuadra.documents import lifecycle
from cuadra.documents.presets import CANCELLED, DRAFT, LEDGER, STOCK
from cuadra.inventory import posting as inventory_posting
from cuadra.inventory import services as inventory
from cuadra.inventory.models import StockMove
from cuadra.inventory.selectors import warehouse_default
from cuadra.ledger.enums import AccountRole, JournalKind
from cuadra.ledger.models import Account, Journal, JournalEntry
from cuadra.ledger.services import journal_entry_post, journal_entry_reverse
from cuadra.purchasing.balances import (
    expense_balance_apply,
    invoice_balance_apply,
    lock_expenses,
    lock_invoices,
)
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
    GoodsReceiptLine,
    SupplierCredit,
    SupplierInvoice,
    SupplierPayment,
    SupplierPaymentAllocation,
)
from cuadra.purchasing.workflows import ALLOCATION

ZERO = Decimal(0)
DEAD_RECEIPT_STATES = (DRAFT, CANCELLED, "voided")


def register() -> None:
    for document_type in (INVOICE_TYPE, CREDIT_TYPE, EXPENSE_TYPE, PAYMENT_TYPE):
        lifecycle.register_effect(document_type, LEDGER, apply=_post, compensate=_reverse,
                                  name="purchasing.ledger")
    for document_type in (CREDIT_TYPE, EXPENSE_TYPE):
        lifecycle.register_effect(document_type, STOCK, apply=_no_stock, compensate=None,
                                  name="purchasing.stock")
    lifecycle.register_effect(INVOICE_TYPE, LEDGER, apply=_revalue_apply,
                              compensate=_revalue_compensate, name="purchasing.revalue")
    lifecycle.register_effect(INVOICE_TYPE, STOCK, apply=_no_stock, compensate=None,
                              name="purchasing.stock")
    lifecycle.register_effect(RECEIPT_TYPE, STOCK, apply=_receipt_stock,
                              compensate=_receipt_unstock, name="purchasing.receipt_stock")
    lifecycle.register_effect(PAYMENT_TYPE, ALLOCATION, apply=_no_stock,
                              compensate=_release_allocations, name="purchasing.allocation")


# --- stock ---------------------------------------------------------------------------------

def _order_line_value(order_line, quantity: Decimal) -> Decimal:
    """The net (untaxed, discounted) value of ``quantity`` of an order line, so that the
    receipts of a whole line sum to its ``base_amount`` exactly."""
    if order_line.quantity == quantity:
        return order_line.base_amount
    return (order_line.base_amount * quantity / order_line.quantity).quantize(
        CENT, rounding=ROUND_HALF_UP)


def _receipt_value(line: GoodsReceiptLine) -> Decimal:
    """This receipt line's share of its order line: cumulative rounding over the live
    receipts before it, so partial receipts add up to the line's value to the cent."""
    before = (GoodsReceiptLine.objects.filter(order_line=line.order_line, pk__lt=line.pk)
              .exclude(document__status__in=DEAD_RECEIPT_STATES)
              .aggregate(q=DecimalSum("quantity"))["q"] or ZERO)
    order_line = line.order_line
    return (_order_line_value(order_line, before + line.quantity)
            - _order_line_value(order_line, before))


def _net_unit_cost(order_line) -> Decimal:
    return order_line.base_amount / order_line.quantity if order_line.quantity else ZERO


def _stock_key(document, step: str) -> str:
    done = JournalEntry.objects.filter(
        company=document.company, source_type=document.document_type,
        source_id=str(document.pk),
        idempotency_key__startswith=f"{document.document_type}:{document.pk}:{step}:").count()
    return f"{document.document_type}:{document.pk}:{step}:{done}"


def receipt_stock_effect(receipt: GoodsReceipt, *, actor=None) -> dict[int, Decimal]:
    """THE stock hook of a goods receipt, run when the receipt is issued (the
    ``storage_audit`` stage of its workflow, which ``simple`` runs at ``issue``).

    Each goods line (a service moves no stock) comes into the company's PRINCIPAL
    warehouse through ``stock_receive`` at its order line's net unit cost, in the order
    line's unit, creating a FIFO layer; the line's value is its share of the order line's
    net amount (partial receipts sum to it exactly). One entry on the GENERAL journal:
    debit inventory (the item's account, else the INVENTORY role), credit GRNI.

    Idempotent: a receipt whose stock is already in (live moves) moves nothing again.
    Returns {order line id: quantity received by this receipt}."""
    company = receipt.company
    done = StockMove.objects.filter(company=company, source_type=receipt.document_type,
                                    source_id=str(receipt.pk), kind="receipt",
                                    reversals__isnull=True).exists()
    quantities: dict[int, Decimal] = defaultdict(lambda: ZERO)
    amounts: dict[int, Decimal] = defaultdict(lambda: ZERO)
    warehouse = None
    lines = receipt.lines.select_related("order_line", "order_line__item",
                                         "order_line__unit").order_by("line_no")
    for i, line in enumerate(lines):
        quantities[line.order_line_id] += line.quantity
        item = line.order_line.item
        if done or item is None or item.kind != ItemKind.GOODS:
            continue
        warehouse = warehouse or warehouse_default(company=company)
        try:
            move = inventory.stock_receive(
                company=company, actor=actor, item=item, warehouse=warehouse,
                quantity=line.quantity, unit=line.order_line.unit,
                unit_cost=_net_unit_cost(line.order_line), value=_receipt_value(line),
                date=receipt.date, source_type=receipt.document_type, source_id=receipt.pk)
        except ValidationError as exc:
            exc.field = exc.field and f"lines.{i}.{exc.field}"
            raise
        amounts[inventory_posting.inventory_account_id(item)] += move.value
        amounts[role_account(company, AccountRole.GRNI, "grni").pk] -= move.value
    if amounts:
        inventory_posting.post(
            company=company, actor=actor, date=receipt.date, reference=receipt.number,
            memo=f"{receipt.document_type} {receipt.number} {receipt.order.supplier.code}",
            source_type=receipt.document_type, source_id=receipt.pk, amounts=amounts,
            key=_stock_key(receipt, "stock"))
    return dict(quantities)


def _receipt_stock(ctx: lifecycle.EffectContext) -> None:
    receipt_stock_effect(ctx.document, actor=ctx.actor)


def _receipt_unstock(ctx: lifecycle.EffectContext) -> None:
    """A void takes the receipt's layers out (refused with INSUFFICIENT_STOCK once
    anything was issued from them) and reverses its inventory / GRNI entry."""
    receipt = ctx.document
    inventory.stock_reverse(company=ctx.company, actor=ctx.actor,
                            source_type=receipt.document_type, source_id=receipt.pk)
    _reverse_stock_entries(ctx, "stock")


def _reverse_stock_entries(ctx: lifecycle.EffectContext, step: str) -> None:
    document = ctx.document
    live = JournalEntry.objects.filter(
        company=ctx.company, source_type=document.document_type, source_id=str(document.pk),
        idempotency_key__startswith=f"{document.document_type}:{document.pk}:{step}:",
        reversed_by__isnull=True).order_by("pk")
    for entry in live:
        journal_entry_reverse(company=ctx.company, actor=ctx.actor, entry=entry,
                              date=document.date,
                              memo=f"{ctx.transition.action} {document.number}: {ctx.comment}")


# --- supplier invoice price differences ----------------------------------------------------

def _revalue_targets(invoice: SupplierInvoice) -> list[tuple]:
    """(receipt id, item, order line unit, invoiced net unit cost, order net unit cost)
    for the goods lines whose invoiced price differs from the order's."""
    out = {}
    lines = invoice.lines.select_related("item", "order_line", "order_line__unit",
                                         "receipt_line").order_by("line_no")
    for line in lines:
        ol = line.order_line
        if (ol is None or line.account_id or line.item is None
                or line.item.kind != ItemKind.GOODS or not line.quantity):
            continue
        invoiced, ordered = line.base_amount / line.quantity, _net_unit_cost(ol)
        if line.unit_id != ol.unit_id and line.unit is not None and ol.unit is not None:
            invoiced = invoiced * ol.unit.factor_to_base / line.unit.factor_to_base
        if invoiced == ordered:
            continue
        if line.receipt_line_id:
            receipt_ids = [line.receipt_line.document_id]
        else:
            receipt_ids = list(GoodsReceipt.objects.filter(lines__order_line=ol)
                               .exclude(status__in=DEAD_RECEIPT_STATES)
                               .values_list("pk", flat=True).distinct().order_by("pk"))
        for receipt_id in receipt_ids:
            out[(receipt_id, line.item_id)] = (receipt_id, line.item, ol.unit, invoiced,
                                               ordered)
    return list(out.values())


def _revalue(ctx: lifecycle.EffectContext, *, back: bool) -> None:
    """A supplier invoice priced its goods differently from the order: the receipt
    layers take the invoiced cost (``layers_revalue``); one GENERAL entry credits GRNI
    with the whole difference (so GRNI clears at the receipt's value) and debits
    inventory with the part still in stock and cost of sales with the part already
    issued. Voiding the invoice revalues back at the order's cost, posted the same way."""
    invoice = ctx.document
    amounts: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for receipt_id, item, unit, invoiced, ordered in _revalue_targets(invoice):
        if not StockMove.objects.filter(company=ctx.company, source_type=RECEIPT_TYPE,
                                        source_id=str(receipt_id), item=item,
                                        kind="receipt", reversals__isnull=True).exists():
            continue
        rev = inventory.layers_revalue(
            company=ctx.company, actor=ctx.actor, source_type=RECEIPT_TYPE,
            source_id=receipt_id, item=item, unit=unit,
            unit_cost=ordered if back else invoiced)
        amounts[inventory_posting.inventory_account_id(item)] += rev.inventory_delta
        amounts[inventory_posting.counter_account_id(item, RECEIPT_TYPE)] += \
            rev.consumed_delta
        amounts[role_account(ctx.company, AccountRole.GRNI, "grni").pk] -= rev.total
    if any(amounts.values()):
        inventory_posting.post(
            company=ctx.company, actor=ctx.actor, date=invoice.date,
            reference=invoice.number or f"{invoice.document_type} #{invoice.pk}",
            memo=f"Price difference {invoice.number} {invoice.supplier.code}",
            source_type=invoice.document_type, source_id=invoice.pk, amounts=amounts,
            key=_stock_key(invoice, "revalue"))


def _revalue_apply(ctx: lifecycle.EffectContext) -> None:
    _revalue(ctx, back=False)


def _revalue_compensate(ctx: lifecycle.EffectContext) -> None:
    _revalue(ctx, back=True)


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
        excess = document.total - invoice.amount_due
        if excess > 0:
            _free_allocations(invoice, excess)
        invoice_balance_apply(invoice, credited=document.total)
    elif isinstance(document, Expense):
        expense_balance_apply(lock_expenses([document.pk])[document.pk], posted=True)


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
    elif isinstance(document, Expense):
        expense_balance_apply(lock_expenses([document.pk])[document.pk], posted=False)


def _free_allocations(invoice: SupplierInvoice, excess: Decimal) -> None:
    """A credit note credits more than a (partly) paid invoice still owes: the excess
    is taken off the invoice's newest live allocations, which become (or leave behind) a
    smaller live allocation; the freed money is its payment's unapplied credit again,
    usable on later documents or refunded by the supplier (Odoo's outstanding credit).
    Payments are locked in primary-key order before any row changes."""
    from django.utils import timezone

    live = list(invoice.allocations.filter(released_at=None).order_by("-pk"))
    payments = {p.pk: p for p in SupplierPayment._base_manager.select_for_update()
                .filter(pk__in=sorted({a.payment_id for a in live})).order_by("pk")}
    now = timezone.now()
    for alloc in live:
        if excess <= 0:
            break
        freed = min(excess, alloc.amount)
        alloc.released_at = now
        alloc.save(update_fields=["released_at", "updated_at"])
        if freed < alloc.amount:
            SupplierPaymentAllocation.objects.create(
                company_id=alloc.company_id, payment_id=alloc.payment_id,
                invoice_id=invoice.pk, amount=alloc.amount - freed)
        payment = payments[alloc.payment_id]
        payment.allocated -= freed
        SupplierPayment._base_manager.filter(pk=payment.pk).update(
            allocated=payment.allocated, updated_at=now)
        invoice_balance_apply(invoice, paid=-freed)
        excess -= freed


def _release_allocations(ctx: lifecycle.EffectContext) -> None:
    """A failed payment pays nothing: its live allocations are released and the
    invoices and expenses owe those amounts again."""
    from django.utils import timezone

    payment = ctx.document
    live = list(payment.allocations.filter(released_at=None).order_by("pk"))
    invoices = lock_invoices(a.invoice_id for a in live if a.invoice_id)
    expenses = lock_expenses(a.expense_id for a in live if a.expense_id)
    now = timezone.now()
    for alloc in live:
        if alloc.invoice_id:
            invoice_balance_apply(invoices[alloc.invoice_id], paid=-alloc.amount)
        else:
            expense_balance_apply(expenses[alloc.expense_id], paid=-alloc.amount)
    payment.allocations.filter(pk__in=[a.pk for a in live]).update(released_at=now,
                                                                  updated_at=now)
    SupplierPayment._base_manager.filter(pk=payment.pk).update(allocated=ZERO)


def refund_post(refund, *, actor) -> JournalEntry:
    """A supplier's refund of unapplied credit: debit the cash/bank account, credit
    PAYABLE (partner: the supplier), on the account's CASH or BANK journal."""
    payment = refund.payment
    payable = role_account(refund.company, AccountRole.PAYABLE, "payable")
    label = f"{payment.supplier.code} {payment.number} refund"
    kind = JournalKind.CASH if refund.account.role == AccountRole.CASH else JournalKind.BANK
    return journal_entry_post(
        company=refund.company, actor=actor, journal=_journal(refund.company, kind).pk,
        date=refund.date, currency=payment.currency, reference=payment.number,
        memo=f"{PAYMENT_TYPE} {payment.number} refund {payment.supplier.code}",
        source_type=PAYMENT_TYPE, source_id=str(payment.pk),
        lines=[{"account": refund.account_id, "debit": refund.amount, "label": label},
               {"account": payable.pk, "credit": refund.amount, "label": label,
                "partner": payment.supplier.code}],
        idempotency_key=f"{PAYMENT_TYPE}:{payment.pk}:refund:{refund.pk}")
