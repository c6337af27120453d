"""Reads over a cohort's learning: the learners x lessons table, one learner's row and
attempts, the statistics, each quiz's item analysis, and the rows of the exports.

Every page costs a constant number of queries whatever the cohort's size: aggregates per
learner come from correlated subqueries on indexed columns, and per-lesson cells are fetched
for the page's learners only, in one query per kind.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from statistics import mean, median
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import (
    Count,
    F,
    FloatField,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from courses.catalog.selectors import Outline, OutlineLesson, course_outline
from courses.models import (
    AttemptAnswer,
    Certificate,
    Cohort,
    CohortMembership,
    CourseCompletion,
    LessonProgress,
    QuizAttempt,
    User,
)
from courses.progress import rules
from courses.progress.selectors import (
    count_subquery,
    lessons_with_quiz,
    quizzes_passed_subquery,
)
from courses.quizzes import scoring
from courses.quizzes.selectors import (
    ANSWERS_SAVED,
    QuestionFeedback,
    attempt_feedback,
    attempt_was_late,
)

from . import analysis, exports

PAGE_SIZE = 50
SORTS: dict[str, tuple[Any, ...]] = {
    "name": (Lower("enrollment__user__full_name"), Lower("enrollment__user__email")),
    "-name": (Lower("enrollment__user__full_name").desc(), Lower("enrollment__user__email").desc()),
    "progress": ("lessons_read", "quizzes_passed"),
    "-progress": ("-lessons_read", "-quizzes_passed"),
    "activity": (F("enrollment__last_activity_at").asc(nulls_first=True),),
    "-activity": (F("enrollment__last_activity_at").desc(nulls_last=True),),
    "completed": (F("completed_at").asc(nulls_last=True),),
    "-completed": (F("completed_at").desc(nulls_last=True),),
}
FILTERS = ("all", "completed", "in_progress", "not_started")


# --- the dashboard ---------------------------------------------------------------------------


def _members(cohort: Cohort, outline: Outline) -> QuerySet[Any]:
    """The cohort's members, each annotated with their aggregates (one query)."""
    lesson_ids = [lesson.id for lesson in outline.lessons]
    read = LessonProgress.objects.filter(
        enrollment=OuterRef("enrollment"),
        lesson_id__in=lesson_ids,
        lesson_version=F("lesson__version"),
    )
    passed = quizzes_passed_subquery(OuterRef("enrollment"))
    completed = CourseCompletion.objects.filter(enrollment=OuterRef("enrollment")).values(
        "completed_at"
    )
    return (
        CohortMembership.objects.filter(cohort=cohort)
        .select_related("enrollment__user")
        .annotate(
            lessons_read=count_subquery(read, per="enrollment"),
            quizzes_passed=Coalesce(passed, Value(0)),
            completed_at=Subquery(completed[:1]),
        )
    )


# Score bands of a quiz's histogram: five of 20 points, legible on a phone.
SCORE_BINS = 5


@dataclass(frozen=True)
class LessonCell:
    read: bool
    best: int | None  # best quiz score, whole percent; None without an attempt
    passed: bool
    has_quiz: bool


@dataclass
class LearnerRow:
    membership: CohortMembership
    user: User
    lessons_read: int
    quizzes_passed: int
    completed_at: datetime | None
    last_activity: datetime | None
    cells: list[LessonCell] = field(default_factory=list)
    certificate: Certificate | None = None

    @property
    def percent(self) -> int:
        return rules.percent(self.lessons_read, len(self.cells))


@dataclass
class CohortTable:
    outline: Outline
    quiz_lessons: frozenset[int]
    page: Page
    rows: list[LearnerRow]
    counts: dict[str, int]


