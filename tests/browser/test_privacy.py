"""A learner, in Chromium, downloads her data from her profile and erases her account; the
privacy notice reads on a phone (issue 18). axe-core on the notice, the profile and the erasure
page; no sideways scroll."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from courses.models import User
from courses.progress.services import enrollment_create

from .conftest import check_accessibility, log_in
from .test_certificate import no_sideways_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_learner_downloads_her_data_then_erases_her_account(
    axe_page, make_course, make_user, password, screenshots
):
    page = axe_page
    learner = make_user(email="lea@example.org", full_name="Léa Dubois")
    course = make_course(modules=1, lessons=1, title="Surveillance des cytokines")
    enrollment_create(user=learner, course=course)

    page.goto("/privacy/")
    assert page.get_by_role("heading", name="Vos données personnelles").is_visible()
    check_accessibility(page)
    no_sideways_scroll(page)
    screenshots(page, "privacy-notice")

    log_in(page, learner.email, password)
    page.get_by_role("link", name="Données personnelles").click()  # the footer's link
    page.wait_for_url(re.compile(r"/privacy/$"))
    page.goto("/profile/")
    check_accessibility(page)
    screenshots(page, "privacy-profile")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Télécharger mes données").click()
    download = download_info.value
    assert re.fullmatch(r"donnees-oncoforma-\d{8}\.json", download.suggested_filename)
    data = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    assert data["profile"]["full_name"] == "Léa Dubois"
    assert [e["course"] for e in data["enrollments"]] == ["Surveillance des cytokines"]

    page.get_by_role("link", name="Effacer mon compte").click()
    page.wait_for_url(re.compile(r"/profile/erase/$"))
    check_accessibility(page)
    no_sideways_scroll(page)
    screenshots(page, "privacy-erase")
    page.get_by_label("Votre mot de passe").fill("pas-le-bon")
    page.get_by_role("button", name="Effacer mon compte").click()
    assert page.get_by_text("Ce n’est pas votre mot de passe.").is_visible()
    assert User.objects.get(pk=learner.pk).erased_at is None

    page.get_by_label("Votre mot de passe").fill(password)
    page.get_by_role("button", name="Effacer mon compte").click()
    page.wait_for_url(re.compile(r"/$"))
    assert page.get_by_text("Votre compte est effacé.").is_visible()
    assert page.get_by_role("link", name="Se connecter").is_visible()
    assert User.objects.get(pk=learner.pk).erased_at is not None
