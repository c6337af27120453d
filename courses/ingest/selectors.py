"""Reads of the importer: a course's recent imports and their states."""

from __future__ import annotations

from courses.models import BackgroundJob, Course

# The manage page shows this many imports, the newest first.
RECENT_IMPORTS = 5


def course_imports(*, course: Course) -> list[BackgroundJob]:
    """The course's latest imports (one query)."""
    return list(
        BackgroundJob.objects.filter(course=course, kind=BackgroundJob.Kind.IMPORT)
        .select_related("requested_by")
        .order_by("-created_at", "-pk")[:RECENT_IMPORTS]
    )


def imports_state(imports: list[BackgroundJob]) -> str:
    """ "running" while any of them is pending (the page keeps polling), else "done"."""
    return "running" if any(job.pending for job in imports) else "done"
