"""Enrolment and lesson progress services."""

from __future__ import annotations

import pytest

from courses.catalog.selectors import course_outline
from courses.models import Enrollment, Lesson, LessonProgress
from courses.progress.selectors import progress_for, resume_lesson
from courses.progress.services import enrollment_create, lesson_mark_complete

pytestmark = pytest.mark.django_db


def test_enrolling_twice_returns_the_same_enrolment(learner, course):
    first, created = enrollment_create(user=learner, course=course)
    second, created_again = enrollment_create(user=learner, course=course)
    assert created
    assert not created_again
    assert first.pk == second.pk
    assert Enrollment.objects.count() == 1


def test_progress_counts_only_the_current_version(learner, course):
    enrollment, _ = enrollment_create(user=learner, course=course)
    lesson = Lesson.objects.filter(module__course=course).first()
    lesson_mark_complete(enrollment=enrollment, lesson=lesson)
    assert progress_for(enrollment=enrollment, outline=course_outline(course=course)).done == 1

    lesson.text = "Un autre texte."
    lesson.save()
    assert lesson.version == 2
    course.refresh_from_db()  # as the next request would read it
    assert progress_for(enrollment=enrollment, outline=course_outline(course=course)).done == 0

    lesson_mark_complete(enrollment=enrollment, lesson=lesson)
    row = LessonProgress.objects.get(enrollment=enrollment, lesson=lesson)
    assert row.lesson_version == 2
    assert progress_for(enrollment=enrollment, outline=course_outline(course=course)).done == 1


def test_resume_falls_back_to_the_first_unread_lesson(learner, course):
    enrollment, _ = enrollment_create(user=learner, course=course)
    outline = course_outline(course=course)
    first, second = outline.lessons[0], outline.lessons[1]
    lesson_mark_complete(enrollment=enrollment, lesson=Lesson.objects.get(pk=first.id))
    enrollment.refresh_from_db()
    # The last lesson opened wins while it is still in the course...
    progress = progress_for(enrollment=enrollment, outline=outline)
    assert resume_lesson(enrollment=enrollment, outline=outline, progress=progress).id == first.id
    # ...and once it is archived, the first unread lesson takes its place.
    lesson = Lesson.objects.get(pk=first.id)
    lesson.archived_at = "2026-01-01T00:00:00Z"
    lesson.save()
    course.refresh_from_db()
    outline = course_outline(course=course)
    progress = progress_for(enrollment=enrollment, outline=outline)
    assert resume_lesson(enrollment=enrollment, outline=outline, progress=progress).id == second.id


def test_percent_rounds_down():
    from courses.progress.rules import percent

    assert percent(1, 6) == 16
    assert percent(5, 6) == 83
    assert percent(6, 6) == 100
    assert percent(0, 0) == 0
