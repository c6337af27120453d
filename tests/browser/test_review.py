"""Course staff review the generated questions in Chromium: approve one, edit another.

axe-core on the review index, the lesson's review page and the edit page (its error state
included).
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from courses.ingest import read_document
from courses.ingest.services import documents_import
from courses.itembank.services import course_items_generate
from courses.models import QuestionItem, User
from tests.conftest import SEED_001

from .conftest import check_accessibility, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

Status = QuestionItem.Status


@pytest.fixture
def drafted_course(settings):
    """The course of a real document, its questions generated as drafts."""
    document = read_document(
        SEED_001.read_bytes(), source=SEED_001.name, max_bytes=settings.COURSES_IMPORT_MAX_BYTES
    )
    course = documents_import(course_slug=None, documents=[document]).course
    course_items_generate(course=course, auto_approve=False)
    return course


def test_staff_approve_one_question_and_edit_another(
    axe_page, drafted_course, make_user, password, celery_eager
):
    staff = make_user(role=User.Role.INSTRUCTOR, full_name="Sophie Bernard")
    drafted_course.instructors.add(staff)
    items = QuestionItem.objects.filter(lesson__module__course=drafted_course)
    # The first lesson (in reading order) with two questions at least.
    counts = Counter(items.order_by("lesson__position").values_list("lesson", flat=True))
    lesson_id = next(lesson for lesson, count in counts.items() if count >= 2)
    first, second = items.filter(lesson=lesson_id).order_by("source_start", "id")[:2]
    page = axe_page
    log_in(page, staff.email, password)

    # From the course page to the review index.
    page.goto(drafted_course.get_absolute_url())
    page.get_by_role("link", name="Relire les questions").click()
    page.wait_for_url(re.compile(r"/review/$"))
    check_accessibility(page)
    assert page.locator("h1").inner_text() == "Relire les questions"

    # The lesson's review page: every question beside its source sentence, highlighted.
    page.get_by_role("link", name=first.lesson.title).click()
    page.wait_for_url(re.compile(rf"/lessons/{lesson_id}/review/$"))
    check_accessibility(page)
    card = page.locator(f"#item-{first.pk}")
    assert card.locator("mark").first.inner_text() in first.source_sentence
    key = card.locator(".is-key").inner_text()
    assert first.options[first.answer] in key
    assert "Bonne réponse" in key

    # Approve the first one: the page comes back to it, approved.
    card.get_by_role("button", name="Approuver").click()
    page.wait_for_url(re.compile(rf"/lessons/{lesson_id}/review/#item-{first.pk}$"))
    assert "Question approuvée" in page.locator(".messages").inner_text()
    assert "Approuvée" in page.locator(f"#item-{first.pk} .review-item__header").inner_text()
    first.refresh_from_db()
    assert first.status == Status.APPROVED
    assert first.reviewed_by == staff

    # Edit the second one: a flawed edit is refused and explained; nothing is saved.
    page.locator(f"#item-{second.pk}").get_by_role("link", name="Modifier").click()
    page.wait_for_url(re.compile(rf"/items/{second.pk}/edit/$"))
    check_accessibility(page)
    page.get_by_role("textbox", name="Réponse proposée D").fill("Toutes les réponses ci-dessus")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    page.wait_for_load_state()
    alert = page.get_by_role("alert")
    assert "La question n’a pas été enregistrée" in alert.inner_text()
    # Beside the option at fault, naming it; and the way to overrule the check, with a reason.
    assert (
        "La réponse proposée D est «\u00a0toutes les réponses ci-dessus\u00a0»"
        in page.locator("#id_option_3_error").inner_text()
    )
    assert page.get_by_role("button", name="Enregistrer quand même").is_visible()
    check_accessibility(page)
    second.refresh_from_db()
    assert not second.edited

    # A sound edit: saved, approved, back on the review page.
    page.get_by_role("textbox", name="Question").fill(
        "Quel type de réponse le syndrome de libération de cytokines provoque-t-il ?"
    )
    for letter, option in zip(
        "ABCD",
        [
            "Une réaction inflammatoire",
            "Une infection virale",
            "Une allergie alimentaire",
            "Une carence vitaminique",
        ],
        strict=True,
    ):
        page.get_by_role("textbox", name=f"Réponse proposée {letter}").fill(option)
    page.get_by_role("radio", name="Réponse proposée A").check()
    page.get_by_role("textbox", name="Explication").fill("Une inflammation systémique.")
    assert page.get_by_role("checkbox", name="Approuver après l’enregistrement").is_checked()
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    page.wait_for_url(re.compile(rf"/lessons/{lesson_id}/review/#item-{second.pk}$"))
    assert "Question enregistrée et approuvée." in page.locator(".messages").inner_text()
    second.refresh_from_db()
    assert second.edited
    assert second.status == Status.APPROVED
    assert second.options == [
        "Une réaction inflammatoire",
        "Une infection virale",
        "Une allergie alimentaire",
        "Une carence vitaminique",
    ]
    assert second.answer == 0

    # Regenerating the lesson (its task run inside the request here, as `make run` does
    # without Redis) keeps both reviews, and says what it did.
    page.get_by_role("button", name="Régénérer les questions de cette leçon").click()
    page.wait_for_url(re.compile(rf"/lessons/{lesson_id}/review/#regeneration$"))
    assert "en cours de régénération" in page.locator(".messages").inner_text()
    page.reload()
    assert "Dernière régénération" in page.locator("#regeneration").inner_text()
    second.refresh_from_db()
    assert second.stem.startswith("Quel type de réponse")
    assert second.status == Status.APPROVED
    check_accessibility(page)
