"""What counts as progress and completion: the one place every page, export and service asks.

A lesson is read when the learner marked its current text. A course is complete when each
active lesson is done under the course's completion rule:

- "lessons_and_quizzes" (the default): read, and its quiz passed if it has one;
- "quizzes_only": its quiz passed if it has one, else read.

A lesson with no approved item has no quiz: it counts as passed once read.

A completion is recorded by the transaction that meets its last condition: the learner's own
step (``completion_record_if_due``) or a change to the course that leaves them done
(``completions_recheck``: the rule switched, a lesson's quiz withdrawn, a lesson archived).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

LESSONS_AND_QUIZZES = "lessons_and_quizzes"
QUIZZES_ONLY = "quizzes_only"


def lesson_is_read(*, read_version: int | None, current_version: int) -> bool:
    """A lesson counts as read when the learner marked the text as it is now."""
    return read_version is not None and read_version == current_version


def percent(done: int, total: int) -> int:
    """Whole percent, rounded down so that 100 % means everything is done."""
    return 100 * done // total if total else 0


@dataclass(frozen=True)
class LessonState:
    lesson_id: int
    read: bool
    has_quiz: bool
    quiz_passed: bool


@dataclass(frozen=True)
class LessonLeft:
    """What a lesson still asks of the learner under the rule: reading it, passing its quiz."""

    read: bool
    quiz: bool

    def __bool__(self) -> bool:
        return self.read or self.quiz


def lesson_left(state: LessonState, *, rule: str) -> LessonLeft:
    quiz = state.has_quiz and not state.quiz_passed
    if rule == QUIZZES_ONLY:
        # Reading counts only for a lesson without a quiz.
        return LessonLeft(read=not state.has_quiz and not state.read, quiz=quiz)
    return LessonLeft(read=not state.read, quiz=quiz)


def lesson_done(state: LessonState, *, rule: str) -> bool:
    return not lesson_left(state, rule=rule)


def course_complete(states: Sequence[LessonState], *, rule: str) -> bool:
    """Every lesson done; a course without lessons is never complete."""
    return bool(states) and all(lesson_done(state, rule=rule) for state in states)
