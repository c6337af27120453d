"""A nurse completes a small course, finds her certificate on her dashboard, opens the PDF and
its verification page; course staff revoke a certificate from their page.

Chromium through Playwright against the live server, whose thread runs Celery tasks eagerly
(the ``celery_eager`` fixture sets Django's setting and the Celery app's own switch), so the
certificate is issued inside the learner's request. axe-core on the dashboard, the
verification page and the staff pages; no sideways scroll on a phone.
"""

from __future__ import annotations

import re

import pytest

from courses.models import Certificate, Enrollment, Lesson, QuizAttempt
from courses.progress.services import enrollment_create
from courses.quizzes.services import attempt_start, attempt_submit
from tests.quizzes.conftest import answers

from .conftest import answer_quiz, check_accessibility, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def no_sideways_scroll(page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px"


@pytest.fixture
def small_course(make_course, make_item, learner, instructor):
    """Two lessons, the first with a quiz of two questions; the learner enrolled."""
    course = make_course(modules=1, lessons=2, title="Surveillance des cytokines")
    course.instructors.add(instructor)
    first = Lesson.objects.filter(module__course=course).order_by("position").first()
    make_item(first)
    make_item(first)
    enrollment_create(user=learner, course=course)
    return course


def test_complete_a_course_and_get_the_certificate(
    axe_page, learner, password, small_course, celery_eager, media_root
):
    page = axe_page
    log_in(page, learner.email, password)
    page.goto(small_course.get_absolute_url())
    page.get_by_role("link", name="Commencer la formation").click()
    page.wait_for_url(re.compile(r"/lessons/\d+/$"))

    # The first lesson: read, then its quiz, passed.
    page.get_by_role("button", name="Lu — passer le quiz").click()
    page.wait_for_url(re.compile(r"/quiz/\d+/$"))
    attempt = QuizAttempt.objects.latest("pk")
    answer_quiz(page, attempt)
    page.get_by_role("button", name="Valider mes réponses").click()
    page.wait_for_url(re.compile(r"/result/$"))
    assert page.get_by_text("Quiz réussi").is_visible()

    # Not complete yet: the second lesson is unread.
    page.goto("/dashboard/")
    assert page.get_by_text("1 quiz réussi sur 1").is_visible()
    assert page.get_by_text("Formation en cours").is_visible()
    assert not Certificate.objects.exists()

    # The second lesson read: the course is complete (its end opens), its certificate issued
    # at once.
    page.get_by_role("link", name=re.compile("^Reprendre")).click()
    page.wait_for_url(re.compile(r"/lessons/\d+/$"))
    page.get_by_role("button", name="Marquer comme terminée").click()
    page.wait_for_url(re.compile(rf"/courses/{small_course.slug}/completed/$"))
    certificate = Certificate.objects.get()
    assert certificate.rendered_at is not None
    check_accessibility(page)
    page.goto(small_course.get_absolute_url())
    banner = page.locator("section.completion-banner")
    assert banner.get_by_role("heading", name=re.compile("Formation achevée le")).is_visible()
    check_accessibility(page)

    page.goto("/dashboard/")
    check_accessibility(page)
    card = page.locator("li.card").first
    assert card.get_by_text("2 leçons lues sur 2").is_visible()
    assert card.get_by_text(re.compile("Formation achevée le")).is_visible()
    assert card.get_by_text("Valide").is_visible()
    assert card.get_by_text(f"Code\u00a0: {certificate.code}").is_visible()

    # The PDF.
    download = card.get_by_role("link", name=re.compile("^Télécharger mon attestation \\(PDF\\)"))
    response = page.request.get(download.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")

    # Its verification page, as an employer opens it: public, "Valide".
    card.get_by_role("link", name=re.compile("^Sa page de vérification")).click()
    page.wait_for_url(re.compile(rf"/certificates/verify/{certificate.code}/$"))
    assert page.get_by_role("status").inner_text().strip() == "Valide"
    assert page.get_by_text("Camille Martin").is_visible()
    check_accessibility(page)


def test_course_staff_revoke_a_certificate(
    browser,
    live_server,
    axe_page,
    learner,
    instructor,
    password,
    small_course,
    issue_certificate,
    celery_eager,
):
    enrollment = Enrollment.objects.get(user=learner, course=small_course)
    quiz_lesson = Lesson.objects.filter(module__course=small_course).order_by("position").first()
    attempt, _created = attempt_start(enrollment=enrollment, lesson=quiz_lesson)
    attempt_submit(attempt=attempt, answers=answers(attempt, right=len(attempt.items)))
    certificate = issue_certificate(enrollment)
    page = axe_page
    log_in(page, instructor.email, password)
    page.goto(small_course.get_absolute_url())
    page.get_by_role("link", name="Attestations").click()
    page.wait_for_url(re.compile(r"/certificates/$"))
    check_accessibility(page)
    row = page.locator("table.cert-table tbody tr").first
    assert row.get_by_text("Camille Martin").is_visible()
    assert row.get_by_text("Valide").is_visible()

    row.get_by_role("link", name=re.compile("^Révoquer")).click()
    page.wait_for_url(re.compile(rf"/certificates/{certificate.code}/#revoke$"))
    check_accessibility(page)
    page.get_by_role("button", name="Révoquer…").click()
    # The public category and the reason are required: the page says so, beside each.
    assert page.get_by_text("Ce champ est obligatoire.").count() == 2
    check_accessibility(page)
    page.get_by_label("Délivrée par erreur").check()
    page.get_by_label("Motif de la révocation").fill("Formation suivie par une autre personne.")
    page.get_by_role("button", name="Révoquer…").click()
    assert page.get_by_role("heading", name="Révoquer l’attestation\u00a0?").is_visible()
    check_accessibility(page)
    page.get_by_role("button", name="Confirmer la révocation").click()
    page.wait_for_url(re.compile(r"/certificates/$"))
    assert page.locator("table.cert-table tbody tr").first.get_by_text("Révoquée").is_visible()

    page.goto(certificate.get_absolute_url())
    assert page.get_by_role("status").inner_text().strip() == "Révoquée"
    # The public page: the category, never staff's reason.
    assert page.get_by_text("Délivrée par erreur").is_visible()
    assert page.get_by_text("Formation suivie par une autre personne.").count() == 0
    check_accessibility(page)

    # The staff pages on a phone: nothing scrolls sideways.
    phone = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    try:
        small = phone.new_page()
        log_in(small, instructor.email, password)
        for url in (
            f"/courses/{small_course.slug}/certificates/",
            f"/courses/{small_course.slug}/certificates/{certificate.code}/",
            f"/courses/{small_course.slug}/settings/",
        ):
            small.goto(url)
            no_sideways_scroll(small)
    finally:
        phone.close()
