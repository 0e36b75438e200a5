"""Supplier payments: register (with allocations), allocate unapplied credit, succeed,
fail (reversal and unallocation), and the payment run (one payment, N invoices)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from cuadra.core.audit import audit_create
from cuadra.core.errors import ErrorCollector, InvalidTransition, ValidationError
from cuadra.documents import lifecycle
from cuadra.ledger.enums import AccountRole
from cuadra.ledger.models import Account
from cuadra.purchasing import selectors
from cuadra.purchasing.balances import invoice_balance_apply, lock_invoices
from cuadra.purchasing.enums import PaymentMethod, PaymentStatus
from cuadra.purchasing.lines import ZERO, decimal
from cuadra.purchasing.models import (
    SupplierInvoice,
    SupplierPayment,
    SupplierPaymentAllocation,
)
from cuadra.purchasing.registry import document_number
from cuadra.purchasing.services.common import (
    locked,
    optional,
    parse_date,
    reason_required,
    same_company,
    supplier_get,
)


def _account(company, method, account, errors) -> Account | None:
    row = optional(Account, company, account, "accountId", errors)
    if row is not None:
        if row.role not in (AccountRole.CASH, AccountRole.BANK) or row.is_group:
            errors.add("accountId", "A payment leaves a CASH or BANK account.")
        return row
    role = AccountRole.CASH if method == PaymentMethod.CASH else AccountRole.BANK
    row = (Account.objects.filter(company=company, role=role, is_group=False, is_active=True)
           .order_by("code").first())
    if row is None:
        errors.add("accountId", f"The chart has no active {role} account.")
    return row


@transaction.atomic
def supplier_payment_register(*, company, actor, supplier, amount, method: str,
                              date=None, account=None, reference: str = "",
                              allocations=None, succeeded: bool = True,
                              idempotency_key: str | None = None) -> SupplierPayment:
    """A payment to a supplier, numbered at once, with ``allocations=[{invoice,
    amount}]`` to its posted invoices (each at most what the invoice still owes, all
    together at most the payment); the rest is unapplied credit. ``succeeded`` posts it
    at once (debit PAYABLE, credit the cash/bank account); else it waits PENDING. With an
    ``idempotency_key`` a retry returns the first payment and writes nothing."""
    if idempotency_key:
        seen = SupplierPayment.objects.filter(company=company,
                                              idempotency_key=idempotency_key).first()
        if seen is not None:
            return seen
    supplier = supplier_get(company, supplier)
    errors = ErrorCollector()
    value = decimal(errors, "amount", amount, required=True)
    if value is not None and value <= 0:
        errors.add("amount", "A payment is greater than zero.")
    if method not in PaymentMethod.values:
        errors.add("method", f"Choose one of {', '.join(PaymentMethod.values)}.")
    day = parse_date(date, errors, default=dt.date.today())
    cash = _account(company, method, account, errors)
    errors.raise_if_any()
    payment = SupplierPayment.objects.create(
        company=company, supplier=supplier, date=day, method=method, amount=value,
        currency=supplier.currency or company.base_currency, account=cash,
        reference=(reference or "")[:100], created_by=actor,
        idempotency_key=idempotency_key or "")
    document_number(payment)
    audit_create(actor=actor, company_id=company.pk, obj=payment,
                 operation="supplier_payment_register")
    if allocations:
        _allocate(company, actor, payment, allocations)
    if succeeded:
        lifecycle.transition(document=payment, action="succeed", actor=actor)
    payment.refresh_from_db()
    return payment


@transaction.atomic
def supplier_payment_allocate(*, company, actor, payment, allocations
                              ) -> SupplierPayment:
    """Apply a payment's unapplied amount to ``allocations=[{invoice, amount}]``."""
    same_company(company, payment)
    row = locked(payment)
    if row.status == PaymentStatus.FAILED:
        raise InvalidTransition("A failed payment is not allocated.", field="id")
    _allocate(company, actor, row, allocations)
    payment.refresh_from_db()
    return payment


