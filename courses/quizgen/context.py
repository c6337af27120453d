"""What the generators read: a lesson's sentences and term mentions, within its course."""

from __future__ import annotations

import hashlib
import itertools
import random
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from courses.textnorm import match_key

from . import nlp
from .glossary import Glossary, Mention, Term, _same_word
from .quantities import Quantity, quantities
from .terminology import Terminology
from .terms import Phrase, Types, course_terms, phrases, title_key

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

# A term mentioned in more than this share of the course's sentences is a generic topic word
# ("cytokines" in a course on cytokines): its co-occurrence with a candidate distractor says
# nothing about the item's own fact.
GENERIC_SHARE = 0.2


@dataclass(frozen=True)
class LessonText:
    key: str
    title: str
    text: str
    module_title: str = ""  # the document's title: its main phrase is the topic, never a key


@dataclass
class SentenceInfo:
    index: int
    sentence: nlp.Sentence
    mentions: list[Mention]
    # A list item's introduction ("L'IDE surveille :" before "- la diurèse ;"): a stem that
    # shows the item shows it first, or the item would not stand alone.
    lead: str = ""

    @property
    def text(self) -> str:
        return self.sentence.text

    def terms(self) -> set[str]:
        return {mention.term.key for mention in self.mentions}


# Between a term and another name of it: "X, également appelé Y", "X, connu sous le nom de Y".
ALIAS_CONNECTOR = re.compile(
    r"^\s*,?\s*(?:(?:également|aussi|encore|parfois)\s+)?"
    r"(?:appel(?:é|ée|és|ées)|nomm(?:é|ée|és|ées)|dénomm(?:é|ée|és|ées)|désign(?:é|ée|és|ées)\s+par|"
    r"connu(?:e|s|es)?\s+sous\s+le\s+nom\s+d(?:e\s+|')|connu(?:e|s|es)?\s+comme)\s*$",
    re.IGNORECASE,
)


@dataclass
class CourseContext:
    glossary: Glossary
    lessons: dict[str, LessonContext] = field(default_factory=dict)
    terminology: Terminology | None = None
    types: Types | None = None
    topics: frozenset[str] = frozenset()  # match keys of the titles' main phrases
    # Per lesson key, the lists its sentences state: (category phrase or None, member keys).
    lists: dict[str, list[tuple[Phrase | None, frozenset[str]]]] = field(default_factory=dict)
    # What generators derive from the whole course once (actions.course_actions).
    derived: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def all_sentences(self) -> list[SentenceInfo]:
        return [info for lesson in self.lessons.values() for info in lesson.sentences]

    @cached_property
    def term_sentence_counts(self) -> Counter[str]:
        counts: Counter[str] = Counter()
        for info in self.all_sentences:
            counts.update(info.terms())
        return counts

    @cached_property
    def course_terms(self) -> set[str]:
        return set(self.term_sentence_counts)

    @cached_property
    def appositions(self) -> set[frozenset[str]]:
        """Pairs of terms the course gives as one thing's two names ("le bras du côté opéré,
        appelé bras homolatéral"): neither is ever a wrong answer for the other."""
        pairs: set[frozenset[str]] = set()
        for info in self.all_sentences:
            base = info.sentence.start
            for first, second in zip(info.mentions, info.mentions[1:], strict=False):
                between = info.text[first.end - base : second.start - base]
                if first.term.key == second.term.key or not ALIAS_CONNECTOR.match(
                    between.replace("’", "'")
                ):
                    continue
                pairs.add(frozenset({first.term.key, second.term.key}))
                # "plaie du bras du côté opéré, appelé bras homolatéral": the name may be the
                # end of the phrase before ("bras du côté opéré").
                words = first.surface.split()
                for size in range(1, len(words)):
                    tail = self.glossary.term(" ".join(words[size:]))
                    if tail is not None and tail.key != second.term.key:
                        pairs.add(frozenset({tail.key, second.term.key}))
        return pairs

    @cached_property
    def quantities(self) -> list[Quantity]:
        """Every number with its unit the course writes (threshold items' wrong values)."""
        return [q for lesson in self.lessons.values() for q in quantities(lesson.text)]

    def is_generic(self, term: Term) -> bool:
        total = max(1, len(self.all_sentences))
        return self.term_sentence_counts[term.key] / total > GENERIC_SHARE

    def stated_with(
        self, candidate: Term, anchors: list[Term], *, lesson: str | None = None
    ) -> bool:
        """Some sentence states ``candidate`` together with one of ``anchors``.

        Within the item's own lesson every anchor counts; elsewhere in the course only the
        specific ones (a topic word every lesson repeats co-occurs with everything).
        """
        all_keys = {anchor.key for anchor in anchors}
        specific = {anchor.key for anchor in anchors if not self.is_generic(anchor)}
        if not all_keys:
            return False
        for key, terms in self._sentences_with.get(candidate.key, ()):
            keys = all_keys if key == lesson else specific
            if keys & terms:
                return True
        return False

    @cached_property
    def _sentences_with(self) -> dict[str, list[tuple[str, frozenset[str]]]]:
        """For each term, the terms of every sentence stating it (and that sentence's lesson)."""
        index: dict[str, list[tuple[str, frozenset[str]]]] = {}
        for key, lesson_ctx in self.lessons.items():
            for info in lesson_ctx.sentences:
                terms = frozenset(info.terms())
                for term in terms:
                    index.setdefault(term, []).append((key, terms))
        return index


