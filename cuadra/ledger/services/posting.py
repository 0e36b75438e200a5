"""The single writer of the books (DESIGN.md invariants 2-5).

``journal_entry_post`` and ``journal_entries_post`` are the only way a posted entry comes
to exist. In one transaction they: lock the company's chain head (posts serialise per
company, never across companies), check each entry (balanced, postable accounts of this
company, a postable period), take the legal number, insert entries and lines in bulk,
append the hash-chain links, upsert the balance rollups and write audit rows. Any refusal
raises before the transaction commits, so a refused post writes nothing.

Manual drafts (create/update/delete) and reversals live here too: they are the only other
code that creates ``JournalLine`` rows (a meta-test greps for it).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Context, Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from cuadra.core.audit import audit_create, audit_delete, audit_record, audit_update, snapshot
from cuadra.core.errors import (
    DomainError,
    ErrorCode,
    ErrorCollector,
    InvalidTransition,
    NotFound,
    ValidationError,
)
from cuadra.core.models import AuditAction
from cuadra.core.money import MONEY_DIGITS, MONEY_PLACES, ZERO, to_decimal
from cuadra.ledger import chain
from cuadra.ledger.enums import CANONICAL_VERSION, GENESIS_HASH, EntryState
from cuadra.ledger.exact import exact
from cuadra.ledger.models import (
    RATE_PLACES,
    Account,
    AccountBalance,
    ExchangeRate,
    Journal,
    JournalEntry,
    JournalLine,
    LedgerAuditLog,
    LedgerChainHead,
    Period,
)
from cuadra.ledger.services.periods import period_check_postable, period_for_date
from cuadra.tenancy.models import Branch

JOURNAL_DOCUMENT_TYPE = "JOURNAL"
_WIDE = Context(prec=MONEY_DIGITS * 3)
_MONEY_QUANTUM = Decimal(1).scaleb(-MONEY_PLACES)
_MAX_MONEY = Decimal(10) ** (MONEY_DIGITS - MONEY_PLACES)


class UnbalancedEntry(DomainError):
    code = ErrorCode.UNBALANCED_ENTRY


# --- input ---------------------------------------------------------------------------------

@dataclass
class _Prepared:
    entry: JournalEntry
    lines: list[JournalLine]
    is_draft: bool
    idempotency_key: str = ""
    period: Period | None = None
    field_prefix: str = ""
    before: dict = field(default_factory=dict)


def _money(errors: ErrorCollector, path: str, value) -> Decimal:
    if value in (None, ""):
        return ZERO
    try:
        amount = to_decimal(value)
    except TypeError:
        errors.add(path, "Money is never a float: send a decimal string.")
        return ZERO
    except (ValueError, InvalidOperation):
        errors.add(path, "Not a decimal number.")
        return ZERO
    if not amount.is_finite() or amount < 0:
        errors.add(path, "Use a positive amount (debit or credit, not a negative).")
    elif amount.as_tuple().exponent < -MONEY_PLACES:
        errors.add(path, f"At most {MONEY_PLACES} decimal places.")
    elif amount >= _MAX_MONEY:
        errors.add(path, "The amount is too large.")
    else:
        return amount
    return ZERO


def _company_amount(amount: Decimal, rate: Decimal) -> Decimal:
    if rate == 1:
        return amount
    return (amount * rate).quantize(_MONEY_QUANTUM, rounding=ROUND_HALF_EVEN, context=_WIDE)


def _key(value):
    """Rows are named by instance or int id; a string names a code (account codes are
    digits, so a string is never taken for an id)."""
    if hasattr(value, "pk"):
        return ("pk", value.pk)
    return ("pk", value) if isinstance(value, int) else ("code", str(value))


# Rows looked up during one batch: a batch of N entries resolves its journals, accounts
# and branches in one query per model instead of N (see _post).
_batch_rows: ContextVar[dict | None] = ContextVar("ledger_batch_rows", default=None)


def _by_id(model, company, values, *, code_field: str | None = None) -> dict:
    """Rows of this company named by the values; foreign ones are left out."""
    keys = {_key(v) for v in values if v not in (None, "")}
    cache = _batch_rows.get()
    found = {k: cache[(model, k)] for k in keys if (model, k) in cache} if cache else {}
    pks = [k for kind, k in keys - set(found) if kind == "pk"]
    if pks:
        found.update({("pk", o.pk): o for o in model.objects.filter(company=company,
                                                                    pk__in=pks)})
    codes = [k for kind, k in keys - set(found) if kind == "code"]
    if code_field and codes:
        found.update({("code", getattr(o, code_field)): o for o in model.objects.filter(
            company=company, **{f"{code_field}__in": codes})})
    if cache is not None:
        cache.update({(model, k): o for k, o in found.items()})
    return found


def _prefetch(company, items) -> None:
    datas = [d for _, _, d in items if isinstance(d, dict)]
    lines = [li for d in datas for li in d.get("lines") or []]
    _by_id(Journal, company, [d.get("journal") for d in datas], code_field="code")
    _by_id(Account, company, [li.get("account") for li in lines], code_field="code")
    _by_id(Branch, company, [li.get("branch") for li in lines], code_field="code")


def _lookup(found: dict, value, model_name: str, path: str):
    if value in (None, ""):
        return None
    obj = found.get(_key(value))
    if obj is None:
        raise NotFound(f"No such {model_name} in this company.", field=path)
    return obj


def _resolve_rate(company, errors, *, currency: str, date, given, prefix: str) -> Decimal:
    if currency == company.base_currency:
        return Decimal(1)
    if given not in (None, ""):
        rate = _money(errors, f"{prefix}exchangeRate", given)
        if rate == 0:
            errors.add(f"{prefix}exchangeRate", "The exchange rate must be positive.")
        elif rate.as_tuple().exponent < -RATE_PLACES:
            errors.add(f"{prefix}exchangeRate", f"At most {RATE_PLACES} decimal places.")
        return rate or Decimal(1)
    row = (ExchangeRate.objects.filter(company=company, currency=currency, date__lte=date)
           .order_by("-date").first()) if date else None
    if row is None:
        errors.add(f"{prefix}currency", f"No exchange rate for {currency} on or before "
                                        f"{date}.")
        return Decimal(1)
    return row.rate


def _build_header(company, actor, data: dict, errors: ErrorCollector,
                  prefix: str) -> JournalEntry:
    journal = data.get("journal")
    journals = _by_id(Journal, company, [journal], code_field="code")
    journal_obj = _lookup(journals, journal, "journal", f"{prefix}journal")
    if journal_obj is None:
        errors.add(f"{prefix}journal", "Choose a journal.")
    elif not journal_obj.is_active:
        errors.add(f"{prefix}journal", f"Journal {journal_obj.code} is inactive.")
    date = data.get("date")
    if isinstance(date, str):
        try:
            date = dt.date.fromisoformat(date)
        except ValueError:
            errors.add(f"{prefix}date", "Use an ISO date, e.g. 2025-01-31.")
            date = None
    if not isinstance(date, dt.date):
        errors.add(f"{prefix}date", "An entry needs a date.")
        date = None
    currency = (data.get("currency") or company.base_currency).upper()
    if len(currency) != 3 or not currency.isalpha():
        errors.add(f"{prefix}currency", "Use a three-letter ISO 4217 code.")
    rate = _resolve_rate(company, errors, currency=currency, date=date,
                         given=data.get("exchange_rate"), prefix=prefix)
    return JournalEntry(
        company=company, journal=journal_obj, date=date, currency=currency,
        exchange_rate=rate, reference=(data.get("reference") or "")[:100],
        memo=data.get("memo") or "", source_type=data.get("source_type") or "",
        source_id=str(data.get("source_id") or ""), created_by=_user(actor),
        reversal_of=data.get("reversal_of"))


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


def _build_lines(company, entry: JournalEntry, lines_data: list[dict],
                 errors: ErrorCollector, prefix: str) -> list[JournalLine]:
    accounts = _by_id(Account, company, [d.get("account") for d in lines_data],
                      code_field="code")
    branches = _by_id(Branch, company, [d.get("branch") for d in lines_data],
                      code_field="code")
    lines = []
    for i, data in enumerate(lines_data):
        path = f"{prefix}lines[{i}]"
        account = _lookup(accounts, data.get("account"), "account", f"{path}.account")
        if account is None:
            errors.add(f"{path}.account", "Choose an account.")
        elif account.is_group:
            errors.add(f"{path}.account", f"Account {account.code} is a group; "
                                          "post to one of its sub-accounts.")
        bad_before = len(errors.errors)
        debit = _money(errors, f"{path}.debit", data.get("debit"))
        credit = _money(errors, f"{path}.credit", data.get("credit"))
        if len(errors.errors) == bad_before and (debit == 0) == (credit == 0):
            errors.add(f"{path}.debit", "A line has either a debit or a credit.")
        rate = entry.exchange_rate
        lines.append(JournalLine(
            company=company, entry=entry, line_no=i + 1, account=account,
            label=(data.get("label") or "")[:200],
            debit=_company_amount(debit, rate), credit=_company_amount(credit, rate),
            currency=entry.currency, amount_currency=debit - credit, exchange_rate=rate,
            partner=str(data.get("partner") or "")[:64], due_date=data.get("due_date"),
            branch=_lookup(branches, data.get("branch"), "branch", f"{path}.branch"),
            cost_center=(data.get("cost_center") or "")[:32],
            project=(data.get("project") or "")[:32]))
    return lines


def _check_postable(entry: JournalEntry, lines: list[JournalLine], errors: ErrorCollector,
                    prefix: str) -> None:
    """What posting demands beyond a valid draft: lines, live accounts, balance."""
    if not lines:
        errors.add(f"{prefix}lines", "An entry needs lines before it is posted.")
    for i, line in enumerate(lines):
        account = line.account
        path = f"{prefix}lines[{i}].account"
        if account.company_id != entry.company_id:
            raise NotFound("No such account in this company.", field=path)
        if account.is_group:
            errors.add(path, f"Account {account.code} is a group.")
        if not account.is_active:
            errors.add(path, f"Account {account.code} is inactive.")
        if account.currency and account.currency != line.currency:
            errors.add(path, f"Account {account.code} takes only {account.currency}.")
    errors.raise_if_any()
    in_currency = sum((line.amount_currency for line in lines), ZERO)
    debit = sum((line.debit for line in lines), ZERO)
    credit = sum((line.credit for line in lines), ZERO)
    if in_currency != 0 or debit != credit:
        raise UnbalancedEntry(f"Debits {debit} and credits {credit} differ by "
                              f"{debit - credit}.", field=f"{prefix}lines")


def _prepare_new(company, actor, data: dict, prefix: str) -> _Prepared:
    errors = ErrorCollector()
    entry = _build_header(company, actor, data, errors, prefix)
    lines = _build_lines(company, entry, list(data.get("lines") or []), errors, prefix)
    errors.raise_if_any()
    _check_postable(entry, lines, errors, prefix)
    return _Prepared(entry=entry, lines=lines, is_draft=False, field_prefix=prefix,
                     idempotency_key=str(data.get("idempotency_key") or ""))


def _prepare_draft(company, entry: JournalEntry, key: str, prefix: str) -> _Prepared:
    locked = JournalEntry.objects.select_for_update().filter(company=company,
                                                             pk=entry.pk).first()
    if locked is None:
        raise NotFound("No such journal entry.", field=f"{prefix}id")
    if locked.state != EntryState.DRAFT:
        raise InvalidTransition(f"Entry {locked.number} is already posted.",
                                field=f"{prefix}id")
    lines = list(locked.lines.select_related("account").order_by("line_no"))
    _check_postable(locked, lines, ErrorCollector(), prefix)
    return _Prepared(entry=locked, lines=lines, is_draft=True, idempotency_key=key,
                     field_prefix=prefix, before=snapshot(locked))


# --- the chain -----------------------------------------------------------------------------

def chain_head_lock(*, company) -> LedgerChainHead:
    head = LedgerChainHead.objects.select_for_update().filter(company=company).first()
    if head is None:
        LedgerChainHead.objects.get_or_create(company=company,
                                              defaults={"hash": GENESIS_HASH})
        head = LedgerChainHead.objects.select_for_update().get(company=company)
    return head


def _links(head: LedgerChainHead, posted: list[_Prepared]) -> list[LedgerAuditLog]:
    links = []
    for p in posted:
        text = chain.canonical(p.entry, p.lines, CANONICAL_VERSION)
        digest = chain.link_hash(head.hash, text)
        links.append(LedgerAuditLog(company_id=head.company_id, seq=p.entry.chain_seq,
                                    entry=p.entry, entry_number=p.entry.number,
                                    version=CANONICAL_VERSION, prev_hash=head.hash,
                                    hash=digest, canonical=text))
        head.hash = digest
        head.seq = p.entry.chain_seq
    return links


# --- rollups -------------------------------------------------------------------------------

_ROLLUP_KEY = ["company", "account", "period", "branch_key", "cost_center", "project"]


def _rollup_deltas(posted: list[_Prepared]) -> dict[tuple, list[Decimal]]:
    deltas: dict[tuple, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    for p in posted:
        period_id = p.period.pk
        for line in p.lines:
            pair = deltas[(line.account_id, period_id, line.branch_id or 0, line.cost_center,
                           line.project)]
            pair[0] += line.debit
            pair[1] += line.credit
    return deltas


def _rollups_apply(company, posted: list[_Prepared]) -> None:
    """One row per (account, period, branch, cost centre, project) touched: read the
    touched rows locked, add in Python (exact Decimal), write them all back with one
    upsert. The chain head lock already serialises writers of this company, so nobody
    changes a row between the read and the upsert."""
    deltas = _rollup_deltas(posted)
    existing = {(b.account_id, b.period_id, b.branch_key, b.cost_center, b.project): b
                for b in (AccountBalance.objects.select_for_update()
                          .filter(company=company, period_id__in={k[1] for k in deltas},
                                  account_id__in={k[0] for k in deltas})
                          .only("account_id", "period_id", "branch_key", "cost_center",
                                "project", "debit", "credit"))}
    now = timezone.now()
    rows = []
    for key, (debit, credit) in deltas.items():
        row = existing.get(key)
        if row is not None:
            debit, credit = row.debit + debit, row.credit + credit
        rows.append(AccountBalance(
            company=company, account_id=key[0], period_id=key[1], branch_id=key[2] or None,
            branch_key=key[2], cost_center=key[3], project=key[4], debit=debit,
            credit=credit, created_at=now, updated_at=now))
    AccountBalance.objects.bulk_create(rows, batch_size=500, update_conflicts=True,
                                       unique_fields=_ROLLUP_KEY,
                                       update_fields=["debit", "credit", "updated_at"])


# --- posting -------------------------------------------------------------------------------

def _period(company, date) -> Period:
    cache = _batch_rows.get()
    periods = cache.setdefault("periods", []) if cache is not None else []
    for period in periods:
        if period.start <= date <= period.end:
            return period
    period = period_for_date(company=company, date=date, lock=True)
    periods.append(period)
    return period


def _assign_legal_fields(company, actor, head, p: _Prepared, now, operation: str) -> None:
    """Everything but the number, which the whole batch takes at once (_assign_numbers)."""
    p.period = _period(company, p.entry.date)
    period_check_postable(company=company, actor=actor, period=p.period,
                          operation=operation)
    entry = p.entry
    entry.state = EntryState.POSTED
    entry.posted_at = now
    entry.posted_by = _user(actor)
    entry.idempotency_key = p.idempotency_key
    entry.chain_seq = head.seq + 1
    head.seq += 1


def _assign_numbers(company, posted: list[_Prepared]) -> None:
    from cuadra.sequences.services import sequence_next_many

    try:
        numbers = sequence_next_many(
            company=company, document_type=JOURNAL_DOCUMENT_TYPE,
            dates=[p.entry.date for p in posted], object_type="ledger.JournalEntry",
            object_ids=[p.entry.pk or "" for p in posted])
    except ValidationError as error:
        # name the entry whose date broke the series' chronology
        index = error.field[len("dates["):-1] if (error.field or "").startswith("dates[") \
            else None
        if index is None:
            raise
        raise ValidationError(error.errors[0].message,
                              field=f"{posted[int(index)].field_prefix}date") from None
    for p, number in zip(posted, numbers, strict=True):
        p.entry.number = number


def _audit(company, actor, posted: list[_Prepared], operation: str, single: bool) -> None:
    """A single post audits its entry; a batch writes one row listing its entries, so a
    100,000-entry import does not write 100,000 audit rows."""
    if single:
        p = posted[0]
        audit_record(action=AuditAction.TRANSITION if p.is_draft else AuditAction.CREATE,
                     actor=actor, company_id=company.pk, obj=p.entry, operation=operation,
                     changes={"state": [EntryState.DRAFT if p.is_draft else None,
                                        EntryState.POSTED],
                              "number": [None, p.entry.number],
                              "lines": [None, len(p.lines)]})
        return
    audit_record(action=AuditAction.CREATE, actor=actor, company_id=company.pk,
                 object_type="ledger.JournalEntry", operation=operation,
                 changes={"entries": [None, [p.entry.pk for p in posted]],
                          "numbers": [None, [posted[0].entry.number, posted[-1].entry.number]],
                          "drafts_posted": [None, [p.entry.pk for p in posted if p.is_draft]],
                          "lines": [None, sum(len(p.lines) for p in posted)]})


def _write(company, actor, head, posted: list[_Prepared], operation: str,
           single: bool) -> None:
    new = [p for p in posted if not p.is_draft]
    JournalEntry.objects.bulk_create([p.entry for p in new], batch_size=1000)
    for p in posted:
        if p.is_draft:
            p.entry.save(update_fields=["number", "state", "posted_at", "posted_by",
                                        "idempotency_key", "chain_seq", "updated_at"])
        for line in p.lines:
            line.entry = p.entry  # bulk_create filled the new entry's id
    JournalLine.objects.bulk_create([line for p in new for line in p.lines], batch_size=1000)
    LedgerAuditLog.objects.bulk_create(_links(head, posted), batch_size=1000)
    head.save(update_fields=["seq", "hash"])
    _rollups_apply(company, posted)
    _audit(company, actor, posted, operation, single)


def _post(company, actor, items: list, operation: str) -> list[JournalEntry]:
    """``items``: (prefix, key, draft entry or data dict). Head lock first, always."""
    token = _batch_rows.set({})
    try:
        return _post_locked(company, actor, items, operation)
    finally:
        _batch_rows.reset(token)


def _post_locked(company, actor, items: list, operation: str) -> list[JournalEntry]:
    head = chain_head_lock(company=company)
    if len(items) > 1:
        _prefetch(company, items)
    keys = [key for _, key, _ in items if key]
    seen = {e.idempotency_key: e for e in JournalEntry.objects.filter(
        company=company, idempotency_key__in=keys)} if keys else {}
    results: list[JournalEntry | _Prepared] = []
    posted: list[_Prepared] = []
    now = timezone.now()
    for prefix, key, item in items:
        if key and key in seen:
            results.append(seen[key])  # a retry: the first result, nothing new written
            continue
        p = (_prepare_draft(company, item, key, prefix) if isinstance(item, JournalEntry)
             else _prepare_new(company, actor, {**item, "idempotency_key": key}, prefix))
        _assign_legal_fields(company, actor, head, p, now, operation)
        posted.append(p)
        results.append(p.entry)
        if key:
            seen[key] = p.entry
    if posted:
        _assign_numbers(company, posted)
        _write(company, actor, head, posted, operation, single=operation ==
               "journal_entry_post")
    return results


@exact
@transaction.atomic
def journal_entry_post(*, company, actor, entry: JournalEntry | None = None,
                       idempotency_key: str | None = None, **data) -> JournalEntry:
    """Post a draft (``entry=``) or a new entry from data (``journal``, ``date``,
    ``lines=[{account, debit, credit, ...}]``, ``reference``, ``memo``, ``currency``,
    ``exchange_rate``, ``source_type``, ``source_id``)."""
    item = entry if entry is not None else data
    return _post(company, actor, [("", idempotency_key or "", item)], "journal_entry_post")[0]


@exact
@transaction.atomic
def journal_entries_post(*, company, actor, entries: list) -> list[JournalEntry]:
    """All or nothing: the first refusal (its field prefixed ``entries[i].``) rolls the
    whole batch back. Each item is a data dict (optionally with ``idempotency_key``) or a
    draft JournalEntry."""
    items = []
    for i, item in enumerate(entries):
        key = "" if isinstance(item, JournalEntry) else str(item.get("idempotency_key") or "")
        data = item if isinstance(item, JournalEntry) else \
            {k: v for k, v in item.items() if k != "idempotency_key"}
        items.append((f"entries[{i}].", key, data))
    return _post(company, actor, items, "journal_entries_post")


# --- drafts --------------------------------------------------------------------------------

def _draft_lines(company, entry, lines_data, errors) -> list[JournalLine]:
    return _build_lines(company, entry, list(lines_data or []), errors, "")


@exact
@transaction.atomic
def journal_entry_create(*, company, actor, **data) -> JournalEntry:
    """A draft: no number, no balance check yet (posting checks everything)."""
    errors = ErrorCollector()
    entry = _build_header(company, actor, data, errors, "")
    lines = _draft_lines(company, entry, data.get("lines"), errors)
    errors.raise_if_any()
    entry.save()
    for line in lines:
        line.entry = entry
    JournalLine.objects.bulk_create(lines)
    audit_create(actor=actor, company_id=company.pk, obj=entry,
                 operation="journal_entry_create")
    return entry


def journal_entry_get(*, company, entry_id, lock: bool = False) -> JournalEntry:
    qs = JournalEntry.objects.filter(company=company)
    entry = (qs.select_for_update() if lock else qs).filter(pk=entry_id).first() \
        if str(entry_id).isdigit() else None
    if entry is None:
        raise NotFound("No such journal entry.", field="id")
    return entry


def _locked_draft(company, entry) -> JournalEntry:
    locked = journal_entry_get(company=company, entry_id=entry.pk, lock=True)
    if locked.state != EntryState.DRAFT:
        raise InvalidTransition(f"Entry {locked.number} is posted; reverse it instead.",
                                field="id")
    return locked


_HEADER_FIELDS = ("journal", "date", "reference", "memo", "currency", "exchange_rate",
                  "source_type", "source_id")


@exact
@transaction.atomic
def journal_entry_update(*, company, actor, entry: JournalEntry, **changes) -> JournalEntry:
    """Change a draft's header and/or replace its lines (``lines=[...]``)."""
    locked = _locked_draft(company, entry)
    before = snapshot(locked)
    current = {"journal": locked.journal_id, "date": locked.date, "reference": locked.reference,
               "memo": locked.memo, "currency": locked.currency,
               "exchange_rate": locked.exchange_rate if locked.currency != company.base_currency
               else None, "source_type": locked.source_type, "source_id": locked.source_id}
    current.update({k: v for k, v in changes.items() if k in _HEADER_FIELDS})
    errors = ErrorCollector()
    header = _build_header(company, actor, current, errors, "")
    lines_data = changes.get("lines")
    if lines_data is None:  # keep the lines, re-priced at the (possibly new) rate
        lines_data = [{"account": li.account_id, "label": li.label,
                       "debit": li.amount_currency if li.amount_currency > 0 else None,
                       "credit": -li.amount_currency if li.amount_currency < 0 else None,
                       "partner": li.partner, "due_date": li.due_date, "branch": li.branch_id,
                       "cost_center": li.cost_center, "project": li.project}
                      for li in locked.lines.order_by("line_no")]
    lines = _draft_lines(company, header, lines_data, errors)
    errors.raise_if_any()
    for name in _HEADER_FIELDS:
        setattr(locked, name, getattr(header, name))
    locked.save()
    JournalLine.objects.filter(entry=locked).delete()
    for line in lines:
        line.entry = locked
    JournalLine.objects.bulk_create(lines)
    audit_update(actor=actor, company_id=company.pk, obj=locked, before=before,
                 operation="journal_entry_update")
    return locked


