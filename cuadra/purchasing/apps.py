from django.apps import AppConfig


class PurchasingConfig(AppConfig):
    name = "cuadra.purchasing"
    label = "purchasing"
    verbose_name = "Purchasing"

    def ready(self) -> None:
        from cuadra.purchasing import posting, registry

        registry.register()
        posting.register()
