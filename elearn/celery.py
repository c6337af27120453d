"""The Celery application, configured from Django's settings (CELERY_* names)."""

import os
from pathlib import Path

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "elearn.settings.base")

APP_ROOT = Path(__file__).resolve().parent.parent / "courses"

app = Celery("elearn")
app.config_from_object("django.conf:settings", namespace="CELERY")


def task_packages() -> list[str]:
    """Each feature keeps its tasks beside its services (courses/<feature>/tasks.py): every
    such package, so that a feature's new tasks module is found without a list to update."""
    return sorted(f"courses.{path.parent.name}" for path in APP_ROOT.glob("*/tasks.py"))


app.autodiscover_tasks(task_packages)
