"""When a learner sees the right answers: the course's review setting (after passing, after the
last allowed attempt, never). Until then a wrong question's result holds neither its key, nor
its explanation, nor its source sentence: only the link to the passage to re-read."""

from __future__ import annotations

import re

import pytest

from courses.models import Course, QuizAttempt

from .conftest import attempt_url, form_data, start_url

pytestmark = pytest.mark.django_db


def take(client, lesson, *, right: int) -> tuple[QuizAttempt, str]:
    """An attempt answered with ``right`` correct answers (the first ones), and its result."""
    client.post(start_url(lesson))
    attempt = QuizAttempt.objects.filter(lesson=lesson).order_by("-number").first()
    client.post(attempt_url(attempt), form_data(attempt, right=right))
    attempt.refresh_from_db()
    return attempt, client.get(attempt_url(attempt, "quiz_result")).content.decode()


def questions(page: str) -> list[str]:
    return re.findall(r'<article class="feedback.*?</article>', page, flags=re.S)


def assert_withheld(attempt: QuizAttempt, page: str, *, wrong: range) -> None:
    """The wrong questions show no key, explanation or source; the right ones show theirs."""
    blocks = questions(page)
    assert len(blocks) == len(attempt.items)
    for position, (question, block) in enumerate(zip(attempt.items, blocks, strict=True)):
        snapshot = question["snapshot"]
        if position in wrong:
            assert "is-key" not in block
            assert "Bonne réponse" not in block
            assert snapshot["explanation"] not in page
            assert snapshot["source_sentence"] not in page
            assert f"?passage={attempt.pk}-{position}" in block  # what to re-read
        else:
            assert "is-key" in block
            assert snapshot["explanation"] in block


def assert_released(attempt: QuizAttempt, page: str) -> None:
    for question, block in zip(attempt.items, questions(page), strict=True):
        assert "is-key" in block
        assert question["snapshot"]["explanation"] in block


def set_review(course: Course, release: str, *, max_attempts: int | None = None) -> None:
    Course.objects.filter(pk=course.pk).update(review_release=release, max_attempts=max_attempts)


def test_by_default_a_failed_result_withholds_the_wrong_answers_keys(
    learner_client, enrolled, lesson, items
):
    """Replaying what a failed result showed cannot pass the quiz: the two wrong questions
    show neither their right option nor their explanation nor their source sentence."""
    assert lesson.module.course.review_release == Course.ReviewRelease.AFTER_PASS
    attempt, page = take(learner_client, lesson, right=3)
    assert attempt.passed is False
    assert_withheld(attempt, page, wrong=range(3, 5))
    assert "une fois ce quiz réussi" in page


def test_after_passing_every_result_shows_the_keys(learner_client, enrolled, lesson, items):
    first, _page = take(learner_client, lesson, right=3)
    second, page = take(learner_client, lesson, right=5)
    assert second.passed
    assert_released(second, page)
    page = learner_client.get(attempt_url(first, "quiz_result")).content.decode()
    assert_released(first, page)  # the failed attempt's result too, now


def test_after_the_last_allowed_attempt(learner_client, enrolled, lesson, items):
    set_review(lesson.module.course, Course.ReviewRelease.AFTER_LAST_ATTEMPT, max_attempts=2)
    first, page = take(learner_client, lesson, right=2)
    assert_withheld(first, page, wrong=range(2, 5))
    assert "après votre dernière tentative autorisée" in page
    second, page = take(learner_client, lesson, right=2)
    assert_released(second, page)


def test_after_the_last_attempt_of_unlimited_attempts_is_never(
    learner_client, enrolled, lesson, items
):
    set_review(lesson.module.course, Course.ReviewRelease.AFTER_LAST_ATTEMPT)
    attempt, page = take(learner_client, lesson, right=5)
    assert attempt.passed
    assert_released(attempt, page)  # every answer right: nothing to withhold
    attempt, page = take(learner_client, lesson, right=1)
    assert_withheld(attempt, page, wrong=range(1, 5))
    # No last attempt to wait for: the page does not promise one.
    assert "après votre dernière tentative" not in page
    assert "Relisez le passage de la leçon pour trouver la bonne réponse" in page


def test_never_even_after_passing(learner_client, enrolled, lesson, items):
    set_review(lesson.module.course, Course.ReviewRelease.NEVER)
    attempt, page = take(learner_client, lesson, right=4)
    assert attempt.passed
    assert_withheld(attempt, page, wrong=range(4, 5))
    assert "Relisez le passage de la leçon pour trouver la bonne réponse" in page


def test_a_released_explanation_that_quotes_its_sentence_is_shown_once(
    learner_client, enrolled, lesson, items
):
    """Generated explanations quote the source sentence ("Le texte l’indique : « … »"): the
    sentence is not quoted a second time under it."""
    from courses.models import QuestionItem

    for item in QuestionItem.objects.filter(lesson=lesson):
        item.explanation = f"Le texte l’indique : « {item.source_sentence} »"
        item.save(update_fields=["explanation"])
    attempt, page = take(learner_client, lesson, right=5)
    for question in attempt.items:
        assert page.count(question["snapshot"]["source_sentence"]) == 1
