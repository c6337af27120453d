"""Starting, answering and submitting an attempt: the services."""

from __future__ import annotations

import random

import pytest

from courses.models import AttemptAnswer, Course, QuestionItem, QuizAttempt
from courses.quizzes import services
from courses.quizzes.services import attempt_answer_save, attempt_start, attempt_submit

from .conftest import answers, key_display, wrong_display

pytestmark = pytest.mark.django_db


def test_only_approved_items_are_served(enrolled, lesson, make_item):
    """Drafts and rejected items never reach an attempt."""
    approved = {make_item(lesson).pk for _ in range(3)}
    make_item(lesson, status=QuestionItem.Status.DRAFT)
    make_item(lesson, status=QuestionItem.Status.REJECTED)
    attempt, created = attempt_start(enrollment=enrolled, lesson=lesson)
    assert created
    assert {question["item"] for question in attempt.items} == approved
    assert attempt.total == 3


def test_a_lesson_without_an_approved_item_has_no_quiz(enrolled, lesson, make_item):
    make_item(lesson, status=QuestionItem.Status.DRAFT)
    with pytest.raises(services.NoQuiz):
        attempt_start(enrollment=enrolled, lesson=lesson)
    assert QuizAttempt.objects.count() == 0


def test_the_maximum_caps_the_questions_drawn_at_random(enrolled, lesson, make_item):
    """A bank of 12 items and a course's attempts of 10: ten questions, not the same ten every
    time."""
    Course.objects.filter(pk=enrolled.course_id).update(quiz_questions=10)
    for _ in range(12):
        make_item(lesson)
    drawn = set()
    for seed in range(8):
        attempt, _ = attempt_start(enrollment=enrolled, lesson=lesson, rng=random.Random(seed))
        assert attempt.total == len(attempt.items) == 10
        drawn.add(tuple(question["item"] for question in attempt.items))
        attempt_submit(attempt=attempt, answers={})
    assert len(drawn) > 1


def test_an_attempt_never_draws_two_items_of_one_family(enrolled, lesson, make_item):
    """Property over many draws: items of one family ask the same fact or share a stem, so an
    attempt holds at most one of each; items without a family are each their own."""
    Course.objects.filter(pk=enrolled.course_id).update(quiz_questions=6)
    families = ["a", "a", "a", "b", "b", "c", "d", "d", "", "", ""]
    items = {make_item(lesson, family=family).pk: family for family in families}
    sizes = set()
    for seed in range(40):
        attempt, _ = attempt_start(enrollment=enrolled, lesson=lesson, rng=random.Random(seed))
        drawn = [items[question["item"]] for question in attempt.items]
        named = [family for family in drawn if family]
        assert len(named) == len(set(named)), drawn
        sizes.add(len(drawn))
        attempt_submit(attempt=attempt, answers={})
    # Four families and three loners: the maximum of 6 is always reached.
    assert sizes == {6}


def test_options_are_shuffled_per_attempt(enrolled, lesson, make_item):
    for _ in range(5):
        make_item(lesson)
    orders = set()
    for seed in range(6):
        attempt, _ = attempt_start(enrollment=enrolled, lesson=lesson, rng=random.Random(seed))
        orders.update(tuple(question["order"]) for question in attempt.items)
        attempt_submit(attempt=attempt, answers={})
    assert len(orders) > 3
    assert all(sorted(order) == [0, 1, 2, 3] for order in orders)


def test_the_attempt_keeps_a_snapshot_of_each_item(enrolled, lesson, make_item):
    """Editing an item later changes no attempt: grading reads the snapshot."""
    item = make_item(lesson, answer=2, explanation="Parce que.")
    attempt, _ = attempt_start(enrollment=enrolled, lesson=lesson)
    [question] = attempt.items
    assert question["item"] == item.pk
    assert question["snapshot"] == {
        "stem": item.stem,
        "options": item.options,
        "answer": 2,
        "explanation": "Parce que.",
        "source_sentence": item.source_sentence,
        "source_start": item.source_start,
        "source_end": item.source_end,
    }
    QuestionItem.objects.filter(pk=item.pk).update(answer=0)
    submitted = attempt_submit(attempt=attempt, answers={0: key_display(attempt, 0)}).attempt
    assert submitted.score == 1


