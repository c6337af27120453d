"""System checks on this app's settings, and the production configuration."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from courses.checks import check_settings

ROOT = Path(__file__).resolve().parents[2]


def _ids(settings) -> set[str]:
    return {error.id for error in check_settings(None)}


def test_default_settings_pass(settings):
    assert _ids(settings) == set()


def test_bad_settings_are_reported(settings):
    settings.SITE_BASE_URL = "formation.example.org/app"
    settings.COURSES_IMPORT_MAX_BYTES = 0
    settings.CELERY_BROKER_URL = "amqp://guest@localhost//"
    assert _ids(settings) == {"courses.E001", "courses.E002", "courses.E004"}


def test_an_item_analysis_threshold_under_one_learner_is_reported(settings):
    settings.ITEM_ANALYSIS_MIN_LEARNERS = 0
    assert _ids(settings) == {"courses.E005"}
    settings.ITEM_ANALYSIS_MIN_LEARNERS = 1
    assert _ids(settings) == set()


def test_check_deploy_is_silent_with_production_variables(tmp_path):
    """`manage.py check --deploy` reports nothing once the production variables are set."""
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "elearn.settings.base",
        "SECRET_KEY": "k3y-" + "x9Qz!7pL@m2#vR5^tW8&" * 3,
        "ALLOWED_HOSTS": "formation.example.org",
        "SITE_BASE_URL": "https://formation.example.org",
        "CSRF_TRUSTED_ORIGINS": "https://formation.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example.org:587",
        "CACHE_URL": "redis://127.0.0.1:6379/3",
        "VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
