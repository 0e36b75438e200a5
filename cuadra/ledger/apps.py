from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "cuadra.ledger"
    label = "ledger"
    verbose_name = "Ledger"

    def ready(self) -> None:
        from cuadra.ledger.services import chart
        from cuadra.tenancy.hooks import on_company_created

        on_company_created("ledger.chart", chart.company_books_setup)
        from cuadra.ledger.services import review

        review.register()  # document type JOURNAL_ENTRY: simple / review presets
