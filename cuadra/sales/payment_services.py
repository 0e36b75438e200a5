"""Writes of payments: register, allocate, unallocate, succeed, fail, refund; and the
invoice payment state every one of them (and every credit note issue/void and invoice
issue/void) rewrites in its own transaction.

Ledger (through ``journal_entry_post`` only, CASH or BANK journal by the account's role):

* a payment that succeeds debits its CASH/BANK account and credits RECEIVABLE with the
  whole amount, ``partner`` = the client's code. The part not allocated **stays a credit on
  the receivable with the client as partner** (Odoo's "outstanding credit"), rather than
  moving to CUSTOMER_ADVANCE: allocating and unallocating are then matching only and post
  nothing, so they are never blocked by a closed period, and the receivable balance per
  client is exactly Σ amount due of its invoices - its unapplied credit (what the aging
  shows). A payment that fails after succeeding posts the reversal of that entry, dated the
  day it failed; PENDING -> FAILED posts nothing.
* a refund debits RECEIVABLE (partner) and credits the cash or bank account, never more than
  the payment's unapplied credit.

Rules a user meets:

* allocations come only from a SUCCEEDED payment (a pending cheque is allocated once it
  clears), go only to a posted invoice of the same client and currency that asks for
  payment (not a cash sale), never beyond the invoice's amount due nor the payment's
  unapplied credit; every refusal writes nothing;
* an allocation is dated ``max(payment date, invoice date)`` (Odoo's partial-reconcile
  ``max_date``) and is never deleted: unallocating (or a failure) marks it reversed with the
  date it stopped counting, so the aging as of any past date is reproducible;
* an invoice with live allocations is not voided (nor stepped back out of entry_audit):
  ``INVOICE_HAS_PAYMENTS``, unallocate first. This is Tryton's rule (a paid invoice is not
  cancelled); Odoo unreconciles silently on reset to draft, which leaves a payment floating
  without anyone having said so;
* a credit note that credits more than an invoice still asks for frees the excess from the
  invoice's newest allocations; the freed money is the payment's unapplied credit again
  (refundable), like Odoo's outstanding credit after crediting a paid invoice.

Locks: a payment row first, then invoices in primary-key order; the credit-note path locks
its invoice and the allocation rows but never a payment row (unapplied credit is computed
from rows, not stored), so no two paths wait on each other in a cycle."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from cuadra.core.audit import audit_create, audit_update, snapshot
from cuadra.core.errors import ErrorCollector, InvalidTransition, NotFound, ValidationError
from cuadra.core.money import DecimalSum, to_decimal
from cuadra.documents import lifecycle
from cuadra.documents.presets import LEDGER
from cuadra.documents.registry import document_record_sync
from cuadra.ledger.enums import AccountRole, JournalKind
from cuadra.ledger.models import Account, Journal
from cuadra.ledger.services import journal_entry_post, journal_entry_reverse
from cuadra.sales.enums import (
    CREDIT_TYPE,
    INVOICE_HAS_PAYMENTS,
    INVOICE_TYPE,
    PAYMENT_TYPE,
    InvoiceKind,
    PaymentMethod,
    PaymentState,
    PaymentStatus,
)
from cuadra.sales.models import (
    Payment,
    PaymentAllocation,
    PaymentRefund,
    SalesCreditNote,
    SalesInvoice,
)
from cuadra.sales.selectors import POSTED_STATES
from cuadra.sequences.enums import DocumentType
from cuadra.sequences.services import sequence_next

ZERO = Decimal(0)
CASH_SALE = InvoiceKind.RECEIPT_TAX_INVOICE


# --- registration (SalesConfig.ready) --------------------------------------------------------

def register() -> None:
    from cuadra.sales.workflows import PAYMENT_WORKFLOW_KEY, PAYMENT_WORKFLOWS

    lifecycle.register_document_type(PAYMENT_TYPE, model=Payment, workflows=PAYMENT_WORKFLOWS,
                                     default_workflow=PAYMENT_WORKFLOW_KEY)
    lifecycle.register_effect(PAYMENT_TYPE, LEDGER, apply=_payment_post,
                              compensate=_payment_reverse, name="sales.payment_ledger")
    lifecycle.register_guard(PAYMENT_TYPE, "fail", _refuse_failing_refunded,
                             name="sales.payment_refunded")
    lifecycle.register_effect(INVOICE_TYPE, LEDGER, apply=_invoice_posted,
                              compensate=_invoice_unposted, name="sales.payment_state")
    lifecycle.register_effect(CREDIT_TYPE, LEDGER, apply=_credit_posted,
                              compensate=_credit_unposted, name="sales.payment_state")
    lifecycle.register_guard(INVOICE_TYPE, None, _refuse_unposting_paid,
                             name="sales.paid_invoice")


# --- invoice payment state -------------------------------------------------------------------

def invoice_payment_figures(invoice, *, posted: bool | None = None, note=None,
                            note_live: bool = False) -> tuple[Decimal, Decimal, str]:
    """(amount credited, amount paid, payment state) recomputed from rows. Inside a
    transition the status is not yet written: ``posted`` says whether the invoice is on the
    books, ``note``/``note_live`` whether the credit note being moved counts."""
    posted = invoice.status in POSTED_STATES if posted is None else posted
    notes = SalesCreditNote.objects.filter(invoice_id=invoice.pk, status__in=POSTED_STATES)
    if note is not None:
        notes = notes.exclude(pk=note.pk)
    credited = notes.aggregate(s=DecimalSum("total"))["s"] or ZERO
    if note is not None and note_live:
        credited += note.total
    allocated = ZERO if invoice.kind == CASH_SALE else (
        PaymentAllocation.objects.filter(invoice_id=invoice.pk, reversed=False)
        .aggregate(s=DecimalSum("amount"))["s"] or ZERO)
    return payment_figures_of(invoice, posted=posted, credited=credited, allocated=allocated)


def payment_figures_of(invoice, *, posted: bool, credited: Decimal, allocated: Decimal
                       ) -> tuple[Decimal, Decimal, str]:
    """(credited, paid, state) from the sums ``invoice_payment_figures`` reads (a batch
    reads them for many invoices at once)."""
    if invoice.kind == CASH_SALE:
        paid = invoice.total - credited if posted else ZERO
    else:
        paid = allocated
    due = invoice.total - credited - paid
    if posted and due <= 0:
        state = PaymentState.PAID
    elif paid > 0:
        state = PaymentState.PARTIAL
    else:
        state = PaymentState.UNPAID
    return credited, paid, state


def invoice_payment_refresh(invoice, **hints) -> None:
    """Rewrite the invoice's stored figures from rows (the caller holds its row lock)."""
    credited, paid, state = invoice_payment_figures(invoice, **hints)
    SalesInvoice._base_manager.filter(pk=invoice.pk).update(
        amount_credited=credited, amount_paid=paid, payment_state=state)
    invoice.amount_credited, invoice.amount_paid, invoice.payment_state = credited, paid, state
    # the bulk update skips the model's save hook: keep the Documents registry row in step
    document_record_sync(invoice)


