"""Reads of learners' progress. A constant number of queries whatever the course's size."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from courses.catalog.selectors import Outline, OutlineLesson, outlines_for_courses
from courses.models import (
    Course,
    Enrollment,
    LessonProgress,
    QuestionItem,
    QuizAttempt,
    User,
)

from . import rules


@dataclass(frozen=True)
class Progress:
    read_ids: frozenset[int]
    done: int
    total: int

    @property
    def percent(self) -> int:
        return rules.percent(self.done, self.total)

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.done == self.total


def enrollment_get(*, user: User, course: Course) -> Enrollment | None:
    if not user.is_authenticated:
        return None
    return Enrollment.objects.filter(user=user, course=course).first()


def enrolled_course_ids(*, user: User) -> set[int]:
    if not user.is_authenticated:
        return set()
    return set(Enrollment.objects.filter(user=user).values_list("course_id", flat=True))


def learner_progress(
    *, user: User, course: Course, outline: Outline
) -> tuple[Enrollment | None, Progress]:
    """The learner's enrolment in the course and what they have read, in one query."""
    if not user.is_authenticated:
        return None, Progress(read_ids=frozenset(), done=0, total=len(outline.lessons))
    rows = list(
        Enrollment.objects.filter(user=user, course=course).values_list(
            "id",
            "enrolled_at",
            "last_lesson_id",
            "last_activity_at",
            "extra_time_percent",
            "lesson_progress__lesson_id",
            "lesson_progress__lesson_version",
        )
    )
    if not rows:
        return None, Progress(read_ids=frozenset(), done=0, total=len(outline.lessons))
    pk, enrolled_at, last_lesson_id, last_activity_at, extra_time_percent = rows[0][:5]
    enrollment = Enrollment(
        id=pk,
        user=user,
        course=course,
        enrolled_at=enrolled_at,
        last_lesson_id=last_lesson_id,
        last_activity_at=last_activity_at,
        extra_time_percent=extra_time_percent,
    )
    enrollment._state.adding = False
    enrollment._state.db = Enrollment.objects.db
    versions = {row[5]: row[6] for row in rows if row[5] is not None}
    return enrollment, _progress(versions=versions, outline=outline)


def _progress(*, versions: dict[int, int], outline: Outline) -> Progress:
    read = frozenset(
        lesson.id
        for lesson in outline.lessons
        if rules.lesson_is_read(
            read_version=versions.get(lesson.id), current_version=lesson.version
        )
    )
    return Progress(read_ids=read, done=len(read), total=len(outline.lessons))


def progress_for(*, enrollment: Enrollment | None, outline: Outline) -> Progress:
    """Which of the outline's lessons the learner has read (one query)."""
    if enrollment is None:
        return Progress(read_ids=frozenset(), done=0, total=len(outline.lessons))
    versions = dict(
        LessonProgress.objects.filter(enrollment=enrollment).values_list(
            "lesson_id", "lesson_version"
        )
    )
    return _progress(versions=versions, outline=outline)


def resume_lesson(
    *, enrollment: Enrollment, outline: Outline, progress: Progress
) -> OutlineLesson | None:
    """Where the learner left off: the last lesson opened, else the first one not yet read."""
    if enrollment.last_lesson_id is not None:
        last = outline.lesson(enrollment.last_lesson_id)
        if last is not None:
            return last
    for lesson in outline.lessons:
        if lesson.id not in progress.read_ids:
            return lesson
    return outline.lessons[0] if outline.lessons else None


@dataclass(frozen=True)
class DashboardRow:
    enrollment: Enrollment
    course: Course
    progress: Progress
    resume: OutlineLesson | None


def dashboard_rows(*, user: User) -> list[DashboardRow]:
    """The learner's courses with their progress: three queries for any number of courses."""
    enrollments = list(
        Enrollment.objects.filter(user=user)
        .select_related("course")
        .order_by("-last_activity_at", "-enrolled_at")
    )
    outlines = outlines_for_courses(courses=[e.course for e in enrollments])
    versions: dict[int, dict[int, int]] = {}
    for enrollment_id, lesson_id, version in LessonProgress.objects.filter(
        enrollment__in=enrollments
    ).values_list("enrollment_id", "lesson_id", "lesson_version"):
        versions.setdefault(enrollment_id, {})[lesson_id] = version
    rows = []
    for enrollment in enrollments:
        outline = outlines[enrollment.course_id]
        progress = _progress(versions=versions.get(enrollment.pk, {}), outline=outline)
        rows.append(
            DashboardRow(
                enrollment=enrollment,
                course=enrollment.course,
                progress=progress,
                resume=resume_lesson(enrollment=enrollment, outline=outline, progress=progress),
            )
        )
    return rows


def completion_states(*, enrollment: Enrollment, outline: Outline) -> list[rules.LessonState]:
    """Each active lesson's state for the completion rule (three queries)."""
    lesson_ids = [lesson.id for lesson in outline.lessons]
    versions = dict(
        LessonProgress.objects.filter(enrollment=enrollment).values_list(
            "lesson_id", "lesson_version"
        )
    )
    with_quiz = set(
        QuestionItem.objects.filter(
            lesson_id__in=lesson_ids, status=QuestionItem.Status.APPROVED
        ).values_list("lesson_id", flat=True)
    )
    passed = set(
        QuizAttempt.objects.filter(enrollment=enrollment, passed=True).values_list(
            "lesson_id", flat=True
        )
    )
    return [
        rules.LessonState(
            lesson_id=lesson.id,
            read=rules.lesson_is_read(
                read_version=versions.get(lesson.id), current_version=lesson.version
            ),
            has_quiz=lesson.id in with_quiz,
            quiz_passed=lesson.id in passed,
        )
        for lesson in outline.lessons
    ]


def quizzes_passed_counts(*, enrollments: list[Enrollment]) -> dict[int, tuple[int, int]]:
    """(quizzes passed, quizzes in the course) per enrolment, in two queries."""
    course_ids = {enrollment.course_id for enrollment in enrollments}
    totals = dict(
        QuestionItem.objects.filter(
            status=QuestionItem.Status.APPROVED,
            lesson__archived_at__isnull=True,
            lesson__module__course_id__in=course_ids,
        )
        .values_list("lesson__module__course_id")
        .annotate(lessons=Count("lesson_id", distinct=True))
    )
    passed = dict(
        QuizAttempt.objects.filter(enrollment__in=enrollments, passed=True)
        .values_list("enrollment_id")
        .annotate(lessons=Count("lesson_id", distinct=True, filter=Q(passed=True)))
    )
    return {
        enrollment.pk: (passed.get(enrollment.pk, 0), totals.get(enrollment.course_id, 0))
        for enrollment in enrollments
    }
