"""The certificates' Celery tasks: thin, ids in, one service call, safe to run twice.

acks_late with reject_on_worker_lost: a task whose worker dies mid-way goes back to the queue
instead of being lost (the services are idempotent, so a second run finishes the first's work
or finds it done). Retries back off exponentially; time limits stop a task that hangs.
Task names are the ones messages already queued carry: they never change.
"""

from __future__ import annotations

from typing import Any

from celery import shared_task

from . import services

RELIABLE: dict[str, Any] = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (Exception,),
    "retry_backoff": 5,
    # A retry waits out its countdown inside a worker, unacknowledged: past the broker's
    # visibility timeout (600 s, settings) Redis would hand the same message to a second
    # worker, and each copy would go on retrying. The longest wait stays well below it.
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 10,
    "soft_time_limit": 60,
    "time_limit": 90,
}


@shared_task(name="courses.certificate_issue", **RELIABLE)
def certificate_issue_task(completion_id: int) -> str | None:
    certificate = services.certificate_issue(completion_id=completion_id)
    return certificate.code if certificate else None


@shared_task(name="courses.certificate_deliver", **RELIABLE)
def certificate_deliver_task(certificate_id: int) -> str:
    return services.certificate_deliver(certificate_id=certificate_id).code


@shared_task(name="courses.certificates_sweep", acks_late=True, soft_time_limit=120, time_limit=150)
def certificates_sweep_task() -> int:
    """Beat: publish again what is still owed (a failed publish, a worker killed)."""
    return services.certificates_owed_publish()
