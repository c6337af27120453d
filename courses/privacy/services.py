from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from courses.models import (
    AccessRecord,
    Certificate,
    Cohort,
    CohortMembership,
    Enrollment,
    Invitation,
    InvitationObjection,
    SentEmail,
    User,
)
from courses.models.privacy import email_digest
from courses.system import accesses, mail
from courses.system.mail import footer_context

log = logging.getLogger(__name__)


def invitation_object(*, invitation: Invitation) -> None:
    """The invited person objects (RGPD art. 21): every invitation to their address, in any
    cohort, is deleted with the name that came with it, and a digest of the address is kept so
    that no list invites them again."""
    email = invitation.email.strip().lower()
    with transaction.atomic():
        InvitationObjection.objects.get_or_create(email_digest=email_digest(email))
        Invitation.objects.filter(email__iexact=email, accepted_at__isnull=True).delete()


class ErasureRefused(Exception):
    """An account cannot be erased yet; the message says why and what to do."""


def _successors(owned: list[Cohort], *, leaving: User) -> dict[int, User | None]:
    """Who takes over each cohort its owner leaves: a co-instructor, else an administrator
    (two queries however many cohorts)."""
    administrator = (
        User.objects.filter(is_superuser=True, is_active=True, erased_at__isnull=True)
        .exclude(pk=leaving.pk)
        .order_by("pk")
        .first()
    )
    successors: dict[int, User | None] = {}
    for cohort in owned:
        # The first active co-instructor (by pk) who is not the one leaving.
        co = [u for u in cohort.co_instructors.all() if u.is_active and u.pk != leaving.pk]
        successors[cohort.pk] = min(co, key=lambda u: u.pk) if co else administrator
    return successors


def account_erase(*, user: User, by: User | None = None, why: str = "") -> None:
    """Erase an account (RGPD art. 17), at its holder's request or an administrator's.

    The person's name, address and RPPS number leave the account, the cohorts (their rows
    in rosters, exports and reports), pending invitations and the record of e-mails sent; the
    account can no longer sign in, and the address can sign up again. What the training-record
    retention keeps (progress, attempts, certificates) stays attached to the anonymous account;
    issued certificates still verify under the issued name until that retention ends
    (`retention_apply`). Cohorts the person owns go first to a co-instructor, else to an
    administrator: with neither, ErasureRefused. The erasure is recorded (``by``: the person
    herself, an administrator, or nobody for the retention task; ``why``).
    """
    if user.erased_at is not None:
        return
    owned = list(Cohort.objects.filter(owner=user).prefetch_related("co_instructors"))
    successors = _successors(owned, leaving=user)
    orphans = [cohort.name for cohort in owned if successors[cohort.pk] is None]
    if orphans:
        raise ErasureRefused(
            _(
                "This account owns cohorts nobody else can take over (%(cohorts)s): add a "
                "co-instructor to them, or ask an administrator."
            )
            % {"cohorts": ", ".join(orphans)}
        )
    addresses = {user.email.lower()} | {
        email.lower()
        for email in EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    }
    with transaction.atomic():
        for cohort in owned:
            successor = successors[cohort.pk]
            assert successor is not None  # noqa: S101  (refused above)
            cohort.owner = successor
            cohort.save(update_fields=["owner"])
            cohort.co_instructors.remove(successor)
        user.cohorts_shared.clear()
        user.taught_courses.clear()
        CohortMembership.objects.filter(enrollment__user=user).delete()
        Invitation.objects.filter(email__in=addresses).delete()
        SentEmail.objects.filter(email__in=addresses).delete()
        EmailAddress.objects.filter(user=user).delete()
        user.email = f"erased-{user.pk}@erased.invalid"
        user.full_name = ""
        user.professional_id = ""
        user.is_active = False
        user.is_staff = False
        user.is_superuser = False
        user.set_unusable_password()  # every session it had is no longer valid
        user.erased_at = timezone.now()
        user.save()
        accesses.record(by=by, action=AccessRecord.Action.ACCOUNT_ERASED, subject=user, detail=why)


# --- retention ---------------------------------------------------------------------------------

# An account warned of its inactivity is anonymised this long after the warning, unless its
# holder signs in meanwhile.
INACTIVITY_GRACE = timedelta(days=30)


@dataclass
class RetentionResult:
    warned: int = 0
    erased: int = 0
    invitations_deleted: int = 0
    emails_forgotten: int = 0
    accesses_forgotten: int = 0
    records_deleted: int = 0
    certificates_anonymised: int = 0