def _invoice_posted(ctx: lifecycle.EffectContext) -> None:
    invoice_payment_refresh(ctx.document, posted=True)


def _invoice_unposted(ctx: lifecycle.EffectContext) -> None:
    invoice_payment_refresh(ctx.document, posted=False)


def _refuse_unposting_paid(ctx: lifecycle.GuardContext) -> None:
    if LEDGER not in ctx.transition.compensates:
        return
    if ctx.document.allocations.live().exists():
        raise InvalidTransition("Payments are allocated to this invoice; unallocate them "
                                "first.", field="action", code=INVOICE_HAS_PAYMENTS)


def _lock_invoice(pk: int) -> SalesInvoice:
    return SalesInvoice._base_manager.select_for_update(of=("self",)).get(pk=pk)


def _credit_posted(ctx: lifecycle.EffectContext) -> None:
    note = ctx.document
    invoice = _lock_invoice(note.invoice_id)
    credited, paid, _ = invoice_payment_figures(invoice, posted=True, note=note,
                                                note_live=True)
    excess = paid - (invoice.total - credited)
    if excess > 0 and invoice.kind != CASH_SALE:
        _free_allocations(ctx.company, ctx.actor, invoice, excess, note.date)
    invoice_payment_refresh(invoice, note=note, note_live=True)


def _credit_unposted(ctx: lifecycle.EffectContext) -> None:
    invoice = _lock_invoice(ctx.document.invoice_id)
    invoice_payment_refresh(invoice, note=ctx.document, note_live=False)


