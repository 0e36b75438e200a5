"""Opening balances from CSV or XLSX into ONE opening entry (seed 001 "Opening Balance":
``process_status`` new → processing → final / error).

Columns (header row first): ``account_code, debit, credit`` and optionally
``partner_type`` (client/supplier), ``partner_ref``, ``branch`` (branch code).

Every row is checked and every problem recorded (row number as in the spreadsheet, column,
message). A file with any problem, or whose debits and credits differ (never plugged
silently), ends in ``error`` with its errors and writes nothing else; a good file posts one
balanced entry in the OPENING journal and ends in ``final``. Processing runs as a Celery
task (eager by default) and is idempotent: an import already final or in error is left as
it is, and the entry carries the idempotency key ``opening:<import id>``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cuadra.core.audit import audit_create, audit_record
from cuadra.core.errors import DomainError, NotFound, ValidationError
from cuadra.core.events import publish_on_commit
from cuadra.core.models import AuditAction
from cuadra.core.money import MONEY_PLACES, ZERO
from cuadra.ledger.enums import JournalKind
from cuadra.ledger.models import (
    Account,
    ImportStatus,
    Journal,
    OpeningBalanceImport,
    OpeningBalanceRowError,
)
from cuadra.ledger.services.chart_io import UnreadableFile, table_read
from cuadra.ledger.services.periods import fiscal_year_start
from cuadra.ledger.services.posting import journal_entry_post
from cuadra.tenancy.models import Branch

OPENING_SOURCE = "ledger.OpeningBalanceImport"
REQUIRED_COLUMNS = ("account_code", "debit", "credit")
PARTNER_TYPES = ("client", "supplier")

# process_status transitions are data (DESIGN.md convention 3)
TRANSITIONS = {ImportStatus.NEW: {ImportStatus.PROCESSING},
               ImportStatus.PROCESSING: {ImportStatus.FINAL, ImportStatus.ERROR},
               ImportStatus.FINAL: set(), ImportStatus.ERROR: set()}


@dataclass
class _Problems:
    items: list[tuple[int | None, str, str]] = field(default_factory=list)

    def add(self, row: int | None, column: str, message: str) -> None:
        self.items.append((row, column, message[:300]))


# --- submitting ----------------------------------------------------------------------------

@transaction.atomic
def opening_balance_import_create(*, company, actor, file_name: str, content: bytes,
                                  date: dt.date | None = None,
                                  idempotency_key: str | None = None) -> OpeningBalanceImport:
    """Record the upload (status new) and queue its processing. In eager mode (no broker)
    the task runs right here, so the import comes back final or error."""
    if idempotency_key:
        earlier = OpeningBalanceImport.objects.filter(company=company,
                                                      idempotency_key=idempotency_key).first()
        if earlier is not None:
            return earlier
    if not (file_name or "").strip():
        raise ValidationError("Name the file (.csv or .xlsx).", field="fileName")
    day = date or fiscal_year_start(company=company, date=timezone.localdate())
    record = OpeningBalanceImport.objects.create(
        company=company, file_name=file_name.strip()[:200], content=bytes(content), date=day,
        idempotency_key=idempotency_key or "",
        created_by=actor if getattr(actor, "pk", None) else None)
    audit_create(actor=actor, company_id=company.pk, obj=record,
                 operation="opening_balance_import_create")
    _queue(record.pk)
    record.refresh_from_db()
    return record


def _queue(import_id: int) -> None:
    from cuadra.ledger.tasks import opening_balances_process

    if settings.CELERY_TASK_ALWAYS_EAGER:
        opening_balances_process.delay(import_id)  # in-process, inside this transaction
    else:  # a worker must see the committed row
        publish_on_commit(opening_balances_process.delay, import_id)


def opening_balance_import_get(*, company, import_id) -> OpeningBalanceImport:
    record = OpeningBalanceImport.objects.filter(company=company, pk=import_id).first() \
        if str(import_id).isdigit() else None
    if record is None:
        raise NotFound("No such opening balance import.", field="id")
    return record


# --- processing ----------------------------------------------------------------------------

def _move(record: OpeningBalanceImport, to: str, **fields) -> None:
    source = record.process_status
    if to not in TRANSITIONS[source]:
        raise DomainError(f"Import {record.pk} cannot go from {source} to {to}.",
                          code="INVALID_TRANSITION", field="processStatus")
    updated = OpeningBalanceImport.objects.filter(pk=record.pk, process_status=source).update(
        process_status=to, updated_at=timezone.now(), **fields)
    if updated != 1:
        raise DomainError("The import changed while it was processed.",
                          code="INVALID_TRANSITION", field="processStatus")
    record.refresh_from_db()
    audit_record(action=AuditAction.TRANSITION, actor=record.created_by,
                 company_id=record.company_id, obj=record,
                 operation="opening_balance_import_process",
                 changes={"process_status": [source, to]})


def _amount(problems: _Problems, row: int, column: str, text: str) -> Decimal:
    if not text:
        return ZERO
    if "," in text:
        if "." not in text:  # "1,5" or "1,000": ambiguous, so ask instead of guessing
            problems.add(row, column, f"'{text}': use a point for decimals, no separators.")
            return ZERO
        # both: the last one is the decimal separator ("1,234.56" or "1.234,56")
        text = text.replace(",", "") if text.rfind(".") > text.rfind(",") else \
            text.replace(".", "").replace(",", ".")
    try:
        value = Decimal(text.replace(" ", ""))
    except InvalidOperation:
        problems.add(row, column, f"'{text}' is not a number.")
        return ZERO
    if not value.is_finite() or value < 0:
        problems.add(row, column, "Use a positive amount (or leave it empty).")
    elif value.as_tuple().exponent < -MONEY_PLACES:
        problems.add(row, column, f"At most {MONEY_PLACES} decimal places.")
    else:
        return value
    return ZERO


def _check_account(problems, row, code, accounts) -> Account | None:
    account = accounts.get(code)
    if not code:
        problems.add(row, "account_code", "Give the account code.")
    elif account is None:
        problems.add(row, "account_code", f"No account {code} in this company.")
    elif account.is_group:
        problems.add(row, "account_code", f"Account {code} is a group; use a sub-account.")
    elif not account.is_active:
        problems.add(row, "account_code", f"Account {code} is inactive.")
    else:
        return account
    return None


def _partner(problems, row, data) -> str:
    kind = data.get("partner_type", "").strip().lower()
    ref = data.get("partner_ref", "").strip()
    if kind and kind not in PARTNER_TYPES:
        problems.add(row, "partner_type", "Use client or supplier (or leave it empty).")
    elif kind and not ref:
        problems.add(row, "partner_ref", f"A {kind} row needs the partner reference.")
    elif ref and not kind:
        problems.add(row, "partner_type", "Say whether the partner is a client or supplier.")
    elif len(ref) > 50:
        problems.add(row, "partner_ref", "At most 50 characters.")
    return f"{kind}:{ref}" if kind and ref else ""


def _lines(company, table, problems: _Problems) -> list[dict]:
    accounts = {a.code: a for a in Account.objects.filter(company=company)}
    branches = {b.code: b for b in Branch.objects.filter(company=company)}
    lines = []
    for row, data in table:
        code = data.get("account_code", "").strip()
        account = _check_account(problems, row, code, accounts)
        debit = _amount(problems, row, "debit", data.get("debit", "").strip())
        credit = _amount(problems, row, "credit", data.get("credit", "").strip())
        if (debit == 0) == (credit == 0):
            problems.add(row, "debit", "A row has either a debit or a credit.")
        branch_code = data.get("branch", "").strip()
        if branch_code and branch_code not in branches:
            problems.add(row, "branch", f"No branch {branch_code} in this company.")
        partner = _partner(problems, row, data)
        if account is not None:
            lines.append({"account": account.pk, "debit": debit or None,
                          "credit": credit or None, "partner": partner,
                          "branch": branches[branch_code].pk if branch_code in branches
                          else None, "label": f"Saldo inicial (fila {row})"})
    return lines


def _validate(company, record: OpeningBalanceImport, problems: _Problems) -> list[dict]:
    try:
        header, table = table_read(record.file_name, bytes(record.content))
    except UnreadableFile as exc:
        problems.add(None, "file", str(exc))
        return []
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        problems.add(1, ", ".join(missing), "Missing column(s); the header row must name "
                                            "account_code, debit and credit.")
        return []
    if not table:
        problems.add(None, "file", "The file has no balances.")
    lines = _lines(company, table, problems)
    debit = sum((li["debit"] or ZERO for li in lines), ZERO)
    credit = sum((li["credit"] or ZERO for li in lines), ZERO)
    record.rows, record.total_debit, record.total_credit = len(table), debit, credit
    if not problems.items and debit != credit:
        problems.add(None, "credit", f"Debits {debit} and credits {credit} differ by "
                                     f"{debit - credit}; the opening entry must balance.")
    return lines


def _fail(record, problems: _Problems) -> None:
    OpeningBalanceRowError.objects.bulk_create([
        OpeningBalanceRowError(company_id=record.company_id, opening_import=record, row=row,
                               column=column, message=message)
        for row, column, message in problems.items])
    _move(record, ImportStatus.ERROR, rows=record.rows, total_debit=record.total_debit,
          total_credit=record.total_credit)


def _opening_journal(company) -> Journal | None:
    return Journal.objects.filter(company=company, kind=JournalKind.OPENING,
                                  is_active=True).order_by("code").first()


def _post(record: OpeningBalanceImport, lines: list[dict], problems: _Problems):
    journal = _opening_journal(record.company)
    if journal is None:
        problems.add(None, "file", "The company has no active OPENING journal.")
        return None
    try:
        with transaction.atomic():  # a refused post leaves nothing behind
            return journal_entry_post(
                company=record.company, actor=record.created_by,
                idempotency_key=f"opening:{record.pk}", journal=journal.pk, date=record.date,
                reference=f"APERTURA {record.file_name}"[:100],
                memo=f"Saldos iniciales importados de {record.file_name}",
                source_type=OPENING_SOURCE, source_id=str(record.pk), lines=lines)
    except DomainError as error:
        problems.add(None, error.field or "file", f"{error.code}: {error.message}")
        return None


@transaction.atomic
def opening_balance_import_process(*, import_id: int) -> OpeningBalanceImport:
    """new → processing → final (one posted entry) or error (row errors, nothing else)."""
    record = OpeningBalanceImport.objects.select_for_update().filter(pk=import_id).first()
    if record is None:
        raise NotFound("No such opening balance import.", field="id")
    if record.process_status in (ImportStatus.FINAL, ImportStatus.ERROR):
        return record  # already processed: a repeated task does nothing
    if record.process_status == ImportStatus.NEW:
        _move(record, ImportStatus.PROCESSING)
    problems = _Problems()
    lines = _validate(record.company, record, problems)
    entry = None if problems.items else _post(record, lines, problems)
    if entry is None:
        _fail(record, problems)
    else:
        _move(record, ImportStatus.FINAL, entry=entry, rows=record.rows,
              total_debit=record.total_debit, total_credit=record.total_credit)
    return record
