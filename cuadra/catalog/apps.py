from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "cuadra.catalog"
    label = "catalog"
    verbose_name = "Catalog"

    def ready(self) -> None:
        from cuadra.catalog.services import taxes_setup
        from cuadra.tenancy.hooks import on_company_created

        # Panama companies start with ITBMS 00/01/02/03; others define their own rates
        on_company_created("catalog.taxes", taxes_setup)
