"""Writes of the contacts domain: clients, suppliers, factories, salespersons, their
addresses and contact persons, tags and the company's credit policy.

Every write validates first (a refusal lists every bad field and writes nothing), runs in
one transaction and leaves an audit row. A row of another company is NOT_FOUND.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import IntegrityError, transaction

from cuadra.access import selectors as access
from cuadra.contacts import validation as v
from cuadra.contacts.enums import (
    AddressKind,
    ClientStatus,
    CreditLimitPolicy,
    ReceiverType,
)
from cuadra.contacts.models import (
    Address,
    Client,
    ContactPerson,
    ContactsSettings,
    Factory,
    Salesperson,
    Supplier,
    Tag,
)
from cuadra.contacts.selectors import row_get
from cuadra.core.audit import audit_record, diff, snapshot
from cuadra.core.errors import ErrorCollector, NotFound, ValidationError
from cuadra.core.models import AuditAction

# --- fields each kind of row takes, with their defaults ------------------------------------

_PARTY = {"code": "", "legal_name": "", "trade_name": "", "tax_id_type": "", "tax_id": "",
          "tax_dv": "", "email": "", "phone": "", "country": "PA", "currency": None,
          "payment_terms_days": 0, "notes": "", "is_active": True}
_FIELDS: dict[type, dict] = {
    Client: {**_PARTY, "receiver_type": ReceiverType.CONSUMIDOR_FINAL,
             "status": ClientStatus.ACTIVE, "credit_limit": None, "price_list_code": "",
             "salesperson": None, "tags": []},
    Supplier: dict(_PARTY),
    Factory: {**_PARTY, "supplier": None},
    Salesperson: {"code": "", "name": "", "email": "", "phone": "", "user": None,
                  "commission_percent": Decimal(0), "is_active": True},
}
_ADDRESS = {"kind": AddressKind.BILLING, "line1": "", "line2": "", "city": "",
            "location_code": "", "province": "", "district": "", "corregimiento": "",
            "postal_code": "", "country": "PA", "is_default": None}
_PERSON = {"name": "", "role": "", "phone": "", "email": ""}
_HUNDRED = Decimal(100)


def _known(model, given: dict, allowed: dict) -> None:
    unknown = set(given) - set(allowed)
    if unknown:  # a programming error, not user input
        raise TypeError(f"{model.__name__} has no field(s) {', '.join(sorted(unknown))}")


def _own(obj, company) -> None:
    if obj is None or obj.company_id != company.pk:
        label = type(obj).__name__.lower() if obj is not None else "row"
        raise NotFound(f"No such {label} in this company.", field="id")


def _snap(obj) -> dict:
    data = snapshot(obj)
    if isinstance(obj, Client) and obj.pk:
        data["tags"] = sorted(obj.tags.values_list("pk", flat=True))
    return data


def _audit(action: str, *, actor, company, obj, before: dict | None, operation: str) -> None:
    after = _snap(obj) if action != AuditAction.DELETE else {}
    audit_record(action=action, actor=actor, company_id=company.pk, obj=obj,
                 changes=diff(before or {}, after), operation=operation)


def _save(obj, *, field: str = "code") -> None:
    """Insert or update; a unique clash a concurrent writer won comes back as VALIDATION."""
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:
        raise ValidationError("Already used in this company.", field=field) from None


# --- references (another company's row is NOT_FOUND) ---------------------------------------

def _ref(model, company, value, field: str):
    if value in (None, ""):
        return None
    if isinstance(value, model):
        if value.company_id != company.pk:
            raise NotFound(f"No such {field} in this company.", field=field)
        return value
    return row_get(model, company=company, pk=value, field=field)


def _tags(company, values) -> list[Tag]:
    return [_ref(Tag, company, t, "tags") for t in values or []]


def _user(company, value):
    if value in (None, ""):
        return None
    pk = getattr(value, "pk", value)
    return access.user_in_company(company=company, user_id=pk)


def _resolve(model, company, values: dict) -> dict:
    out = dict(values)
    if "salesperson" in out:
        out["salesperson"] = _ref(Salesperson, company, out["salesperson"], "salesperson")
    if "supplier" in out:
        out["supplier"] = _ref(Supplier, company, out["supplier"], "supplier")
    if "tags" in out:
        out["tags"] = _tags(company, out["tags"])
    if "user" in out:
        out["user"] = _user(company, out["user"])
    return out


# --- validation of a whole row -------------------------------------------------------------

def _code_taken(model, company, code: str, instance) -> bool:
    qs = model.objects.filter(company=company, code=code)
    return qs.exclude(pk=instance.pk).exists() if instance is not None else qs.exists()


def _clean_party(model, company, values: dict, instance) -> dict:
    errors = ErrorCollector()
    out = dict(values)
    out["code"] = v.required(errors, "code", out["code"])
    out["legal_name"] = v.required(errors, "legal_name", out["legal_name"])
    out["trade_name"] = (out["trade_name"] or "").strip()
    identity = v.tax_identity(errors, id_type=out["tax_id_type"], number=out["tax_id"],
                              dv=out["tax_dv"])
    out.update(tax_id_type=identity.id_type, tax_id=identity.number, tax_dv=identity.dv,
               taxpayer_kind=identity.kind)
    out["email"] = v.email(errors, "email", out["email"])
    out["country"] = v.country(errors, "country", out["country"])
    out["currency"] = v.currency(errors, "currency", out["currency"] or company.base_currency)
    v.int_in(errors, "payment_terms_days", out["payment_terms_days"], low=0, high=3650)
    if model is Client:
        v.receiver(errors, receiver_type=out["receiver_type"], identity=identity)
        v.choice(errors, "status", out["status"], ClientStatus)
        out["credit_limit"] = v.decimal_in(errors, "credit_limit", out["credit_limit"],
                                           low=Decimal(0), nullable=True)
        out["price_list_code"] = (out["price_list_code"] or "").strip()
    _finish(errors, model, company, out, instance)
    return out


def _clean_salesperson(model, company, values: dict, instance) -> dict:
    errors = ErrorCollector()
    out = dict(values)
    out["code"] = v.required(errors, "code", out["code"])
    out["name"] = v.required(errors, "name", out["name"])
    out["email"] = v.email(errors, "email", out["email"])
    out["commission_percent"] = v.decimal_in(errors, "commission_percent",
                                             out["commission_percent"], low=Decimal(0),
                                             high=_HUNDRED)
    _finish(errors, model, company, out, instance)
    return out


def _finish(errors: ErrorCollector, model, company, out: dict, instance) -> None:
    v.lengths(errors, model, out)
    if out.get("code") and _code_taken(model, company, out["code"], instance):
        errors.add("code", f"Code {out['code']!r} is already used in this company.")
    errors.raise_if_any()


_CLEANERS = {Client: _clean_party, Supplier: _clean_party, Factory: _clean_party,
             Salesperson: _clean_salesperson}


# --- create / update / deactivate, shared by the four kinds -------------------------------

def _create(model, *, company, actor, operation: str, values: dict):
    _known(model, values, _FIELDS[model])
    values = _resolve(model, company, {**_FIELDS[model], **values})
    clean = _CLEANERS[model](model, company, values, None)
    tags = clean.pop("tags", None)
    with transaction.atomic():
        obj = model(company=company, **clean)
        _save(obj)
        if tags:
            obj.tags.set(tags)
        _audit(AuditAction.CREATE, actor=actor, company=company, obj=obj, before=None,
               operation=operation)
    return obj


def _update(model, obj, *, company, actor, operation: str, changes: dict):
    _own(obj, company)
    _known(model, changes, _FIELDS[model])
    current = {name: getattr(obj, name) for name in _FIELDS[model] if name != "tags"}
    changes = _resolve(model, company, changes)
    clean = _CLEANERS[model](model, company, {**current, **changes}, obj)
    tags = clean.pop("tags", None)  # only there when the caller changes them
    before = _snap(obj)
    with transaction.atomic():
        for name, value in clean.items():
            setattr(obj, name, value)
        _save(obj)
        if tags is not None:
            obj.tags.set(tags)
        _audit(AuditAction.UPDATE, actor=actor, company=company, obj=obj, before=before,
               operation=operation)
    return obj


def _deactivate(model, obj, *, company, actor, operation: str):
    _own(obj, company)
    if not obj.is_active:
        return obj  # already so: nothing to change, nothing to audit
    return _update(model, obj, company=company, actor=actor, operation=operation,
                   changes={"is_active": False})


def client_create(*, company, actor, code: str, legal_name: str, **fields) -> Client:
    return _create(Client, company=company, actor=actor, operation="client_create",
                   values={"code": code, "legal_name": legal_name, **fields})


def client_update(*, company, actor, client: Client, **changes) -> Client:
    return _update(Client, client, company=company, actor=actor, operation="client_update",
                   changes=changes)


def client_deactivate(*, company, actor, client: Client) -> Client:
    return _deactivate(Client, client, company=company, actor=actor,
                       operation="client_deactivate")


def supplier_create(*, company, actor, code: str, legal_name: str, **fields) -> Supplier:
    return _create(Supplier, company=company, actor=actor, operation="supplier_create",
                   values={"code": code, "legal_name": legal_name, **fields})


def supplier_update(*, company, actor, supplier: Supplier, **changes) -> Supplier:
    return _update(Supplier, supplier, company=company, actor=actor,
                   operation="supplier_update", changes=changes)


def supplier_deactivate(*, company, actor, supplier: Supplier) -> Supplier:
    return _deactivate(Supplier, supplier, company=company, actor=actor,
                       operation="supplier_deactivate")


def factory_create(*, company, actor, code: str, legal_name: str, **fields) -> Factory:
    return _create(Factory, company=company, actor=actor, operation="factory_create",
                   values={"code": code, "legal_name": legal_name, **fields})


def factory_update(*, company, actor, factory: Factory, **changes) -> Factory:
    return _update(Factory, factory, company=company, actor=actor,
                   operation="factory_update", changes=changes)


def factory_deactivate(*, company, actor, factory: Factory) -> Factory:
    return _deactivate(Factory, factory, company=company, actor=actor,
                       operation="factory_deactivate")


def salesperson_create(*, company, actor, code: str, name: str, **fields) -> Salesperson:
    return _create(Salesperson, company=company, actor=actor, operation="salesperson_create",
                   values={"code": code, "name": name, **fields})


def salesperson_update(*, company, actor, salesperson: Salesperson, **changes) -> Salesperson:
    return _update(Salesperson, salesperson, company=company, actor=actor,
                   operation="salesperson_update", changes=changes)


def salesperson_deactivate(*, company, actor, salesperson: Salesperson) -> Salesperson:
    return _deactivate(Salesperson, salesperson, company=company, actor=actor,
                       operation="salesperson_deactivate")


# --- addresses -----------------------------------------------------------------------------

def _owner_kwargs(owner) -> dict:
    for name, model in (("client", Client), ("supplier", Supplier), ("factory", Factory)):
        if isinstance(owner, model):
            return {name: owner}
    raise TypeError(f"an address or contact person belongs to a client, supplier or "
                    f"factory, not to {type(owner).__name__}")


def _siblings(address: Address, kind: str):
    owner = {k: getattr(address, f"{k}_id") for k in ("client", "supplier", "factory")}
    owner = {f"{k}_id": pk for k, pk in owner.items() if pk is not None}
    return Address.objects.filter(company_id=address.company_id, kind=kind, **owner)


def _clean_address(values: dict) -> dict:
    errors = ErrorCollector()
    out = dict(values)
    v.choice(errors, "kind", out["kind"], AddressKind)
    out["line1"] = v.required(errors, "line1", out["line1"])
    for name in ("line2", "city", "postal_code"):
        out[name] = (out[name] or "").strip()
    out["country"] = v.country(errors, "country", out["country"])
    v.location(errors, out)
    v.lengths(errors, Address, out)
    errors.raise_if_any()
    return out


def _settle_default(address: Address, kind: str) -> None:
    """Keep exactly one default per (party, kind) while the kind has any address: the
    oldest one takes over when the default leaves."""
    rows = _siblings(address, kind)
    if rows.exists() and not rows.filter(is_default=True).exists():
        rows.filter(pk=rows.order_by("pk").values("pk")[:1]).update(is_default=True)


def address_add(*, company, actor, owner, **fields) -> Address:
    _own(owner, company)
    _known(Address, fields, _ADDRESS)
    clean = _clean_address({**_ADDRESS, **fields})
    with transaction.atomic():
        address = Address(company=company, **_owner_kwargs(owner),
                          **{**clean, "is_default": False})
        first = not _siblings(address, clean["kind"]).exists()
        if clean["is_default"] or (clean["is_default"] is None and first):
            _siblings(address, clean["kind"]).filter(is_default=True).update(is_default=False)
            address.is_default = True
        address.save()
        _audit(AuditAction.CREATE, actor=actor, company=company, obj=address, before=None,
               operation="address_add")
    return address


def address_update(*, company, actor, address: Address, **changes) -> Address:
    _own(address, company)
    _known(Address, changes, _ADDRESS)
    old_kind, was_default = address.kind, address.is_default
    current = {name: getattr(address, name) for name in _ADDRESS}
    clean = _clean_address({**current, **changes})
    if clean["is_default"] is False and was_default and clean["kind"] == old_kind:
        raise ValidationError("An address stays the default of its kind until another one "
                              "becomes the default.", field="is_default")
    before = _snap(address)
    with transaction.atomic():
        # a default moved to another kind does not unseat that kind's default
        requested = changes.get("is_default")
        make_default = requested is True or (requested is None and was_default
                                             and clean["kind"] == old_kind)
        for name, value in clean.items():
            setattr(address, name, value)
        address.is_default = False
        if make_default:
            _siblings(address, address.kind).filter(is_default=True).exclude(
                pk=address.pk).update(is_default=False)
            address.is_default = True
        address.save()
        _settle_default(address, old_kind)
        _settle_default(address, address.kind)
        address.refresh_from_db()
        _audit(AuditAction.UPDATE, actor=actor, company=company, obj=address, before=before,
               operation="address_update")
    return address


def address_remove(*, company, actor, address: Address) -> None:
    _own(address, company)
    with transaction.atomic():
        before = _snap(address)
        kind = address.kind
        audit_record(action=AuditAction.DELETE, actor=actor, company_id=company.pk,
                     obj=address, changes=diff(before, {}), operation="address_remove")
        keep = Address(company_id=address.company_id, client_id=address.client_id,
                       supplier_id=address.supplier_id, factory_id=address.factory_id)
        address.delete()
        _settle_default(keep, kind)


# --- contact persons -----------------------------------------------------------------------

def _clean_person(values: dict) -> dict:
    errors = ErrorCollector()
    out = {k: (val or "").strip() for k, val in values.items()}
    out["name"] = v.required(errors, "name", out["name"])
    out["email"] = v.email(errors, "email", out["email"])
    v.lengths(errors, ContactPerson, out)
    errors.raise_if_any()
    return out


def contact_person_add(*, company, actor, owner, **fields) -> ContactPerson:
    _own(owner, company)
    _known(ContactPerson, fields, _PERSON)
    clean = _clean_person({**_PERSON, **fields})
    with transaction.atomic():
        person = ContactPerson.objects.create(company=company, **_owner_kwargs(owner),
                                              **clean)
        _audit(AuditAction.CREATE, actor=actor, company=company, obj=person, before=None,
               operation="contact_person_add")
    return person


def contact_person_update(*, company, actor, person: ContactPerson, **changes
                          ) -> ContactPerson:
    _own(person, company)
    _known(ContactPerson, changes, _PERSON)
    clean = _clean_person({**{k: getattr(person, k) for k in _PERSON}, **changes})
    before = _snap(person)
    with transaction.atomic():
        for name, value in clean.items():
            setattr(person, name, value)
        person.save()
        _audit(AuditAction.UPDATE, actor=actor, company=company, obj=person, before=before,
               operation="contact_person_update")
    return person


def contact_person_remove(*, company, actor, person: ContactPerson) -> None:
    _own(person, company)
    with transaction.atomic():
        audit_record(action=AuditAction.DELETE, actor=actor, company_id=company.pk,
                     obj=person, changes=diff(_snap(person), {}),
                     operation="contact_person_remove")
        person.delete()


# --- tags ----------------------------------------------------------------------------------

def _clean_tag(company, name: str, color: str, instance) -> dict:
    errors = ErrorCollector()
    out = {"name": v.required(errors, "name", name), "color": v.color(errors, "color", color)}
    v.lengths(errors, Tag, out)
    qs = Tag.objects.filter(company=company, name=out["name"])
    if out["name"] and (qs.exclude(pk=instance.pk) if instance else qs).exists():
        errors.add("name", f"Tag {out['name']!r} already exists.")
    errors.raise_if_any()
    return out


def tag_create(*, company, actor, name: str, color: str = "") -> Tag:
    clean = _clean_tag(company, name, color, None)
    with transaction.atomic():
        tag = Tag(company=company, **clean)
        _save(tag, field="name")
        _audit(AuditAction.CREATE, actor=actor, company=company, obj=tag, before=None,
               operation="tag_create")
    return tag


def tag_update(*, company, actor, tag: Tag, name: str | None = None,
               color: str | None = None) -> Tag:
    _own(tag, company)
    clean = _clean_tag(company, tag.name if name is None else name,
                       tag.color if color is None else color, tag)
    before = _snap(tag)
    with transaction.atomic():
        tag.name, tag.color = clean["name"], clean["color"]
        _save(tag, field="name")
        _audit(AuditAction.UPDATE, actor=actor, company=company, obj=tag, before=before,
               operation="tag_update")
    return tag


def tag_delete(*, company, actor, tag: Tag) -> None:
    """Deleting a tag takes it off every client that carried it."""
    _own(tag, company)
    with transaction.atomic():
        audit_record(action=AuditAction.DELETE, actor=actor, company_id=company.pk, obj=tag,
                     changes={**diff(_snap(tag), {}), "clients": [
                         sorted(tag.clients.values_list("pk", flat=True)), None]},
                     operation="tag_delete")
        tag.delete()


# --- company settings ----------------------------------------------------------------------

def contacts_settings_update(*, company, actor, credit_limit_policy: str) -> ContactsSettings:
    errors = ErrorCollector()
    v.choice(errors, "credit_limit_policy", credit_limit_policy, CreditLimitPolicy)
    errors.raise_if_any()
    with transaction.atomic():
        row, created = ContactsSettings.objects.select_for_update().get_or_create(
            company=company)
        before = None if created else _snap(row)
        row.credit_limit_policy = credit_limit_policy
        row.save()
        _audit(AuditAction.CREATE if created else AuditAction.UPDATE, actor=actor,
               company=company, obj=row, before=before, operation="contacts_settings_update")
    return row
