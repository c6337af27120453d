"""The language switch only ever sends the browser to a page of this site (issue 17).

Before: it stripped "/en" from a `next` Django had already validated, so `/en//evil.example/`
became `//evil.example/`, a link to another site.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

SITE = "https://testserver"

ATTACKS = [
    "/en//evil.example/",
    "/en///evil.example/",
    "/en/\\evil.example",
    "/en/\\\\evil.example",
    "/en/\\/evil.example",
    "/en//\\evil.example",
    "/en/%2F%2Fevil.example",
    "/en/%2F/evil.example",
    "/en//%2Fevil.example",
    "/en/%5Cevil.example",
    "/en/%5C%5Cevil.example",
    "/en/\t/evil.example",
    "/en/%09/evil.example",
    "/en/\n/evil.example",
    "/en/ /evil.example",
    "/en/%20/evil.example",
    "/en/../..//evil.example",
    "/en/./..//evil.example",
    "/fr//evil.example/",
    "/en//evil.example/en/",
    "https://evil.example/",
    "//evil.example/",
    "///evil.example/",
    "/\\evil.example",
    "\\\\evil.example",
    "http:evil.example",
    "http:/evil.example",
    "https:\\\\evil.example",
    " //evil.example",
    "\x01//evil.example",
    "javascript:alert(1)",
    "/en/\x00//evil.example",
    "/en//evil.example/%0d%0aSet-Cookie:%20x=1",
    f"{SITE}/en//evil.example/",
    f"{SITE}/en/\\evil.example",
]


def lands_on(location: str) -> str:
    """The host a browser goes to for this Location, read as browsers read it: they drop tabs
    and newlines, ignore leading control characters and spaces, and take "\\" for "/"."""
    cleaned = re.sub(r"[\t\n\r]", "", location).lstrip("".join(map(chr, range(33))))
    cleaned = cleaned.replace("\\", "/")
    return urlsplit(urljoin(f"{SITE}/courses/", cleaned)).netloc


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("target", ATTACKS)
def test_no_next_leads_off_the_site(client, language, target):
    response = client.post(reverse("set_language"), {"language": language, "next": target})
    assert response.status_code == 302
    assert lands_on(response["Location"]) == "testserver", response["Location"]
    assert response["Location"].startswith("/")


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("target", [t for t in ATTACKS if t.startswith("/")])
def test_no_referer_leads_off_the_site(client, language, target):
    """Without `next`, Django falls back to the Referer of the page the switch was on."""
    response = client.post(
        reverse("set_language"), {"language": language}, HTTP_REFERER=f"{SITE}{target}"
    )
    assert response.status_code == 302
    assert lands_on(response["Location"]) == "testserver", response["Location"]


def test_an_unsafe_target_lands_on_the_home_page_in_the_language(client):
    response = client.post(
        reverse("set_language"), {"language": "en", "next": "/en//evil.example/"}
    )
    assert response["Location"] in {"/en/", "/en/evil.example/"}
    response = client.post(
        reverse("set_language"), {"language": "fr", "next": "/en//evil.example/"}
    )
    assert response["Location"] in {"/", "/evil.example/"}


def test_ordinary_pages_keep_their_query_and_fragment(client, course):
    page = course.get_absolute_url()
    response = client.post(
        reverse("set_language"), {"language": "en", "next": f"{page}?tab=2#plan"}
    )
    assert response["Location"] == f"/en{page}?tab=2#plan"
    response = client.post(
        reverse("set_language"), {"language": "fr", "next": f"/en{page}?tab=2#plan"}
    )
    assert response["Location"] == f"{page}?tab=2#plan"
