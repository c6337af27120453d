"""The browser fixtures live in tests/browser/fixtures.py, a plugin the root conftest loads, so
that every test package (tests/scorm too) shares one Chromium for the whole session."""

from tests.workers import (  # noqa: F401  (fixtures, found by pytest by their names)
    broker,
    celery_worker,
    deployment,
    redis_server,
    worker_options,
)

from .fixtures import AXE, CHROMIUM, CHROMIUM_ARGS, answer_quiz, check_accessibility, log_in

__all__ = ["AXE", "CHROMIUM", "CHROMIUM_ARGS", "answer_quiz", "check_accessibility", "log_in"]
