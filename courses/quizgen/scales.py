"""Grading scales the text states, and what each grade means.

"La gravité est évaluée selon l’échelle RTOG … : le grade 1 correspond à un érythème léger
…, le grade 2 à …, le grade 3 à une desquamation humide confluente … et le grade 4 à …" is a
contrast set: every grade's meaning is true of that grade and wrong for the others. It gives
"Selon l’échelle RTOG, à quoi correspond le grade 3 ?" (the other grades' meanings are the
wrong answers) and "… à quel grade correspond une desquamation humide confluente ?" (the other
grades). Options follow the scale's order, as a nurse reads it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from courses.textnorm import match_key

from . import french
from .context import LessonContext, SentenceInfo
from .generators import OPTIONS, _explanation, _question, _source
from .items import Item

# "le grade 2 correspond à", "le stade III :", then "le grade 3 à" once the verb was said.
_ENTRY = re.compile(
    r"(?:\b(?:le|au|aux)\s+)?\b(?P<label>grade|stade|niveau|classe)\s+"
    r"(?P<number>\d{1,2}|[IVX]{1,4})\b\s*"
    r"(?P<link>(?:correspond(?:ent)?|équivaut|renvoie)\s+à\s+|:\s*|=\s*|à\s+|désigne\s+|"
    r"signifie\s+)",
    re.IGNORECASE,
)
# Where a grade's meaning stops: the next entry's separator, or a comment on it (", qui …",
# ", souvent …"); a comma before a determiner continues a list ("une ulcération, une
# hémorragie ou une nécrose").
_TAIL = re.compile(r"\s*[,;]\s*(?:et\s+)?$|\s+et\s*$|\s*\.\s*$")
_COMMENT = re.compile(
    r",\s+(?!(?:un|une|des|le|la|les|l['’]|du|de|d['’])\b)[^\W\d_]", re.IGNORECASE
)
# "l’échelle RTOG", "la classification CTCAE", "le score de Glasgow".
_SCALE_NAME = re.compile(
    r"\b((?:l['’]\s*échelle|la\s+classification|le\s+score|la\s+grille|les\s+critères)"
    r"\s+(?:de\s+|d['’]\s*)?[A-Z][\w-]*)"
)
# "Pour la diarrhée, par exemple, le grade 1 …": the scale is applied to something.
_APPLIED = re.compile(
    r"^((?:pour|chez|dans|en cas d['’e])\s*[^,;:]{2,60}?)\s*,(?:\s*par exemple\s*,)?\s*$",
    re.IGNORECASE,
)
MAX_MEANING_WORDS = 14


@dataclass(frozen=True)
class Grade:
    label: str  # "grade", "stade"
    number: str  # "3", "III"
    meaning: str  # as said after "correspond à": "une desquamation humide confluente"
    written: str  # as the text writes it, the key a source sentence states
    start: int  # offset of the entry in the lesson's text

    @property
    def name(self) -> str:
        return f"{self.label} {self.number}"


def _value(number: str) -> int:
    if number.isdigit():
        return int(number)
    roman = {"I": 1, "V": 5, "X": 10}
    total = 0
    for index, letter in enumerate(number.upper()):
        value = roman[letter]
        following = roman[number.upper()[index + 1]] if index + 1 < len(number) else 0
        total += -value if value < following else value
    return total


def _written(raw: str) -> str:
    """A grade's meaning as the text writes it, up to a comment after a comma."""
    text = _TAIL.sub("", raw.strip())
    comment = _COMMENT.search(text)
    return (text[: comment.start()] if comment else text).strip(" ,;:")


def _meaning(written: str) -> str | None:
    """ "un érythème léger ou à une desquamation sèche" -> "un érythème léger ou une
    desquamation sèche"; None when too long to read as one option."""
    text = re.sub(r"\b(ou|et)\s+à\s+", r"\1 ", written).strip(" ,;:")
    words = text.split()
    if not words or len(words) > MAX_MEANING_WORDS or "(" in text:
        return None
    return text


