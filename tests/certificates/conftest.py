"""Real services for the certificate tests: Redis servers and Celery workers this test owns.

The Redis servers, workers and shared directories come from tests/workers.py (shared with the
cohort reminders' worker tests); the workers started here also import ``worker_hooks``, the
faults these tests inject. Everything started is killed at teardown, whatever the test did.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from courses.models import Certificate, Course, Enrollment, Lesson, QuizAttempt
from tests.quizzes.conftest import key_display
from tests.workers import (  # noqa: F401  (fixtures, found by pytest by their names)
    Deployment,
    WorkerOptions,
    broker,
    celery_worker,
    deployment,
    free_port,
    redis_server,
    wait_for,
)


@pytest.fixture
def worker_options(deployment: Deployment) -> WorkerOptions:  # noqa: F811  (the fixture)
    """Every worker these tests start can be held at a step of delivery (``worker_hooks``)."""
    return WorkerOptions(
        include=("tests.certificates.worker_hooks",),
        env={"CERTIFICATE_TEST_HOLD_FILE": str(deployment.hold_file)},
    )


# --- A course to complete ---------------------------------------------------------------------

COURSE_TITLE = "Prise en charge infirmière du syndrome de libération de cytokines"
HOURS = Decimal("3.5")
HOURS_DISPLAY = "3,5"
QUIZ_ITEMS = 3


@pytest.fixture
def certificate_course(make_course, make_item) -> Course:
    """Two lessons; the second has a quiz of three questions (the last thing a learner does)."""
    course = make_course(modules=1, lessons=2, title=COURSE_TITLE, contact_hours=HOURS)
    for _ in range(QUIZ_ITEMS):
        make_item(lessons_of(course)[-1])
    return course


@pytest.fixture
def enrollment(learner, certificate_course) -> Enrollment:
    from courses.progress.services import enrollment_create

    enrolled, _created = enrollment_create(user=learner, course=certificate_course)
    return enrolled


@pytest.fixture
def learner_http(learner, enrollment) -> Client:
    """The learner, logged in, enrolled in ``certificate_course``."""
    client = Client()
    client.force_login(learner)
    return client


def lessons_of(course: Course) -> list[Lesson]:
    return list(
        Lesson.objects.filter(module__course=course)
        .select_related("module__course")
        .order_by("module__position", "position")
    )


class Timed:
    def __init__(self, response, seconds: float) -> None:  # type: ignore[no-untyped-def]
        self.response = response
        self.seconds = seconds


def complete_course_over_http(
    client: Client, course: Course, *, before_last: Callable[[], object] | None = None
) -> Timed:
    """Read every lesson and pass the quiz, through the site's own forms.

    The quiz's submission is the request that completes the course: ``before_last`` runs just
    before it (to break the broker at that moment), and that request alone is timed.
    """
    lessons = lessons_of(course)
    for lesson in lessons:
        response = client.post(
            reverse("courses:lesson_complete", kwargs={"slug": course.slug, "pk": lesson.pk})
        )
        assert response.status_code == 302, response
    quiz_lesson = lessons[-1]
    response = client.post(
        reverse("courses:quiz_start", kwargs={"slug": course.slug, "pk": quiz_lesson.pk})
    )
    assert response.status_code == 302, response
    attempt = QuizAttempt.objects.get(
        enrollment__course=course, lesson=quiz_lesson, submitted_at__isnull=True
    )
    assert response.url == reverse(
        "courses:quiz_attempt", kwargs={"slug": course.slug, "pk": attempt.pk}
    )
    answers = {
        f"q{position}": str(key_display(attempt, position)) for position in range(QUIZ_ITEMS)
    }
    if before_last is not None:
        before_last()
    started = time.monotonic()
    response = client.post(response.url, answers)
    seconds = time.monotonic() - started
    assert response.status_code == 302, response
    assert response.url == reverse(
        "courses:quiz_result", kwargs={"slug": course.slug, "pk": attempt.pk}
    )
    return Timed(response, seconds)


def delivered(enrollment: Enrollment, *, timeout: float) -> Certificate:
    """Wait for the enrolment's original certificate to be rendered and e-mailed."""
    found = wait_for(
        lambda: Certificate.objects.filter(
            enrollment=enrollment,
            duplicate_of__isnull=True,
            rendered_at__isnull=False,
            email_sent_at__isnull=False,
        ).first(),
        timeout=timeout,
        what="the certificate to be rendered and e-mailed",
    )
    assert isinstance(found, Certificate)
    return found
