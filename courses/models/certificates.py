"""Certificates: what was printed, verifiable for years, never rewritten."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .catalog import hours_display, hours_label
from .progress import CourseCompletion, Enrollment

# What a certificate printed: these never change once it is issued (a correction is a
# re-issue, a new certificate marked as the duplicate of the original).
ISSUED_FIELDS = (
    "code",
    "full_name",
    "professional_id",
    "course_title",
    "contact_hours",
    "completion_date",
    "issuer",
    "signer_name",
    "signer_title",
    "issued_at",
    "expires_at",
    "objectives",
    "training_nature",
    "started_date",
    "results",
)


class CertificateImmutable(ValueError):
    """An attempt to change what an issued certificate says."""


class Certificate(models.Model):
    class Status(models.TextChoices):
        VALID = "valid", _("Valid")
        REVOKED = "revoked", _("Revoked")
        EXPIRED = "expired", _("Expired")

    code = models.CharField(_("verification code"), max_length=40, unique=True, editable=False)
    completion = models.ForeignKey(
        CourseCompletion,
        verbose_name=_("completion"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="certificates",
    )
    enrollment = models.ForeignKey(
        Enrollment,
        verbose_name=_("enrolment"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="certificates",
    )
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("duplicate of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
        help_text=_("Set on a re-issue: the original certificate it replaces."),
    )
    # What the certificate says (a snapshot: it stays verifiable if the account goes).
    full_name = models.CharField(_("full name"), max_length=150)
    professional_id = models.CharField(_("RPPS number"), max_length=11, blank=True)
    course_title = models.CharField(_("course"), max_length=200)
    contact_hours = models.DecimalField(_("contact hours"), max_digits=5, decimal_places=1)
    completion_date = models.DateField(_("completion date"))
    issuer = models.CharField(_("issuing organisation"), max_length=200)
    signer_name = models.CharField(_("signer"), max_length=150)
    signer_title = models.CharField(_("signer's title"), max_length=150, blank=True)
    issued_at = models.DateTimeField(_("issued"))
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    # What the end-of-training certificate (attestation de fin de formation, Code du travail
    # L6353-1) adds: the objectives, the nature of the training, when it began, and the
    # results of the assessment, one entry per quiz (see certificates.services).
    objectives = models.TextField(_("objectives"), blank=True)
    training_nature = models.CharField(_("nature of the training"), max_length=300, blank=True)
    started_date = models.DateField(_("start date"), null=True, blank=True)
    results = models.JSONField(_("assessment results"), default=list, blank=True)
    # Its delivery.
    file = models.FileField(_("PDF"), upload_to="certificates/", blank=True)
    rendered_at = models.DateTimeField(_("rendered"), null=True, blank=True)
    email_sent_at = models.DateTimeField(_("e-mail sent"), null=True, blank=True)
    reissue_reason = models.CharField(_("re-issue reason"), max_length=300, blank=True)
    # Its revocation.
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    # What the public verification page says of a revocation: a fixed category, never staff's
    # free text (the reason, for staff and the holder only).
    class RevocationCategory(models.TextChoices):
        ISSUED_IN_ERROR = "issued_in_error", _("Issued in error")
        NOT_COMPLETED = "not_completed", _("Training not completed as required")
        REPLACED = "replaced", _("Replaced by another certificate")
        OTHER = "other", _("Another reason")

    revocation_category = models.CharField(
        _("revocation category"),
        max_length=24,
        choices=RevocationCategory.choices,
        blank=True,
    )
    revocation_reason = models.CharField(_("revocation reason"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at", "-id"]
        constraints = [
            # Exactly one original certificate per completion, whatever the task deliveries.
            models.UniqueConstraint(
                fields=["completion"],
                condition=Q(duplicate_of__isnull=True),
                name="certificate_one_original_per_completion",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.full_name}"

    def save(self, *args, **kwargs) -> None:
        issued = getattr(self, "_issued", None)
        if issued:
            changed = [name for name, value in issued.items() if getattr(self, name) != value]
            if changed:
                raise CertificateImmutable(
                    f"certificate {issued.get('code')}: {', '.join(changed)} cannot change"
                )
        super().save(*args, **kwargs)
        self._issued = {name: getattr(self, name) for name in ISSUED_FIELDS}

    def get_absolute_url(self) -> str:
        return reverse("certificate_verify", kwargs={"code": self.code})

    @classmethod
    def from_db(cls, db, field_names, values):  # type: ignore[no-untyped-def,override]
        instance = super().from_db(db, field_names, values)
        instance._issued = {
            name: getattr(instance, name) for name in ISSUED_FIELDS if name in field_names
        }
        return instance

    @property
    def status(self) -> str:
        if self.revoked_at is not None:
            return self.Status.REVOKED
        if self.expires_at is not None and self.expires_at <= timezone.now():
            return self.Status.EXPIRED
        return self.Status.VALID

    @property
    def is_original(self) -> bool:
        return self.duplicate_of_id is None

    @property
    def hours_label(self) -> str:
        return hours_label(self.contact_hours)

    @property
    def hours_display(self) -> str:
        return hours_display(self.contact_hours)
