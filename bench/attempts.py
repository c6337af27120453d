"""Fresh quiz attempts for the submit measurement, and the check that each was graded once.

The attempts are a cohort's (BENCH_SUBMIT_LEARNERS learners, 50), each posted as the learner
whose attempt it is, as in a class's exam: a learner's own steps in a course take her
enrolment's lock one at a time (courses.progress.services.enrollment_lock), so one learner
posting four attempts at once would measure that lock, not the submission.

A submission is measured only as a first submission: the answers written, the attempt's row
locked, graded and updated. A POST to an attempt already submitted takes another, far cheaper
path (a redirect to its result), so every request gets an attempt of its own and the pool
never hands one out twice: a load that runs out fails instead of reusing them.

The attempts are made by the service, attempt_start, one at a time. It resumes the attempt in
progress rather than start another, so the open attempts (those made before, then each new
one) are parked under a placeholder submitted_at until the batch is done, then all reopened in
one UPDATE, in the same transaction: no other connection ever sees a placeholder, and the rows
are the service's own.
"""

from __future__ import annotations

import math
import time
from collections import deque
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlencode

from django.db import transaction
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone

from courses.models import Course, Enrollment, Lesson, QuestionItem, QuizAttempt
from courses.quizzes import services

from .harness import BenchError
from .learners import Learner, learners_make


@dataclass(frozen=True)
class Submission:
    """One fresh attempt and the form that submits it, as the quiz page posts it."""

    attempt: int
    path: str
    answers: str  # q<position>=<display position>&..., every question answered
    expected_score: int
    questions: int
    passes: bool
    learner: Learner  # whose attempt it is: her cookies post it

    def body(self) -> str:
        return f"{self.answers}&{self.learner.form_token}"


