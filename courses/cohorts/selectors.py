"""Reads for cohorts: who may see what, the instructor's dashboard, item analysis, exports.

Every page costs a constant number of queries whatever the cohort's size: aggregates per
learner come from correlated subqueries on indexed columns, and per-lesson cells are fetched
for the page's learners only, in one query per kind.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import (
    Count,
    F,
    FloatField,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Lower

from courses.catalog.selectors import Outline, course_outline
from courses.models import (
    AttemptAnswer,
    Certificate,
    Cohort,
    CohortMembership,
    CourseCompletion,
    Invitation,
    LessonProgress,
    QuestionItem,
    QuizAttempt,
    User,
)
from courses.progress import rules
from courses.progress.selectors import quizzes_passed_subquery

from . import analysis

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


# --- access ----------------------------------------------------------------------------------


def cohorts_visible(*, user: User) -> QuerySet[Cohort]:
    """The cohorts an instructor owns or shares (every cohort for an administrator)."""
    cohorts = Cohort.objects.select_related("course", "owner").annotate(
        members=Count("memberships", distinct=True)
    )
    if not user.is_superuser:
        cohorts = cohorts.filter(Q(owner=user) | Q(co_instructors=user)).distinct()
    return cohorts.order_by("-starts_on", "name")


def cohort_for_staff(*, user: User, pk: int) -> Cohort | None:
    """The cohort if this user owns or shares it (or is an administrator); else None."""
    if not user.is_authenticated:
        return None
    cohort = Cohort.objects.select_related("course", "owner").filter(pk=pk).first()
    if cohort is None:
        return None
    if user.is_superuser or cohort.owner_id == user.pk:
        return cohort
    if cohort.co_instructors.filter(pk=user.pk).exists():
        return cohort
    return None


def membership_in_cohort(*, cohort: Cohort, pk: int) -> CohortMembership | None:
    return (
        CohortMembership.objects.select_related("enrollment__user", "cohort")
        .filter(cohort=cohort, pk=pk)
        .first()
    )


def cohort_by_invite_token(*, token: str) -> Cohort | None:
    return Cohort.objects.select_related("course").filter(invite_token=token).first()


def invitation_by_token(*, token: str) -> Invitation | None:
    return Invitation.objects.select_related("cohort__course").filter(token=token).first()


def invitations_for_user(*, user: User) -> QuerySet[Invitation]:
    """Invitations waiting for this user's address, for cohorts they have not joined."""
    return (
        Invitation.objects.filter(email__iexact=user.email, accepted_at__isnull=True)
        .exclude(cohort__memberships__enrollment__user=user)
        .select_related("cohort__course")
        .order_by("cohort__deadline")
    )


def memberships_of_learner(*, user: User) -> QuerySet[CohortMembership]:
    return (
        CohortMembership.objects.filter(enrollment__user=user)
        .select_related("cohort__course")
        .order_by("cohort__deadline")
    )


# --- the dashboard ---------------------------------------------------------------------------


def _members(cohort: Cohort, outline: Outline) -> QuerySet[Any]:
    """The cohort's members, each annotated with their aggregates (one query)."""
    lesson_ids = [lesson.id for lesson in outline.lessons]
    read = (
        LessonProgress.objects.filter(
            enrollment=OuterRef("enrollment"),
            lesson_id__in=lesson_ids,
            lesson_version=F("lesson__version"),
        )
        .order_by()
        .values("enrollment")
        .annotate(n=Count("pk"))
        .values("n")
    )
    passed = quizzes_passed_subquery(OuterRef("enrollment"))
    completed = CourseCompletion.objects.filter(enrollment=OuterRef("enrollment")).values(
        "completed_at"
    )
    return (
        CohortMembership.objects.filter(cohort=cohort)
        .select_related("enrollment__user")
        .annotate(
            lessons_read=Coalesce(Subquery(read, output_field=IntegerField()), Value(0)),
            quizzes_passed=Coalesce(passed, Value(0)),
            completed_at=Subquery(completed[:1]),
        )
    )


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
    quiz_lessons: set[int]
    page: Page
    rows: list[LearnerRow]
    counts: dict[str, int]


