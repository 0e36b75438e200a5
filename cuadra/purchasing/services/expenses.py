"""One-off expenses and the content-addressed files attached to them."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from pathlib import Path as FsPath

from django.conf import settings
from django.db import transaction

from cuadra.catalog.models import Tax
from cuadra.core.audit import audit_create
from cuadra.core.errors import ErrorCollector, ValidationError
from cuadra.ledger.enums import AccountRole, AccountType
from cuadra.ledger.models import Account
from cuadra.purchasing.enums import ExpensePayment
from cuadra.purchasing.lines import decimal, line_amounts, row
from cuadra.purchasing.models import Expense, StoredFile
from cuadra.purchasing.services.common import (
    Result,
    document_transition,
    optional,
    parse_date,
    supplier_get,
)
from cuadra.tenancy.models import Branch

MAX_FILE_BYTES = 20 * 1024 * 1024


def stored_file_path(sha256: str) -> FsPath:
    return FsPath(settings.MEDIA_ROOT) / sha256[:2] / sha256


@transaction.atomic
def stored_file_put(*, company, actor, content: bytes, name: str = "",
                    content_type: str = "") -> StoredFile:
    """Keep ``content`` once per company by its SHA-256: the same bytes again return the
    row already stored (and the file on disk, shared by companies, is written once)."""
    if not content:
        raise ValidationError("The file is empty.", field="file")
    if len(content) > MAX_FILE_BYTES:
        raise ValidationError("The file is larger than 20 MB.", field="file")
    sha = hashlib.sha256(content).hexdigest()
    found = StoredFile.objects.filter(company=company, sha256=sha).first()
    if found is not None:
        return found
    path = stored_file_path(sha)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".part")
        tmp.write_bytes(content)
        tmp.replace(path)
    stored = StoredFile.objects.create(company=company, sha256=sha, size=len(content),
                                       name=(name or "")[:255],
                                       content_type=(content_type or "")[:100],
                                       created_by=actor)
    audit_create(actor=actor, company_id=company.pk, obj=stored, operation="stored_file_put")
    return stored


def _expense_account(company, value, errors):
    account = row(Account, company, value)
    if not account or account.is_group or not account.is_active or \
            account.type != AccountType.EXPENSE:
        errors.add("expenseAccountId", "Choose a postable EXPENSE account of this company.")
        return None
    return account


def _payment_account(company, method, value, errors):
    if method == ExpensePayment.CREDIT:
        if value not in (None, ""):
            errors.add("paymentAccountId", "An expense on credit is owed, not paid from "
                                           "an account.")
        return None
    account = optional(Account, company, value, "paymentAccountId", errors)
    if account is not None:
        if account.role not in (AccountRole.CASH, AccountRole.BANK) or account.is_group:
            errors.add("paymentAccountId", "An expense is paid from a CASH or BANK account.")
        return account
    role = AccountRole.CASH if method == ExpensePayment.CASH else AccountRole.BANK
    account = (Account.objects.filter(company=company, role=role, is_group=False,
                                      is_active=True).order_by("code").first())
    if account is None:
        errors.add("paymentAccountId", f"The chart has no active {role} account.")
    return account


@transaction.atomic
def expense_create(*, company, actor, description: str, amount, expense_account,
                   payment_method: str, date=None, supplier=None, tax=None,
                   payment_account=None, branch=None, receipt_file=None,
                   currency: str | None = None) -> Expense:
    """A draft expense: ``amount`` before tax, ``tax`` (optional), paid at once
    (CASH, BANK_TRANSFER, CHEQUE, CARD: from ``payment_account``, default the first CASH
    or BANK account) or on CREDIT (owed to ``supplier``, which is then required)."""
    errors = ErrorCollector()
    text = (description or "").strip()[:500]
    if not text:
        errors.add("description", "Say what the expense was.")
    value = decimal(errors, "amount", amount, required=True)
    if value is not None and value <= 0:
        errors.add("amount", "An expense is greater than zero.")
    if payment_method not in ExpensePayment.values:
        errors.add("paymentMethod", f"Choose one of {', '.join(ExpensePayment.values)}.")
    supplier_row = supplier_get(company, supplier) if supplier not in (None, "") else None
    if payment_method == ExpensePayment.CREDIT and supplier_row is None:
        errors.add("supplierId", "An expense on credit is owed to a supplier: name it.")
    tax_row = row(Tax, company, tax)
    if tax_row is False or (tax_row and not tax_row.is_active):
        errors.add("taxId", "Unknown tax: no such active tax in this company.")
    account = _expense_account(company, expense_account, errors)
    paid_from = _payment_account(company, payment_method, payment_account, errors)
    stored = optional(StoredFile, company, receipt_file, "receiptFileId", errors)
    branch_row = optional(Branch, company, branch, "branch", errors)
    day = parse_date(date, errors, default=dt.date.today())
    errors.raise_if_any()
    rate = tax_row.rate if tax_row else Decimal(0)
    amounts = line_amounts(quantity=1, unit_price=value, discount_percent=0, rate=rate)
    expense = Expense.objects.create(
        company=company, date=day, supplier=supplier_row, branch=branch_row,
        description=text, currency=(currency or (supplier_row.currency if supplier_row
                                                 else company.base_currency)).upper(),
        expense_account=account, amount=amounts.base, tax=tax_row or None, tax_rate=rate,
        tax_amount=amounts.tax, total=amounts.total, payment_method=payment_method,
        payment_account=paid_from, receipt_file=stored, created_by=actor)
    audit_create(actor=actor, company_id=company.pk, obj=expense, operation="expense_create")
    return expense


def expense_post(*, company, actor, expense, idempotency_key=None) -> Result:
    """Post the expense (``issue``): debit the expense account and ITBMS receivable,
    credit the payment account or, on credit, PAYABLE with the supplier as partner."""
    return document_transition(company=company, actor=actor, document=expense,
                               action="issue", idempotency_key=idempotency_key)


