"""Invitation e-mails of an imported list: sent by a task off the instructor's request, each
at most once, retried by a sweeper when the broker or the mail server fails."""

from __future__ import annotations

import time

import pytest
from django.urls import reverse

from courses.cohorts import services
from courses.cohorts.csvimport import Row
from courses.models import Invitation
from tests.concurrency import together
from tests.workers import free_port

pytestmark = pytest.mark.django_db


def rows(*emails: str) -> list[Row]:
    return [Row(line=n, email=e, first_name="", last_name="") for n, e in enumerate(emails, 2)]


@pytest.fixture
def broker_down(settings):
    """Publishes go to a port nobody listens on (Redis down)."""
    from elearn.celery import app

    previous = app.conf.broker_url
    url = f"redis://127.0.0.1:{free_port()}/0"
    settings.CELERY_BROKER_URL = url
    app.conf.broker_url = url
    yield
    app.conf.broker_url = previous


def test_with_redis_down_the_import_succeeds_and_the_sweeper_sends_later(
    client, cohort, broker_down, mailoutbox, django_capture_on_commit_callbacks
):
    """The broker refuses: the instructor's confirmation still succeeds at once, the
    invitations are recorded as owed, and the sweep sends them once the broker is back."""
    client.force_login(cohort.owner)
    upload = client.post(
        reverse("courses:cohort_import", kwargs={"pk": cohort.pk}),
        {"file": _csv("email\na@example.org\nb@example.org\n")},
    )
    key = upload.context["confirm_form"].initial["preview"]
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("courses:cohort_import_confirm", kwargs={"pk": cohort.pk}), {"preview": key}
        )
    assert response.status_code == 302
    assert time.monotonic() - started < 5  # a generous bound: a refused connection is instant
    assert mailoutbox == []
    assert set(services.invitations_owed().values_list("email", flat=True)) == {
        "a@example.org",
        "b@example.org",
    }

    assert services.invitations_send_owed() == 2
    assert sorted(message.to[0] for message in mailoutbox) == ["a@example.org", "b@example.org"]
    assert not services.invitations_owed().exists()


def _csv(text: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("liste.csv", text.encode(), content_type="text/csv")


def test_each_invitation_is_sent_once_however_often_the_sending_runs(
    cohort, instructor, mailoutbox
):
    """The import's task and the sweeper may both run: the claim lets one of them send."""
    services.roster_import(
        cohort=cohort, rows=rows("a@example.org", "b@example.org"), by=instructor
    )
    assert services.invitations_send_owed(cohort_id=cohort.pk) == 2
    assert services.invitations_send_owed(cohort_id=cohort.pk) == 0
    assert services.invitations_send_owed() == 0
    assert len(mailoutbox) == 2


class Killed(BaseException):
    """The sender's process ends here (no ``except Exception`` catches it)."""


def test_a_claim_left_by_a_dead_sender_is_sent_again_once_it_expires(
    cohort, instructor, mailoutbox, monkeypatch, settings
):
    """While a claim is fresh nobody else sends the invitation (its sender may be at the mail
    server); once older than INVITATION_CLAIM_SECONDS, the invitation is owed again."""
    from datetime import timedelta

    from django.utils import timezone

    services.roster_import(cohort=cohort, rows=rows("a@example.org"), by=instructor)
    send = services.invitation_send

    def die(**kwargs):  # type: ignore[no-untyped-def]
        raise Killed

    monkeypatch.setattr(services, "invitation_send", die)
    with pytest.raises(Killed):
        services.invitations_send_owed()
    monkeypatch.setattr(services, "invitation_send", send)

    invitation = Invitation.objects.get()
    assert invitation.claimed_at is not None
    assert invitation.sent_at is None
    assert not services.invitations_owed().exists()
    assert services.invitations_send_owed() == 0
    assert mailoutbox == []

    expired = timedelta(seconds=settings.INVITATION_CLAIM_SECONDS + 1)
    Invitation.objects.update(claimed_at=timezone.now() - expired)
    assert list(services.invitations_owed()) == [invitation]
    assert services.invitations_send_owed() == 1
    assert services.invitations_send_owed() == 0
    assert [message.to for message in mailoutbox] == [["a@example.org"]]
    invitation.refresh_from_db()
    assert invitation.sent_at is not None
    assert invitation.claimed_at is None
    assert invitation.send_attempts == 2


def test_an_address_refused_for_good_stops_being_tried(cohort, instructor, refuses, settings):
    """An address the mail server keeps refusing is tried INVITATION_MAX_SEND_ATTEMPTS times,
    then left alone; the instructor's page says it was not delivered."""
    settings.INVITATION_MAX_SEND_ATTEMPTS = 3
    refuses.add("inconnue@example.org")
    services.roster_import(cohort=cohort, rows=rows("inconnue@example.org"), by=instructor)
    for _ in range(5):
        services.invitations_send_owed()
    invitation = Invitation.objects.get()
    assert invitation.send_attempts == 3
    assert invitation.sent_at is None
    assert not services.invitations_owed().exists()


def test_the_enrol_page_shows_an_invitation_not_delivered(
    client, cohort, instructor, refuses, settings
):
    settings.INVITATION_MAX_SEND_ATTEMPTS = 1
    refuses.add("inconnue@example.org")
    services.roster_import(cohort=cohort, rows=rows("inconnue@example.org"), by=instructor)
    services.invitations_send_owed()
    client.force_login(cohort.owner)
    page = client.get(reverse("courses:cohort_enrol", kwargs={"pk": cohort.pk})).content.decode()
    assert "inconnue@example.org" in page
    assert "invitation-undelivered" in page


def test_the_sweeper_publishes_only_what_is_owed_after_a_minute(cohort, instructor, monkeypatch):
    """Fresh invitations are left to their own task; older ones owed are published by cohort."""
    from datetime import timedelta

    from django.utils import timezone

    published: list[tuple[str, int]] = []
    monkeypatch.setattr(
        services,
        "publish_many",
        lambda jobs: published.extend((task.name, pk) for task, pk in jobs) or len(jobs),
    )
    services.roster_import(cohort=cohort, rows=rows("a@example.org"), by=instructor)
    assert services.invitations_owed_publish() == 0
    Invitation.objects.update(created_at=timezone.now() - timedelta(minutes=2))
    assert services.invitations_owed_publish() == 1
    assert published == [("courses.cohort_invitations_send", cohort.pk)]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_senders_at_once_send_each_invitation_once(cohort, instructor, mailoutbox):
    """Two workers sending the same cohort's invitations at the same moment: one e-mail each."""
    emails = [f"personne{n}@example.org" for n in range(12)]
    services.roster_import(cohort=cohort, rows=rows(*emails), by=instructor)
    counts = together(2, lambda _index, _: services.invitations_send_owed(cohort_id=cohort.pk))
    assert sum(counts) == 12
    assert sorted(message.to[0] for message in mailoutbox) == sorted(emails)
