"""Splitting a document without headings into lessons, and titling them.

Topic breaks are found as TextTiling does (Hearst, 1997): the vocabulary of adjacent paragraphs
is compared and the document is cut where the overlap is lowest, with a penalty for unequal
lengths so that no lesson is a single short paragraph beside a long one. Pure and deterministic.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter

from courses.textnorm import match_key

# Lessons of a document without headings: two or three, about this many words each.
_WORDS_PER_LESSON = 150
_MAX_PARTS = 3
_MIN_PARTS = 2
# A title is a short phrase: at most this many words.
_TITLE_MAX_WORDS = 8

_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*", re.UNICODE)
# Function words that carry no topic (compared after match_key: no accents, lower case).
_STOPWORDS = frozenset(
    """
    a au aux avec ce ces cet cette ci comme dans de des du elle elles en entre est et etre eux
    il ils je la le les leur leurs lors lorsque lui mais meme mes moi mon ne ni nos notre nous
    on ou par pas peu peut peuvent plus pour qu que quel quelle quelles quels qui sa sans se
    ses si son sont sous sur ta te tes toi ton tous tout toute toutes tres tu un une vos votre
    vous y ainsi alors aussi autre autres avoir bien cela celle celles celui ceux certains
    certaines cas donc dont elles encore etait ete etre fait faire font ici leur meme notamment
    parce plusieurs selon soit tels telles telle tel une etc afin egalement cependant ainsi
    dans
    """.split()
)
# Words that open a sentence without saying what it is about.
_LEAD_INS = (
    "il est important de noter que",
    "il convient de noter que",
    "il faut noter que",
    "en conclusion",
    "en resume",
    "par ailleurs",
    "de plus",
    "cependant",
    "toutefois",
    "en revanche",
    "enfin",
    "ainsi",
)
# Verbs that end a sentence's subject: a title cut short stops before them ("Le syndrome de
# libération de cytokines est relativement rare" -> "Le syndrome de libération de cytokines").
_SUBJECT_ENDING_VERBS = frozenset(
    "est sont ont peut peuvent doit doivent etait etaient sera seront".split()
)
_TRAILING_FUNCTION_WORDS = frozenset(
    """
    a au aux avec dans de des du en et l la le les d par pour qui que qu un une sur sous ou son
    sa ses leur leurs ce cette ces comme
    """.split()
)


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def _stem(word: str) -> str:
    """A crude French stem: enough to match "cytokine" with "cytokines"."""
    for suffix in ("ements", "ement", "ations", "ation", "euses", "euse", "eux", "es", "s", "e"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def _vocabulary(text: str) -> Counter[str]:
    keys = (match_key(word) for word in words(text))
    return Counter(_stem(key) for key in keys if len(key) > 2 and key not in _STOPWORDS)


def _cosine(left: Counter[str], right: Counter[str]) -> float:
    shared = set(left) & set(right)
    dot = sum(left[word] * right[word] for word in shared)
    norm = math.sqrt(sum(v * v for v in left.values())) * math.sqrt(
        sum(v * v for v in right.values())
    )
    return dot / norm if norm else 0.0


def part_count(paragraphs: list[str]) -> int:
    total = sum(len(words(paragraph)) for paragraph in paragraphs)
    wanted = round(total / _WORDS_PER_LESSON)
    return max(1, min(len(paragraphs), _MAX_PARTS, max(_MIN_PARTS, wanted)))


def split_by_topic(paragraphs: list[str], parts: int | None = None) -> list[list[str]]:
    """Consecutive paragraphs grouped into ``parts`` lessons (two or three by default)."""
    parts = part_count(paragraphs) if parts is None else min(parts, len(paragraphs))
    if parts <= 1:
        return [paragraphs]

    vocabularies = [_vocabulary(paragraph) for paragraph in paragraphs]
    lengths = [len(words(paragraph)) for paragraph in paragraphs]
    # Similarity across each gap: the two paragraphs on either side of it, as one window each,
    # so that a single off-topic sentence does not decide.
    gaps = []
    for gap in range(1, len(paragraphs)):
        before = sum(vocabularies[max(0, gap - 2) : gap], Counter())
        after = sum(vocabularies[gap : gap + 2], Counter())
        gaps.append(_cosine(before, after))

    total = sum(lengths)
    best: tuple[float, tuple[int, ...]] | None = None
    for cuts in itertools.combinations(range(1, len(paragraphs)), parts - 1):
        bounds = (0, *cuts, len(paragraphs))
        sizes = [sum(lengths[a:b]) for a, b in itertools.pairwise(bounds)]
        imbalance = (max(sizes) - min(sizes)) / total
        score = sum(gaps[cut - 1] for cut in cuts) / len(cuts) + imbalance
        if best is None or score < best[0]:
            best = (score, cuts)
    assert best is not None  # noqa: S101  (at least one combination exists when parts >= 2)
    bounds = (0, *best[1], len(paragraphs))
    return [paragraphs[a:b] for a, b in itertools.pairwise(bounds)]


def _first_sentence(paragraph: str) -> str:
    text = re.sub(r"[ \t\n]+", " ", re.sub(r"[*_`#>]", "", paragraph)).strip()
    match = re.search(r"(?<=[.!?…])\s+(?=[A-ZÀ-ÖØ-Þ])", text)
    return text[: match.start()] if match else text


def title_from_paragraph(paragraph: str) -> str:
    """A short phrase from the paragraph's first sentence, usable as a lesson title.

    The lead-in ("Il est important de noter que", "Cependant,") is dropped, the phrase ends at the
    first comma, parenthesis or colon, and a longer one is cut to a few words without leaving a
    dangling article or preposition.
    """
    sentence = _first_sentence(paragraph).rstrip(".!?… ")
    key = match_key(sentence)
    for lead_in in _LEAD_INS:
        if key.startswith(lead_in + " ") or key.startswith(lead_in + ","):
            sentence = sentence[len(lead_in) :].lstrip(" ,")
            break
    phrase = re.split(r"\s*[,;:(\[—–]\s*|\s+-\s+", sentence, maxsplit=1)[0].strip()
    tokens = phrase.split()
    if len(tokens) > _TITLE_MAX_WORDS:
        keys = [match_key(token) for token in tokens[: _TITLE_MAX_WORDS + 1]]
        verb = next((i for i, key in enumerate(keys) if i >= 2 and key in _SUBJECT_ENDING_VERBS), 0)
        tokens = tokens[: verb or _TITLE_MAX_WORDS]
        # match_key makes "’" a straight apostrophe: an elided "d’" or "l’" is dropped as well.
        while len(tokens) > 2 and (
            match_key(tokens[-1]) in _TRAILING_FUNCTION_WORDS or match_key(tokens[-1]).endswith("'")
        ):
            tokens.pop()
    title = " ".join(tokens)
    return title[:1].upper() + title[1:] if title else paragraph[:60]
