"""What course staff's home shows: their courses and cohorts, each with what needs them.

Two queries whatever the number of courses and cohorts: each count is a subquery of its row's
own query (progress.selectors.count_subquery).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from courses.access import cohorts_visible, courses_managed
from courses.models import (
    Certificate,
    Cohort,
    CohortMembership,
    Course,
    CourseCompletion,
    Enrollment,
    QuestionItem,
    SatisfactionResponse,
    User,
)
from courses.progress.selectors import count_subquery


def _late(*, today: date, **lookup: object) -> QuerySet[CohortMembership]:
    """Cohort members past their cohort's deadline who have not completed the course."""
    return CohortMembership.objects.filter(
        cohort__deadline__lt=today, enrollment__completion__isnull=True, **lookup
    )


def _certificates_waiting(course: OuterRef) -> QuerySet[CourseCompletion]:
    """Completions whose original certificate is not rendered yet (owed, or being issued)."""
    rendered = Certificate.objects.filter(
        completion=OuterRef("pk"), duplicate_of__isnull=True, rendered_at__isnull=False
    )
    return CourseCompletion.objects.filter(enrollment__course=course).exclude(Exists(rendered))


def taught_courses(*, user: User) -> QuerySet[Course]:
    """The courses this user manages (access.courses_managed), each annotated with: questions
    to review (drafts of active lessons), learners, completions, members late in its cohorts,
    certificates waiting, and satisfaction answers. One query."""
    today = timezone.localdate()
    course = OuterRef("pk")
    return courses_managed(user=user).annotate(
        to_review=count_subquery(
            QuestionItem.objects.filter(
                lesson__module__course=course,
                lesson__archived_at__isnull=True,
                status=QuestionItem.Status.DRAFT,
            ),
            per="lesson__module__course",
        ),
        learners=count_subquery(Enrollment.objects.filter(course=course), per="course"),
        completed=count_subquery(
            CourseCompletion.objects.filter(enrollment__course=course), per="enrollment__course"
        ),
        late=count_subquery(_late(today=today, cohort__course=course), per="cohort__course"),
        certificates_waiting=count_subquery(
            _certificates_waiting(course), per="enrollment__course"
        ),
        satisfaction=count_subquery(
            SatisfactionResponse.objects.filter(course=course), per="course"
        ),
    )


@dataclass(frozen=True)
class FollowedCohort:
    cohort: Cohort
    members: int
    completed: int
    late: int

    @property
    def deadline_passed(self) -> bool:
        return self.cohort.deadline < timezone.localdate()

    @property
    def days_left(self) -> int:
        return (self.cohort.deadline - timezone.localdate()).days


def followed_cohorts(*, user: User) -> list[FollowedCohort]:
    """The cohorts this user owns or shares (every one for an administrator), soonest deadline
    first, with their members, those who completed and those late. One query."""
    today = timezone.localdate()
    cohort = OuterRef("pk")
    rows = (
        cohorts_visible(user=user)
        .select_related("course")
        .annotate(
            member_count=count_subquery(
                CohortMembership.objects.filter(cohort=cohort), per="cohort"
            ),
            completed_count=count_subquery(
                CohortMembership.objects.filter(
                    cohort=cohort, enrollment__completion__isnull=False
                ),
                per="cohort",
            ),
            late_count=count_subquery(_late(today=today, cohort=cohort), per="cohort"),
        )
        .order_by("deadline", "name")
    )
    return [
        FollowedCohort(
            cohort=row,
            members=row.member_count,  # type: ignore[attr-defined]
            completed=row.completed_count,  # type: ignore[attr-defined]
            late=row.late_count,  # type: ignore[attr-defined]
        )
        for row in rows
    ]


def is_course_staff(*, user: User) -> bool:
    """Whether this user has a staff home: an administrator, or an instructor."""
    return user.is_authenticated and user.is_instructor
