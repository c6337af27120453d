"""Reads for cohorts: who teaches a cohort, who is in it, invitations, and a learner's own
cohorts. (What the learners did in a cohort is courses/reporting.)"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.utils import timezone

from courses.access import cohorts_visible
from courses.models import (
    Cohort,
    CohortMembership,
    CourseCompletion,
    Invitation,
    User,
)


def cohorts_listed(*, user: User) -> QuerySet[Cohort]:
    """The cohorts this user may see (access.cohorts_visible), with their member counts, the
    latest first."""
    return (
        cohorts_visible(user=user)
        .select_related("course", "owner")
        .annotate(members=Count("memberships", distinct=True))
        .order_by("-starts_on", "name")
    )


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
