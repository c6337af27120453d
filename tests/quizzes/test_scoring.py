"""Drawing, shuffling, grading and finding a source sentence (pure: no database)."""

from __future__ import annotations

import random
from decimal import Decimal
from fractions import Fraction

import pytest

from courses.quizzes import scoring


def snapshot(answer: int = 0) -> scoring.ItemSnapshot:
    return {
        "stem": "La ____ est surveillée.",
        "options": ["température", "glycémie", "diurèse", "saturation"],
        "answer": answer,
        "explanation": "",
        "source_sentence": "La température est surveillée.",
        "source_start": 0,
        "source_end": 30,
    }


def test_a_small_bank_is_served_whole_in_its_order():
    assert scoring.draw([5, 3, 9], limit=10, rng=random.Random(1)) == [5, 3, 9]


def test_a_large_bank_is_drawn_at_random_keeping_the_reading_order():
    """Twelve items, ten questions: different draws, each in the bank's order."""
    bank = list(range(100, 112))
    draws = {tuple(scoring.draw(bank, limit=10, rng=random.Random(seed))) for seed in range(20)}
    assert len(draws) > 1
    for drawn in draws:
        assert len(drawn) == 10
        assert list(drawn) == sorted(drawn)


def test_options_are_shuffled_per_question():
    """The order is a permutation of the options, and not always the same one."""
    rng = random.Random(7)
    orders = {
        tuple(scoring.question_build(item=1, snapshot=snapshot(), rng=rng)["order"])
        for _ in range(30)
    }
    assert len(orders) > 5
    assert all(sorted(order) == [0, 1, 2, 3] for order in orders)


def test_display_positions_map_through_the_stored_order():
    question = {"item": 1, "snapshot": snapshot(answer=2), "order": [3, 2, 0, 1]}
    assert scoring.option_for_display([question], position=0, display=1) == 2
    assert scoring.display_for_option(question, 2) == 1
    assert scoring.display_for_option(question, 9) is None


@pytest.mark.parametrize(("position", "display"), [(0, 4), (0, -1), (1, 0), (-1, 0)])
def test_a_choice_not_offered_is_invalid(position, display):
    question = {"item": 1, "snapshot": snapshot(), "order": [0, 1, 2, 3]}
    with pytest.raises(scoring.InvalidChoice):
        scoring.option_for_display([question], position=position, display=display)


def test_grading_counts_the_keys_and_unanswered_questions_are_wrong():
    questions = [
        {"item": n, "snapshot": snapshot(answer=n % 4), "order": [0, 1, 2, 3]} for n in range(5)
    ]
    grade = scoring.grade(questions, {0: 0, 1: 1, 2: 0}, pass_mark=80)
    assert (grade.score, grade.total, grade.passed) == (2, 5, False)
    assert grade.correct == {0: True, 1: True, 2: False}


@pytest.mark.parametrize(
    ("pass_mark", "total", "required"),
    [(80, 10, 8), (80, 5, 4), (70, 5, 3), (75, 10, 7), (80, 3, 2), (90, 5, 4), (91, 5, 5),
     (100, 7, 7), (1, 5, 1), (50, 1, 1), (80, 0, 0)],
)  # fmt: skip
def test_the_count_to_pass_is_the_pass_mark_of_the_questions_rounded_halves_down(
    pass_mark, total, required
):
    """80 % of 5 is 4; 70 % of 5 (3.5) is 3; 80 % of 3 (2.4) is 2; never fewer than one."""
    assert scoring.required_correct(pass_mark=pass_mark, total=total) == required


