"""python manage.py setup_demo: the course imported from fixtures/documents/, demo accounts,
and a demo cohort (the demo learner among 40 seeded learners, owned by the demo instructor).

Safe to run again: the import is idempotent, existing accounts are left as they are, and the
demo cohort is made once.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.urls import reverse
from django.utils.translation import gettext as _

from courses.accounts.demo import DEMO_ACCOUNTS, demo_accounts_ensure
from courses.cohorts.demo import SeedError, cohort_seed
from courses.cohorts.services import cohort_join
from courses.models import Cohort, Course, User

DOCUMENTS = Path(settings.BASE_DIR) / "fixtures" / "documents"
DEMO_COHORT = "IDE oncologie — promotion démo"


class Command(BaseCommand):
    help = _("Import the fixture documents into the demo course and create the demo accounts.")

    def handle(self, *args, **options) -> None:
        paths = sorted(str(path) for path in DOCUMENTS.iterdir() if path.suffix in {".txt", ".md"})
        call_command("import_document", *paths, stdout=self.stdout, stderr=self.stderr)
        course = Course.objects.get(slug=settings.COURSES_DEFAULT_COURSE_SLUG)
        for account, created in demo_accounts_ensure(course=course):
            state = _("created") if created else _("already there")
            self.stdout.write(
                _("%(role)s: %(email)s / %(password)s (%(state)s)")
                % {
                    "role": account.role,
                    "email": account.email,
                    "password": account.password,
                    "state": state,
                }
            )
        self._demo_cohort(course)

    def _demo_cohort(self, course: Course) -> None:
        if Cohort.objects.filter(course=course, name=DEMO_COHORT).exists():
            return
        owner = User.objects.get(email=DEMO_ACCOUNTS[1].email)
        learner = User.objects.get(email=DEMO_ACCOUNTS[0].email)
        try:
            cohort = cohort_seed(course=course, owner=owner, learners=40, name=DEMO_COHORT)
        except SeedError as error:
            # Without approved questions (QUIZ_AUTO_APPROVE off) there are no attempts to seed.
            self.stdout.write(_("No demo cohort: %(reason)s") % {"reason": error})
            return
        cohort_join(cohort=cohort, user=learner)
        self.stdout.write(
            _("Demo cohort “%(name)s”: %(url)s")
            % {
                "name": cohort.name,
                "url": settings.SITE_BASE_URL
                + reverse("courses:cohort_dashboard", kwargs={"pk": cohort.pk}),
            }
        )
