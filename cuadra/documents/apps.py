from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class DocumentsConfig(AppConfig):
    name = "cuadra.documents"
    label = "documents"
    verbose_name = "Documents"

    def ready(self) -> None:
        # every app's ``document_records`` module registers the describers of its
        # documents (sales, purchasing, inventory sit above documents and fill this)
        autodiscover_modules("document_records")
