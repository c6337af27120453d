"""Regeneration as production runs it: the request records a job and publishes its task
through a real Redis; a real Celery worker process claims it, regenerates and records the
report; the review page follows its states (queued, running, done). A worker killed mid-way
leaves the job running until it is stale; the sweeper publishes it again and another worker
finishes it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from courses.models import BackgroundJob, QuestionItem
from tests.workers import wait_for

from .conftest import first_lesson, regenerate_url, review_url

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

State = BackgroundJob.State


def state_of(client, lesson) -> tuple[str, str]:
    """The regeneration box as the page's script polls it: its state and its text."""
    url = reverse(
        "courses:review_regeneration_state",
        kwargs={"slug": lesson.module.course.slug, "pk": lesson.pk},
    )
    response = client.get(url)
    return response["X-Poll-State"], response.content.decode()


def test_a_regeneration_runs_on_the_worker_through_its_states(
    broker, celery_worker, deployment, imported_course, make_user, client
):
    """Queued when asked (the request generates nothing), running once a worker holds it,
    done with its report; a worker killed while it runs loses nothing: the sweeper publishes
    the job again once it is stale and a second worker finishes it."""
    from courses.models import User

    lesson = first_lesson(imported_course)
    staff = make_user(role=User.Role.INSTRUCTOR)
    imported_course.instructors.add(staff)
    client.force_login(staff)
    QuestionItem.objects.filter(lesson=lesson).delete()  # so that the run has drafts to add

    response = client.post(regenerate_url(lesson))
    assert response.status_code == 302
    job = BackgroundJob.objects.get()
    assert job.state == State.QUEUED
    assert not QuestionItem.objects.filter(lesson=lesson).exists()
    state, box = state_of(client, lesson)
    assert state == "queued"
    assert "Régénération en attente" in box
    assert broker.queue_length() == 1
    page = client.get(review_url(lesson)).content.decode()
    assert 'data-poll-pending="queued running"' in page

    held = celery_worker(broker.url, REGENERATION_TEST_HOLD="1")
    deployment.held_pid()
    job.refresh_from_db()
    assert job.state == State.RUNNING
    assert state_of(client, lesson)[0] == "running"
    held.kill()

    # A second click while it is pending adds no job.
    client.post(regenerate_url(lesson))
    assert BackgroundJob.objects.count() == 1

    worker = celery_worker(broker.url, beat=True, JOB_STALE_SECONDS="2", JOB_SWEEP_SECONDS="2")

    def done() -> bool:
        return BackgroundJob.objects.filter(pk=job.pk, state=State.DONE).exists()

    wait_for(done, timeout=90, what="the regeneration finished by the second worker")
    job.refresh_from_db()
    created = QuestionItem.objects.filter(lesson=lesson, status=QuestionItem.Status.DRAFT).count()
    assert created > 0
    assert job.report["created"] == created
    assert job.report["candidates"] >= created
    state, box = state_of(client, lesson)
    assert state == "done"
    assert f"{created} nouveaux brouillons" in box or f"{created} nouveau brouillon" in box
    assert "courses.lesson_regenerate" in worker.log()
