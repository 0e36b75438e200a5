from django.apps import AppConfig


class DocAppConfig(AppConfig):
    """A concrete lifecycle document for testing the documents machinery (and the
    approvals guard); installed only under pytest (see the end of settings.py)."""

    name = "tests.docapp"
    label = "docapp"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from tests.docapp import registry

        registry.register()
