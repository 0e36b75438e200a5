from django.apps import AppConfig


class InventoryConfig(AppConfig):
    name = "cuadra.inventory"
    label = "inventory"
    verbose_name = "Inventory"

    def ready(self) -> None:
        from cuadra.inventory import documents, services
        from cuadra.tenancy.hooks import on_company_created

        on_company_created("inventory.setup", services.company_inventory_setup)
        documents.register()
