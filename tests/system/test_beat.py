"""Every task beat publishes is one the workers know: a misspelt name would be published
forever and run never."""

from __future__ import annotations

import pytest
from django.conf import settings


@pytest.mark.parametrize("entry", sorted(settings.CELERY_BEAT_SCHEDULE))
def test_each_beat_entry_names_a_registered_task(entry):
    from elearn.celery import app

    app.loader.import_default_modules()
    schedule = settings.CELERY_BEAT_SCHEDULE[entry]
    assert schedule["task"] in app.tasks
    assert 0 < schedule["schedule"] <= 24 * 3600
