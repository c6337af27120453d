"""What a SCORM export reads: the course's active lessons in order, their text, their
approved items (three queries whatever the course's size, the outline cached)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.utils.safestring import SafeString

from courses.catalog.selectors import course_outline, lesson_html
from courses.models import Course, CourseImage, Lesson, QuestionItem

from .content import ItemData


@dataclass(frozen=True)
class ExportLesson:
    pk: int
    number: int
    title: str
    html: SafeString
    items: tuple[ItemData, ...]


@dataclass(frozen=True)
class ExportModule:
    pk: int
    title: str
    lessons: tuple[ExportLesson, ...]


def course_export(*, course: Course) -> list[ExportModule]:
    outline = course_outline(course=course)
    lesson_ids = [lesson.id for lesson in outline.lessons]
    lessons = Lesson.objects.in_bulk(lesson_ids)
    items: dict[int, list[ItemData]] = defaultdict(list)
    for item in QuestionItem.objects.filter(
        lesson_id__in=lesson_ids, status=QuestionItem.Status.APPROVED
    ).order_by("lesson_id", "source_start", "id"):
        items[item.lesson_id].append(
            ItemData(
                pk=item.pk,
                fingerprint=item.fingerprint,
                stem=item.stem,
                options=tuple(str(option) for option in item.options),
                answer=item.answer,
                family=item.family,
                answers=tuple(item.keys) if item.is_multiple else (),
            )
        )
    return [
        ExportModule(
            pk=module.id,
            title=module.title,
            lessons=tuple(
                ExportLesson(
                    pk=lesson.id,
                    number=lesson.number,
                    title=lesson.title,
                    html=lesson_html(lesson=lessons[lesson.id]),
                    items=tuple(items[lesson.id]),
                )
                for lesson in module.lessons
                if lesson.id in lessons
            ),
        )
        for module in outline.modules
        if module.lessons
    ]


def course_images(*, course: Course, keys: set[str]) -> dict[str, tuple[str, bytes]]:
    """The course's pictures of these keys: their extension and bytes (one query)."""
    found = {}
    for image in CourseImage.objects.filter(course=course, key__in=keys).order_by("key"):
        with image.file.open("rb") as handle:
            found[image.key] = (str(image.file.name).rsplit(".", 1)[-1], handle.read())
    return found
