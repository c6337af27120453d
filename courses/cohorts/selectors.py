"""Reads for cohorts: who teaches a cohort, who is in it, invitations, and a learner's own
cohorts. (What the learners did in a cohort is courses/reporting.)"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import segno
from django.conf import settings
from django.core import signing
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from courses.access import cohorts_visible
from courses.models import (
    Cohort,
    CohortMembership,
    CourseCompletion,
    DeadlineReminder,
    Invitation,
    InvitationObjection,
    LateReminder,
    User,
)

from .csvimport import Row

# Signs the reminders' unsubscribe links (no login: the signature is the proof).
UNSUBSCRIBE_SALT = "courses.cohorts.reminders"


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
    return (
        Invitation.objects.select_related("cohort__course", "invited_by")
        .filter(token=token)
        .first()
    )


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


def invitation_in_cohort(*, cohort: Cohort, pk: int) -> Invitation | None:
    return Invitation.objects.filter(cohort=cohort, pk=pk).first()


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


# --- list import, links -----------------------------------------------------------------------


@dataclass
class RosterPlan:
    """What confirming an imported list will do: nothing is written before that. Everyone not
    in the cohort yet is invited, account or not: a list never says who has an account, and
    nobody is enrolled without accepting."""

    invite: list[Row] = field(default_factory=list)  # invited by e-mail (and in the site)
    already: list[Row] = field(default_factory=list)  # already in the cohort
    # Asked, from an earlier invitation, never to be invited again (courses/privacy).
    objected: list[Row] = field(default_factory=list)


def roster_plan(*, cohort: Cohort, rows: Sequence[Row]) -> RosterPlan:
    """Sort the rows of a list into invite / already a member of this cohort / objected to
    invitations (two queries)."""
    emails = [row.email.lower() for row in rows]
    members = {
        email.lower()
        for email in CohortMembership.objects.annotate(email_key=Lower("enrollment__user__email"))
        .filter(cohort=cohort, email_key__in=emails)
        .values_list("enrollment__user__email", flat=True)
    }
    objected = InvitationObjection.objects.among(emails)
    plan = RosterPlan()
    for row in rows:
        if row.email.lower() in members:
            plan.already.append(row)
        elif row.email.lower() in objected:
            plan.objected.append(row)
        else:
            plan.invite.append(row)
    return plan


def join_url(cohort: Cohort) -> str:
    """The cohort's shared invitation link, as instructors hand it out (in the site's
    language: the link is for others, whatever language the instructor reads in)."""
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse("courses:cohort_join", kwargs={"token": cohort.invite_token})
    return settings.SITE_BASE_URL + path


def join_qr_svg(cohort: Cohort) -> SafeString:
    """The invitation link as a QR code, inline SVG (no image request, nothing for the CSP to
    allow): to project on a slide or print; a phone's camera opens the link."""
    svg = segno.make(join_url(cohort), error="m").svg_inline(
        scale=5, border=4, dark="#074245", light="#ffffff", svgclass="join-qr__code", omitsize=True
    )
    return mark_safe(svg)  # noqa: S308  (segno's own markup of a URL we built)


def unsubscribe_token(membership: CohortMembership) -> str:
    return signing.dumps({"m": membership.pk}, salt=UNSUBSCRIBE_SALT, compress=True)


def membership_from_unsubscribe_token(token: str) -> CohortMembership | None:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return CohortMembership.objects.filter(pk=data.get("m")).select_related("cohort").first()


# --- reminding learners behind ----------------------------------------------------------------


def day_span(day: date) -> tuple[datetime, datetime]:
    """The local day as a half-open range of aware datetimes (for ``sent_at`` lookups)."""
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def members_behind(*, cohort: Cohort) -> QuerySet[CohortMembership]:
    """Active members who have not completed the course (whatever the date)."""
    return CohortMembership.objects.filter(
        cohort=cohort, enrollment__user__is_active=True, enrollment__completion__isnull=True
    )


@dataclass(frozen=True)
class ReminderPlan:
    """Who "Relancer les apprenant·es en retard" would e-mail today, and who it leaves out."""

    cohort: Cohort
    today: date
    opens_on: date  # the first day reminding is possible: the cohort's reminder window
    to_remind: int  # how many would be e-mailed
    shown: list[CohortMembership]  # the first of them by name, for the page
    opted_out: int  # behind, but they asked for no more reminders
    reminded_today: int  # behind, but already e-mailed today (by anyone, or the automatic one)

    @property
    def open(self) -> bool:
        return self.today >= self.opens_on

    @property
    def deadline_passed(self) -> bool:
        return self.today > self.cohort.deadline

    @property
    def more(self) -> int:
        return self.to_remind - len(self.shown)


def _reminded_today(today: date) -> Q:
    start, end = day_span(today)
    return Q(Exists(LateReminder.objects.filter(enrollment=OuterRef("enrollment"), day=today))) | Q(
        Exists(
            DeadlineReminder.objects.filter(
                membership__enrollment=OuterRef("enrollment"), sent_at__gte=start, sent_at__lt=end
            )
        )
    )


def _behind_now(cohort: Cohort, today: date) -> QuerySet[CohortMembership]:
    behind = members_behind(cohort=cohort)
    return behind if today >= cohort.reminders_open_on else behind.none()


def members_to_remind(*, cohort: Cohort, today: date) -> QuerySet[CohortMembership]:
    """The members behind on the cohort's deadline (not completed, the deadline past or inside
    the reminder window) who did not opt out and were not e-mailed today, by name."""
    return (
        _behind_now(cohort, today)
        .filter(reminders_opt_out=False)
        .exclude(_reminded_today(today))
        .select_related("enrollment__user")
        .order_by(Lower("enrollment__user__full_name"), Lower("enrollment__user__email"), "pk")
    )


def reminder_plan(*, cohort: Cohort, today: date, names: int = 50) -> ReminderPlan:
    """Reminding the cohort today: how many would be e-mailed (the first ``names`` of them
    named), how many opted out, how many were already e-mailed today. Two queries, however
    large the cohort."""
    reminded = _reminded_today(today)
    counts = _behind_now(cohort, today).aggregate(
        opted_out=Count("pk", filter=Q(reminders_opt_out=True)),
        reminded=Count("pk", filter=Q(reminded, reminders_opt_out=False)),
        to_remind=Count("pk", filter=Q(reminders_opt_out=False) & ~Q(reminded)),
    )
    return ReminderPlan(
        cohort=cohort,
        today=today,
        opens_on=cohort.reminders_open_on,
        to_remind=counts["to_remind"],
        shown=list(members_to_remind(cohort=cohort, today=today)[:names]) if names else [],
        opted_out=counts["opted_out"],
        reminded_today=counts["reminded"],
    )