def _cells(
    *, enrollment_ids: Sequence[int], outline: Outline, quiz_lessons: frozenset[int]
) -> tuple[dict[int, list[LessonCell]], dict[int, Certificate]]:
    """Per-lesson cells and the certificate for these enrolments (three queries)."""
    versions: dict[tuple[int, int], int] = {
        (enrollment_id, lesson_id): version
        for enrollment_id, lesson_id, version in LessonProgress.objects.filter(
            enrollment_id__in=enrollment_ids
        ).values_list("enrollment_id", "lesson_id", "lesson_version")
    }
    best: dict[tuple[int, int], tuple[float, bool]] = {}
    for enrollment_id, lesson_id, score, passed in (
        QuizAttempt.objects.filter(enrollment_id__in=enrollment_ids, submitted_at__isnull=False)
        .order_by()
        .values("enrollment_id", "lesson_id")
        .annotate(
            best=Max(Cast("score", FloatField()) * 100 / Cast("total", FloatField())),
            any_passed=Max(Cast("passed", IntegerField())),
        )
        .values_list("enrollment_id", "lesson_id", "best", "any_passed")
    ):
        best[(enrollment_id, lesson_id)] = (score, bool(passed))
    certificates: dict[int, Certificate] = {}
    for certificate in Certificate.objects.filter(enrollment_id__in=enrollment_ids).order_by(
        "issued_at"
    ):
        # The latest certificate wins (a re-issue replaces the original on the dashboard).
        certificates[certificate.enrollment_id] = certificate  # type: ignore[index]
    cells: dict[int, list[LessonCell]] = {}
    for enrollment in enrollment_ids:
        row = []
        for lesson in outline.lessons:
            score = best.get((enrollment, lesson.id))
            row.append(
                LessonCell(
                    read=rules.lesson_is_read(
                        read_version=versions.get((enrollment, lesson.id)),
                        current_version=lesson.version,
                    ),
                    best=round(score[0]) if score else None,
                    passed=bool(score and score[1]),
                    has_quiz=lesson.id in quiz_lessons,
                )
            )
        cells[enrollment] = row
    return cells, certificates


def _learner_rows(
    members: Sequence[CohortMembership], *, outline: Outline, with_quiz: frozenset[int]
) -> list[LearnerRow]:
    cells, certificates = _cells(
        enrollment_ids=[m.enrollment_id for m in members], outline=outline, quiz_lessons=with_quiz
    )
    total_lessons = len(outline.lessons)
    return [
        LearnerRow(
            membership=member,
            user=member.enrollment.user,
            lessons_read=min(member.lessons_read, total_lessons),  # type: ignore[attr-defined]
            quizzes_passed=member.quizzes_passed,  # type: ignore[attr-defined]
            completed_at=member.completed_at,  # type: ignore[attr-defined]
            last_activity=member.enrollment.last_activity_at,
            cells=cells[member.enrollment_id],
            certificate=certificates.get(member.enrollment_id),
        )
        for member in members
    ]


def cohort_table(
    *,
    cohort: Cohort,
    sort: str = "name",
    status: str = "all",
    search: str = "",
    page: int = 1,
) -> CohortTable:
    """One page of the learners x lessons table, sorted and filtered in the database."""
    outline = course_outline(course=cohort.course)
    with_quiz = lessons_with_quiz(outline)
    members = _members(cohort, outline)
    counts = members.aggregate(
        all=Count("pk"),
        completed=Count("pk", filter=Q(completed_at__isnull=False)),
        # As the filter below: a learner whose completion stands is never "not started" (even
        # if a lesson's text changed since, so that it no longer counts as read).
        not_started=Count(
            "pk", filter=Q(lessons_read=0, quizzes_passed=0, completed_at__isnull=True)
        ),
    )
    counts["in_progress"] = counts["all"] - counts["completed"] - counts["not_started"]
    if status == "completed":
        members = members.filter(completed_at__isnull=False)
    elif status == "not_started":
        members = members.filter(lessons_read=0, quizzes_passed=0, completed_at__isnull=True)
    elif status == "in_progress":
        members = members.filter(completed_at__isnull=True).exclude(
            lessons_read=0, quizzes_passed=0
        )
    if search.strip():
        term = search.strip()
        members = members.filter(
            Q(enrollment__user__full_name__icontains=term)
            | Q(enrollment__user__email__icontains=term)
        )
    members = members.order_by(*SORTS.get(sort, SORTS["name"]), "pk")
    paginator = Paginator(members, PAGE_SIZE)
    current = paginator.get_page(page)
    rows = _learner_rows(list(current.object_list), outline=outline, with_quiz=with_quiz)
    return CohortTable(
        outline=outline, quiz_lessons=with_quiz, page=current, rows=rows, counts=counts
    )


