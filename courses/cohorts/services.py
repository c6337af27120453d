"""Cohorts: creating and sharing them, enrolling learners three ways, deadline reminders."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TypeVar

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from courses.models import (
    Cohort,
    CohortMembership,
    Course,
    CourseCompletion,
    DeadlineReminder,
    Invitation,
    LateReminder,
    User,
)
from courses.models.cohorts import new_token
from courses.progress import selectors as progress_selectors
from courses.progress.services import enrollment_create
from courses.system import mail
from courses.system.broker import publish, publish_many
from courses.system.mail import footer_context

from . import selectors, tasks
from .csvimport import Row

log = logging.getLogger(__name__)

Owed = TypeVar("Owed", Invitation, LateReminder)


class CohortError(ValueError):
    """A request the rules refuse; the message is for the user."""


def cohort_dates_errors(*, starts_on: date, ends_on: date, deadline: date) -> dict[str, str]:
    """What is wrong with a cohort's dates, by field: it ends, and its deadline falls, on or
    after its start."""
    errors = {}
    if ends_on < starts_on:
        errors["ends_on"] = _("The end date comes before the start date.")
    if deadline < starts_on:
        errors["deadline"] = _("The deadline comes before the start date.")
    return errors


def _check_dates(*, starts_on: date, ends_on: date, deadline: date) -> None:
    errors = cohort_dates_errors(starts_on=starts_on, ends_on=ends_on, deadline=deadline)
    if errors:
        raise CohortError(next(iter(errors.values())))


def cohort_create(
    *,
    course: Course,
    owner: User,
    name: str,
    starts_on: date,
    ends_on: date,
    deadline: date,
    reminder_days: int = 7,
) -> Cohort:
    _check_dates(starts_on=starts_on, ends_on=ends_on, deadline=deadline)
    return Cohort.objects.create(
        course=course,
        owner=owner,
        name=name.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        deadline=deadline,
        reminder_days=reminder_days,
    )


def cohort_update(
    *,
    cohort: Cohort,
    name: str,
    starts_on: date,
    ends_on: date,
    deadline: date,
    reminder_days: int,
) -> Cohort:
    _check_dates(starts_on=starts_on, ends_on=ends_on, deadline=deadline)
    cohort.name = name.strip()
    cohort.starts_on, cohort.ends_on, cohort.deadline = starts_on, ends_on, deadline
    cohort.reminder_days = reminder_days
    cohort.save()
    return cohort


def cohort_share(*, cohort: Cohort, email: str) -> User:
    """Share the cohort with another instructor, found by e-mail address."""
    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is None or not user.is_instructor:
        raise CohortError(_("No instructor has the address %(email)s.") % {"email": email})
    if user.pk == cohort.owner_id:
        raise CohortError(_("This instructor already owns the cohort."))
    cohort.co_instructors.add(user)
    return user


def cohort_unshare(*, cohort: Cohort, user: User) -> None:
    cohort.co_instructors.remove(user)


def invite_link_reset(*, cohort: Cohort, open: bool = True) -> Cohort:
    """A new link (the old one stops working), or the link closed."""
    cohort.invite_token = new_token()
    cohort.invite_open = open
    cohort.save(update_fields=["invite_token", "invite_open"])
    return cohort


def cohort_join(*, cohort: Cohort, user: User) -> CohortMembership:
    """Enrol the user in the cohort's course (if need be) and in the cohort. Idempotent."""
    enrollment, _created = enrollment_create(user=user, course=cohort.course)
    try:
        with transaction.atomic():
            membership, _created = CohortMembership.objects.get_or_create(
                cohort=cohort, enrollment=enrollment
            )
    except IntegrityError:
        membership = CohortMembership.objects.get(cohort=cohort, enrollment=enrollment)
    return membership


def membership_remove(*, membership: CohortMembership) -> None:
    """Out of the cohort; the learner keeps their enrolment, progress and certificates."""
    membership.delete()


# --- invitations -----------------------------------------------------------------------------


def invitation_url(invitation: Invitation) -> str:
    # In the site's language whatever the request's: the link goes into an e-mail.
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse("courses:invitation_accept", kwargs={"token": invitation.token})
    return settings.SITE_BASE_URL + path


