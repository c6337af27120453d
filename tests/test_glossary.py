"""The product's French holds to its glossary (docs/glossary.md): no rejected term in the
project's catalogue or in a French template."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = ROOT / "docs" / "glossary.md"
PO = ROOT / "courses" / "locale" / "fr" / "LC_MESSAGES" / "django.po"
# Templates written in French as a whole (a legal text is not translated sentence by sentence).
FRENCH_TEMPLATES = sorted((ROOT / "courses" / "templates").rglob("*_fr.html"))


def rejected() -> list[tuple[str, re.Pattern[str]]]:
    """The table of rejected terms: (pattern as written, compiled)."""
    section = GLOSSARY.read_text(encoding="utf-8").split("## Rejected terms", 1)[1]
    found = []
    for line in section.splitlines():
        match = re.match(r"^\| `(.+?)` \|", line)
        if match:
            pattern = match.group(1).replace("\\|", "|")
            found.append((pattern, re.compile(pattern, re.IGNORECASE)))
    return found


def msgstrs() -> list[str]:
    strings = []
    for block in PO.read_text(encoding="utf-8").split("\n\n"):
        if block.lstrip().startswith("#~"):
            continue  # obsolete
        current = None
        for line in block.splitlines():
            start = re.match(r'^msgstr(?:\[\d\])? "(.*)"$', line)
            if start:
                current = [start.group(1)]
                strings.append(current)
            elif current is not None and re.match(r'^"(.*)"$', line):
                current.append(line[1:-1])
            else:
                current = None
    return ["".join(parts) for parts in strings]


def test_the_glossary_rejects_something():
    patterns = rejected()
    assert len(patterns) >= 10
    assert FRENCH_TEMPLATES


def test_no_rejected_term_in_the_catalogue_or_the_french_templates():
    texts = [("django.po", text) for text in msgstrs()]
    texts += [
        (str(path.relative_to(ROOT)), path.read_text(encoding="utf-8")) for path in FRENCH_TEMPLATES
    ]
    found = [
        f"{where}: «{match.group(0)}» ({pattern}) in: {text[:120]}"
        for pattern, compiled in rejected()
        for where, text in texts
        for match in compiled.finditer(text)
    ]
    assert found == [], "\n".join(found)


@pytest.mark.django_db
def test_django_and_allauth_french_slips_are_overridden(client, make_user):
    """What Django's and allauth's own catalogues say wrong, as the pages show it."""
    signup = client.get(reverse("account_signup")).content.decode().replace("\u00a0", " ")
    assert re.search(r"<button[^>]*>\s*Créer un compte\s*</button>", signup)
    assert "Vous avez déjà un compte ?" in signup
    assert "Connectez-vous" in signup
    assert re.search(r'<label for="id_email">\s*Adresse e-mail', signup), re.findall(
        r'<label for="id_email">.{0,60}', signup, re.S
    )
    login = client.get(reverse("account_login")).content.decode().replace("\u00a0", " ")
    assert "Pas encore de compte ?" in login
    client.force_login(make_user(is_staff=True, is_superuser=True))
    add = client.get(reverse("admin:courses_user_add")).content.decode().replace("\u00a0", " ")
    assert "Ajouter : utilisateur" in add
    assert "vous pourrez en modifier davantage" in add
    changelist = client.get(reverse("admin:courses_user_changelist")).content.decode()
    assert "Supprimer la sélection (utilisateurs)" in changelist
    # What the pages read (not their markup: an <option> is no quiz's option). Every page of
    # every role, the admin's too, is read the same way by tests/browser/test_crawl.py.
    for page in (signup, login):
        words = page_words(page)
        for pattern, compiled in rejected():
            assert not compiled.search(words), pattern


def page_words(html: str) -> str:
    """What a page reads: its text, without markup, scripts or styles; non-breaking spaces as
    spaces."""
    html = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", html)
    return re.sub(r"<[^>]+>", " ", html).replace("\u00a0", " ")


# allauth's pages as a visitor and a signed-in learner reach them (the crawler follows links
# from the signed-in roles' pages; these are reached from e-mails and forms).
ACCOUNT_PAGES = {
    "visitor": [
        ("account_signup", {}),
        ("account_login", {}),
        ("account_email_verification_sent", {}),
        ("account_reset_password", {}),
        ("account_reset_password_done", {}),
        ("account_confirm_email", {"key": "not-a-key"}),
        ("account_reset_password_from_key", {"uidb36": "1", "key": "not-a-key"}),
    ],
    "learner": [
        ("account_logout", {}),
        ("account_email", {}),
        ("account_change_password", {}),
    ],
}


@pytest.mark.django_db
@pytest.mark.parametrize("who", sorted(ACCOUNT_PAGES))
def test_no_rejected_term_on_the_account_pages(client, learner, who):
    if who == "learner":
        client.force_login(learner)
    found = []
    for name, kwargs in ACCOUNT_PAGES[who]:
        response = client.get(reverse(name, kwargs=kwargs), follow=True)
        assert response.status_code == 200, name
        words = page_words(response.content.decode())
        found += [
            f"{name}: «{match.group(0)}» ({pattern})"
            for pattern, compiled in rejected()
            for match in compiled.finditer(words)
        ]
    assert found == [], "\n".join(found)
