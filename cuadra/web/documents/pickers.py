"""The filter panel's choices (seed 004 "Filtering Philosophy"): names to pick from, never
ids to type. Everything is read within the companies whose documents the user may see, so
a picker names no one from a company the user has no role in."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model

from cuadra.access.permissions import Path
from cuadra.access.selectors import field_visible
from cuadra.contacts.enums import ClientStatus
from cuadra.contacts.models import Salesperson
from cuadra.documents.display import customer_status_label, status_label
from cuadra.documents.filters import visible_scope
from cuadra.documents.lifecycle import registered_document_types
from cuadra.documents.models import CustomFieldDefinition, CustomFieldType, DocumentRecord
from cuadra.purchasing.enums import PaymentStatus as SupplierPaymentStatus
from cuadra.sales.enums import PaymentStatus as ClientPaymentStatus

# a picker lists at most this many distinct tags (the filter still takes any tag typed
# into the URL); the page must not scan an unbounded set to draw a list
MAX_TAGS = 200

# custom fields filtered by a range (cf.<key>.min / cf.<key>.max) rather than a value
RANGE_TYPES = (CustomFieldType.MONEY, CustomFieldType.NUMBER, CustomFieldType.DATE)

@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class CustomFieldInput:
    """One custom field's inputs: ``name`` for a value, ``name_min``/``name_max`` for a
    range, as docs-speed's filters read them (``cf.<key>``, ``cf.<key>.min|max``)."""

    key: str
    label: str
    field_type: str
    choices: tuple[Choice, ...] = ()

    @property
    def is_range(self) -> bool:
        return self.field_type in RANGE_TYPES

    @property
    def name(self) -> str:
        return f"cf.{self.key}"

    @property
    def name_min(self) -> str:
        return f"cf.{self.key}.min"

    @property
    def name_max(self) -> str:
        return f"cf.{self.key}.max"

    @property
    def input_type(self) -> str:
        return "date" if self.field_type == CustomFieldType.DATE else "text"


def _person(user) -> str:
    return user.get_full_name() or user.username


def team_members(*, user) -> list[Choice]:
    """The users holding a role in a company whose documents the user may see."""
    users = (get_user_model().objects
             .filter(role_assignments__company_id__in=list(visible_scope(user=user)))
             .distinct().order_by("username"))
    return sorted((Choice(str(u.pk), _person(u)) for u in users),
                  key=lambda c: c.label.casefold())


def managers(*, user) -> list[Choice]:
    """The salespersons a client names as its manager (the registry's ``manager_id``)."""
    people = Salesperson.objects.filter(company_id__in=list(visible_scope(user=user)))
    return [Choice(str(p.pk), f"{p.name} ({p.company.code})" if _several(user) else p.name)
            for p in people.select_related("company").order_by("name", "code")]


def _several(user) -> bool:
    return len(visible_scope(user=user)) > 1


def tags(*, user) -> list[str]:
    """The distinct tags on the documents of the user's companies, alphabetically."""
    stored = (DocumentRecord.objects.filter(company_id__in=list(visible_scope(user=user)))
              .exclude(tags="").values_list("tags", flat=True).distinct()[:MAX_TAGS])
    found = {t for value in stored for t in value.split(",") if t}
    return sorted(found, key=str.casefold)


def statuses() -> list[Choice]:
    """Every status a registered document or payment can be in."""
    values: list[str] = []
    for spec in registered_document_types().values():
        for workflow in spec.workflows.values():
            values.extend(workflow.states)
    values.extend(ClientPaymentStatus.values)
    values.extend(SupplierPaymentStatus.values)
    unique = list(dict.fromkeys(values))
    return sorted((Choice(v, status_label(v)) for v in unique), key=lambda c: c.label)


def customer_statuses() -> list[Choice]:
    return [Choice(value, customer_status_label(value)) for value in ClientStatus.values]


def custom_field_inputs(*, company, user) -> list[CustomFieldInput]:
    """The active company's custom fields the user may see (a hidden field is neither a
    column nor a filter for them)."""
    out = []
    for d in CustomFieldDefinition.objects.filter(company=company).order_by("key"):
        if not field_visible(user=user, company=company, path=Path.DOCUMENTS, field=d.key):
            continue
        if d.field_type == CustomFieldType.CHOICE:
            choices = tuple(Choice(c, c) for c in d.choices)
        elif d.field_type == CustomFieldType.USER:
            choices = tuple(team_members(user=user))
        else:
            choices = ()
        out.append(CustomFieldInput(d.key, d.label, d.field_type, choices))
    return out
