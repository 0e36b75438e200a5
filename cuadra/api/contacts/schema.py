"""GraphQL for contacts (seed 000 clients/, suppliers/, factories/, salespersons/,
addresses/). Thin: input -> one service or selector call -> payload.

Permissions: clients and salespersons under CLIENTS, suppliers and factories under
SUPPLIERS; an address or contact person is part of its party, so adding, changing or
removing one is an ``update`` of that party.
"""

from __future__ import annotations

import strawberry
import strawberry_django
from strawberry_django.pagination import OffsetPaginated

from cuadra.access.permissions import Action, Path
from cuadra.api.base import actor, company, requires
from cuadra.api.contacts.types import (
    AddressInput,
    AddressType,
    AddressUpdateInput,
    ClientFilter,
    ClientInput,
    ClientType,
    ClientUpdateInput,
    ContactPersonInput,
    ContactPersonType,
    ContactPersonUpdateInput,
    ContactsSettingsType,
    DeletedPayload,
    FactoryInput,
    FactoryType,
    FactoryUpdateInput,
    PartyFilter,
    SalespersonInput,
    SalespersonType,
    SalespersonUpdateInput,
    SupplierInput,
    SupplierType,
    SupplierUpdateInput,
    TagType,
    given,
)
from cuadra.contacts import selectors, services
from cuadra.contacts.models import Address, Client, ContactPerson, Factory, Supplier
from cuadra.core.errors import NotFound

C_VIEW, C_CREATE = requires(Path.CLIENTS, Action.VIEW), requires(Path.CLIENTS, Action.CREATE)
C_UPDATE, C_DELETE = requires(Path.CLIENTS, Action.UPDATE), requires(Path.CLIENTS, Action.DELETE)
S_VIEW = requires(Path.SUPPLIERS, Action.VIEW)
S_CREATE = requires(Path.SUPPLIERS, Action.CREATE)
S_UPDATE = requires(Path.SUPPLIERS, Action.UPDATE)
S_DELETE = requires(Path.SUPPLIERS, Action.DELETE)


@strawberry.type
class ContactsQuery:
    @strawberry_django.offset_paginated(OffsetPaginated[ClientType], extensions=C_VIEW)
    def clients(self, info: strawberry.Info, filter: ClientFilter | None = None):
        f = filter or ClientFilter()
        return selectors.clients_list(company=company(info), text=f.text, status=f.status,
                                      tag=f.tag_id if f.tag_id is not None else f.tag,
                                      salesperson=f.salesperson_id, active=f.active)

    @strawberry_django.field(extensions=C_VIEW)
    def client(self, info: strawberry.Info, id: strawberry.ID) -> ClientType:
        return selectors.client_get(company=company(info), client_id=id)

    @strawberry_django.field(extensions=C_VIEW)
    def client_tags(self, info: strawberry.Info) -> list[TagType]:
        return selectors.tags_list(company=company(info))

    @strawberry_django.offset_paginated(OffsetPaginated[SalespersonType], extensions=C_VIEW)
    def salespersons(self, info: strawberry.Info, filter: PartyFilter | None = None):
        f = filter or PartyFilter()
        return selectors.salespersons_list(company=company(info), text=f.text,
                                           active=f.active)

    @strawberry_django.field(extensions=C_VIEW)
    def salesperson(self, info: strawberry.Info, id: strawberry.ID) -> SalespersonType:
        return selectors.salesperson_get(company=company(info), salesperson_id=id)

    @strawberry_django.offset_paginated(OffsetPaginated[SupplierType], extensions=S_VIEW)
    def suppliers(self, info: strawberry.Info, filter: PartyFilter | None = None):
        f = filter or PartyFilter()
        return selectors.suppliers_list(company=company(info), text=f.text, active=f.active)

    @strawberry_django.field(extensions=S_VIEW)
    def supplier(self, info: strawberry.Info, id: strawberry.ID) -> SupplierType:
        return selectors.supplier_get(company=company(info), supplier_id=id)

    @strawberry_django.offset_paginated(OffsetPaginated[FactoryType], extensions=S_VIEW)
    def factories(self, info: strawberry.Info, filter: PartyFilter | None = None):
        f = filter or PartyFilter()
        return selectors.factories_list(company=company(info), text=f.text, active=f.active)

    @strawberry_django.field(extensions=S_VIEW)
    def factory(self, info: strawberry.Info, id: strawberry.ID) -> FactoryType:
        return selectors.factory_get(company=company(info), factory_id=id)

    @strawberry_django.field(extensions=requires(Path.SETTINGS, Action.VIEW))
    def contacts_settings(self, info: strawberry.Info) -> ContactsSettingsType:
        return selectors.contacts_settings_get(company=company(info))


