"""What the demo commands (setup_demo, seed_cohort) share."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import CommandError
from django.utils.translation import gettext as _


def demo_allowed() -> None:
    """Demo data (accounts whose passwords are published, made-up learners) is made only in
    development or on a site that says it is a demonstration."""
    if not (settings.DEBUG or settings.DEMO):
        raise CommandError(
            _(
                "Demo data is made only in development: run with DEBUG=1, or with DEMO=1 on a "
                "demonstration site (the demo accounts' passwords are published)."
            )
        )
