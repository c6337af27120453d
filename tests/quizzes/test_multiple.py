"""Multiple-response questions: several keys, ticked together, graded all-or-nothing or with
partial credit (a course setting), saved as they are ticked, never sent before submission."""

from __future__ import annotations

import json
import re
from fractions import Fraction

import pytest

from courses.models import AttemptAnswer, Course, QuizAttempt
from courses.quizzes import scoring
from courses.quizzes.services import InvalidAnswer, attempt_start, attempt_submit

from .conftest import attempt_url, key_display, start_url

pytestmark = pytest.mark.django_db

OPTIONS = ["fièvre", "hypotension", "hypoxie", "alopécie", "bradycardie"]
KEYS = [0, 1, 2]


def snapshot(**fields) -> scoring.ItemSnapshot:
    return {"stem": "?", "options": OPTIONS, "answer": 0, "answers": KEYS, **fields}


# --- pure grading -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("chosen", "strict", "partial"),
    [
        ({0, 1, 2}, 1, 1),
        ({0, 1}, 0, Fraction(2, 3)),
        ({0, 1, 2, 3}, 0, Fraction(1, 2)),  # 1 - 1/2 for a wrong one among two
        ({0, 3}, 0, 0),  # 1/3 - 1/2 -> 0, never below
        ({3, 4}, 0, 0),
        (set(), 0, 0),
    ],
)
def test_all_or_nothing_or_partial_credit(chosen, strict, partial):
    assert scoring.credit(snapshot(), chosen) == strict
    assert scoring.credit(snapshot(), chosen, partial=True) == partial


def test_partial_credit_never_applies_to_a_one_key_question():
    single = {"stem": "?", "options": OPTIONS[:4], "answer": 1}
    assert scoring.credit(single, 1, partial=True) == 1
    assert scoring.credit(single, 2, partial=True) == 0


def test_grading_counts_points_and_exact_answers():
    questions = [
        {"item": 1, "snapshot": snapshot(), "order": [0, 1, 2, 3, 4]},
        {"item": 2, "snapshot": {"stem": "?", "options": ["a", "b"], "answer": 0},
         "order": [0, 1]},
    ]  # fmt: skip
    strict = scoring.grade(questions, {0: {0, 1}, 1: 0}, pass_mark=50)
    assert (strict.score, strict.points, strict.passed) == (1, 1, True)
    partial = scoring.grade(questions, {0: {0, 1}, 1: 1}, pass_mark=50, partial=True)
    assert (partial.score, partial.points, partial.passed) == (0, Fraction(2, 3), False)


def test_display_positions_map_to_options_and_tampering_is_refused():
    question = {"item": 1, "snapshot": snapshot(), "order": [4, 3, 2, 1, 0]}
    single = {"item": 2, "snapshot": {"stem": "?", "options": ["a", "b"], "answer": 0},
              "order": [1, 0]}  # fmt: skip
    assert scoring.options_for_display([question], {0: [4, 3]}) == {0: frozenset({0, 1})}
    assert scoring.options_for_display([question], {0: []}) == {}
    with pytest.raises(scoring.InvalidChoice):
        scoring.options_for_display([question], {0: [1, 1]})
    with pytest.raises(scoring.InvalidChoice):
        scoring.options_for_display([question], {0: [9]})
    with pytest.raises(scoring.InvalidChoice):
        scoring.options_for_display([single], {0: [0, 1]})


# --- taking it ----------------------------------------------------------------------------------


@pytest.fixture
def multiple_lesson(lesson, make_item):
    """Five questions, the first two with three keys among five options."""
    for number in range(5):
        if number < 2:
            make_item(lesson, options=OPTIONS, answer=0, multiple_answers=KEYS)
        else:
            make_item(lesson)
    return lesson


def multiple_positions(attempt) -> list[int]:
    return [
        position
        for position, question in enumerate(attempt.items)
        if scoring.is_multiple(question["snapshot"])
    ]


def displays(attempt, position, options) -> list[str]:
    order = attempt.items[position]["order"]
    return [str(order.index(option)) for option in options]


def post_data(attempt, *, multiple_options) -> dict:
    data = {}
    for position in range(attempt.total):
        if position in multiple_positions(attempt):
            data[f"q{position}"] = displays(attempt, position, multiple_options)
        else:
            data[f"q{position}"] = str(key_display(attempt, position))
    return data


def start(client, lesson) -> QuizAttempt:
    client.post(start_url(lesson))
    return QuizAttempt.objects.latest("pk")