def test_the_pass_mark_is_the_one_at_the_start(enrolled, lesson, items, course):
    attempt, _ = attempt_start(enrollment=enrolled, lesson=lesson)
    assert attempt.pass_mark == 80
    course.pass_mark = 50
    course.save()
    result = attempt_submit(attempt=attempt, answers=answers(attempt, right=3)).attempt
    assert (result.score, result.total, result.pass_mark, result.passed) == (3, 5, 80, False)


def test_grading_against_the_pass_mark(attempt):
    """4 of 5 is 80 %: passed at a pass mark of 80."""
    result = attempt_submit(attempt=attempt, answers=answers(attempt, right=4)).attempt
    assert (result.score, result.total, result.passed) == (4, 5, True)
    assert result.percent == 80
    assert result.submitted_at is not None
    rows = AttemptAnswer.objects.filter(attempt=attempt).order_by("position")
    assert [row.is_correct for row in rows] == [True, True, True, True, False]


def test_answers_are_stored_as_the_items_own_option(attempt):
    """The form's value is the position on the page; the answer row holds the item's option."""
    display = wrong_display(attempt, 0)
    attempt_answer_save(attempt=attempt, position=0, choice=display)
    row = AttemptAnswer.objects.get(attempt=attempt, position=0)
    assert row.option == attempt.items[0]["order"][display]
    assert row.item_id == attempt.items[0]["item"]
    assert row.is_correct is None  # graded at submission, not before


def test_changing_an_answer_updates_its_row(attempt):
    attempt_answer_save(attempt=attempt, position=1, choice=wrong_display(attempt, 1))
    attempt_answer_save(attempt=attempt, position=1, choice=key_display(attempt, 1))
    assert AttemptAnswer.objects.filter(attempt=attempt).count() == 1
    result = attempt_submit(attempt=attempt, answers={}).attempt
    assert result.score == 1


def test_saved_answers_count_with_those_of_the_submission(attempt):
    """Answers saved one by one and answers posted with the submission are graded together."""
    attempt_answer_save(attempt=attempt, position=0, choice=key_display(attempt, 0))
    result = attempt_submit(attempt=attempt, answers={1: key_display(attempt, 1)}).attempt
    assert result.score == 2
    assert AttemptAnswer.objects.filter(attempt=attempt).count() == 2


def test_submitting_twice_returns_the_first_result(attempt):
    """The second submission changes nothing and says it was not graded again."""
    first = attempt_submit(attempt=attempt, answers=answers(attempt, right=5))
    second = attempt_submit(attempt=attempt, answers=answers(attempt, right=0))
    assert first.graded_now
    assert not second.graded_now
    assert second.attempt.score == 5
    assert second.attempt.submitted_at == first.attempt.submitted_at
    assert AttemptAnswer.objects.filter(attempt=attempt, is_correct=True).count() == 5


def test_an_answer_to_a_submitted_attempt_is_refused(attempt):
    attempt_submit(attempt=attempt, answers=answers(attempt, right=0))
    with pytest.raises(services.AttemptSubmitted):
        attempt_answer_save(attempt=attempt, position=0, choice=key_display(attempt, 0))
    row = AttemptAnswer.objects.get(attempt=attempt, position=0)
    assert row.option != attempt.items[0]["snapshot"]["answer"]
    attempt.refresh_from_db()
    assert attempt.score == 0


@pytest.mark.parametrize(("position", "choice"), [(0, 4), (0, 99), (5, 0), (99, 0), (-1, 0)])
def test_a_choice_not_offered_is_refused_and_changes_nothing(attempt, position, choice):
    with pytest.raises(services.InvalidAnswer):
        attempt_answer_save(attempt=attempt, position=position, choice=choice)
    with pytest.raises(services.InvalidAnswer):
        attempt_submit(attempt=attempt, answers={0: 0, position: choice})
    attempt.refresh_from_db()
    assert attempt.submitted_at is None
    assert not AttemptAnswer.objects.filter(attempt=attempt).exists()


def test_the_hook_after_grading_runs_once(attempt, monkeypatch):
    graded = []
    monkeypatch.setattr(services, "_after_grading", graded.append)
    attempt_submit(attempt=attempt, answers={})
    attempt_submit(attempt=attempt, answers={})
    assert [a.pk for a in graded] == [attempt.pk]
    assert graded[0].submitted_at is not None


