"""Timed quizzes: the deadline, extra time (tiers-temps), the grace period, late answers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from courses.models import AttemptAnswer, QuizAttempt
from courses.quizzes import services
from courses.quizzes.services import (
    attempt_answer_save,
    attempt_start,
    attempt_submit,
    enrollment_set_extra_time,
)

from .conftest import answers, attempt_url, form_data, key_display, lesson_url, start_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def timed(lesson):
    lesson.quiz_time_limit = 15
    lesson.save()
    return lesson


def clock_at(monkeypatch, moment):
    """Every timezone.now() in the code under test returns ``moment``."""
    monkeypatch.setattr(timezone, "now", lambda: moment)


def test_an_untimed_quiz_has_no_deadline(attempt):
    assert attempt.deadline is None


def test_the_deadline_is_the_start_plus_the_time_limit(enrolled, timed, items):
    attempt, _ = attempt_start(enrollment=enrolled, lesson=timed)
    allowed = attempt.deadline - attempt.started_at
    assert abs(allowed - timedelta(minutes=15)) < timedelta(seconds=1)


def test_extra_time_lengthens_the_deadline(enrolled, timed, items):
    """A third more time (33 %): 15 minutes become 19 min 57 s."""
    enrollment_set_extra_time(enrollment=enrolled, percent=33)
    attempt, _ = attempt_start(enrollment=enrolled, lesson=timed)
    allowed = attempt.deadline - attempt.started_at
    assert abs(allowed - timedelta(minutes=19, seconds=57)) < timedelta(seconds=1)


def test_extra_time_granted_later_does_not_move_a_started_attempt(enrolled, timed, items):
    attempt, _ = attempt_start(enrollment=enrolled, lesson=timed)
    deadline = attempt.deadline
    enrollment_set_extra_time(enrollment=enrolled, percent=50)
    again, _ = attempt_start(enrollment=enrolled, lesson=timed)
    assert again.deadline == deadline


def test_an_answer_after_the_deadline_is_refused(enrolled, timed, items, monkeypatch):
    attempt, _ = attempt_start(enrollment=enrolled, lesson=timed)
    clock_at(monkeypatch, attempt.deadline + timedelta(seconds=1))
    with pytest.raises(services.TimeIsUp):
        attempt_answer_save(attempt=attempt, position=0, choice=0)
    assert not AttemptAnswer.objects.exists()


def test_a_submission_within_the_grace_period_counts_its_answers(
    enrolled, timed, items, monkeypatch, settings
):
    """Sent as the time ran out, received 20 s late (a slow network): its answers count."""
    settings.QUIZ_GRACE_SECONDS = 30
    attempt, _ = attempt_start(enrollment=enrolled, lesson=timed)
    clock_at(monkeypatch, attempt.deadline + timedelta(seconds=20))
    result = attempt_submit(attempt=attempt, answers=answers(attempt, right=5)).attempt
    assert result.score == 5
    assert result.passed


def test_a_late_submission_is_graded_on_the_answers_saved_in_time(
    enrolled, timed, items, monkeypatch, settings
):
    """After the grace period the posted answers are ignored; those saved before count."""
    settings.QUIZ_GRACE_SECONDS = 30
    attempt, _ = attempt_start(enrollment=enrolled, lesson=timed)
    attempt_answer_save(attempt=attempt, position=0, choice=key_display(attempt, 0))
    attempt_answer_save(attempt=attempt, position=1, choice=key_display(attempt, 1))
    clock_at(monkeypatch, attempt.deadline + timedelta(seconds=31))
    result = attempt_submit(attempt=attempt, answers=answers(attempt, right=5)).attempt
    assert (result.score, result.passed) == (2, False)
    assert AttemptAnswer.objects.filter(attempt=attempt).count() == 2


def test_an_answer_recorded_after_the_deadline_never_counts_in_a_late_submission(
    enrolled, timed, items, monkeypatch
):
    attempt, _ = attempt_start(enrollment=enrolled, lesson=timed)
    AttemptAnswer.objects.create(
        attempt=attempt,
        position=0,
        option=attempt.items[0]["snapshot"]["answer"],
        answered_at=attempt.deadline + timedelta(seconds=5),
    )
    clock_at(monkeypatch, attempt.deadline + timedelta(minutes=5))
    assert attempt_submit(attempt=attempt, answers={}).attempt.score == 0


def test_an_attempt_out_of_time_is_closed_when_the_next_one_starts(
    enrolled, timed, items, monkeypatch
):
    """Abandoned when time ran out: graded on its saved answers, then a new attempt starts."""
    first, _ = attempt_start(enrollment=enrolled, lesson=timed)
    attempt_answer_save(attempt=first, position=0, choice=key_display(first, 0))
    clock_at(monkeypatch, first.deadline + timedelta(minutes=1))
    second, created = attempt_start(enrollment=enrolled, lesson=timed)
    first.refresh_from_db()
    assert created
    assert second.number == 2
    assert first.submitted_at is not None
    assert first.score == 1


def test_an_attempt_out_of_time_is_closed_even_when_no_attempt_is_left(
    enrolled, timed, items, course, monkeypatch
):
    course.max_attempts = 1
    course.save()
    first, _ = attempt_start(enrollment=enrolled, lesson=timed)
    clock_at(monkeypatch, first.deadline + timedelta(minutes=1))
    with pytest.raises(services.AttemptsExhausted):
        attempt_start(enrollment=enrolled, lesson=timed)
    first.refresh_from_db()
    assert first.submitted_at is not None


def test_the_quiz_page_shows_the_time_left(learner_client, enrolled, timed, items):
    learner_client.post(start_url(timed))
    attempt = QuizAttempt.objects.get()
    page = learner_client.get(attempt_url(attempt)).content.decode()
    assert 'data-seconds-left="89' in page  # 899 or 898 seconds: 15 minutes, just started
    assert "15\u00a0min" in page or "15 min" in page
    assert 'role="timer"' in page


def test_the_lesson_page_shows_the_time_limit_and_the_extra_time(
    learner_client, enrolled, timed, items
):
    enrollment_set_extra_time(enrollment=enrolled, percent=33)
    page = learner_client.get(lesson_url(timed)).content.decode()
    assert "15 minutes" in page
    assert "19\u00a0min 57\u00a0s" in page


def test_once_time_is_up_the_page_submits_what_was_saved(
    learner_client, enrolled, timed, items, monkeypatch
):
    """Past the deadline the questions are disabled; submitting without answers is accepted."""
    attempt, _ = attempt_start(enrollment=enrolled, lesson=timed)
    attempt = QuizAttempt.objects.select_related("lesson__module__course").get(pk=attempt.pk)
    attempt_answer_save(attempt=attempt, position=0, choice=key_display(attempt, 0))
    clock_at(monkeypatch, attempt.deadline + timedelta(minutes=5))
    page = learner_client.get(attempt_url(attempt)).content.decode()
    assert page.count("disabled") >= len(attempt.items)
    response = learner_client.post(attempt_url(attempt), form_data(attempt, right=5))
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.score == 1
    result = learner_client.get(attempt_url(attempt, "quiz_result")).content.decode()
    assert "après la limite de temps" in result


def test_the_lesson_page_leads_to_an_attempt_whose_time_ran_out(
    learner_client, enrolled, timed, items, course, monkeypatch
):
    """The last attempt allowed, abandoned: the page sends to it, to be graded."""
    course.max_attempts = 1
    course.save()
    attempt, _ = attempt_start(enrollment=enrolled, lesson=timed)
    clock_at(monkeypatch, attempt.deadline + timedelta(minutes=5))
    page = learner_client.get(lesson_url(timed)).content.decode()
    assert "Temps écoulé pour la tentative 1" in page
    assert (
        f'href="{attempt_url(QuizAttempt.objects.select_related("lesson__module__course").get())}"'
        in page
    )
    assert "Reprendre le quiz" not in page
    quiz = learner_client.get(
        attempt_url(QuizAttempt.objects.select_related("lesson__module__course").get())
    )
    assert "Voir mon résultat" in quiz.content.decode()