def cohort_export_rows(*, cohort: Cohort) -> tuple[Outline, list[LearnerRow]]:
    """Every member with every cell, for CSV/XLSX (a constant number of queries)."""
    outline = course_outline(course=cohort.course)
    with_quiz = lessons_with_quiz(outline)
    members = list(_members(cohort, outline).order_by(*SORTS["name"], "pk"))
    return outline, _learner_rows(members, outline=outline, with_quiz=with_quiz)


def learner_row(*, cohort: Cohort, membership: CohortMembership) -> tuple[Outline, LearnerRow]:
    """One member's row of the table (aggregates, cells, certificate), for the drill-down."""
    outline = course_outline(course=cohort.course)
    with_quiz = lessons_with_quiz(outline)
    members = list(_members(cohort, outline).filter(pk=membership.pk))
    return outline, _learner_rows(members, outline=outline, with_quiz=with_quiz)[0]


@dataclass(frozen=True)
class AttemptRow:
    attempt: QuizAttempt
    overtime: bool  # submitted past the time limit and its grace: graded on the answers saved
    after_deadline: bool  # submitted after the cohort's completion deadline
    # Each question as it was asked, the answer given and the right one: staff see the keys
    # whatever the course's review setting keeps from the learner.
    answers: tuple[QuestionFeedback, ...] = ()


def learner_attempts(*, cohort: Cohort, membership: CohortMembership) -> list[AttemptRow]:
    """A learner's submitted attempts in the cohort's course, for the drill-down, each with
    whether it came late (past its time limit, or past the cohort's deadline) and its answers
    (two queries, however many attempts)."""
    attempts = (
        QuizAttempt.objects.filter(enrollment=membership.enrollment, submitted_at__isnull=False)
        .select_related("lesson__module__course")
        .prefetch_related(Prefetch("answers", queryset=ANSWERS_SAVED))
        .order_by("lesson__module__position", "lesson__position", "number")
    )
    return [
        AttemptRow(
            attempt=attempt,
            overtime=attempt_was_late(attempt=attempt),
            after_deadline=attempt.submitted_at is not None
            and timezone.localdate(attempt.submitted_at) > cohort.deadline,
            answers=tuple(
                attempt_feedback(
                    attempt=attempt,
                    answers={answer.position: answer for answer in attempt.answers.all()},
                    released=True,
                )
            ),
        )
        for attempt in attempts
    ]


# --- statistics ------------------------------------------------------------------------------


def chart_end(*, starts_on: date, deadline: date, today: date) -> date:
    """The last day the completion chart shows (the same rule as charts.completion_over_time:
    the deadline, or today up to 60 days past it)."""
    return max(deadline, min(today, deadline + timedelta(days=60)), starts_on + timedelta(days=1))


@dataclass(frozen=True)
class CompletionDay:
    day: date
    count: int
    total: int
    percent: int


@dataclass(frozen=True)
class QuizScores:
    """A quiz's first-attempt scores over the cohort."""

    lesson: OutlineLesson
    percents: list[float]
    counts: list[int]  # the histogram: 0-9 %, 10-19 %, … 90-100 %

    @property
    def attempts(self) -> int:
        return len(self.percents)

    @property
    def mean(self) -> float | None:
        return mean(self.percents) if self.percents else None

    @property
    def median(self) -> float | None:
        return median(self.percents) if self.percents else None


@dataclass(frozen=True)
class CohortStatistics:
    members: int
    completions: list[date]  # each completion's day, in order
    days: list[CompletionDay]  # the days someone completed, with the running total
    chart_end: date
    quizzes: list[QuizScores]  # the quizzes that have items or were taken, in course order


