"""The registry's columns: the static catalog, the company's custom fields, and each
user's configuration per view (seed 004 "Custom Fields Engine").

A configuration is an ordered list of ``{"key", "label", "pinned"}``: the order is the
column order, absent keys are hidden, a non-blank ``label`` renames the column. A user's
own configuration wins; else the default a company admin published for the view; else the
built-in default. Role-based field visibility (``access.selectors.field_visible`` on the
DOCUMENTS path) removes a column everywhere: the page, the API and the export.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cuadra.access.permissions import Path
from cuadra.access.selectors import field_visible
from cuadra.core.audit import audit_create, audit_delete, audit_update, snapshot
from cuadra.core.errors import ErrorCollector, ValidationError
from cuadra.documents.models import ColumnConfig, CustomFieldDefinition, DocumentView

CUSTOM_PREFIX = "cf:"


@dataclass(frozen=True)
class ColumnSpec:
    key: str
    label: object  # str, or a lazy translation for the static columns
    kind: str  # text, money, date, datetime, choice, user, number
    fields: tuple[str, ...] = ()  # the DocumentRecord values() this column reads


STATIC_COLUMNS: dict[str, ColumnSpec] = {c.key: c for c in (
    ColumnSpec("number", _("Number"), "text", ("number",)),
    ColumnSpec("kind", _("Type"), "text", ("kind",)),
    ColumnSpec("date", _("Date"), "date", ("document_date",)),
    ColumnSpec("due_date", _("Due date"), "date", ("due_date",)),
    ColumnSpec("created_at", _("Created"), "datetime", ("document_created_at",)),
    ColumnSpec("party", _("Customer / supplier"), "text", ("party_name",)),
    ColumnSpec("party_code", _("Party code"), "text", ("party_code",)),
    ColumnSpec("company", _("Company"), "text", ("company__code",)),
    ColumnSpec("branch", _("Branch"), "text", ("branch__code",)),
    ColumnSpec("creator", _("Created by"), "text", ("creator__username",)),
    ColumnSpec("owner", _("Owner"), "text", ("owner__username",)),
    ColumnSpec("customer_status", _("Customer status"), "text", ("customer_status",)),
    ColumnSpec("manager", _("Manager"), "text", ("manager_name",)),
    ColumnSpec("currency", _("Currency"), "text", ("currency",)),
    ColumnSpec("amount", _("Amount"), "money", ("amount",)),
    ColumnSpec("tax", _("Tax"), "money", ("tax",)),
    ColumnSpec("paid", pgettext_lazy("amount", "Paid"), "money", ("paid_amount",)),
    ColumnSpec("balance", _("Balance"), "money", ("amount", "paid_amount")),
    ColumnSpec("payment_state", _("Payment"), "text", ("payment_state",)),
    ColumnSpec("status", _("Status"), "text", ("status",)),
    ColumnSpec("tags", _("Tags"), "text", ("tags",)),
    ColumnSpec("folder", _("Folder"), "text", ("folder",)),
    ColumnSpec("notes", _("Notes"), "text", ("notes",)),
    ColumnSpec("shared_with", _("Shared with"), "text", ("shared_with",)),
)}

DEFAULT_COLUMNS = {
    DocumentView.EVERYTHING: ["number", "kind", "date", "party", "company", "amount",
                              "payment_state", "status"],
    DocumentView.MOVED: ["number", "kind", "date", "party", "amount", "tax", "paid",
                         "company"],
    DocumentView.DID_NOT_PASS: ["number", "kind", "date", "due_date", "party", "manager",
                                "balance", "payment_state"],
}


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    default_label: str
    kind: str
    pinned: bool
    fields: tuple[str, ...]
    choices: tuple[str, ...] = ()

    @property
    def is_custom(self) -> bool:
        return self.key.startswith(CUSTOM_PREFIX)


def view_of(value: str | None) -> str:
    view = (value or DocumentView.EVERYTHING).lower()
    if view not in DocumentView.values:
        raise ValidationError(f"Unknown view '{value}'; choose one of "
                              f"{', '.join(DocumentView.values)}.", field="view")
    return view


def available_columns(*, company, user, definitions: list[CustomFieldDefinition] | None = None
                      ) -> dict[str, ColumnSpec]:
    """Static and custom columns this user may see in the company, catalog order
    (``definitions``: the company's custom fields, when the caller has read them)."""
    if definitions is None:
        definitions = list(CustomFieldDefinition.objects.filter(company=company))
    out = {k: c for k, c in STATIC_COLUMNS.items()
           if field_visible(user=user, company=company, path=Path.DOCUMENTS, field=k)}
    for d in sorted(definitions, key=lambda d: d.key):
        if field_visible(user=user, company=company, path=Path.DOCUMENTS, field=d.key):
            out[CUSTOM_PREFIX + d.key] = ColumnSpec(CUSTOM_PREFIX + d.key, d.label,
                                                    d.field_type, ("custom",))
    return out


def _stored(*, company, user, view) -> list[dict] | None:
    """The user's own configuration, else the company default (one query for both)."""
    mine = Q(user__isnull=True) if user is None else Q(user=user) | Q(user__isnull=True)
    found = {c.user_id: c.columns
             for c in ColumnConfig.objects.filter(mine, company=company, view=view)}
    if user is not None and user.pk in found:
        return found[user.pk]
    return found.get(None)


def column_config_get(*, company, user, view: str) -> list[Column]:
    """The columns the user sees in ``view``, in order; columns no longer available (a
    deleted custom field, a hidden field) drop out."""
    view = view_of(view)
    definitions = list(CustomFieldDefinition.objects.filter(company=company))
    available = available_columns(company=company, user=user, definitions=definitions)
    entries = _stored(company=company, user=user, view=view)
    if entries is None:
        entries = [{"key": k} for k in DEFAULT_COLUMNS[view]]
    choices = {CUSTOM_PREFIX + d.key: tuple(d.choices) for d in definitions}
    out = []
    for entry in entries:
        spec = available.get(entry["key"])
        if spec is None:
            continue
        default = str(spec.label)  # in the request's language
        out.append(Column(spec.key, entry.get("label") or default, default, spec.kind,
                          bool(entry.get("pinned")), spec.fields,
                          choices.get(spec.key, ())))
    # pinned columns come first, keeping their relative order
    return [c for c in out if c.pinned] + [c for c in out if not c.pinned]


def _clean(*, company, user, columns: list[dict]) -> list[dict]:
    available = available_columns(company=company, user=user)
    errors = ErrorCollector()
    seen: set[str] = set()
    cleaned = []
    if not columns:
        errors.add("columns", "Keep at least one column visible.")
    for i, entry in enumerate(columns):
        key = str(entry.get("key") or "")
        label = str(entry.get("label") or "").strip()
        if key not in available:
            errors.add(f"columns[{i}].key", f"Unknown column '{key}'.")
        elif key in seen:
            errors.add(f"columns[{i}].key", f"Column '{key}' is listed twice.")
        if len(label) > 100:
            errors.add(f"columns[{i}].label", "A label has at most 100 characters.")
        seen.add(key)
        cleaned.append({"key": key, "label": label, "pinned": bool(entry.get("pinned"))})
    errors.raise_if_any()
    return cleaned


def _write(*, company, user, view, columns, actor, operation) -> ColumnConfig:
    config = (ColumnConfig.objects.select_for_update()
              .filter(company=company, user=user, view=view).first())
    if config is None:
        config = ColumnConfig.objects.create(company=company, user=user, view=view,
                                             columns=columns)
        audit_create(actor=actor, company_id=company.pk, obj=config, operation=operation)
        return config
    before = snapshot(config)
    config.columns = columns
    config.save(update_fields=["columns", "updated_at"])
    audit_update(actor=actor, company_id=company.pk, obj=config, before=before,
                 operation=operation)
    return config


def column_config_save(*, company, actor, view: str, columns: list[dict]) -> list[Column]:
    """Save the actor's own columns for ``view``: order, visibility, pins, labels."""
    view = view_of(view)
    cleaned = _clean(company=company, user=actor, columns=columns)
    _write(company=company, user=actor, view=view, columns=cleaned, actor=actor,
           operation="document_columns_save")
    return column_config_get(company=company, user=actor, view=view)


def column_config_reset(*, company, actor, view: str) -> list[Column]:
    """Drop the actor's own columns: the company default applies again."""
    view = view_of(view)
    mine = ColumnConfig.objects.filter(company=company, user=actor, view=view).first()
    if mine is not None:
        audit_delete(actor=actor, company_id=company.pk, obj=mine,
                     operation="document_columns_reset")
        mine.delete()
    return column_config_get(company=company, user=actor, view=view)


def column_config_publish(*, company, actor, view: str, columns: list[dict]) -> list[Column]:
    """A company admin's default for ``view`` (the API checks SETTINGS:UPDATE). Validated
    against the catalog as the admin sees it."""
    view = view_of(view)
    cleaned = _clean(company=company, user=actor, columns=columns)
    _write(company=company, user=None, view=view, columns=cleaned, actor=actor,
           operation="document_columns_publish")
    return column_config_get(company=company, user=None, view=view)
