"""Forty requests at once on PostgreSQL (tests/concurrency.py): an attempt is graded once and
loses no answer."""

from __future__ import annotations

import threading

import pytest

from courses.models import AttemptAnswer, QuizAttempt
from courses.quizzes import services
from courses.quizzes.services import attempt_answer_save, attempt_start, attempt_submit
from tests.concurrency import together

from .conftest import key_display, wrong_display

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 40


def test_forty_simultaneous_submissions_grade_the_attempt_once(attempt, monkeypatch):
    """One submission is graded and saved; the 39 others get that result back unchanged."""
    graded: list[int] = []
    lock = threading.Lock()

    def after_grading(graded_attempt: QuizAttempt) -> None:
        with lock:
            graded.append(graded_attempt.pk)

    monkeypatch.setattr(services, "_after_grading", after_grading)
    questions = len(attempt.items)

    def answers_of(index: int) -> dict[int, int]:
        """Each thread answers a different number of questions, a different number right."""
        answered = 1 + index % questions
        return {
            position: key_display(attempt, position)
            if (position + index) % 2
            else wrong_display(attempt, position)
            for position in range(answered)
        }

    results = together(
        THREADS,
        prepare=lambda index: QuizAttempt.objects.get(pk=attempt.pk),
        work=lambda index, mine: attempt_submit(attempt=mine, answers=answers_of(index)),
    )

    winners = [index for index, result in enumerate(results) if result.graded_now]
    assert len(winners) == 1
    assert graded == [attempt.pk]
    winner = results[winners[0]].attempt
    assert {result.attempt.submitted_at for result in results} == {winner.submitted_at}
    assert {result.attempt.score for result in results} == {winner.score}

    attempt.refresh_from_db()
    assert (attempt.submitted_at, attempt.score) == (winner.submitted_at, winner.score)
    expected = answers_of(winners[0])
    rows = AttemptAnswer.objects.filter(attempt=attempt)
    assert rows.count() == len(expected)
    assert {row.position: row.option for row in rows} == {
        position: attempt.items[position]["order"][display]
        for position, display in expected.items()
    }
    assert attempt.score == sum(1 for row in rows if row.is_correct)


def test_forty_simultaneous_starts_make_one_attempt(enrolled, lesson, items):
    results = together(
        THREADS,
        work=lambda index, _: attempt_start(enrollment=enrolled, lesson=lesson),
    )
    assert QuizAttempt.objects.count() == 1
    assert sum(1 for _attempt, created in results if created) == 1
    assert {started.pk for started, _created in results} == {QuizAttempt.objects.get().pk}


def test_answers_racing_the_submission_never_change_it(attempt):
    """Twenty answer saves and twenty submissions at once: every saved answer is graded."""

    def work(index: int, mine: QuizAttempt) -> object:
        if index % 2:
            return attempt_submit(attempt=mine, answers={})
        try:
            attempt_answer_save(
                attempt=mine, position=index % len(mine.items), choice=key_display(mine, 0) % 4
            )
        except services.AttemptSubmitted:
            return "refused"
        return "saved"

    results = together(
        THREADS, prepare=lambda index: QuizAttempt.objects.get(pk=attempt.pk), work=work
    )
    attempt.refresh_from_db()
    assert sum(1 for r in results if isinstance(r, services.Submission) and r.graded_now) == 1
    rows = list(AttemptAnswer.objects.filter(attempt=attempt))
    # An answer row written after grading would have no verdict.
    assert all(row.is_correct is not None for row in rows)
    assert len({row.position for row in rows}) == len(rows)
    assert attempt.score == sum(1 for row in rows if row.is_correct)


def test_a_late_attempt_submitted_and_restarted_at_once_is_graded_once(
    enrolled, lesson, items, monkeypatch
):
    """Time ran out; the learner submits in one tab and starts again in another, at the same
    instant. Both lock the attempt, then the enrolment (one order: no deadlock): the late
    attempt is graded once, on what it saved, and one new attempt starts."""
    from datetime import timedelta

    from django.utils import timezone

    lesson.quiz_time_limit = 15
    lesson.save()
    late, _created = attempt_start(enrollment=enrolled, lesson=lesson)
    attempt_answer_save(attempt=late, position=0, choice=key_display(late, 0))
    moment = late.deadline + timedelta(minutes=5)
    monkeypatch.setattr(timezone, "now", lambda: moment)

    def work(index: int, mine: QuizAttempt) -> object:
        if index % 2:
            return attempt_start(enrollment=enrolled, lesson=lesson)
        return attempt_submit(attempt=mine, answers={1: key_display(mine, 1)})

    results = together(
        2, prepare=lambda index: QuizAttempt.objects.get(pk=late.pk), work=work, timeout=30
    )

    late.refresh_from_db()
    assert late.submitted_at == moment
    assert late.score == 1  # the answer saved in time; the one posted late is not counted
    started, created = results[1]  # type: ignore[misc]
    assert created
    assert started.pk != late.pk
    assert QuizAttempt.objects.filter(enrollment=enrolled, lesson=lesson).count() == 2
