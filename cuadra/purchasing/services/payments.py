"""Supplier payments: register (with allocations to invoices and expenses on credit),
allocate unapplied credit, succeed, fail (reversal and unallocation), refund (the supplier
pays back unapplied credit) and the payment run (one payment, N documents)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from cuadra.core.audit import audit_create
from cuadra.core.errors import ErrorCollector, InvalidTransition, ValidationError
from cuadra.documents import lifecycle
from cuadra.ledger.enums import AccountRole
from cuadra.ledger.models import Account
from cuadra.purchasing import selectors
from cuadra.purchasing.balances import (
    expense_balance_apply,
    invoice_balance_apply,
    lock_expenses,
    lock_invoices,
)
from cuadra.purchasing.enums import ExpensePayment, PaymentMethod, PaymentStatus
from cuadra.purchasing.lines import ZERO, decimal
from cuadra.purchasing.models import (
    Expense,
    SupplierInvoice,
    SupplierPayment,
    SupplierPaymentAllocation,
    SupplierPaymentRefund,
)
from cuadra.purchasing.posting import refund_post
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
    """A payment to a supplier, numbered at once, with ``allocations=[{invoice | expense,
    amount}]`` to its posted invoices and expenses on credit (each at most what the
    document still owes, all together at most the payment); the rest is unapplied credit.
    ``succeeded`` posts it at once (debit PAYABLE, credit the cash/bank account); else it
    waits PENDING. With an ``idempotency_key`` a retry returns the first payment and
    writes nothing."""
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
    """Apply a payment's unapplied amount to ``allocations=[{invoice | expense,
    amount}]``."""
    same_company(company, payment)
    row = locked(payment)
    if row.status == PaymentStatus.FAILED:
        raise InvalidTransition("A failed payment is not allocated.", field="id")
    _allocate(company, actor, row, allocations)
    payment.refresh_from_db()
    return payment


def _targets(allocations, errors: ErrorCollector) -> list[tuple[str, int, object]]:
    """[(kind "invoice"/"expense", id, amount)] from ``[{invoice | expense, amount}]``."""
    wanted = []
    for i, data in enumerate(allocations or []):
        path = f"allocations[{i}]"
        kinds = [k for k in ("invoice", "expense") if data.get(k) not in (None, "")]
        amount = decimal(errors, f"{path}.amount", data.get("amount"), required=True)
        if amount is not None and amount <= 0:
            errors.add(f"{path}.amount", "An allocation is greater than zero.")
            continue
        if len(kinds) != 1:
            errors.add(f"{path}.invoiceId", "Name one supplier invoice or one expense.")
            continue
        pk = getattr(data[kinds[0]], "pk", data[kinds[0]])
        if not str(pk).isdigit():
            errors.add(f"{path}.{kinds[0]}Id", f"No such {kinds[0]}.")
            continue
        if amount is not None:
            wanted.append((kinds[0], int(pk), amount))
    return wanted


def _refusal(payment, document, kind: str, amount) -> tuple[str, str] | None:
    """(field, message) when ``document`` may not take ``amount`` of ``payment``."""
    label = "invoice" if kind == "invoice" else "expense"
    if document is None or document.company_id != payment.company_id or \
            document.supplier_id != payment.supplier_id:
        return f"{label}Id", f"No such {label} of this supplier."
    if document.status not in selectors.POSTED_STATES:
        return f"{label}Id", f"The {label} is {document.status}; only a posted {label} is paid."
    if kind == "expense" and document.payment_method != ExpensePayment.CREDIT:
        return "expenseId", f"Expense {document.number} was paid at once; nothing is owed."
    if document.currency != payment.currency:
        return f"{label}Id", f"The {label} is in another currency."
    if amount > document.amount_due:
        return "amount", (f"{label.capitalize()} {document.number} owes "
                          f"{document.amount_due}; {amount} is more.")
    return None


def _allocate(company, actor, payment: SupplierPayment, allocations) -> None:
    """Allocate to invoices and expenses on credit of the payment's supplier, each at most
    what it still owes and all together at most what is unapplied of the payment; the
    documents' paid/partial/unpaid state changes in the same transaction. Any refusal
    raises before a row is written (the whole transaction rolls back)."""
    errors = ErrorCollector()
    wanted = _targets(allocations, errors)
    errors.raise_if_any()
    rows = {"invoice": lock_invoices(pk for kind, pk, _ in wanted if kind == "invoice"),
            "expense": lock_expenses(pk for kind, pk, _ in wanted if kind == "expense")}
    total = ZERO
    for i, (kind, pk, amount) in enumerate(wanted):
        document = rows[kind].get(pk)
        refused = _refusal(payment, document, kind, amount)
        if refused:
            errors.add(f"allocations[{i}].{refused[0]}", refused[1])
            continue
        if kind == "invoice":
            invoice_balance_apply(document, paid=amount)
        else:
            expense_balance_apply(document, paid=amount)
        total += amount
    if total > payment.unapplied:
        errors.add("allocations", f"The allocations ({total}) exceed what is unapplied of "
                                  f"the payment ({payment.unapplied}).")
    errors.raise_if_any()
    SupplierPaymentAllocation.objects.bulk_create([
        SupplierPaymentAllocation(company=company, payment=payment, amount=amount,
                                  **{f"{kind}_id": pk}) for kind, pk, amount in wanted])
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


def _open_documents(qs, ids, path: str, label: str) -> list[tuple[int, object]]:
    """(id, amount due) of the open documents ``qs`` (``ids`` None: all of them)."""
    if ids is not None:
        ids = list(ids)
        pks = [int(getattr(i, "pk", i)) for i in ids if str(getattr(i, "pk", i)).isdigit()]
        if len(pks) != len(ids) or qs.filter(pk__in=pks).count() != len(set(pks)):
            raise ValidationError(f"Every {label} must be an open posted {label} of this "
                                  "supplier.", field=path)
        qs = qs.filter(pk__in=pks)
    return list(qs.values_list("pk", "amount_due"))


@transaction.atomic
def supplier_payment_run(*, company, actor, supplier, invoices=None, expenses=None,
                         method: str, date=None, account=None, reference: str = "",
                         idempotency_key: str | None = None) -> SupplierPayment:
    """Pay several posted invoices and expenses on credit of one supplier at once: one
    payment for the sum of what each still owes, one allocation per document. Neither
    ``invoices`` nor ``expenses`` given: every open one of both; one given: only those."""
    if idempotency_key:
        seen = SupplierPayment.objects.filter(company=company,
                                              idempotency_key=idempotency_key).first()
        if seen is not None:
            return seen
    supplier = supplier_get(company, supplier)
    every = invoices is None and expenses is None
    open_invoices = SupplierInvoice.objects.filter(
        company=company, supplier=supplier, status__in=selectors.POSTED_STATES,
        amount_due__gt=0).order_by("due_date", "pk")
    open_expenses = Expense.objects.filter(
        company=company, supplier=supplier, status__in=selectors.POSTED_STATES,
        payment_method=ExpensePayment.CREDIT, amount_due__gt=0).order_by("date", "pk")
    rows = [("invoice", pk, due) for pk, due in (
        _open_documents(open_invoices, invoices, "invoiceIds", "invoice")
        if every or invoices is not None else [])]
    rows += [("expense", pk, due) for pk, due in (
        _open_documents(open_expenses, expenses, "expenseIds", "expense on credit")
        if every or expenses is not None else [])]
    if not rows:
        raise ValidationError("The supplier has nothing open to pay.", field="invoiceIds")
    return supplier_payment_register(
        company=company, actor=actor, supplier=supplier, method=method, date=date,
        amount=sum((due for _, _, due in rows), ZERO), account=account, reference=reference,
        allocations=[{kind: pk, "amount": due} for kind, pk, due in rows],
        idempotency_key=idempotency_key)


@transaction.atomic
def supplier_payment_refund(*, company, actor, payment, amount, date=None, account=None,
                            reference: str = "", idempotency_key: str | None = None
                            ) -> SupplierPaymentRefund:
    """The supplier paid back part of a succeeded payment's unapplied credit (say what a
    credit note on a paid invoice freed): debit the cash/bank account (default the
    payment's), credit PAYABLE with the supplier as partner. Never more than is
    unapplied."""
    if idempotency_key:
        seen = SupplierPaymentRefund.objects.filter(company=company,
                                                    idempotency_key=idempotency_key).first()
        if seen is not None:
            return seen
    same_company(company, payment)
    row = locked(payment)
    if row.status != PaymentStatus.SUCCEEDED:
        raise InvalidTransition(f"The payment is {row.status}; only a succeeded payment's "
                                "credit is refunded.", field="id")
    errors = ErrorCollector()
    value = decimal(errors, "amount", amount, required=True)
    if value is not None and value <= 0:
        errors.add("amount", "A refund is greater than zero.")
    elif value is not None and value > row.unapplied:
        errors.add("amount", f"Only {row.unapplied} of payment {row.number} is unapplied; "
                             f"{value} is more.")
    day = parse_date(date, errors, default=dt.date.today())
    cash = _account(company, row.method, account or row.account_id, errors)
    errors.raise_if_any()
    refund = SupplierPaymentRefund.objects.create(
        company=company, payment=row, date=day, amount=value, account=cash,
        reference=(reference or "")[:100], created_by=actor,
        idempotency_key=idempotency_key or "")
    refund.journal_entry = refund_post(refund, actor=actor)
    refund.save(update_fields=["journal_entry", "updated_at"])
    SupplierPayment._base_manager.filter(pk=row.pk).update(refunded=row.refunded + value)
    audit_create(actor=actor, company_id=company.pk, obj=refund,
                 operation="supplier_payment_refund")
    payment.refresh_from_db()
    return refund