@dataclass
class LessonContext:
    lesson: LessonText
    doc: Doc
    sentences: list[SentenceInfo]
    course: CourseContext
    rng: random.Random
    phrases: list[Phrase] = field(default_factory=list)  # the lesson's noun phrases (terms.py)
    # How often each term was already offered as a wrong answer in this lesson: a learner who
    # retakes the quiz should not learn that "constipation" is always wrong (distractors.pick).
    distractor_uses: Counter[str] = field(default_factory=Counter)
    # Where the key stood in the lesson's items so far: the next key goes where it stood least.
    key_positions: Counter[int] = field(default_factory=Counter)

    def next_position(self, options: int) -> int:
        """The key's place for the next item: the least used so far, ties drawn by the seed."""
        fewest = min(self.key_positions[index] for index in range(options))
        places = [index for index in range(options) if self.key_positions[index] == fewest]
        place = places[self.rng.randrange(len(places))]
        self.key_positions[place] += 1
        return place

    @property
    def glossary(self) -> Glossary:
        return self.course.glossary

    @property
    def text(self) -> str:
        return self.lesson.text

    def span(self, start: int, end: int) -> Span | None:
        return self.doc.char_span(start, end, alignment_mode="expand")

    def token_before(self, start: int) -> Token | None:
        span = self.span(start, start + 1)
        if span is None or span.start == 0:
            return None
        return self.doc[span.start - 1]

    def token_after(self, end: int) -> Token | None:
        span = self.span(max(0, end - 1), end)
        if span is None or span.end >= len(self.doc):
            return None
        return self.doc[span.end]

    def words(self) -> int:
        return len(re.findall(r"\w+", self.text))


def build(
    lessons: list[LessonText],
    glossary: Glossary,
    *,
    seed_salt: str,
    terminology: Terminology | None = None,
    types: Types | None = None,
) -> CourseContext:
    """Parse the lessons and find their terms. With a terminology and types, the terms the texts
    write that the glossary lacks join it (terms.course_terms): the course's own glossary."""
    docs = {lesson.key: nlp.parse(lesson.text) for lesson in lessons}
    if terminology is not None and types is not None:
        found = course_terms(
            [(docs[lesson.key], lesson.text) for lesson in lessons],
            glossary=glossary,
            terminology=terminology,
            types=types,
            titles=[title for lesson in lessons for title in (lesson.title, lesson.module_title)],
        )
        glossary = glossary.extended(found.terms, found.classes)
    course = CourseContext(
        glossary=glossary,
        terminology=terminology,
        types=types,
        topics=frozenset(
            title_key(title)
            for lesson in lessons
            for title in (lesson.title, lesson.module_title)
            if title
        ),
    )
    for lesson in lessons:
        doc = docs[lesson.key]
        infos = []
        for index, sentence in enumerate(nlp.sentences(lesson.text, doc)):
            mentions = [
                Mention(
                    term=m.term,
                    start=m.start + sentence.start,
                    end=m.end + sentence.start,
                    surface=m.surface,
                )
                for m in glossary.find(sentence.text)
            ]
            infos.append(SentenceInfo(index=index, sentence=sentence, mentions=mentions))
        for previous, info in itertools.pairwise(infos):
            if re.match(r"[-*+]\s", info.text) or previous.text.rstrip().endswith(":"):
                if previous.lead and re.match(r"[-*+]\s", previous.text):
                    info.lead = previous.lead
                elif previous.text.rstrip().endswith(":"):
                    info.lead = previous.text.strip()
        seed = hashlib.sha256((seed_salt + "\0" + lesson.text).encode("utf-8")).hexdigest()
        course.lessons[lesson.key] = LessonContext(
            lesson=lesson,
            doc=doc,
            sentences=infos,
            course=course,
            rng=random.Random(int(seed[:16], 16)),  # noqa: S311  (determinism, not secrecy)
            phrases=phrases(doc, lesson.text),
        )
    return course


def same_word(left: str, right: str) -> bool:
    """Two words equal up to accents, case and the plural ("pseudo-grippaux"/"pseudo-grippal")."""
    return _same_word(match_key(left), match_key(right))
