"""French by default, English through the language switch; the catalogue is complete."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

PO = Path(__file__).resolve().parent.parent / "courses/locale/fr/LC_MESSAGES/django.po"


@pytest.mark.django_db
def test_french_by_default_even_for_an_english_browser(client):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="fr">' in page
    assert "Formations pour les infirmier·es en oncologie" in page


@pytest.mark.django_db
def test_english_under_its_prefix(client):
    page = client.get("/en/").content.decode()
    assert '<html lang="en">' in page
    assert "Training for oncology nurses" in page


@pytest.mark.django_db
def test_language_switch_goes_to_the_english_page_and_back(client, course):
    response = client.post(
        reverse("set_language"), {"language": "en", "next": course.get_absolute_url()}
    )
    assert response.url == f"/en/courses/{course.slug}/"
    assert 'lang="en"' in client.get(response.url).content.decode()
    back = client.post(reverse("set_language"), {"language": "fr", "next": response.url})
    assert back.url == f"/courses/{course.slug}/"


def _strings(block: str, keyword: str) -> list[str]:
    """Every ``keyword`` string of a .po block, its continuation lines joined."""
    found = []
    current: list[str] | None = None
    for line in block.splitlines():
        match = re.match(rf'^{keyword}(?:\[\d\])? "(.*)"$', line)
        if match:
            current = [match.group(1)]
            found.append(current)
        elif current is not None and re.match(r'^"(.*)"$', line):
            current.append(line[1:-1])
        else:
            current = None
    return ["".join(parts) for parts in found]


def _entries(text: str):
    for block in text.split("\n\n"):
        if "msgid " not in block:
            continue
        msgid = "".join(_strings(block, "msgid"))
        yield block, msgid, _strings(block, "msgstr")


def test_every_message_has_a_french_translation():
    """No empty or fuzzy entry: every user-facing string reads in French."""
    untranslated = [
        block.splitlines()[-1]
        for block, msgid, strings in _entries(PO.read_text(encoding="utf-8"))
        if msgid and (not all(strings) or "#, fuzzy" in block)
    ]
    assert untranslated == []


def test_french_typography_in_the_catalogue():
    """A non-breaking space, never a plain one, before : ; ! ? in the French strings."""
    text = PO.read_text(encoding="utf-8")
    wrong = [
        string
        for _block, _msgid, strings in _entries(text)
        for string in strings
        if re.search(r" [:;!?](?:\s|$)", string)
    ]
    assert wrong == []
