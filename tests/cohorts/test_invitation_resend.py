"""Personal invitations nobody accepted: they expire (INVITATION_EXPIRY_DAYS after they were
issued) and staff may send them again, at most INVITATION_MAX_RESENDS times, each re-send
issuing them anew (courses/cohorts/services.py invitation_resend)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.accounts.services import INVITED_EMAIL_SESSION_KEY
from courses.cohorts.services import (
    CohortError,
    invitation_accept,
    invitation_resend,
    invitations_send_owed,
)
from courses.models import CohortMembership, Invitation

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitation(cohort, instructor, mailoutbox):
    """An invitation e-mailed to Inès, not accepted."""
    made = Invitation.objects.create(
        cohort=cohort,
        email="ines.moreau@example.org",
        full_name="Inès Moreau",
        invited_by=instructor,
    )
    assert invitations_send_owed() == 1
    made.refresh_from_db()
    return made


def age(invitation, days: int) -> None:
    """As if it had been issued ``days`` ago."""
    Invitation.objects.filter(pk=invitation.pk).update(
        issued_at=timezone.now() - timedelta(days=days)
    )
    invitation.refresh_from_db()


def resend_url(invitation) -> str:
    return reverse(
        "courses:cohort_invitation_resend",
        kwargs={"pk": invitation.cohort_id, "invitation": invitation.pk},
    )


# --- expiry -----------------------------------------------------------------------------------


def test_an_invitation_expires_after_the_setting(invitation, make_user, settings):
    """Thirty days by default; past them it cannot be accepted and says when it expired."""
    assert settings.INVITATION_EXPIRY_DAYS == 30
    age(invitation, 29)
    assert not invitation.expired
    age(invitation, 30)
    assert invitation.expired
    user = make_user(email="ines.moreau@example.org")
    with pytest.raises(CohortError, match="Cette invitation a expiré le"):
        invitation_accept(invitation=invitation, user=user)
    assert not CohortMembership.objects.exists()


def test_the_setting_decides_the_expiry(invitation, settings):
    settings.INVITATION_EXPIRY_DAYS = 3
    age(invitation, 3)
    assert invitation.expired
    settings.INVITATION_EXPIRY_DAYS = 4
    assert not invitation.expired


def test_an_expired_invitations_page_says_so_and_offers_no_way_in(client, invitation):
    """410 Gone, the day it expired and who can send it again; no sign-up button, and the
    address is not remembered as verified."""
    age(invitation, 31)
    url = reverse("courses:invitation_accept", kwargs={"token": invitation.token})
    response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 410
    assert "Cette invitation a expiré le" in page
    assert "Demandez à Sophie Bernard, qui vous a invité·e, de vous la renvoyer." in page
    assert f"{reverse('account_signup')}?" not in page  # the nav's own link stays
    assert "Accepter" not in page
    assert INVITED_EMAIL_SESSION_KEY not in client.session


def test_an_expired_invitation_never_sent_is_not_sent_any_more(cohort, instructor, mailoutbox):
    """Still owed (its e-mail never went) but past its expiry: the sweeper drops it."""
    stale = Invitation.objects.create(
        cohort=cohort, email="vieux@example.org", invited_by=instructor
    )
    age(stale, 40)
    assert invitations_send_owed() == 0
    assert mailoutbox == []


# --- re-sending -------------------------------------------------------------------------------


def test_a_re_send_e_mails_it_again_and_issues_it_anew(
    invitation, mailoutbox, make_user, django_capture_on_commit_callbacks, celery_eager
):
    """An expired invitation sent again: a second e-mail with the same link, a new expiry,
    and it can be accepted."""
    age(invitation, 45)
    with django_capture_on_commit_callbacks(execute=True):
        invitation_resend(invitation=invitation, resends=0)
    assert [message.to for message in mailoutbox] == [["ines.moreau@example.org"]] * 2
    assert invitation.token in mailoutbox[1].body
    invitation.refresh_from_db()
    assert invitation.resends == 1
    assert not invitation.expired
    assert invitation.sent_at is not None
    user = make_user(email="ines.moreau@example.org")
    invitation_accept(invitation=invitation, user=user)
    assert CohortMembership.objects.filter(enrollment__user=user).exists()


def test_re_sends_stop_at_the_limit(
    invitation, mailoutbox, settings, django_capture_on_commit_callbacks, celery_eager
):
    settings.INVITATION_MAX_RESENDS = 2
    for done in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            invitation_resend(invitation=invitation, resends=done)
        invitation.refresh_from_db()
    with pytest.raises(CohortError, match="déjà été renvoyée 2 fois, le maximum permis"):
        invitation_resend(invitation=invitation, resends=2)
    assert len(mailoutbox) == 3


def test_the_same_re_send_submitted_twice_sends_once(
    invitation, mailoutbox, django_capture_on_commit_callbacks, celery_eager
):
    """Both submissions carry what the page showed (0 re-sends): the second finds 1."""
    with django_capture_on_commit_callbacks(execute=True):
        invitation_resend(invitation=invitation, resends=0)
    invitation.refresh_from_db()
    with pytest.raises(CohortError, match="renvoyée entre-temps"):
        invitation_resend(invitation=invitation, resends=0)
    assert len(mailoutbox) == 2
    invitation.refresh_from_db()
    assert invitation.resends == 1


def test_an_accepted_invitation_is_not_sent_again(invitation, make_user, mailoutbox):
    invitation_accept(invitation=invitation, user=make_user(email="ines.moreau@example.org"))
    invitation.refresh_from_db()
    with pytest.raises(CohortError, match="a été acceptée"):
        invitation_resend(invitation=invitation, resends=0)
    assert len(mailoutbox) == 1


def test_an_invitation_still_being_sent_is_not_sent_again(cohort, instructor, mailoutbox):
    pending = Invitation.objects.create(
        cohort=cohort, email="neuf@example.org", invited_by=instructor
    )
    with pytest.raises(CohortError, match="en cours d’envoi"):
        invitation_resend(invitation=pending, resends=0)
    pending.refresh_from_db()
    assert pending.resends == 0


# --- the enrol page ---------------------------------------------------------------------------


def test_the_enrol_page_shows_expiry_and_sends_again(
    client, invitation, instructor, mailoutbox, django_capture_on_commit_callbacks, celery_eager
):
    age(invitation, 31)
    client.force_login(instructor)
    enrol = reverse("courses:cohort_enrol", kwargs={"pk": invitation.cohort_id})
    page = client.get(enrol).content.decode()
    assert "expirée le" in page
    assert resend_url(invitation) in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(resend_url(invitation), {"resends": "0"}, follow=True)
    page = response.content.decode()
    assert "L’invitation à ines.moreau@example.org est en cours de renvoi." in page
    assert "renvoyée 1 fois sur 3" in page
    assert len(mailoutbox) == 2
    again = client.post(resend_url(invitation), {"resends": "0"}, follow=True)
    assert "renvoyée entre-temps" in again.content.decode()
    assert len(mailoutbox) == 2


def test_a_tampered_re_send_form_sends_nothing(client, invitation, instructor, mailoutbox):
    client.force_login(instructor)
    assert client.post(resend_url(invitation), {"resends": "beaucoup"}).status_code == 400
    assert client.post(resend_url(invitation), {}).status_code == 400
    assert len(mailoutbox) == 1


def test_only_the_cohorts_staff_send_its_invitations_again(
    client, invitation, other_instructor, make_cohort, make_course, mailoutbox
):
    """Another instructor: 404 on this cohort, and 404 on her own cohort's address with this
    invitation's id."""
    client.force_login(other_instructor)
    assert client.post(resend_url(invitation), {"resends": "0"}).status_code == 404
    hers = make_cohort(make_course(), owner=other_instructor)
    url = reverse(
        "courses:cohort_invitation_resend", kwargs={"pk": hers.pk, "invitation": invitation.pk}
    )
    assert client.post(url, {"resends": "0"}).status_code == 404
    invitation.refresh_from_db()
    assert invitation.resends == 0
    assert len(mailoutbox) == 1
