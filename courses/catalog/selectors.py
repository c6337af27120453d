"""Reads of the catalogue: courses, their outline, a lesson's rendered text."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
from django.utils.safestring import SafeString, mark_safe

from courses.markup import render_markdown
from courses.models import Course, Lesson, Module, User


@dataclass(frozen=True)
class OutlineLesson:
    id: int
    title: str
    version: int
    module_id: int
    number: int  # 1-based position in the whole course


@dataclass
class OutlineModule:
    id: int
    title: str
    lessons: list[OutlineLesson] = field(default_factory=list)


@dataclass
class Outline:
    """A course's modules and active lessons, in reading order."""

    modules: list[OutlineModule]
    lessons: list[OutlineLesson]

    def lesson(self, lesson_id: int) -> OutlineLesson | None:
        return next((lesson for lesson in self.lessons if lesson.id == lesson_id), None)

    def neighbours(self, lesson_id: int) -> tuple[OutlineLesson | None, OutlineLesson | None]:
        ids = [lesson.id for lesson in self.lessons]
        index = ids.index(lesson_id)
        previous = self.lessons[index - 1] if index > 0 else None
        following = self.lessons[index + 1] if index + 1 < len(ids) else None
        return previous, following


def courses_published() -> QuerySet[Course]:
    """Published courses with their counts of modules and active lessons (one query)."""
    return Course.objects.filter(is_published=True).annotate(
        lesson_count=Count(
            "modules__lessons", filter=Q(modules__lessons__archived_at__isnull=True)
        ),
        module_count=Count("modules", distinct=True),
    )


def course_get(*, slug: str, user: User | None = None) -> Course | None:
    """A published course, or any course for its staff and administrators."""
    course = Course.objects.filter(slug=slug).first()
    if course is None:
        return None
    if course.is_published or (user is not None and course_can_manage(user=user, course=course)):
        return course
    return None


def course_can_manage(*, user: User, course: Course) -> bool:
    """Course staff (its instructors) and administrators manage a course; nobody else."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return course.instructors.filter(pk=user.pk).exists()


def outlines_for_courses(*, courses: Iterable[Course]) -> dict[int, Outline]:
    """The outline of each course, from one query whatever the number of courses and lessons."""
    course_ids = [course.pk for course in courses]
    outlines: dict[int, Outline] = {pk: Outline(modules=[], lessons=[]) for pk in course_ids}
    if not course_ids:
        return outlines
    rows = (
        Lesson.objects.filter(module__course_id__in=course_ids, archived_at__isnull=True)
        .order_by("module__course_id", "module__position", "module_id", "position", "id")
        .values_list("id", "title", "version", "module_id", "module__title", "module__course_id")
    )
    for lesson_id, title, version, module_id, module_title, course_id in rows:
        outline = outlines[course_id]
        if not outline.modules or outline.modules[-1].id != module_id:
            outline.modules.append(OutlineModule(id=module_id, title=module_title))
        lesson = OutlineLesson(
            id=lesson_id,
            title=title,
            version=version,
            module_id=module_id,
            number=len(outline.lessons) + 1,
        )
        outline.modules[-1].lessons.append(lesson)
        outline.lessons.append(lesson)
    return outlines


def course_modules_summary(*, course: Course) -> QuerySet[Module]:
    """The course's modules with their source file and count of active lessons (one query)."""
    return (
        Module.objects.filter(course=course)
        .annotate(lesson_count=Count("lessons", filter=Q(lessons__archived_at__isnull=True)))
        .order_by("position", "id")
    )


def course_outline(*, course: Course) -> Outline:
    return outlines_for_courses(courses=[course])[course.pk]


def lesson_get(*, course: Course, pk: int) -> Lesson | None:
    """An active lesson of the course, with its module."""
    return (
        Lesson.objects.select_related("module")
        .filter(pk=pk, module__course=course, archived_at__isnull=True)
        .first()
    )


def lesson_html(*, lesson: Lesson) -> SafeString:
    """The lesson's text as sanitised HTML, cached by content hash (never stale)."""
    key = f"lesson-html:{lesson.pk}:{lesson.text_hash}"
    rendered = cache.get(key)
    if rendered is None:
        rendered = render_markdown(lesson.text)
        cache.set(key, rendered, settings.COURSES_LESSON_CACHE_SECONDS)
    return mark_safe(rendered)  # noqa: S308  (render_markdown sanitises with nh3)
