"""An instructor creates a cohort and imports a list; an invited nurse signs up from her
e-mail on a phone, joins, and passes a lesson quiz; the instructor sees it on the cohort's
table and in the export.

Chromium through Playwright against the live server, whose thread runs Celery tasks eagerly
(the ``celery_eager`` fixture), so the invitation e-mail is sent inside the confirmation.
axe-core on every page of the way; nothing scrolls sideways on the phone.
"""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.core import mail

from courses.models import Cohort, CohortMembership, Lesson, QuizAttempt

from .conftest import answer_quiz, check_accessibility
from .test_certificate import log_in, no_sideways_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What a French spreadsheet saves: Windows-1252, semicolons, French headers, one bad line.
ROSTER = (
    "Courriel;Prénom;Nom\r\n"
    "{existing};Camille;Martin\r\n"
    "zoe.lefevre@chu-exemple.fr;Zoé;Lefèvre\r\n"
    "pas-une-adresse;Jean;Dupont\r\n"
)


@pytest.fixture
def quiz_course(make_course, make_item, instructor):
    """Two lessons, the first with a quiz of two questions; the instructor teaches it."""
    course = make_course(modules=1, lessons=2, title="Surveillance du SRC")
    course.instructors.add(instructor)
    first = Lesson.objects.filter(module__course=course).order_by("position").first()
    make_item(first)
    make_item(first)
    return course


def test_cohort_from_creation_to_results(
    browser, live_server, axe_page, instructor, learner, password, quiz_course, celery_eager
):
    page = axe_page
    log_in(page, instructor.email, password)

    # The instructor creates the cohort.
    page.get_by_role("link", name="Cohortes", exact=True).click()
    page.wait_for_url(re.compile(r"/cohorts/$"))
    check_accessibility(page)
    page.get_by_role("link", name=f"Nouvelle cohorte — {quiz_course.title}").click()
    page.wait_for_url(re.compile(r"/cohorts/new/$"))
    check_accessibility(page)
    page.locator("#id_name").fill("IDE oncologie — promotion 2027")
    page.locator("#id_starts_on").fill("2026-11-02")
    page.locator("#id_ends_on").fill("2027-02-26")
    page.locator("#id_deadline").fill("2027-01-29")
    page.get_by_role("button", name="Créer la cohorte").click()
    page.wait_for_url(re.compile(r"/cohorts/\d+/enrol/$"))
    cohort = Cohort.objects.get()
    assert cohort.owner == instructor
    check_accessibility(page)

    # ... imports a list; the preview says what will happen and writes nothing.
    page.get_by_label("Liste d’apprenant·es (CSV)").set_input_files(
        files=[
            {
                "name": "promotion.csv",
                "mimeType": "text/csv",
                "buffer": ROSTER.format(existing=learner.email).encode("cp1252"),
            }
        ]
    )
    page.get_by_role("button", name="Prévisualiser la liste").click()
    page.wait_for_url(re.compile(r"/enrol/import/$"))
    assert page.get_by_text("Ligne 4\u00a0: «\u00a0pas-une-adresse\u00a0»").is_visible()
    assert page.get_by_text("Windows-1252").is_visible()
    assert not CohortMembership.objects.exists()
    check_accessibility(page)
    page.get_by_role("button", name="Confirmer l’import").click()
    page.wait_for_url(re.compile(rf"/cohorts/{cohort.pk}/$"))
    # Everyone on the list invited, the learner with an account too: nobody enrolled unasked.
    assert page.get_by_text(re.compile("Liste importée\u00a0: 2 personnes invitées")).is_visible()
    assert not CohortMembership.objects.exists()
    check_accessibility(page)

    # The invited nurse, on her phone, follows the link of her e-mail.
    (invitation_mail,) = [m for m in mail.outbox if m.to == ["zoe.lefevre@chu-exemple.fr"]]
    link = re.search(r"https?://\S+/invitations/\S+/", invitation_mail.body).group(0)
    phone = browser.new_context(
        base_url=live_server.url, bypass_csp=True, viewport={"width": 390, "height": 844}
    )
    phone.set_default_timeout(15_000)
    try:
        nurse = phone.new_page()
        nurse.goto(re.sub(r"^https?://[^/]+", "", link))
        check_accessibility(nurse)
        no_sideways_scroll(nurse)
        nurse.get_by_role("link", name="Créer mon compte").click()
        nurse.wait_for_url(re.compile(r"/accounts/signup/"))
        assert nurse.get_by_label("Adresse e-mail").input_value() == "zoe.lefevre@chu-exemple.fr"
        nurse.get_by_label("Nom complet").fill("Zoé Lefèvre")
        nurse.locator("#id_password1").fill("Chimio-Securite-2026")
        nurse.get_by_label("Mot de passe (confirmation)").fill("Chimio-Securite-2026")
        nurse.get_by_role("button", name=re.compile("compte", re.I)).last.click()
        # No confirmation e-mail: the invitation proved the address; back to the invitation.
        nurse.wait_for_url(re.compile(r"/invitations/[\w-]+/$"))
        nurse.get_by_role("button", name="Accepter et rejoindre la cohorte").click()
        nurse.wait_for_url(re.compile(rf"/courses/{quiz_course.slug}/$"))
        assert nurse.get_by_text("Vous avez rejoint la cohorte").is_visible()

        # She reads the first lesson and passes its quiz.
        nurse.get_by_role("link", name="Commencer la formation").click()
        nurse.wait_for_url(re.compile(r"/lessons/\d+/$"))
        nurse.get_by_role("button", name="Lu — passer le quiz").click()
        nurse.wait_for_url(re.compile(r"/quiz/\d+/$"))
        attempt = QuizAttempt.objects.latest("pk")
        answer_quiz(nurse, attempt)
        nurse.get_by_role("button", name="Valider mes réponses").click()
        nurse.wait_for_url(re.compile(r"/result/$"))
        assert nurse.get_by_text("Quiz réussi").is_visible()

        # Her dashboard shows the cohort and its deadline.
        nurse.goto("/dashboard/")
        cohorts = nurse.locator("section.learner-cohorts")
        assert cohorts.get_by_text("IDE oncologie — promotion 2027").is_visible()
        assert cohorts.get_by_text(re.compile("À achever avant le 29 janvier 2027")).is_visible()
        check_accessibility(nurse)
        no_sideways_scroll(nurse)
    finally:
        phone.close()

    # The instructor sees her on the cohort's table, with her score, and in the export.
    page.goto(f"/cohorts/{cohort.pk}/")
    row = page.locator("tr", has_text="Zoé Lefèvre")
    assert row.get_by_text("100\u00a0%").first.is_visible()
    check_accessibility(page)
    export = page.get_by_role("link", name="Exporter (CSV)")
    response = page.request.get(export.get_attribute("href"))
    assert response.status == 200
    table = list(csv.reader(io.StringIO(response.body().decode("utf-8-sig")), delimiter=";"))
    (zoe,) = [line for line in table if line[0] == "Zoé Lefèvre"]
    assert zoe[1] == "zoe.lefevre@chu-exemple.fr"
    assert "100" in zoe
    # Camille, invited but not (yet) accepting, is not in the cohort: no name, no RPPS.
    assert not any(line[0] == "Camille Martin" for line in table)
