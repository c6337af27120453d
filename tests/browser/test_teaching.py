"""An instructor's day in Chromium: she logs in and lands on her home, edits her course's
presentation, approves the questions waiting for review, reminds the learners past the
deadline, then reads a late learner's answers.

The live server's thread runs Celery tasks eagerly (``celery_eager``): the reminders are
e-mailed inside her request. axe-core on each page; nothing scrolls sideways on a phone.
With SCREENSHOTS_DIR set, the home, the course page and the learner page are saved at 390
and 1280 px.
"""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from PIL import Image

from courses.cohorts.services import cohort_create, cohort_join, reminders_unsubscribe
from courses.models import Course, LateReminder, Lesson, QuestionItem
from courses.quizzes.services import attempt_start, attempt_submit
from tests.quizzes.conftest import wrong_display

from .conftest import check_accessibility, log_in
from .test_certificate import no_sideways_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

Status = QuestionItem.Status


@pytest.fixture
def taught(make_course, make_item, make_user, instructor) -> dict:
    """Her course: the first lesson's quiz approved, the second lesson's two questions waiting
    for review; a cohort past its deadline with three learners behind (one of whom asked for
    no reminders, one who failed the quiz) and one who finished."""
    course = make_course(modules=1, lessons=2, title="Surveillance du SRC")
    course.instructors.add(instructor)
    first, second = Lesson.objects.filter(module__course=course).order_by("position")
    make_item(first)
    make_item(first)
    waiting = [make_item(second, status=Status.DRAFT) for _ in range(2)]
    today = timezone.localdate()
    cohort = cohort_create(
        course=course,
        owner=instructor,
        name="IDE oncologie — promotion 2026",
        starts_on=today - timedelta(days=60),
        ends_on=today + timedelta(days=30),
        deadline=today - timedelta(days=5),
    )
    members = {}
    for key, name in (("late", "Camille Martin"), ("failed", "Inès Moreau"), ("stop", "Zoé Arnal")):
        user = make_user(full_name=name, email=f"{key}@chu-exemple.fr")
        members[key] = cohort_join(cohort=cohort, user=user)
    reminders_unsubscribe(membership=members["stop"])
    attempt, _created = attempt_start(enrollment=members["failed"].enrollment, lesson=first)
    attempt_submit(
        attempt=attempt,
        answers={p: wrong_display(attempt, p) for p in range(len(attempt.items))},
    )
    return {"course": course, "cohort": cohort, "waiting": waiting, "members": members}


def cover_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 600), (7, 66, 69)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_an_instructors_day(axe_page, instructor, password, taught, celery_eager, screenshots):
    page = axe_page
    course: Course = taught["course"]
    cohort = taught["cohort"]

    # She logs in and lands on her home: her course, what waits, her cohort.
    log_in(page, instructor.email, password)
    assert page.url.endswith("/teaching/")
    assert page.locator("h1").inner_text() == "Mes formations animées"
    card = page.locator(".teaching-card", has_text=course.title)
    assert "2 questions à relire" in card.inner_text()
    assert "3 apprenant·es en retard" in card.inner_text()
    check_accessibility(page)
    screenshots(page, "teaching-home")

    # The course's presentation: description, audience, objectives, a cover image.
    card.get_by_role("link", name="Présentation de la formation").click()
    page.wait_for_url(re.compile(r"/presentation/$"))
    check_accessibility(page)
    page.locator("#id_description").fill(
        "Repérer, surveiller et signaler le syndrome de libération de cytokines."
    )
    page.locator("#id_audience").fill("Infirmier·es d’oncologie et d’hématologie.")
    page.locator("#id_objectives").fill(
        "Reconnaître les signes précoces\nSurveiller les constantes\nAlerter le médecin"
    )
    page.locator("#id_cover").set_input_files(
        files=[{"name": "couverture.png", "mimeType": "image/png", "buffer": cover_png()}]
    )
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    page.wait_for_url(re.compile(rf"/courses/{course.slug}/$"))
    text = page.locator("main").inner_text()
    assert "Repérer, surveiller et signaler" in text
    assert "Infirmier·es d’oncologie et d’hématologie." in text
    assert "Alerter le médecin" in text
    assert page.locator("img.course-cover").count() == 1
    check_accessibility(page)
    screenshots(page, "teaching-course-page")

    # The questions waiting for review: from her home to the lesson, each approved.
    page.goto("/teaching/")
    page.locator(".teaching-card", has_text=course.title).get_by_role(
        "link", name="2 questions à relire"
    ).click()
    page.wait_for_url(re.compile(r"/review/$"))
    lesson = taught["waiting"][0].lesson
    page.get_by_role("link", name=lesson.title).click()
    page.wait_for_url(re.compile(rf"/lessons/{lesson.pk}/review/$"))
    for item in taught["waiting"]:
        page.locator(f"#item-{item.pk}").get_by_role("button", name="Approuver").click()
        page.wait_for_url(re.compile(rf"#item-{item.pk}$"))
        assert "Question approuvée" in page.locator(".messages").inner_text()
    assert set(QuestionItem.objects.values_list("status", flat=True)) == {Status.APPROVED}

    # The learners past the deadline, reminded from her home.
    page.goto("/teaching/")
    assert "questions à relire" not in page.locator(".teaching-card").inner_text()
    page.get_by_role("link", name="Les relancer").click()
    page.wait_for_url(re.compile(rf"/cohorts/{cohort.pk}/remind/$"))
    check_accessibility(page)
    reminding = page.locator("main").inner_text()
    assert "2 apprenant·es seront relancé·es" in reminding
    assert "1 apprenant·e en retard a demandé à ne plus recevoir de relances." in reminding
    page.locator("#id_message").fill("Le module 1 est à terminer cette semaine.")
    page.get_by_role("button", name="Envoyer les relances").click()
    page.wait_for_url(re.compile(rf"/cohorts/{cohort.pk}/$"))
    assert "Une relance part vers 2 apprenant·es." in page.locator(".messages").inner_text()
    assert sorted(m.to[0] for m in mail.outbox if "Relance" in m.subject) == [
        "failed@chu-exemple.fr",
        "late@chu-exemple.fr",
    ]
    assert LateReminder.objects.filter(sent_at__isnull=False).count() == 2

    # A late learner's page: her failed attempt, its answers opened.
    failed = taught["members"]["failed"]
    page.goto(f"/cohorts/{cohort.pk}/learners/{failed.pk}/")
    page.get_by_role("link", name="Voir les réponses").click()
    details = page.locator("details.attempt-answers").first
    assert details.get_attribute("open") is not None
    assert "Réponse donnée" in details.inner_text()
    assert "Bonne réponse" in details.inner_text()
    check_accessibility(page)
    screenshots(page, "teaching-learner-answers")

    page.set_viewport_size({"width": 390, "height": 844})
    for path in ("/teaching/", f"/cohorts/{cohort.pk}/remind/", course.get_absolute_url()):
        page.goto(path)
        no_sideways_scroll(page)
