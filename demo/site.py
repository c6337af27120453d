"""What `make run` shows: the course imported from fixtures/documents/, the demo accounts, and
a demo cohort (the demo learner among 40 seeded learners, owned by the demo instructor).

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
from courses.models import Cohort, Course, User

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


@dataclass
class DemoSite:
    course: Course
    accounts: list[tuple[DemoAccount, bool]] = field(default_factory=list)  # (account, created)
    cohort: Cohort | None = None  # made now; None when it existed or could not be made
    no_cohort: str = ""  # why no demo cohort could be made


def demo_site_ensure(*, stdout: TextIO, stderr: TextIO) -> DemoSite:
    """Import the documents (the importer reports to ``stdout``), then the accounts and the
    demo cohort."""
    paths = sorted(str(path) for path in DOCUMENTS.iterdir() if path.suffix in {".txt", ".md"})
    call_command("import_document", *paths, stdout=stdout, stderr=stderr)
    course = Course.objects.get(slug=settings.COURSES_DEFAULT_COURSE_SLUG)
    Course.objects.filter(pk=course.pk, objectives="").update(objectives=DEMO_OBJECTIVES)
    site = DemoSite(course=course, accounts=demo_accounts_ensure(course=course))
    if Cohort.objects.filter(course=course, name=DEMO_COHORT).exists():
        return site
    owner = User.objects.get(email=demo_account(role=User.Role.INSTRUCTOR).email)
    learner = User.objects.get(email=demo_account(role=User.Role.LEARNER).email)
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
