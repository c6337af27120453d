"""Reads of certificates: by code, for a learner's pages, for a course's staff."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _lazy

from courses.access import course_can_manage
from courses.models import (
    Certificate,
    Course,
    CourseCompletion,
    Enrollment,
    Module,
    QuizAttempt,
    User,
)

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
        Certificate.objects.select_related("duplicate_of", "enrollment__course", "enrollment__user")
        .filter(code=normal)
        .first()
    )


def certificate_can_download(*, user: User, certificate: Certificate) -> bool:
    """Its learner, the course's staff and administrators; once the learner erased her
    account, administrators only (the public page still verifies it)."""
    if not user.is_authenticated or certificate.enrollment is None:
        return user.is_authenticated and user.is_superuser
    if certificate.enrollment.user_id == user.pk:
        return True
    if certificate.enrollment.user.erased_at is not None:
        return user.is_superuser
    return course_can_manage(user=user, course=certificate.enrollment.course)


# --- what the end-of-training certificate states ----------------------------------------------

# What the end-of-training certificate says of a course whose staff left these empty.
DEFAULT_NATURE = _lazy(
    "Training action (Code du travail, article L6313-1), delivered online: lessons to read and "
    "quizzes assessing what was learnt."
)
DEFAULT_OBJECTIVE = _lazy("Know the content of the module “%(title)s”.")


def course_objectives(course: Course) -> str:
    """The course's objectives, one a line: its staff's, else one per module (in the site's
    language: what the certificate prints)."""
    if course.objectives.strip():
        return "\n".join(line.strip() for line in course.objectives.splitlines() if line.strip())
    titles = (
        Module.objects.filter(course=course)
        .order_by("position", "id")
        .values_list("title", flat=True)
    )
    return "\n".join(str(DEFAULT_OBJECTIVE) % {"title": title} for title in titles)


def assessment_results(*, enrollment: Enrollment, until: datetime) -> list[dict[str, Any]]:
    """Each quiz the learner took before ``until``, in the course's order: the lesson, the best
    score, the attempts, and whether (and when first) it was passed. One query."""
    rows = (
        QuizAttempt.objects.filter(
            enrollment=enrollment,
            submitted_at__isnull=False,
            submitted_at__lte=until,
            lesson__archived_at__isnull=True,
        )
        .order_by("lesson__module__position", "lesson__module_id", "lesson__position", "number")
        .values_list("lesson_id", "lesson__title", "score", "total", "passed", "submitted_at")
    )
    results: dict[int, dict[str, Any]] = {}
    for lesson_id, title, score, total, passed, submitted_at in rows:
        entry = results.setdefault(
            lesson_id,
            {"lesson": title, "score": 0, "total": total, "attempts": 0, "passed": False,
             "passed_on": None},
        )  # fmt: skip
        entry["attempts"] += 1
        if total and (score or 0) * entry["total"] >= entry["score"] * total:
            entry["score"], entry["total"] = score or 0, total
        if passed and not entry["passed"]:
            entry["passed"] = True
            entry["passed_on"] = timezone.localdate(submitted_at).isoformat()
    return list(results.values())


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
    if shown.revoked_at is not None and any(
        c.rendered_at is None and c.revoked_at is None for c in certificates
    ):
        # Replaced (a rectified name): its successor is being issued.
        return LearnerCertificate(completed_at=completed_at, state=OWED)
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


def holder_certificates(*, user: User) -> list[Certificate]:
    """Every certificate issued to the user, newest first, re-issues and revoked ones included
    (one query): what her profile lists."""
    return list(
        Certificate.objects.filter(enrollment__user=user, rendered_at__isnull=False)
        .exclude(file="")
        .order_by("-issued_at", "-pk")
    )


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
    """The course's completions, newest first, each with its certificates (two queries).
    Those of erased accounts are left out: their certificates verify publicly, nowhere else."""
    completions = list(
        CourseCompletion.objects.filter(
            enrollment__course=course, enrollment__user__erased_at__isnull=True
        )
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
        .filter(code=normal, enrollment__course=course, enrollment__user__erased_at__isnull=True)
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
