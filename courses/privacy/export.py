"""Everything the site keeps about a person, as they download it (RGPD art. 15 and 20).

One JSON document, the same number of queries however long their history. A quiz attempt
still in progress shows the answers given, never which one is right: the server alone grades.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db.models import Prefetch, Q
from django.utils import timezone

from courses.certificates.services import verify_url
from courses.cohorts.services import inviter_name
from courses.models import (
    AccessRecord,
    AttemptAnswer,
    Certificate,
    CohortMembership,
    Enrollment,
    Invitation,
    LessonProgress,
    QuizAttempt,
    SatisfactionResponse,
    SentEmail,
    User,
)
from courses.quizzes import scoring

FORMAT_VERSION = 1


def _when(value: datetime | date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    return value.isoformat()


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def personal_data(*, user: User) -> dict[str, Any]:
    addresses = list(EmailAddress.objects.filter(user=user).order_by("email"))
    lowered = {address.email.lower() for address in addresses} | {user.email.lower()}
    memberships = list(
        CohortMembership.objects.filter(enrollment__user=user)
        .select_related("cohort__course")
        .order_by("joined_at")
    )
    enrollments = list(
        Enrollment.objects.filter(user=user)
        .select_related("course", "completion")
        .prefetch_related(
            Prefetch(
                "lesson_progress",
                queryset=LessonProgress.objects.select_related("lesson").order_by("completed_at"),
            ),
            Prefetch(
                "attempts",
                queryset=QuizAttempt.objects.select_related("lesson")
                .prefetch_related(
                    Prefetch("answers", queryset=AttemptAnswer.objects.order_by("position"))
                )
                .order_by("started_at"),
            ),
        )
        .order_by("enrolled_at")
    )
    return {
        "format": {"version": FORMAT_VERSION, "site": settings.SITE_NAME},
        "exported_at": _when(timezone.now()),
        "profile": {
            "email": user.email,
            "full_name": user.full_name,
            "professional_id": user.professional_id,
            "role": user.role,
            "date_joined": _when(user.date_joined),
            "last_login": _when(user.last_login),
            "email_addresses": [
                {"email": a.email, "verified": a.verified, "primary": a.primary} for a in addresses
            ],
        },
        "enrollments": [_enrollment(enrollment) for enrollment in enrollments],
        "certificates": [
            {
                "code": c.code,
                "course": c.course_title,
                "full_name": c.full_name,
                "professional_id": c.professional_id,
                "contact_hours": _number(c.contact_hours),
                "completion_date": _when(c.completion_date),
                "issued_at": _when(c.issued_at),
                "expires_at": _when(c.expires_at),
                "revoked_at": _when(c.revoked_at),
                "replaces": c.duplicate_of.code if c.duplicate_of else None,
                "verify_url": verify_url(c.code),
            }
            for c in Certificate.objects.filter(enrollment__user=user)
            .select_related("duplicate_of")
            .order_by("issued_at")
        ],
        "cohorts": [
            {
                "cohort": m.cohort.name,
                "course": m.cohort.course.title,
                "deadline": _when(m.cohort.deadline),
                "joined_at": _when(m.joined_at),
                "reminders_opt_out": m.reminders_opt_out,
            }
            for m in memberships
        ],
        "invitations": [
            {
                "cohort": i.cohort.name,
                "course": i.cohort.course.title,
                "email": i.email,
                "full_name_given": i.full_name,
                "invited_by": inviter_name(i),
                "issued_at": _when(i.issued_at),
                "accepted_at": _when(i.accepted_at),
            }
            for i in Invitation.objects.filter(email__in=lowered)
            .select_related("cohort__course", "invited_by")
            .order_by("issued_at")
        ],
        "satisfaction": [
            {
                "course": r.course.title,
                "questions": r.questions,
                "ratings": r.ratings,
                "comment": r.comment,
                "submitted_at": _when(r.submitted_at),
            }
            for r in SatisfactionResponse.objects.filter(enrollment__user=user)
            .select_related("course")
            .order_by("submitted_at")
        ],
        "accesses": _accesses(user, memberships),
        "emails_sent": [
            {"to": e.email, "subject": e.subject, "kind": e.kind, "sent_at": _when(e.sent_at)}
            for e in SentEmail.objects.filter(email__in=lowered).order_by("sent_at")
        ],
    }


def _enrollment(enrollment: Enrollment) -> dict[str, Any]:
    completion = getattr(enrollment, "completion", None)
    return {
        "course": enrollment.course.title,
        "enrolled_at": _when(enrollment.enrolled_at),
        "last_activity_at": _when(enrollment.last_activity_at),
        "extra_time_percent": enrollment.extra_time_percent,
        "completed_at": _when(completion.completed_at) if completion else None,
        "lessons_read": [
            {"lesson": p.lesson.title, "completed_at": _when(p.completed_at)}
            for p in enrollment.lesson_progress.all()
        ],
        "quiz_attempts": [_attempt(attempt) for attempt in enrollment.attempts.all()],
    }


def _attempt(attempt: QuizAttempt) -> dict[str, Any]:
    submitted = attempt.submitted_at is not None
    answers = {answer.position: answer for answer in attempt.answers.all()}
    questions = []
    for position, question in enumerate(attempt.items):
        snapshot = question["snapshot"]
        options = snapshot["options"]
        answer = answers.get(position)
        chosen = []
        if answer is not None:
            chosen = [
                options[o] for o in (answer.options or [answer.option]) if 0 <= o < len(options)
            ]
        entry: dict[str, Any] = {"question": snapshot["stem"], "options": options, "chosen": chosen}
        if submitted:  # graded: what was right may be said; before, never
            entry["right_answers"] = [options[k] for k in sorted(scoring.keys_of(snapshot))]
            entry["correct"] = answer.is_correct if answer is not None else False
        questions.append(entry)
    return {
        "lesson": attempt.lesson.title,
        "number": attempt.number,
        "started_at": _when(attempt.started_at),
        "submitted_at": _when(attempt.submitted_at),
        "score": attempt.score,
        "total": attempt.total,
        "passed": attempt.passed,
        "questions": questions,
    }


def _accesses(user: User, memberships: list[CohortMembership]) -> list[dict[str, Any]]:
    """The recorded accesses to her data: her pages and certificates opened by staff, the
    exports of her cohorts' results made while she was in them, her own downloads."""
    about_her = Q(subject=user)
    for membership in memberships:
        about_her |= Q(
            action=AccessRecord.Action.COHORT_EXPORTED,
            cohort_id=membership.cohort_id,
            at__gte=membership.joined_at,
        )
    records = AccessRecord.objects.filter(about_her).select_related("by", "cohort")
    return [
        {
            "at": _when(record.at),
            "action": record.get_action_display(),
            "by": record.by.get_full_name() if record.by else None,
            "cohort": record.cohort.name if record.cohort else None,
        }
        for record in records.order_by("at")
    ]
