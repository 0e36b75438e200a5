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

from django.db import connection, transaction
from django.utils import timezone

from cuadra.core.audit import audit_create, audit_delete, audit_update, snapshot
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
from cuadra.ledger.enums import CANONICAL_VERSION, GENESIS_HASH, EntryState, PeriodState
from cuadra.ledger.exact import exact
from cuadra.ledger.models import (
    RATE_PLACES,
    Account,
    ExchangeRate,
    Journal,
    JournalEntry,
    JournalLine,
    LedgerChainHead,
    Period,
)
from cuadra.ledger.services import fastwrite
from cuadra.ledger.services.periods import period_check_postable, period_for_date
from cuadra.tenancy.models import Branch

JOURNAL_DOCUMENT_TYPE = "JOURNAL"
_WIDE = Context(prec=MONEY_DIGITS * 3)
_MONEY_QUANTUM = Decimal(1).scaleb(-MONEY_PLACES)
_MAX_MONEY = Decimal(10) ** (MONEY_DIGITS - MONEY_PLACES)


class UnbalancedEntry(DomainError):
    code = ErrorCode.UNBALANCED_ENTRY


# --- input ---------------------------------------------------------------------------------
# Posting works on plain values: a header dict (JournalEntry attribute names) and line
# tuples in chain.LINE_FIELDS order. Constructing and bulk-saving Django model instances
# field by field was most of the time of a batch; drafts still use model instances.

@dataclass(slots=True)
class _Prepared:
    header: dict
    lines: list[tuple]
    prefix: str = ""
    idempotency_key: str = ""
    draft: JournalEntry | None = None
    before: dict = field(default_factory=dict)
    period: Period | None = None
    entry: JournalEntry | None = None


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


# Rows looked up during one call: a batch of N entries resolves its journals, accounts
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


class _Row:
    """The columns of a journal, account or branch that posting reads, from one plain
    query (building model instances was a good part of a single post)."""

    __slots__ = ("code", "company_id", "currency", "is_active", "is_group", "pk")

    def __init__(self, pk, code, company_id, is_active=True, is_group=False,
                 currency="") -> None:
        self.pk, self.code, self.company_id = pk, code, company_id
        self.is_active, self.is_group, self.currency = bool(is_active), bool(is_group), \
            currency or ""


_PREFETCH = (
    (Journal, "code, company_id, is_active, FALSE, ''"),
    (Account, "code, company_id, is_active, is_group, currency"),
    (Branch, "code, company_id, is_active, FALSE, ''"),
)


def _prefetch(company, items) -> None:
    """Journals, accounts and branches the data names, in one plain query, into the
    call's cache; a name not found is left for ``_find`` to refuse."""
    datas = [d for _, _, d in items if isinstance(d, dict)]
    lines = [li for d in datas for li in d.get("lines") or []]
    cache = _batch_rows.get()
    wanted = ([d.get("journal") for d in datas], [li.get("account") for li in lines],
              [li.get("branch") for li in lines])
    parts, params = [], []
    for kind, ((model, cols), values) in enumerate(zip(_PREFETCH, wanted, strict=True)):
        keys = {_key(v) for v in values if v not in (None, "")}
        pks = sorted({k for how, k in keys if how == "pk"})
        codes = sorted({k for how, k in keys if how == "code"})
        if not pks and not codes:
            continue
        where = " OR ".join(
            part for part, vals in ((f"id IN ({', '.join(['%s'] * len(pks))})", pks),
                                    (f"code IN ({', '.join(['%s'] * len(codes))})", codes))
            if vals)
        parts.append(f"SELECT {kind}, id, {cols} FROM {model._meta.db_table} WHERE "
                     f"company_id = %s AND ({where})")
        params += [company.pk, *pks, *codes]
    if not parts:
        return
    with connection.cursor() as cur:
        cur.execute(" UNION ALL ".join(parts), params)
        for kind, *row in cur.fetchall():
            model, obj = _PREFETCH[kind][0], _Row(*row)
            cache[(model, ("pk", obj.pk))] = cache[(model, obj.pk)] = obj
            cache[(model, ("code", obj.code))] = cache[(model, obj.code)] = obj


