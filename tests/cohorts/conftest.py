"""Factories for cohorts: a cohort of a course, members, and quizzes taken through the real
quiz services (attempt_start / attempt_submit), so the rows are what learners would leave."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pytest

# A Redis and a Celery worker of the test's own, for the reminders' worker tests.
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
    """Every worker these tests start can be held before an invitation's e-mail
    (``worker_hooks``; inactive unless INVITATION_TEST_HOLD is set)."""
    return held_worker_options(
        deployment,
        hooks="tests.cohorts.worker_hooks",
        hold_file_variable="INVITATION_TEST_HOLD_FILE",
    )


@pytest.fixture
def cohort(make_cohort, course):
    return make_cohort(course)


@pytest.fixture
def make_member(make_user) -> Callable[..., object]:
    """A learner who joined the cohort (enrolled in its course)."""
    from courses.cohorts.services import cohort_join

    def make(cohort, **user_fields):
        user = make_user(**user_fields)
        return cohort_join(cohort=cohort, user=user)

    return make


@pytest.fixture
def take_quiz() -> Callable[..., object]:
    """Start and submit the lesson's quiz for the enrolment: each question answered right or
    wrong as ``right`` says (one flag for all, or one per question in the order shown)."""
    from courses.quizzes.services import attempt_start, attempt_submit
    from tests.quizzes.conftest import key_display, wrong_display

    def take(enrollment, lesson, *, right: bool | Sequence[bool] = True):
        attempt, _created = attempt_start(enrollment=enrollment, lesson=lesson)
        questions = attempt.items
        rights = [right] * len(questions) if isinstance(right, bool) else list(right)
        # Positions as shown on the page (the options are shuffled per attempt).
        answers = {
            position: key_display(attempt, position)
            if rights[position]
            else wrong_display(attempt, position)
            for position in range(len(questions))
        }
        attempt_submit(attempt=attempt, answers=answers)
        attempt.refresh_from_db()
        return attempt

    return take


@pytest.fixture
def refuses(monkeypatch):
    """The mail server refuses the addresses added to this set (as SMTP refuses an unknown
    recipient) for every cohort e-mail."""
    import smtplib

    from courses.cohorts import services

    refused: set[str] = set()
    send = services._send

    def refusing(**kwargs):  # type: ignore[no-untyped-def]
        if kwargs["to"] in refused:
            raise smtplib.SMTPRecipientsRefused({kwargs["to"]: (550, b"No such user")})
        return send(**kwargs)

    monkeypatch.setattr(services, "_send", refusing)
    return refused
