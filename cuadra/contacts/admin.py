"""Back office: read-only, because every change must pass the services' checks (DGI DV,
receiver rules, one default address per kind) and be audited."""

from django.contrib import admin

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


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AddressInline(admin.TabularInline):
    model = Address
    extra = 0
    fields = ("kind", "line1", "city", "location_code", "corregimiento", "country",
              "is_default")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class ContactPersonInline(admin.TabularInline):
    model = ContactPerson
    extra = 0
    fields = ("name", "role", "phone", "email")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


_PARTY_SEARCH = ("code", "legal_name", "trade_name", "tax_id")


@admin.register(Client)
class ClientAdmin(ReadOnlyAdmin):
    list_display = ("company", "code", "legal_name", "tax_id", "tax_dv", "receiver_type",
                    "status", "credit_limit", "salesperson", "is_active")
    list_filter = ("company", "status", "receiver_type", "is_active")
    search_fields = _PARTY_SEARCH
    list_select_related = ("company", "salesperson")
    inlines = (AddressInline, ContactPersonInline)


@admin.register(Supplier)
class SupplierAdmin(ReadOnlyAdmin):
    list_display = ("company", "code", "legal_name", "tax_id", "tax_dv", "currency",
                    "payment_terms_days", "is_active")
    list_filter = ("company", "is_active")
    search_fields = _PARTY_SEARCH
    inlines = (AddressInline, ContactPersonInline)


@admin.register(Factory)
class FactoryAdmin(ReadOnlyAdmin):
    list_display = ("company", "code", "legal_name", "country", "supplier", "is_active")
    list_filter = ("company", "is_active")
    search_fields = _PARTY_SEARCH
    inlines = (AddressInline, ContactPersonInline)


@admin.register(Salesperson)
class SalespersonAdmin(ReadOnlyAdmin):
    list_display = ("company", "code", "name", "user", "commission_percent", "is_active")
    list_filter = ("company", "is_active")
    search_fields = ("code", "name")


@admin.register(Tag)
class TagAdmin(ReadOnlyAdmin):
    list_display = ("company", "name", "color")
    list_filter = ("company",)


@admin.register(Address)
class AddressAdmin(ReadOnlyAdmin):
    list_display = ("company", "kind", "line1", "location_code", "country", "is_default",
                    "client", "supplier", "factory")
    list_filter = ("company", "kind")


@admin.register(ContactPerson)
class ContactPersonAdmin(ReadOnlyAdmin):
    list_display = ("company", "name", "role", "phone", "email", "client", "supplier",
                    "factory")
    list_filter = ("company",)


@admin.register(ContactsSettings)
class ContactsSettingsAdmin(ReadOnlyAdmin):
    list_display = ("company", "credit_limit_policy")
