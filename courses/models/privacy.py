"""What the site keeps to honour people's data protection rights (courses/privacy)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def email_digest(email: str) -> str:
    """An address as the objection register keeps it: its SHA-256, never the address."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


class InvitationObjectionQuerySet(models.QuerySet["InvitationObjection"]):
    def among(self, emails: Iterable[str]) -> set[str]:
        """Those of ``emails`` (lower-cased) whose owner objected to invitations (one query)."""
        by_digest = {email_digest(email): email.strip().lower() for email in emails}
        found = self.filter(email_digest__in=by_digest).values_list("email_digest", flat=True)
        return {by_digest[digest] for digest in found}


class InvitationObjection(models.Model):
    """Someone asked, from an invitation e-mail, not to be invited any more (RGPD art. 21).

    Their invitation is deleted; only a digest of the address stays, so that a list imported
    later leaves them out without the site keeping the address itself.
    """

    email_digest = models.CharField(_("address digest"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("objected"), auto_now_add=True)

    objects = InvitationObjectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("objection to invitations")
        verbose_name_plural = _("objections to invitations")

    def __str__(self) -> str:
        return self.email_digest[:12]


class SentEmail(models.Model):
    """An e-mail the site sent: to which address, about what, when. Never its body: the links
    in it are tokens (invitations, unsubscribing, password resets). Part of what a person
    downloads of their data; kept RETENTION_LOG_DAYS."""

    email = models.EmailField(_("to"), db_index=True)  # lower-cased
    subject = models.CharField(_("subject"), max_length=255)
    kind = models.CharField(_("kind"), max_length=80)
    sent_at = models.DateTimeField(_("sent"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("e-mail sent")
        verbose_name_plural = _("e-mails sent")
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.sent_at:%Y-%m-%d}"


class AccessRecord(models.Model):
    """Who saw or took whose personal data, when (RGPD art. 5.2, accountability): course staff
    opening a learner's page or a certificate, exporting a cohort's results; a person exporting
    or erasing her data; an administrator erasing an account. Administrators read them in the
    admin; a person finds those about her in her data. Kept RETENTION_LOG_DAYS."""

    class Action(models.TextChoices):
        LEARNER_VIEWED = "learner_viewed", _("learner's page viewed")
        CERTIFICATE_VIEWED = "certificate_viewed", _("certificate viewed by staff")
        COHORT_EXPORTED = "cohort_exported", _("cohort's results exported")
        DATA_EXPORTED = "data_exported", _("own data downloaded")
        ACCOUNT_ERASED = "account_erased", _("account erased")

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    by = models.ForeignKey(
        "courses.User",
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=32, choices=Action.choices)
    subject = models.ForeignKey(
        "courses.User",
        verbose_name=_("whose data"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    cohort = models.ForeignKey(
        "courses.Cohort",
        verbose_name=_("cohort"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    detail = models.CharField(_("detail"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("access record")
        verbose_name_plural = _("access records")
        ordering = ["-at"]
        indexes = [models.Index(fields=["subject", "at"], name="accessrecord_subject")]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"
