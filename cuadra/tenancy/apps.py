from django.apps import AppConfig


class TenancyConfig(AppConfig):
    name = "cuadra.tenancy"
    label = "tenancy"
    verbose_name = "Tenancy"
