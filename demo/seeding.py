"""Seeded cohorts for demonstrations and benchmarks (``manage.py seed_cohort``, and
``setup_demo``'s demo cohort).

``cohort_seed`` makes a cohort of N learners who leave the traces real learners leave: lessons
marked read, quiz attempts with their answers (a first attempt failed, then passed; a learner
who gives up), completions with their certificate, activity spread over the cohort's weeks.
Each learner has an ability drawn at random; an item's chance of being answered right rises
with it (a logistic item response curve with a floor at blind guessing), so that the item
analysis shows what it would show for a real cohort: positive discrimination for most items, a
few misleading items with a negative one, a few distractors nobody picks.

The rows are written by demo/bulk.py, a batch of learners at a time: going through
attempt_start and attempt_submit would take hours for 10,000 learners. They are the rows those
services write: an attempt's questions are drawn and snapshotted by the quiz's own helpers,
graded by its scoring module; completion is decided by courses/progress/rules.py; a
certificate carries the snapshot the certificate service takes.

Deterministic for a seed (and a given ``now``): learner i's data depend only on the seed, i and
the course's items, so a cohort of 10,000 begins with the 1,000 learners of a cohort of 1,000.
Certificate codes are the exception: codes.new_code draws them, unguessable as every code is.

The learners' addresses are under example.org (reserved, RFC 2606) and their passwords
unusable; their certificates count as e-mailed (nothing is sent to them) but not rendered: a
running worker's sweeper renders the PDFs as it would for any certificate still owed. The
deadline is ten days ahead, as a cohort under way has it: beyond the reminder window (a week),
so that no deadline reminder goes out the day it is seeded, and nobody is late yet.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.cohorts.services import cohort_create
from courses.models import (
    AttemptAnswer,
    Certificate,
    Cohort,
    CohortMembership,
    Course,
    Invitation,
    Lesson,
    LessonProgress,
    QuestionItem,
    QuizAttempt,
    User,
)
from courses.progress import rules
from courses.quizzes import scoring
from courses.quizzes.services import attempt_deadline, item_snapshot
from courses.reporting.selectors import cohort_table

from . import bulk

# The cohort's calendar, from the day it is seeded: ten weeks in, its deadline ten days ahead
# (a learner's first screen shows a date to come, not one already past).
WEEKS_RUNNING = 10
DEADLINE_IN_DAYS = 10
ENDS_IN_DAYS = 21

# Engagement: a learner's motivation is partly their ability (r = 0.6) and partly the rest of
# their life. Below NOT_STARTED (about 8 % of learners) they never start; above GOES_ON (about
# 60 %) they mean to finish; in between they stop somewhere along the way.
MOTIVATION_FROM_ABILITY = 0.6
NOT_STARTED = -1.4
GOES_ON = -0.25
# Item responses: P(right) = guessing + (1 - guessing) * logistic(slope * (ability - b)).
# Items are mostly easy (the pass mark is high: 80 % by default); each retry of a quiz counts as
# this much more ability (the learner read the feedback).
DIFFICULTY_MEAN, DIFFICULTY_SD = -1.2, 0.8
SLOPE_RANGE = (2.0, 4.0)
RETRY_GAIN = 0.8
MISLEADING_ITEMS = 0.05  # share of items whose key misleads the strong (negative slope)
DEAD_DISTRACTOR = 0.1  # share of items with a distractor nobody chooses
UNANSWERED = 0.01  # share of questions left blank
# Retries without a limit of the course: a learner gives up after this many failures.
PATIENCE = 3
NOT_MARKED_READ = 0.03  # a lesson read but not marked (and so not counted)
OPEN_ATTEMPT = 0.05  # a learner who stopped with an attempt left open
WITH_RPPS = 0.35  # share of learners who gave their RPPS number


class SeedError(ValueError):
    """The course cannot be seeded; the message says why, to whoever runs the command."""


# --- the course, as the simulation sees it -----------------------------------------------------


@dataclass(frozen=True)
class _Item:
    id: int
    snapshot: scoring.ItemSnapshot
    difficulty: float
    slope: float
    distractors: dict[int, float]  # option -> how attractive a wrong answer it is


@dataclass(frozen=True)
class _Lesson:
    id: int
    version: int
    time_limit: int | None
    items: dict[int, _Item]
    ids: list[int]  # the approved items in the bank's order, as _questions_draw reads them
    groups: dict[int, str]  # item -> its family (never two of one family, as the site draws)

    @property
    def has_quiz(self) -> bool:
        return bool(self.ids)


@dataclass(frozen=True)
class _Plan:
    course: Course
    lessons: list[_Lesson]
    start: datetime
    deadline: datetime
    now: datetime
    max_questions: int


def _plan(
    *, course: Course, seed: int, start: datetime, deadline: datetime, now: datetime
) -> _Plan:
    lessons = list(
        Lesson.objects.filter(module__course=course, archived_at__isnull=True).order_by(
            "module__position", "module_id", "position", "id"
        )
    )
    if not lessons:
        raise SeedError(
            _("The course “%(course)s” has no lesson: import its documents first.")
            % {"course": course.slug}
        )
    items = list(
        QuestionItem.objects.filter(lesson__in=lessons, status=QuestionItem.Status.APPROVED)
        .order_by("lesson_id", "source_start", "id")
        .defer("generation")
    )
    if not items:
        raise SeedError(
            _(
                "The course “%(course)s” has no approved quiz item, so no attempt to seed: approve "
                "items on its review page, or import it with QUIZ_AUTO_APPROVE=1 (as `make run` "
                "does for the demo course)."
            )
            % {"course": course.slug}
        )
    rng = random.Random(f"{seed}:items")  # noqa: S311  (demo data, not a secret)
    by_lesson: dict[int, list[QuestionItem]] = {lesson.pk: [] for lesson in lessons}
    for item in items:
        by_lesson[item.lesson_id].append(item)
    planned = []
    for lesson in lessons:
        bank = by_lesson[lesson.pk]
        planned.append(
            _Lesson(
                id=lesson.pk,
                version=lesson.version,
                time_limit=lesson.quiz_time_limit,
                items={item.pk: _item(item, rng) for item in bank},
                ids=[item.pk for item in bank],
                groups={item.pk: scoring.family_of(item.pk, item.family) for item in bank},
            )
        )
    return _Plan(
        course=course,
        lessons=planned,
        start=start,
        deadline=deadline,
        now=now,
        max_questions=course.quiz_questions,
    )


def _item(item: QuestionItem, rng: random.Random) -> _Item:
    snapshot = item_snapshot(item)
    slope = rng.uniform(*SLOPE_RANGE)
    difficulty = rng.gauss(DIFFICULTY_MEAN, DIFFICULTY_SD)
    if rng.random() < MISLEADING_ITEMS:
        # Answered right as often overall, but less often by the strong: the curve mirrored.
        slope, difficulty = -slope / 2, -difficulty
    wrong = [option for option in range(len(snapshot["options"])) if option not in item.keys]
    weights = {option: 0.4 + rng.random() for option in wrong}
    if wrong and rng.random() < DEAD_DISTRACTOR:
        weights[rng.choice(wrong)] = 0.0
    return _Item(
        id=item.pk,
        snapshot=snapshot,
        difficulty=difficulty,
        slope=slope,
        distractors=weights,
    )


# --- one learner -------------------------------------------------------------------------------


def _right(item: _Item, ability: float, options: int) -> float:
    guessing = 1 / options if options else 0.0
    return guessing + (1 - guessing) / (1 + math.exp(-item.slope * (ability - item.difficulty)))


def _wrong_option(item: _Item, rng: random.Random) -> int:
    options = list(item.distractors)
    weights = [item.distractors[o] for o in options]
    if not options:
        return item.snapshot["answer"]
    if sum(weights) <= 0:
        return rng.choice(options)
    return rng.choices(options, weights=weights)[0]


def _questions(lesson: _Lesson, rng: random.Random, limit: int) -> list[scoring.Question]:
    """What _questions_draw returns, from the bank read once instead of per attempt."""
    chosen = scoring.draw(lesson.ids, limit=limit, rng=rng, groups=lesson.groups)
    return [
        scoring.question_build(item=pk, snapshot=lesson.items[pk].snapshot, rng=rng)
        for pk in chosen
    ]


@dataclass
class _Step:
    """What a learner did at one lesson, before times are given to it."""

    lesson: _Lesson
    read: bool
    tries: list[tuple[list[scoring.Question], dict[int, int | list[int]], scoring.Grade | None]]


def _steps(plan: _Plan, rng: random.Random, ability: float) -> list[_Step]:
    """The lessons a learner gets to and what they do there (no times yet)."""
    course = plan.course
    motivation = MOTIVATION_FROM_ABILITY * ability + math.sqrt(
        1 - MOTIVATION_FROM_ABILITY**2
    ) * rng.gauss(0, 1)
    if motivation < NOT_STARTED:
        return []
    n = len(plan.lessons)
    reach = n if motivation > GOES_ON or n == 1 else rng.randint(1, n - 1)
    allowed = course.max_attempts or PATIENCE + (1 if motivation > 1 else 0)
    steps: list[_Step] = []
    for index, lesson in enumerate(plan.lessons[:reach]):
        last = index == reach - 1 and reach < n
        step = _Step(lesson=lesson, read=rng.random() >= NOT_MARKED_READ, tries=[])
        steps.append(step)
        if not lesson.has_quiz or (last and rng.random() < 0.4):
            continue  # read, and stopped there (or no quiz to take)
        for number in range(allowed):
            questions = _questions(lesson, rng, plan.max_questions)
            chosen: dict[int, int | list[int]] = {}
            for position, question in enumerate(questions):
                if rng.random() < UNANSWERED:
                    continue
                item = lesson.items[question["item"]]
                options = len(item.snapshot["options"])
                if rng.random() < _right(item, ability + RETRY_GAIN * number, options):
                    keys = sorted(scoring.keys_of(item.snapshot))
                    chosen[position] = keys if scoring.is_multiple(item.snapshot) else keys[0]
                else:
                    chosen[position] = _wrong_option(item, rng)
            if last and rng.random() < OPEN_ATTEMPT:
                # Left open: some answers saved, never submitted.
                kept = dict(list(chosen.items())[: rng.randint(0, len(chosen))])
                step.tries.append((questions, kept, None))
                break
            grade = scoring.grade(questions, chosen, pass_mark=course.pass_mark)
            step.tries.append((questions, chosen, grade))
            if grade.passed:
                break
        else:
            return steps  # failed every attempt allowed: stuck at this lesson
        if step.tries and step.tries[-1][2] is None:
            return steps
    return steps


def _learner(plan: _Plan, *, seed: int, index: int, cohort_id: int) -> bulk.Learner:
    rng = random.Random(f"{seed}:learner:{index}")  # noqa: S311  (demo data, not a secret)
    who = bulk.person(rng, index=index, tag=cohort_id, with_rpps=WITH_RPPS)
    ability = rng.gauss(0, 1)
    latest_join = max(plan.start, plan.now - timedelta(days=1))
    joined = min(plan.start + timedelta(days=rng.expovariate(1 / 3)), latest_join)
    learner = bulk.Learner(who=who, joined=joined)
    steps = _steps(plan, rng, ability)
    if not steps:
        if rng.random() < 0.3:  # opened the first lesson, marked nothing
            learner.last_lesson = plan.lessons[0].id
            learner.last_activity = joined + timedelta(minutes=rng.uniform(2, 30))
        return learner
    passed = {
        step.lesson.id
        for step in steps
        if step.tries and step.tries[-1][2] is not None and step.tries[-1][2].passed
    }
    finishing = len(steps) == len(plan.lessons) and rules.course_complete(
        [
            rules.LessonState(
                lesson_id=step.lesson.id,
                read=step.read,
                has_quiz=step.lesson.has_quiz,
                quiz_passed=step.lesson.id in passed,
            )
            for step in steps
        ],
        rule=plan.course.completion_rule,
    )
    if finishing:
        # Most finish in the fortnight before the deadline (those still to come: by now).
        end = plan.deadline + timedelta(days=rng.gauss(-9, 7))
    else:
        end = joined + (plan.now - joined) * rng.random() ** 0.6
    end = min(max(end, joined + timedelta(hours=1)), plan.now - timedelta(minutes=10))
    slot = (end - joined) / len(steps)
    for k, step in enumerate(steps):
        session = joined + slot * k + slot * rng.uniform(0, 0.05)
        learner.last_lesson = step.lesson.id
        learner.last_activity = session
        if step.read:
            learner.reads[step.lesson.id] = session
        for number, (questions, chosen, grade) in enumerate(step.tries, start=1):
            started = session + slot * (0.1 + 0.8 * (number - 1) / len(step.tries))
            limit = attempt_deadline(
                started=started, limit_minutes=step.lesson.time_limit, extra_percent=0
            )
            took = min(timedelta(minutes=rng.uniform(3, 12)), slot * 0.08)
            if limit is not None:
                took = min(took, (limit - started) * 0.9)
            attempt = bulk.attempt_of(
                lesson=step.lesson.id,
                number=number,
                questions=questions,
                chosen=chosen,
                grade=grade,
                started=started,
                took=took,
                deadline=limit,
            )
            learner.attempts.append(attempt)
            answers = attempt.answers
            learner.last_activity = answers[-1].at if grade is None and answers else started
            if grade is not None:
                learner.last_activity = started + took
    learner.completed = _completed_at(plan, learner)
    return learner


def _completed_at(plan: _Plan, learner: bulk.Learner) -> datetime | None:
    """When the course's rule was first met (rules.py decides), or None."""
    rule = plan.course.completion_rule
    passed_at: dict[int, datetime] = {}
    for attempt in learner.attempts:
        if attempt.passed and attempt.submitted is not None:
            passed_at.setdefault(attempt.lesson, attempt.submitted)
    states, done = [], []
    for lesson in plan.lessons:
        read_at, pass_at = learner.reads.get(lesson.id), passed_at.get(lesson.id)
        state = rules.LessonState(
            lesson_id=lesson.id,
            read=read_at is not None,
            has_quiz=lesson.has_quiz,
            quiz_passed=pass_at is not None,
        )
        states.append(state)
        if rules.lesson_done(state, rule=rule):
            moments = [m for m in (read_at, pass_at) if m is not None]
            # Done at the first moment after which the rule holds for the lesson.
            done.append(
                min(
                    m
                    for m in moments
                    if rules.lesson_done(
                        rules.LessonState(
                            lesson_id=lesson.id,
                            read=read_at is not None and read_at <= m,
                            has_quiz=lesson.has_quiz,
                            quiz_passed=pass_at is not None and pass_at <= m,
                        ),
                        rule=rule,
                    )
                )
            )
    if not rules.course_complete(states, rule=rule):
        return None
    return max(done)


