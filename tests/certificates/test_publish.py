"""Publishing the issue of a certificate: never an error for the learner, never a long wait,
and nothing at all for a completion that was rolled back."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import transaction

from courses.certificates import services as certificates
from courses.models import Certificate, CourseCompletion
from courses.progress.services import (
    completion_record_if_due,
    enrollment_create,
    lesson_mark_complete,
)

from .conftest import free_port, lessons_of


@pytest.fixture
def broker_at(settings):
    """Point the test process's publishes at ``url``; restored after the test."""
    from elearn.celery import app

    previous = app.conf.broker_url

    def point(url: str) -> None:
        settings.CELERY_BROKER_URL = url
        app.conf.broker_url = url

    yield point
    app.conf.broker_url = previous


def timed_publish() -> tuple[bool, float]:
    started = time.monotonic()
    published = certificates.certificate_publish(completion_id=1)
    return published, time.monotonic() - started


def test_publishing_to_a_closed_port_fails_at_once_without_raising(broker_at):
    """Nothing listens (Redis stopped): False in under a second, no exception."""
    broker_at(f"redis://127.0.0.1:{free_port()}/0")
    published, seconds = timed_publish()
    assert published is False
    assert seconds < 1


def test_publishing_to_a_frozen_redis_gives_up_within_two_seconds(broker_at, redis_server):
    """The connection is accepted and never answered (SIGSTOP): False in under 2 seconds."""
    server = redis_server()
    broker_at(server.url)
    assert timed_publish()[0] is True  # the measure works: this server takes publishes
    server.freeze()
    published, seconds = timed_publish()
    assert published is False
    assert seconds < 2


def test_without_a_broker_a_failing_task_run_inline_does_not_reach_the_learner(
    celery_eager, monkeypatch
):
    """`manage.py serve` without Redis runs tasks inline: an issue that fails (and asks for a
    retry) is logged and left to the sweeper, it does not raise into the request."""

    def fails(*, completion_id: int) -> None:
        raise RuntimeError("the PDF could not be written")

    monkeypatch.setattr(certificates, "certificate_issue", fails)
    assert certificates.certificate_publish(completion_id=1) is False


@pytest.mark.django_db(transaction=True)
def test_a_sweep_against_a_frozen_redis_stops_at_the_first_failed_publish(
    broker_at, redis_server, make_course, make_user
):
    """Five certificates owed, the broker frozen: the sweep gives up after one timeout instead
    of waiting out five (hundreds, in production, past the sweep task's time limit)."""
    server = redis_server()
    broker_at(server.url)
    course = make_course(modules=1, lessons=1)
    (lesson,) = lessons_of(course)
    for _ in range(5):
        enrollment, _created = enrollment_create(user=make_user(), course=course)
        lesson_mark_complete(enrollment=enrollment, lesson=lesson)
    assert server.queue_length() == 5
    server.client().delete("celery")
    server.freeze()

    started = time.monotonic()
    published = certificates.certificates_owed_publish(grace=timedelta(0))
    seconds = time.monotonic() - started

    assert published == 0
    assert seconds < 1.5, f"{seconds:.1f} s: one timeout per owed certificate"


@pytest.mark.django_db(transaction=True)
def test_a_completion_rolled_back_publishes_nothing(broker_at, redis_server, make_course, learner):
    """A completion recorded in a transaction that then fails leaves no message in the queue
    and no certificate owed; the same steps committed publish exactly one message."""
    server = redis_server()
    broker_at(server.url)
    course = make_course(modules=1, lessons=2)
    enrollment, _created = enrollment_create(user=learner, course=course)

    class Abort(Exception):
        pass

    def complete_then_fail() -> None:
        with transaction.atomic():
            for lesson in lessons_of(course):
                lesson_mark_complete(enrollment=enrollment, lesson=lesson)
            assert completion_record_if_due(enrollment=enrollment) is not None
            raise Abort

    with pytest.raises(Abort):
        complete_then_fail()

    assert server.queue_length() == 0
    assert not CourseCompletion.objects.exists()
    call_command("issue_pending_certificates", "--now")
    assert not Certificate.objects.exists()

    # The same, committed: the measure above would have seen a publish.
    for lesson in lessons_of(course):
        lesson_mark_complete(enrollment=enrollment, lesson=lesson)
    assert server.queue_length() == 1