def _lookup(found: dict, value, model_name: str, path: str):
    if value in (None, ""):
        return None
    obj = found.get(_key(value))
    if obj is None:
        raise NotFound(f"No such {model_name} in this company.", field=path)
    return obj


def _find(model, company, value, model_name: str, path: str, code_field: str = "code"):
    """``_lookup`` of one value, memoised per call by the raw id or code (a batch names
    the same few accounts thousands of times)."""
    if value in (None, ""):
        return None
    cache = _batch_rows.get()
    simple = cache is not None and type(value) in (int, str)
    if simple:
        obj = cache.get((model, value))
        if obj is not None:
            return obj
    found = _by_id(model, company, [value], code_field=code_field)
    obj = _lookup(found, value, model_name, path)
    if simple:
        cache[(model, value)] = obj
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


def _header(company, actor, data: dict, errors: ErrorCollector, prefix: str):
    """(header values keyed by JournalEntry attribute name, the journal row or None)."""
    journal_obj = _find(Journal, company, data.get("journal"), "journal", f"{prefix}journal")
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
    reversal = data.get("reversal_of")
    return {"company_id": company.pk, "journal_id": journal_obj.pk if journal_obj else None,
            "date": date, "reference": (data.get("reference") or "")[:100],
            "memo": data.get("memo") or "", "source_type": data.get("source_type") or "",
            "source_id": str(data.get("source_id") or ""), "currency": currency,
            "exchange_rate": rate, "created_by_id": getattr(_user(actor), "pk", None),
            "reversal_of_id": getattr(reversal, "pk", reversal)}, journal_obj


def _build_header(company, actor, data: dict, errors: ErrorCollector,
                  prefix: str) -> JournalEntry:
    values, journal = _header(company, actor, data, errors, prefix)
    del values["journal_id"], values["company_id"]
    return JournalEntry(company=company, journal=journal, **values)


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


def _line_rows(company, currency: str, rate: Decimal, lines_data: list[dict],
               errors: ErrorCollector, prefix: str) -> list[tuple]:
    """(line tuple in chain.LINE_FIELDS order, account row or None) per line."""
    if _batch_rows.get() is not None:  # inside a post: _prefetch loaded the rows
        return _line_rows_cached(company, currency, rate, lines_data, errors, prefix)
    token = _batch_rows.set({})  # a draft: one query per model for all its lines
    try:
        _by_id(Account, company, [d.get("account") for d in lines_data], code_field="code")
        _by_id(Branch, company, [d.get("branch") for d in lines_data], code_field="code")
        return _line_rows_cached(company, currency, rate, lines_data, errors, prefix)
    finally:
        _batch_rows.reset(token)


def _line_rows_cached(company, currency: str, rate: Decimal, lines_data: list[dict],
                      errors: ErrorCollector, prefix: str) -> list[tuple]:
    rows = []
    for i, data in enumerate(lines_data):
        path = f"{prefix}lines[{i}]"
        account = _find(Account, company, data.get("account"), "account", f"{path}.account")
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
        branch = _find(Branch, company, data.get("branch"), "branch", f"{path}.branch")
        rows.append(((i + 1, account.pk if account else None, (data.get("label") or "")[:200],
                      _company_amount(debit, rate), _company_amount(credit, rate), currency,
                      debit - credit, rate, str(data.get("partner") or "")[:64],
                      data.get("due_date"), branch.pk if branch else None,
                      (data.get("cost_center") or "")[:32], (data.get("project") or "")[:32]),
                     account))
    return rows


def _build_lines(company, entry: JournalEntry, lines_data: list[dict],
                 errors: ErrorCollector, prefix: str) -> list[JournalLine]:
    return [JournalLine(company=company, entry=entry, **dict(zip(_LINE_ATTRS, row, strict=True)))
            for row, _ in _line_rows(company, entry.currency, entry.exchange_rate,
                                     lines_data, errors, prefix)]


_LINE_ATTRS = ("line_no", "account_id", "label", "debit", "credit", "currency",
               "amount_currency", "exchange_rate", "partner", "due_date", "branch_id",
               "cost_center", "project")


