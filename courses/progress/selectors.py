"""Reads of learners' progress. A constant number of queries whatever the course's size."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any

from django.db.models import Count, Exists, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from courses.catalog.selectors import Outline, OutlineLesson, outlines_for_courses
from courses.certificates.selectors import (
    LearnerCertificate,
    certificates_by_enrollment,
    learner_certificate,
)
from courses.models import (
    Course,
    CourseCompletion,
    Enrollment,
    Lesson,
    LessonProgress,
    QuestionItem,
    QuizAttempt,
    User,
)
from courses.system.prepared import PreparedQuery

from . import rules


@dataclass(frozen=True)
class Progress:
    read_ids: frozenset[int]
    done: int
    total: int
    # When the learner met the course's completion rule (CourseCompletion), if they did.
    completed_at: datetime | None = None

    @property
    def percent(self) -> int:
        return rules.percent(self.done, self.total)


def enrollment_get(*, user: User, course: Course) -> Enrollment | None:
    if not user.is_authenticated:
        return None
    return Enrollment.objects.filter(user=user, course=course).first()


def enrollment_completed_at(*, enrollment_id: int) -> datetime | None:
    """When the enrolment met its course's completion rule; None before (one query)."""
    return (
        CourseCompletion.objects.filter(enrollment_id=enrollment_id)
        .values_list("completed_at", flat=True)
        .first()
    )


def enrolled_course_ids(*, user: User) -> set[int]:
    if not user.is_authenticated:
        return set()
    return set(Enrollment.objects.filter(user=user).values_list("course_id", flat=True))


# The enrolment, its completion and a row per lesson read: on every lesson and course page.
_LEARNER_PROGRESS = PreparedQuery(
    lambda user_id, course_id: Enrollment.objects.filter(
        user_id=user_id, course_id=course_id
    ).values_list(
        "id",
        "enrolled_at",
        "last_lesson_id",
        "last_activity_at",
        "extra_time_percent",
        "completion__completed_at",
        "lesson_progress__lesson_id",
        "lesson_progress__lesson_version",
    )
)


def learner_progress(
    *, user: User, course: Course, outline: Outline
) -> tuple[Enrollment | None, Progress]:
    """The learner's enrolment in the course, what they have read and when they completed it,
    in one query."""
    if not user.is_authenticated:
        return None, Progress(read_ids=frozenset(), done=0, total=len(outline.lessons))
    rows = _LEARNER_PROGRESS.rows(user_id=user.pk, course_id=course.pk)
    if not rows:
        return None, Progress(read_ids=frozenset(), done=0, total=len(outline.lessons))
    first = rows[0]
    pk, enrolled_at, last_lesson_id, last_activity_at, extra_time_percent = first[:5]
    completed_at = first[5]
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
    versions = {row[6]: row[7] for row in rows if row[6] is not None}
    return enrollment, _progress(versions=versions, outline=outline, completed_at=completed_at)


def _progress(
    *, versions: dict[int, int], outline: Outline, completed_at: datetime | None = None
) -> Progress:
    read = frozenset(
        lesson.id
        for lesson in outline.lessons
        if rules.lesson_is_read(
            read_version=versions.get(lesson.id), current_version=lesson.version
        )
    )
    return Progress(
        read_ids=read, done=len(read), total=len(outline.lessons), completed_at=completed_at
    )


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


@dataclass(frozen=True)
class Step:
    """A lesson with something left to do: reading it, passing its quiz, or both."""

    lesson: OutlineLesson
    read: bool
    quiz: bool

    @property
    def url(self) -> str:
        """Where to do it: the lesson, or its quiz once the reading is done."""
        return f"{self.lesson.url}#quiz" if self.quiz and not self.read else self.lesson.url


@dataclass(frozen=True)
class Todo:
    """What the learner has left in the course under its completion rule, in reading order."""

    steps: tuple[Step, ...]

    # Read once each: a page asks for each lesson of its outline whether its quiz is left.
    @cached_property
    def to_read(self) -> tuple[OutlineLesson, ...]:
        return tuple(step.lesson for step in self.steps if step.read)

    @cached_property
    def quizzes(self) -> tuple[OutlineLesson, ...]:
        return tuple(step.lesson for step in self.steps if step.quiz)

    @cached_property
    def quiz_ids(self) -> frozenset[int]:
        return frozenset(step.lesson.id for step in self.steps if step.quiz)

    def next(self, *, last_lesson_id: int | None = None) -> Step | None:
        """The lesson the learner was on if it still has something left, else the first one
        that has; None when nothing is left."""
        for step in self.steps:
            if step.lesson.id == last_lesson_id:
                return step
        return self.steps[0] if self.steps else None