def _cells(
    *, enrollment_ids: Sequence[int], outline: Outline, quiz_lessons: set[int]
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
    members: Sequence[CohortMembership], *, outline: Outline, with_quiz: set[int]
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


def quiz_lessons(outline: Outline) -> set[int]:
    return set(
        QuestionItem.objects.filter(
            lesson_id__in=[lesson.id for lesson in outline.lessons],
            status=QuestionItem.Status.APPROVED,
        )
        .order_by()
        .values_list("lesson_id", flat=True)
        .distinct()
    )


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
    with_quiz = quiz_lessons(outline)
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
    with_quiz = quiz_lessons(outline)
    members = list(_members(cohort, outline).order_by(*SORTS["name"], "pk"))
    return outline, _learner_rows(members, outline=outline, with_quiz=with_quiz)


def learner_row(*, cohort: Cohort, membership: CohortMembership) -> tuple[Outline, LearnerRow]:
    """One member's row of the table (aggregates, cells, certificate), for the drill-down."""
    outline = course_outline(course=cohort.course)
    with_quiz = quiz_lessons(outline)
    members = list(_members(cohort, outline).filter(pk=membership.pk))
    return outline, _learner_rows(members, outline=outline, with_quiz=with_quiz)[0]


def learner_attempts(*, membership: CohortMembership) -> QuerySet[QuizAttempt]:
    """A learner's submitted attempts in the cohort's course, for the drill-down."""
    return (
        QuizAttempt.objects.filter(enrollment=membership.enrollment, submitted_at__isnull=False)
        .select_related("lesson")
        .order_by("lesson__module__position", "lesson__position", "number")
    )


# --- charts ----------------------------------------------------------------------------------


def completion_dates(*, cohort: Cohort) -> list[date]:
    from django.utils import timezone

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
    answers: dict[int, dict[int, tuple[int | None, bool]]] = defaultdict(dict)
    option: int | None
    # The attempts again as a subquery: no list of thousands of ids sent back to the database.
    for attempt_id, position, option, correct in AttemptAnswer.objects.filter(
        attempt__in=firsts.values("pk")
    ).values_list("attempt_id", "position", "option", "is_correct"):
        answers[attempt_id][position] = (option, bool(correct))
    shown: dict[int, dict] = {}
    responses = []
    for attempt in chosen:
        row: list[analysis.Response] = []
        for position, question in enumerate(attempt["items"]):
            item_id = question["item"]
            snapshot = question["snapshot"]
            shown.setdefault(item_id, snapshot)
            option, correct = answers[attempt["pk"]].get(position, (None, False))
            row.append(analysis.Response(item=item_id, option=option, correct=correct))
        responses.append(analysis.AttemptResponses(responses=tuple(row)))
    stats = analysis.analyse(
        responses,
        items={item: (len(s["options"]), s["answer"]) for item, s in shown.items()},
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


# --- management and enrolment pages ----------------------------------------------------------


def cohort_co_instructors(*, cohort: Cohort) -> QuerySet[User]:
    return cohort.co_instructors.order_by("full_name", "email")


def cohort_co_instructor(*, cohort: Cohort, pk: str | int) -> User | None:
    try:
        return cohort.co_instructors.filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        return None


def cohort_member_count(*, cohort: Cohort) -> int:
    return CohortMembership.objects.filter(cohort=cohort).count()


def invitations_pending(*, cohort: Cohort) -> QuerySet[Invitation]:
    """Personal invitations not yet accepted, newest first."""
    return Invitation.objects.filter(cohort=cohort, accepted_at__isnull=True).order_by(
        "-created_at", "email"
    )


def is_member(*, cohort: Cohort, user: User) -> bool:
    return CohortMembership.objects.filter(cohort=cohort, enrollment__user=user).exists()


def account_exists(*, email: str) -> bool:
    return User.objects.filter(email__iexact=email).exists()


@dataclass(frozen=True)
class LearnerCohort:
    """A cohort as its learner sees it on their dashboard."""

    membership: CohortMembership
    cohort: Cohort
    completed: bool
    days_left: int  # negative once the deadline has passed

    @property
    def overdue(self) -> bool:
        return self.days_left < 0 and not self.completed


def learner_cohorts(*, user: User) -> list[LearnerCohort]:
    """The learner's own cohorts, soonest deadline first, with whether they finished (one
    query)."""
    from django.db.models import Exists
    from django.utils import timezone

    if not user.is_authenticated:
        return []
    today = timezone.localdate()
    memberships = (
        CohortMembership.objects.filter(enrollment__user=user)
        .select_related("cohort__course", "cohort__owner")
        .annotate(
            completed=Exists(CourseCompletion.objects.filter(enrollment=OuterRef("enrollment")))
        )
        .order_by("cohort__deadline", "cohort__name")
    )
    return [
        LearnerCohort(
            membership=membership,
            cohort=membership.cohort,
            completed=membership.completed,  # type: ignore[attr-defined]
            days_left=(membership.cohort.deadline - today).days,
        )
        for membership in memberships
    ]
