"""What `make run` shows: the course imported from fixtures/documents/, the demo accounts, a
demo cohort (the demo learner among 40 seeded learners, owned by the demo instructor), and one
lesson whose questions wait for the instructor's review.

Safe to run again: the import is idempotent, existing accounts are left as they are, and the
demo cohort is made once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from django.conf import settings
from django.core.management import call_command

from courses.cohorts.services import cohort_join
from courses.models import Cohort, Course, Lesson, QuestionItem, User

from .accounts import DemoAccount, demo_account, demo_accounts_ensure
from .seeding import SeedError, cohort_seed

DOCUMENTS = Path(settings.BASE_DIR) / "fixtures" / "documents"
DEMO_COHORT = "IDE oncologie — promotion démo"
DEMO_COHORT_LEARNERS = 40
# What the demo course's end-of-training certificate states as its objectives (course staff
# set them on the course's settings page); set once, never over an instructor's own.
DEMO_OBJECTIVES = (
    "Expliquer le mécanisme du syndrome de libération de cytokines et ses facteurs déclenchants\n"
    "Reconnaître les signes cliniques d’un syndrome de libération de cytokines et en évaluer "
    "la gravité\n"
    "Mettre en œuvre la surveillance infirmière d’un patient traité par cytokines\n"
    "Identifier les effets secondaires de la thérapie par cytokines et alerter l’équipe médicale"
)

# The demo course's presentation (catalogue card, course page), set once, never over an
# instructor's own: what it is, for whom, how long.
DEMO_DESCRIPTION = (
    "Le syndrome de libération de cytokines et la thérapie par cytokines en immunothérapie "
    "anticancéreuse : ce qui se passe, ce que l’infirmier·e surveille, quand alerter. Deux "
    "modules tirés de textes de référence, chacun suivi de quiz corrigés."
)
DEMO_AUDIENCE = (
    "Infirmier·es et étudiant·es en soins infirmiers des services d’oncologie et "
    "d’hématologie. Aucun prérequis au-delà de la formation initiale."
)


# Left for course staff to review: the approved questions of the course's last lesson with
# questions go back to draft when the demo is first made (`make run` approves the others).
WAITING_NOTE = "Laissée à relire pour la démonstration : approuvez, modifiez ou rejetez-la."


@dataclass
class DemoSite:
    course: Course
    accounts: list[tuple[DemoAccount, bool]] = field(default_factory=list)  # (account, created)
    cohort: Cohort | None = None  # made now; None when it existed or could not be made
    no_cohort: str = ""  # why no demo cohort could be made
    waiting: Lesson | None = None  # the lesson whose questions wait for review (made now)


def demo_review_leave(*, course: Course) -> Lesson | None:
    """Send the approved questions of the course's last lesson with any back to review, so
    that the review can be tried; the lesson, or None when no lesson has approved ones."""
    lesson = (
        Lesson.objects.filter(
            module__course=course,
            archived_at__isnull=True,
            items__status=QuestionItem.Status.APPROVED,
        )
        .order_by("-module__position", "-position")
        .first()
    )
    if lesson is None:
        return None
    QuestionItem.objects.filter(lesson=lesson, status=QuestionItem.Status.APPROVED).update(
        status=QuestionItem.Status.DRAFT,
        reviewed_at=None,
        reviewed_by=None,
        review_note=WAITING_NOTE,
    )
    return lesson


def demo_site_ensure(*, stdout: TextIO, stderr: TextIO) -> DemoSite:
    """Import the documents (the importer reports to ``stdout``), then the accounts and the
    demo cohort."""
    paths = sorted(str(path) for path in DOCUMENTS.iterdir() if path.suffix in {".txt", ".md"})
    call_command("import_document", *paths, stdout=stdout, stderr=stderr)
    course = Course.objects.get(slug=settings.COURSES_DEFAULT_COURSE_SLUG)
    Course.objects.filter(pk=course.pk, objectives="").update(objectives=DEMO_OBJECTIVES)
    Course.objects.filter(pk=course.pk, description="").update(description=DEMO_DESCRIPTION)
    Course.objects.filter(pk=course.pk, audience="").update(audience=DEMO_AUDIENCE)
    site = DemoSite(course=course, accounts=demo_accounts_ensure(course=course))
    if Cohort.objects.filter(course=course, name=DEMO_COHORT).exists():
        return site
    owner = User.objects.get(email=demo_account(role=User.Role.INSTRUCTOR).email)
    learner = User.objects.get(email=demo_account(role=User.Role.LEARNER).email)
    # Before the seeding: that lesson has no quiz for the seeded learners either. Once only
    # (with the cohort), so that the instructor's own reviews are never undone by a restart.
    site.waiting = demo_review_leave(course=course)
    try:
        site.cohort = cohort_seed(
            course=course, owner=owner, learners=DEMO_COHORT_LEARNERS, name=DEMO_COHORT
        )
    except SeedError as error:
        # Without approved questions (QUIZ_AUTO_APPROVE off) there are no attempts to seed.
        site.no_cohort = str(error)
        return site
    cohort_join(cohort=site.cohort, user=learner)
    return site
