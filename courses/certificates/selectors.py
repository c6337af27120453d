"""Reads of certificates."""

from __future__ import annotations

from django.db.models import QuerySet

from courses.catalog.selectors import course_can_manage
from courses.models import Certificate, User

from . import codes


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


def certificates_of_user(*, user: User) -> QuerySet[Certificate]:
    return Certificate.objects.filter(enrollment__user=user).order_by("-issued_at")