def lessons_with_quiz(outline: Outline) -> frozenset[int]:
    """Which of the outline's lessons have a quiz: an approved item (one query)."""
    return frozenset(
        QuestionItem.objects.filter(
            lesson_id__in=[lesson.id for lesson in outline.lessons],
            status=QuestionItem.Status.APPROVED,
        )
        .order_by()
        .values_list("lesson_id", flat=True)
        .distinct()
    )


# The lessons whose quiz the learner passed, on every course page.
_QUIZZES_PASSED = PreparedQuery(
    lambda enrollment_id: (
        QuizAttempt.objects.filter(enrollment_id=enrollment_id, passed=True)
        .order_by()
        .values_list("lesson_id")
        .distinct()
    )
)


def learner_todo(
    *,
    enrollment: Enrollment,
    outline: Outline,
    progress: Progress,
    rule: str,
    quiz_lesson_ids: frozenset[int],
) -> Todo:
    """The lessons still to read and the quizzes still to pass: ``progress`` (learner_progress)
    says what is read, ``quiz_lesson_ids`` (lessons_with_quiz) which lessons have a quiz; one
    query, which of them she passed."""
    passed_ids = {lesson_id for (lesson_id,) in _QUIZZES_PASSED.rows(enrollment_id=enrollment.pk)}
    passed = {lesson_id: lesson_id in passed_ids for lesson_id in quiz_lesson_ids}
    steps = []
    for lesson in outline.lessons:
        state = rules.LessonState(
            lesson_id=lesson.id,
            read=lesson.id in progress.read_ids,
            has_quiz=lesson.id in passed,
            quiz_passed=passed.get(lesson.id, False),
        )
        left = rules.lesson_left(state, rule=rule)
        if left:
            steps.append(Step(lesson=lesson, read=left.read, quiz=left.quiz))
    return Todo(steps=tuple(steps))


def enrollment_todo(*, enrollment: Enrollment) -> Todo:
    """What the learner has left in the enrolment's course (four queries)."""
    course = enrollment.course
    outline = outlines_for_courses(courses=[course])[course.pk]
    _enrollment, progress = learner_progress(user=enrollment.user, course=course, outline=outline)
    return learner_todo(
        enrollment=enrollment,
        outline=outline,
        progress=progress,
        rule=course.completion_rule,
        quiz_lesson_ids=lessons_with_quiz(outline),
    )


def todo_text(todo: Todo) -> str:
    """ "You still have 2 lessons to read and 1 quiz to pass." """
    parts = []
    if todo.to_read:
        count = len(todo.to_read)
        parts.append(
            ngettext("%(count)d lesson to read", "%(count)d lessons to read", count)
            % {"count": count}
        )
    if todo.quizzes:
        count = len(todo.quizzes)
        parts.append(
            ngettext("%(count)d quiz to pass", "%(count)d quizzes to pass", count)
            % {"count": count}
        )
    if not parts:
        return ""
    what = (
        parts[0]
        if len(parts) == 1
        else _("%(first)s and %(second)s")
        % {
            "first": parts[0],
            "second": parts[1],
        }
    )
    return _("You still have %(what)s.") % {"what": what}


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
    quizzes_passed: int
    quizzes_total: int
    certificate: LearnerCertificate
    lessons_added: int = 0  # since the learner completed the course

    @property
    def completed_at(self) -> datetime | None:
        return self.certificate.completed_at


def quizzes_passed_subquery(enrollment: OuterRef) -> Subquery:
    """How many quizzes the enrolment passed: once per lesson, and only while the lesson is
    active and still has a quiz (an approved item). A subquery of the caller's own query."""
    passed = (
        QuizAttempt.objects.filter(
            enrollment=enrollment, passed=True, lesson__archived_at__isnull=True
        )
        .filter(
            Exists(
                QuestionItem.objects.filter(
                    lesson=OuterRef("lesson_id"), status=QuestionItem.Status.APPROVED
                )
            )
        )
        .order_by()
        .values("enrollment")
        .annotate(count=Count("lesson", distinct=True))
        .values("count")
    )
    return Subquery(passed, output_field=IntegerField())