def test_passing_is_reaching_the_count_and_the_scorm_mastery_agrees():
    """Exhaustively, for attempts of 1 to 60 questions and every pass mark: the count is the
    nearest whole number (halves down) to pass mark × questions; an attempt passes exactly when
    it reaches it; and the score a SCORM package reports (hundredths of a percent, rounded
    down) reaches the manifest's mastery score exactly then."""
    for total in range(1, 61):
        for pass_mark in range(1, 101):
            required = scoring.required_correct(pass_mark=pass_mark, total=total)
            exact = Fraction(pass_mark * total, 100)
            assert abs(required - exact) <= Fraction(1, 2) or required == 1
            if exact - int(exact) == Fraction(1, 2):
                assert required == max(1, int(exact))  # a half goes down
            mastery = Decimal(scoring.mastery_percent(pass_mark=pass_mark, total=total))
            for score in range(total + 1):
                passed = scoring.passed(score=score, total=total, pass_mark=pass_mark)
                assert passed is (score >= required)
                reported = Decimal(10000 * score // total) / 100
                assert (reported >= mastery) is passed, (total, pass_mark, score, mastery)
    assert scoring.passed(score=0, total=0, pass_mark=80) is False


TEXT = "Intro.\n\nLa température est surveillée toutes les heures.\n\nFin."
SENTENCE = "La température est surveillée toutes les heures."


def test_the_sentence_is_found_at_its_offsets():
    start = TEXT.index(SENTENCE)
    assert scoring.sentence_locate(
        TEXT, sentence=SENTENCE, start=start, end=start + len(SENTENCE)
    ) == (
        start,
        start + len(SENTENCE),
    )


def test_offsets_still_match_across_a_line_break():
    text = "La température est\nsurveillée toutes les heures."
    assert scoring.sentence_locate(text, sentence=SENTENCE, start=0, end=len(text)) == (
        0,
        len(text),
    )


def test_a_sentence_moved_by_an_edit_elsewhere_is_found_again():
    edited = "Une introduction plus longue.\n\n" + TEXT
    start = TEXT.index(SENTENCE)
    found = scoring.sentence_locate(
        edited, sentence=SENTENCE, start=start, end=start + len(SENTENCE)
    )
    assert found == (edited.index(SENTENCE), edited.index(SENTENCE) + len(SENTENCE))


def test_a_sentence_no_longer_in_the_lesson_is_not_found():
    edited = TEXT.replace("toutes les heures", "toutes les deux heures")
    start = TEXT.index(SENTENCE)
    assert (
        scoring.sentence_locate(edited, sentence=SENTENCE, start=start, end=start + len(SENTENCE))
        is None
    )


def test_a_sentence_found_twice_elsewhere_is_ambiguous():
    edited = f"X. {SENTENCE} {SENTENCE}"
    assert scoring.sentence_locate(edited, sentence=SENTENCE, start=0, end=len(SENTENCE)) is None


def test_an_item_without_a_family_is_a_family_of_its_own():
    assert scoring.family_of(7, "") != scoring.family_of(8, "")
    assert scoring.family_of(7, "f1") == scoring.family_of(8, "f1") == "f1"


def test_two_items_of_one_family_are_never_drawn_together():
    """They ask one fact, or their stems would give each other's answers away; the quiz is
    shorter instead."""
    bank = list(range(1, 9))
    groups = {pk: f"family {pk % 3}" for pk in bank}  # three families
    for seed in range(30):
        drawn = scoring.draw(bank, limit=10, rng=random.Random(seed), groups=groups)
        assert len(drawn) == 3
        assert len({groups[pk] for pk in drawn}) == 3
        assert drawn == sorted(drawn)


def test_a_retake_avoids_the_previous_attempts_families_as_far_as_the_bank_allows():
    """Property over many draws: with enough other families, none of the avoided ones comes
    back; with too few, every other family comes first and the rest fills up."""
    bank = list(range(1, 13))
    groups = {pk: f"family {pk % 6}" for pk in bank}  # six families of two
    for seed in range(50):
        rng = random.Random(seed)
        first = scoring.draw(bank, limit=3, rng=rng, groups=groups)
        seen = {groups[pk] for pk in first}
        second = scoring.draw(bank, limit=3, rng=rng, groups=groups, avoid=seen)
        assert not {groups[pk] for pk in second} & seen  # three other families exist
        third = scoring.draw(bank, limit=5, rng=rng, groups=groups, avoid=seen)
        fresh = {groups[pk] for pk in third} - seen
        assert len(fresh) == 3  # all the others, then two of the avoided
        assert len({groups[pk] for pk in third}) == 5
