"""The cohorts' Celery tasks: thin, ids in, one service call, safe to run twice (each e-mail
is claimed or recorded once by its service). Task names never change: messages already queued
carry them."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="courses.cohort_reminders", acks_late=True, soft_time_limit=300, time_limit=360)
def cohort_reminders_task() -> int:
    """Beat: deadline reminders due today, each sent once per learner and deadline."""
    return services.reminders_send()


@shared_task(
    name="courses.cohort_invitations_send",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=600,
    time_limit=660,
)
def cohort_invitations_send_task(cohort_id: int) -> int:
    """The invitation e-mails of an imported list (each claimed once; see the service)."""
    return services.invitations_send_owed(cohort_id=cohort_id)


@shared_task(name="courses.cohort_invitations_sweep", soft_time_limit=60, time_limit=90)
def cohort_invitations_sweep_task() -> int:
    """Beat: publish again the invitations still owed (a publish that failed, a refusal)."""
    return services.invitations_owed_publish()


@shared_task(
    name="courses.cohort_late_reminders_send",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=600,
    time_limit=660,
)
def cohort_late_reminders_send_task(cohort_id: int) -> int:
    """The reminders an instructor asked for, to the learners behind (each claimed once)."""
    return services.late_reminders_send_owed(cohort_id=cohort_id)


@shared_task(name="courses.cohort_late_reminders_sweep", soft_time_limit=60, time_limit=90)
def cohort_late_reminders_sweep_task() -> int:
    """Beat: publish again the reminders asked for today and still owed."""
    return services.late_reminders_owed_publish()
