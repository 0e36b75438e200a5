from django.apps import AppConfig


class SalesConfig(AppConfig):
    name = "cuadra.sales"
    label = "sales"
    verbose_name = "Sales"

    def ready(self) -> None:
        from cuadra.catalog.clients import register_client_checker
        from cuadra.sales import payment_services, posting, registry, selectors

        registry.register()
        posting.register()
        payment_services.register()  # after posting: effects run in registration order
        # client prices refuse an id that is not a client of the company
        register_client_checker(selectors.client_exists)
