"""Back office for the catalog: read-only; changes go through the services (audited)."""

from django.contrib import admin

from cuadra.catalog.models import (
    Category,
    ClientPrice,
    Item,
    ItemUnit,
    PriceList,
    PriceListItem,
    Tax,
)
from cuadra.core.admin import ReadOnlyAdmin


class ItemUnitInline(admin.TabularInline):
    model = ItemUnit
    fk_name = "item"
    fields = ("code", "name", "lower", "factor", "factor_to_base", "depth", "barcode", "price")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Item)
class ItemAdmin(ReadOnlyAdmin):
    list_display = ("company", "sku", "name", "kind", "category", "default_tax", "is_active")
    list_filter = ("company", "kind", "is_active")
    search_fields = ("sku", "name", "barcode")
    inlines = [ItemUnitInline]


@admin.register(Tax)
class TaxAdmin(ReadOnlyAdmin):
    list_display = ("company", "code", "name", "rate", "kind", "is_active")
    list_filter = ("company", "kind")


for model in (Category, ItemUnit, PriceList, PriceListItem, ClientPrice):
    admin.site.register(model, ReadOnlyAdmin)
