"""The admin is signed into through the site's login, and so under its rate limits (issue 17).

Before: /admin/login/ was Django's own form, outside allauth's limits: 30 wrong passwords in
20 seconds, then the right one, worked.
"""

from __future__ import annotations

import importlib

import pytest
from django.test import Client
from django.urls import clear_url_caches, reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user(make_user):
    return make_user(email="direction@example.org", is_staff=True, is_superuser=True)


def test_the_admin_login_form_never_checks_a_password(client, admin_user, password):
    """A POST of the right password to the admin's login signs nobody in: it is sent to the
    site's login, which alone checks passwords."""
    login = reverse("admin:login")
    for attempt in [*["wrong"] * 30, password]:
        response = client.post(login, {"username": admin_user.email, "password": attempt})
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login") + "?next=")
    assert "_auth_user_id" not in client.session


def test_the_admin_sends_visitors_to_the_site_login_and_back(client, admin_user, password):
    response = client.get(reverse("admin:courses_course_changelist"))
    assert response.status_code == 302
    response = client.get(response.url)  # the admin's login view
    assert response.status_code == 302
    assert response.url == (reverse("account_login") + "?next=%2Fadmin%2Fcourses%2Fcourse%2F")
    response = client.post(
        response.url, {"login": admin_user.email, "password": password}, follow=False
    )
    assert response.status_code == 302
    assert response.url == reverse("admin:courses_course_changelist")
    assert client.get(response.url).status_code == 200


def test_wrong_admin_passwords_are_limited_like_any_other(client, admin_user, password):
    """Five wrong passwords for the account, and even the right one is refused for a while:
    the admin is behind the same limits as everyone (ACCOUNT_RATE_LIMITS)."""
    login = reverse("account_login") + "?next=" + reverse("admin:index")
    for _ in range(5):
        client.post(login, {"login": admin_user.email, "password": "wrong"})
    response = client.post(login, {"login": admin_user.email, "password": password})
    assert "_auth_user_id" not in client.session
    assert response.status_code in {200, 429}
    assert client.get(reverse("admin:index")).status_code == 302


def test_many_wrong_passwords_from_one_address_are_refused(client, make_user, admin_user, password):
    """Guessing across accounts from one address: after ten failures in a minute, even the
    admin's right password from that address is refused."""
    for account in [make_user(is_staff=True) for _ in range(10)]:
        client.post(reverse("account_login"), {"login": account.email, "password": "wrong"})
    response = client.post(
        reverse("account_login"), {"login": admin_user.email, "password": password}
    )
    assert "_auth_user_id" not in client.session
    assert "trop" in response.content.decode().lower()


def test_a_learner_signed_in_is_refused_not_looped(learner_client):
    """Signed in without staff rights: a plain 403, not a redirect back to the login (which
    would send them here again)."""
    response = learner_client.get(reverse("admin:login") + "?next=/admin/")
    assert response.status_code == 403
    response = learner_client.get(reverse("admin:index"), follow=True)
    assert response.status_code == 403


def test_staff_already_signed_in_go_straight_in(client, admin_user):
    client.force_login(admin_user)
    response = client.get(reverse("admin:login") + "?next=/admin/courses/")
    assert response.status_code == 302
    assert response.url == "/admin/courses/"


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:x"]
)
def test_the_admin_login_never_forwards_elsewhere(client, admin_user, target):
    response = client.get(reverse("admin:login"), {"next": target})
    assert response.url == reverse("account_login") + "?next=%2Fadmin%2F"
    client.force_login(admin_user)
    response = client.get(reverse("admin:login"), {"next": target})
    assert response.url == "/admin/"


@pytest.fixture
def admin_at(settings):
    """Reload the URL configuration with ADMIN_URL set, and restore it afterwards."""
    import elearn.urls

    def move(path: str) -> None:
        settings.ADMIN_URL = path
        clear_url_caches()
        importlib.reload(elearn.urls)

    yield move
    settings.ADMIN_URL = "admin/"
    clear_url_caches()
    importlib.reload(elearn.urls)


def test_the_admin_path_is_a_setting(admin_at, client, admin_user):
    admin_at("gestion-4f2c/")
    assert reverse("admin:index") == "/gestion-4f2c/"
    assert Client().get("/admin/").status_code == 404
    client.force_login(admin_user)
    assert client.get("/gestion-4f2c/").status_code == 200
    assert client.get("/en/gestion-4f2c/").status_code == 200
