"""The Celery app. Eager (in-process) when CELERY_BROKER_URL is empty."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cuadra.config.settings")

app = Celery("cuadra")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
