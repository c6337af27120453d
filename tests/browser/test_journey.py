"""A nurse signs up, confirms her e-mail, reads, marks a lesson complete, leaves and resumes.

Chromium through Playwright against the live server; axe-core on every page visited.
"""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from courses.ingest import read_document
from courses.ingest.services import documents_import

from .conftest import check_accessibility

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_course(seed_documents, settings):
    documents = [
        read_document(
            path.read_bytes(), source=path.name, max_bytes=settings.COURSES_IMPORT_MAX_BYTES
        )
        for path in seed_documents
    ]
    return documents_import(course_slug=None, documents=documents).course


def progress_value(page) -> int:
    return int(page.locator("progress").first.get_attribute("value"))


def test_sign_up_read_complete_log_out_and_resume(axe_page, live_server, demo_course, settings):
    page = axe_page
    page.goto("/")
    check_accessibility(page)
    assert page.locator("html").get_attribute("lang") == "fr"

    # Sign up.
    page.get_by_role("link", name="Créer un compte").first.click()
    check_accessibility(page)
    page.get_by_label("Nom complet").fill("Inès Moreau")
    page.get_by_label("Adresse e-mail").fill("ines.moreau@example.org")
    page.locator("#id_password1").fill("Chimio-Securite-2026")
    page.get_by_label("Mot de passe (confirmation)").fill("Chimio-Securite-2026")
    page.get_by_role("button", name=re.compile("compte", re.I)).last.click()
    page.wait_for_url(re.compile(r"/accounts/confirm-email/$"))
    check_accessibility(page)

    # Confirm the e-mail address from the message the site sent.
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)
    assert link.startswith(settings.SITE_BASE_URL)
    page.goto(link.removeprefix(settings.SITE_BASE_URL))
    check_accessibility(page)
    page.get_by_role("button", name="Confirmer").click()
    page.wait_for_url(re.compile(r"/dashboard/$"))
    check_accessibility(page)

    # Open the course and enrol.
    page.get_by_role("link", name="Parcourir le catalogue").click()
    page.get_by_role("link", name=demo_course.title).click()
    check_accessibility(page)
    page.get_by_role("button", name="S’inscrire à cette formation").click()
    page.wait_for_url(re.compile(r"/lessons/\d+/$"))
    check_accessibility(page)
    assert page.locator("h1").inner_text() == "Le syndrome de libération de cytokines"
    assert progress_value(page) == 0

    # Read the first lesson, mark it complete: the bar moves and the next lesson opens.
    page.get_by_role("button", name="Marquer comme terminée").click()
    page.wait_for_url(re.compile(r"/lessons/\d+/$"))
    check_accessibility(page)
    assert page.locator("h1").inner_text() == "Le traitement du syndrome de libération de cytokines"
    assert progress_value(page) == 14  # 1 of 7
    second_lesson = page.url

    # Log out and back in: the dashboard offers to resume where she left off.
    page.get_by_role("button", name="Se déconnecter").click()
    page.get_by_role("link", name="Se connecter").first.click()
    check_accessibility(page)
    page.get_by_label("Adresse e-mail").fill("ines.moreau@example.org")
    page.locator("#id_password").fill("Chimio-Securite-2026")
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url(re.compile(r"/dashboard/$"))
    assert page.get_by_text("1 leçon lue sur 7").is_visible()
    page.get_by_role("link", name=re.compile("^Reprendre")).click()
    assert page.url == second_lesson
    assert progress_value(page) == 14

    # Her profile: the name for certificates, and the English version of the site.
    page.goto(reverse("courses:profile"))
    check_accessibility(page)
    assert page.get_by_label("Nom complet").input_value() == "Inès Moreau"
    page.get_by_label("Langue").select_option("en")
    page.get_by_role("button", name="Changer").click()
    page.wait_for_url(re.compile(r"/en/profile/$"))
    assert page.locator("html").get_attribute("lang") == "en"
    check_accessibility(page)
