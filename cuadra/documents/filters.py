"""Reading the registry: who may see which rows, the views, the filters and the cells.

Scoping is applied in the query, never by a UI default (pain point 15): a user sees the
companies where they hold a role with DOCUMENTS:<action>, and in each only the document
types whose own path they may <action> (VIEW for the table, EXPORT for exports), plus the
records of those companies explicitly shared with them. Counts, totals and exports all
start from :func:`records_visible`, so none of them can leak.

Filters travel as a flat mapping of strings (a URL query string): the same
:class:`DocumentFilters` parses the web's ``request.GET`` and GraphQL's input.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from decimal import Decimal, InvalidOperation
from urllib.parse import urlencode

from django.db.models import Exists, OuterRef, Q, QuerySet

from cuadra.access.permissions import Action, Path
from cuadra.access.selectors import companies_for_user, has_perm
from cuadra.core.errors import ErrorCollector
from cuadra.documents.columns import Column, view_of
from cuadra.documents.models import DocumentLink, DocumentRecord, DocumentView, PaymentResult
from cuadra.documents.registry import kind_labels

LIST_KEYS = ("company", "kind", "payment_state", "status", "tags", "customer_status")


@dataclass
class DocumentFilters:
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    company: list[str] = field(default_factory=list)
    team_member: int | None = None
    customer_status: list[str] = field(default_factory=list)
    manager: int | None = None
    tags: list[str] = field(default_factory=list)
    shared_with: int | None = None
    kind: list[str] = field(default_factory=list)
    payment_state: list[str] = field(default_factory=list)
    status: list[str] = field(default_factory=list)
    q: str = ""

    @classmethod
    def parse(cls, data: Mapping | None) -> DocumentFilters:
        """From a query string (``QueryDict``: lists by ``getlist``) or a plain dict whose
        list values are lists or comma-separated strings. Bad values are refused with the
        field named, never silently dropped (a dropped filter would widen the export)."""
        data = data or {}
        errors = ErrorCollector()
        out = cls()
        for key in ("date_from", "date_to"):
            raw = _one(data, key)
            if raw:
                try:
                    setattr(out, key, dt.date.fromisoformat(raw))
                except ValueError:
                    errors.add(key, "Use an ISO date, e.g. 2025-01-31.")
        for key in ("amount_min", "amount_max"):
            raw = _one(data, key)
            if raw:
                try:
                    value = Decimal(raw)
                    if not value.is_finite():
                        raise InvalidOperation
                    setattr(out, key, value)
                except InvalidOperation:
                    errors.add(key, "Give an exact decimal amount, e.g. 100.00.")
        for key in ("team_member", "manager", "shared_with"):
            raw = _one(data, key)
            if raw:
                if raw.isdigit():
                    setattr(out, key, int(raw))
                else:
                    errors.add(key, "Give a numeric id.")
        for key in LIST_KEYS:
            setattr(out, key, _many(data, key))
        out.q = _one(data, "q")[:200]
        errors.raise_if_any()
        return out

    def as_query(self) -> dict[str, list[str]]:
        """The non-empty filters as query-string values (``urlencode(..., doseq=True)``)."""
        out: dict[str, list[str]] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value in (None, "", []):
                continue
            out[f.name] = [str(v) for v in value] if isinstance(value, list) else [str(value)]
        return out

    def urlencode(self) -> str:
        return urlencode(self.as_query(), doseq=True)


def _one(data: Mapping, key: str) -> str:
    value = data.get(key)
    if isinstance(value, list | tuple):
        value = value[0] if value else ""
    return str(value).strip() if value is not None else ""


def _many(data: Mapping, key: str) -> list[str]:
    if hasattr(data, "getlist"):
        raw: Iterable = data.getlist(key)
    else:
        value = data.get(key)
        raw = value if isinstance(value, list | tuple) else ([value] if value else [])
    out = []
    for item in raw:
        out.extend(p.strip() for p in str(item).split(",") if p.strip())
    return list(dict.fromkeys(out))


# --- scope -----------------------------------------------------------------------------------

def visible_scope(*, user, action: Action = Action.VIEW) -> dict[int, list[str]]:
    """{company id: the record paths the user may ``action`` there}."""
    # every path, not only the registered types': a row is shown by its own path's right
    paths = [p.value for p in Path if p != Path.DOCUMENTS]
    scope: dict[int, list[str]] = {}
    for company in companies_for_user(user=user):
        if not has_perm(user=user, company=company, path=Path.DOCUMENTS, action=action):
            continue
        scope[company.pk] = [p for p in paths
                             if has_perm(user=user, company=company, path=p, action=action)]
    return scope


def records_visible(*, user, action: Action = Action.VIEW) -> QuerySet:
    scope = visible_scope(user=user, action=action)
    if not scope:
        return DocumentRecord.objects.none()
    shared = f",{user.pk},"
    condition = Q()
    for company_id, paths in scope.items():
        condition |= Q(company_id=company_id, path__in=paths)
        condition |= Q(company_id=company_id, shared_with__contains=shared)
    return DocumentRecord.objects.filter(condition)


# --- views -----------------------------------------------------------------------------------

# a link whose role ends in _REVERSED no longer carries money (an allocation undone): it
# still shows the document under Did Not Pass, never under Moved
REVERSED_SUFFIX = "_REVERSED"


def _linked_to_payment(results: list[str], *, live_only: bool) -> Q:
    """The record is itself a payment with one of ``results``, or is linked (either
    direction) to such a payment."""
    payments = DocumentRecord.objects.filter(payment_result__in=results)
    as_from = DocumentLink.objects.filter(
        from_type=OuterRef("document_type"), from_id=OuterRef("object_id")).filter(
        Exists(payments.filter(document_type=OuterRef("to_type"),
                               object_id=OuterRef("to_id"))))
    as_to = DocumentLink.objects.filter(
        to_type=OuterRef("document_type"), to_id=OuterRef("object_id")).filter(
        Exists(payments.filter(document_type=OuterRef("from_type"),
                               object_id=OuterRef("from_id"))))
    if live_only:
        as_from = as_from.exclude(role__endswith=REVERSED_SUFFIX)
        as_to = as_to.exclude(role__endswith=REVERSED_SUFFIX)
    return Q(payment_result__in=results) | Q(Exists(as_from)) | Q(Exists(as_to))


def view_filter(view: str) -> Q:
    view = view_of(view)
    if view == DocumentView.MOVED:
        return _linked_to_payment([PaymentResult.SUCCEEDED], live_only=True)
    if view == DocumentView.DID_NOT_PASS:
        return _linked_to_payment([PaymentResult.FAILED, PaymentResult.PENDING],
                                  live_only=False)
    return Q()


# --- filters ---------------------------------------------------------------------------------

def apply_filters(qs: QuerySet, f: DocumentFilters) -> QuerySet:
    if f.date_from:
        qs = qs.filter(document_date__gte=f.date_from)
    if f.date_to:
        qs = qs.filter(document_date__lte=f.date_to)
    if f.amount_min is not None:
        qs = qs.filter(amount__gte=f.amount_min)
    if f.amount_max is not None:
        qs = qs.filter(amount__lte=f.amount_max)
    if f.company:
        qs = qs.filter(company__code__in=[c.upper() for c in f.company])
    if f.team_member is not None:
        qs = qs.filter(Q(creator_id=f.team_member) | Q(owner_id=f.team_member))
    if f.customer_status:
        qs = qs.filter(customer_status__in=[s.upper() for s in f.customer_status])
    if f.manager is not None:
        qs = qs.filter(manager_id=f.manager)
    for tag in f.tags:
        qs = qs.filter(tags__contains=f",{tag},")
    if f.shared_with is not None:
        qs = qs.filter(shared_with__contains=f",{f.shared_with},")
    if f.kind:
        qs = qs.filter(kind__in=[k.upper() for k in f.kind])
    if f.payment_state:
        states = ["" if s.upper() in ("NONE", "-", "—") else s.upper()
                  for s in f.payment_state]
        qs = qs.filter(payment_state__in=states)
    if f.status:
        qs = qs.filter(status__in=f.status)
    if f.q:
        qs = qs.filter(Q(number__icontains=f.q) | Q(party_name__icontains=f.q)
                       | Q(party_code__icontains=f.q))
    return qs


def documents_query(*, user, view: str, filters: DocumentFilters,
                    action: Action = Action.VIEW) -> QuerySet:
    """The rows of ``view`` under ``filters``, scoped to what the user may ``action``;
    newest first, ties by id so pages never overlap."""
    qs = records_visible(user=user, action=action).filter(view_filter(view))
    return apply_filters(qs, filters).order_by("-document_date", "-id")


def values_fields(columns: list[Column]) -> list[str]:
    """Only what the chosen columns read (plus the id and the state for the colour)."""
    wanted = ["id", "payment_state", "document_type", "object_id"]
    for column in columns:
        wanted.extend(column.fields)
    return list(dict.fromkeys(wanted))


# --- cells -----------------------------------------------------------------------------------

@dataclass
class CellContext:
    """Lookups a whole page or export shares (built once, not per row)."""

    kinds: dict[str, str]
    usernames: dict[int, str]

    @classmethod
    def build(cls, columns: list[Column], company_ids: Iterable[int]) -> CellContext:
        usernames: dict[int, str] = {}
        if any(c.key == "shared_with" or c.kind == "user" for c in columns):
            from django.contrib.auth import get_user_model

            users = get_user_model().objects.filter(
                role_assignments__company_id__in=list(company_ids)).distinct()
            usernames = dict(users.values_list("pk", "username"))
        return cls(kind_labels(), usernames)


def cell(row: dict, column: Column, ctx: CellContext):
    """The typed value of one cell: Decimal for money and numbers, date for dates, str
    otherwise ('' when empty)."""
    key = column.key
    if column.is_custom:
        value = (row.get("custom") or {}).get(key[3:])
        if value is None:
            return ""
        if column.kind in ("money", "number"):
            return Decimal(value)
        if column.kind == "date":
            return dt.date.fromisoformat(value)
        if column.kind == "user":
            return ctx.usernames.get(int(value), str(value))
        return str(value)
    if key == "balance":
        return trim_money(row["amount"] - row["paid_amount"])
    if key == "kind":
        return ctx.kinds.get(row["kind"], row["kind"])
    if key == "tags":
        return ", ".join(t for t in row["tags"].split(",") if t)
    if key == "shared_with":
        ids = [int(u) for u in row["shared_with"].split(",") if u]
        return ", ".join(ctx.usernames.get(u, str(u)) for u in ids)
    value = row[column.fields[0]]
    if value is None:
        return ""
    if column.kind == "datetime":
        return value.date()
    if column.kind == "money":
        return trim_money(value)
    return value


CENT = Decimal("0.01")


def trim_money(value: Decimal) -> Decimal:
    """The stored 25 places without their trailing zeros, never fewer than 2 (7.00,
    1234.56, 0.125): exact, and what an accountant expects to read."""
    value = value.normalize()
    exponent = value.as_tuple().exponent
    return value.quantize(CENT) if isinstance(exponent, int) and exponent > -2 else value
