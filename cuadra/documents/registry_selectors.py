"""One page of the registry, as the web table and the GraphQL ``documents`` query read it
(seed 004 "Data Flow"): the column configuration and the view are read first, the query
selects only what those columns need, rows come back as typed cells plus the payment
state that colours them, with the total count and exact totals per currency."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

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
    view: str
    columns: list[Column]
    rows: list[Row]
    total_count: int
    offset: int
    limit: int
    totals: list[CurrencyTotal]
    filters: DocumentFilters

    @property
    def has_next(self) -> bool:
        return self.offset + len(self.rows) < self.total_count

    @property
    def has_previous(self) -> bool:
        return self.offset > 0


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
                   limit: int = 50, with_totals: bool = True) -> Page:
    """``with_totals`` False skips the per-currency sums (one COUNT instead): what a
    client that shows no totals asks for."""
    view = view_of(view)
    offset, limit = max(int(offset), 0), min(max(int(limit), 1), MAX_PAGE)
    columns = resolve_columns(company, user, view, column_keys)
    qs = documents_query(user=user, view=view, filters=filters)
    ctx = CellContext.build(columns, visible_scope(user=user))
    data = list(qs.values(*values_fields(columns))[offset:offset + limit])
    rows = [Row(r["id"], r["document_type"], r["object_id"], r["payment_state"],
                [cell(r, c, ctx) for c in columns]) for r in data]
    if not with_totals:
        return Page(view, columns, rows, qs.count(), offset, limit, [], filters)
    totals = [CurrencyTotal(t["currency"], trim_money(t["amount"] or Decimal(0)),
                            trim_money(t["paid"] or Decimal(0)), t["n"])
              for t in (qs.order_by().values("currency")
                        .annotate(amount=DecimalSum("amount"), paid=DecimalSum("paid_amount"),
                                  n=Count("id"))
                        .order_by("currency"))]
    return Page(view, columns, rows, sum(t.count for t in totals), offset, limit, totals,
                filters)


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
