from django.urls import path

from cuadra.web.contacts import views

urlpatterns = [
    path("sales/clients/", views.client_list, name="contacts_clients"),
    path("sales/clients/new/", views.client_new, name="contacts_client_new"),
    path("sales/clients/<int:client_id>/", views.client_detail, name="contacts_client"),
    path("sales/clients/<int:client_id>/edit/", views.client_edit,
         name="contacts_client_edit"),
    path("sales/clients/<int:client_id>/addresses/", views.address_add,
         name="contacts_address_add"),
]
