"""Drawing, shuffling and grading a quiz: pure functions over plain data (no ORM, no settings).

An attempt keeps, for each question in the order shown, the item's id, a snapshot of the item
and ``order``, the permutation its options were shown in: ``order[display] == option`` where
``display`` is the position on the page (what the form posts) and ``option`` an index into the
snapshot's own options (what ``answer`` and ``AttemptAnswer.option`` count in). Nothing but the
display position ever reaches the browser before the attempt is submitted.
"""

from __future__ import annotations

import random
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import TypedDict


class ItemSnapshot(TypedDict):
    stem: str
    options: list[str]
    answer: int
    explanation: str
    source_sentence: str
    source_start: int
    source_end: int


class Question(TypedDict):
    item: int
    snapshot: ItemSnapshot
    order: list[int]


class InvalidChoice(ValueError):
    """A position or a display choice that the attempt does not have."""


def family_of(pk: int, family: str) -> str:
    """The group an item is drawn in: its family, or itself alone when it has none."""
    return family or f"#{pk}"


def draw(
    ids: Sequence[int],
    *,
    limit: int,
    rng: random.Random,
    groups: Mapping[int, str] | None = None,
    avoid: Collection[str] = (),
) -> list[int]:
    """At most ``limit`` of ``ids``, drawn at random when there are more, in their given order.

    Items of one group (``groups``: the family of each, see ``family_of``) never come
    together: they ask the same fact, or one item's stem would show another's answer ("…une
    tachycardie, une _____, …" beside "une _____, une hypotension"). Groups in ``avoid`` (the
    learner's previous attempt's) come only when the others are too few: a retake asks other
    facts as far as the bank allows. The questions keep the order of the bank (the lesson's
    reading order), so that the feedback after the attempt follows the lesson.
    """
    shuffled = list(ids)
    rng.shuffle(shuffled)
    chosen: set[int] = set()
    used: set[str] = set()

    def group_of(pk: int) -> str:
        return (groups or {}).get(pk) or family_of(pk, "")

    # The avoided groups last (a stable sort keeps the rest shuffled).
    for pk in sorted(shuffled, key=lambda pk: group_of(pk) in avoid):
        if len(chosen) == limit:
            break
        group = group_of(pk)
        if group in used:
            continue
        used.add(group)
        chosen.add(pk)
    return [pk for pk in ids if pk in chosen]


def question_build(*, item: int, snapshot: ItemSnapshot, rng: random.Random) -> Question:
    """A question as an attempt stores it, its options in a new random order."""
    order = list(range(len(snapshot["options"])))
    rng.shuffle(order)
    return {"item": item, "snapshot": snapshot, "order": order}


def option_for_display(questions: Sequence[Question], *, position: int, display: int) -> int:
    """The option (index into the item's own options) shown at ``display`` in a question."""
    if not 0 <= position < len(questions):
        raise InvalidChoice(f"no question {position}")
    order = questions[position]["order"]
    if not 0 <= display < len(order):
        raise InvalidChoice(f"no choice {display} in question {position}")
    return order[display]


def display_for_option(question: Question, option: int) -> int | None:
    """Where an option was shown, or None if the question has no such option."""
    try:
        return question["order"].index(option)
    except ValueError:
        return None


def options_for_display(
    questions: Sequence[Question], answers: Mapping[int, int]
) -> dict[int, int]:
    """Answers given as display positions, as options; InvalidChoice if any is not offered."""
    return {
        position: option_for_display(questions, position=position, display=display)
        for position, display in answers.items()
    }


def required_correct(*, pass_mark: int, total: int) -> int:
    """The correct answers an attempt of ``total`` questions needs to pass: the pass mark times
    the questions, rounded to the nearest whole number, halves down (80 % of 5 is 4, 70 % of 5
    is 3, 80 % of 3 is 2), and never fewer than one.

    Whole numbers only: (pass_mark × total + 49) // 100 is the nearest with halves down.
    """
    if total <= 0:
        return 0
    return max(1, (pass_mark * total + 49) // 100)


def passed(*, score: int, total: int, pass_mark: int) -> bool:
    """At least ``required_correct`` answers correct: what the pages promised before starting."""
    return total > 0 and score >= required_correct(pass_mark=pass_mark, total=total)


def mastery_percent(*, pass_mark: int, total: int) -> str:
    """The score (percent, in hundredths, as SCORM's decimals are written) at which an attempt
    of ``total`` questions passes: ``required_correct`` of ``total``, rounded down, so that a
    score of floor(10000 × right / total) / 100 reaches it exactly when ``passed`` says so
    (``total`` under 10,000). "80", "60", "66.66"."""
    hundredths = 10000 * required_correct(pass_mark=pass_mark, total=total) // max(1, total)
    whole, part = divmod(hundredths, 100)
    return f"{whole}.{part:02d}".rstrip("0").rstrip(".") if part else str(whole)


@dataclass(frozen=True)
class Grade:
    score: int
    total: int
    passed: bool
    correct: dict[int, bool]  # position -> whether the option chosen is the key


def grade(questions: Sequence[Question], chosen: Mapping[int, int], *, pass_mark: int) -> Grade:
    """Score the options chosen (position -> option); a question left unanswered is wrong."""
    correct = {
        position: option == questions[position]["snapshot"]["answer"]
        for position, option in chosen.items()
        if 0 <= position < len(questions)
    }
    score = sum(correct.values())
    total = len(questions)
    return Grade(
        score=score,
        total=total,
        passed=passed(score=score, total=total, pass_mark=pass_mark),
        correct=correct,
    )


def _squeezed(text: str) -> str:
    return " ".join(text.split())


def sentence_locate(text: str, *, sentence: str, start: int, end: int) -> tuple[int, int] | None:
    """Where the source sentence of an item is in the lesson's text as it is now.

    At its recorded offsets if the text there is still the sentence (line breaks and spaces
    aside); else where it occurs, if it occurs exactly once (the text changed elsewhere);
    else None: the lesson no longer says it, and nothing is highlighted.
    """
    if not sentence.strip():
        return None
    if 0 <= start < end <= len(text) and _squeezed(text[start:end]) == _squeezed(sentence):
        return start, end
    found = text.find(sentence)
    if found >= 0 and text.find(sentence, found + 1) < 0:
        return found, found + len(sentence)
    return None
