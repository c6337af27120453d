"""Background jobs' states (courses.models.BackgroundJob): claimed by one worker, finished with
a report or failed with a reason, published again by a sweeper when a publish was lost.

A job is recorded (queued) in the request's transaction and its task published on commit
(CONVENTIONS 3). The task claims it before working: a queued job, or a running one whose
worker died (started more than JOB_STALE_SECONDS ago); a second delivery of the same message
finds it claimed or done and does nothing.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from courses.models import BackgroundJob

State = BackgroundJob.State


def _stale() -> Q:
    since = timezone.now() - timedelta(seconds=settings.JOB_STALE_SECONDS)
    return Q(state=State.RUNNING, started_at__lt=since)


def job_claim(*, job_id: int) -> BackgroundJob | None:
    """The job, now running for the caller; None when it is done, failed or another live
    worker has it."""
    claimed = BackgroundJob.objects.filter(Q(state=State.QUEUED) | _stale(), pk=job_id).update(
        state=State.RUNNING, started_at=timezone.now(), error=""
    )
    if not claimed:
        return None
    return BackgroundJob.objects.select_related("course", "lesson__module").get(pk=job_id)


def job_step(*, job: BackgroundJob, step: str) -> None:
    """Say where the running job is (its page shows it)."""
    BackgroundJob.objects.filter(pk=job.pk, state=State.RUNNING).update(step=step)


def job_finish(*, job: BackgroundJob, report: dict[str, Any]) -> None:
    BackgroundJob.objects.filter(pk=job.pk, state=State.RUNNING).update(
        state=State.DONE, finished_at=timezone.now(), report=report, step=""
    )


def job_fail(*, job: BackgroundJob, error: str) -> None:
    BackgroundJob.objects.filter(pk=job.pk, state=State.RUNNING).update(
        state=State.FAILED, finished_at=timezone.now(), error=error[:2000], step=""
    )


def job_requeue(*, job: BackgroundJob, reason: str) -> None:
    """Back to the queue, untouched, for something outside the job that should pass (the
    storage down): the sweeper publishes it again; ``reason`` shows meanwhile."""
    BackgroundJob.objects.filter(pk=job.pk, state=State.RUNNING).update(
        state=State.QUEUED, started_at=None, error=reason[:2000], step=""
    )


def jobs_owed(*, kind: str) -> QuerySet[BackgroundJob]:
    """Jobs whose task should be published again: queued for a sweep's interval (their
    publish was lost, or the broker was down), or running on a worker that died."""
    waited = timezone.now() - timedelta(seconds=settings.JOB_SWEEP_SECONDS)
    return BackgroundJob.objects.filter(
        Q(state=State.QUEUED, created_at__lt=waited) | _stale(), kind=kind
    ).order_by("pk")