def cohort_statistics(*, cohort: Cohort, today: date) -> CohortStatistics:
    """Completion over time and each quiz's first-attempt scores (five queries)."""
    members = CohortMembership.objects.filter(cohort=cohort).count()
    completions = sorted(completion_dates(cohort=cohort))
    days: list[CompletionDay] = []
    running = 0
    for day, count in sorted(Counter(completions).items()):
        running += count
        days.append(
            CompletionDay(
                day=day,
                count=count,
                total=running,
                percent=round(100 * running / members) if members else 0,
            )
        )
    outline = course_outline(course=cohort.course)
    with_quiz = lessons_with_quiz(outline)
    scores = first_attempt_scores(cohort=cohort)
    quizzes = [
        QuizScores(
            lesson=lesson,
            percents=scores.get(lesson.id, []),
            counts=analysis.histogram(scores.get(lesson.id, []), bins=SCORE_BINS),
        )
        for lesson in outline.lessons
        if lesson.id in with_quiz or lesson.id in scores
    ]
    return CohortStatistics(
        members=members,
        completions=completions,
        days=days,
        chart_end=chart_end(starts_on=cohort.starts_on, deadline=cohort.deadline, today=today),
        quizzes=quizzes,
    )


def completion_dates(*, cohort: Cohort) -> list[date]:
    return [
        timezone.localdate(moment)
        for moment in CourseCompletion.objects.filter(
            enrollment__cohort_memberships__cohort=cohort
        ).values_list("completed_at", flat=True)
    ]


def _first_attempts(cohort: Cohort) -> QuerySet[QuizAttempt]:
    """The cohort's members' first submitted attempt at each quiz: statistics read these only,
    as Moodle's quiz statistics do by default (later attempts are rehearsed, not independent).
    The first one is picked by a correlated subquery: one query, and only those rows fetched."""
    first_number = (
        QuizAttempt.objects.filter(
            enrollment=OuterRef("enrollment"),
            lesson=OuterRef("lesson"),
            submitted_at__isnull=False,
        )
        .order_by("number")
        .values("number")[:1]
    )
    return QuizAttempt.objects.filter(
        enrollment__cohort_memberships__cohort=cohort,
        submitted_at__isnull=False,
        number=Subquery(first_number),
    ).order_by()


def first_attempt_scores(*, cohort: Cohort) -> dict[int, list[float]]:
    """Each member's first submitted attempt per quiz, as a percent, by lesson (one query)."""
    scores: dict[int, list[float]] = defaultdict(list)
    for lesson, score, total in _first_attempts(cohort).values_list("lesson_id", "score", "total"):
        if total:
            scores[lesson].append(100 * (score or 0) / total)
    return scores


# --- item analysis ---------------------------------------------------------------------------


@dataclass
class ItemAnalysis:
    item_id: int
    stem: str
    options: list[str]
    key: int
    stats: analysis.ItemStatistics

    @property
    def keys(self) -> tuple[int, ...]:
        return self.stats.keys or (self.key,)


@dataclass
class QuizAnalysis:
    attempts: int  # first attempts at the quiz (each shows only some of its items)
    items: list[ItemAnalysis]


def item_analysis(*, cohort: Cohort, lesson_id: int) -> list[ItemAnalysis]:
    """Moodle-style statistics for a lesson's quiz over the cohort's first attempts."""
    return quiz_analysis(cohort=cohort, lesson_id=lesson_id).items