def inviter_name(invitation: Invitation) -> str:
    """Who gave the invited address (RGPD art. 14): the instructor, or the controller once that
    account is gone."""
    by = invitation.invited_by
    if by is None or by.erased_at is not None:
        return settings.PRIVACY_CONTROLLER
    return by.get_full_name()


def invitation_send(*, invitation: Invitation) -> None:
    """The invitation e-mail itself (raises what the mail server raises)."""
    cohort = invitation.cohort
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Invitation: %(course)s") % {"course": cohort.course.title}
        body = render_to_string(
            "courses/cohorts/invitation_email.txt",
            {
                "invitation": invitation,
                "cohort": cohort,
                "url": invitation_url(invitation),
                "object_url": settings.SITE_BASE_URL
                + reverse("courses:privacy_invitation_object", kwargs={"token": invitation.token}),
                "controller": settings.PRIVACY_CONTROLLER,
                "who": inviter_name(invitation),
                **footer_context(),
            },
        )
    _send(subject=subject, body=body, to=invitation.email, kind="invitation")


def _unclaimed() -> Q:
    """No sender holds it: never claimed, given back, or claimed by a sender now dead."""
    expired = timezone.now() - timedelta(seconds=settings.INVITATION_CLAIM_SECONDS)
    return Q(claimed_at__isnull=True) | Q(claimed_at__lt=expired)


def invitations_owed(
    *, cohort_id: int | None = None, older_than: timedelta | None = None
) -> QuerySet[Invitation]:
    """Invitations whose e-mail is still to send (and still worth trying)."""
    owed = Invitation.objects.filter(
        _unclaimed(),
        sent_at__isnull=True,
        accepted_at__isnull=True,
        send_attempts__lt=settings.INVITATION_MAX_SEND_ATTEMPTS,
        issued_at__gt=timezone.now() - timedelta(days=settings.INVITATION_EXPIRY_DAYS),
    )
    if cohort_id is not None:
        owed = owed.filter(cohort_id=cohort_id)
    if older_than is not None:
        owed = owed.filter(created_at__lte=timezone.now() - older_than)
    return owed.order_by("pk")


def invitations_send_owed(
    *, cohort_id: int | None = None, older_than: timedelta | None = None, limit: int = 5000
) -> int:
    """E-mail the invitations owed; return how many went (each claimed once: _send_claimed)."""
    owed = invitations_owed(cohort_id=cohort_id, older_than=older_than).select_related(
        "cohort__course", "cohort__owner"
    )
    return _send_claimed(
        owed[:limit], send=lambda invitation: invitation_send(invitation=invitation)
    )


def _send_claimed(owed: Iterable[Owed], *, send: Callable[[Owed], None]) -> int:
    """E-mail each row owed (an Invitation or a LateReminder); return how many went.

    Each one is claimed before it is sent (``claimed_at`` set where no live sender holds it),
    so that the task published by a request, the sweeper and a second worker do not send one
    twice; ``sent_at`` is set once the mail server has taken it. A send that fails gives the
    claim back and counts an attempt: the next sweep tries again, up to
    INVITATION_MAX_SEND_ATTEMPTS. A sender killed between its claim and ``sent_at`` leaves a
    claim that expires after INVITATION_CLAIM_SECONDS, and the next sweep sends it: an
    e-mail is never lost, and is sent twice only if the sender dies in the instant between
    the mail server's answer and ``sent_at``. One refused address never stops the others.
    """
    sent = 0
    for row in owed:
        model = type(row)
        claimed_at = timezone.now()
        claimed = model.objects.filter(_unclaimed(), pk=row.pk, sent_at__isnull=True).update(
            claimed_at=claimed_at, send_attempts=F("send_attempts") + 1
        )
        if not claimed:
            continue
        try:
            send(row)
        except Exception:
            log.exception("%s %s not sent", model._meta.model_name, row.pk)
            model.objects.filter(pk=row.pk, claimed_at=claimed_at).update(claimed_at=None)
            continue
        model.objects.filter(pk=row.pk, sent_at__isnull=True).update(
            sent_at=timezone.now(), claimed_at=None
        )
        sent += 1
    return sent


