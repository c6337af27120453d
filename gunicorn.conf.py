"""gunicorn reads this file from the directory it starts in (the image's /app, a checkout).

Before any worker starts, the master refuses to run without a real SECRET_KEY: one line on
stderr and a non-zero exit, rather than a site whose signed links anyone could forge. (Each
worker checks again in elearn.wsgi, for a server started with another configuration.)

The access log never holds the secrets URLs carry (invitation, unsubscribe and confirmation
links): `RedactingLogger` writes them as [redacted] (courses.system.logging).
"""

import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "elearn.settings.base")

from django.conf import settings
from gunicorn.glogging import Logger

from courses.system.logging import redact
from elearn.startup import secret_key_problem

_problem = secret_key_problem(settings)
if _problem:
    sys.exit(_problem)


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):  # type: ignore[no-untyped-def]
        return {
            key: redact(value) if isinstance(value, str) else value
            for key, value in super().atoms(resp, req, environ, request_time).items()
        }


logger_class = RedactingLogger
