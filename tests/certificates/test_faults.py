"""Faults on the way to a certificate: a worker killed mid-task, Redis stopped or frozen.

Whatever breaks, the learner's request is answered at once, the completion is kept, and
exactly one certificate follows (one row, one PDF, one e-mail) once things recover: by
redelivery when the worker's main process survives, by the sweeper otherwise.

How each fault is made: ``worker_hooks`` holds a worker process at a chosen step of delivery
and the test SIGKILLs it there (the pool process, or the whole process group); Redis is this
test's own ``redis-server``, terminated and restarted on its port, or SIGSTOPped and resumed.
"""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest
from django.core.management import call_command

from courses.models import Certificate, CourseCompletion

from .conftest import complete_course_over_http, delivered, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

# The sweeper as the tests run it: every 2 s, for completions older than 1 s.
SWEEPER = {"CERTIFICATE_SWEEP_SECONDS": "2", "CERTIFICATE_SWEEP_GRACE_SECONDS": "1"}


def assert_exactly_one_certificate(deployment, enrollment) -> Certificate:
    certificate = Certificate.objects.get()  # one row, and no other
    assert certificate.enrollment_id == enrollment.pk
    assert certificate.rendered_at is not None
    assert certificate.email_sent_at is not None
    assert deployment.pdfs() == [deployment.media / certificate.file.name]
    emails = deployment.emails()
    assert len(emails) == 1, [message["Subject"] for message in emails]
    return certificate


@pytest.mark.parametrize(
    "step",
    [
        pytest.param("render", id="mid-render"),
        pytest.param("saved", id="file-written-not-committed"),
    ],
)
def test_a_pool_process_killed_mid_delivery_leaves_exactly_one_certificate(
    step, broker, celery_worker, deployment, learner_http, certificate_course, enrollment
):
    """SIGKILL of the process running the task: the worker puts the message back
    (reject_on_worker_lost), its new pool process delivers, once. No sweeper runs here."""
    worker = celery_worker(broker.url, CERTIFICATE_TEST_HOLD=step)
    complete_course_over_http(learner_http, certificate_course)

    held = deployment.held_pid()
    assert held != worker.pid, "the hold must be in a pool process, not the main one"
    certificate = Certificate.objects.get()
    assert certificate.rendered_at is None
    assert len(deployment.pdfs()) == (1 if step == "saved" else 0)
    os.kill(held, signal.SIGKILL)
    killed = time.monotonic()

    delivered(enrollment, timeout=30)
    recovered = time.monotonic() - killed
    assert_exactly_one_certificate(deployment, enrollment)
    assert Certificate.objects.get().code == certificate.code
    assert "WorkerLostError" in worker.log()
    assert recovered < 15, f"redelivery took {recovered:.1f} s"


def test_a_worker_killed_outright_mid_task_is_made_good_by_the_sweeper_in_bounded_time(
    broker, celery_worker, deployment, learner_http, certificate_course, enrollment
):
    """SIGKILL of the whole worker (main process and pool) mid-render: its message stays
    unacknowledged in Redis for the visibility timeout (an hour here), yet a new worker's
    sweeper issues the certificate within seconds, once."""
    no_redelivery = {"CELERY_VISIBILITY_TIMEOUT": "3600"}
    first = celery_worker(broker.url, CERTIFICATE_TEST_HOLD="render", **no_redelivery)
    complete_course_over_http(learner_http, certificate_course)
    deployment.held_pid()

    first.kill(signal.SIGKILL)
    killed = time.monotonic()
    assert broker.client().hlen("unacked") == 1, "the task in flight is held unacknowledged"

    celery_worker(broker.url, beat=True, **SWEEPER, **no_redelivery)
    delivered(enrollment, timeout=30)
    recovered = time.monotonic() - killed
    assert_exactly_one_certificate(deployment, enrollment)
    assert recovered < 20, f"the sweeper took {recovered:.1f} s"


def test_with_redis_stopped_the_learner_completes_normally_and_the_sweep_issues_later(
    broker, celery_worker, deployment, learner_http, certificate_course, enrollment
):
    """Redis down when the last quiz is submitted: the normal result page, the completion
    saved, no certificate. Redis back (empty: the publish was lost), a worker reconnected: the
    ``issue_pending_certificates`` command republishes and one certificate is issued."""
    worker = celery_worker(broker.url)

    timed = complete_course_over_http(learner_http, certificate_course, before_last=broker.stop)

    assert timed.seconds < 2, f"the submission took {timed.seconds:.2f} s"
    result = learner_http.get(timed.response.url)
    assert result.status_code == 200
    assert CourseCompletion.objects.filter(enrollment=enrollment).count() == 1
    assert not Certificate.objects.exists()

    broker.start()
    wait_for(
        lambda: worker.log().count("Connected to redis://") >= 2,
        timeout=40,
        what="the worker to reconnect to Redis",
    )
    assert broker.queue_length() == 0, "nothing was published while Redis was down"
    time.sleep(1)
    assert not Certificate.objects.exists(), "the certificate waits for the sweep"

    call_command("issue_pending_certificates")
    delivered(enrollment, timeout=30)
    assert_exactly_one_certificate(deployment, enrollment)


def test_a_frozen_redis_costs_the_learner_under_two_seconds_and_the_certificate_follows(
    broker, celery_worker, deployment, learner_http, certificate_course, enrollment
):
    """Redis frozen (SIGSTOP: connections accepted, never answered) during the last quiz
    submission: the answer comes in under 2 s and the completion is kept; once Redis resumes,
    the worker's beat sweeper gets the certificate issued, once."""
    celery_worker(broker.url, beat=True, **SWEEPER)
    # Should the request wait on Redis after all, this ends the wait (and the test fails on
    # the time taken) rather than hanging the suite.
    safety = threading.Timer(10, broker.thaw)

    def freeze() -> None:
        broker.freeze()
        safety.start()

    try:
        timed = complete_course_over_http(learner_http, certificate_course, before_last=freeze)
    finally:
        safety.cancel()

    assert timed.seconds < 2, f"the submission took {timed.seconds:.2f} s"
    assert learner_http.get(timed.response.url).status_code == 200
    assert CourseCompletion.objects.filter(enrollment=enrollment).count() == 1
    assert not Certificate.objects.exists()

    broker.thaw()
    thawed = time.monotonic()
    delivered(enrollment, timeout=30)
    assert time.monotonic() - thawed < 20
    assert_exactly_one_certificate(deployment, enrollment)
