"""Quiz items as plain data, with their source, and the flaws that drop them."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from courses.textnorm import match_key

KINDS = (
    "cloze",
    "cited",
    "classification",
    "definition",
    "abbreviation",
    "question",
    "association",
    "threshold",
    "action",
    "scale",
)


@dataclass(frozen=True)
class Source:
    """The sentence an item is drawn from: offsets into the lesson's text, end excluded."""

    sentence: str
    start: int
    end: int


@dataclass(frozen=True)
class Item:
    kind: str
    stem: str
    options: tuple[str, ...]
    answer: int
    explanation: str
    source: Source
    key_term: str  # canonical glossary term of the key (or the key's text)
    key_class: str
    distractor_terms: tuple[str, ...] = ()
    anchors: tuple[str, ...] = ()  # the other terms the stem is about
    variant: str = ""  # which template made it
    # Items that ask the same fact or would show each other's answer share a family: an
    # attempt draws at most one of them (pipeline.families).
    family: str = ""
    # A multiple-response item: every right option (``answer`` is the first) and the terms
    # they name (``key_term`` is the first's). Empty for an item with one key.
    answers: tuple[int, ...] = ()
    key_terms: tuple[str, ...] = ()

    @property
    def keys(self) -> tuple[int, ...]:
        return self.answers or (self.answer,)

    @property
    def fingerprint(self) -> str:
        """Stable across re-generations of the same text: kind, key, template and sentence."""
        raw = "|".join(
            [self.kind, self.variant, match_key(self.key_term), match_key(self.source.sentence)]
        )
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()

    def to_json(self) -> dict[str, Any]:
        """The course format's question object (docs/course-format.md)."""
        return {
            "kind": self.kind,
            "family": self.family,
            "stem": self.stem,
            "options": list(self.options),
            "answer": self.answer,
            **({"answers": list(self.answers)} if self.answers else {}),
            "explanation": self.explanation,
            "source": {
                "sentence": self.source.sentence,
                "start": self.source.start,
                "end": self.source.end,
            },
        }


@dataclass(frozen=True)
class Flaw:
    code: str
    message: str
    # The options at fault (indices), where the check can tell, so that an editor can say
    # which one to change; ``rule`` says which rule of the check (e.g. "elision"), ``word``
    # the word it turns on (the word before the blank, the word shared...).
    options: tuple[int, ...] = ()
    rule: str = ""
    word: str = ""


@dataclass
class Dropped:
    item: Item
    flaws: list[Flaw]


@dataclass
class LessonQuiz:
    """What generation made of one lesson: the items kept, those dropped and why."""

    lesson: str  # the caller's key for the lesson
    kept: list[Item] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)
    words: int = 0
    facts: list[str] = field(default_factory=list)  # important terms the lesson states
    covered: list[str] = field(default_factory=list)  # those an item tests

    @property
    def items_per_100_words(self) -> float:
        return 100 * len(self.kept) / self.words if self.words else 0.0
