"""GraphQL types of the contacts domain. Relations are strawberry_django fields, so the
optimizer turns ``clients { addresses tags salesperson contactPersons }`` into a fixed
number of queries (select_related / prefetch_related), whatever the page size."""

from __future__ import annotations

from decimal import Decimal

import strawberry
import strawberry_django

from cuadra.api.ledger.types import Amount
from cuadra.contacts import models as m


@strawberry_django.type(m.Tag, name="ClientTag")
class TagType:
    id: strawberry.auto
    name: strawberry.auto
    color: strawberry.auto


@strawberry_django.type(m.Address, name="Address")
class AddressType:
    id: strawberry.auto
    kind: str
    line1: strawberry.auto
    line2: strawberry.auto
    city: strawberry.auto
    location_code: strawberry.auto = strawberry_django.field(
        description="DGI dCodUbi 'province-district-corregimiento', e.g. 8-8-7")
    province: strawberry.auto
    district: strawberry.auto
    corregimiento: strawberry.auto
    postal_code: strawberry.auto
    country: strawberry.auto
    is_default: strawberry.auto


@strawberry_django.type(m.ContactPerson, name="ContactPerson")
class ContactPersonType:
    id: strawberry.auto
    name: strawberry.auto
    role: strawberry.auto
    phone: strawberry.auto
    email: strawberry.auto


@strawberry_django.type(m.Salesperson, name="Salesperson")
class SalespersonType:
    id: strawberry.auto
    code: strawberry.auto
    name: strawberry.auto
    email: strawberry.auto
    phone: strawberry.auto
    user_id: strawberry.ID | None
    commission_percent: Amount
    is_active: strawberry.auto


@strawberry_django.type(m.Supplier, name="Supplier")
class SupplierType:
    id: strawberry.auto
    code: strawberry.auto
    legal_name: strawberry.auto
    trade_name: strawberry.auto
    tax_id_type: str
    tax_id: strawberry.auto
    tax_dv: strawberry.auto
    taxpayer_kind: str
    email: strawberry.auto
    phone: strawberry.auto
    country: strawberry.auto
    currency: strawberry.auto
    payment_terms_days: int
    notes: strawberry.auto
    is_active: strawberry.auto
    created_at: strawberry.auto
    addresses: list[AddressType]
    contact_persons: list[ContactPersonType]


@strawberry_django.type(m.Factory, name="Factory")
class FactoryType:
    id: strawberry.auto
    code: strawberry.auto
    legal_name: strawberry.auto
    trade_name: strawberry.auto
    tax_id_type: str
    tax_id: strawberry.auto
    tax_dv: strawberry.auto
    taxpayer_kind: str
    email: strawberry.auto
    phone: strawberry.auto
    country: strawberry.auto
    currency: strawberry.auto
    payment_terms_days: int
    notes: strawberry.auto
    is_active: strawberry.auto
    created_at: strawberry.auto
    supplier: SupplierType | None
    addresses: list[AddressType]
    contact_persons: list[ContactPersonType]


@strawberry_django.type(m.Client, name="Client")
class ClientType:
    id: strawberry.auto
    code: strawberry.auto
    legal_name: strawberry.auto
    trade_name: strawberry.auto
    tax_id_type: str
    tax_id: strawberry.auto
    tax_dv: strawberry.auto
    taxpayer_kind: str = strawberry_django.field(
        description="DGI dTipoRuc: '1' natural person, '2' legal person, '' none")
    receiver_type: str = strawberry_django.field(
        description="DGI iTipoRec: 01 contribuyente, 02 consumidor final, 03 gobierno, "
                    "04 extranjero")
    status: str
    email: strawberry.auto
    phone: strawberry.auto
    country: strawberry.auto
    currency: strawberry.auto
    payment_terms_days: int
    credit_limit: Amount | None
    price_list_code: strawberry.auto
    notes: strawberry.auto
    is_active: strawberry.auto
    created_at: strawberry.auto
    salesperson: SalespersonType | None
    tags: list[TagType]
    addresses: list[AddressType]
    contact_persons: list[ContactPersonType]


@strawberry_django.type(m.ContactsSettings, name="ContactsSettings")
class ContactsSettingsType:
    credit_limit_policy: str = strawberry_django.field(
        description="WARN: issuing over a client's credit limit warns; BLOCK: refuses")


@strawberry.type
class DeletedPayload:
    ok: bool
    id: strawberry.ID


# --- inputs --------------------------------------------------------------------------------

@strawberry.input
class ClientFilter:
    text: str | None = strawberry.field(default=None,
                                        description="in code, names or tax id")
    status: str | None = None
    tag_id: strawberry.ID | None = None
    tag: str | None = strawberry.field(default=None, description="a tag name")
    salesperson_id: strawberry.ID | None = None
    active: bool | None = None


@strawberry.input
class PartyFilter:
    text: str | None = None
    active: bool | None = None


