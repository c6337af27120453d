"""The demo accounts `make run` creates (README lists them)."""

from __future__ import annotations

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.db import transaction

from courses.models import Course, User


@dataclass(frozen=True)
class DemoAccount:
    email: str
    password: str
    full_name: str
    role: str
    superuser: bool = False


DEMO_ACCOUNTS = (
    DemoAccount("apprenante@example.org", "Soins-Onco-2026", "Camille Martin", User.Role.LEARNER),
    DemoAccount(
        "formatrice@example.org", "Cadre-Onco-2026", "Sophie Bernard", User.Role.INSTRUCTOR
    ),
    DemoAccount(
        "admin@example.org", "Admin-Onco-2026", "Admin OncoForma", User.Role.INSTRUCTOR, True
    ),
)


@transaction.atomic
def demo_accounts_ensure(*, course: Course | None) -> list[tuple[DemoAccount, bool]]:
    """Create the demo accounts if missing (e-mail verified); make the instructor course staff.

    An existing account keeps its password: a demo someone changed stays as they left it.
    """
    results = []
    for account in DEMO_ACCOUNTS:
        user = User.objects.filter(email=account.email).first()
        created = user is None
        if user is None:
            user = User(
                email=account.email,
                full_name=account.full_name,
                role=account.role,
                is_staff=account.superuser,
                is_superuser=account.superuser,
            )
            user.set_password(account.password)
            user.save()
        EmailAddress.objects.update_or_create(
            user=user, email=account.email, defaults={"verified": True, "primary": True}
        )
        if course is not None and account.role == User.Role.INSTRUCTOR and not account.superuser:
            course.instructors.add(user)
        results.append((account, created))
    return results
