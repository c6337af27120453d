"""Learners for the benches: enrolled in a course and logged in, many at once.

Each gets a session as django.contrib.auth.login writes it (stored where the server stores
sessions) and a CSRF cookie of her own; no one goes through the login form (one password hash
for all of them, so making thousands costs seconds).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote


@dataclass(frozen=True)
class Learner:
    user_id: int
    cookie: str  # the Cookie header: her session and CSRF cookies
    csrf_token: str

    @property
    def form_token(self) -> str:
        """The CSRF field of a form she posts."""
        return f"csrfmiddlewaretoken={quote(self.csrf_token)}"


def learners_make(*, count: int, course_slug: str, prefix: str = "bench") -> list[Learner]:
    """``count`` new learners enrolled in the course, each logged in."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.hashers import make_password
    from django.utils.crypto import get_random_string
    from django.utils.module_loading import import_string

    from courses.models import Course, Enrollment, User

    course = Course.objects.get(slug=course_slug)
    password = make_password(get_random_string(20))
    users = User.objects.bulk_create(
        User(
            email=f"{prefix}-{number}@example.org",
            full_name=f"Apprenante {number}",
            password=password,
        )
        for number in range(count)
    )
    Enrollment.objects.bulk_create(Enrollment(user=user, course=course) for user in users)
    store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")
    backend = settings.AUTHENTICATION_BACKENDS[0]
    learners = []
    for user in users:
        session = store()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = backend
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        token = get_random_string(32)
        learners.append(
            Learner(
                user_id=user.pk,
                cookie=f"{settings.SESSION_COOKIE_NAME}={session.session_key}; "
                f"{settings.CSRF_COOKIE_NAME}={token}",
                csrf_token=token,
            )
        )
    return learners
