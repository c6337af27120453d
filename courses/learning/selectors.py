"""What the lesson reader and the course page read that is the same for every reader, cached
(issue 20).

A course and its outline, and a lesson page's course, lesson (with its module), quiz size and
outline, do not depend on who reads them: they are cached under the course's stamp
(models.catalog.course_stamp_key, keyed by the slug the URL carries), which every write to the
course, its modules, lessons or questions renews. The stamp and the page come in one round trip
to the cache, before any query.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar, cast

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language

from courses.access import course_can_read
from courses.catalog import selectors as catalog_selectors
from courses.catalog.selectors import Outline
from courses.models import Course, Lesson, User
from courses.models.catalog import course_stamp_key
from courses.progress import selectors as progress_selectors
from courses.quizzes import selectors as quiz_selectors

T = TypeVar("T")


@dataclass(frozen=True)
class LessonPage:
    """An active lesson, its module and course, how many facts its approved questions ask
    (quizzes.selectors.quiz_families), and the course's outline."""

    course: Course
    lesson: Lesson
    families: int
    outline: Outline  # the course's, in the language it was read in (its URLs)


@dataclass(frozen=True)
class CoursePage:
    """A course, its outline (in the language it was read in) and which of its lessons have a
    quiz (progress.selectors.lessons_with_quiz)."""

    course: Course
    outline: Outline
    quiz_lesson_ids: frozenset[int]


def _page_key(pk: int) -> str:
    return f"lesson-page:v2:{pk}:{get_language()}"


def _course_key(slug: str) -> str:
    return f"course-page:v3:{slug}:{get_language()}"


def _stamped(*, key: str, slug: str, read: Callable[[], T | None]) -> T | None:
    """``read()``, cached under ``key`` with the stamp of the course ``slug``: the cached value
    while the stamp is the one it was cached under, else read again (and cached)."""
    stamp_key = course_stamp_key(slug)
    found = cache.get_many([key, stamp_key])
    stamp = found.get(stamp_key)
    cached = found.get(key)
    if stamp is not None and cached is not None and cached[0] == stamp:
        return cast("T", cached[1])
    if stamp is None:
        # Set before the database is read: a write committed after it renews it.
        stamp = secrets.token_hex(8)
        if not cache.add(stamp_key, stamp, timeout=None):
            stamp = cache.get(stamp_key)
    value = read()
    if value is not None and stamp is not None:
        cache.set(key, (stamp, value), settings.COURSES_LESSON_CACHE_SECONDS)
    return value


def lesson_page(*, slug: str, pk: int, user: User) -> LessonPage | None:
    """The lesson ``pk`` of the course ``slug``, if active and readable by ``user``
    (access.course_can_read); from the cache while its course's stamp has not moved, else two
    queries (the lesson with its course, its quiz's size) and the outline (cached too)."""
    page = _stamped(key=_page_key(pk), slug=slug, read=lambda: _lesson_page_read(slug=slug, pk=pk))
    if page is None or page.course.slug != slug:
        return None
    if not course_can_read(user=user, course=page.course):
        return None
    return page


def course_page(*, slug: str, user: User | None) -> CoursePage | None:
    """The course ``slug``, its outline and lessons with a quiz, if readable by ``user``; from
    the cache while its stamp has not moved (one round trip), else two queries and the outline
    (cached too)."""
    page = _stamped(key=_course_key(slug), slug=slug, read=lambda: _course_page_read(slug=slug))
    if page is None or not course_can_read(user=user, course=page.course):
        return None
    return page


def _course_page_read(*, slug: str) -> CoursePage | None:
    course = Course.objects.filter(slug=slug).first()
    if course is None:
        return None
    outline = catalog_selectors.course_outline(course=course)
    return CoursePage(
        course=course,
        outline=outline,
        quiz_lesson_ids=progress_selectors.lessons_with_quiz(outline),
    )


def _lesson_page_read(*, slug: str, pk: int) -> LessonPage | None:
    lesson = (
        Lesson.objects.select_related("module__course")
        .filter(pk=pk, module__course__slug=slug, archived_at__isnull=True)
        .first()
    )
    if lesson is None:
        return None
    course = lesson.module.course
    return LessonPage(
        course=course,
        lesson=lesson,
        families=quiz_selectors.quiz_families(lesson=lesson),
        outline=catalog_selectors.course_outline(course=course),
    )
