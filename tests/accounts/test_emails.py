"""Every e-mail the site sends names the site (SITE_NAME), links to SITE_BASE_URL and holds no
host:port; confirming an address signs the person in, whatever browser opens the link
(issue 19, second slice)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from courses.cohorts.services import _send_reminder, cohort_join, invitation_send
from courses.models import Invitation, User
from courses.privacy.services import retention_apply

pytestmark = pytest.mark.django_db

SIGNUP = {
    "full_name": "Léa Dubois",
    "password1": "Perfusion-Sure-77",
    "password2": "Perfusion-Sure-77",
}
HOST_PORT = re.compile(r"\b(?:localhost|testserver|127\.0\.0\.1|\[::1\]|[\w.-]+:\d{2,5})\b")


def every_email(client, learner, make_cohort, course, make_user, issue_certificate) -> None:
    """Make the site send each kind of e-mail once."""
    client.post(reverse("account_signup"), {**SIGNUP, "email": "nouvelle@example.org"})
    Client().post(reverse("account_signup"), {**SIGNUP, "email": learner.email})  # taken
    client.post(reverse("account_reset_password"), {"email": learner.email})
    client.post(reverse("account_reset_password"), {"email": "inconnue@example.org"})
    cohort = make_cohort(course)
    invitation_send(invitation=Invitation.objects.create(cohort=cohort, email="zoe@example.org"))
    member = cohort_join(cohort=cohort, user=make_user())
    _send_reminder(member)
    issue_certificate(member.enrollment)
    sleeper = make_user()
    User.objects.filter(pk=sleeper.pk).update(last_login=timezone.now() - timedelta(days=4000))
    retention_apply()


def test_every_email_names_the_site_and_holds_no_host_port(
    client, learner, make_cohort, course, make_user, issue_certificate, mailoutbox, settings
):
    every_email(client, learner, make_cohort, course, make_user, issue_certificate)
    subjects = [message.subject for message in mailoutbox]
    assert len(mailoutbox) >= 8, subjects
    for message in mailoutbox:
        text = f"{message.subject}\n{message.body}"
        assert settings.SITE_NAME in text, message.subject
        assert not HOST_PORT.search(text), (message.subject, HOST_PORT.search(text).group(0))
        for link in re.findall(r"https?://\S+", message.body):
            assert link.startswith(settings.SITE_BASE_URL + "/"), (message.subject, link)


def test_confirming_an_address_signs_in_from_another_browser(client, mailoutbox):
    client.post(reverse("account_signup"), {**SIGNUP, "email": "nouvelle@example.org"})
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mailoutbox[0].body).group(0)
    path = link.split("formation.example.org", 1)[1]
    phone = Client()  # the mail app's browser: no sign-up in its session
    response = phone.post(path)
    assert response.status_code == 302
    assert response.url == reverse("courses:dashboard")
    user = User.objects.get(email="nouvelle@example.org")
    assert phone.session["_auth_user_id"] == str(user.pk)
    # Once: the same link again signs nobody in.
    again = Client()
    assert again.post(path).status_code == 404
    assert "_auth_user_id" not in again.session
