"""The course's order, changed by buttons: lessons and modules moved one place at a time, a
lesson added in the browser, one archived as a re-import archives (never deleted)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from courses.catalog.selectors import course_outline
from courses.models import BackgroundJob, Lesson, LessonProgress, LessonVersion, Module
from courses.progress.services import lesson_mark_complete

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, course, instructor):
    course.instructors.add(instructor)
    client.force_login(instructor)
    return client


def url(course) -> str:
    return reverse("courses:course_structure", kwargs={"slug": course.slug})


def titles(course) -> list[str]:
    course.refresh_from_db()  # the outline is cached under the course's updated_at
    return [lesson.title for lesson in course_outline(course=course).lessons]


def test_the_page_lists_modules_and_lessons_with_their_buttons(staff_client, course):
    page = staff_client.get(url(course)).content.decode()
    for title in titles(course):
        assert title in page
        assert f"Monter la leçon «\u00a0{title}\u00a0»" in page
    assert page.count('value="module-up"') == Module.objects.filter(course=course).count()


def test_a_lesson_moves_down_then_back_up(staff_client, course):
    before = titles(course)
    first = Lesson.objects.filter(module__course=course).order_by("module__position", "position")[0]
    response = staff_client.post(url(course), {"action": "lesson-down", "target": first.pk})
    assert response["Location"].endswith(f"#lesson-{first.pk}")
    after = titles(course)
    assert after[:2] == [before[1], before[0]]
    staff_client.post(url(course), {"action": "lesson-up", "target": first.pk})
    assert titles(course) == before


def test_moving_past_an_end_changes_nothing(staff_client, course):
    before = titles(course)
    first = Lesson.objects.filter(module__course=course).order_by("module__position", "position")[0]
    staff_client.post(url(course), {"action": "lesson-up", "target": first.pk})
    assert titles(course) == before


def test_a_module_moves_down(staff_client, course):
    modules = list(Module.objects.filter(course=course).order_by("position"))
    staff_client.post(url(course), {"action": "module-down", "target": modules[0].pk})
    course.refresh_from_db()
    outline = course_outline(course=course)
    assert [module.id for module in outline.modules][:2] == [modules[1].pk, modules[0].pk]


def test_a_lesson_added_in_the_browser(staff_client, course, instructor):
    module = Module.objects.filter(course=course).order_by("position").first()
    response = staff_client.post(
        url(course),
        {
            "action": "add",
            "target": module.pk,
            "title": "Le rôle de l’infirmière",
            "text": "L’infirmière surveille les constantes et alerte le médecin.",
        },
    )
    lesson = Lesson.objects.get(title="Le rôle de l’infirmière")
    assert response["Location"] == reverse(
        "courses:lesson_edit", kwargs={"slug": course.slug, "pk": lesson.pk}
    )
    assert lesson.module == module
    assert lesson.position == max(module.lessons.values_list("position", flat=True))
    assert lesson.edited_at is not None
    version = LessonVersion.objects.get(lesson=lesson)
    assert (version.origin, version.saved_by) == ("edit", instructor)
    assert BackgroundJob.objects.filter(lesson=lesson, kind="regenerate").exists()
    assert "Le rôle de l’infirmière" in titles(course)


def test_a_lesson_without_text_is_not_added(staff_client, course):
    module = Module.objects.filter(course=course).first()
    before = Lesson.objects.count()
    response = staff_client.post(
        url(course), {"action": "add", "target": module.pk, "title": "Vide", "text": "  "}
    )
    assert response.status_code == 400
    assert Lesson.objects.count() == before


def test_an_archived_lesson_leaves_the_course_and_keeps_its_readings(
    staff_client, course, enrolled
):
    lesson = Lesson.objects.filter(module__course=course).order_by("module__position", "position")[
        0
    ]
    lesson_mark_complete(enrollment=enrolled, lesson=lesson)
    staff_client.post(url(course), {"action": "archive", "target": lesson.pk})
    lesson.refresh_from_db()
    assert lesson.archived_at is not None
    assert lesson.title not in titles(course)
    assert LessonProgress.objects.filter(lesson=lesson, enrollment=enrolled).exists()


@pytest.mark.parametrize("action", ["lesson-down", "archive", "module-down", "add"])
def test_another_courses_lesson_or_module_is_not_found(staff_client, course, make_course, action):
    other = make_course()
    target = (
        Lesson.objects.filter(module__course=other).first().pk
        if action in {"lesson-down", "archive"}
        else Module.objects.filter(course=other).first().pk
    )
    response = staff_client.post(url(course), {"action": action, "target": target})
    assert response.status_code == 404


@pytest.mark.parametrize("who", ["learner", "other_instructor"])
def test_only_course_staff_change_the_order(client, course, learner, other_instructor, who):
    client.force_login(learner if who == "learner" else other_instructor)
    before = titles(course)
    first = Lesson.objects.filter(module__course=course).order_by("module__position", "position")[0]
    assert client.get(url(course)).status_code == 403
    assert (
        client.post(url(course), {"action": "lesson-down", "target": first.pk}).status_code == 403
    )
    assert titles(course) == before


def test_an_unknown_action_is_refused(staff_client, course):
    assert (
        staff_client.post(url(course), {"action": "drop-table", "target": "1"}).status_code == 400
    )
