"""An instructor edits a lesson in Chromium: she uploads a picture, watches the live preview
(the server's own rendering, the CSP kept), saves a new version, reorders two lessons with the
keyboard; then a learner reads the new version in the new order. The regeneration a save asks
for is published to the suite's broker, not run (proved elsewhere). axe-core on the editor,
the history and the order page. With SCREENSHOTS_DIR set: the editor and the history at 390
and 1280 px."""

from __future__ import annotations

import re

import pytest

from courses.models import CourseImage, Lesson, LessonVersion
from tests.ingest import documents

from .conftest import check_accessibility, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_TEXT = (
    "Le syndrome de relargage cytokinique survient après une immunothérapie.\n\n"
    "## Surveiller\n\n- la température\n- la pression artérielle\n"
)


def test_an_instructor_edits_a_lesson_and_a_learner_reads_the_new_version(
    browser, live_server, axe_page, make_course, instructor, learner, password, screenshots,
    tmp_path,
):  # fmt: skip
    course = make_course(modules=1, lessons=2, title="Surveillance du SRC")
    course.instructors.add(instructor)
    first, second = Lesson.objects.filter(module__course=course).order_by("position")
    page = axe_page
    log_in(page, instructor.email, password)

    # The editor, from the lesson's page.
    page.goto(f"/courses/{course.slug}/lessons/{first.pk}/edit/")
    check_accessibility(page)
    text = page.locator("#id_text")
    text.fill(NEW_TEXT)
    # The live preview: the server's rendering, a moment after typing.
    preview = page.locator("#editor-preview")
    preview.locator("h2", has_text="Surveiller").wait_for()
    assert preview.locator("li").count() == 2

    # A picture, uploaded with its description: in the text, then in the preview.
    picture = tmp_path / "courbe.png"
    picture.write_bytes(documents.png(160, 90))
    page.locator("#id_picture").set_input_files(str(picture))
    page.locator("#id_picture_alt").fill("Courbe de température")
    page.get_by_role("button", name="Ajouter l’image au texte").click()
    page.wait_for_load_state()
    image = CourseImage.objects.get(course=course)
    assert f"![Courbe de température](image:{image.key})" in page.locator("#id_text").input_value()
    shown = page.locator("#editor-preview img")
    assert shown.get_attribute("alt") == "Courbe de température"
    assert shown.evaluate("img => img.complete && img.naturalWidth") == 160
    screenshots(page, "editor")

    page.get_by_role("button", name="Enregistrer", exact=True).click()
    page.wait_for_url(re.compile(r"/edit/$"))
    assert "enregistrée en version 2" in page.locator(".messages").inner_text()
    first.refresh_from_db()
    assert first.version == 2
    assert LessonVersion.objects.filter(lesson=first, origin="edit").exists()

    # The history: both versions, the change shown.
    page.get_by_role("link", name="Historique").click()
    page.wait_for_url(re.compile(r"/history/$"))
    assert "relargage cytokinique" in page.locator(".diff__line--added").first.inner_text()
    check_accessibility(page)
    screenshots(page, "lesson-history")

    # The order page: the first lesson moved down with the keyboard.
    page.goto(f"/courses/{course.slug}/structure/")
    check_accessibility(page)
    page.get_by_role("button", name=f"Descendre la leçon « {first.title} »").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"#lesson-{first.pk}$"))
    course.refresh_from_db()
    assert list(
        Lesson.objects.filter(module__course=course)
        .order_by("position")
        .values_list("pk", flat=True)
    ) == [second.pk, first.pk]

    # A learner: the new order, the new text with its picture.
    page.context.clear_cookies()
    log_in(page, learner.email, password)
    page.goto(course.get_absolute_url())
    page.get_by_role("button", name="S’inscrire à cette formation").click()
    page.wait_for_load_state()
    page.goto(f"/courses/{course.slug}/lessons/{first.pk}/")
    assert "relargage cytokinique" in page.locator(".prose").inner_text()
    assert page.locator(".prose img").get_attribute("alt") == "Courbe de température"
    assert "Leçon 2 sur 2" in page.locator(".eyebrow").first.inner_text()
