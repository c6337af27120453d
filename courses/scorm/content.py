"""What a SCO shows: its questions, their options in a fixed order, the keys obfuscated.

Pure (plain data in and out). The SCO grades in the browser: the one place where keys reach
the browser before an answer, because the LMS only receives the result. They are obfuscated
(XOR with a salt, then base64), which keeps them out of the page's text and deters casual
reading — no more: anyone who reads the JavaScript can decode them (docs/scorm.md says so).
"""

from __future__ import annotations

import base64
import hashlib
import random
from collections.abc import Sequence
from dataclasses import dataclass

from courses.quizzes import scoring

from . import identifiers as ids

LETTERS = "abcdefghijklmnopqrstuvwxyz"


@dataclass(frozen=True)
class ItemData:
    pk: int
    fingerprint: str
    stem: str
    options: tuple[str, ...]
    answer: int
    family: str  # quizgen's family: one item of a family per quiz ("" alone)
    answers: tuple[int, ...] = ()  # a multiple-response item's keys; () for one key

    @property
    def keys(self) -> tuple[int, ...]:
        return tuple(sorted(self.answers)) if self.answers else (self.answer,)


@dataclass(frozen=True)
class Option:
    value: str  # the letter the radio button sends and the LMS records
    text: str


@dataclass(frozen=True)
class ScoQuestion:
    id: str  # the interaction id
    stem: str
    options: tuple[Option, ...]
    key: str  # the letters of the right options, as shown, in order ("b"; "ace")
    multiple: bool = False  # checkboxes: every right option, and only them, to be ticked

    @property
    def keys_count(self) -> int:
        return len(self.key)


def seed_for(lesson_pk: int, items: Sequence[ItemData]) -> str:
    """Same lesson and same items, same quiz: two exports give the learner the same SCO."""
    digest = hashlib.sha256(f"{lesson_pk}:".encode())
    for item in sorted(items, key=lambda i: i.pk):
        digest.update(f"{item.pk}:{item.fingerprint};".encode())
    return digest.hexdigest()


def sco_questions(items: Sequence[ItemData], *, seed: str, limit: int) -> list[ScoQuestion]:
    """At most ``limit`` of the lesson's approved items, drawn as the site draws a quiz (never
    two of one family), in reading order, their options shuffled, all decided by ``seed``."""
    rng = random.Random(seed)  # noqa: S311  (reproducible on purpose, not a secret)
    by_pk = {item.pk: item for item in items}
    chosen = scoring.draw(
        [item.pk for item in items],
        limit=limit,
        rng=rng,
        groups={item.pk: scoring.family_of(item.pk, item.family) for item in items},
    )
    questions = []
    for pk in chosen:
        item = by_pk[pk]
        order = list(range(len(item.options)))
        rng.shuffle(order)
        options = tuple(
            Option(value=LETTERS[display], text=item.options[option])
            for display, option in enumerate(order)
        )
        questions.append(
            ScoQuestion(
                id=ids.interaction_id(item.fingerprint),
                stem=item.stem,
                options=options,
                key="".join(sorted(LETTERS[order.index(key)] for key in item.keys)),
                multiple=bool(item.answers),
            )
        )
    return questions


def salt_for(seed: str) -> str:
    return hashlib.sha256(("salt:" + seed).encode()).hexdigest()[:16]


def keys_text(questions: Sequence[ScoQuestion]) -> str:
    """Every question's key letters, in order, a dot between them ("b.ace.d"): what the SCO's
    data-key holds, obfuscated."""
    return ".".join(question.key for question in questions)


def obfuscate(letters: str, salt: str) -> str:
    """base64 of each letter's code XOR the salt's (sco.js undoes it at grading time)."""
    data = bytes(ord(letter) ^ ord(salt[i % len(salt)]) for i, letter in enumerate(letters))
    return base64.b64encode(data).decode("ascii")


def reveal(key: str, salt: str) -> str:
    """The inverse of ``obfuscate`` (what sco.js does), for the tests and the docs."""
    data = base64.b64decode(key)
    return "".join(chr(byte ^ ord(salt[i % len(salt)])) for i, byte in enumerate(data))
