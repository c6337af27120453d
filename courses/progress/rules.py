"""What counts as progress: the one place that says when a lesson is read.

(Completion of a course, with quizzes, joins these rules; every page and export asks here.)
"""

from __future__ import annotations


def lesson_is_read(*, read_version: int | None, current_version: int) -> bool:
    """A lesson counts as read when the learner marked the text as it is now."""
    return read_version is not None and read_version == current_version


def percent(done: int, total: int) -> int:
    """Whole percent, rounded down so that 100 % means everything is done."""
    return 100 * done // total if total else 0