def grades(info: SentenceInfo) -> list[Grade]:
    """The scale the sentence states, in its order: at least three grades of one label, each
    with its meaning, numbers all different."""
    text = info.text
    entries = list(_ENTRY.finditer(text))
    out: list[Grade] = []
    for index, entry in enumerate(entries):
        end = entries[index + 1].start() if index + 1 < len(entries) else len(text)
        written = _written(text[entry.end() : end])
        meaning = _meaning(written)
        if meaning is None:
            return []
        out.append(
            Grade(
                label=entry.group("label").lower(),
                number=entry.group("number").upper(),
                meaning=meaning,
                written=written,
                start=info.sentence.start + entry.start(),
            )
        )
    labels = {grade.label for grade in out}
    numbers = [_value(grade.number) for grade in out]
    meanings = {match_key(grade.meaning) for grade in out}
    if (
        len(out) < 3
        or len(labels) != 1
        or len(set(numbers)) != len(out)
        or len(meanings) < len(out)
    ):
        return []
    return out


def _lead(ctx: LessonContext, info: SentenceInfo, first: Grade) -> str:
    """ "Selon l’échelle RTOG", "Pour la diarrhée, selon la classification CTCAE", from the
    sentence or the one before it; "D’après le texte" when neither names the scale."""
    before = ctx.text[info.sentence.start : first.start]
    applied = _APPLIED.match(before.strip())
    pieces = [applied.group(1).strip()] if applied else []
    scale = _SCALE_NAME.search(before)
    if scale is None and info.index > 0:
        scale = _SCALE_NAME.search(ctx.sentences[info.index - 1].text)
    if scale is not None:
        pieces.append(f"selon {scale.group(1)}")
    if not pieces:
        pieces.append("d’après le texte")
    return french.capitalize_first(", ".join(pieces))


def _capitalized(text: str) -> str:
    """An option opens with a capital, unless it opens with a number ("4 à 6 selles")."""
    return french.capitalize_first(text) if text[:1].isalpha() else text


def _window(count: int, key: int, place: int) -> range:
    """``OPTIONS`` consecutive grades holding ``key`` at ``place`` when the scale allows."""
    first = min(max(key - place, 0), max(count - OPTIONS, 0))
    return range(first, min(first + OPTIONS, count))


def scale(ctx: LessonContext, info: SentenceInfo) -> Iterator[Item]:
    """Per grade: what it means (the other grades' meanings wrong) and, the other way round,
    which grade a meaning is (the other grades wrong)."""
    found = grades(info)
    if not found:
        return
    lead = _lead(ctx, info, found[0])
    ordered = sorted(found, key=lambda grade: _value(grade.number))
    numbers = [_value(g.number) for g in ordered]
    labels = [g.number for g in ordered]
    # A short scale ("grades 1 to 3" for one sign) is offered with the next grades too.
    while len(labels) < OPTIONS:
        numbers.append(numbers[-1] + 1)
        labels.append(str(numbers[-1]))
    for index, grade in enumerate(ordered):
        if len(ordered) >= OPTIONS:
            place = ctx.next_position(OPTIONS)
            chosen = [ordered[i] for i in _window(len(ordered), index, place)]
            yield _item(
                ctx,
                info,
                variant="meaning",
                stem=_question(f"{lead}, à quoi correspond le {grade.name}"),
                options=[_capitalized(g.meaning) for g in chosen],
                answer=chosen.index(grade),
                key_term=grade.written,
                place=place,
            )
        place = ctx.next_position(OPTIONS)
        chosen_labels = [labels[i] for i in _window(len(labels), index, place)]
        yield _item(
            ctx,
            info,
            variant="grade",
            stem=_question(f"{lead}, à quel {grade.label} correspond {grade.meaning}"),
            options=[f"{grade.label.capitalize()} {label}" for label in chosen_labels],
            answer=chosen_labels.index(grade.number),
            key_term=grade.written,
            place=place,
        )


def _item(
    ctx: LessonContext,
    info: SentenceInfo,
    *,
    variant: str,
    stem: str,
    options: list[str],
    answer: int,
    key_term: str,
    place: int,
) -> Item:
    if answer != place:  # the scale's order decided: count the place the key took
        ctx.key_positions[place] -= 1
        ctx.key_positions[answer] += 1
    return Item(
        kind="scale",
        stem=stem,
        options=tuple(options),
        answer=answer,
        explanation=_explanation(info),
        source=_source(info),
        key_term=key_term,
        key_class="grade",
        distractor_terms=tuple(o for i, o in enumerate(options) if i != answer),
        variant=variant,
    )
