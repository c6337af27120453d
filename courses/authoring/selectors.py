"""Reads of the lesson editor: the course's structure, its modules."""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

from django.db.models import Prefetch

from courses.models import Course, Lesson, LessonVersion, Module


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


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "same", "added", "removed"
    text: str


@dataclass(frozen=True)
class HistoryEntry:
    version: LessonVersion
    changes: tuple[DiffLine, ...]  # from the version before it (all added for the first)
    added: int
    removed: int


def text_diff(before: str, after: str) -> tuple[DiffLine, ...]:
    """The lines of ``after`` against ``before``: kept, added, removed (unchanged stretches
    cut to a line of context on each side)."""
    old, new = before.splitlines(), after.splitlines()
    lines: list[DiffLine] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if tag == "equal":
            same = new[j1:j2]
            if len(same) > 2:
                same = [same[0], "…", same[-1]] if lines else ["…", same[-1]]
            lines.extend(DiffLine("same", line) for line in same)
            continue
        # A blank line added or removed is no change a reader sees.
        lines.extend(DiffLine("removed", line) for line in old[i1:i2] if line.strip())
        lines.extend(DiffLine("added", line) for line in new[j1:j2] if line.strip())
    return tuple(line for line in lines if line.text.strip() or line.kind != "same")


def lesson_history(*, lesson: Lesson) -> list[HistoryEntry]:
    """The lesson's versions, newest first, each with what it changed (one query)."""
    versions = list(
        LessonVersion.objects.filter(lesson=lesson).select_related("saved_by").order_by("version")
    )
    entries = []
    previous = ""
    for version in versions:
        changes = text_diff(previous, version.text)
        entries.append(
            HistoryEntry(
                version=version,
                changes=changes,
                added=sum(1 for line in changes if line.kind == "added"),
                removed=sum(1 for line in changes if line.kind == "removed"),
            )
        )
        previous = version.text
    return entries[::-1]