# --- parts of a party: its addresses and contact persons -----------------------------------

def _part(model, info, id, owner_field: str):
    """An address or contact person of this company whose party is of the mutation's kind
    (a supplier's address is not reachable through a client mutation)."""
    row = selectors.row_get(model, company=company(info), pk=id)
    if getattr(row, f"{owner_field}_id") is None:
        raise NotFound("No such row in this company.", field="id")
    return row


def _add_address(info, owner, data: AddressInput) -> Address:
    return services.address_add(company=company(info), actor=actor(info), owner=owner,
                                **given(data))


def _update_address(info, id, owner_field: str, data: AddressUpdateInput) -> Address:
    return services.address_update(company=company(info), actor=actor(info),
                                   address=_part(Address, info, id, owner_field),
                                   **given(data))


def _delete_address(info, id, owner_field: str) -> DeletedPayload:
    services.address_remove(company=company(info), actor=actor(info),
                            address=_part(Address, info, id, owner_field))
    return DeletedPayload(ok=True, id=id)


def _add_person(info, owner, data: ContactPersonInput) -> ContactPerson:
    return services.contact_person_add(company=company(info), actor=actor(info), owner=owner,
                                       **given(data))


def _update_person(info, id, owner_field: str, data: ContactPersonUpdateInput):
    return services.contact_person_update(company=company(info), actor=actor(info),
                                          person=_part(ContactPerson, info, id, owner_field),
                                          **given(data))


def _delete_person(info, id, owner_field: str) -> DeletedPayload:
    services.contact_person_remove(company=company(info), actor=actor(info),
                                   person=_part(ContactPerson, info, id, owner_field))
    return DeletedPayload(ok=True, id=id)


def _client(info, id) -> Client:
    return selectors.client_get(company=company(info), client_id=id)


def _supplier(info, id) -> Supplier:
    return selectors.supplier_get(company=company(info), supplier_id=id)


def _factory(info, id) -> Factory:
    return selectors.factory_get(company=company(info), factory_id=id)


