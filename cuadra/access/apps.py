from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "cuadra.access"
    label = "access"
    verbose_name = "Access"

    def ready(self) -> None:
        from cuadra.access import services
        from cuadra.tenancy.hooks import on_company_created

        on_company_created("access.builtin_roles", services.company_roles_setup)
