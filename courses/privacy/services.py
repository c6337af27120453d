from __future__ import annotations

from django.db import transaction

from courses.models import Invitation, InvitationObjection
from courses.models.privacy import email_digest


def invitation_object(*, invitation: Invitation) -> None:
    """The invited person objects (RGPD art. 21): every invitation to their address, in any
    cohort, is deleted with the name that came with it, and a digest of the address is kept so
    that no list invites them again."""
    email = invitation.email.strip().lower()
    with transaction.atomic():
        InvitationObjection.objects.get_or_create(email_digest=email_digest(email))
        Invitation.objects.filter(email__iexact=email, accepted_at__isnull=True).delete()