def _years_ago(now: datetime, years: int) -> datetime:
    return now - timedelta(days=round(365.25 * years))


def retention_apply(*, now: datetime | None = None) -> RetentionResult:
    """What the retention periods of docs/privacy.md ask, applied once a day (beat):

    - an account nobody signed into for RETENTION_INACTIVE_ACCOUNT_YEARS is warned by e-mail,
      then erased INACTIVITY_GRACE later unless its holder signed in since;
    - an invitation nobody accepted is deleted once it expired;
    - the records of e-mails sent and of accesses go after RETENTION_LOG_DAYS;
    - an erased account's training records go RETENTION_TRAINING_RECORD_YEARS after its last
      activity, and its certificates are anonymised that long after they were issued.

    Safe to run twice: each step selects only what is still owed.
    """
    now = now or timezone.now()
    result = RetentionResult()
    inactive_since = _years_ago(now, settings.RETENTION_INACTIVE_ACCOUNT_YEARS)
    # A sign-in after the warning cancels it.
    User.objects.filter(
        inactivity_warned_at__isnull=False, last_login__gt=F("inactivity_warned_at")
    ).update(inactivity_warned_at=None)
    unused = User.objects.filter(erased_at__isnull=True, is_active=True).filter(
        Q(last_login__lt=inactive_since)
        | Q(last_login__isnull=True, date_joined__lt=inactive_since)
    )
    for user in unused.filter(inactivity_warned_at__isnull=True).order_by("pk"):
        try:
            _inactivity_warning_send(user, erase_on=now + INACTIVITY_GRACE)
        except Exception:
            log.exception("inactivity warning to user %s not sent", user.pk)
            continue
        User.objects.filter(pk=user.pk).update(inactivity_warned_at=now)
        result.warned += 1
    for user in unused.filter(inactivity_warned_at__lte=now - INACTIVITY_GRACE).order_by("pk"):
        try:
            account_erase(user=user, why="inactivity")
        except ErasureRefused as error:
            log.warning("inactive user %s not erased: %s", user.pk, error)
            continue
        result.erased += 1
    expired = now - timedelta(days=settings.INVITATION_EXPIRY_DAYS)
    result.invitations_deleted, _kinds = Invitation.objects.filter(
        accepted_at__isnull=True, issued_at__lt=expired
    ).delete()
    logs_since = now - timedelta(days=settings.RETENTION_LOG_DAYS)
    result.emails_forgotten, _kinds = SentEmail.objects.filter(sent_at__lt=logs_since).delete()
    result.accesses_forgotten, _kinds = AccessRecord.objects.filter(at__lt=logs_since).delete()
    kept_until = _years_ago(now, settings.RETENTION_TRAINING_RECORD_YEARS)
    stale = Enrollment.objects.filter(user__erased_at__isnull=False).filter(
        Q(last_activity_at__lt=kept_until)
        | Q(last_activity_at__isnull=True, enrolled_at__lt=kept_until)
    )
    # Certificates stay (their code still answers, without a name): deleting what they were
    # issued on (the enrolment, its completion) leaves them without either (SET_NULL).
    result.records_deleted, _kinds = stale.delete()
    # The only change an issued certificate ever takes: the name and RPPS number leave it,
    # and its PDF, once the retention of an erased holder's records has run out.
    old = (
        Certificate.objects.filter(issued_at__lt=kept_until)
        .filter(Q(enrollment__user__erased_at__isnull=False) | Q(enrollment__isnull=True))
        .exclude(full_name="", professional_id="")
    )
    for certificate in old.only("pk", "file"):
        if certificate.file:
            certificate.file.delete(save=False)
    result.certificates_anonymised = old.update(full_name="", professional_id="", file="")
    return result


def _inactivity_warning_send(user: User, *, erase_on: datetime) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "name": user.get_full_name(),
            "years": settings.RETENTION_INACTIVE_ACCOUNT_YEARS,
            "erase_on": timezone.localdate(erase_on),
            "login_url": settings.SITE_BASE_URL + reverse("account_login"),
            **footer_context(),
        }
        subject = _("Your account will be erased unless you sign in")
        body = render_to_string("courses/privacy/inactivity_email.txt", context)
    mail.send(subject=subject, body=body, to=user.email, kind="inactivity_warning")
