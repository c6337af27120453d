"""System checks for the settings this app reads (run by `manage.py check`)."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, register

MAX_QUIZ_QUESTIONS = 2000


@register(Tags.compatibility)
def check_settings(app_configs, **kwargs) -> list[Error]:
    errors: list[Error] = []
    base = urlsplit(getattr(settings, "SITE_BASE_URL", ""))
    if base.scheme not in {"http", "https"} or not base.netloc or base.path not in {"", "/"}:
        errors.append(
            Error(
                "SITE_BASE_URL must be an absolute http(s) URL without a path, "
                "e.g. https://formation.example.org",
                id="courses.E001",
            )
        )
    max_bytes = getattr(settings, "COURSES_IMPORT_MAX_BYTES", None)
    if not isinstance(max_bytes, int) or max_bytes <= 0:
        errors.append(
            Error("COURSES_IMPORT_MAX_BYTES must be a positive integer.", id="courses.E002")
        )
    if not getattr(settings, "COURSES_DEFAULT_COURSE_SLUG", ""):
        errors.append(Error("COURSES_DEFAULT_COURSE_SLUG must not be empty.", id="courses.E003"))
    broker = urlsplit(getattr(settings, "CELERY_BROKER_URL", "") or "")
    if broker.scheme not in {"redis", "rediss"}:
        errors.append(
            Error(
                "CELERY_BROKER_URL must be a redis:// or rediss:// URL (Redis is the broker).",
                id="courses.E004",
            )
        )
    questions = getattr(settings, "QUIZ_MAX_QUESTIONS", None)
    # A SCORM 1.2 package keeps a learner's answers in cmi.suspend_data, at most 4,096
    # characters (2 a question plus a short prefix in sco.js): 2,000 questions leave room.
    if not isinstance(questions, int) or not 1 <= questions <= MAX_QUIZ_QUESTIONS:
        errors.append(
            Error(
                f"QUIZ_MAX_QUESTIONS must be between 1 and {MAX_QUIZ_QUESTIONS} (SCORM 1.2 keeps "
                "a learner's answers in 4,096 characters of cmi.suspend_data).",
                id="courses.E005",
            )
        )
    return errors
