"""The demo accounts `make run` creates (README lists them, passwords included).

They are data, in accounts.json beside this module: the product's deploy check
(courses/checks.py, DEMO_ACCOUNTS_FILE) reads the same file to refuse a production site where
one of them still has its published password, without importing this package.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from allauth.account.models import EmailAddress
from django.db import transaction

from courses.models import Course, User

ACCOUNTS_FILE = Path(__file__).resolve().with_name("accounts.json")


@dataclass(frozen=True)
class DemoAccount:
    email: str
    password: str
    full_name: str
    role: str
    superuser: bool = False


DEMO_ACCOUNTS = tuple(
    DemoAccount(**account) for account in json.loads(ACCOUNTS_FILE.read_text(encoding="utf-8"))
)


def demo_account(*, role: str, superuser: bool = False) -> DemoAccount:
    """The demo learner, the demo instructor, or (superuser) the demo administrator."""
    return next(
        account
        for account in DEMO_ACCOUNTS
        if account.role == role and account.superuser == superuser
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
