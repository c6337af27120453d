"""Cohort e-mails as production sends them: tasks published through a real Redis and run by a
real Celery worker process, their e-mails written to files.

Deadline reminders (``courses.cohort_reminders``), run twice at the same moment (two pool
processes) and once more afterwards, send each learner one reminder for the deadline: the
unique (member, deadline) row decides. An imported list's invitations are sent by the worker,
not by the instructor's request.
"""

from __future__ import annotations

import re
import time
from datetime import timedelta
from email.header import decode_header, make_header
from email.message import Message
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.urls import resolve
from django.utils import timezone, translation

from courses.cohorts.selectors import membership_from_unsubscribe_token
from courses.cohorts.services import reminders_unsubscribe
from courses.cohorts.tasks import cohort_reminders_task
from courses.models import DeadlineReminder
from tests.workers import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

TASK = "courses.cohort_reminders"


def publish(broker_url: str, times: int) -> list[str]:
    """Publish the beat task ``times`` times to this test's Redis; the messages' ids."""
    app = cohort_reminders_task.app
    with app.connection_for_write(broker_url) as connection:
        return [
            cohort_reminders_task.apply_async(connection=connection, retry=False).id
            for _ in range(times)
        ]


def results(worker, ids: list[str], *, timeout: float = 30) -> list[int]:
    """Wait for the worker to log each task's success; what each returned (reminders sent)."""

    def finished() -> list[int] | None:
        found = [
            re.search(rf"Task {TASK}\[{task_id}\] succeeded in [\d.]+s: (\d+)", worker.log())
            for task_id in ids
        ]
        return [int(match.group(1)) for match in found if match] if all(found) else None

    returned = wait_for(finished, timeout=timeout, what=f"{len(ids)} run(s) of {TASK}")
    assert isinstance(returned, list)
    return returned


