"""Background jobs' states (courses/system/jobs.py): claimed once, claimed again only when
their worker died, swept when their publish was lost."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from courses.models import BackgroundJob
from courses.system.jobs import job_claim, job_fail, job_finish, jobs_owed

pytestmark = pytest.mark.django_db

State = BackgroundJob.State
REGENERATE = BackgroundJob.Kind.REGENERATE


@pytest.fixture
def job(course):
    lesson = course.modules.first().lessons.first()
    return BackgroundJob.objects.create(kind=REGENERATE, course=course, lesson=lesson)


def test_a_job_is_claimed_once(job):
    """A second delivery of the task finds it running and does nothing."""
    assert job_claim(job_id=job.pk) is not None
    assert job_claim(job_id=job.pk) is None
    job.refresh_from_db()
    assert job.state == State.RUNNING
    assert job.started_at is not None


def test_a_job_whose_worker_died_is_claimed_again(job, settings):
    job_claim(job_id=job.pk)
    BackgroundJob.objects.filter(pk=job.pk).update(
        started_at=timezone.now() - timedelta(seconds=settings.JOB_STALE_SECONDS + 1)
    )
    assert job_claim(job_id=job.pk) is not None


@pytest.mark.parametrize("end", ["finish", "fail"])
def test_a_finished_job_is_never_claimed_or_finished_again(job, end):
    claimed = job_claim(job_id=job.pk)
    if end == "finish":
        job_finish(job=claimed, report={"created": 3})
    else:
        job_fail(job=claimed, error="boom")
    job.refresh_from_db()
    assert job.state == (State.DONE if end == "finish" else State.FAILED)
    assert job_claim(job_id=job.pk) is None
    job_fail(job=claimed, error="late")
    job.refresh_from_db()
    assert job.error != "late"


def test_the_sweeper_owes_lost_and_dead_jobs_only(job, course):
    """Queued past a sweep's interval, or running past the stale age: owed again. A job just
    queued, or running on a live worker, is left to its task."""
    assert list(jobs_owed(kind=REGENERATE)) == []
    BackgroundJob.objects.filter(pk=job.pk).update(
        created_at=timezone.now() - timedelta(seconds=settings.JOB_SWEEP_SECONDS + 1)
    )
    assert list(jobs_owed(kind=REGENERATE)) == [job]
    job_claim(job_id=job.pk)
    assert list(jobs_owed(kind=REGENERATE)) == []


def test_one_pending_regeneration_per_lesson(job):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        BackgroundJob.objects.create(kind=REGENERATE, course=job.course, lesson=job.lesson)
    job_finish(job=job_claim(job_id=job.pk), report={})
    BackgroundJob.objects.create(kind=REGENERATE, course=job.course, lesson=job.lesson)


def test_the_sweep_is_on_beats_schedule():
    entry = settings.CELERY_BEAT_SCHEDULE["regenerations-sweep"]
    assert entry["task"] == "courses.regenerations_sweep"
