from django.apps import AppConfig


class SequencesConfig(AppConfig):
    name = "cuadra.sequences"
    label = "sequences"
    verbose_name = "Sequences"

    def ready(self) -> None:
        from cuadra.sequences import services
        from cuadra.tenancy.hooks import on_company_created

        on_company_created("sequences.defaults", services.company_sequences_setup)
