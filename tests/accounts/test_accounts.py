"""Sign-up, e-mail confirmation, login, rate limits, password reset, profile (allauth)."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse

from courses.models import User

from .test_validators import VALID_RPPS

pytestmark = pytest.mark.django_db


def _link(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


def test_signup_confirm_and_land_logged_in(client, settings):
    """Sign-up asks for the certificate name, mails a link on SITE_BASE_URL; confirming logs in."""
    response = client.post(
        reverse("account_signup"),
        {
            "full_name": "Léa Dubois",
            "email": "lea@example.org",
            "password1": "Perfusion-Sure-77",
            "password2": "Perfusion-Sure-77",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="lea@example.org")
    assert user.full_name == "Léa Dubois"
    assert user.role == User.Role.LEARNER
    assert not EmailAddress.objects.get(user=user).verified

    assert len(mail.outbox) == 1
    link = _link(mail.outbox[0])
    assert link.startswith(settings.SITE_BASE_URL + "/accounts/confirm-email/")

    # Not confirmed yet: login is refused and points to the confirmation.
    anonymous = Client()
    anonymous.post(
        reverse("account_login"), {"login": "lea@example.org", "password": "Perfusion-Sure-77"}
    )
    assert "_auth_user_id" not in anonymous.session

    path = link.removeprefix(settings.SITE_BASE_URL)
    assert client.get(path).status_code == 200
    confirmed = client.post(path)
    assert confirmed.status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    assert client.session["_auth_user_id"] == str(user.pk)


def test_signup_refuses_a_weak_password_and_a_taken_email(client, learner):
    response = client.post(
        reverse("account_signup"),
        {"full_name": "X", "email": learner.email, "password1": "123", "password2": "123"},
    )
    assert response.status_code == 200
    assert User.objects.filter(email=learner.email).count() == 1
    assert response.context["form"].errors["password1"]


def test_login_and_logout(client, learner, password):
    response = client.post(reverse("account_login"), {"login": learner.email, "password": password})
    assert response.status_code == 302
    assert response.url == reverse("courses:dashboard")
    assert client.session["_auth_user_id"] == str(learner.pk)
    client.post(reverse("account_logout"))
    assert "_auth_user_id" not in client.session


def test_failed_logins_are_rate_limited(client, learner, password):
    """After five wrong passwords for an account, even the right one is refused for a while."""
    for _ in range(5):
        client.post(reverse("account_login"), {"login": learner.email, "password": "wrong"})
    response = client.post(reverse("account_login"), {"login": learner.email, "password": password})
    assert "_auth_user_id" not in client.session
    assert response.status_code in {200, 429}
    assert "trop" in response.content.decode().lower()


def test_password_reset_link_uses_the_public_base_url(client, learner, settings):
    client.post(reverse("account_reset_password"), {"email": learner.email})
    assert len(mail.outbox) == 1
    assert _link(mail.outbox[0]).startswith(
        settings.SITE_BASE_URL + "/accounts/password/reset/key/"
    )


def test_profile_saves_name_and_normalised_rpps(learner_client, learner):
    response = learner_client.post(
        reverse("courses:profile"),
        {"full_name": "Camille Martin-Leroy", "professional_id": "100 123 456 73"},
    )
    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.full_name == "Camille Martin-Leroy"
    assert learner.professional_id == VALID_RPPS


@pytest.mark.parametrize("rpps", ["1234", "10012345674", "abcdefghijk"])
def test_profile_refuses_an_invalid_rpps(learner_client, learner, rpps):
    response = learner_client.post(
        reverse("courses:profile"), {"full_name": "Camille Martin", "professional_id": rpps}
    )
    assert response.status_code == 200
    assert "RPPS" in response.content.decode()
    learner.refresh_from_db()
    assert learner.professional_id == ""


def test_profile_rpps_is_optional_and_name_required(learner_client, learner):
    ok = learner_client.post(
        reverse("courses:profile"), {"full_name": "C. M.", "professional_id": ""}
    )
    assert ok.status_code == 302
    missing = learner_client.post(
        reverse("courses:profile"), {"full_name": " ", "professional_id": ""}
    )
    assert missing.status_code == 200


def test_profile_needs_a_login(client):
    response = Client().get(reverse("courses:profile"))
    assert response.status_code == 302
    assert reverse("account_login") in response.url


def test_user_model_logs_in_by_email():
    with pytest.raises(ValueError, match="e-mail"):
        User.objects.create_user(email="", password="x")
    admin = User.objects.create_superuser(email="Root@Example.ORG", password="x")
    assert admin.is_staff
    assert admin.is_superuser
    assert admin.email == "Root@example.org"  # the domain is normalised
    assert User.USERNAME_FIELD == "email"


def test_signing_up_from_a_list_invitation_offers_the_listed_name(client, make_cohort, course):
    """The name an instructor's list gave comes pre-filled, to be kept or corrected."""
    import html
    import re

    from courses.models import Invitation

    invitation = Invitation.objects.create(
        cohort=make_cohort(course), email="zoe@example.org", full_name="Zoé Lefèvre"
    )
    page = client.get(reverse("courses:invitation_accept", kwargs={"token": invitation.token}))
    link = html.unescape(re.search(r'href="(/accounts/signup/\?[^"]+)"', page.content.decode())[1])
    assert "full_name=Zo%C3%A9+Lef%C3%A8vre" in link
    signup = client.get(link).content.decode()
    assert re.search(r'name="full_name"[^>]*value="Zoé Lefèvre"', signup)
    client.post(
        link,
        {
            "full_name": "Zoé Lefèvre-Martin",
            "email": "zoe@example.org",
            "password1": "Perfusion-Sure-77",
            "password2": "Perfusion-Sure-77",
        },
    )
    assert User.objects.get(email="zoe@example.org").full_name == "Zoé Lefèvre-Martin"


def test_the_profile_lists_her_certificates(client, learner, course, issue_certificate):
    from courses.progress.services import enrollment_create

    client.force_login(learner)
    assert (
        "Vos attestations apparaissent ici"
        in client.get(reverse("courses:profile")).content.decode()
    )
    enrollment, _created = enrollment_create(user=learner, course=course)
    certificate = issue_certificate(enrollment)
    page = client.get(reverse("courses:profile")).content.decode()
    assert course.title in page
    assert reverse("courses:certificate_download", kwargs={"code": certificate.code}) in page
    assert certificate.get_absolute_url() in page
