from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "cuadra.contacts"
    label = "contacts"
    verbose_name = "Contacts"
