"""The privacy package's Celery task: thin, one service call, safe to run twice. Its name never
changes: messages already queued carry it."""

from __future__ import annotations

from dataclasses import asdict

from celery import shared_task

from . import services


@shared_task(name="courses.privacy_retention", acks_late=True, soft_time_limit=900, time_limit=960)
def privacy_retention_task() -> dict[str, int]:
    """Beat, daily: the retention periods applied (see the service)."""
    return asdict(services.retention_apply())
