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
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from decimal import Decimal, InvalidOperation
from urllib.parse import urlencode

from django.db.models import Exists, F, Func, Index, OuterRef, Q, QuerySet, Value
from django.db.models.fields.json import KeyTextTransform, KeyTransform
from django.db.models.lookups import Exact, GreaterThanOrEqual, LessThanOrEqual

from cuadra.access.models import RoleAssignment
from cuadra.access.permissions import Action, Path, perm
from cuadra.access.selectors import field_visible, grants_prefetch, grants_remember
from cuadra.core.errors import ErrorCollector
from cuadra.core.money import MONEY_DIGITS, MONEY_PLACES, MoneyField, encode_sortable
from cuadra.documents.columns import Column, view_of
from cuadra.documents.models import (
    CustomFieldDefinition,
    CustomFieldType,
    DocumentLink,
    DocumentRecord,
    DocumentView,
    PaymentResult,
)
from cuadra.documents.registry import kind_labels
from cuadra.tenancy.models import Company

LIST_KEYS = ("company", "kind", "payment_state", "status", "tags", "customer_status")
CUSTOM_FILTER_PREFIX = "cf."
CUSTOM_FILTER_RE = re.compile(r"^cf\.([a-z][a-z0-9_]{0,39})(?:\.(min|max))?$")


@dataclass(frozen=True)
class CustomFilter:
    """``cf.<code>=value`` (equality) or ``cf.<code>.min=`` / ``cf.<code>.max=`` (range,
    inclusive), as the URL carries it. The value stays text until the query is built:
    only then are the definitions of the user's companies known, which give it its type."""

    code: str
    op: str  # "eq", "min" or "max"
    value: str

    @property
    def param(self) -> str:
        return CUSTOM_FILTER_PREFIX + self.code + ("" if self.op == "eq" else f".{self.op}")


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
    custom: list[CustomFilter] = field(default_factory=list)

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
        out.custom = _custom_filters(data, errors)
        errors.raise_if_any()
        return out

    def as_query(self) -> dict[str, list[str]]:
        """The non-empty filters as query-string values (``urlencode(..., doseq=True)``)."""
        out: dict[str, list[str]] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "custom" or value in (None, "", []):
                continue
            out[f.name] = [str(v) for v in value] if isinstance(value, list) else [str(value)]
        for custom in self.custom:
            out[custom.param] = [custom.value]
        return out

    def urlencode(self) -> str:
        return urlencode(self.as_query(), doseq=True)


def _one(data: Mapping, key: str) -> str:
    value = data.get(key)
    if isinstance(value, list | tuple):
        value = value[0] if value else ""
    return str(value).strip() if value is not None else ""


def _custom_filters(data: Mapping, errors: ErrorCollector) -> list[CustomFilter]:
    out = []
    for key in sorted(str(k) for k in data):
        if not key.startswith(CUSTOM_FILTER_PREFIX):
            continue
        match = CUSTOM_FILTER_RE.match(key)
        if match is None:
            errors.add(key, "A custom-field filter is cf.<field code>, cf.<code>.min or "
                            "cf.<code>.max.")
            continue
        value = _one(data, key)
        if value:
            out.append(CustomFilter(match.group(1), match.group(2) or "eq", value[:200]))
    return out


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
    """{company id: the record paths the user may ``action`` there}: the permissions of
    every role the user holds in an active company, read in one query (a user with
    roles in twenty companies costs one round trip, not twenty)."""
    if user is None or not user.is_authenticated:
        return {}
    grants: dict[int, set[str]] = {}
    hidden: dict[int, set[str]] = {}
    for company_id, permissions, hidden_fields in (
            RoleAssignment.objects.filter(user=user, company__is_active=True)
            .values_list("company_id", "role__permissions", "role__hidden_fields")):
        grants.setdefault(company_id, set()).update(permissions or ())
        hidden.setdefault(company_id, set()).update(hidden_fields or ())
    # the same rows are the grants field_visible reads next (columns, custom filters)
    grants_remember(user=user, grants=grants, hidden=hidden)
    # every path, not only the registered types': a row is shown by its own path's right
    wanted = [(p.value, perm(p, action)) for p in Path if p != Path.DOCUMENTS]
    return {company_id: [path for path, right in wanted if right in granted]
            for company_id, granted in sorted(grants.items())
            if perm(Path.DOCUMENTS, action) in granted}