_PARTY_DOC = ("taxIdType: RUC, CEDULA, PASSPORT or FOREIGN_ID; a RUC (and a cédula that "
              "gives one) needs the DGI DV.")


@strawberry.input(description=_PARTY_DOC)
class SupplierInput:
    code: str
    legal_name: str
    trade_name: str = ""
    tax_id_type: str = ""
    tax_id: str = ""
    tax_dv: str = ""
    email: str = ""
    phone: str = ""
    country: str = "PA"
    currency: str | None = None
    payment_terms_days: int = 0
    notes: str = ""


@strawberry.input(description=_PARTY_DOC)
class SupplierUpdateInput:
    code: str | None = strawberry.UNSET
    legal_name: str | None = strawberry.UNSET
    trade_name: str | None = strawberry.UNSET
    tax_id_type: str | None = strawberry.UNSET
    tax_id: str | None = strawberry.UNSET
    tax_dv: str | None = strawberry.UNSET
    email: str | None = strawberry.UNSET
    phone: str | None = strawberry.UNSET
    country: str | None = strawberry.UNSET
    currency: str | None = strawberry.UNSET
    payment_terms_days: int | None = strawberry.UNSET
    notes: str | None = strawberry.UNSET
    is_active: bool | None = strawberry.UNSET


@strawberry.input(description=_PARTY_DOC)
class FactoryInput(SupplierInput):
    supplier_id: strawberry.ID | None = None


@strawberry.input(description=_PARTY_DOC)
class FactoryUpdateInput(SupplierUpdateInput):
    supplier_id: strawberry.ID | None = strawberry.UNSET


@strawberry.input(description=_PARTY_DOC + " receiverType: 01 contribuyente, 02 consumidor "
                                           "final, 03 gobierno, 04 extranjero.")
class ClientInput(SupplierInput):
    receiver_type: str = "02"
    status: str = "ACTIVE"
    credit_limit: Decimal | None = None
    price_list_code: str = ""
    salesperson_id: strawberry.ID | None = None
    tag_ids: list[strawberry.ID] = strawberry.field(default_factory=list)


@strawberry.input(description=_PARTY_DOC)
class ClientUpdateInput(SupplierUpdateInput):
    receiver_type: str | None = strawberry.UNSET
    status: str | None = strawberry.UNSET
    credit_limit: Decimal | None = strawberry.UNSET
    price_list_code: str | None = strawberry.UNSET
    salesperson_id: strawberry.ID | None = strawberry.UNSET
    tag_ids: list[strawberry.ID] | None = strawberry.UNSET


@strawberry.input
class SalespersonInput:
    code: str
    name: str
    email: str = ""
    phone: str = ""
    user_id: strawberry.ID | None = None
    commission_percent: Decimal = Decimal(0)


@strawberry.input
class SalespersonUpdateInput:
    code: str | None = strawberry.UNSET
    name: str | None = strawberry.UNSET
    email: str | None = strawberry.UNSET
    phone: str | None = strawberry.UNSET
    user_id: strawberry.ID | None = strawberry.UNSET
    commission_percent: Decimal | None = strawberry.UNSET
    is_active: bool | None = strawberry.UNSET


@strawberry.input
class AddressInput:
    line1: str
    kind: str = "BILLING"
    line2: str = ""
    city: str = ""
    location_code: str = ""
    province: str = ""
    district: str = ""
    corregimiento: str = ""
    postal_code: str = ""
    country: str = "PA"
    is_default: bool | None = strawberry.field(
        default=None, description="default: true for the first address of its kind")


@strawberry.input
class AddressUpdateInput:
    kind: str | None = strawberry.UNSET
    line1: str | None = strawberry.UNSET
    line2: str | None = strawberry.UNSET
    city: str | None = strawberry.UNSET
    location_code: str | None = strawberry.UNSET
    province: str | None = strawberry.UNSET
    district: str | None = strawberry.UNSET
    corregimiento: str | None = strawberry.UNSET
    postal_code: str | None = strawberry.UNSET
    country: str | None = strawberry.UNSET
    is_default: bool | None = strawberry.UNSET


@strawberry.input
class ContactPersonInput:
    name: str
    role: str = ""
    phone: str = ""
    email: str = ""


@strawberry.input
class ContactPersonUpdateInput:
    name: str | None = strawberry.UNSET
    role: str | None = strawberry.UNSET
    phone: str | None = strawberry.UNSET
    email: str | None = strawberry.UNSET


_RENAMES = {"salesperson_id": "salesperson", "supplier_id": "supplier", "user_id": "user",
            "tag_ids": "tags"}


_NULLABLE = {"salesperson_id", "supplier_id", "user_id", "credit_limit"}


def given(data) -> dict:
    """The fields an input sets, named as the services name them. UNSET is left out, and so
    is null where null means nothing (a name, a flag); null clears a reference or a limit."""
    out = {}
    for name, value in vars(data).items():
        if value is strawberry.UNSET or (value is None and name not in _NULLABLE):
            continue
        out[_RENAMES.get(name, name)] = value
    return out
