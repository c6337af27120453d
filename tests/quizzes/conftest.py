"""Fixtures and helpers for taking quizzes: a lesson with approved items, posted answers."""

from __future__ import annotations

import pytest
from django.urls import reverse

from courses.models import Lesson, QuizAttempt


def first_lesson(course) -> Lesson:
    return (
        Lesson.objects.filter(module__course=course)
        .select_related("module__course")
        .order_by("module__position", "position")
        .first()
    )


def start_url(lesson: Lesson) -> str:
    return reverse(
        "courses:quiz_start", kwargs={"slug": lesson.module.course.slug, "pk": lesson.pk}
    )


def history_url(lesson: Lesson) -> str:
    return reverse(
        "courses:quiz_history", kwargs={"slug": lesson.module.course.slug, "pk": lesson.pk}
    )


def lesson_url(lesson: Lesson) -> str:
    return reverse("courses:lesson", kwargs={"slug": lesson.module.course.slug, "pk": lesson.pk})


def attempt_url(attempt: QuizAttempt, name: str = "quiz_attempt") -> str:
    return reverse(
        f"courses:{name}",
        kwargs={"slug": attempt.lesson.module.course.slug, "pk": attempt.pk},
    )


def key_display(attempt: QuizAttempt, position: int) -> int:
    """Where the key of a question was shown on the page."""
    question = attempt.items[position]
    return question["order"].index(question["snapshot"]["answer"])


def wrong_display(attempt: QuizAttempt, position: int) -> int:
    return (key_display(attempt, position) + 1) % len(attempt.items[position]["order"])


def answers(attempt: QuizAttempt, *, right: int) -> dict[int, int]:
    """Display positions answering every question, the first ``right`` of them correctly."""
    return {
        position: key_display(attempt, position)
        if position < right
        else wrong_display(attempt, position)
        for position in range(len(attempt.items))
    }


def form_data(attempt: QuizAttempt, *, right: int) -> dict[str, str]:
    return {
        f"q{position}": str(display) for position, display in answers(attempt, right=right).items()
    }


@pytest.fixture
def lesson(course) -> Lesson:
    return first_lesson(course)


@pytest.fixture
def items(lesson, make_item) -> list:
    """Five approved items: a quiz of five questions."""
    return [make_item(lesson) for _ in range(5)]


@pytest.fixture
def attempt(enrolled, lesson, items) -> QuizAttempt:
    from courses.quizzes.services import attempt_start

    started, _created = attempt_start(enrollment=enrolled, lesson=lesson)
    return QuizAttempt.objects.select_related("lesson__module__course").get(pk=started.pk)
