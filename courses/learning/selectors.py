"""What the lesson reader reads that is the same for every reader, cached (issue 20).

A lesson page's course, lesson (with its module) and the size of its quiz do not depend on who
reads it: they are cached together under the course's stamp (models.catalog.course_stamp_key,
keyed by the slug the URL carries), which every write to the course, its modules, lessons or
questions renews. The stamp and the page come in one round trip to the cache, before any query.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from courses.access import course_can_read
from courses.models import Course, Lesson, User
from courses.models.catalog import course_stamp_key
from courses.quizzes import selectors as quiz_selectors


@dataclass(frozen=True)
class LessonPage:
    """An active lesson, its module and course, and how many facts its approved questions
    ask (quizzes.selectors.quiz_families)."""

    course: Course
    lesson: Lesson
    families: int


def _page_key(pk: int) -> str:
    return f"lesson-page:v1:{pk}"


def lesson_page(*, slug: str, pk: int, user: User) -> LessonPage | None:
    """The lesson ``pk`` of the course ``slug``, if active and readable by ``user``
    (access.course_can_read); from the cache when its course's stamp has not moved, else two
    queries (the lesson with its course, its quiz's size)."""
    page_key, stamp_key = _page_key(pk), course_stamp_key(slug)
    found = cache.get_many([page_key, stamp_key])
    stamp = found.get(stamp_key)
    cached = found.get(page_key)
    page: LessonPage | None = None
    if stamp is not None and cached is not None and cached[0] == stamp:
        page = cached[1]
    if page is None or page.course.slug != slug:
        if stamp is None:
            # Set before the database is read: a write committed after it renews it.
            stamp = secrets.token_hex(8)
            if not cache.add(stamp_key, stamp, timeout=None):
                stamp = cache.get(stamp_key)
        page = _lesson_page_read(slug=slug, pk=pk)
        if page is None:
            return None
        if stamp is not None:
            cache.set(page_key, (stamp, page), settings.COURSES_LESSON_CACHE_SECONDS)
    if not course_can_read(user=user, course=page.course):
        return None
    return page


def _lesson_page_read(*, slug: str, pk: int) -> LessonPage | None:
    lesson = (
        Lesson.objects.select_related("module__course")
        .filter(pk=pk, module__course__slug=slug, archived_at__isnull=True)
        .first()
    )
    if lesson is None:
        return None
    return LessonPage(
        course=lesson.module.course,
        lesson=lesson,
        families=quiz_selectors.quiz_families(lesson=lesson),
    )