def _free_allocations(company, actor, invoice, excess: Decimal, on: dt.date) -> None:
    """Unallocate ``excess`` from the invoice's newest allocations (a partial one is
    reversed and what stays allocated is re-allocated, dated when the change happened)."""
    live = (PaymentAllocation.objects.select_for_update().filter(invoice_id=invoice.pk,
                                                                 reversed=False)
            .order_by("-date", "-id"))
    for allocation in live:
        if excess <= 0:
            break
        take = min(allocation.amount, excess)
        when = max(on, allocation.date)
        _reverse_allocation(company, actor, allocation, when, "credit_note_unallocate")
        if take < allocation.amount:
            _create_allocation(company, actor, allocation.payment, invoice,
                               allocation.amount - take, when)
        excess -= take


# --- small parsers ---------------------------------------------------------------------------

def _positive(value, path: str, errors: ErrorCollector) -> Decimal | None:
    try:
        amount = to_decimal(value)
    except (TypeError, ValueError):
        errors.add(path, "Not a decimal number (never a float).")
        return None
    if not amount.is_finite() or amount <= 0:
        errors.add(path, "The amount must be greater than zero.")
        return None
    return amount


def _date(value, path: str, errors: ErrorCollector, default: dt.date | None = None):
    if value in (None, ""):
        return default or timezone.localdate()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        errors.add(path, "Use an ISO date, e.g. 2025-01-31.")
        return None


def _pk(value):
    pk = getattr(value, "pk", value)
    return int(pk) if str(pk).isdigit() else None


def _cash_account(company, value, method: str, path: str, errors) -> Account | None:
    if value in (None, ""):
        role = AccountRole.CASH if method == PaymentMethod.CASH else AccountRole.BANK
        account = (Account.objects.filter(company=company, role=role, is_group=False,
                                          is_active=True).order_by("code").first())
        if account is None:
            errors.add(path, f"The chart has no active {role} account; choose one.")
        return account
    pk = _pk(value)
    account = Account.objects.filter(company=company, pk=pk).first() if pk else None
    if account is None:
        errors.add(path, "No such account in this company.")
    elif account.role not in (AccountRole.CASH, AccountRole.BANK) or account.is_group:
        errors.add(path, "Money moves through a postable CASH or BANK account.")
        return None
    return account


def _journal(company, account: Account) -> Journal:
    kind = JournalKind.CASH if account.role == AccountRole.CASH else JournalKind.BANK
    journal = (Journal.objects.filter(company=company, kind=kind, is_active=True)
               .order_by("code").first())
    if journal is None:
        raise ValidationError(f"The company has no active {kind} journal.", field="journal")
    return journal


def _receivable(company) -> Account:
    account = (Account.objects.filter(company=company, role=AccountRole.RECEIVABLE,
                                      is_group=False, is_active=True).order_by("code").first())
    if account is None:
        raise ValidationError("The chart has no active RECEIVABLE account.",
                              field="receivable")
    return account


def _owned_payment(company, payment) -> Payment:
    pk = _pk(payment)
    if pk is None or not Payment.objects.filter(company=company, pk=pk).exists():
        raise NotFound("No such payment.", field="paymentId")
    return Payment.objects.get(pk=pk)


def _locked_payment(company, payment) -> Payment:
    found = _owned_payment(company, payment)
    return Payment._base_manager.select_for_update(of=("self",)).get(pk=found.pk)


# --- register --------------------------------------------------------------------------------

