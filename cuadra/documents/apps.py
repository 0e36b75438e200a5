from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "cuadra.documents"
    label = "documents"
    verbose_name = "Documents"
