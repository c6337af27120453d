"""Reads of the catalogue: courses, their outline, a lesson's rendered text.

What does not change per learner is cached: a course's outline (keyed by the course's
``updated_at``, which every change to its modules and lessons moves) and a lesson's rendered
HTML (keyed by its content hash, so never stale).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from courses.access import course_can_read
from courses.markup import render_markdown, render_markdown_with_passage
from courses.models import Course, CourseImage, Lesson, Module, User

# Seconds an outline stays cached; changes invalidate it at once (the key holds updated_at),
# this only bounds how long a change made outside the models' save() could go unseen.
_OUTLINE_TTL = 600


@dataclass(frozen=True)
class OutlineLesson:
    id: int
    title: str
    version: int
    module_id: int
    number: int  # 1-based position in the whole course
    url: str


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

    def with_urls(self, url: Callable[[int], str]) -> Outline:
        """The same outline whose lessons lead to ``url(lesson id)`` (a copy: outlines are
        cached and shared)."""
        modules = [
            OutlineModule(
                id=module.id,
                title=module.title,
                lessons=[replace(lesson, url=url(lesson.id)) for lesson in module.lessons],
            )
            for module in self.modules
        ]
        return Outline(
            modules=modules, lessons=[item for module in modules for item in module.lessons]
        )


def courses_published() -> QuerySet[Course]:
    """Published courses with their counts of modules and active lessons (one query)."""
    return Course.objects.filter(is_published=True).annotate(
        lesson_count=Count(
            "modules__lessons", filter=Q(modules__lessons__archived_at__isnull=True)
        ),
        module_count=Count("modules", distinct=True),
    )


def _outline_key(course: Course) -> str:
    return f"outline:v1:{course.pk}:{course.updated_at.timestamp()}:{get_language()}"


def _build_outlines(courses: list[Course]) -> dict[int, Outline]:
    outlines: dict[int, Outline] = {
        course.pk: Outline(modules=[], lessons=[]) for course in courses
    }
    if not courses:
        return outlines
    slugs = {course.pk: course.slug for course in courses}
    rows = (
        Lesson.objects.filter(module__course__in=courses, archived_at__isnull=True)
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
            url=reverse("courses:lesson", kwargs={"slug": slugs[course_id], "pk": lesson_id}),
        )
        outline.modules[-1].lessons.append(lesson)
        outline.lessons.append(lesson)
    return outlines


def outlines_for_courses(*, courses: Iterable[Course]) -> dict[int, Outline]:
    """The outline of each course: from the cache, else one query for all the missing ones."""
    courses = list(courses)
    keys = {course.pk: _outline_key(course) for course in courses}
    cached = cache.get_many(list(keys.values()))
    outlines = {pk: cached[key] for pk, key in keys.items() if key in cached}
    missing = [course for course in courses if course.pk not in outlines]
    if missing:
        built = _build_outlines(missing)
        cache.set_many({keys[pk]: outline for pk, outline in built.items()}, _OUTLINE_TTL)
        outlines.update(built)
    return outlines


def course_outline(*, course: Course) -> Outline:
    return outlines_for_courses(courses=[course])[course.pk]


def course_modules_summary(*, course: Course) -> QuerySet[Module]:
    """The course's modules with their source file and count of active lessons (one query)."""
    return (
        Module.objects.filter(course=course)
        .annotate(lesson_count=Count("lessons", filter=Q(lessons__archived_at__isnull=True)))
        .order_by("position", "id")
    )


def lesson_get(*, course: Course, pk: int) -> Lesson | None:
    """An active lesson of the course, with its module."""
    try:
        return Lesson.objects.select_related("module").get(
            pk=pk, module__course=course, archived_at__isnull=True
        )
    except Lesson.DoesNotExist:
        return None


def lesson_in_course(*, slug: str, pk: int, user: User) -> tuple[Course, Lesson] | None:
    """An active lesson and its course in one query; the course must be readable by ``user``."""
    try:
        lesson = Lesson.objects.select_related("module__course").get(
            pk=pk, module__course__slug=slug, archived_at__isnull=True
        )
    except Lesson.DoesNotExist:
        return None
    course = lesson.module.course
    if not course_can_read(user=user, course=course):
        return None
    return course, lesson


class _RenderedLessons:
    """A small per-process LRU in front of the shared cache; entries never go stale."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.entries: OrderedDict[str, str] = OrderedDict()

    def get(self, key: str) -> str | None:
        value = self.entries.get(key)
        if value is not None:
            self.entries.move_to_end(key)
        return value

    def put(self, key: str, value: str) -> None:
        self.entries[key] = value
        self.entries.move_to_end(key)
        while len(self.entries) > self.size:
            self.entries.popitem(last=False)


_rendered = _RenderedLessons(size=256)


def lesson_html(*, lesson: Lesson) -> SafeString:
    """The lesson's text as sanitised HTML, cached by content hash (never stale)."""
    key = f"lesson-html:{lesson.pk}:{lesson.text_hash}"
    rendered = _rendered.get(key)
    if rendered is None:
        rendered = cache.get(key)
        if rendered is None:
            rendered = render_markdown(lesson.text)
            cache.set(key, rendered, settings.COURSES_LESSON_CACHE_SECONDS)
        _rendered.put(key, rendered)
    return mark_safe(rendered)  # noqa: S308  (render_markdown sanitises with nh3)


def lesson_html_with_passage(*, lesson: Lesson, start: int, end: int) -> SafeString | None:
    """The lesson's HTML with ``text[start:end]`` in ``<mark id="passage">``; None if it cannot be.

    Cached under a key of its own (never the plain render's, which every reader gets), by
    content hash and offsets, so never stale either.
    """
    key = f"lesson-html-passage:{lesson.pk}:{lesson.text_hash}:{start}:{end}"
    rendered = cache.get(key)
    if rendered is None:
        rendered = render_markdown_with_passage(lesson.text, start=start, end=end) or ""
        cache.set(key, rendered, settings.COURSES_LESSON_CACHE_SECONDS)
    return mark_safe(rendered) if rendered else None  # noqa: S308  (sanitised, marks added after)


def course_image_readable(*, key: str, user: User | None) -> CourseImage | None:
    """A lesson picture of a course the user may read (the first such, by course): the same
    picture may be in several courses."""
    for image in CourseImage.objects.filter(key=key).select_related("course").order_by("pk"):
        if course_can_read(user=user, course=image.course):
            return image
    return None
