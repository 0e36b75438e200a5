"""One page of the registry, as the web table and the GraphQL ``documents`` query read it
(seed 004 "Data Flow"): the column configuration and the view are read first, the query
selects only what those columns need, rows come back as typed cells plus the payment
state that colours them, with the total count and exact totals per currency."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count

from cuadra.core.errors import ValidationError
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