@transaction.atomic
def payment_register(*, company, actor, client, amount, method, date, account=None,
                     reference: str = "", status: str = PaymentStatus.SUCCEEDED,
                     allocations=(), idempotency_key: str | None = None,
                     currency: str | None = None) -> Payment:
    """Record money received. ``status`` SUCCEEDED (default) takes the receipt number and
    posts at once; PENDING (a cheque to clear) posts nothing until :func:`payment_succeed`.
    ``allocations=[{"invoice": <invoice or id>, "amount": Decimal}]`` apply it at once
    (SUCCEEDED only). With an ``idempotency_key`` a retry returns the first payment."""
    from cuadra.sales.services import _client

    if idempotency_key:
        seen = Payment.objects.filter(company=company, idempotency_key=idempotency_key).first()
        if seen is not None:
            return seen
    client = _client(company, client)
    errors = ErrorCollector()
    value = _positive(amount, "amount", errors)
    if method not in PaymentMethod.values:
        errors.add("method", f"Choose one of {', '.join(PaymentMethod.values)}.")
    status = (status or PaymentStatus.SUCCEEDED).upper()
    if status not in (PaymentStatus.PENDING, PaymentStatus.SUCCEEDED):
        errors.add("status", "A payment is registered PENDING or SUCCEEDED; mark it failed "
                             "afterwards.")
    day = _date(date, "date", errors)
    cash = _cash_account(company, account, method, "accountId", errors)
    if allocations and status == PaymentStatus.PENDING:
        errors.add("allocations", "A pending payment is allocated once it succeeds.")
    code = (currency or client.currency or company.base_currency).upper()
    if len(code) != 3 or not code.isalpha():
        errors.add("currency", "Use a three-letter ISO 4217 code.")
    errors.raise_if_any()
    payment = Payment.objects.create(
        company=company, client=client, method=method, date=day, amount=value, currency=code,
        account=cash, reference=(reference or "").strip()[:100],
        idempotency_key=idempotency_key or "", created_by=actor)
    audit_create(actor=actor, company_id=company.pk, obj=payment, operation="payment_register")
    if status == PaymentStatus.SUCCEEDED:
        lifecycle.transition(document=payment, action="succeed", actor=actor)
        if allocations:
            _allocate(company, actor, payment, allocations)
    payment.refresh_from_db()
    return payment


def _payment_post(ctx: lifecycle.EffectContext) -> None:
    """succeed: the receipt's number, then debit cash/bank, credit receivable (partner)."""
    payment = ctx.document
    if not payment.number:
        payment.number = sequence_next(company=ctx.company, document_type=DocumentType.RECEIPT,
                                       date=payment.date, object_type=payment._meta.label,
                                       object_id=payment.pk)
    label = f"Recibo {payment.number}"
    partner = payment.client.code
    entry = journal_entry_post(
        company=ctx.company, actor=ctx.actor, journal=_journal(ctx.company, payment.account).pk,
        date=payment.date, currency=payment.currency, reference=payment.number,
        memo=f"{PAYMENT_TYPE} {payment.number} {partner} {payment.reference}".strip(),
        source_type=PAYMENT_TYPE, source_id=str(payment.pk),
        lines=[{"account": payment.account_id, "debit": payment.amount, "label": label},
               {"account": _receivable(ctx.company).pk, "credit": payment.amount,
                "partner": partner, "label": label}],
        idempotency_key=f"{PAYMENT_TYPE}:{payment.pk}:post")
    payment.journal_entry = entry
    payment.save(update_fields=["number", "journal_entry", "updated_at"])


def _payment_reverse(ctx: lifecycle.EffectContext) -> None:
    """SUCCEEDED -> FAILED: reverse the entry on the day it failed, undo the allocations."""
    payment = ctx.document
    on = payment.failed_on or timezone.localdate()
    if payment.journal_entry_id is not None:
        reversal = journal_entry_reverse(
            company=ctx.company, actor=ctx.actor, entry=payment.journal_entry, date=on,
            memo=f"Failed payment {payment.number}: {ctx.comment}",
            idempotency_key=f"{PAYMENT_TYPE}:{payment.pk}:fail")
        payment.reversal_entry = reversal
        payment.save(update_fields=["reversal_entry", "updated_at"])
    live = list(payment.allocations.live().order_by("invoice_id", "id"))
    invoices = {pk: _lock_invoice(pk) for pk in sorted({a.invoice_id for a in live})}
    for allocation in live:
        _reverse_allocation(ctx.company, ctx.actor, allocation, max(on, allocation.date),
                            "payment_fail_unallocate")
    for invoice in invoices.values():
        invoice_payment_refresh(invoice)


def _refuse_failing_refunded(ctx: lifecycle.GuardContext) -> None:
    if ctx.document.refunds.exists():
        raise InvalidTransition("Part of this payment was refunded; a refunded payment is "
                                "not marked failed.", field="action")


# --- allocate / unallocate -------------------------------------------------------------------

def _create_allocation(company, actor, payment, invoice, amount: Decimal, on: dt.date
                       ) -> PaymentAllocation:
    allocation = PaymentAllocation.objects.create(
        company=company, payment=payment, invoice=invoice, amount=amount, date=on,
        created_by=actor)
    audit_create(actor=actor, company_id=company.pk, obj=allocation,
                 operation="payment_allocate")
    return allocation


