from django.urls import path

from cuadra.web.inventory import documents, reports, warehouses
from cuadra.web.inventory.kinds import KINDS


def _kind_patterns(slug: str):
    args = {"slug": slug}
    return [
        path(f"inventory/{slug}/", documents.document_list, args, name=f"inventory_{slug}"),
        path(f"inventory/{slug}/new/", documents.document_new, args,
             name=f"inventory_{slug}_new"),
        path(f"inventory/{slug}/form/line/", documents.form_line, args,
             name=f"inventory_{slug}_line"),
        path(f"inventory/{slug}/form/units/", documents.form_units, args,
             name=f"inventory_{slug}_units"),
        path(f"inventory/{slug}/<int:pk>/", documents.document_detail, args,
             name=f"inventory_{slug}_detail"),
        path(f"inventory/{slug}/<int:pk>/move/", documents.document_move, args,
             name=f"inventory_{slug}_move"),
    ]


urlpatterns = [
    path("inventory/", reports.stock, name="inventory_index"),
    path("inventory/valuation/", reports.valuation, name="inventory_valuation"),
    path("inventory/ledger/", reports.ledger, name="inventory_ledger"),
    path("inventory/movements/", reports.movements, name="inventory_movements"),
    path("inventory/slow-movers/", reports.slow_movers, name="inventory_slow_movers"),
    path("inventory/reports/<slug:slug>/export/<slug:fmt>/", reports.report_export,
         name="inventory_report_export"),
    path("inventory/warehouses/", warehouses.warehouse_list, name="inventory_warehouses"),
    path("inventory/warehouses/<int:warehouse_id>/", warehouses.warehouse_detail,
         name="inventory_warehouse"),
    path("inventory/warehouses/<int:warehouse_id>/locations/", warehouses.location_new,
         name="inventory_location_new"),
    *(p for slug in KINDS for p in _kind_patterns(slug)),
    path("inventory/counts/<int:pk>/import/", documents.count_import,
         name="inventory_count_import"),
]
