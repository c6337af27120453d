"""python manage.py serve: the web server, plus a Celery worker and beat when Redis answers.

When the broker does not answer, tasks run eagerly inside the web process, and this says so
once, here (the autoreloader restarts the server, not this command).
"""

from __future__ import annotations

import os
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from courses.system.selectors import broker_ok


class Command(BaseCommand):
    help = _("Run the development site with its Celery worker and beat (when Redis answers).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, **options) -> None:
        if os.environ.get("RUN_MAIN") == "true":
            # The autoreloader's child runs this command again: the worker, beat and the
            # eager-mode notice belong to the outer process only.
            call_command("runserver", options["addrport"])
            return
        children: list[subprocess.Popen[bytes]] = []
        if broker_ok():
            celery = [sys.executable, "-m", "celery", "-A", "elearn"]
            schedule = str(settings.CELERY_BEAT_SCHEDULE_FILENAME)
            children.append(
                subprocess.Popen([*celery, "worker", "--loglevel=INFO", "--concurrency=2"])  # noqa: S603
            )
            children.append(
                subprocess.Popen([*celery, "beat", "--loglevel=INFO", "--schedule", schedule])  # noqa: S603
            )
            self.stdout.write(
                _("Redis answers at %(url)s: Celery worker and beat started.")
                % {"url": settings.CELERY_BROKER_URL}
            )
        else:
            os.environ["CELERY_TASK_ALWAYS_EAGER"] = "1"
            settings.CELERY_TASK_ALWAYS_EAGER = True
            from elearn.celery import app

            app.conf.task_always_eager = True
            self.stdout.write(
                self.style.WARNING(
                    _(
                        "Redis does not answer at %(url)s: tasks run eagerly, inside the web "
                        "process, until you restart with Redis running."
                    )
                    % {"url": settings.CELERY_BROKER_URL}
                )
            )
        try:
            call_command("runserver", options["addrport"])
        finally:
            for child in children:
                child.terminate()
            for child in children:
                child.wait(timeout=10)
