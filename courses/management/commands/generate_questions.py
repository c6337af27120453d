"""python manage.py generate_questions --course SLUG [--lesson ID ...]"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from courses.itembank.services import course_items_generate
from courses.models import Course


class Command(BaseCommand):
    help = _(
        "Generate the course's quiz items again. New items are drafts (approved with "
        "QUIZ_AUTO_APPROVE); reviewed items are kept as they are."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--course", required=True, metavar="SLUG")
        parser.add_argument("--lesson", type=int, action="append", metavar="ID")

    def handle(self, *args, **options) -> None:
        course = Course.objects.filter(slug=options["course"]).first()
        if course is None:
            raise CommandError(_("No course with the slug %(slug)s.") % {"slug": options["course"]})
        report = course_items_generate(course=course, lesson_ids=options["lesson"])
        self.stdout.write(
            _(
                "%(lessons)d lessons: %(created)d new questions (%(approved)d approved), "
                "%(refreshed)d drafts refreshed, %(kept)d reviewed kept, %(sent_back)d sent "
                "back to review"
            )
            % {
                "lessons": len(report.quizzes),
                "created": report.created,
                "approved": report.approved,
                "refreshed": report.refreshed,
                "kept": report.kept,
                "sent_back": report.sent_back,
            }
        )
