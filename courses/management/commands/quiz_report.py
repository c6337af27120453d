"""python manage.py quiz_report --course SLUG [--dropped]

Per lesson: the items generation keeps and drops (and why), items per 100 words against the
aim of 3, and the important facts no item tests yet. A report, not a gate.
"""

from __future__ import annotations

from collections import Counter

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from courses.itembank.services import course_lessons, lesson_texts, lessons_generate
from courses.models import Course

AIM_PER_100_WORDS = 3.0


class Command(BaseCommand):
    help = _("Report what quiz generation keeps and drops for each lesson of a course.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--course", required=True, metavar="SLUG")
        parser.add_argument(
            "--dropped", action="store_true", help=_("List every dropped item with its flaws.")
        )

    def handle(self, *args, **options) -> None:
        course = Course.objects.filter(slug=options["course"]).first()
        if course is None:
            raise CommandError(_("No course with the slug %(slug)s.") % {"slug": options["course"]})
        lessons = course_lessons(course=course)
        quizzes = lessons_generate(lesson_texts(lessons))
        total_kept = total_words = 0
        reasons: Counter[str] = Counter()
        for lesson, quiz in zip(lessons, quizzes, strict=True):
            total_kept += len(quiz.kept)
            total_words += quiz.words
            kinds = Counter(item.kind for item in quiz.kept)
            dropped = Counter(flaw.code for entry in quiz.dropped for flaw in entry.flaws)
            reasons.update(dropped)
            self.stdout.write(f"\n{lesson.title} [{lesson.pk}]")
            self.stdout.write(
                "  "
                + _(
                    "%(words)d words, %(kept)d items kept (%(per100).1f per 100 words; aim "
                    "%(aim).0f), %(dropped)d dropped"
                )
                % {
                    "words": quiz.words,
                    "kept": len(quiz.kept),
                    "per100": quiz.items_per_100_words,
                    "aim": AIM_PER_100_WORDS,
                    "dropped": len(quiz.dropped),
                }
            )
            if kinds:
                self.stdout.write("  " + _("kinds: %(kinds)s") % {"kinds": _counts(kinds)})
            if dropped:
                self.stdout.write(
                    "  " + _("dropped for: %(reasons)s") % {"reasons": _counts(dropped)}
                )
            if quiz.facts:
                untested = [fact for fact in quiz.facts if fact not in quiz.covered]
                self.stdout.write(
                    "  "
                    + _("facts tested: %(tested)d of %(total)d")
                    % {"tested": len(quiz.covered), "total": len(quiz.facts)}
                    + (
                        " — " + _("not yet: %(facts)s") % {"facts": ", ".join(untested)}
                        if untested
                        else ""
                    )
                )
            if options["dropped"]:
                for entry in quiz.dropped:
                    codes = ", ".join(f"{flaw.code} ({flaw.message})" for flaw in entry.flaws)
                    self.stdout.write(f"    - {entry.item.stem[:90]} … → {codes}")
        per100 = 100 * total_kept / total_words if total_words else 0.0
        self.stdout.write(
            "\n"
            + _(
                "Course: %(kept)d items for %(words)d words, %(per100).1f per 100 words "
                "(aim %(aim).0f)"
            )
            % {"kept": total_kept, "words": total_words, "per100": per100, "aim": AIM_PER_100_WORDS}
        )
        if reasons:
            self.stdout.write(_("Dropped, by reason: %(reasons)s") % {"reasons": _counts(reasons)})


def _counts(counter: Counter[str]) -> str:
    return ", ".join(f"{name} {count}" for name, count in counter.most_common())