def _allocate(company, actor, payment: SupplierPayment, allocations) -> None:
    errors = ErrorCollector()
    wanted: list[tuple[int, object]] = []
    for i, data in enumerate(allocations or []):
        invoice = data.get("invoice")
        pk = getattr(invoice, "pk", invoice)
        amount = decimal(errors, f"allocations[{i}].amount", data.get("amount"),
                         required=True)
        if amount is not None and amount <= 0:
            errors.add(f"allocations[{i}].amount", "An allocation is greater than zero.")
            continue
        if not str(pk).isdigit():
            errors.add(f"allocations[{i}].invoiceId", "No such supplier invoice.")
            continue
        if amount is not None:
            wanted.append((int(pk), amount))
    errors.raise_if_any()
    invoices = lock_invoices(pk for pk, _ in wanted)
    total = ZERO
    for i, (pk, amount) in enumerate(wanted):
        invoice = invoices.get(pk)
        path = f"allocations[{i}]"
        if invoice is None or invoice.company_id != company.pk or \
                invoice.supplier_id != payment.supplier_id:
            errors.add(f"{path}.invoiceId", "No such invoice of this supplier.")
            continue
        if invoice.status not in selectors.POSTED_STATES:
            errors.add(f"{path}.invoiceId", f"Invoice is {invoice.status}; only a posted "
                                            "invoice is paid.")
            continue
        if invoice.currency != payment.currency:
            errors.add(f"{path}.invoiceId", "The invoice is in another currency.")
            continue
        if amount > invoice.amount_due:
            errors.add(f"{path}.amount", f"Invoice {invoice.number} owes "
                                         f"{invoice.amount_due}; {amount} is more.")
            continue
        invoice_balance_apply(invoice, paid=amount)
        total += amount
    if total > payment.amount - payment.allocated:
        errors.add("allocations", f"The allocations ({total}) exceed what is unapplied of "
                                  f"the payment ({payment.amount - payment.allocated}).")
    errors.raise_if_any()
    SupplierPaymentAllocation.objects.bulk_create([
        SupplierPaymentAllocation(company=company, payment=payment, invoice_id=pk,
                                  amount=amount) for pk, amount in wanted])
    SupplierPayment._base_manager.filter(pk=payment.pk).update(allocated=payment.allocated
                                                               + total)
    payment.refresh_from_db()


def supplier_payment_succeed(*, company, actor, payment) -> SupplierPayment:
    """A pending payment went through: post it."""
    same_company(company, payment)
    return lifecycle.transition(document=payment, action="succeed", actor=actor)


def supplier_payment_fail(*, company, actor, payment, reason: str) -> SupplierPayment:
    """The payment bounced: its entry (if posted) is reversed and its allocations are
    released, so the invoices owe again."""
    same_company(company, payment)
    return lifecycle.transition(document=payment, action="fail", actor=actor,
                                comment=reason_required(reason))


@transaction.atomic
def supplier_payment_run(*, company, actor, supplier, invoices=None, method: str,
                         date=None, account=None, reference: str = "",
                         idempotency_key: str | None = None) -> SupplierPayment:
    """Pay several posted invoices of one supplier at once: one payment for the sum of
    what each still owes, one allocation per invoice. ``invoices`` None: every open one."""
    if idempotency_key:
        seen = SupplierPayment.objects.filter(company=company,
                                              idempotency_key=idempotency_key).first()
        if seen is not None:
            return seen
    supplier = supplier_get(company, supplier)
    qs = SupplierInvoice.objects.filter(company=company, supplier=supplier,
                                        status__in=selectors.POSTED_STATES,
                                        amount_due__gt=0)
    if invoices is not None:
        ids = [int(getattr(i, "pk", i)) for i in invoices if str(getattr(i, "pk", i)).isdigit()]
        if len(ids) != len(list(invoices)) or qs.filter(pk__in=ids).count() != len(set(ids)):
            raise ValidationError("Every invoice must be an open posted invoice of this "
                                  "supplier.", field="invoiceIds")
        qs = qs.filter(pk__in=ids)
    rows = list(qs.order_by("due_date", "pk").values_list("pk", "amount_due"))
    if not rows:
        raise ValidationError("The supplier has no open invoice to pay.", field="invoiceIds")
    return supplier_payment_register(
        company=company, actor=actor, supplier=supplier, method=method, date=date,
        amount=sum((due for _, due in rows), ZERO), account=account, reference=reference,
        allocations=[{"invoice": pk, "amount": due} for pk, due in rows],
        idempotency_key=idempotency_key)


