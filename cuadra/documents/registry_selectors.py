"""One page of the registry, as the web table and the GraphQL ``documents`` query read it
(seed 004 "Data Flow"): the column configuration and the view are read first, the query
selects only what those columns need, rows come back as typed cells plus the payment
state that colours them, with the total count and exact totals per currency."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import Count, Q

from cuadra.core.errors import NotFound, ValidationError
from cuadra.core.money import DecimalSum
from cuadra.documents.columns import Column, available_columns, column_config_get, view_of
from cuadra.documents.filters import (
    CellContext,
    DocumentFilters,
    cell,
    documents_query,
    trim_money,
    values_fields,
    visible_scope,
)

MAX_PAGE = 500
COUNT_CAP = 10_000
STATE_COLOURS = {"PAID": "green", "PARTIAL": "yellow", "UNPAID": "red", "": ""}


@dataclass
class Row:
    id: int
    document_type: str
    object_id: int
    payment_state: str
    cells: list

    @property
    def colour(self) -> str:
        return STATE_COLOURS.get(self.payment_state, "")


@dataclass
class CurrencyTotal:
    currency: str
    amount: Decimal
    paid: Decimal
    count: int


@dataclass
class Page:
    """One page. ``total_count`` is exact when it was cheap to know (the page is the
    last one, the matches are at most ``COUNT_CAP``, or totals were asked for, which
    count every match anyway); otherwise it is None and ``count_capped`` says "more than
    ``COUNT_CAP``". ``has_next`` comes from reading one row past the page, never from a
    count. ``next_cursor`` continues after the last row (keyset: no OFFSET to skip)."""

    view: str
    columns: list[Column]
    rows: list[Row]
    total_count: int | None
    offset: int
    limit: int
    totals: list[CurrencyTotal]
    filters: DocumentFilters
    has_next: bool = False
    count_capped: bool = False
    next_cursor: str = ""
    after: str = ""
    count_deferred: bool = False  # asked for apart: :func:`documents_count`

    @property
    def has_previous(self) -> bool:
        return self.offset > 0 or bool(self.after)

    @property
    def count_cap(self) -> int:
        return COUNT_CAP


def resolve_columns(company, user, view: str, column_keys: list[str] | None) -> list[Column]:
    columns = column_config_get(company=company, user=user, view=view)
    if not column_keys:
        return columns
    available = available_columns(company=company, user=user)
    unknown = [k for k in column_keys if k not in available]
    if unknown:
        raise ValidationError(f"Unknown column(s) {', '.join(unknown)}.", field="columns")
    by_key = {c.key: c for c in columns}
    return [by_key.get(k) or Column(k, str(available[k].label), str(available[k].label),
                                    available[k].kind, False, available[k].fields)
            for k in column_keys]


def documents_page(*, company, user, view: str, filters: DocumentFilters,
                   column_keys: list[str] | None = None, offset: int = 0,
                   limit: int = 50, with_totals: bool = False, after: str = "",
                   exact_count: bool = False, with_count: bool = True) -> Page:
    """One page: ``limit`` rows from ``offset`` (or, with ``after``, the keyset cursor
    of a previous page's last row), the columns' values only, and a count capped at
    ``COUNT_CAP`` (pain: an exact COUNT of a million matches on every page). Exact
    count and per-currency totals over every match are asked for separately:
    ``with_totals`` (or ``exact_count`` for the count alone), or
    :func:`documents_summary`. ``with_count=False`` leaves even the capped count out
    (``count_deferred``) unless the page is the last one: the rows show at once and the
    count follows in its own request (:func:`documents_count`), since counting up to
    ``COUNT_CAP`` matches of a text filter costs more than the page itself."""
    view = view_of(view)
    offset, limit = max(int(offset), 0), min(max(int(limit), 1), MAX_PAGE)
    scope = visible_scope(user=user)  # first: it remembers the grants the columns read
    columns = resolve_columns(company, user, view, column_keys)
    qs = documents_query(user=user, view=view, filters=filters, scope=scope)
    window = qs.filter(keyset_after(after)) if after else qs
    if after:
        offset = 0
    ctx = CellContext.build(columns, scope)
    wanted = list(dict.fromkeys([*values_fields(columns), "document_date"]))
    data = list(window.values(*wanted)[offset:offset + limit + 1])
    has_next = len(data) > limit
    data = data[:limit]
    rows = [Row(r["id"], r["document_type"], r["object_id"], r["payment_state"],
                [cell(r, c, ctx) for c in columns]) for r in data]
    page = Page(view, columns, rows, None, offset, limit, [], filters, has_next=has_next,
                next_cursor=keyset_cursor(data[-1]) if has_next and data else "",
                after=after or "")
    if with_totals:
        page.totals = currency_totals(qs)
        page.total_count = sum(t.count for t in page.totals)
    elif exact_count:
        page.total_count = qs.count()
    elif not has_next and not after and (data or offset == 0):
        page.total_count = offset + len(data)  # this is the last page: no query needed
    elif not with_count:
        page.count_deferred = True
    else:
        page.total_count, page.count_capped = _capped_count(qs)
    return page


def _capped_count(qs) -> tuple[int | None, bool]:
    capped = qs.order_by().values("id")[:COUNT_CAP + 1].count()
    return (None, True) if capped > COUNT_CAP else (capped, False)


@dataclass
class MatchCount:
    total_count: int | None  # None: more than ``COUNT_CAP``
    count_capped: bool


def documents_count(*, user, view: str, filters: DocumentFilters) -> MatchCount:
    """How many documents match, counted up to ``COUNT_CAP``: the pager's total, asked
    for after the rows of a page with ``with_count=False`` are shown."""
    return MatchCount(*_capped_count(documents_query(user=user, view=view_of(view),
                                                filters=filters)))


def currency_totals(qs) -> list[CurrencyTotal]:
    return [CurrencyTotal(t["currency"], trim_money(t["amount"] or Decimal(0)),
                          trim_money(t["paid"] or Decimal(0)), t["n"])
            for t in (qs.order_by().values("currency")
                      .annotate(amount=DecimalSum("amount"), paid=DecimalSum("paid_amount"),
                                n=Count("id"))
                      .order_by("currency"))]


@dataclass
class Summary:
    total_count: int
    totals: list[CurrencyTotal]


def documents_summary(*, user, view: str, filters: DocumentFilters) -> Summary:
    """The exact count and per-currency totals of every match: what the page leaves out
    (a client asks for it separately, e.g. after the rows are shown)."""
    totals = currency_totals(documents_query(user=user, view=view_of(view), filters=filters))
    return Summary(sum(t.count for t in totals), totals)


# --- keyset cursors ---------------------------------------------------------------------------

def keyset_cursor(row: dict) -> str:
    """"<ISO date>~<id>" ("~<id>" for an undated row) of the last row shown."""
    date = row.get("document_date")
    return f"{date.isoformat() if date else ''}~{row['id']}"


def keyset_after(cursor: str) -> Q:
    """The rows after ``cursor`` in the page order (date desc, id desc), where the
    database puts undated rows: first on PostgreSQL (NULL is largest), last on SQLite."""
    date_text, sep, id_text = str(cursor).partition("~")
    try:
        if not sep or not id_text.isdigit():
            raise ValueError
        date = dt.date.fromisoformat(date_text) if date_text else None
    except ValueError:
        raise ValidationError("Not a page cursor; use the nextCursor of a page.",
                              field="after") from None
    pk = int(id_text)
    nulls_first = connection.features.nulls_order_largest
    undated = Q(document_date__isnull=True)
    if date is None:
        after_undated = undated & Q(id__lt=pk)
        return after_undated | Q(document_date__isnull=False) if nulls_first else after_undated
    # the bound first: "date <= cursor date" is what the (date, id) index can start
    # from; the OR alone is only a filter, so the scan would walk every earlier page
    dated = Q(document_date__lte=date) & (Q(document_date__lt=date) | Q(id__lt=pk))
    return dated if nulls_first else dated | undated


@dataclass
class TimelineEntry:
    at: object
    actor: str
    action: str
    detail: str


def document_timeline(*, company, user, record_id) -> list[TimelineEntry]:
    """What happened to one document, oldest first: its lifecycle history (transitions
    with their comments) and the audit rows of its creates and edits, plus the registry's
    own edits of its record (tags, sharing, custom values). Only a record the user may see
    (another company's id, or a type they may not view, is not found)."""
    from cuadra.core.models import AuditAction, AuditLog
    from cuadra.documents.filters import records_visible
    from cuadra.documents.lifecycle import registered_document_types
    from cuadra.documents.models import DocumentHistory, DocumentRecord

    text = str(record_id)
    record = (records_visible(user=user).filter(company=company, pk=int(text)).first()
              if text.isdigit() else None)
    if record is None:
        raise NotFound("No such document.", field="documentId")
    entries = [TimelineEntry(h.at, h.actor.username, h.action,
                             f"{h.from_state} → {h.to_state}"
                             + (f": {h.comment}" if h.comment else ""))
               for h in DocumentHistory.objects.filter(
                   company_id=record.company_id, document_type=record.document_type,
                   object_id=record.object_id).select_related("actor")]
    spec = registered_document_types().get(record.document_type)
    targets = [(DocumentRecord._meta.label, record.pk)]
    if spec is not None:
        targets.append((spec.model._meta.label, record.object_id))
    condition = Q()
    for object_type, object_id in targets:
        condition |= Q(object_type=object_type, object_id=str(object_id))
    audits = (AuditLog.objects.filter(condition, company_id=record.company_id)
              .exclude(action__in=[AuditAction.TRANSITION, AuditAction.REFUSED])
              .select_related("actor"))
    entries += [TimelineEntry(a.at, a.actor.username if a.actor else "", a.action,
                              a.operation or ", ".join(sorted(a.changes)))
                for a in audits]
    return sorted(entries, key=lambda e: e.at)
