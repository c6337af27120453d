"""From reading to the end of the course, in Chromium, with the certificate issued by a real
Celery worker: the completion page first says the certificate is being issued, then, without
a reload, offers its PDF and its verification page; the optional questionnaire is answered.

The live server publishes to a Redis of this test's own; the worker (another process) reads
the same PostgreSQL test database and writes the PDF where the live server serves it from.
"""

from __future__ import annotations

import re

import pytest

from courses.models import Certificate, Lesson, QuizAttempt, SatisfactionResponse
from courses.progress.services import enrollment_create

from .conftest import answer_quiz, check_accessibility
from .test_certificate import log_in, no_sideways_scroll

pytestmark = [
    pytest.mark.browser,
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def two_lessons(make_course, make_item, learner):
    """The first lesson with a quiz of five questions, the second without one."""
    course = make_course(modules=1, lessons=2, title="Surveillance du SRC")
    course.objectives = "Reconnaître un syndrome de libération de cytokines"
    course.save()
    first = Lesson.objects.filter(module__course=course).order_by("position").first()
    for _ in range(5):
        make_item(first)
    enrollment_create(user=learner, course=course)
    return course


def test_from_reading_to_the_completion_page_and_the_certificate_from_the_worker(
    browser, live_server, broker, celery_worker, learner, password, two_lessons, screenshots
):
    """Under the site's own Content Security Policy (the page's updates included); axe-core,
    which must be injected, checks the completion page afterwards in a context of its own."""
    worker_started = False
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        log_in(page, learner.email, password)
        page.goto(two_lessons.get_absolute_url())
        page.get_by_role("link", name="Commencer la formation").click()
        page.wait_for_url(re.compile(r"/lessons/\d+/$"))

        # The lesson's end: reading and the quiz in one step, its size and count stated.
        quiz_box = page.locator("section.quiz-box")
        assert quiz_box.get_by_text("4 bonnes réponses sur 5").is_visible()
        screenshots(page, "lesson-end")
        page.get_by_role("button", name="Lu — passer le quiz").click()
        page.wait_for_url(re.compile(r"/quiz/\d+/$"))
        screenshots(page, "quiz-start")
        attempt = QuizAttempt.objects.latest("pk")
        answer_quiz(page, attempt)
        page.get_by_role("button", name="Valider mes réponses").click()
        page.wait_for_url(re.compile(r"/result/$"))
        assert page.get_by_text("Quiz réussi").is_visible()
        screenshots(page, "result-passed")

        # On to what is left: the second lesson, whose reading completes the course.
        page.get_by_role("link", name="Continuer la formation").click()
        page.wait_for_url(re.compile(r"/lessons/\d+/$"))
        page.get_by_role("button", name="Marquer comme terminée").click()
        page.wait_for_url(re.compile(rf"/courses/{two_lessons.slug}/completed/$"))

        # No worker yet: the certificate is being issued.
        assert page.get_by_role("heading", name=two_lessons.title).is_visible()
        assert page.get_by_text("Votre attestation est en cours d’émission.").is_visible()
        assert page.get_by_text("Reconnaître un syndrome de libération de cytokines").is_visible()
        no_sideways_scroll(page)
        screenshots(page, "completion-owed")

        # The worker starts and issues it; the page shows it without being reloaded.
        celery_worker(broker.url)
        worker_started = True
        download = page.get_by_role("link", name=re.compile("^Télécharger mon attestation"))
        download.wait_for(timeout=60_000)
        certificate = Certificate.objects.get()
        assert certificate.rendered_at is not None
        assert page.get_by_text(f"Code\u00a0: {certificate.code}").is_visible()
        assert page.get_by_role("link", name=re.compile("^Sa page de vérification")).is_visible()
        assert page.evaluate("performance.getEntriesByType('navigation').length") == 1
        screenshots(page, "completion-issued")

        # The optional questionnaire.
        page.get_by_role("group", name="La formation a atteint ses objectifs.").get_by_text(
            "5", exact=True
        ).click()
        page.get_by_label("Votre commentaire (facultatif)").fill("Clair et utile au service.")
        page.get_by_role("button", name="Envoyer mon avis").click()
        page.wait_for_url(re.compile(r"/completed/#satisfaction$"))
        assert page.get_by_text("Merci\u00a0: votre avis est enregistré.").is_visible()
        response = SatisfactionResponse.objects.get()
        assert response.ratings[0] == 5
        assert response.comment == "Clair et utile au service."
    finally:
        context.close()
    assert worker_started

    checked = browser.new_context(base_url=live_server.url, bypass_csp=True)
    try:
        page = checked.new_page()
        log_in(page, learner.email, password)
        page.goto(f"/courses/{two_lessons.slug}/completed/")
        check_accessibility(page)
    finally:
        checked.close()
