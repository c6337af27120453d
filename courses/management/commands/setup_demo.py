"""python manage.py setup_demo: the course imported from fixtures/documents/, the demo
accounts and a demo cohort (demo/site.py). Safe to run again.

The demo accounts' passwords are published (README): the command runs only with DEBUG=1 or
DEMO=1, and `check --deploy` errors while one of them still has its published password.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand
from django.urls import reverse
from django.utils.translation import gettext as _

from courses.management.demo import demo_allowed
from courses.models import User
from demo.site import demo_site_ensure


class Command(BaseCommand):
    help = _("Import the fixture documents into the demo course and create the demo accounts.")

    def handle(self, *args, **options) -> None:
        demo_allowed()
        site = demo_site_ensure(stdout=self.stdout, stderr=self.stderr)
        for account, created in site.accounts:
            self.stdout.write(
                _("%(role)s: %(email)s / %(password)s (%(state)s)")
                % {
                    "role": _("Administrator")
                    if account.superuser
                    else User.Role(account.role).label,
                    "email": account.email,
                    "password": account.password,
                    "state": _("created") if created else _("already there"),
                }
            )
        if site.waiting is not None:
            url = reverse(
                "courses:review_lesson", kwargs={"slug": site.course.slug, "pk": site.waiting.pk}
            )
            self.stdout.write(
                _("Questions waiting for review, lesson “%(title)s”: %(url)s")
                % {"title": site.waiting.title, "url": settings.SITE_BASE_URL + url}
            )
        if site.no_cohort:
            self.stdout.write(_("No demo cohort: %(reason)s") % {"reason": site.no_cohort})
        elif site.cohort is not None:
            url = reverse("courses:cohort_dashboard", kwargs={"pk": site.cohort.pk})
            self.stdout.write(
                _("Demo cohort “%(name)s”: %(url)s")
                % {"name": site.cohort.name, "url": settings.SITE_BASE_URL + url}
            )
