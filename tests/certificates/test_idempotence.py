"""One certificate, however many times its issue is delivered, and one completion, however
many requests complete the course at once (PostgreSQL: row locks, the unique constraint)."""

from __future__ import annotations

import re
import time

import pytest
from django.core import mail
from django.core.management import call_command

from courses.certificates import services as certificates
from courses.models import Certificate, CourseCompletion, QuizAttempt
from courses.progress import rules
from courses.progress import services as progress
from courses.progress.services import enrollment_create, lesson_mark_complete
from courses.quizzes.services import attempt_start, attempt_submit
from tests.concurrency import together
from tests.quizzes.conftest import key_display

from .conftest import delivered, lessons_of, wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

TIMES = 10


@pytest.fixture
def reading_course(make_course, learner):
    """A course of two lessons without quizzes, and the learner's enrolment in it."""
    course = make_course(modules=1, lessons=2, title="Surveillance des patients sous CAR-T")
    enrollment, _created = enrollment_create(user=learner, course=course)
    return course, enrollment


@pytest.mark.worker
def test_ten_deliveries_of_one_issue_to_four_worker_processes_make_one_certificate(
    broker, celery_worker, deployment, reading_course
):
    """The issue of one completion published ten times, taken by four processes at once:
    ten tasks succeed, one row, one PDF, one e-mail."""
    course, enrollment = reading_course
    for lesson in lessons_of(course):
        lesson_mark_complete(enrollment=enrollment, lesson=lesson)  # publishes the first
    completion = CourseCompletion.objects.get(enrollment=enrollment)
    for _ in range(TIMES - 1):
        assert certificates.certificate_publish(completion_id=completion.pk)
    assert broker.queue_length() == TIMES

    worker = celery_worker(broker.url, concurrency=4)
    delivered(enrollment, timeout=30)
    wait_for(
        lambda: (
            len(re.findall(r"courses\.certificate_issue\[.*\] succeeded", worker.log())) == TIMES
        ),
        timeout=30,
        what=f"{TIMES} issue tasks to succeed",
    )

    certificate = Certificate.objects.get()
    assert deployment.pdfs() == [deployment.media / certificate.file.name]
    assert len(deployment.emails()) == 1
    assert "retry" not in worker.log().lower()


def test_ten_simultaneous_issues_in_one_process_make_one_certificate(
    broker, settings, tmp_path, reading_course
):
    """certificate_issue run by ten threads at the same instant: all return the same
    certificate; one row, one PDF, one e-mail."""
    settings.MEDIA_ROOT = tmp_path
    course, enrollment = reading_course
    for lesson in lessons_of(course):
        lesson_mark_complete(enrollment=enrollment, lesson=lesson)
    completion = CourseCompletion.objects.get(enrollment=enrollment)

    codes = together(
        TIMES, lambda _index, _: certificates.certificate_issue(completion_id=completion.pk).code
    )

    assert len(set(codes)) == 1
    certificate = Certificate.objects.get()
    assert certificate.code == codes[0]
    assert sorted(path.name for path in (tmp_path / "certificates").iterdir()) == [
        f"{certificate.code}.pdf"
    ]
    assert len(mail.outbox) == 1


def test_two_requests_reading_the_last_lesson_at_once_complete_the_course_once(
    broker, reading_course
):
    """Two tabs mark the last lesson read at the same instant: one completion, one publish,
    and the command that issues what is owed issues one certificate."""
    course, enrollment = reading_course
    first, last = lessons_of(course)
    lesson_mark_complete(enrollment=enrollment, lesson=first)
    assert broker.queue_length() == 0

    together(2, lambda _index, _: lesson_mark_complete(enrollment=enrollment, lesson=last))

    assert CourseCompletion.objects.filter(enrollment=enrollment).count() == 1
    assert broker.queue_length() == 1
    call_command("issue_pending_certificates", "--now")
    assert Certificate.objects.count() == 1


def test_two_last_quizzes_passed_at_once_complete_the_course_once(
    broker, make_course, make_item, learner, monkeypatch
):
    """The last two quizzes passed in two tabs at the same instant: each transaction sees only
    its own pass until it commits. The course is still completed, once, and one issue
    published: the second grading waits for the first's lock on the enrolment, then reads its
    pass (neither may conclude "incomplete" for good)."""
    course = make_course(modules=1, lessons=2, title="Toxicités des immunothérapies")
    enrollment, _created = enrollment_create(user=learner, course=course)
    lessons = lessons_of(course)
    for lesson in lessons:
        make_item(lesson)
        lesson_mark_complete(enrollment=enrollment, lesson=lesson)
    attempts = [attempt_start(enrollment=enrollment, lesson=lesson)[0] for lesson in lessons]
    assert not CourseCompletion.objects.exists()

    # Whichever reads the course's state first holds on to it for a while before committing:
    # without the lock, the other would read meanwhile and see only its own pass too.
    readings: list[bool] = []
    read_state = progress.completion_reading

    def read_state_slowly(**kwargs):  # type: ignore[no-untyped-def]
        reading = read_state(**kwargs)
        readings.append(rules.course_complete(reading.states, rule=course.completion_rule))
        time.sleep(0.5)
        return reading

    monkeypatch.setattr(progress, "completion_reading", read_state_slowly)

    def submit(index: int, _prepared: object) -> bool:
        attempt = QuizAttempt.objects.get(pk=attempts[index].pk)
        return attempt_submit(attempt=attempt, answers={0: key_display(attempt, 0)}).attempt.passed

    assert together(2, submit) == [True, True]

    # The first reading found one quiz still to pass, the second both passed.
    assert readings == [False, True]
    assert CourseCompletion.objects.filter(enrollment=enrollment).count() == 1
    assert broker.queue_length() == 1