def invitations_owed_publish() -> int:
    """Beat: publish the sending of what is still owed a minute after its import."""
    cohorts = (
        invitations_owed(older_than=timedelta(seconds=60))
        .order_by()
        .values_list("cohort_id", flat=True)
        .distinct()
    )
    return publish_many([(tasks.cohort_invitations_send_task, pk) for pk in cohorts])


def invitation_accept(*, invitation: Invitation, user: User) -> CohortMembership:
    """Join the cohort through a personal invitation, addressed to this user's e-mail and not
    expired (once accepted, following its link again only says so)."""
    if invitation.expired:
        raise CohortError(
            _(
                "This invitation expired on %(date)s. Ask the instructor who invited you to "
                "send it again."
            )
            % {"date": formats.date_format(timezone.localtime(invitation.expires_at))}
        )
    if invitation.email.lower() != user.email.lower():
        raise CohortError(
            _("This invitation is addressed to %(email)s. Log in with that address to accept it.")
            % {"email": invitation.email}
        )
    membership = cohort_join(cohort=invitation.cohort, user=user)
    if not user.full_name and invitation.full_name:
        user.full_name = invitation.full_name
        user.save(update_fields=["full_name"])
    Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
        accepted_at=timezone.now()
    )
    return membership


def invitation_resend(*, invitation: Invitation, resends: int) -> Invitation:
    """Send a personal invitation nobody accepted once more, issued anew (its expiry starts
    again), at most INVITATION_MAX_RESENDS times. ``resends`` is how many re-sends the page
    showed: a second submission of the same form, or a colleague's at the same time, finds
    it changed and sends nothing more."""
    if invitation.accepted_at is not None:
        raise CohortError(_("This invitation was accepted: there is nothing to send again."))
    if invitation.resends >= settings.INVITATION_MAX_RESENDS:
        raise CohortError(
            ngettext(
                "This invitation was already sent again %(count)d time, the most allowed.",
                "This invitation was already sent again %(count)d times, the most allowed.",
                settings.INVITATION_MAX_RESENDS,
            )
            % {"count": settings.INVITATION_MAX_RESENDS}
        )
    if invitation.sent_at is None and invitation in invitations_owed(
        cohort_id=invitation.cohort_id
    ):
        raise CohortError(_("This invitation is still being sent: wait for it to go first."))
    with transaction.atomic():
        changed = Invitation.objects.filter(
            pk=invitation.pk, accepted_at__isnull=True, resends=resends
        ).update(
            sent_at=None,
            claimed_at=None,
            send_attempts=0,
            resends=F("resends") + 1,
            issued_at=timezone.now(),
        )
        if not changed:
            raise CohortError(
                _("This invitation was sent again in the meantime: nothing more was sent.")
            )
        transaction.on_commit(lambda: invitations_publish(cohort_id=invitation.cohort_id))
    invitation.refresh_from_db()
    return invitation


# --- roster import ---------------------------------------------------------------------------


@dataclass
class RosterResult:
    invited: int = 0  # rows with an invitation pending, sent now or by an earlier import
    already: int = 0
    invitations_sent: int = 0  # of the invited, those e-mailed now (never e-mailed before)


def roster_import(*, cohort: Cohort, rows: Sequence[Row], by: User) -> RosterResult:
    """Apply a confirmed list: invite everyone not in the cohort yet (by e-mail; in the site
    too for an account's holder)."""
    plan = selectors.roster_plan(cohort=cohort, rows=rows)
    result = RosterResult(already=len(plan.already))
    with transaction.atomic():
        # Nobody is enrolled by a list: everyone accepts an invitation (an account's holder
        # sees it in the site too), so that a list reveals no account and enrols nobody
        # without consent.
        for row in plan.invite:
            invitation, _created = Invitation.objects.get_or_create(
                cohort=cohort,
                email=row.email.lower(),
                defaults={"full_name": row.full_name[:150], "invited_by": by},
            )
            result.invited += 1
            # The same list imported again must not e-mail everyone a second time; an
            # invitation whose e-mail failed (never sent) is tried again.
            if invitation.sent_at is None:
                result.invitations_sent += 1
        if result.invitations_sent:
            # The e-mails are owed from the commit on (sent_at empty): a task sends them, off the
            # instructor's request; if the broker is down, the sweeper publishes them later.
            transaction.on_commit(lambda: invitations_publish(cohort_id=cohort.pk))
    return result


