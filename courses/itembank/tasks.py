"""The item bank's Celery tasks: thin, ids in, one service call, safe to run twice (the job
is claimed once: courses/system/jobs.py). Task names never change: messages already queued
carry them."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(
    name="courses.lesson_regenerate",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=300,
    time_limit=360,
)
def lesson_regenerate_task(job_id: int) -> str:
    """A lesson's questions generated again, as a job asked for it."""
    return services.lesson_regeneration_run(job_id=job_id)


@shared_task(name="courses.regenerations_sweep", soft_time_limit=60, time_limit=90)
def regenerations_sweep_task() -> int:
    """Beat: publish again the regenerations whose publish was lost or whose worker died."""
    return services.regenerations_owed_publish()
