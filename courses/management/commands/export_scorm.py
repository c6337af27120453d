"""python manage.py export_scorm SLUG --standard 1.2|2004 --output FILE.zip

The course as a SCORM package an LMS imports (docs/scorm.md): imsmanifest.xml at the root,
the official schemas, one SCO per lesson with its quiz.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from courses.models import Course
from courses.scorm.manifest import STANDARDS
from courses.scorm.package import ScormError, package_build


class Command(BaseCommand):
    help = _("Export a course as a SCORM 1.2 or 2004 package (a zip for an LMS).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help=_("The course's slug."))
        parser.add_argument("--standard", choices=STANDARDS, required=True)
        parser.add_argument("--output", required=True, help=_("The zip file to write."))

    def handle(self, *args, **options) -> None:
        course = Course.objects.filter(slug=options["slug"]).first()
        if course is None:
            raise CommandError(_("No course with the slug %(slug)s.") % {"slug": options["slug"]})
        try:
            data = package_build(course=course, standard=options["standard"])
        except ScormError as error:
            raise CommandError(str(error)) from error
        output = Path(options["output"])
        if not output.parent.is_dir():
            raise CommandError(
                _("The folder %(folder)s does not exist.") % {"folder": output.parent}
            )
        # Written beside the target, then renamed: never a half-written zip under its name.
        handle, temporary = tempfile.mkstemp(dir=output.parent, suffix=".part")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            os.replace(temporary, output)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        self.stdout.write(
            _("%(file)s: SCORM %(standard)s, %(size)d KB.")
            % {"file": output, "standard": options["standard"], "size": len(data) // 1024 + 1}
        )