def invitations_publish(*, cohort_id: int) -> bool:
    return publish(tasks.cohort_invitations_send_task, cohort_id)


# --- deadline reminders ----------------------------------------------------------------------


def reminders_unsubscribe(*, membership: CohortMembership) -> None:
    CohortMembership.objects.filter(pk=membership.pk).update(reminders_opt_out=True)


def reminders_due(*, today: date):  # type: ignore[no-untyped-def]
    """Members to remind: the cohort's reminder day has come, the deadline has not passed,
    they have not finished, they did not opt out, and no reminder went for this deadline."""
    cohorts = [
        pk
        for pk, deadline, days in Cohort.objects.filter(
            deadline__gte=today, deadline__lte=today + timedelta(days=90)
        ).values_list("pk", "deadline", "reminder_days")
        if deadline - timedelta(days=days) <= today
    ]
    sent = DeadlineReminder.objects.filter(
        membership=OuterRef("pk"), deadline=OuterRef("cohort__deadline")
    )
    completed = CourseCompletion.objects.filter(enrollment=OuterRef("enrollment"))
    return (
        CohortMembership.objects.filter(
            cohort_id__in=cohorts, reminders_opt_out=False, enrollment__user__is_active=True
        )
        .filter(~Exists(sent), ~Exists(completed))
        .select_related("cohort__course", "enrollment__user")
        .order_by("pk")
    )


def reminders_send(*, today: date | None = None) -> int:
    """Send each due reminder once per member and deadline; return how many went."""
    today = today or timezone.localdate()
    sent = 0
    for membership in reminders_due(today=today):
        try:
            with transaction.atomic():
                # The unique (membership, deadline) row is the guarantee: a second run, or a
                # second worker, cannot insert it again. The mail goes only if it was inserted.
                DeadlineReminder.objects.create(
                    membership=membership,
                    deadline=membership.cohort.deadline,
                    sent_at=timezone.now(),
                )
                _send_reminder(membership)
        except IntegrityError:
            continue  # another run, or another worker, sent this one
        except (OSError, ValueError):
            # A refused address or a mail server down (smtplib's errors are OSErrors; a bad
            # header a ValueError) must not hold back the other members: this one's row was
            # rolled back with its failure, so the next run tries it again.
            log.exception("deadline reminder for cohort member %s not sent", membership.pk)
            continue
        sent += 1
    return sent


# --- reminding learners behind ("Relancer les apprenant·es en retard") ---------------------------


def late_reminders_request(
    *, cohort: Cohort, by: User, message: str = "", today: date | None = None
) -> int:
    """Remind the members behind on the cohort's deadline (selectors.members_to_remind): each
    reminder is recorded now and e-mailed by a task; return how many were recorded. At most
    one per learner and day: the unique (enrolment, day) row is the guarantee, so a second
    click, a colleague's, or an automatic reminder gone today adds nobody."""
    today = today or timezone.localdate()
    if today < cohort.reminders_open_on:
        raise CohortError(
            _("Reminders open on %(date)s, %(days)d days before the deadline.")
            % {"date": formats.date_format(cohort.reminders_open_on), "days": cohort.reminder_days}
        )
    recorded = 0
    with transaction.atomic():
        for membership in list(selectors.members_to_remind(cohort=cohort, today=today)):
            try:
                with transaction.atomic():
                    LateReminder.objects.create(
                        membership=membership,
                        enrollment_id=membership.enrollment_id,
                        day=today,
                        requested_by=by,
                        message=message.strip(),
                    )
            except IntegrityError:
                continue  # reminded meanwhile (another click, another instructor)
            recorded += 1
        if recorded:
            transaction.on_commit(lambda: late_reminders_publish(cohort_id=cohort.pk))
    return recorded


