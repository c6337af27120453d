"""python manage.py setup_demo: the course imported from fixtures/documents/, demo accounts.

Safe to run again: the import is idempotent and existing accounts are left as they are.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from courses.accounts.demo import demo_accounts_ensure
from courses.models import Course

DOCUMENTS = Path(settings.BASE_DIR) / "fixtures" / "documents"


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
