"""Reads of the lesson editor: the course's structure, its modules."""

from __future__ import annotations

from django.db.models import Prefetch

from courses.models import Course, Lesson, Module


def course_structure(*, course: Course) -> list[Module]:
    """The course's modules in order, each with its active lessons in order (two queries)."""
    lessons = Lesson.objects.filter(archived_at__isnull=True).order_by("position", "id")
    return list(
        Module.objects.filter(course=course)
        .order_by("position", "id")
        .prefetch_related(Prefetch("lessons", queryset=lessons, to_attr="active_lessons"))
    )


def module_in_course(*, course: Course, pk: object) -> Module | None:
    if not str(pk).isdigit():
        return None
    module = Module.objects.filter(course=course, pk=int(str(pk))).first()
    if module is not None:
        module.course = course
    return module