def late_reminders_publish(*, cohort_id: int) -> bool:
    return publish(tasks.cohort_late_reminders_send_task, cohort_id)


def late_reminders_owed(*, cohort_id: int | None = None) -> QuerySet[LateReminder]:
    """Reminders recorded today and still to e-mail, to members who did not opt out since (a
    reminder not sent on its day is dropped: the next click records a new one)."""
    owed = LateReminder.objects.filter(
        _unclaimed(),
        sent_at__isnull=True,
        day=timezone.localdate(),
        send_attempts__lt=settings.INVITATION_MAX_SEND_ATTEMPTS,
        membership__reminders_opt_out=False,
    )
    if cohort_id is not None:
        owed = owed.filter(membership__cohort_id=cohort_id)
    return owed.order_by("pk")


def late_reminders_send_owed(*, cohort_id: int | None = None, limit: int = 5000) -> int:
    owed = late_reminders_owed(cohort_id=cohort_id).select_related(
        "membership__cohort__course",
        "membership__enrollment__user",
        "membership__enrollment__course",
        "requested_by",
    )
    return _send_claimed(
        owed[:limit],
        send=lambda reminder: _send_reminder(reminder.membership, late=reminder),
    )


def late_reminders_owed_publish() -> int:
    """Beat: publish again the sending of reminders still owed (a publish that failed)."""
    cohorts = (
        late_reminders_owed()
        .filter(created_at__lte=timezone.now() - timedelta(seconds=60))
        .order_by()
        .values_list("membership__cohort_id", flat=True)
        .distinct()
    )
    return publish_many([(tasks.cohort_late_reminders_send_task, pk) for pk in cohorts])


def _send_reminder(membership: CohortMembership, *, late: LateReminder | None = None) -> None:
    """The deadline reminder, automatic or (``late``) asked for by an instructor, with her
    message and what the learner has left to do."""
    cohort = membership.cohort
    course = cohort.course
    user = membership.enrollment.user
    # The links too are the site language's (no /en/ prefix), whatever language is active
    # where the reminder goes out.
    with translation.override(settings.LANGUAGE_CODE):
        token = selectors.unsubscribe_token(membership)
        context = {
            "name": user.full_name or user.email,
            "cohort": cohort,
            "course": course,
            "course_url": settings.SITE_BASE_URL + course.get_absolute_url(),
            "unsubscribe_url": settings.SITE_BASE_URL
            + reverse("courses:reminders_unsubscribe", kwargs={"token": token}),
            **footer_context(),
            "late": late,
            "deadline_passed": late is not None and late.day > cohort.deadline,
            "todo": progress_selectors.todo_text(
                progress_selectors.enrollment_todo(enrollment=membership.enrollment)
            ),
        }
        deadline = cohort.deadline.strftime("%d/%m/%Y")
        if context["deadline_passed"]:
            subject = _("Reminder: %(course)s, deadline passed (%(date)s)") % {
                "course": course.title,
                "date": deadline,
            }
        else:
            subject = _("Reminder: %(course)s to complete by %(date)s") % {
                "course": course.title,
                "date": deadline,
            }
        body = render_to_string("courses/cohorts/reminder_email.txt", context)
    # RFC 2369 and RFC 8058: mail clients offer their own "unsubscribe" button, which POSTs to
    # the same address (the view needs no login and no CSRF token, only the signed token).
    unsubscribe = context["unsubscribe_url"]
    _send(
        subject=subject,
        body=body,
        to=user.email,
        kind="late_reminder" if late is not None else "reminder",
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def _send(
    *, subject: str, body: str, to: str, kind: str, headers: dict[str, str] | None = None
) -> None:
    """One e-mail of the cohorts' (raises what the mail server raises), recorded as sent."""
    mail.send(subject=subject, body=body, to=to, kind=kind, headers=headers)


def invite_link_set_open(*, cohort: Cohort, open: bool) -> Cohort:
    """Close the shared link (nobody joins with it) or open it again, same address."""
    cohort.invite_open = open
    cohort.save(update_fields=["invite_open"])
    return cohort