def _submission(attempt: QuizAttempt, *, slug: str, learner: Learner) -> Submission:
    """Every question answered: all rightly in even-numbered attempts (a pass, with what a pass
    sets off), in the others just enough wrongly to fail (one wrong answer in five passes at
    80 %). The right option's display position is read from the stored order, independently
    of the code under test."""
    answers: dict[str, int] = {}
    score = 0
    count = len(attempt.items)
    wrong: set[int] = set()
    if attempt.pk % 2:
        needed = math.ceil(attempt.pass_mark * count / 100)
        first = (attempt.pk // 2) % count
        wrong = {(first + i) % count for i in range(count - needed + 1)}
    for position, question in enumerate(attempt.items):
        key = question["order"].index(question["snapshot"]["answer"])
        right = position not in wrong
        answers[f"q{position}"] = key if right else (key + 1) % len(question["order"])
        score += right
    return Submission(
        attempt=attempt.pk,
        path=reverse("courses:quiz_attempt", kwargs={"slug": slug, "pk": attempt.pk}),
        answers=urlencode(answers),
        expected_score=score,
        questions=count,
        passes=100 * score >= attempt.pass_mark * count,
        learner=learner,
    )


@dataclass
class Created:
    count: int = 0
    seconds: float = 0.0


class AttemptPool:
    """A cohort's fresh attempts at one lesson's quiz, handed out oldest first."""

    def __init__(self, *, learners: list[tuple[Enrollment, Learner]], lesson: Lesson) -> None:
        self.learners = learners
        self.enrollment_ids = [enrollment.pk for enrollment, _learner in learners]
        self.lesson = lesson
        self.slug = lesson.module.course.slug
        self.fresh: deque[Submission] = deque()
        self.handed: dict[int, Submission] = {}
        self.created = Created()
        # What the callers know of the attempts handed out: certainly answered (a 302 to the
        # result came back), and how many may have been left in flight when a load stopped.
        self.answered = 0
        self.in_flight = 0

    @classmethod
    def for_cohort(cls, *, course_slug: str, avoid_lesson: int, size: int) -> AttemptPool:
        """``size`` new learners enrolled and logged in; the lesson with the most approved
        items, other than ``avoid_lesson`` (the lesson page measured: thousands of attempts
        would change what its quiz summary reads)."""
        learners = learners_make(count=size, course_slug=course_slug, prefix="submit")
        course = Course.objects.get(slug=course_slug)
        enrollments = {
            enrollment.user_id: enrollment
            for enrollment in Enrollment.objects.filter(
                course=course, user_id__in=[learner.user_id for learner in learners]
            )
        }
        lesson = (
            Lesson.objects.filter(module__course=course)
            .exclude(pk=avoid_lesson)
            .annotate(approved=Count("items", filter=Q(items__status=QuestionItem.Status.APPROVED)))
            .filter(approved__gt=0)
            .select_related("module__course")
            .order_by("-approved", "pk")
            .first()
        )
        if lesson is None:
            raise BenchError(
                "No lesson has an approved question item: the demo course was imported without "
                "QUIZ_AUTO_APPROVE=1."
            )
        return cls(
            learners=[(enrollments[learner.user_id], learner) for learner in learners],
            lesson=lesson,
        )

    @property
    def questions(self) -> int:
        sample = self.fresh[0] if self.fresh else next(iter(self.handed.values()), None)
        return sample.questions if sample else 0

    def create(self, count: int) -> None:
        """``count`` new attempts through attempt_start, in one transaction."""
        if count <= 0:
            return
        start = time.perf_counter()
        placeholder = timezone.now() - timedelta(days=1)
        made: list[tuple[QuizAttempt, Learner]] = []
        mine = QuizAttempt.objects.filter(enrollment__in=self.enrollment_ids, lesson=self.lesson)
        with transaction.atomic():
            # The fresh attempts made before (and any a load sent but the server never
            # graded) are parked too. Locked first: a submission still running when its load
            # stopped is waited for, and the row, if it graded it, left alone.
            parked = list(
                mine.filter(submitted_at__isnull=True)
                .select_for_update()
                .values_list("pk", flat=True)
            )
            mine.filter(pk__in=parked).update(submitted_at=placeholder)
            for number in range(count):
                # Round the cohort: each learner in turn.
                enrollment, learner = self.learners[
                    (self.created.count + number) % len(self.learners)
                ]
                attempt, is_new = services.attempt_start(enrollment=enrollment, lesson=self.lesson)
                if not is_new:
                    raise BenchError(f"attempt_start resumed attempt {attempt.pk}: none is new.")
                QuizAttempt.objects.filter(pk=attempt.pk).update(submitted_at=placeholder)
                made.append((attempt, learner))
            reopened = mine.filter(submitted_at=placeholder).update(submitted_at=None)
            if reopened != len(parked) + count:
                raise BenchError(f"{reopened} attempts reopened, not {len(parked) + count}.")
        self.fresh.extend(
            _submission(attempt, slug=self.slug, learner=learner) for attempt, learner in made
        )
        self.created.count += count
        self.created.seconds += time.perf_counter() - start

    def ensure(self, count: int) -> None:
        """At least ``count`` fresh attempts."""
        self.create(count - len(self.fresh))

    def take(self, *, passes: bool | None = None) -> Submission:
        """One fresh attempt (whose answers pass, or fail, if asked), handed out for good."""
        submission = next((s for s in self.fresh if passes is None or s.passes == passes), None)
        if submission is None:
            raise BenchError("No fresh attempt left to submit.")
        self.fresh.remove(submission)
        self.handed[submission.attempt] = submission
        return submission

    def handed_out(self, submissions: list[Submission]) -> None:
        """Record attempts a load took (it may have taken any of the fresh ones)."""
        taken = {s.attempt for s in submissions}
        for submission in submissions:
            self.handed[submission.attempt] = submission
        self.fresh = deque(s for s in self.fresh if s.attempt not in taken)

    def verify(self) -> str:
        """Every attempt handed out graded exactly once with the answers posted; every other
        one untouched. Raises BenchError on any difference; returns the check's summary."""
        rows = (
            QuizAttempt.objects.filter(enrollment__in=self.enrollment_ids, lesson=self.lesson)
            .annotate(
                answers_n=Count("answers"),
                graded_n=Count("answers", filter=Q(answers__is_correct__isnull=False)),
                # A grading writes every answer with its own timestamp as submitted_at.
                at_submit_n=Count("answers", filter=Q(answers__answered_at=F("submitted_at"))),
            )
            .values_list("pk", "submitted_at", "score", "passed", "total", "answers_n",
                         "graded_n", "at_submit_n")
        )  # fmt: skip
        known = {s.attempt for s in self.fresh} | set(self.handed)
        problems: list[str] = []
        submitted = unsubmitted_handed = answers = passes = 0
        seen: set[int] = set()
        for pk, submitted_at, score, passed, total, answers_n, graded_n, at_submit_n in rows:
            seen.add(pk)
            if pk not in known:
                problems.append(f"attempt {pk} was not made by the pool")
                continue
            handed = self.handed.get(pk)
            if submitted_at is None:
                if answers_n:
                    problems.append(f"attempt {pk} is not submitted but has {answers_n} answers")
                if handed is not None:
                    unsubmitted_handed += 1
                continue
            if handed is None:
                problems.append(f"attempt {pk} was submitted but never handed out")
                continue
            submitted += 1
            answers += answers_n
            passes += bool(passed)
            expected = handed.questions
            if not (total == answers_n == graded_n == at_submit_n == expected):
                problems.append(
                    f"attempt {pk}: {answers_n} answers ({graded_n} graded, {at_submit_n} "
                    f"written at submission) for {expected} questions, total {total}"
                )
            if score != handed.expected_score or passed != handed.passes:
                problems.append(
                    f"attempt {pk}: score {score} (passed: {passed}), expected "
                    f"{handed.expected_score} (passed: {handed.passes})"
                )
        if missing := known - seen:
            problems.append(f"{len(missing)} attempts of the pool are gone")
        if submitted < self.answered:
            problems.append(
                f"{submitted} attempts graded but {self.answered} submissions answered 302 to "
                "their result: some went to attempts already submitted"
            )
        if unsubmitted_handed > self.in_flight:
            problems.append(
                f"{unsubmitted_handed} attempts handed out were not submitted, more than the "
                f"{self.in_flight} requests that may have been in flight when a load stopped"
            )
        if problems:
            shown = "\n  ".join(problems[:20])
            more = f"\n  ... and {len(problems) - 20} more" if len(problems) > 20 else ""
            raise BenchError(f"Submissions check failed:\n  {shown}{more}")
        return (
            f"Check: {len(self.handed)} attempts handed out, {submitted} graded exactly once "
            f"({answers} answer rows, one per question of each; scores as posted, {passes} "
            "passes), "
            f"{unsubmitted_handed} not graded of the requests in flight when a load stopped "
            f"({self.in_flight} sent without an answer); {len(self.fresh)} never handed out, "
            "untouched."
        )
