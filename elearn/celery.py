"""The Celery application, configured from Django's settings (CELERY_* names)."""

import os
from pathlib import Path

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "elearn.settings.base")

APP_ROOT = Path(__file__).resolve().parent.parent / "courses"

app = Celery("elearn")
app.config_from_object("django.conf:settings", namespace="CELERY")


def task_packages() -> list[str]:
    """Each feature keeps its tasks beside its services (courses/<feature>/tasks.py): every
    such package, so that a feature's new tasks module is found without a list to update."""
    return sorted(f"courses.{path.parent.name}" for path in APP_ROOT.glob("*/tasks.py"))


app.autodiscover_tasks(task_packages)


@signals.worker_init.connect
@signals.beat_init.connect
def _refuse_the_development_key(**_kwargs: object) -> None:
    """Without DEBUG, a worker or beat exits at once, with one line, when SECRET_KEY is unset
    or the development key: the worker signs e-mail links (unsubscribe, invitations)."""
    from django.conf import settings

    from elearn.startup import secret_key_problem

    problem = secret_key_problem(settings)
    if problem:
        raise SystemExit(problem)