def subject(message: Message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def body(message: Message) -> str:
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode(message.get_content_charset() or "utf-8")


def test_the_worker_sends_one_reminder_per_learner_however_often_the_task_runs(
    broker, celery_worker, deployment, make_cohort, course, make_member
):
    """Two learners to remind, one who asked for no reminders: two e-mails, each with the
    learner's own unsubscribe link, whether the task runs twice at once or again later."""
    today = timezone.localdate()
    cohort = make_cohort(
        course,
        starts_on=today - timedelta(days=20),
        ends_on=today + timedelta(days=20),
        deadline=today + timedelta(days=3),
        reminder_days=7,
    )
    waiting = [
        make_member(cohort, email="camille.martin@example.org", full_name="Camille Martin"),
        make_member(cohort, email="ines.moreau@example.org", full_name="Inès Moreau"),
    ]
    opted_out = make_member(cohort, email="plus-de-rappels@example.org")
    reminders_unsubscribe(membership=opted_out)

    # Two runs waiting in Redis before the worker starts: its two pool processes take one each.
    first_ids = publish(broker.url, times=2)
    assert broker.queue_length() == 2
    worker = celery_worker(broker.url, concurrency=2)

    assert sum(results(worker, first_ids)) == 2  # [0, 2] or [1, 1]: never more than 2
    # And once more, later: nothing left to send.
    assert results(worker, publish(broker.url, times=1)) == [0]

    emails = deployment.emails()
    assert sorted(message["To"] for message in emails) == [
        "camille.martin@example.org",
        "ines.moreau@example.org",
    ]
    assert DeadlineReminder.objects.count() == 2
    assert set(DeadlineReminder.objects.values_list("membership", flat=True)) == {
        member.pk for member in waiting
    }

    message = next(m for m in emails if m["To"] == "ines.moreau@example.org")
    assert course.title in subject(message)
    assert subject(message).startswith(f"[{settings.SITE_NAME}] ")
    text = body(message)
    assert text.startswith("Bonjour Inès Moreau,")
    (link,) = [url for url in re.findall(r"https?://\S+", text) if "unsubscribe" in url]
    with translation.override(settings.LANGUAGE_CODE):
        token = resolve(urlsplit(link).path).kwargs["token"]
    assert membership_from_unsubscribe_token(token) == waiting[1]


def test_the_worker_sends_the_invitations_of_an_imported_list(
    broker, celery_worker, deployment, cohort, instructor
):
    """Confirming a list publishes one task through Redis; the worker e-mails each invitation
    once, and the instructor's request did none of the sending."""
    from courses.cohorts.csvimport import Row
    from courses.cohorts.services import roster_import
    from courses.models import Invitation

    worker = celery_worker(broker.url, concurrency=1)
    rows = [
        Row(line=2, email="zoe.lefevre@example.org", first_name="Zoé", last_name="Lefèvre"),
        Row(line=3, email="lucas.petit@example.org", first_name="Lucas", last_name="Petit"),
    ]
    roster_import(cohort=cohort, rows=rows, by=instructor)  # commits: publishes on commit

    def sent() -> bool:
        return Invitation.objects.filter(sent_at__isnull=False).count() == 2

    wait_for(sent, timeout=30, what="the invitations sent by the worker")
    assert "courses.cohort_invitations_send" in worker.log()
    emails = deployment.emails()
    assert sorted(message["To"] for message in emails) == [
        "lucas.petit@example.org",
        "zoe.lefevre@example.org",
    ]
    zoe = Invitation.objects.get(email="zoe.lefevre@example.org")
    message = next(m for m in emails if m["To"] == "zoe.lefevre@example.org")
    assert zoe.token in body(message)


def test_a_worker_killed_while_sending_an_invitation_loses_none_and_doubles_none(
    broker, celery_worker, deployment, cohort, instructor
):
    """SIGKILL of the whole worker after it claimed an invitation and before the mail server
    took it: the claim is left behind, unsent. Once the claim has expired, the next worker's
    sweep sends that invitation, and the other one, each exactly once."""
    import signal

    from courses.cohorts.csvimport import Row
    from courses.cohorts.services import roster_import
    from courses.models import Invitation

    no_redelivery = {"CELERY_VISIBILITY_TIMEOUT": "3600"}
    first = celery_worker(broker.url, INVITATION_TEST_HOLD="1", **no_redelivery)
    rows = [
        Row(line=2, email="zoe.lefevre@example.org", first_name="Zoé", last_name="Lefèvre"),
        Row(line=3, email="lucas.petit@example.org", first_name="Lucas", last_name="Petit"),
    ]
    roster_import(cohort=cohort, rows=rows, by=instructor)
    deployment.held_pid()
    first.kill(signal.SIGKILL)

    held = Invitation.objects.get(claimed_at__isnull=False)
    assert held.sent_at is None
    assert Invitation.objects.filter(sent_at__isnull=False).count() == 0
    assert deployment.emails() == []
    # The sweep leaves a list's first minute to the import's own task: make it older.
    Invitation.objects.update(created_at=timezone.now() - timedelta(minutes=2))

    celery_worker(
        broker.url,
        beat=True,
        INVITATION_SWEEP_SECONDS="1",
        INVITATION_CLAIM_SECONDS="2",
        **no_redelivery,
    )

    def sent() -> bool:
        return Invitation.objects.filter(sent_at__isnull=False).count() == 2

    wait_for(sent, timeout=30, what="the invitations sent after the claim expired")
    assert not Invitation.objects.filter(claimed_at__isnull=False).exists()
    held.refresh_from_db()
    assert held.send_attempts == 2  # the dead worker's claim, then the send
    # Beat goes on publishing the sweep every second: leave a second send the time to happen.
    time.sleep(3)
    emails = deployment.emails()
    assert sorted(message["To"] for message in emails) == [
        "lucas.petit@example.org",
        "zoe.lefevre@example.org",
    ]
