from __future__ import annotations

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import (
    Cohort,
    CohortMembership,
    Invitation,
    InvitationObjection,
    SentEmail,
    User,
)
from courses.models.privacy import email_digest


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


def _successor(cohort: Cohort, *, leaving: User) -> User | None:
    """Who takes over a cohort its owner leaves: a co-instructor, else an administrator."""
    co = cohort.co_instructors.exclude(pk=leaving.pk).filter(is_active=True).order_by("pk").first()
    if co is not None:
        return co
    return (
        User.objects.filter(is_superuser=True, is_active=True, erased_at__isnull=True)
        .exclude(pk=leaving.pk)
        .order_by("pk")
        .first()
    )


def account_erase(*, user: User) -> None:
    """Erase an account (RGPD art. 17), at its holder's request or an administrator's.

    The person's name, address and RPPS number leave the account, the cohorts (their rows
    in rosters, exports and reports), pending invitations and the record of e-mails sent; the
    account can no longer sign in, and the address can sign up again. What the training-record
    retention keeps (progress, attempts, certificates) stays attached to the anonymous account;
    issued certificates still verify under the issued name until that retention ends
    (`retention_apply`). Cohorts the person owns go first to a co-instructor, else to an
    administrator: with neither, ErasureRefused.
    """
    if user.erased_at is not None:
        return
    owned = list(Cohort.objects.filter(owner=user).prefetch_related("co_instructors"))
    successors = {cohort.pk: _successor(cohort, leaving=user) for cohort in owned}
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
