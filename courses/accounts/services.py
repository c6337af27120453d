from __future__ import annotations

from django.contrib.sessions.backends.base import SessionBase

from courses.models import User


def user_profile_update(*, user: User, full_name: str, professional_id: str) -> User:
    """The name printed on certificates and the optional RPPS number (already validated)."""
    user.full_name = full_name.strip()
    user.professional_id = professional_id
    user.save(update_fields=["full_name", "professional_id"])
    return user


# An address proved by following a link that was e-mailed to it (a cohort invitation). Our own
# session key, not allauth's ``stash_verified_email``: allauth would make the stashed address the
# new account's primary one even when the person signs up with another; here it only spares the
# confirmation e-mail to whoever signs up with that very address.
INVITED_EMAIL_SESSION_KEY = "courses_invited_email"


def invited_email_remember(*, session: SessionBase, email: str) -> None:
    session[INVITED_EMAIL_SESSION_KEY] = email.strip().lower()


def invited_email_is(*, session: SessionBase, email: str) -> bool:
    invited = session.get(INVITED_EMAIL_SESSION_KEY)
    return bool(invited) and invited == email.strip().lower()
