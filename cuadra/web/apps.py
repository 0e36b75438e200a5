from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "cuadra.web"
    label = "web"
    verbose_name = "Web"