# --- the cohort --------------------------------------------------------------------------------


def _calendar(now: datetime) -> tuple[Any, Any, Any, datetime, datetime]:
    today = timezone.localdate(now)
    starts_on = today - timedelta(weeks=WEEKS_RUNNING)
    deadline = today + timedelta(days=DEADLINE_IN_DAYS)
    ends_on = today + timedelta(days=ENDS_IN_DAYS)
    zone = timezone.get_current_timezone()
    start = datetime.combine(starts_on, time(8, 0), tzinfo=zone)
    end_of_deadline = datetime.combine(deadline, time(23, 59), tzinfo=zone)
    return starts_on, ends_on, deadline, start, end_of_deadline


def cohort_seed(
    *,
    course: Course,
    owner: User,
    learners: int,
    seed: int = 0,
    name: str | None = None,
    now: datetime | None = None,
) -> Cohort:
    """A cohort of ``course`` owned by ``owner`` with ``learners`` seeded learners (see the
    module's docstring). Raises SeedError when the course has no lesson or no approved item,
    or the owner is no instructor. ``now`` (default: the present) dates the cohort."""
    if learners < 1:
        raise SeedError(_("A cohort needs at least one learner."))
    if not owner.is_instructor:
        raise SeedError(_("%(email)s is not an instructor.") % {"email": owner.email})
    now = now or timezone.now()
    starts_on, ends_on, deadline, start, deadline_end = _calendar(now)
    plan = _plan(course=course, seed=seed, start=start, deadline=deadline_end, now=now)
    count = f"{learners:,}".replace(",", "\u202f")
    with transaction.atomic():
        cohort = cohort_create(
            course=course,
            owner=owner,
            name=name or f"Promotion de démonstration · {count} apprenants",
            starts_on=starts_on,
            ends_on=ends_on,
            deadline=deadline,
        )
        # A batch at a time: bounds memory (an attempt's questions are kilobytes of JSON).
        for first in range(0, learners, bulk.BATCH):
            batch = [
                _learner(plan, seed=seed, index=index, cohort_id=cohort.pk)
                for index in range(first, min(first + bulk.BATCH, learners))
            ]
            bulk.learners_write(course=course, learners=batch, cohort=cohort, now=now)
        _invitations(cohort, owner=owner, now=now)
    return cohort


