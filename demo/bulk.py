"""Learners' records written in bulk: the one place demos, tests and benches make them.

Going through the services (enrollment_create, attempt_start, attempt_submit, …) would take
hours for 10,000 learners, so the rows are written with bulk_create, a batch at a time. They
are the rows those services write: a caller describes what each learner did (``Learner``, with
attempts whose questions come from the quiz's own scoring helpers), and ``learners_write``
writes users, enrolments, cohort memberships, lessons read, attempts with their answers,
completions and, for each completion, the certificate the certificate service would issue.

Names and RPPS numbers are French-looking and valid (``person``); addresses are under
example.org (reserved, RFC 2606) and passwords unusable: nobody signs in as a bulk learner.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from courses.certificates import codes
from courses.certificates.services import certificate_snapshot
from courses.models import (
    AttemptAnswer,
    Certificate,
    Cohort,
    CohortMembership,
    Course,
    CourseCompletion,
    Enrollment,
    Lesson,
    LessonProgress,
    QuizAttempt,
    SatisfactionResponse,
    User,
)
from courses.quizzes import scoring
from courses.validators import luhn_is_valid

FIRST_NAMES = (
    "Camille Léa Manon Chloé Inès Emma Sarah Laura Julie Marie Pauline Mathilde Élodie Céline "
    "Aurélie Émilie Sandrine Nathalie Isabelle Sophie Amandine Audrey Charlotte Claire Coralie "
    "Justine Margaux Anaïs Océane Clémence Maëlle Noémie Solène Fatoumata Yasmine Nadia Samira "
    "Aïcha Mélanie Virginie Stéphanie Hélène Agnès Françoise Marie-Claire Anne-Sophie Gwenaëlle "
    "Thomas Nicolas Julien Maxime Kévin Antoine Jérôme Sébastien Mehdi Karim Yannick Loïc "
    "Florian Guillaume Théo François"
).split()
# Names of two words, and names of Brittany, Senegal, Tunisia, Portugal, La Réunion, Vietnam.
LAST_NAMES = [
    *(
        "Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent "
        "Lefèvre Michel Garcia David Bertrand Roux Vincent Fournier Morel Girard André "
        "Mercier Dupont Lambert Bonnet François Martinez Legrand Garnier Faure Rousseau Blanc "
        "Guérin Muller Henry Roussel Perrin Morin Mathieu Clément Gauthier Dumont Lopez "
        "Fontaine Chevalier Robin Lemaître Bénard Dupré Lebrun Marchand Barbier Hoarau Payet "
        "Nguyen Diallo Benali Haddad Gonçalves Ferreira"
    ).split(),
    *("Le Goff", "Le Gall", "N'Diaye", "Da Silva", "Ben Saïd", "Le Bihan"),
]
# Learners written per batch: bounds memory (an attempt's questions are kilobytes of JSON).
BATCH = 500
# Seven learners in ten who complete answer the satisfaction questionnaire; a third of them
# leave one of these comments.
SATISFACTION_SHARE = 0.7
SATISFACTION_COMMENTS = (
    "Très utile pour repérer plus tôt les signes d’un syndrome de libération de cytokines.",
    "Les quiz obligent à relire la leçon : exigeant mais efficace.",
    "J’aurais aimé davantage de cas cliniques concrets.",
    "Formation claire, facile à suivre sur mon téléphone pendant les pauses.",
    "Le module sur les effets secondaires mériterait un tableau récapitulatif.",
    "Certaines questions sont longues à lire sur un petit écran.",
)


# --- who ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    full_name: str
    email: str
    professional_id: str  # an RPPS number, or "" for a learner who gave none


def _ascii(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return plain.lower().replace("'", "").replace(" ", "-")


def rpps(rng: random.Random) -> str:
    """11 digits, "10" then 8 at random, then the Luhn check digit validate_rpps wants."""
    body = "10" + "".join(str(rng.randrange(10)) for _digit in range(8))
    return next(f"{body}{d}" for d in range(10) if luhn_is_valid(f"{body}{d}"))


def person(rng: random.Random, *, index: int, tag: str | int, with_rpps: float = 1.0) -> Person:
    """A learner's name, a unique address (``tag`` and ``index`` make it unique), and an RPPS
    number with probability ``with_rpps``. The same ``rng`` state gives the same person."""
    first = rng.choice(FIRST_NAMES)
    last = rng.choice(LAST_NAMES)
    if rng.random() < 0.04:
        last = f"{last}-{rng.choice(LAST_NAMES)}"
    email = f"{_ascii(first)}.{_ascii(last)}.{tag}-{index}@apprenants.example.org"
    number = rpps(rng) if rng.random() < with_rpps else ""
    return Person(full_name=f"{first} {last}", email=email, professional_id=number)


# --- what they did -----------------------------------------------------------------------------


@dataclass
class Answer:
    position: int
    item: int
    option: int
    correct: bool | None  # None until the attempt is graded
    at: datetime
    options: list[int] | None = None  # a multiple-response question's options ticked


@dataclass
class Attempt:
    lesson: int
    number: int
    questions: list[scoring.Question]  # as attempt_start stores them (question_build)
    answers: list[Answer]
    started: datetime
    deadline: datetime | None = None
    submitted: datetime | None = None  # None: left open
    score: int | None = None
    passed: bool | None = None


@dataclass
class Learner:
    who: Person
    joined: datetime
    reads: dict[int, datetime] = field(default_factory=dict)  # lesson id -> marked read
    attempts: list[Attempt] = field(default_factory=list)
    last_lesson: int | None = None
    last_activity: datetime | None = None
    completed: datetime | None = None  # when the course's completion rule was met


def attempt_of(
    *,
    lesson: int,
    number: int,
    questions: list[scoring.Question],
    chosen: dict[int, int | list[int]],
    grade: scoring.Grade | None,
    started: datetime,
    took: timedelta,
    deadline: datetime | None = None,
) -> Attempt:
    """An attempt as the quiz leaves it. ``chosen`` maps a question's position to the option
    chosen (an index into the item's own options); with ``grade`` (scoring.grade of those
    answers) it was submitted ``took`` after it started, without, it was left open with its
    answers saved. The answers are spread over the time it took."""
    answers = [
        Answer(
            position=position,
            item=questions[position]["item"],
            option=option if isinstance(option, int) else min(option),
            options=None if isinstance(option, int) else sorted(option),
            correct=None if grade is None else grade.correct[position],
            at=started + took * (position + 1) / (len(questions) + 1),
        )
        for position, option in sorted(chosen.items())
    ]
    return Attempt(
        lesson=lesson,
        number=number,
        questions=questions,
        answers=answers,
        started=started,
        deadline=deadline,
        submitted=None if grade is None else started + took,
        score=None if grade is None else grade.score,
        passed=None if grade is None else grade.passed,
    )


# --- writing -----------------------------------------------------------------------------------


@dataclass
class Written:
    users: list[User] = field(default_factory=list)
    enrollments: list[Enrollment] = field(default_factory=list)
    memberships: list[CohortMembership] = field(default_factory=list)
    completions: list[CourseCompletion] = field(default_factory=list)


def learners_write(
    *,
    course: Course,
    learners: Sequence[Learner],
    cohort: Cohort | None = None,
    certificates: bool = True,
    now: datetime | None = None,
) -> Written:
    """Write ``learners`` enrolled in ``course`` (and members of ``cohort``), in one
    transaction, BATCH learners at a time. A completed learner gets the certificate the worker
    would have issued half a minute later, counted as e-mailed (nothing is sent) and not yet
    rendered (a running worker's sweeper renders it); ``certificates=False`` leaves them owed,
    for the worker to issue."""
    now = now or timezone.now()
    password = make_password(None)  # unusable: nobody signs in as a bulk learner
    read_lessons = {lesson for learner in learners for lesson in learner.reads}
    versions = dict(Lesson.objects.filter(pk__in=read_lessons).values_list("pk", "version"))
    written = Written()
    with transaction.atomic():
        for first in range(0, len(learners), BATCH):
            batch = learners[first : first + BATCH]
            _write_batch(
                course=course,
                cohort=cohort,
                learners=batch,
                password=password,
                versions=versions,
                certificates=certificates,
                now=now,
                written=written,
            )
    return written


def _write_batch(
    *,
    course: Course,
    cohort: Cohort | None,
    learners: Sequence[Learner],
    password: str,
    versions: dict[int, int],
    certificates: bool,
    now: datetime,
    written: Written,
) -> None:
    users = User.objects.bulk_create(
        [
            User(
                email=learner.who.email,
                full_name=learner.who.full_name,
                professional_id=learner.who.professional_id,
                role=User.Role.LEARNER,
                password=password,
                date_joined=learner.joined,
            )
            for learner in learners
        ]
    )
    enrollments = Enrollment.objects.bulk_create(
        [
            Enrollment(
                user=user,
                course=course,
                enrolled_at=learner.joined,
                last_lesson_id=learner.last_lesson,
                last_activity_at=learner.last_activity,
            )
            for user, learner in zip(users, learners, strict=True)
        ]
    )
    if cohort is not None:
        written.memberships += CohortMembership.objects.bulk_create(
            [
                CohortMembership(cohort=cohort, enrollment=enrollment, joined_at=learner.joined)
                for enrollment, learner in zip(enrollments, learners, strict=True)
            ]
        )
    LessonProgress.objects.bulk_create(
        [
            LessonProgress(
                enrollment=enrollment,
                lesson_id=lesson_id,
                lesson_version=versions[lesson_id],
                completed_at=at,
            )
            for enrollment, learner in zip(enrollments, learners, strict=True)
            for lesson_id, at in learner.reads.items()
        ]
    )
    pairs = [
        (enrollment, attempt)
        for enrollment, learner in zip(enrollments, learners, strict=True)
        for attempt in learner.attempts
    ]
    attempts = QuizAttempt.objects.bulk_create(
        [
            QuizAttempt(
                enrollment=enrollment,
                lesson_id=attempt.lesson,
                number=attempt.number,
                items=attempt.questions,
                started_at=attempt.started,
                deadline=attempt.deadline,
                submitted_at=attempt.submitted,
                score=attempt.score,
                total=len(attempt.questions),
                pass_mark=course.pass_mark,
                passed=attempt.passed,
            )
            for enrollment, attempt in pairs
        ]
    )
    AttemptAnswer.objects.bulk_create(
        [
            AttemptAnswer(
                attempt=row,
                position=answer.position,
                item_id=answer.item,
                option=answer.option,
                options=answer.options,
                is_correct=answer.correct,
                answered_at=answer.at,
            )
            for row, (_enrollment, attempt) in zip(attempts, pairs, strict=True)
            for answer in attempt.answers
        ]
    )
    done = [
        (enrollment, user, learner.completed)
        for enrollment, user, learner in zip(enrollments, users, learners, strict=True)
        if learner.completed is not None
    ]
    completions = CourseCompletion.objects.bulk_create(
        [
            CourseCompletion(enrollment=enrollment, completed_at=at, rule=course.completion_rule)
            for enrollment, _user, at in done
        ]
    )
    SatisfactionResponse.objects.bulk_create(_satisfaction(course=course, done=done, now=now))
    written.users += users
    written.enrollments += enrollments
    written.completions += completions
    if not certificates:
        return
    issued = []
    for completion, (enrollment, user, at) in zip(completions, done, strict=True):
        enrollment.user, enrollment.course = user, course
        completion.enrollment = enrollment
        fields = certificate_snapshot(completion)
        # Issued by the worker a little after the completion, as the task would.
        moment = min(at + timedelta(seconds=30), now)
        expires = fields["expires_at"]
        if isinstance(expires, datetime) and isinstance(fields["issued_at"], datetime):
            fields["expires_at"] = moment + (expires - fields["issued_at"])
        fields["issued_at"] = moment
        issued.append(
            Certificate(
                code=codes.new_code(), completion=completion, email_sent_at=moment, **fields
            )
        )
    Certificate.objects.bulk_create(issued)


def _satisfaction(
    *, course: Course, done: Sequence[tuple[Enrollment, User, datetime]], now: datetime
) -> list[SatisfactionResponse]:
    """What some learners who completed said of the course: ratings mostly favourable, a
    question now and then left unanswered, a few comments."""
    questions = list(course.satisfaction_questions or [])
    if not questions:
        return []
    responses = []
    for enrollment, user, at in done:
        rng = random.Random(f"satisfaction:{user.email}")  # noqa: S311  (demo data)
        if rng.random() >= SATISFACTION_SHARE:
            continue
        ratings = [
            rng.choices((5, 4, 3, 2, 1), weights=(45, 35, 12, 5, 3))[0]
            if rng.random() < 0.95
            else None
            for _question in questions
        ]
        comment = rng.choice(SATISFACTION_COMMENTS) if rng.random() < 0.35 else ""
        responses.append(
            SatisfactionResponse(
                course=course,
                enrollment=enrollment,
                questions=questions,
                ratings=ratings,
                comment=comment,
                submitted_at=min(at + timedelta(minutes=rng.randint(1, 24 * 60)), now),
            )
        )
    return responses
