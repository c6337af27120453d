"""The site's header and language list are rendered once per process for everyone of a role in
a language (base.html, settings.CACHES["fragments"]): nobody gets another's CSRF token, menu
or language from it (issue 20)."""

from __future__ import annotations

import re

import pytest
from django.core.cache import caches
from django.core.cache.utils import make_template_fragment_key
from django.test import Client
from django.urls import reverse
from django.utils import translation

from courses.models import User

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def _fragments_cleared():
    caches["fragments"].clear()
    yield
    caches["fragments"].clear()


def _page(client: Client, path: str = "") -> str:
    response = client.get(path or reverse("courses:catalog"))
    assert response.status_code == 200
    return response.content.decode()


def test_each_visitor_logs_out_with_a_token_of_their_own(make_user):
    """The logout form (in the header) is outside the fragment: a second learner served the
    cached header logs out with her own token, which the site accepts."""
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(make_user())
    second.force_login(make_user())
    token_first = TOKEN.search(_page(first)).group(1)
    token_second = TOKEN.search(_page(second)).group(1)
    # The second was served the header cached for the first: a learner's, in French.
    header = make_template_fragment_key("site_header", ["fr", True, False, False])
    assert "Se déconnecter" not in caches["fragments"].get(header)
    response = second.post(reverse("account_logout"), {"csrfmiddlewaretoken": token_second})
    assert response.status_code == 302
    assert "_auth_user_id" not in second.session
    # The first learner's token was never served to the second.
    assert token_first != token_second


def test_the_menu_is_that_of_the_visitor_role(make_user):
    """An administrator's menu, cached first, is not what a learner or a visitor is shown."""
    admin, learner, instructor = Client(), Client(), Client()
    admin.force_login(make_user(is_superuser=True, is_staff=True))
    learner.force_login(make_user())
    instructor.force_login(make_user(role=User.Role.INSTRUCTOR))
    administration = reverse("admin:index")
    assert administration in _page(admin)
    learner_page = _page(learner)
    assert administration not in learner_page
    assert reverse("courses:teaching") not in learner_page
    assert reverse("courses:dashboard") in learner_page
    assert reverse("courses:teaching") in _page(instructor)
    visitor_page = _page(Client())
    assert reverse("account_login") in visitor_page
    assert reverse("courses:dashboard") not in visitor_page
    assert "csrfmiddlewaretoken" in visitor_page  # the language form's, rendered each time


def test_the_header_and_language_list_follow_the_language(learner):
    client = Client()
    client.force_login(learner)
    french = _page(client)
    assert "Mes formations" in french
    with translation.override("en"):
        english_url = reverse("courses:catalog")
    english = _page(client, english_url)
    assert "My courses" in english
    assert "Mes formations" not in english
    assert 'value="en" lang="en" selected' in english
    assert 'value="fr" lang="fr" selected' in french
