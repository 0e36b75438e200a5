from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "cuadra.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from cuadra.core import money

        money.install_sqlite_functions()