def test_the_page_shows_checkboxes_and_how_many_but_no_key(
    learner_client, enrolled, multiple_lesson
):
    attempt = start(learner_client, multiple_lesson)
    page = learner_client.get(attempt_url(attempt)).content.decode()
    assert page.count('type="checkbox"') == 2 * 5
    assert (
        page.count("Cochez les 3\u00a0bonnes réponses.")
        + page.count("Cochez les 3 bonnes réponses.")
        == 2
    )
    assert '"answers"' not in page
    assert "is-key" not in page

    Course.objects.filter(pk=enrolled.course_id).update(multiple_count_shown=False)
    page = learner_client.get(attempt_url(attempt)).content.decode()
    assert page.count("Cochez toutes les bonnes réponses.") == 2
    assert "3 bonnes réponses" not in page


def test_ticks_are_saved_as_they_change_and_none_clears(learner_client, enrolled, multiple_lesson):
    attempt = start(learner_client, multiple_lesson)
    position = multiple_positions(attempt)[0]
    save = attempt_url(attempt, "quiz_answer")
    ticked = displays(attempt, position, [0, 3])
    response = learner_client.post(save, {"position": position, "multiple": "1", "choice": ticked})
    assert json.loads(response.content) == {"saved": True}
    row = AttemptAnswer.objects.get(attempt=attempt, position=position)
    assert (row.options, row.option) == ([0, 3], 0)
    # The page shows them ticked again.
    page = learner_client.get(attempt_url(attempt)).content.decode()
    checked = re.findall(rf'name="q{position}" value="(\d)"[^>]*checked', page)
    assert sorted(checked) == sorted(ticked)
    learner_client.post(save, {"position": position, "multiple": "1"})
    assert not AttemptAnswer.objects.filter(attempt=attempt, position=position).exists()
    # Two options for a one-answer question, or an option not offered: refused.
    single = next(p for p in range(attempt.total) if p not in multiple_positions(attempt))
    assert (
        learner_client.post(save, {"position": single, "multiple": "1", "choice": ["0", "1"]})
    ).status_code == 400
    assert (
        learner_client.post(save, {"position": position, "multiple": "1", "choice": ["9"]})
    ).status_code == 400


def test_all_or_nothing_by_default(learner_client, enrolled, multiple_lesson):
    """Two of three keys ticked on both multiple-response questions: they count for nothing;
    three of five: not passed."""
    attempt = start(learner_client, multiple_lesson)
    learner_client.post(attempt_url(attempt), post_data(attempt, multiple_options=[0, 1]))
    attempt.refresh_from_db()
    assert (attempt.score, attempt.points, attempt.passed) == (3, 3, False)
    result = learner_client.get(attempt_url(attempt, "quiz_result")).content.decode()
    assert "3 bonnes réponses sur 5" in result
    # Not released (not passed): the right options of a wrong question stay unsaid.
    assert "Bonnes réponses" not in result
    assert "hypoxie" not in result


def test_partial_credit_when_the_course_says_so(learner_client, enrolled, multiple_lesson):
    """Two of three keys: 2/3 each; 3 + 4/3 = 4.33 points, past the 4 required."""
    Course.objects.filter(pk=enrolled.course_id).update(partial_credit=True)
    attempt = start(learner_client, multiple_lesson)
    assert attempt.partial_credit
    learner_client.post(attempt_url(attempt), post_data(attempt, multiple_options=[0, 1]))
    attempt.refresh_from_db()
    assert attempt.score == 3
    assert str(attempt.points) == "4.33"
    assert attempt.passed
    assert attempt.percent == 87


def test_every_key_and_nothing_else_is_right(learner_client, enrolled, multiple_lesson):
    attempt = start(learner_client, multiple_lesson)
    learner_client.post(attempt_url(attempt), post_data(attempt, multiple_options=KEYS))
    attempt.refresh_from_db()
    assert (attempt.score, attempt.passed) == (5, True)
    result = learner_client.get(attempt_url(attempt, "quiz_result")).content.decode()
    assert "5 bonnes réponses sur 5" in result


def test_a_double_submit_and_the_service_refuse_tampering(enrolled, multiple_lesson):
    attempt, _ = attempt_start(enrollment=enrolled, lesson=multiple_lesson)
    single = next(p for p in range(attempt.total) if p not in multiple_positions(attempt))
    with pytest.raises(InvalidAnswer):
        attempt_submit(attempt=attempt, answers={single: [0, 1]})
    first = attempt_submit(attempt=attempt, answers={})
    again = attempt_submit(attempt=attempt, answers={single: 0})
    assert (first.graded_now, again.graded_now) == (True, False)
    assert again.attempt.score == 0