def _reverse_allocation(company, actor, allocation, on: dt.date, operation: str) -> None:
    before = snapshot(allocation)
    allocation.reversed, allocation.reversed_on = True, on
    allocation.reversed_at = timezone.now()
    allocation.save(update_fields=["reversed", "reversed_on", "reversed_at", "updated_at"])
    audit_update(actor=actor, company_id=company.pk, obj=allocation, before=before,
                 operation=operation)


def _allocation_rows(allocations, errors: ErrorCollector) -> list[tuple[int, int, Decimal]]:
    """[(index, invoice id, amount)] of the rows that parse; each invoice once."""
    rows, seen = [], set()
    for i, row in enumerate(allocations or ()):
        invoice = row.get("invoice", row.get("invoice_id"))
        pk = _pk(invoice)
        if pk is None or pk in seen:
            errors.add(f"allocations[{i}].invoiceId", "No such invoice (or named twice).")
            continue
        seen.add(pk)
        amount = _positive(row.get("amount"), f"allocations[{i}].amount", errors)
        if amount is not None:
            rows.append((i, pk, amount))
    if not rows and not errors.errors:
        errors.add("allocations", "Name at least one invoice and amount.")
    return rows


def _check_invoice(payment, invoice, amount: Decimal, path: str, errors) -> None:
    if invoice is None:
        errors.add(f"{path}.invoiceId", "No such invoice in this company.")
    elif invoice.client_id != payment.client_id:
        errors.add(f"{path}.invoiceId", f"Invoice {invoice.number or invoice.pk} belongs to "
                                        "another client.")
    elif invoice.status not in POSTED_STATES:
        errors.add(f"{path}.invoiceId", f"Invoice {invoice.number or invoice.pk} is "
                                        f"{invoice.status}; only a posted invoice is paid.")
    elif invoice.kind == CASH_SALE:
        errors.add(f"{path}.invoiceId", f"Invoice {invoice.number} is a cash sale, paid at "
                                        "issue.")
    elif invoice.currency != payment.currency:
        errors.add(f"{path}.invoiceId", f"Invoice {invoice.number} is in {invoice.currency}, "
                                        f"the payment in {payment.currency}.")
    elif amount > invoice.amount_due:
        errors.add(f"{path}.amount", f"Invoice {invoice.number} asks for "
                                     f"{invoice.amount_due}; {amount} is more.")


def _allocate(company, actor, payment: Payment, allocations) -> list[PaymentAllocation]:
    """The caller holds the payment's row lock (or just created it)."""
    if payment.status != PaymentStatus.SUCCEEDED:
        raise InvalidTransition(f"The payment is {payment.status}; only a succeeded payment "
                                "is allocated.", field="paymentId")
    errors = ErrorCollector()
    rows = _allocation_rows(allocations, errors)
    ids = sorted({pk for _, pk, _ in rows})
    invoices = {inv.pk: inv for inv in SalesInvoice._base_manager.select_for_update(
        of=("self",)).filter(company=company, pk__in=ids).order_by("pk")}
    for i, pk, amount in rows:
        _check_invoice(payment, invoices.get(pk), amount, f"allocations[{i}]", errors)
    wanted = sum((amount for _, _, amount in rows), ZERO)
    unapplied = payment.unapplied
    if wanted > unapplied:
        errors.add("allocations", f"The payment has {unapplied} unallocated; {wanted} is more.")
    errors.raise_if_any()
    made = [_create_allocation(company, actor, payment, invoices[pk], amount,
                               max(payment.date, invoices[pk].date))
            for _, pk, amount in rows]
    for pk in ids:
        invoice_payment_refresh(invoices[pk])
    return made


@transaction.atomic
def payment_allocate(*, company, actor, payment, allocations) -> list[PaymentAllocation]:
    """Apply part of a succeeded payment's unapplied credit to invoices of its client."""
    locked = _locked_payment(company, payment)
    return _allocate(company, actor, locked, allocations)


