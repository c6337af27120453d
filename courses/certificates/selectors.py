"""Reads of certificates: by code, for a learner's pages, for a course's staff."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Q

from courses.access import course_can_manage
from courses.models import Certificate, Course, CourseCompletion, Enrollment, User

from . import codes

# What a learner's page says of a course's certificate.
INCOMPLETE = "incomplete"  # the course is not complete: no certificate is owed
OWED = "owed"  # complete, and its original certificate is not rendered yet
ISSUED = "issued"  # a rendered certificate to download (valid, revoked or expired)

# The staff page's filters: a certificate's status, or "pending" for one still being issued.
PENDING = "pending"
STATUS_FILTERS = (
    Certificate.Status.VALID,
    Certificate.Status.REVOKED,
    Certificate.Status.EXPIRED,
    PENDING,
)


def certificate_by_code(*, code: str) -> Certificate | None:
    """The certificate a code names, forgiving case, spaces and O/0, I/L/1 confusions."""
    normal = codes.normalize(code)
    if not normal:
        return None
    return (
        Certificate.objects.select_related("duplicate_of", "enrollment__course")
        .filter(code=normal)
        .first()
    )


def certificate_can_download(*, user: User, certificate: Certificate) -> bool:
    """Its learner, the course's staff and administrators."""
    if not user.is_authenticated or certificate.enrollment is None:
        return user.is_authenticated and user.is_superuser
    if certificate.enrollment.user_id == user.pk:
        return True
    return course_can_manage(user=user, course=certificate.enrollment.course)


# --- the learner's pages (dashboard, course page) ---------------------------------------------


@dataclass(frozen=True)
class LearnerCertificate:
    """A learner's certificate for one course, as their dashboard and course page show it."""

    completed_at: datetime | None
    state: str  # INCOMPLETE, OWED or ISSUED
    certificate: Certificate | None = None  # the one to show, when ISSUED

    @property
    def status(self) -> str | None:
        return self.certificate.status if self.certificate is not None else None


def learner_certificate(
    *, completed_at: datetime | None, certificates: Sequence[Certificate]
) -> LearnerCertificate:
    """What to show: nothing before completion; "being issued" until the original is rendered;
    then the newest rendered certificate, a valid one (a re-issue replaces its original) rather
    than a revoked one."""
    if completed_at is None and not certificates:
        return LearnerCertificate(completed_at=None, state=INCOMPLETE)
    rendered = [c for c in certificates if c.rendered_at is not None and c.file]
    if not any(c.is_original for c in rendered):
        return LearnerCertificate(completed_at=completed_at, state=OWED)
    # A certificate not revoked first, then the newest.
    shown = max(rendered, key=lambda c: (c.revoked_at is None, c.issued_at, c.pk))
    return LearnerCertificate(completed_at=completed_at, state=ISSUED, certificate=shown)


def certificates_by_enrollment(*, enrollment_ids: Iterable[int]) -> dict[int, list[Certificate]]:
    """The certificates of each enrolment, originals and re-issues (one query, none if empty)."""
    ids = list(enrollment_ids)
    found: dict[int, list[Certificate]] = {pk: [] for pk in ids}
    if not ids:
        return found
    for certificate in Certificate.objects.filter(enrollment_id__in=ids).order_by(
        "issued_at", "pk"
    ):
        assert certificate.enrollment_id is not None  # noqa: S101  (filtered on it)
        found[certificate.enrollment_id].append(certificate)
    return found


def enrollment_certificate(
    *, enrollment: Enrollment | None, completed_at: datetime | None
) -> LearnerCertificate:
    """The certificate a learner's course page shows (one query, none before completion)."""
    if enrollment is None or completed_at is None:
        return LearnerCertificate(completed_at=None, state=INCOMPLETE)
    certificates = certificates_by_enrollment(enrollment_ids=[enrollment.pk])[enrollment.pk]
    return learner_certificate(completed_at=completed_at, certificates=certificates)


# --- the course staff's page ------------------------------------------------------------------


@dataclass
class CompletionRow:
    """A learner who completed the course, with their original certificate and its re-issues."""

    completion: CourseCompletion
    original: Certificate | None
    duplicates: list[Certificate] = field(default_factory=list)

    @property
    def pending(self) -> bool:
        """The original is not issued yet, or its PDF not rendered."""
        return self.original is None or self.original.rendered_at is None

    def statuses(self) -> set[str]:
        found = {c.status for c in self.certificates}
        if self.pending:
            found.add(PENDING)
        return found

    @property
    def certificates(self) -> list[Certificate]:
        return ([self.original] if self.original else []) + self.duplicates


def status_filter(value: str | None) -> str:
    """The filter asked for in the query string; anything unknown shows every row."""
    return value if value in STATUS_FILTERS else ""


def rows_with_status(rows: Sequence[CompletionRow], *, status: str) -> list[CompletionRow]:
    """The rows holding a certificate of ``status`` ("pending": whose original is still being
    issued); every row for no status."""
    return [row for row in rows if not status or status in row.statuses()]


def course_completion_rows(*, course: Course) -> list[CompletionRow]:
    """The course's completions, newest first, each with its certificates (two queries)."""
    completions = list(
        CourseCompletion.objects.filter(enrollment__course=course)
        .select_related("enrollment__user")
        .order_by("-completed_at", "-pk")
    )
    by_completion: dict[int, list[Certificate]] = {c.pk: [] for c in completions}
    if completions:
        for certificate in Certificate.objects.filter(completion__in=completions).order_by(
            "issued_at", "pk"
        ):
            assert certificate.completion_id is not None  # noqa: S101  (filtered on it)
            by_completion[certificate.completion_id].append(certificate)
    rows = []
    for completion in completions:
        certificates = by_completion[completion.pk]
        original = next((c for c in certificates if c.is_original), None)
        rows.append(
            CompletionRow(
                completion=completion,
                original=original,
                duplicates=[c for c in certificates if not c.is_original],
            )
        )
    return rows


def certificate_in_course(*, course: Course, code: str) -> Certificate | None:
    """A certificate of the course, by its code (forgiving as the verification page is)."""
    normal = codes.normalize(code)
    if not normal:
        return None
    return (
        Certificate.objects.select_related(
            "duplicate_of", "enrollment__user", "completion", "revoked_by"
        )
        .filter(code=normal, enrollment__course=course)
        .first()
    )


def certificate_family(*, certificate: Certificate) -> list[Certificate]:
    """The original of ``certificate`` and all its re-issues, oldest first (one query)."""
    original_id = certificate.duplicate_of_id or certificate.pk
    return list(
        Certificate.objects.filter(Q(pk=original_id) | Q(duplicate_of_id=original_id))
        .select_related("revoked_by")
        .order_by("issued_at", "pk")
    )
