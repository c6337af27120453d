from __future__ import annotations

from courses.models import User


def user_profile_update(*, user: User, full_name: str, professional_id: str) -> User:
    """The name printed on certificates and the optional RPPS number (already validated)."""
    user.full_name = full_name.strip()
    user.professional_id = professional_id
    user.save(update_fields=["full_name", "professional_id"])
    return user
