from django.urls import path

from cuadra.web.catalog import views

urlpatterns = [
    path("sales/items/", views.item_list, name="catalog_items"),
    path("sales/items/new/", views.item_new, name="catalog_item_new"),
    path("sales/items/<int:item_id>/", views.item_detail, name="catalog_item"),
    path("sales/items/<int:item_id>/edit/", views.item_edit, name="catalog_item_edit"),
]