# Personal invitations nobody accepted yet: (address, name, days since issued, re-sends).
INVITATIONS = (
    ("lucie.roussel@invitations.example.org", "Lucie Roussel", 4, 0),
    ("hugo.lambert@invitations.example.org", "Hugo Lambert", 12, 1),
    ("nadia.cherif@invitations.example.org", "Nadia Chérif", 45, 0),  # expired
)


def _invitations(cohort: Cohort, *, owner: User, now: datetime) -> None:
    """A few invitations waiting, one of them expired, so that re-sending can be tried. They
    count as e-mailed (nothing is sent)."""
    for email, full_name, days, resends in INVITATIONS:
        issued = now - timedelta(days=days)
        invitation = Invitation.objects.create(
            cohort=cohort,
            email=email,
            full_name=full_name,
            invited_by=owner,
            issued_at=issued,
            sent_at=issued,
            send_attempts=1,
            resends=resends,
        )
        # Invited when first issued (created_at is set on insert; the first issue was earlier
        # when it was re-sent since).
        Invitation.objects.filter(pk=invitation.pk).update(
            created_at=issued - timedelta(days=7 * resends)
        )


# --- what was made -----------------------------------------------------------------------------


@dataclass(frozen=True)
class SeedSummary:
    members: int
    not_started: int
    in_progress: int
    completed: int
    lessons_read: int
    attempts: int
    answers: int
    certificates: int


def cohort_seed_summary(*, cohort: Cohort) -> SeedSummary:
    """What a seeded cohort holds; its learners counted by status as the dashboard counts
    them (cohort_table), its rows by kind."""
    counts = cohort_table(cohort=cohort).counts
    enrollments = CohortMembership.objects.filter(cohort=cohort).values("enrollment_id")
    return SeedSummary(
        members=counts["all"],
        not_started=counts["not_started"],
        in_progress=counts["in_progress"],
        completed=counts["completed"],
        lessons_read=LessonProgress.objects.filter(enrollment__in=enrollments).count(),
        attempts=QuizAttempt.objects.filter(enrollment__in=enrollments).count(),
        answers=AttemptAnswer.objects.filter(attempt__enrollment__in=enrollments).count(),
        certificates=Certificate.objects.filter(enrollment__in=enrollments).count(),
    )
