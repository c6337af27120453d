"""A Redis and a Celery worker of the test's own, for the import's worker test."""

from __future__ import annotations

import pytest

from tests.workers import (  # noqa: F401  (fixtures, found by pytest by their names)
    Deployment,
    WorkerOptions,
    broker,
    celery_worker,
    deployment,
    held_worker_options,
    redis_server,
)


@pytest.fixture
def worker_options(deployment: Deployment) -> WorkerOptions:  # noqa: F811  (the fixture)
    """Every worker these tests start can be held while it drafts an import's questions
    (``worker_hooks``; inactive unless IMPORT_TEST_HOLD is set)."""
    return held_worker_options(
        deployment, hooks="tests.ingest.worker_hooks", hold_file_variable="IMPORT_TEST_HOLD_FILE"
    )
