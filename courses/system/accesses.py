"""The record of accesses to personal data (courses.models.AccessRecord): one call where a
page or an export hands someone's data to someone."""

from __future__ import annotations

from django.http import HttpRequest

from courses.models import AccessRecord, Cohort, User


def record(
    *,
    by: User | None,
    action: str,
    subject: User | None = None,
    cohort: Cohort | None = None,
    detail: str = "",
) -> None:
    AccessRecord.objects.create(
        by=by,
        action=action,
        subject=subject,
        cohort=cohort,
        detail=detail[:200],
    )


def viewer(request: HttpRequest) -> User | None:
    user = request.user
    return user if isinstance(user, User) else None
