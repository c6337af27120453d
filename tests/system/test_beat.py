"""Every task beat publishes is one the workers know: a misspelt name would be published
forever and run never."""

from __future__ import annotations

import re

import pytest
from django.conf import settings


@pytest.mark.parametrize("entry", sorted(settings.CELERY_BEAT_SCHEDULE))
def test_each_beat_entry_names_a_registered_task(entry):
    from elearn.celery import app

    app.loader.import_default_modules()
    schedule = settings.CELERY_BEAT_SCHEDULE[entry]
    assert schedule["task"] in app.tasks
    assert 0 < schedule["schedule"] <= 24 * 3600


def test_the_worker_finds_every_features_tasks():
    """A worker started as production starts it (`celery -A elearn`) discovers the tasks of
    every courses/<feature>/tasks.py, under the names queued messages carry."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    found = subprocess.run(
        [
            sys.executable,
            "-c",
            "from elearn.celery import app; app.loader.import_default_modules(); "
            "print('\\n'.join(sorted(name for name in app.tasks if name.startswith('courses.'))))",
        ],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout.split()
    declared = sorted(
        name
        for path in (root / "courses").glob("*/tasks.py")
        for name in re.findall(r'name="(courses\.[a-z_]+)"', path.read_text())
    )
    assert found == declared
    assert {"courses.certificate_issue", "courses.cohort_invitations_send"} <= set(found)
