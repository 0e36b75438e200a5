from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "cuadra.demo"
    label = "demo"
    verbose_name = "Demo data"
