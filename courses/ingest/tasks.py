"""The importer's Celery tasks: thin, ids in, one service call, safe to run twice (the job is
claimed once: courses/system/jobs.py). Task names never change: messages already queued carry
them."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(
    name="courses.documents_import",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=600,
    time_limit=660,
)
def documents_import_task(job_id: int) -> str:
    """Documents uploaded from the manage page: read, imported, their questions drafted."""
    return services.import_run(job_id=job_id)


@shared_task(name="courses.imports_sweep", soft_time_limit=60, time_limit=90)
def imports_sweep_task() -> int:
    """Beat: publish again the imports whose publish was lost or whose worker died."""
    return services.imports_owed_publish()