def _with_quiz_counts(enrollments: QuerySet[Enrollment]) -> QuerySet[Enrollment]:
    """Annotate each enrolment with its course's quizzes and how many the learner passed.

    A quiz is an active lesson with an approved item (rules: a lesson without one has no quiz);
    a pass counts once per lesson, and only while that lesson still has a quiz. Subqueries of
    the enrolments' own query: no query more, whatever the number of courses.
    """
    has_quiz = QuestionItem.objects.filter(
        lesson=OuterRef("pk"), status=QuestionItem.Status.APPROVED
    )
    quizzes = Lesson.objects.filter(
        module__course=OuterRef("course_id"), archived_at__isnull=True
    ).filter(Exists(has_quiz))
    passed = quizzes_passed_subquery(OuterRef("pk"))
    # Lessons added to the course since the learner completed it (0 before completing).
    added = Lesson.objects.filter(
        module__course=OuterRef("course_id"),
        archived_at__isnull=True,
        created_at__gt=OuterRef("completion__completed_at"),
    )
    return enrollments.annotate(
        quizzes_total=count_subquery(quizzes, per="module__course"),
        quizzes_passed=Coalesce(passed, 0),
        lessons_added=count_subquery(added, per="module__course"),
    )


def count_subquery(rows: QuerySet[Any], *, per: str) -> Coalesce:
    """How many ``rows`` (a queryset filtered on an OuterRef), as a subquery of the caller's own
    query grouped ``per`` the outer row: 0 when there are none."""
    counted = rows.order_by().values(per).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _completed_at(enrollment: Enrollment) -> datetime | None:
    # select_related("completion") cached the row or its absence (a reverse one-to-one).
    completion = getattr(enrollment, "completion", None)
    return completion.completed_at if completion is not None else None


def dashboard_rows(*, user: User) -> list[DashboardRow]:
    """The learner's courses with their progress, quizzes, completion and certificate.

    Three queries for any number of courses (four on a cold outline cache): the enrolments
    with their course, completion and quiz counts; the progress rows; the certificates.
    """
    enrollments = list(
        _with_quiz_counts(
            Enrollment.objects.filter(user=user)
            .select_related("course", "completion")
            .order_by("-last_activity_at", "-enrolled_at")
        )
    )
    outlines = outlines_for_courses(courses=[e.course for e in enrollments])
    versions: dict[int, dict[int, int]] = {}
    if enrollments:
        for enrollment_id, lesson_id, version in LessonProgress.objects.filter(
            enrollment__in=enrollments
        ).values_list("enrollment_id", "lesson_id", "lesson_version"):
            versions.setdefault(enrollment_id, {})[lesson_id] = version
    completed = {e.pk: _completed_at(e) for e in enrollments}
    certificates = certificates_by_enrollment(
        enrollment_ids=[pk for pk, at in completed.items() if at is not None]
    )
    rows = []
    for enrollment in enrollments:
        outline = outlines[enrollment.course_id]
        progress = _progress(
            versions=versions.get(enrollment.pk, {}),
            outline=outline,
            completed_at=completed[enrollment.pk],
        )
        rows.append(
            DashboardRow(
                enrollment=enrollment,
                course=enrollment.course,
                progress=progress,
                resume=resume_lesson(enrollment=enrollment, outline=outline, progress=progress),
                quizzes_passed=enrollment.quizzes_passed,  # type: ignore[attr-defined]
                quizzes_total=enrollment.quizzes_total,  # type: ignore[attr-defined]
                certificate=learner_certificate(
                    completed_at=completed[enrollment.pk],
                    certificates=certificates.get(enrollment.pk, []),
                ),
                lessons_added=enrollment.lessons_added,  # type: ignore[attr-defined]
            )
        )
    return rows


def completion_states(*, enrollment: Enrollment, outline: Outline) -> list[rules.LessonState]:
    """Each active lesson's state for the completion rule (one query)."""
    return completion_states_many(enrollment_ids=[enrollment.pk], outline=outline)[enrollment.pk]


@dataclass(frozen=True)
class CompletionReading:
    """Whether a completion is recorded, and each active lesson's state for the rule."""

    completed: bool
    states: list[rules.LessonState]