def _check_rows(company_id: int, rows: list[tuple], errors: ErrorCollector,
                prefix: str) -> None:
    """What posting demands beyond a valid draft: lines, live accounts, balance.
    ``rows``: (line tuple, account row)."""
    if not rows:
        errors.add(f"{prefix}lines", "An entry needs lines before it is posted.")
    for i, (line, account) in enumerate(rows):
        path = f"{prefix}lines[{i}].account"
        if account.company_id != company_id:
            raise NotFound("No such account in this company.", field=path)
        if account.is_group:
            errors.add(path, f"Account {account.code} is a group.")
        if not account.is_active:
            errors.add(path, f"Account {account.code} is inactive.")
        if account.currency and account.currency != line[5]:
            errors.add(path, f"Account {account.code} takes only {account.currency}.")
    errors.raise_if_any()
    in_currency = sum((line[6] for line, _ in rows), ZERO)
    debit = sum((line[3] for line, _ in rows), ZERO)
    credit = sum((line[4] for line, _ in rows), ZERO)
    if in_currency != 0 or debit != credit:
        raise UnbalancedEntry(f"Debits {debit} and credits {credit} differ by "
                              f"{debit - credit}.", field=f"{prefix}lines")


def _prepare_new(company, actor, data: dict, key: str, prefix: str) -> _Prepared:
    errors = ErrorCollector()
    header, _ = _header(company, actor, data, errors, prefix)
    rows = _line_rows(company, header["currency"], header["exchange_rate"],
                      list(data.get("lines") or []), errors, prefix)
    errors.raise_if_any()
    _check_rows(company.pk, rows, errors, prefix)
    return _Prepared(header=header, lines=[line for line, _ in rows], prefix=prefix,
                     idempotency_key=key)


def _prepare_draft(company, entry: JournalEntry, key: str, prefix: str) -> _Prepared:
    locked = JournalEntry.objects.select_for_update().filter(company=company,
                                                             pk=entry.pk).first()
    if locked is None:
        raise NotFound("No such journal entry.", field=f"{prefix}id")
    if locked.state != EntryState.DRAFT:
        raise InvalidTransition(f"Entry {locked.number} is already posted.",
                                field=f"{prefix}id")
    lines = list(locked.lines.select_related("account").order_by("line_no"))
    rows = [(chain.line_tuple(li), li.account) for li in lines]
    _check_rows(company.pk, rows, ErrorCollector(), prefix)
    header = {name: getattr(locked, name) for name in _DRAFT_HEADER}
    return _Prepared(header=header, lines=[line for line, _ in rows], prefix=prefix,
                     idempotency_key=key, draft=locked, before=snapshot(locked))


_DRAFT_HEADER = ("id", "created_at", "company_id", "journal_id", "date", "reference", "memo",
                 "source_type", "source_id", "currency", "exchange_rate", "created_by_id",
                 "reversal_of_id")


# --- the chain -----------------------------------------------------------------------------

def chain_head_lock(*, company) -> LedgerChainHead:
    head = LedgerChainHead.objects.select_for_update().filter(company=company).first()
    if head is None:
        LedgerChainHead.objects.get_or_create(company=company,
                                              defaults={"hash": GENESIS_HASH})
        head = LedgerChainHead.objects.select_for_update().get(company=company)
    return head


class _Head:
    __slots__ = ("hash", "seq")

    def __init__(self, seq: int, digest: str) -> None:
        self.seq, self.hash = seq, digest


def _head_lock(company) -> _Head:
    """``chain_head_lock`` in one plain statement (FOR UPDATE on PostgreSQL; SQLite write
    transactions are BEGIN IMMEDIATE, so the database is already ours)."""
    lock = "" if connection.vendor == "sqlite" else " FOR UPDATE"
    with connection.cursor() as cur:
        cur.execute(f"SELECT seq, hash FROM {LedgerChainHead._meta.db_table} "
                    f"WHERE company_id = %s{lock}", [company.pk])
        row = cur.fetchone()
    if row is None:
        head = chain_head_lock(company=company)
        return _Head(head.seq, head.hash)
    return _Head(*row)


