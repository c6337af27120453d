"""What a serving process checks before it serves: it refuses to start rather than run unsafely.

gunicorn (gunicorn.conf.py, and elearn.wsgi for any other server), the Celery worker and beat
(elearn.celery) call `require_secret_key` once settings are loaded. Management commands do not:
building the image (collectstatic, compilemessages) needs no real key.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured

# The key settings fall back to when SECRET_KEY is unset: published with the code, so anything
# it signs (sessions, unsubscribe links, e-mail confirmations) could be forged.
DEVELOPMENT_SECRET_KEY = "django-insecure-development-only-never-use-this-key-in-production"  # noqa: S105
# Django's own measure of a key too weak to sign with (security.W009).
MIN_LENGTH = 50
MIN_UNIQUE_CHARACTERS = 5


def secret_key_problem(settings: Any) -> str | None:
    """Why this process must not serve with its SECRET_KEY, in one line; None when it may."""
    if settings.DEBUG:
        return None
    key = settings.SECRET_KEY or ""
    if not key or key == DEVELOPMENT_SECRET_KEY:
        why = "SECRET_KEY is not set (the development key, published with the code, is in use)"
    elif key.startswith("django-insecure"):
        why = "SECRET_KEY is a development key (it starts with 'django-insecure')"
    elif len(key) < MIN_LENGTH or len(set(key)) < MIN_UNIQUE_CHARACTERS:
        why = (
            f"SECRET_KEY is too weak (fewer than {MIN_LENGTH} characters or too few distinct ones)"
        )
    else:
        return None
    return (
        f"Refusing to start: {why} and DEBUG is off. Set SECRET_KEY to {MIN_LENGTH} or more "
        "random characters (docs/deployment.md)."
    )


def require_secret_key() -> None:
    """Raise ImproperlyConfigured, with a one-line message, if this process must not serve."""
    from django.conf import settings

    problem = secret_key_problem(settings)
    if problem:
        raise ImproperlyConfigured(problem)