def scope_condition(scope: dict[int, list[str]], *, user) -> Q:
    """The rows of ``scope`` as one condition that stays cheap per row and lets the
    planner use the (company, date) indexes: companies with the same paths share one
    ``company_id IN (...) AND path IN (...)`` term (an owner of twenty companies gets one
    term, not forty); where every path is visible the term is the company alone, and
    the "shared with me" test is only added where some path is missing."""
    every = {p.value for p in Path if p != Path.DOCUMENTS}
    by_paths: dict[tuple[str, ...], list[int]] = {}
    for company_id, paths in scope.items():
        by_paths.setdefault(tuple(sorted(paths)), []).append(company_id)
    condition = Q()
    for paths, company_ids in by_paths.items():
        ids = sorted(company_ids)
        if every <= set(paths):
            # every record's path is one of Path's (describers declare it): no test of
            # the path per row (a 34-string IN costs more than the rest of the filter)
            condition |= Q(company_id__in=ids)
            continue
        if paths:
            condition |= Q(company_id__in=ids, path__in=paths)
        condition |= Q(company_id__in=ids, shared_with__contains=f",{user.pk},")
    return condition


def records_visible(*, user, action: Action = Action.VIEW,
                    scope: dict[int, list[str]] | None = None) -> QuerySet:
    scope = visible_scope(user=user, action=action) if scope is None else scope
    if not scope:
        return DocumentRecord.objects.none()
    return DocumentRecord.objects.filter(scope_condition(scope, user=user))


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
        # the ids, not a join on the code: the planner then knows which companies, and
        # picks the (company, ...) index of the other filters
        codes = [c.upper() for c in f.company]
        ids = list(Company.objects.filter(code__in=codes).values_list("pk", flat=True))
        # no such company: the join on the code, which matches nothing (an empty IN
        # would not even compile to SQL)
        qs = qs.filter(company_id__in=ids) if ids else qs.filter(company__code__in=codes)
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
                    action: Action = Action.VIEW,
                    scope: dict[int, list[str]] | None = None) -> QuerySet:
    """The rows of ``view`` under ``filters``, scoped to what the user may ``action``;
    newest first, ties by id so pages never overlap (the order the
    ``docrecord_date_id`` and ``docrecord_company_date_id`` indexes serve)."""
    scope = visible_scope(user=user, action=action) if scope is None else scope
    qs = records_visible(user=user, action=action, scope=scope).filter(view_filter(view))
    qs = apply_filters(qs, filters)
    if filters.custom:
        qs = qs.filter(custom_filter_condition(filters.custom, company_ids=list(scope),
                                               user=user))
    return qs.order_by(*ORDER)


ORDER = ("-document_date", "-id")


# --- custom-field filters --------------------------------------------------------------------

RANGE_TYPES = (CustomFieldType.NUMBER, CustomFieldType.MONEY, CustomFieldType.DATE)


def _typed(kind: str, raw: str, definition_choices: set[str]):
    """``raw`` as the value the stored JSON holds for ``kind``; ValueError if it does
    not fit."""
    if kind in (CustomFieldType.NUMBER, CustomFieldType.MONEY):
        try:
            value = Decimal(raw)
        except InvalidOperation:
            raise ValueError("Give an exact decimal number, e.g. 100.00.") from None
        if not value.is_finite():
            raise ValueError("Give an exact decimal number, e.g. 100.00.")
        return value
    if kind == CustomFieldType.DATE:
        try:
            return dt.date.fromisoformat(raw).isoformat()
        except ValueError:
            raise ValueError("Use an ISO date, e.g. 2025-01-31.") from None
    if kind == CustomFieldType.USER:
        if not raw.isdigit():
            raise ValueError("Give a numeric user id.")
        return int(raw)
    if kind == CustomFieldType.CHOICE and raw not in definition_choices:
        raise ValueError(f"Choose one of {', '.join(sorted(definition_choices))}.")
    return raw


def _sqlite_decimal_key(text):
    try:
        return encode_sortable(Decimal(text), MONEY_DIGITS - MONEY_PLACES, MONEY_PLACES)
    except (InvalidOperation, TypeError, ValueError):
        return None


# what a stored Decimal string looks like (str(Decimal): digits, a point, an exponent);
# anything else (a value another company keeps under the same code in a text field) is
# not a number and never reaches the cast, so the cast cannot fail on any row
DECIMAL_TEXT = "^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]{1,4})?$"


class CustomDecimal(Func):
    """A custom value stored as a Decimal string, comparable exactly: ``numeric`` on
    PostgreSQL (NULL where the text is not a decimal, so the expression is safe on every
    row and the same for every company: one expression index per code serves it, see
    :func:`custom_field_index`); on SQLite the order-preserving text MoneyField stores (a
    float never enters the comparison)."""

    output_field = MoneyField()

    def __init__(self, code: str):
        super().__init__(KeyTextTransform(code, "custom"))

    def as_sql(self, compiler, connection, **extra_context):
        text, params = compiler.compile(self.source_expressions[0])
        return (f"CASE WHEN {text} ~ %s THEN CAST({text} AS numeric) END",
                (*params, DECIMAL_TEXT, *params))

    def as_sqlite(self, compiler, connection, **extra_context):
        connection.ensure_connection()
        connection.connection.create_function("cuadra_decimal_key", 1, _sqlite_decimal_key,
                                              deterministic=True)
        return super().as_sql(compiler, connection, template="cuadra_decimal_key("
                              "%(expressions)s)", **extra_context)


