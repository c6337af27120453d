"""python manage.py issue_pending_certificates [--now]

Publish the issue of every certificate still owed (what the beat sweeper does every
CERTIFICATE_SWEEP_SECONDS). With --now, issue them in this process instead, without Celery.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from courses.certificates import services


class Command(BaseCommand):
    help = _("Issue the certificates still owed (completions without a delivered certificate).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--now", action="store_true", help=_("Issue them here, without the broker.")
        )

    def handle(self, *args, **options) -> None:
        if options["now"]:
            issued = 0
            for completion_id in services.certificates_owed().values_list("pk", flat=True):
                if services.certificate_issue(completion_id=completion_id):
                    issued += 1
            for certificate_id in services.duplicates_undelivered().values_list("pk", flat=True):
                services.certificate_deliver(certificate_id=certificate_id)
                issued += 1
            self.stdout.write(_("%(count)d certificates issued.") % {"count": issued})
            return
        published = services.certificates_owed_publish(grace=timedelta(0))
        self.stdout.write(_("%(count)d certificates published for issue.") % {"count": published})