def _links(head, posted: list[_Prepared]) -> list[tuple]:
    """Link rows (company, seq, entry, number, version, prev, hash, canonical): the
    canonical text is built once per entry from the same values that are inserted."""
    links = []
    prev = head.hash
    for p in posted:
        h = p.header
        text = chain.canonical_rows(
            (h["company_id"], h["number"], h["journal_id"], h["date"], h["reference"],
             h["memo"], h["source_type"], h["source_id"], h["currency"], h["exchange_rate"],
             h["reversal_of_id"], h["posted_by_id"], h["posted_at"]), p.lines,
            CANONICAL_VERSION)
        digest = chain.link_hash(prev, text)
        links.append((h["company_id"], h["chain_seq"], h["id"], h["number"],
                      CANONICAL_VERSION, prev, digest, text))
        prev = digest
    head.hash = prev
    return links


# --- rollups -------------------------------------------------------------------------------

def _rollup_deltas(posted: list[_Prepared]) -> dict[tuple, list[Decimal]]:
    deltas: dict[tuple, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    for p in posted:
        period_id = p.period.pk
        for line in p.lines:
            pair = deltas[(line[1], period_id, line[10] or 0, line[11], line[12])]
            pair[0] += line[3]
            pair[1] += line[4]
    return deltas


# --- posting -------------------------------------------------------------------------------

class _Period:
    __slots__ = ("end", "pk", "start", "state")

    def __init__(self, pk, start, end, state) -> None:
        self.pk, self.start, self.end, self.state = pk, start, end, state


def _period_row(company, date) -> _Period | None:
    """The period holding ``date``, locked, in one plain query; None if there is none."""
    sqlite = connection.vendor == "sqlite"
    with connection.cursor() as cur:
        cur.execute(f'SELECT id, start, "end", state FROM {Period._meta.db_table} WHERE '
                    f'company_id = %s AND start <= %s AND "end" >= %s'
                    + ("" if sqlite else " FOR UPDATE"),
                    [company.pk, date, date])
        row = cur.fetchone()
    if row is None:
        return None
    pk, start, end, state = row
    if isinstance(start, str):
        start, end = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    return _Period(pk, start, end, state)


def _period(company, date) -> _Period | Period:
    cache = _batch_rows.get()
    periods = cache.setdefault("periods", []) if cache is not None else []
    for period in periods:
        if period.start <= date <= period.end:
            return period
    period = _period_row(company, date) or period_for_date(company=company, date=date,
                                                           lock=True)
    periods.append(period)
    return period


def _assign_legal_fields(company, actor, head, p: _Prepared, now, operation: str) -> None:
    """Everything but id and number, which the whole batch takes at once."""
    p.period = _period(company, p.header["date"])
    if p.period.state != PeriodState.OPEN:  # the refusal or override needs the row
        period_check_postable(company=company, actor=actor, operation=operation,
                              period=Period.objects.get(pk=p.period.pk))
    head.seq += 1
    p.header.update(state=EntryState.POSTED, posted_at=now, updated_at=now,
                    posted_by_id=getattr(_user(actor), "pk", None),
                    idempotency_key=p.idempotency_key, chain_seq=head.seq)
    p.header.setdefault("created_at", now)


def _assign_numbers(company, posted: list[_Prepared]) -> None:
    from cuadra.sequences.services import sequence_next_many

    try:
        numbers = sequence_next_many(
            company=company, document_type=JOURNAL_DOCUMENT_TYPE,
            dates=[p.header["date"] for p in posted], object_type="ledger.JournalEntry",
            object_ids=[p.header["id"] for p in posted])
    except ValidationError as error:
        # name the entry whose date broke the series' chronology
        index = error.field[len("dates["):-1] if (error.field or "").startswith("dates[") \
            else None
        if index is None:
            raise
        raise ValidationError(error.errors[0].message,
                              field=f"{posted[int(index)].prefix}date") from None
    for p, number in zip(posted, numbers, strict=True):
        p.header["number"] = number


def _audit(company, actor, posted: list[_Prepared], operation: str, single: bool) -> None:
    """A single post audits its entry; a batch writes one row listing its entries, so a
    100,000-entry import does not write 100,000 audit rows."""
    if single:
        p = posted[0]
        is_draft = p.draft is not None
        fastwrite.audit_insert(
            action=AuditAction.TRANSITION if is_draft else AuditAction.CREATE,
            actor=actor, company_id=company.pk, object_type="ledger.JournalEntry",
            object_id=p.header["id"], operation=operation,
            changes={"state": [EntryState.DRAFT if is_draft else None, EntryState.POSTED],
                     "number": [None, p.header["number"]], "lines": [None, len(p.lines)]})
        return
    fastwrite.audit_insert(action=AuditAction.CREATE, actor=actor, company_id=company.pk,
                 object_type="ledger.JournalEntry", object_id="", operation=operation,
                 changes={"entries": [None, [p.header["id"] for p in posted]],
                          "numbers": [None, [posted[0].header["number"],
                                             posted[-1].header["number"]]],
                          "drafts_posted": [None, [p.header["id"] for p in posted
                                                   if p.draft is not None]],
                          "lines": [None, sum(len(p.lines) for p in posted)]})


def _entry_instance(header: dict) -> JournalEntry:
    """The posted entry as a model instance, built like a row read from the database."""
    return JournalEntry.from_db("default", None, [header[a] for a in fastwrite.ENTRY_ATTRS])


def _post_drafts(posted: list[_Prepared]) -> None:
    for p in posted:
        if p.draft is not None:
            entry = p.draft
            for name in ("number", "state", "posted_at", "posted_by_id", "idempotency_key",
                         "chain_seq"):
                setattr(entry, name, p.header[name])
            entry.save(update_fields=["number", "state", "posted_at", "posted_by",
                                      "idempotency_key", "chain_seq", "updated_at"])
            p.entry = entry


def _write(company, actor, head, posted: list[_Prepared], operation: str,
           single: bool) -> None:
    new = [p for p in posted if p.draft is None]
    _post_drafts(posted)
    links = _links(head, posted)
    deltas = _rollup_deltas(posted)
    now = posted[0].header["posted_at"]
    with fastwrite.pipelined(enabled=len(new) == len(posted) and fastwrite.fits_one_insert(
            sum(len(p.lines) for p in posted))):
        fastwrite.insert_entries(company.pk, [p.header for p in new],
                                 [(p.header["id"], p.lines) for p in new])
        fastwrite.insert_links(links, now)
        fastwrite.head_update(company.pk, head.seq, head.hash)
        fastwrite.rollups_add(company.pk, deltas, now)
        _audit(company, actor, posted, operation, single)
    for p in new:
        p.entry = _entry_instance(p.header)


def _post(company, actor, items: list, operation: str) -> list[JournalEntry]:
    """``items``: (prefix, key, draft entry or data dict). Head lock first, always."""
    token = _batch_rows.set({})
    try:
        return _post_locked(company, actor, items, operation)
    finally:
        _batch_rows.reset(token)


def _post_locked(company, actor, items: list, operation: str) -> list[JournalEntry]:
    head = _head_lock(company)
    _prefetch(company, items)
    keys = [key for _, key, _ in items if key]
    seen = {e.idempotency_key: e for e in JournalEntry.objects.filter(
        company=company, idempotency_key__in=keys)} if keys else {}
    results: list = []
    posted: list[_Prepared] = []
    now = timezone.now()
    for prefix, key, item in items:
        if key and key in seen:
            results.append(seen[key])  # a retry: the first result, nothing new written
            continue
        p = (_prepare_draft(company, item, key, prefix) if isinstance(item, JournalEntry)
             else _prepare_new(company, actor, item, key, prefix))
        _assign_legal_fields(company, actor, head, p, now, operation)
        posted.append(p)
        results.append(p)
        if key:
            seen[key] = p
    if posted:
        fastwrite.reserve_ids([p.header for p in posted if p.draft is None])
        _assign_numbers(company, posted)
        _write(company, actor, head, posted, operation, single=operation ==
               "journal_entry_post")
    return [r.entry if isinstance(r, _Prepared) else r for r in results]


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