@strawberry.type
class ContactsMutation:
    # --- clients ---
    @strawberry.mutation(extensions=C_CREATE)
    def create_client(self, info: strawberry.Info, input: ClientInput) -> ClientType:
        return services.client_create(company=company(info), actor=actor(info), **given(input))

    @strawberry.mutation(extensions=C_UPDATE)
    def update_client(self, info: strawberry.Info, id: strawberry.ID,
                      input: ClientUpdateInput) -> ClientType:
        return services.client_update(company=company(info), actor=actor(info),
                                      client=_client(info, id), **given(input))

    @strawberry.mutation(extensions=C_DELETE, description="Clients are deactivated, never "
                                                         "deleted: documents refer to them")
    def deactivate_client(self, info: strawberry.Info, id: strawberry.ID) -> ClientType:
        return services.client_deactivate(company=company(info), actor=actor(info),
                                          client=_client(info, id))

    @strawberry.mutation(extensions=C_UPDATE)
    def create_client_address(self, info: strawberry.Info, client_id: strawberry.ID,
                              input: AddressInput) -> AddressType:
        return _add_address(info, _client(info, client_id), input)

    @strawberry.mutation(extensions=C_UPDATE)
    def update_client_address(self, info: strawberry.Info, id: strawberry.ID,
                              input: AddressUpdateInput) -> AddressType:
        return _update_address(info, id, "client", input)

    @strawberry.mutation(extensions=C_UPDATE)
    def delete_client_address(self, info: strawberry.Info, id: strawberry.ID) -> DeletedPayload:
        return _delete_address(info, id, "client")

    @strawberry.mutation(extensions=C_UPDATE)
    def create_client_contact(self, info: strawberry.Info, client_id: strawberry.ID,
                              input: ContactPersonInput) -> ContactPersonType:
        return _add_person(info, _client(info, client_id), input)

    @strawberry.mutation(extensions=C_UPDATE)
    def update_client_contact(self, info: strawberry.Info, id: strawberry.ID,
                              input: ContactPersonUpdateInput) -> ContactPersonType:
        return _update_person(info, id, "client", input)

    @strawberry.mutation(extensions=C_UPDATE)
    def delete_client_contact(self, info: strawberry.Info, id: strawberry.ID) -> DeletedPayload:
        return _delete_person(info, id, "client")

    # --- client tags ---
    @strawberry.mutation(extensions=C_CREATE)
    def create_client_tag(self, info: strawberry.Info, name: str, color: str = "") -> TagType:
        return services.tag_create(company=company(info), actor=actor(info), name=name,
                                   color=color)

    @strawberry.mutation(extensions=C_UPDATE)
    def update_client_tag(self, info: strawberry.Info, id: strawberry.ID,
                          name: str | None = None, color: str | None = None) -> TagType:
        tag = selectors.tag_get(company=company(info), tag_id=id)
        return services.tag_update(company=company(info), actor=actor(info), tag=tag,
                                   name=name, color=color)

    @strawberry.mutation(extensions=C_DELETE)
    def delete_client_tag(self, info: strawberry.Info, id: strawberry.ID) -> DeletedPayload:
        tag = selectors.tag_get(company=company(info), tag_id=id)
        services.tag_delete(company=company(info), actor=actor(info), tag=tag)
        return DeletedPayload(ok=True, id=id)

    # --- salespersons ---
    @strawberry.mutation(extensions=C_CREATE)
    def create_salesperson(self, info: strawberry.Info,
                           input: SalespersonInput) -> SalespersonType:
        return services.salesperson_create(company=company(info), actor=actor(info),
                                           **given(input))

    @strawberry.mutation(extensions=C_UPDATE)
    def update_salesperson(self, info: strawberry.Info, id: strawberry.ID,
                           input: SalespersonUpdateInput) -> SalespersonType:
        sp = selectors.salesperson_get(company=company(info), salesperson_id=id)
        return services.salesperson_update(company=company(info), actor=actor(info),
                                           salesperson=sp, **given(input))

    @strawberry.mutation(extensions=C_DELETE)
    def deactivate_salesperson(self, info: strawberry.Info,
                               id: strawberry.ID) -> SalespersonType:
        sp = selectors.salesperson_get(company=company(info), salesperson_id=id)
        return services.salesperson_deactivate(company=company(info), actor=actor(info),
                                               salesperson=sp)

    # --- suppliers ---
    @strawberry.mutation(extensions=S_CREATE)
    def create_supplier(self, info: strawberry.Info, input: SupplierInput) -> SupplierType:
        return services.supplier_create(company=company(info), actor=actor(info),
                                        **given(input))

    @strawberry.mutation(extensions=S_UPDATE)
    def update_supplier(self, info: strawberry.Info, id: strawberry.ID,
                        input: SupplierUpdateInput) -> SupplierType:
        return services.supplier_update(company=company(info), actor=actor(info),
                                        supplier=_supplier(info, id), **given(input))

    @strawberry.mutation(extensions=S_DELETE)
    def deactivate_supplier(self, info: strawberry.Info, id: strawberry.ID) -> SupplierType:
        return services.supplier_deactivate(company=company(info), actor=actor(info),
                                            supplier=_supplier(info, id))

    @strawberry.mutation(extensions=S_UPDATE)
    def create_supplier_address(self, info: strawberry.Info, supplier_id: strawberry.ID,
                                input: AddressInput) -> AddressType:
        return _add_address(info, _supplier(info, supplier_id), input)

    @strawberry.mutation(extensions=S_UPDATE)
    def update_supplier_address(self, info: strawberry.Info, id: strawberry.ID,
                                input: AddressUpdateInput) -> AddressType:
        return _update_address(info, id, "supplier", input)

    @strawberry.mutation(extensions=S_UPDATE)
    def delete_supplier_address(self, info: strawberry.Info,
                                id: strawberry.ID) -> DeletedPayload:
        return _delete_address(info, id, "supplier")

    @strawberry.mutation(extensions=S_UPDATE)
    def create_supplier_contact(self, info: strawberry.Info, supplier_id: strawberry.ID,
                                input: ContactPersonInput) -> ContactPersonType:
        return _add_person(info, _supplier(info, supplier_id), input)

    @strawberry.mutation(extensions=S_UPDATE)
    def update_supplier_contact(self, info: strawberry.Info, id: strawberry.ID,
                                input: ContactPersonUpdateInput) -> ContactPersonType:
        return _update_person(info, id, "supplier", input)

    @strawberry.mutation(extensions=S_UPDATE)
    def delete_supplier_contact(self, info: strawberry.Info,
                                id: strawberry.ID) -> DeletedPayload:
        return _delete_person(info, id, "supplier")

    # --- factories ---
    @strawberry.mutation(extensions=S_CREATE)
    def create_factory(self, info: strawberry.Info, input: FactoryInput) -> FactoryType:
        return services.factory_create(company=company(info), actor=actor(info),
                                       **given(input))

    @strawberry.mutation(extensions=S_UPDATE)
    def update_factory(self, info: strawberry.Info, id: strawberry.ID,
                       input: FactoryUpdateInput) -> FactoryType:
        return services.factory_update(company=company(info), actor=actor(info),
                                       factory=_factory(info, id), **given(input))

    @strawberry.mutation(extensions=S_DELETE)
    def deactivate_factory(self, info: strawberry.Info, id: strawberry.ID) -> FactoryType:
        return services.factory_deactivate(company=company(info), actor=actor(info),
                                           factory=_factory(info, id))

    @strawberry.mutation(extensions=S_UPDATE)
    def create_factory_address(self, info: strawberry.Info, factory_id: strawberry.ID,
                               input: AddressInput) -> AddressType:
        return _add_address(info, _factory(info, factory_id), input)

    @strawberry.mutation(extensions=S_UPDATE)
    def update_factory_address(self, info: strawberry.Info, id: strawberry.ID,
                               input: AddressUpdateInput) -> AddressType:
        return _update_address(info, id, "factory", input)

    @strawberry.mutation(extensions=S_UPDATE)
    def delete_factory_address(self, info: strawberry.Info,
                               id: strawberry.ID) -> DeletedPayload:
        return _delete_address(info, id, "factory")

    @strawberry.mutation(extensions=S_UPDATE)
    def create_factory_contact(self, info: strawberry.Info, factory_id: strawberry.ID,
                               input: ContactPersonInput) -> ContactPersonType:
        return _add_person(info, _factory(info, factory_id), input)

    @strawberry.mutation(extensions=S_UPDATE)
    def update_factory_contact(self, info: strawberry.Info, id: strawberry.ID,
                               input: ContactPersonUpdateInput) -> ContactPersonType:
        return _update_person(info, id, "factory", input)

    @strawberry.mutation(extensions=S_UPDATE)
    def delete_factory_contact(self, info: strawberry.Info,
                               id: strawberry.ID) -> DeletedPayload:
        return _delete_person(info, id, "factory")

    # --- company setting ---
    @strawberry.mutation(extensions=requires(Path.SETTINGS, Action.UPDATE))
    def update_contacts_settings(self, info: strawberry.Info,
                                 credit_limit_policy: str) -> ContactsSettingsType:
        return services.contacts_settings_update(company=company(info), actor=actor(info),
                                                 credit_limit_policy=credit_limit_policy)


__all__ = ["ContactsMutation", "ContactsQuery"]
