"""A lesson's history: every version (import, edit, restore), who and when, what each changed
as a diff; an earlier version restored as the newest, with the edit's rules and conflict."""

from __future__ import annotations

import pytest
from django.urls import reverse

from courses.authoring.selectors import text_diff
from courses.authoring.services import lesson_edit
from courses.models import Lesson, LessonVersion

pytestmark = pytest.mark.django_db

FIRST = "Le SRC survient après une immunothérapie.\n\nLa fièvre est le premier signe.\n"
SECOND = (
    "Le syndrome de relargage cytokinique survient après une immunothérapie.\n\n"
    "La fièvre est le premier signe.\n"
)


@pytest.fixture
def edited(course, instructor, other_instructor):
    """A lesson edited twice: by her, then by a colleague."""
    course.instructors.add(instructor, other_instructor)
    lesson = Lesson.objects.filter(module__course=course).first()
    LessonVersion.objects.create(
        lesson=lesson, version=lesson.version, title=lesson.title, text=lesson.text,
        origin="import",
    )  # fmt: skip
    lesson, _ = lesson_edit(
        lesson=lesson, title=lesson.title, text=FIRST, base_version=lesson.version, by=instructor
    )
    lesson, _ = lesson_edit(
        lesson=lesson,
        title=lesson.title,
        text=SECOND,
        base_version=lesson.version,
        by=other_instructor,
    )
    return lesson


def url(lesson) -> str:
    return reverse(
        "courses:lesson_history", kwargs={"slug": lesson.module.course.slug, "pk": lesson.pk}
    )


def test_the_diff_says_what_was_added_and_removed():
    lines = text_diff(FIRST, SECOND)
    assert [(line.kind, line.text) for line in lines if line.kind != "same"] == [
        ("removed", "Le SRC survient après une immunothérapie."),
        ("added", "Le syndrome de relargage cytokinique survient après une immunothérapie."),
    ]


def test_the_history_lists_each_version_who_and_what_changed(client, edited, instructor):
    client.force_login(instructor)
    page = client.get(url(edited)).content.decode()
    for number in range(1, edited.version + 1):
        assert f'id="version-{number}"' in page
    assert page.index(f'id="version-{edited.version}"') < page.index('id="version-1"')
    assert "Paul Durand" in page
    assert "Sophie Bernard" in page
    assert "relargage cytokinique" in page
    assert "diff__line--removed" in page
    assert "Restaurer la version 1" in page


def test_an_earlier_version_is_restored_as_the_newest(client, edited, instructor):
    client.force_login(instructor)
    current = edited.version
    response = client.post(url(edited), {"restore": current - 1, "base_version": current})
    assert response.status_code == 302
    edited.refresh_from_db()
    assert edited.version == current + 1
    assert edited.text == FIRST
    restored = LessonVersion.objects.get(lesson=edited, version=current + 1)
    assert (restored.origin, restored.saved_by) == ("restore", instructor)
    assert LessonVersion.objects.filter(lesson=edited).count() == current + 1  # nothing lost


def test_a_restore_over_a_newer_save_is_refused(client, edited, instructor):
    client.force_login(instructor)
    stale = edited.version - 1
    response = client.post(url(edited), {"restore": 1, "base_version": stale}, follow=True)
    assert "Quelqu’un a enregistré cette leçon entre-temps" in response.content.decode()
    edited.refresh_from_db()
    assert edited.text == SECOND


@pytest.mark.parametrize("data", [{"restore": "99", "base_version": "1"}, {"restore": "x"}, {}])
def test_an_unknown_version_is_refused(client, edited, instructor, data):
    client.force_login(instructor)
    assert client.post(url(edited), data).status_code == 400


def test_only_course_staff_see_the_history(client, edited, learner):
    client.force_login(learner)
    assert client.get(url(edited)).status_code == 403
    assert (
        client.post(url(edited), {"restore": 1, "base_version": edited.version}).status_code == 403
    )
