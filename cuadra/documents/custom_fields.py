"""Custom fields a company defines for its documents, and the registry-owned annotations
of a record (custom values, tags, folder, shared with). None of these ever touch the
document itself; a sync of the document never overwrites them."""

from __future__ import annotations

import datetime as dt
import logging
import re
from contextlib import nullcontext
from decimal import Decimal, InvalidOperation

from django.db import DatabaseError, connection, transaction

from cuadra.access.selectors import users_for_company
from cuadra.core.audit import audit_create, audit_update, snapshot
from cuadra.core.errors import ErrorCollector, NotFound, ValidationError
from cuadra.core.events import publish_on_commit
from cuadra.documents import tasks
from cuadra.documents.columns import STATIC_COLUMNS
from cuadra.documents.filters import custom_field_index
from cuadra.documents.models import CustomFieldDefinition, CustomFieldType, DocumentRecord

log = logging.getLogger(__name__)
KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
TAG_RE = re.compile(r"^[^,\s][^,]{0,39}$")


def custom_field_definitions_list(*, company):
    return CustomFieldDefinition.objects.filter(company=company).order_by("key")


def custom_field_definition_create(*, company, actor, key: str, label: str,
                                   field_type: str, choices: list[str] | None = None
                                   ) -> CustomFieldDefinition:
    errors = ErrorCollector()
    key = (key or "").strip()
    label = (label or "").strip()
    choices = [str(c).strip() for c in (choices or []) if str(c).strip()]
    if not KEY_RE.match(key):
        errors.add("key", "Use lower-case letters, digits and _ (starting with a letter), "
                          "at most 40.")
    elif key in STATIC_COLUMNS:
        errors.add("key", f"'{key}' is a built-in column.")
    elif CustomFieldDefinition.objects.filter(company=company, key=key).exists():
        errors.add("key", f"A custom field '{key}' already exists.", code="CONFLICT")
    if not label or len(label) > 100:
        errors.add("label", "Give a label of 1 to 100 characters.")
    if field_type not in CustomFieldType.values:
        errors.add("fieldType", f"Choose one of {', '.join(CustomFieldType.values)}.")
    if field_type == CustomFieldType.CHOICE and not choices:
        errors.add("choices", "A choice field lists its choices.")
    if field_type != CustomFieldType.CHOICE and choices:
        errors.add("choices", "Only a choice field has choices.")
    errors.raise_if_any()
    definition = CustomFieldDefinition.objects.create(
        company=company, key=key, label=label, field_type=field_type, choices=choices)
    audit_create(actor=actor, company_id=company.pk, obj=definition,
                 operation="custom_field_definition_create")
    publish_on_commit(tasks.documents_custom_field_index.delay, key, field_type)
    return definition


def custom_field_index_ensure(*, key: str, field_type: str) -> bool:
    """Create the expression index the filters on custom field ``key`` use, if it is
    missing (PostgreSQL; one per code and type, shared by every company that defines
    it). Outside a transaction it is built CONCURRENTLY, so the registry keeps taking
    writes meanwhile. An optimisation only: a failure is logged, and the filter still
    works, by a scan. True if an index was created."""
    if connection.vendor != "postgresql":
        return False
    index = custom_field_index(key, field_type)
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_class WHERE relname = %s", [index.name])
        if cursor.fetchone():
            return False
    concurrently = not connection.in_atomic_block
    try:
        # inside a transaction: a savepoint, so a failure leaves the caller's intact
        with (nullcontext() if concurrently else transaction.atomic()), \
                connection.schema_editor(atomic=False) as editor:
            editor.add_index(DocumentRecord, index, concurrently=concurrently)
    except DatabaseError:
        log.warning("custom field index %s not created", index.name, exc_info=True)
        return False
    return True


def _money(value) -> str:
    if isinstance(value, float):
        raise ValueError("send money as a string")
    parsed = Decimal(str(value).strip())
    if not parsed.is_finite():
        raise ValueError("not finite")
    return str(parsed)


