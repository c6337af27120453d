"""python manage.py seed_cohort --learners N [--course SLUG] [--owner EMAIL] [--seed S]
                               [--name NAME]

A cohort of N seeded learners with realistic progress, attempts, completions and certificates
(demo/seeding.py), for demonstrations and benchmarks. By default: the demo course and
the demo instructor that `make run` (setup_demo) creates.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse
from django.utils.translation import gettext as _

from courses.management.demo import demo_allowed
from courses.models import Course, User
from demo.accounts import demo_account
from demo.seeding import SeedError, cohort_seed, cohort_seed_summary


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = _("Create a cohort of seeded learners with realistic attempts (demos, benchmarks).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--learners", required=True, type=_positive, metavar="N")
        parser.add_argument(
            "--course",
            default=None,
            metavar="SLUG",
            help=_("The course (default: the demo course)."),
        )
        parser.add_argument(
            "--owner",
            default=None,
            metavar="EMAIL",
            help=_("The instructor who owns the cohort (default: the demo instructor)."),
        )
        parser.add_argument(
            "--seed", type=int, default=0, help=_("The same seed makes the same learners.")
        )
        parser.add_argument("--name", default=None, help=_("The cohort's name."))

    def handle(self, *args, **options) -> None:
        demo_allowed()
        slug = options["course"] or settings.COURSES_DEFAULT_COURSE_SLUG
        course = Course.objects.filter(slug=slug).first()
        if course is None:
            raise CommandError(
                _("No course with the slug %(slug)s (run setup_demo for the demo course).")
                % {"slug": slug}
            )
        email = options["owner"] or demo_account(role=User.Role.INSTRUCTOR).email
        owner = User.objects.filter(email__iexact=email).first()
        if owner is None:
            raise CommandError(
                _("No account with the address %(email)s (run setup_demo for the demo accounts).")
                % {"email": email}
            )
        started = time.perf_counter()
        try:
            cohort = cohort_seed(
                course=course,
                owner=owner,
                learners=options["learners"],
                seed=options["seed"],
                name=options["name"],
            )
        except SeedError as error:
            raise CommandError(str(error)) from error
        seconds = time.perf_counter() - started
        made = cohort_seed_summary(cohort=cohort)
        self.stdout.write(
            _(
                "Cohort “%(name)s” (%(pk)d) of %(course)s, owned by %(owner)s, made in "
                "%(seconds).1f s:"
            )
            % {
                "name": cohort.name,
                "pk": cohort.pk,
                "course": course.title,
                "owner": owner.email,
                "seconds": seconds,
            }
        )
        self.stdout.write(
            "  "
            + _(
                "%(members)d learners: %(completed)d completed, %(in_progress)d in progress, "
                "%(not_started)d not started"
            )
            % {
                "members": made.members,
                "completed": made.completed,
                "in_progress": made.in_progress,
                "not_started": made.not_started,
            }
        )
        self.stdout.write(
            "  "
            + _(
                "%(read)d lessons read, %(attempts)d quiz attempts, %(answers)d answers, "
                "%(certificates)d certificates"
            )
            % {
                "read": made.lessons_read,
                "attempts": made.attempts,
                "answers": made.answers,
                "certificates": made.certificates,
            }
        )
        self.stdout.write(
            "  "
            + _("from %(start)s to %(end)s, deadline %(deadline)s (seed %(seed)d)")
            % {
                "start": cohort.starts_on.strftime("%d/%m/%Y"),
                "end": cohort.ends_on.strftime("%d/%m/%Y"),
                "deadline": cohort.deadline.strftime("%d/%m/%Y"),
                "seed": options["seed"],
            }
        )
        url = settings.SITE_BASE_URL + reverse("courses:cohort_dashboard", kwargs={"pk": cohort.pk})
        self.stdout.write(_("Dashboard: %(url)s") % {"url": url})
