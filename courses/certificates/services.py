"""Issuing certificates: exactly one original per completion, whatever the deliveries.

The flow (CONVENTIONS 3, "record the work owed in the same transaction"):

1. ``completion_record_if_due`` creates a ``CourseCompletion`` in the learner's transaction:
   the completion is the record that a certificate is owed.
2. ``certificate_request`` publishes the issue task once that transaction commits, through a
   connection with sub-second timeouts and no retries: a broker that is down or frozen costs
   the learner's request under a second, never an error page.
3. ``certificate_issue`` (the task's body) is idempotent: the completion row is locked, the
   original certificate created at most once (a unique constraint backs the lock), its PDF
   rendered at most once under one name, its e-mail sent at most once.
4. ``certificates_owed_publish`` (beat, every CERTIFICATE_SWEEP_SECONDS, and the
   ``issue_pending_certificates`` command) publishes again whatever is still owed: a publish
   that failed, a worker killed with the message unacknowledged.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from courses.models import Certificate, CourseCompletion, User
from courses.system import mail
from courses.system.broker import publish, publish_many
from courses.system.mail import footer_context

from . import codes, pdf, tasks
from .selectors import DEFAULT_NATURE, assessment_results, course_objectives

log = logging.getLogger(__name__)


def verify_url(code: str) -> str:
    return settings.SITE_BASE_URL + reverse("certificate_verify", kwargs={"code": code})


# --- publishing ------------------------------------------------------------------------------


def certificate_request(*, completion: CourseCompletion) -> None:
    """Owe a certificate for ``completion``: publish its issue once the transaction commits."""
    certificates_request(completion_ids=[completion.pk])


def certificates_request(*, completion_ids: list[int]) -> None:
    """The same for many completions at once: one connection to the broker for all of them."""
    if not completion_ids:
        return
    jobs = [(tasks.certificate_issue_task, pk) for pk in completion_ids]
    transaction.on_commit(lambda: publish_many(jobs))


def certificate_publish(*, completion_id: int) -> bool:
    """Publish the issue task of a completion (see ``courses.system.broker.publish``)."""
    return publish(tasks.certificate_issue_task, completion_id)


def certificates_owed(*, older_than: timedelta | None = None):  # type: ignore[no-untyped-def]
    """Completions whose original certificate is missing, unrendered or not yet e-mailed."""
    done = Certificate.objects.filter(
        completion=OuterRef("pk"),
        duplicate_of__isnull=True,
        rendered_at__isnull=False,
        email_sent_at__isnull=False,
    )
    owed = CourseCompletion.objects.filter(~Exists(done))
    if older_than is not None:
        owed = owed.filter(completed_at__lte=timezone.now() - older_than)
    return owed.order_by("completed_at", "pk")


def duplicates_undelivered(*, older_than: timedelta | None = None):  # type: ignore[no-untyped-def]
    """Re-issued certificates whose PDF or e-mail is still to do."""
    pending = Certificate.objects.filter(duplicate_of__isnull=False).filter(
        Q(rendered_at__isnull=True) | Q(email_sent_at__isnull=True, enrollment__isnull=False)
    )
    if older_than is not None:
        pending = pending.filter(issued_at__lte=timezone.now() - older_than)
    return pending.order_by("issued_at", "pk")


def certificates_owed_publish(*, limit: int = 500, grace: timedelta | None = None) -> int:
    """Publish again every certificate still owed after a grace period; return how many."""
    if grace is None:
        grace = timedelta(seconds=settings.CERTIFICATE_SWEEP_GRACE_SECONDS)
    owed = [
        (tasks.certificate_issue_task, pk)
        for pk in certificates_owed(older_than=grace).values_list("pk", flat=True)[:limit]
    ] + [
        (tasks.certificate_deliver_task, pk)
        for pk in duplicates_undelivered(older_than=grace).values_list("pk", flat=True)[:limit]
    ]
    # One connection for the whole sweep; the first failure ends it (the next sweep retries).
    return publish_many(owed)


# --- issuing ---------------------------------------------------------------------------------


def certificate_snapshot(completion: CourseCompletion) -> dict[str, object]:
    enrollment = completion.enrollment
    user: User = enrollment.user
    course = enrollment.course
    issued_at = timezone.now()
    expires_at = None
    if course.certificate_validity_months:
        expires_at = issued_at + timedelta(days=round(30.44 * course.certificate_validity_months))
    with translation.override(settings.LANGUAGE_CODE):
        objectives = course_objectives(course)
        nature = course.training_nature.strip() or str(DEFAULT_NATURE)
    return {
        "enrollment": enrollment,
        "full_name": user.full_name or user.email,
        "professional_id": user.professional_id,
        "course_title": course.title,
        "contact_hours": course.contact_hours,
        "completion_date": timezone.localdate(completion.completed_at),
        "issuer": settings.CERTIFICATE_ISSUER,
        "signer_name": settings.CERTIFICATE_SIGNER_NAME,
        "signer_title": settings.CERTIFICATE_SIGNER_TITLE,
        "issued_at": issued_at,
        "expires_at": expires_at,
        "objectives": objectives,
        "training_nature": nature,
        "started_date": timezone.localdate(enrollment.enrolled_at),
        "results": assessment_results(enrollment=enrollment, until=completion.completed_at),
    }


def _new_certificate(**fields: Any) -> Certificate:
    """Create a certificate with a fresh code (a code collision, at 100 bits, is retried)."""
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Certificate.objects.create(code=codes.new_code(), **fields)
        except IntegrityError:
            if (
                Certificate.objects.filter(
                    completion=fields.get("completion"), duplicate_of=fields.get("duplicate_of")
                ).exists()
                and fields.get("duplicate_of") is None
            ):
                raise
    raise RuntimeError("could not draw a unique certificate code")


def certificate_issue(*, completion_id: int) -> Certificate | None:
    """Issue (or finish issuing) the original certificate of a completion. Idempotent."""
    with transaction.atomic():
        # Lock the completion row only ("of"): a plain FOR UPDATE would lock the joined
        # enrolment, user and course rows too, serialising every issue of the course and
        # blocking the inserts that reference them.
        completion = (
            CourseCompletion.objects.select_for_update(of=("self",))
            .select_related("enrollment__user", "enrollment__course")
            .filter(pk=completion_id)
            .first()
        )
        if completion is None:
            return None
        certificate = Certificate.objects.filter(
            completion=completion, duplicate_of__isnull=True
        ).first()
        if certificate is None:
            certificate = _new_certificate(
                completion=completion, **certificate_snapshot(completion)
            )
    return certificate_deliver(certificate_id=certificate.pk)


def certificate_deliver(*, certificate_id: int) -> Certificate:
    """Render the PDF and send the e-mail of a certificate, each at most once."""
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate_id)
        if certificate.rendered_at is None:
            name = f"certificates/{certificate.code}.pdf"
            content = certificate_pdf(certificate)
            # One file per certificate: a retried render replaces it under the same name.
            if default_storage.exists(name):
                default_storage.delete(name)
            saved = default_storage.save(name, ContentFile(content))
            Certificate.objects.filter(pk=certificate.pk).update(
                file=saved, rendered_at=timezone.now()
            )
    with transaction.atomic():
        # "of": the enrolment is a nullable foreign key, an outer join PostgreSQL cannot lock.
        certificate = (
            Certificate.objects.select_for_update(of=("self",))
            .select_related("enrollment__user")
            .get(pk=certificate_id)
        )
        if certificate.email_sent_at is None and certificate.enrollment is not None:
            _send_email(certificate)
            Certificate.objects.filter(pk=certificate.pk).update(email_sent_at=timezone.now())
    return Certificate.objects.get(pk=certificate_id)


def certificate_pdf(certificate: Certificate) -> bytes:
    with translation.override(settings.LANGUAGE_CODE):
        return pdf.render(
            pdf.CertificateDocument(
                code=certificate.code,
                verify_url=verify_url(certificate.code),
                full_name=certificate.full_name,
                professional_id=certificate.professional_id,
                course_title=certificate.course_title,
                hours=certificate.hours_label,
                completion_date=certificate.completion_date,
                issued_date=timezone.localdate(certificate.issued_at),
                expires_date=(
                    timezone.localdate(certificate.expires_at) if certificate.expires_at else None
                ),
                issuer=certificate.issuer,
                signer_name=certificate.signer_name,
                signer_title=certificate.signer_title,
                duplicate_of=certificate.duplicate_of.code if certificate.duplicate_of else None,
                objectives=tuple(line for line in certificate.objectives.splitlines() if line),
                training_nature=certificate.training_nature,
                started_date=certificate.started_date,
                results=tuple(
                    pdf.QuizResult(
                        lesson=entry["lesson"],
                        score=entry["score"],
                        total=entry["total"],
                        attempts=entry["attempts"],
                        passed=entry["passed"],
                        passed_on=(
                            date.fromisoformat(entry["passed_on"]) if entry["passed_on"] else None
                        ),
                    )
                    for entry in certificate.results
                ),
            )
        )


def _send_email(certificate: Certificate) -> None:
    assert certificate.enrollment is not None  # noqa: S101  (checked by the caller)
    user = certificate.enrollment.user
    context = {
        "certificate": certificate,
        "name": certificate.full_name,
        "download_url": settings.SITE_BASE_URL
        + reverse("courses:certificate_download", kwargs={"code": certificate.code}),
        "verify_url": verify_url(certificate.code),
        **footer_context(),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Your certificate: %(course)s") % {"course": certificate.course_title}
        body = render_to_string("courses/certificates/email.txt", context)
    mail.send(subject=subject, body=body, to=user.email, kind="certificate")


# --- staff actions ---------------------------------------------------------------------------


def certificate_revoke(
    *,
    certificate: Certificate,
    reason: str,
    by: User,
    category: str = Certificate.RevocationCategory.OTHER,
) -> Certificate:
    """Revoke with a category (what the public verification page says) and a reason (for
    staff and the holder); the certificate stays verifiable and says it was revoked."""
    if not reason.strip():
        raise ValueError("a revocation needs a reason")
    if category not in Certificate.RevocationCategory.values:
        raise ValueError(f"unknown revocation category {category!r}")
    Certificate.objects.filter(pk=certificate.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(),
        revoked_by=by,
        revocation_category=category,
        revocation_reason=reason.strip()[:300],
    )
    return Certificate.objects.get(pk=certificate.pk)


def certificate_reissue(*, certificate: Certificate, reason: str, by: User) -> Certificate:
    """A new certificate, marked as the duplicate of the original, with today's details.

    For a name or RPPS correction: the original keeps its date, code and file and stays
    verifiable; the duplicate gets its own code, PDF and e-mail.
    """
    original = certificate.duplicate_of or certificate
    completion_id = original.completion_id
    if completion_id is None:
        raise ValueError("the completion behind this certificate no longer exists")
    with transaction.atomic():
        completion = (
            CourseCompletion.objects.select_for_update(of=("self",))
            .select_related("enrollment__user", "enrollment__course")
            .get(pk=completion_id)
        )
        fields = certificate_snapshot(completion)
        duplicate = _new_certificate(
            completion=completion,
            duplicate_of=original,
            reissue_reason=reason.strip()[:300],
            **fields,
        )
        log.info("certificate %s re-issued as %s by %s", original.code, duplicate.code, by.pk)

    def deliver() -> None:
        publish(tasks.certificate_deliver_task, duplicate.pk)

    transaction.on_commit(deliver)
    return duplicate


class RectificationRefused(ValueError):
    """Nothing to rectify: not the holder's, revoked already, or already under her name."""


def certificate_rectify(*, certificate: Certificate, by: User) -> Certificate:
    """The holder corrected her name or RPPS number (RGPD art. 16): the certificate is
    re-issued under her profile as it is now, and the one under the old name is revoked as
    replaced (its verification page says so, without the reason). Once only: a second click
    finds it revoked."""
    with transaction.atomic():
        locked = (
            Certificate.objects.select_for_update(of=("self",))
            .select_related("enrollment__user")
            .get(pk=certificate.pk)
        )
        holder = locked.enrollment.user if locked.enrollment is not None else None
        if holder is None or holder.pk != by.pk:
            raise RectificationRefused("not the holder's certificate")
        if locked.revoked_at is not None:
            raise RectificationRefused("already revoked or replaced")
        if (locked.full_name, locked.professional_id) == (holder.full_name, holder.professional_id):
            raise RectificationRefused("the certificate already bears the profile's name")
        reason = _("Name or RPPS number corrected by the holder")
        duplicate = certificate_reissue(certificate=locked, reason=reason, by=by)
        certificate_revoke(
            certificate=locked,
            reason=reason,
            by=by,
            category=Certificate.RevocationCategory.REPLACED,
        )
    return duplicate