def clean_value(definition: CustomFieldDefinition, value, *, company):
    """The stored JSON form of ``value`` (None clears it); raises ValueError with a
    message when the value does not fit the type. Money and numbers are Decimal strings,
    dates ISO strings, users ids."""
    if value is None or value == "":
        return None
    kind = definition.field_type
    if kind == CustomFieldType.TEXT:
        text = str(value)
        if len(text) > 1000:
            raise ValueError("at most 1000 characters")
        return text
    if kind in (CustomFieldType.MONEY, CustomFieldType.NUMBER):
        try:
            return _money(value)
        except (InvalidOperation, ValueError):
            raise ValueError("is not an exact decimal number (send it as a string)") from None
    if kind == CustomFieldType.DATE:
        try:
            return dt.date.fromisoformat(str(value)).isoformat()
        except ValueError:
            raise ValueError("use an ISO date, e.g. 2025-01-31") from None
    if kind == CustomFieldType.CHOICE:
        if str(value) not in definition.choices:
            raise ValueError(f"choose one of {', '.join(definition.choices)}")
        return str(value)
    if kind == CustomFieldType.USER:
        text = str(value)
        if not text.isdigit() or not users_for_company(company=company).filter(
                pk=int(text)).exists():
            raise ValueError("is not a user of this company")
        return int(text)
    raise ValueError(f"unknown type {kind}")  # pragma: no cover - choices forbid it


def record_get(*, company, record_id) -> DocumentRecord:
    text = str(record_id)
    record = (DocumentRecord.objects.filter(company=company, pk=int(text)).first()
              if text.isdigit() else None)
    if record is None:
        raise NotFound("No such document.", field="documentId")
    return record


@transaction.atomic
def document_custom_fields_set(*, company, actor, record_id, values: dict
                               ) -> DocumentRecord:
    """Set (or with None, clear) custom values of one record; every key is checked
    against the company's definitions and every value against its type."""
    record = record_get(company=company, record_id=record_id)
    record = DocumentRecord.objects.select_for_update().get(pk=record.pk)
    definitions = {d.key: d for d in custom_field_definitions_list(company=company)}
    errors = ErrorCollector()
    custom = dict(record.custom)
    for key, value in (values or {}).items():
        definition = definitions.get(key)
        if definition is None:
            errors.add(f"values.{key}", f"No custom field '{key}' in this company.")
            continue
        try:
            cleaned = clean_value(definition, value, company=company)
        except ValueError as exc:
            errors.add(f"values.{key}", f"{definition.label}: {exc}.")
            continue
        if cleaned is None:
            custom.pop(key, None)
        else:
            custom[key] = cleaned
    errors.raise_if_any()
    before = snapshot(record)
    record.custom = custom
    record.save(update_fields=["custom", "updated_at"])
    audit_update(actor=actor, company_id=company.pk, obj=record, before=before,
                 operation="document_custom_fields_set")
    return record


def _wrap(items) -> str:
    return f",{','.join(str(i) for i in items)}," if items else ""


@transaction.atomic
def document_record_annotate(*, company, actor, record_id, tags: list[str] | None = None,
                             folder: str | None = None,
                             shared_with: list | None = None) -> DocumentRecord:
    """Tags, folder and the users a record is shared with (users of the company)."""
    record = record_get(company=company, record_id=record_id)
    record = DocumentRecord.objects.select_for_update().get(pk=record.pk)
    errors = ErrorCollector()
    before = snapshot(record)
    if tags is not None:
        clean_tags = list(dict.fromkeys(str(t).strip() for t in tags if str(t).strip()))
        for i, tag in enumerate(clean_tags):
            if not TAG_RE.match(tag):
                errors.add(f"tags[{i}]", "A tag has 1 to 40 characters and no comma.")
        record.tags = _wrap(clean_tags)
    if folder is not None:
        if len(folder.strip()) > 255:
            errors.add("folder", "A folder name has at most 255 characters.")
        record.folder = folder.strip()
    if shared_with is not None:
        ids = sorted({int(u) for u in shared_with if str(u).isdigit()})
        found = set(users_for_company(company=company).filter(pk__in=ids)
                    .values_list("pk", flat=True))
        if len(ids) != len([u for u in shared_with if u not in (None, "")]) or \
                set(ids) != found:
            errors.add("sharedWith", "Share only with users of this company.")
        record.shared_with = _wrap(ids)
    errors.raise_if_any()
    if len(record.tags) > 1000 or len(record.shared_with) > 1000:
        raise ValidationError("Too many tags or users.", field="tags")
    record.save(update_fields=["tags", "folder", "shared_with", "updated_at"])
    audit_update(actor=actor, company_id=company.pk, obj=record, before=before,
                 operation="document_record_annotate")
    return record