def quiz_analysis(*, cohort: Cohort, lesson_id: int) -> QuizAnalysis:
    """The item analysis and how many first attempts it reads, flagged items first.

    Two queries: the attempts (their snapshots give each item's options and key as shown),
    and their answers.
    """
    firsts = _first_attempts(cohort).filter(lesson_id=lesson_id)
    chosen: list[dict[str, Any]] = [
        dict(row) for row in firsts.order_by("enrollment_id").values("pk", "enrollment_id", "items")
    ]
    answers: dict[int, dict[int, tuple[int | None, bool, tuple[int, ...]]]] = defaultdict(dict)
    option: int | None
    # The attempts again as a subquery: no list of thousands of ids sent back to the database.
    for attempt_id, position, option, correct, ticked in AttemptAnswer.objects.filter(
        attempt__in=firsts.values("pk")
    ).values_list("attempt_id", "position", "option", "is_correct", "options"):
        answers[attempt_id][position] = (option, bool(correct), tuple(ticked or ()))
    shown: dict[int, scoring.ItemSnapshot] = {}
    responses = []
    for attempt in chosen:
        row: list[analysis.Response] = []
        for position, question in enumerate(attempt["items"]):
            item_id = question["item"]
            snapshot = question["snapshot"]
            shown.setdefault(item_id, snapshot)
            option, correct, ticked = answers[attempt["pk"]].get(position, (None, False, ()))
            row.append(
                analysis.Response(item=item_id, option=option, correct=correct, options=ticked)
            )
        responses.append(analysis.AttemptResponses(responses=tuple(row)))
    stats = analysis.analyse(
        responses,
        items={
            item: (
                len(s["options"]),
                tuple(sorted(scoring.keys_of(s))) if scoring.is_multiple(s) else s["answer"],
            )
            for item, s in shown.items()
        },
        min_attempts=settings.ITEM_ANALYSIS_MIN_LEARNERS,
    )
    items = sorted(
        (
            ItemAnalysis(
                item_id=item,
                stem=shown[item]["stem"],
                options=list(shown[item]["options"]),
                key=shown[item]["answer"],
                stats=stats[item],
            )
            for item in shown
        ),
        key=lambda entry: (not entry.stats.flagged, entry.stats.facility or 0),
    )
    return QuizAnalysis(attempts=len(chosen), items=items)


# --- exports ---------------------------------------------------------------------------------


def _lesson_status(cell: LessonCell) -> str:
    if not cell.has_quiz and cell.best is None:
        return _("Read") if cell.read else _("Not read")
    if cell.passed:
        return _("Read, quiz passed") if cell.read else _("Not read, quiz passed")
    if cell.best is not None:
        return _("Read, quiz not passed") if cell.read else _("Not read, quiz not passed")
    return _("Read, quiz not taken") if cell.read else _("Not read, quiz not taken")


def _certificate_status(certificate: Certificate | None, *, completed: bool) -> str:
    if certificate is None:
        return pgettext("certificates", "Being issued") if completed else ""
    return str(Certificate.Status(certificate.status).label)


def cohort_export_table(*, cohort: Cohort) -> tuple[list[str], list[list[exports.Cell]]]:
    """The export's header and rows: learner, e-mail, RPPS, a status and a score column per
    lesson, completion date, certificate code and status (a constant number of queries)."""
    outline, rows = cohort_export_rows(cohort=cohort)
    header = [_("Learner"), _("E-mail"), _("Professional identifier (RPPS)")]
    for lesson in outline.lessons:
        title = f"{lesson.number}. {lesson.title}"
        header += [
            _("%(lesson)s — status") % {"lesson": title},
            _("%(lesson)s — best score (%%)") % {"lesson": title},
        ]
    header += [_("Completion date"), _("Certificate code"), _("Certificate status")]
    body: list[list[exports.Cell]] = []
    # Eight labels at most, each translated once (not once per learner and lesson).
    labels: dict[tuple[bool, bool, bool, bool], str] = {}
    for row in rows:
        line: list[exports.Cell] = [row.user.full_name, row.user.email, row.user.professional_id]
        for cell in row.cells:
            key = (cell.has_quiz, cell.read, cell.passed, cell.best is not None)
            if key not in labels:
                labels[key] = _lesson_status(cell)
            line += [labels[key], cell.best]
        line += [
            timezone.localdate(row.completed_at) if row.completed_at else None,
            row.certificate.code if row.certificate else "",
            _certificate_status(row.certificate, completed=row.completed_at is not None),
        ]
        body.append(line)
    return header, body
