"""Cohorts: a group of learners taking a course together, with dates and instructors."""

from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .catalog import Course
from .progress import Enrollment


def new_token() -> str:
    """An unguessable token for a link (about 190 bits)."""
    return secrets.token_urlsafe(24)


class Cohort(models.Model):
    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="cohorts"
    )
    name = models.CharField(_("name"), max_length=150)
    starts_on = models.DateField(_("start date"))
    ends_on = models.DateField(_("end date"))
    deadline = models.DateField(
        _("completion deadline"), help_text=_("Learners should complete the course by then.")
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("reminder (days before the deadline)"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text=_("Learners who have not finished get one e-mail this many days before."),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="cohorts_owned",
    )
    co_instructors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("co-instructors"),
        related_name="cohorts_shared",
        blank=True,
    )
    invite_token = models.CharField(
        _("invitation link token"), max_length=64, unique=True, default=new_token, editable=False
    )
    invite_open = models.BooleanField(_("invitation link open"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="cohort_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(deadline__gte=F("starts_on")), name="cohort_deadline_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def reminders_open_on(self) -> date:
        """The day reminders may go to learners behind: reminder_days before the deadline."""
        return self.deadline - timedelta(days=self.reminder_days)


class CohortMembership(models.Model):
    """A learner in a cohort: their enrolment in the cohort's course carries the progress."""

    cohort = models.ForeignKey(
        Cohort, verbose_name=_("cohort"), on_delete=models.CASCADE, related_name="memberships"
    )
    enrollment = models.ForeignKey(
        Enrollment,
        verbose_name=_("enrolment"),
        on_delete=models.CASCADE,
        related_name="cohort_memberships",
    )
    joined_at = models.DateTimeField(_("joined"), default=timezone.now, editable=False)
    reminders_opt_out = models.BooleanField(_("no deadline reminders"), default=False)

    class Meta:
        verbose_name = _("cohort member")
        verbose_name_plural = _("cohort members")
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "enrollment"], name="cohortmembership_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cohort} — {self.enrollment}"


class Invitation(models.Model):
    """A personal invitation to a cohort, e-mailed to someone without an account yet."""

    cohort = models.ForeignKey(
        Cohort, verbose_name=_("cohort"), on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail address"))
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # When it was issued, or re-issued by a re-send: it expires INVITATION_EXPIRY_DAYS later.
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    # Re-sent by staff, at most INVITATION_MAX_RESENDS times.
    resends = models.PositiveSmallIntegerField(_("times re-sent"), default=0)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    # Sending is retried by a sweeper; an address the mail server keeps refusing stops after
    # INVITATION_MAX_SEND_ATTEMPTS, and the instructor sees it.
    send_attempts = models.PositiveSmallIntegerField(_("sending attempts"), default=0)
    # Set by the sender that is e-mailing it right now. A claim older than
    # INVITATION_CLAIM_SECONDS belongs to a sender that died (a worker killed mid-send): the
    # next sweep sends the invitation again rather than leaving it unsent for good.
    claimed_at = models.DateTimeField(_("being sent since"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(fields=["cohort", "email"], name="invitation_unique_email"),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.cohort}"

    @property
    def expires_at(self) -> datetime:
        return self.issued_at + timedelta(days=settings.INVITATION_EXPIRY_DAYS)

    @property
    def expired(self) -> bool:
        return self.accepted_at is None and self.expires_at <= timezone.now()


class DeadlineReminder(models.Model):
    """One reminder e-mail sent: at most one per member and deadline (a unique constraint)."""

    membership = models.ForeignKey(
        CohortMembership,
        verbose_name=_("cohort member"),
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    deadline = models.DateField(_("deadline"))
    sent_at = models.DateTimeField(_("sent"))

    class Meta:
        verbose_name = _("deadline reminder")
        verbose_name_plural = _("deadline reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "deadline"], name="deadlinereminder_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.membership} · {self.deadline}"


class LateReminder(models.Model):
    """A reminder an instructor sent to a learner behind on the cohort's deadline ("Relancer
    les apprenant·es en retard"): recorded when asked, e-mailed by a task. At most one per
    learner, course and day (a unique constraint): a second click, or a colleague's, the same
    day reminds nobody twice."""

    membership = models.ForeignKey(
        CohortMembership,
        verbose_name=_("cohort member"),
        on_delete=models.CASCADE,
        related_name="late_reminders",
    )
    # The learner's enrolment (the membership's), for the once-a-day rule across cohorts.
    enrollment = models.ForeignKey(
        Enrollment, verbose_name=_("enrolment"), on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField(_("day"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    message = models.TextField(_("message from the instructor"), blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    # Sent as invitations are: claimed by one sender, tried again by the sweeper on failure.
    send_attempts = models.PositiveSmallIntegerField(_("sending attempts"), default=0)
    claimed_at = models.DateTimeField(_("being sent since"), null=True, blank=True)

    class Meta:
        verbose_name = _("late reminder")
        verbose_name_plural = _("late reminders")
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "day"], name="latereminder_once_a_day"),
        ]
        indexes = [models.Index(fields=["sent_at", "day"], name="latereminder_owed")]

    def __str__(self) -> str:
        return f"{self.membership} · {self.day}"
