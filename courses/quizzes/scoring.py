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
from fractions import Fraction
from typing import TypedDict


class ItemSnapshot(TypedDict, total=False):
    stem: str
    options: list[str]
    answer: int  # the key; for a multiple-response item, its first key
    # A multiple-response item's keys (two or more options to select together); absent or
    # empty for an item with one key (``answer``).
    answers: list[int]
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
    questions: Sequence[Question], answers: Mapping[int, Chosen]
) -> dict[int, Chosen]:
    """Answers given as display positions, as options: one position for a question, several
    (a set) for a multiple-response one. InvalidChoice for a position not offered, several
    for a question that takes one, or the same one twice. A multiple-response question with
    none chosen is left out (unanswered)."""
    found: dict[int, Chosen] = {}
    for position, display in answers.items():
        if isinstance(display, int):
            found[position] = option_for_display(questions, position=position, display=display)
            continue
        displays = list(display)
        if not 0 <= position < len(questions):
            raise InvalidChoice(f"no question {position}")
        if len(set(displays)) != len(displays):
            raise InvalidChoice(f"an option chosen twice in question {position}")
        options = [
            option_for_display(questions, position=position, display=shown) for shown in displays
        ]
        if not is_multiple(questions[position]["snapshot"]):
            if len(options) != 1:
                raise InvalidChoice(f"question {position} takes one answer")
            found[position] = options[0]
        elif options:
            found[position] = frozenset(options)
    return found


def required_correct(*, pass_mark: int, total: int) -> int:
    """The correct answers an attempt of ``total`` questions needs to pass: the pass mark times
    the questions, rounded to the nearest whole number, halves down (80 % of 5 is 4, 70 % of 5
    is 3, 80 % of 3 is 2), and never fewer than one.

    Whole numbers only: (pass_mark × total + 49) // 100 is the nearest with halves down.
    """
    if total <= 0:
        return 0
    return max(1, (pass_mark * total + 49) // 100)


def passed(*, score: int | Fraction, total: int, pass_mark: int) -> bool:
    """At least ``required_correct`` answers correct (points, with partial credit): what the
    pages promised before starting."""
    return total > 0 and score >= required_correct(pass_mark=pass_mark, total=total)


def keys_of(snapshot: ItemSnapshot) -> frozenset[int]:
    """The options that are right: a multiple-response item's keys, else its one key."""
    return frozenset(snapshot.get("answers") or [snapshot["answer"]])


def is_multiple(snapshot: ItemSnapshot) -> bool:
    """A multiple-response item: select every right option (checkboxes), not one (radios)."""
    return bool(snapshot.get("answers"))


Chosen = int | Collection[int]


def chosen_set(chosen: Chosen) -> frozenset[int]:
    return frozenset([chosen]) if isinstance(chosen, int) else frozenset(chosen)


def credit(snapshot: ItemSnapshot, chosen: Chosen, *, partial: bool = False) -> Fraction:
    """What a question earns, from 0 to 1: 1 for exactly its keys. With ``partial`` (a course
    setting, multiple-response items only), each key chosen earns 1/keys and each wrong option
    chosen costs 1/(options - keys), never below 0 (Moodle's "multiple answers" grading)."""
    keys = keys_of(snapshot)
    selected = chosen_set(chosen)
    if selected == keys:
        return Fraction(1)
    if not (partial and is_multiple(snapshot)) or not selected:
        return Fraction(0)
    wrong = len(snapshot["options"]) - len(keys)
    earned = Fraction(len(selected & keys), len(keys))
    if wrong:
        earned -= Fraction(len(selected - keys), wrong)
    return max(Fraction(0), earned)


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
    score: int  # questions answered exactly right
    total: int
    passed: bool
    correct: dict[int, bool]  # position -> whether exactly the keys were chosen
    points: Fraction = Fraction(0)  # the credits' sum: ``score`` unless partial credit counts


def grade(
    questions: Sequence[Question],
    chosen: Mapping[int, Chosen],
    *,
    pass_mark: int,
    partial: bool = False,
) -> Grade:
    """Score the options chosen (position -> option, or options for a multiple-response
    item); a question left unanswered is wrong. Passing compares the points (partial credit
    counted when ``partial``) with the count the pass mark requires."""
    credits = {
        position: credit(questions[position]["snapshot"], option, partial=partial)
        for position, option in chosen.items()
        if 0 <= position < len(questions)
    }
    correct = {position: earned == 1 for position, earned in credits.items()}
    score = sum(correct.values())
    points = sum(credits.values(), Fraction(0))
    total = len(questions)
    return Grade(
        score=score,
        total=total,
        passed=passed(score=points, total=total, pass_mark=pass_mark),
        correct=correct,
        points=points,
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
