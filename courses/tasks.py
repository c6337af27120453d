"""Every Celery task of the project: thin, ids in, one service call, safe to run twice.

acks_late with reject_on_worker_lost: a task whose worker dies mid-way goes back to the queue
instead of being lost (the services are idempotent, so a second run finishes the first's work
or finds it done). Retries back off exponentially; time limits stop a task that hangs.
"""

from __future__ import annotations

from typing import Any

from celery import shared_task

from courses.certificates import services as certificates

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
    certificate = certificates.certificate_issue(completion_id=completion_id)
    return certificate.code if certificate else None


@shared_task(name="courses.certificate_deliver", **RELIABLE)
def certificate_deliver_task(certificate_id: int) -> str:
    return certificates.certificate_deliver(certificate_id=certificate_id).code


@shared_task(name="courses.certificates_sweep", acks_late=True, soft_time_limit=120, time_limit=150)
def certificates_sweep_task() -> int:
    """Beat: publish again what is still owed (a failed publish, a worker killed)."""
    return certificates.certificates_owed_publish()


@shared_task(name="courses.cohort_reminders", acks_late=True, soft_time_limit=300, time_limit=360)
def cohort_reminders_task() -> int:
    """Beat: deadline reminders due today, each sent once per learner and deadline."""
    from courses.cohorts.services import reminders_send

    return reminders_send()


@shared_task(
    name="courses.cohort_invitations_send",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=600,
    time_limit=660,
)
def cohort_invitations_send_task(cohort_id: int) -> int:
    """The invitation e-mails of an imported list (each claimed once; see the service)."""
    from courses.cohorts.services import invitations_send_owed

    return invitations_send_owed(cohort_id=cohort_id)


@shared_task(name="courses.cohort_invitations_sweep", soft_time_limit=60, time_limit=90)
def cohort_invitations_sweep_task() -> int:
    """Beat: publish again the invitations still owed (a publish that failed, a refusal)."""
    from courses.cohorts.services import invitations_owed_publish

    return invitations_owed_publish()