def test_starting_again_resumes_the_attempt_in_progress(enrolled, lesson, items):
    first, created = attempt_start(enrollment=enrolled, lesson=lesson)
    again, created_again = attempt_start(enrollment=enrolled, lesson=lesson)
    assert created
    assert not created_again
    assert again.pk == first.pk
    assert QuizAttempt.objects.count() == 1


def test_a_new_attempt_after_a_submitted_one_is_numbered_on(enrolled, lesson, items):
    first, _ = attempt_start(enrollment=enrolled, lesson=lesson)
    attempt_submit(attempt=first, answers={})
    second, created = attempt_start(enrollment=enrolled, lesson=lesson)
    assert created
    assert (first.number, second.number) == (1, 2)


def test_attempts_beyond_the_course_limit_are_refused(enrolled, lesson, items, course):
    course.max_attempts = 2
    course.save()
    for _ in range(2):
        attempt, _ = attempt_start(enrollment=enrolled, lesson=lesson)
        attempt_submit(attempt=attempt, answers={})
    with pytest.raises(services.AttemptsExhausted) as refused:
        attempt_start(enrollment=enrolled, lesson=lesson)
    assert "toutes les tentatives" in str(refused.value)
    assert QuizAttempt.objects.count() == 2


def test_the_last_allowed_attempt_in_progress_is_still_resumed(enrolled, lesson, items, course):
    course.max_attempts = 1
    course.save()
    first, _ = attempt_start(enrollment=enrolled, lesson=lesson)
    again, created = attempt_start(enrollment=enrolled, lesson=lesson)
    assert (again.pk, created) == (first.pk, False)


def test_an_item_deleted_during_the_attempt_leaves_its_answer_without_item(attempt):
    QuestionItem.objects.filter(pk=attempt.items[0]["item"]).delete()
    result = attempt_submit(attempt=attempt, answers={0: key_display(attempt, 0)}).attempt
    assert result.score == 1
    assert AttemptAnswer.objects.get(attempt=attempt, position=0).item_id is None


def test_the_lesson_must_be_in_the_enrolments_course(enrolled, make_course, make_item):
    from tests.quizzes.conftest import first_lesson

    other = first_lesson(make_course())
    make_item(other)
    with pytest.raises(ValueError, match="not in the enrolment"):
        attempt_start(enrollment=enrolled, lesson=other)


@pytest.mark.parametrize("percent", [-1, 201])
def test_extra_time_is_bounded(enrolled, percent):
    with pytest.raises(ValueError, match="extra time"):
        services.enrollment_set_extra_time(enrollment=enrolled, percent=percent)


def test_extra_time_is_saved(enrolled):
    services.enrollment_set_extra_time(enrollment=enrolled, percent=33)
    enrolled.refresh_from_db()
    assert enrolled.extra_time_percent == 33


def test_numbering_goes_on_after_a_deleted_attempt(enrolled, lesson, items):
    """An attempt removed by an administrator does not make the next one reuse a number."""
    for _ in range(3):
        attempt, _ = attempt_start(enrollment=enrolled, lesson=lesson)
        attempt_submit(attempt=attempt, answers={})
    QuizAttempt.objects.filter(number=2).delete()
    attempt, created = attempt_start(enrollment=enrolled, lesson=lesson)
    assert created
    assert attempt.number == 4


def test_a_retake_asks_other_families_than_the_last_attempt(enrolled, lesson, make_item):
    """Property over many retakes: a bank of ten families and attempts of five, each attempt
    avoids every family of the one before."""
    Course.objects.filter(pk=enrolled.course_id).update(quiz_questions=5)
    families = {make_item(lesson, family=f"f{n}").pk: f"f{n}" for n in range(10)}
    before: set[str] = set()
    for seed in range(20):
        attempt, _ = attempt_start(enrollment=enrolled, lesson=lesson, rng=random.Random(seed))
        drawn = {families[question["item"]] for question in attempt.items}
        assert len(drawn) == 5
        assert not drawn & before, (drawn, before)
        before = drawn
        attempt_submit(attempt=attempt, answers={})