@transaction.atomic
def journal_entry_delete(*, company, actor, entry: JournalEntry) -> None:
    """Only a never-posted draft; a posted entry is reversed, never deleted."""
    locked = _locked_draft(company, entry)
    audit_delete(actor=actor, company_id=company.pk, obj=locked,
                 operation="journal_entry_delete")
    JournalLine.objects.filter(entry=locked).delete()
    locked.delete()


@exact
@transaction.atomic
def journal_entry_reverse(*, company, actor, entry: JournalEntry, date: dt.date | None = None,
                          memo: str | None = None,
                          idempotency_key: str | None = None) -> JournalEntry:
    """A new posted entry with debits and credits swapped, linked to the original. Its
    date (today by default) must fall in a postable period."""
    original = journal_entry_get(company=company, entry_id=entry.pk)
    if idempotency_key and JournalEntry.objects.filter(
            company=company, idempotency_key=idempotency_key).exists():
        return journal_entry_post(company=company, actor=actor,
                                  idempotency_key=idempotency_key)
    if original.state != EntryState.POSTED:
        raise InvalidTransition("Only a posted entry is reversed; delete a draft.", field="id")
    if JournalEntry.objects.filter(reversal_of=original).exists():
        raise InvalidTransition(f"Entry {original.number} is already reversed.", field="id")
    lines = [{"account": li.account_id, "label": li.label,
              "debit": -li.amount_currency if li.amount_currency < 0 else None,
              "credit": li.amount_currency if li.amount_currency > 0 else None,
              "partner": li.partner, "due_date": li.due_date, "branch": li.branch_id,
              "cost_center": li.cost_center, "project": li.project}
             for li in original.lines.order_by("line_no")]
    return journal_entry_post(
        company=company, actor=actor, idempotency_key=idempotency_key,
        journal=original.journal_id, date=date or timezone.localdate(),
        currency=original.currency,
        exchange_rate=original.exchange_rate if original.currency != company.base_currency
        else None,
        reference=f"REV {original.number}"[:100],
        memo=memo if memo is not None else f"Reversal of {original.number}",
        source_type="ledger.JournalEntry", source_id=str(original.pk),
        reversal_of=original, lines=lines)