def completion_reading(*, enrollment: Enrollment, outline: Outline) -> CompletionReading:
    """What deciding the learner's completion reads, in one query: whether it is recorded
    already, and each active lesson's state."""
    states, completed = _completion_states_read(
        enrollment_ids=[enrollment.pk], outline=outline, with_completions=True
    )
    return CompletionReading(completed=enrollment.pk in completed, states=states[enrollment.pk])


def completion_states_many(
    *, enrollment_ids: Sequence[int], outline: Outline
) -> dict[int, list[rules.LessonState]]:
    """The same, for many enrolments of one course at once, in one query for all of them."""
    states, _completed = _completion_states_read(enrollment_ids=enrollment_ids, outline=outline)
    return states


# What a row of _completion_states_read's one query says.
_READ, _PASSED, _HAS_QUIZ, _COMPLETED = 1, 2, 3, 4


def _completion_states_read(
    *, enrollment_ids: Sequence[int], outline: Outline, with_completions: bool = False
) -> tuple[dict[int, list[rules.LessonState]], set[int]]:
    """Each enrolment's lesson states, and (``with_completions``) those of the enrolments
    whose completion is recorded, in one query whose rows are (what, enrolment, lesson,
    version): reads in one UNION ALL, the lessons each learner read (and the version read),
    the lessons whose quiz each passed, the lessons that have a quiz (an approved item; no
    enrolment, no version), and the completions recorded."""
    lesson_ids = [lesson.id for lesson in outline.lessons]
    number = IntegerField()
    read = LessonProgress.objects.filter(enrollment_id__in=enrollment_ids).values_list(
        Value(_READ, output_field=number), "enrollment_id", "lesson_id", "lesson_version"
    )
    passed = QuizAttempt.objects.filter(
        enrollment_id__in=enrollment_ids, passed=True, lesson_id__in=lesson_ids
    ).values_list(
        Value(_PASSED, output_field=number),
        "enrollment_id",
        "lesson_id",
        Value(None, output_field=number),
    )
    approved = QuestionItem.objects.filter(
        lesson=OuterRef("pk"), status=QuestionItem.Status.APPROVED
    )
    has_quiz = (
        Lesson.objects.filter(pk__in=lesson_ids)
        .filter(Exists(approved))
        .values_list(
            Value(_HAS_QUIZ, output_field=number),
            Value(None, output_field=number),
            "pk",
            Value(None, output_field=number),
        )
    )
    parts = [passed.order_by(), has_quiz.order_by()]
    if with_completions:
        parts.append(
            CourseCompletion.objects.filter(enrollment_id__in=enrollment_ids)
            .order_by()
            .values_list(
                Value(_COMPLETED, output_field=number),
                "enrollment_id",
                Value(None, output_field=number),
                Value(None, output_field=number),
            )
        )
    versions: dict[int, dict[int, int]] = {pk: {} for pk in enrollment_ids}
    passed_ids: dict[int, set[int]] = {pk: set() for pk in enrollment_ids}
    with_quiz: set[int] = set()
    completed: set[int] = set()
    for what, enrollment_id, lesson_id, version in read.order_by().union(*parts, all=True):
        if what == _READ:
            versions[enrollment_id][lesson_id] = version
        elif what == _PASSED:
            passed_ids[enrollment_id].add(lesson_id)
        elif what == _HAS_QUIZ:
            with_quiz.add(lesson_id)
        else:
            completed.add(enrollment_id)
    states = {
        pk: [
            rules.LessonState(
                lesson_id=lesson.id,
                read=rules.lesson_is_read(
                    read_version=versions[pk].get(lesson.id), current_version=lesson.version
                ),
                has_quiz=lesson.id in with_quiz,
                quiz_passed=lesson.id in passed_ids[pk],
            )
            for lesson in outline.lessons
        ]
        for pk in enrollment_ids
    }
    return states, completed


def lessons_added_since(*, course: Course, since: datetime) -> list[Lesson]:
    """The course's active lessons created after ``since`` (a completion), in reading order:
    what a learner who completed it has not seen. One query."""
    return list(
        Lesson.objects.filter(module__course=course, archived_at__isnull=True, created_at__gt=since)
        .select_related("module__course")
        .order_by("module__position", "module_id", "position", "id")
    )