LOOKUPS = {"eq": Exact, "min": GreaterThanOrEqual, "max": LessThanOrEqual}


def custom_value(code: str, kind: str):
    """The expression a custom filter on ``code`` of type ``kind`` compares: the same
    for every company, so that one expression index per (code, kind) serves it."""
    if kind in (CustomFieldType.NUMBER, CustomFieldType.MONEY):
        return CustomDecimal(code)
    if kind == CustomFieldType.DATE:
        return KeyTextTransform(code, "custom")  # ISO dates compare as text in order
    return KeyTransform(code, "custom")


def custom_field_index(code: str, kind: str) -> Index:
    """The expression index behind the filters on a custom field (PostgreSQL; see
    :func:`cuadra.documents.custom_fields.custom_field_index_ensure`): a range on a
    number, money or date field, or equality on the others, reads the matching rows
    instead of parsing every row's JSON."""
    tag = ("n" if kind in (CustomFieldType.NUMBER, CustomFieldType.MONEY)
           else "d" if kind == CustomFieldType.DATE else "e")
    # company first, as every registry index: the filter always names the companies
    return Index(F("company"), custom_value(code, kind), name=f"docrecord_cf{tag}_{code}")


def _custom_lookup(code: str, kind: str, op: str, value, company_ids: list[int],
                   everywhere: bool = False) -> Q:
    # the companies whose field of this code has this type: another company's rows
    # never match, even where they hold a value under the same code. ``everywhere``:
    # that is every company the query is scoped to, which the scope already says (a
    # repeated 20-id IN makes the planner price the index as 20 x 20 descents)
    in_companies = Q() if everywhere else Q(company_id__in=company_ids)
    if kind in (CustomFieldType.NUMBER, CustomFieldType.MONEY):
        return in_companies & Q(LOOKUPS[op](custom_value(code, kind),
                                            Value(value, output_field=MoneyField())))
    if kind == CustomFieldType.DATE:
        return in_companies & Q(LOOKUPS[op](custom_value(code, kind), Value(value)))
    return in_companies & Q(**{f"custom__{code}": value})


def custom_filter_condition(custom: list[CustomFilter], *, company_ids: list[int],
                            user=None) -> Q:
    """The custom-field filters as one condition. A code means, in each company, that
    company's field of that code; a company without it, or whose field does not take
    the value (a range on its text field), matches nothing. A code no company of the
    user defines, or a value that fits the field in none of them, is refused with the
    filter named (never dropped: a dropped filter would widen an export).
    ``company_ids``: the companies the query it joins is already restricted to (its
    scope)."""
    codes = sorted({c.code for c in custom})
    definitions: dict[str, list[CustomFieldDefinition]] = {code: [] for code in codes}
    found = list(CustomFieldDefinition.objects.filter(company_id__in=company_ids,
                                                      key__in=codes).select_related("company"))
    grants_prefetch(user=user, company_ids={d.company_id for d in found})
    for d in found:
        # a field the user's role hides there is not filterable there either: a range
        # filter would reveal the hidden values row by row
        if user is None or field_visible(user=user, company=d.company, path=Path.DOCUMENTS,
                                         field=d.key):
            definitions[d.key].append(d)
    errors = ErrorCollector()
    condition = Q()
    for item in custom:
        found = definitions[item.code]
        if not found:
            errors.add(item.param, f"No custom field '{item.code}' in your companies.")
            continue
        term, problems = Q(pk__in=[]), []
        for kind in sorted({d.field_type for d in found}):
            same = [d for d in found if d.field_type == kind]
            if item.op != "eq" and kind not in RANGE_TYPES:
                problems.append(f"'{item.code}' is a {kind} field: filter it by equality "
                                "(cf.<code>=value), not by range.")
                continue
            choices = {str(c) for d in same for c in d.choices}
            try:
                value = _typed(kind, item.value, choices)
            except ValueError as exc:
                problems.append(f"{same[0].label}: {exc}")
                continue
            ids = sorted(d.company_id for d in same)
            term |= _custom_lookup(item.code, kind, item.op, value, ids,
                                   everywhere=set(ids) >= set(company_ids))
        if len(problems) == len({d.field_type for d in found}):
            # the value fits the field in none of the companies: refused, not ignored
            errors.add(item.param, problems[0])
            continue
        condition &= term
    errors.raise_if_any()
    return condition


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
