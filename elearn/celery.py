"""The Celery application, configured from Django's settings (CELERY_* names)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "elearn.settings.base")

app = Celery("elearn")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Only courses/tasks.py holds tasks (CONVENTIONS: "every Celery task, thin").
app.autodiscover_tasks()
