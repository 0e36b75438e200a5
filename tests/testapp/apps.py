from django.apps import AppConfig


class TestAppConfig(AppConfig):
    """Concrete models that exercise abstract core/tenancy machinery; installed only
    under pytest (see the end of cuadra/config/settings.py)."""

    name = "tests.testapp"
    label = "testapp"
    default_auto_field = "django.db.models.BigAutoField"
