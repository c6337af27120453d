"""System checks on this app's settings, and the production configuration."""

from __future__ import annotations

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
