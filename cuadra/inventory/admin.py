"""Back office for inventory: read-only; stock changes go through the services (moves and
consumptions are append-only anyway)."""

from django.contrib import admin

from cuadra.core.admin import ReadOnlyAdmin
from cuadra.inventory.models import (
    CostLayer,
    InventoryCount,
    InventorySettings,
    LayerConsumption,
    Location,
    RecostJob,
    StockAdjustment,
    StockMove,
    StockSnapshot,
    StockTransfer,
    Warehouse,
)


@admin.register(StockMove)
class StockMoveAdmin(ReadOnlyAdmin):
    list_display = ("company", "date", "kind", "item", "warehouse", "quantity", "value",
                    "source_type", "source_id")
    list_filter = ("company", "kind", "warehouse")
    search_fields = ("source_type", "source_id", "item__sku")


@admin.register(CostLayer)
class CostLayerAdmin(ReadOnlyAdmin):
    list_display = ("company", "date", "item", "warehouse", "quantity", "remaining",
                    "unit_cost", "remaining_value")
    list_filter = ("company", "warehouse")


@admin.register(RecostJob)
class RecostJobAdmin(ReadOnlyAdmin):
    list_display = ("company", "item", "warehouse", "from_date", "state", "moves_recosted",
                    "difference")
    list_filter = ("company", "state")


for model in (Warehouse, Location, InventorySettings, LayerConsumption, StockSnapshot,
              StockAdjustment, StockTransfer, InventoryCount):
    admin.site.register(model, ReadOnlyAdmin)