@transaction.atomic
def payment_unallocate(*, company, actor, allocation, date=None) -> PaymentAllocation:
    """Undo one allocation (it stays, reversed): the amount is the payment's unapplied credit
    again and the invoice asks for it again."""
    pk = _pk(allocation)
    found = (PaymentAllocation.objects.filter(company=company, pk=pk).first()
             if pk is not None else None)
    if found is None:
        raise NotFound("No such allocation.", field="allocationId")
    errors = ErrorCollector()
    day = _date(date, "date", errors)
    errors.raise_if_any()
    _locked_payment(company, found.payment_id)
    invoice = _lock_invoice(found.invoice_id)
    locked = PaymentAllocation.objects.select_for_update().get(pk=found.pk)
    if locked.reversed:
        raise InvalidTransition("This allocation is already undone.", field="allocationId")
    _reverse_allocation(company, actor, locked, max(day, locked.date), "payment_unallocate")
    invoice_payment_refresh(invoice)
    return locked


# --- succeed / fail --------------------------------------------------------------------------

@transaction.atomic
def payment_succeed(*, company, actor, payment) -> Payment:
    """A pending payment cleared: receipt number and posting, dated the payment's date."""
    found = _owned_payment(company, payment)
    lifecycle.transition(document=found, action="succeed", actor=actor)
    return found


@transaction.atomic
def payment_fail(*, company, actor, payment, reason: str, date=None) -> Payment:
    """A bounced cheque or declined card. From SUCCEEDED it posts the reversal (dated
    ``date``, default today) and undoes every allocation; from PENDING it posts nothing."""
    if not (reason or "").strip():
        raise ValidationError("Say why the payment failed.", field="reason")
    locked = _locked_payment(company, payment)
    errors = ErrorCollector()
    day = _date(date, "date", errors)
    if day is not None and day < locked.date:
        errors.add("date", f"A payment of {locked.date.isoformat()} cannot fail before it.")
    errors.raise_if_any()
    if locked.status == PaymentStatus.FAILED:
        raise InvalidTransition("The payment has already failed.", field="action")
    Payment._base_manager.filter(pk=locked.pk).update(failure_reason=reason.strip()[:500],
                                                     failed_on=day)
    lifecycle.transition(document=locked, action="fail", actor=actor, comment=reason.strip())
    locked.refresh_from_db()
    return locked


# --- refund ----------------------------------------------------------------------------------

@transaction.atomic
def payment_refund(*, company, actor, payment, amount, date, account=None,
                   idempotency_key: str | None = None) -> PaymentRefund:
    """Pay back part of a succeeded payment's unapplied credit: debit receivable (the
    client as partner), credit the cash or bank account (default: the payment's)."""
    if idempotency_key:
        seen = PaymentRefund.objects.filter(company=company,
                                            idempotency_key=idempotency_key).first()
        if seen is not None:
            return seen
    locked = _locked_payment(company, payment)
    errors = ErrorCollector()
    value = _positive(amount, "amount", errors)
    day = _date(date, "date", errors)
    cash = _cash_account(company, account if account not in (None, "") else locked.account_id,
                         locked.method, "accountId", errors)
    if locked.status != PaymentStatus.SUCCEEDED:
        errors.add("paymentId", f"The payment is {locked.status}; only a succeeded payment "
                                "is refunded.")
    elif value is not None and value > locked.unapplied:
        errors.add("amount", f"The payment has {locked.unapplied} unapplied; {value} is more.")
    if day is not None and day < locked.date:
        errors.add("date", "A refund is not dated before its payment.")
    errors.raise_if_any()
    done = locked.refunds.count()
    label = f"Devolución {locked.number}"
    entry = journal_entry_post(
        company=company, actor=actor, journal=_journal(company, cash).pk, date=day,
        currency=locked.currency, reference=f"DEV {locked.number}"[:100],
        memo=f"Refund of {locked.number} {locked.client.code}",
        source_type=f"{PAYMENT_TYPE}_REFUND", source_id=str(locked.pk),
        lines=[{"account": _receivable(company).pk, "debit": value,
                "partner": locked.client.code, "label": label},
               {"account": cash.pk, "credit": value, "label": label}],
        idempotency_key=f"{PAYMENT_TYPE}:{locked.pk}:refund:{done}")
    refund = PaymentRefund.objects.create(
        company=company, payment=locked, amount=value, date=day, account=cash,
        journal_entry=entry, idempotency_key=idempotency_key or "", created_by=actor)
    audit_create(actor=actor, company_id=company.pk, obj=refund, operation="payment_refund")
    return refund
