"""Helpers the purchasing services share: lookups, headers, line writes, transitions
with idempotency keys."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction

from cuadra.contacts.models import Supplier
from cuadra.core.errors import ErrorCollector, InvalidTransition, NotFound, ValidationError
from cuadra.documents import lifecycle
from cuadra.purchasing.lines import ZERO
from cuadra.tenancy.models import Branch


@dataclass
class Result:
    document: object
    warnings: list[str] = field(default_factory=list)


def same_company(company, document, path: str = "id") -> None:
    if document.company_id != company.pk:
        raise NotFound("No such document.", field=path)


def supplier_get(company, supplier, path: str = "supplier") -> Supplier:
    pk = getattr(supplier, "pk", supplier)
    found = (Supplier.objects.filter(company=company, pk=int(pk)).first()
             if str(pk).isdigit() else None)
    if found is None:
        raise NotFound("No such supplier in this company.", field=path)
    if not found.is_active:
        raise ValidationError("The supplier is inactive.", field=path)
    return found


def optional(model, company, value, path, errors):
    if value in (None, ""):
        return None
    pk = getattr(value, "pk", value)
    found = (model.objects.filter(company=company, pk=int(pk)).first()
             if str(pk).isdigit() else None)
    if found is None:
        errors.add(path, f"No such {model._meta.verbose_name} in this company.")
    return found


def parse_date(value, errors, path="date", default=None):
    if value in (None, ""):
        return default
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        errors.add(path, "Use an ISO date, e.g. 2025-01-31.")
        return default


def header(company, supplier: Supplier, data: dict, errors: ErrorCollector) -> dict:
    date = parse_date(data.get("date"), errors, default=dt.date.today())
    currency = (data.get("currency") or supplier.currency or company.base_currency).upper()
    if len(currency) != 3 or not currency.isalpha():
        errors.add("currency", "Use a three-letter ISO 4217 code.")
    return {"date": date, "currency": currency, "notes": data.get("notes") or "",
            "branch": optional(Branch, company, data.get("branch"), "branch", errors)}


def write_lines(document, built: list[dict]) -> None:
    model = document.lines.model
    document.lines.all().delete()
    model.objects.bulk_create([model(company_id=document.company_id, document=document,
                                     **values) for values in built])
    refresh_totals(document)


def refresh_totals(document) -> None:
    lines = list(document.lines.all())
    document.subtotal = sum((li.base_amount for li in lines), ZERO)
    document.tax_total = sum((li.tax_amount for li in lines), ZERO)
    document.total = sum((li.total_amount for li in lines), ZERO)
    fields = ["subtotal", "tax_total", "total", "updated_at"]
    if hasattr(document, "amount_due"):
        document.amount_due = document.total
        fields.append("amount_due")
    document.save(update_fields=fields)


def locked(document):
    return type(document)._base_manager.select_for_update().get(pk=document.pk)


def locked_draft(document):
    row = locked(document)
    if row.status != "draft":
        raise InvalidTransition("Only a draft is edited.", field="id")
    return row


@transaction.atomic
def document_transition(*, company, actor, document, action: str, comment: str = "",
                        idempotency_key: str | None = None) -> Result:
    """Move a purchasing document by ``action``. With an ``idempotency_key`` (documents
    with ``issue_key``), a retry returns the first result and writes nothing."""
    same_company(company, document)
    model = type(document)
    if idempotency_key:
        if not hasattr(model, "issue_key"):
            raise ValidationError("This document takes no idempotency key.",
                                  field="idempotencyKey")
        seen = model.objects.filter(company=company, issue_key=idempotency_key).first()
        if seen is not None:
            return Result(seen)
        row = locked(document)
        row.issue_key = idempotency_key
        row.save(update_fields=["issue_key", "updated_at"])
    lifecycle.transition(document=document, action=action, actor=actor, comment=comment)
    return Result(document)


def reason_required(reason: str, path: str = "reason") -> str:
    text = (reason or "").strip()
    if not text:
        raise ValidationError("Say why.", field=path)
    return text[:500]
