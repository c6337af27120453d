"""The yardstick: generated quizzes measured against the key facts a nurse educator would test.

A fact list is Markdown (``fixtures/facts/*.facts.md``, ``fixtures/*/*.facts.md``): one fact per
bullet; each string in backticks is an accepted way of writing that fact's answer, exactly as
the document writes it; the rest of the line is a note. A fact is *tested* when one of its
answers is the key of a kept item: the key, normalised (case, accents, typography, a leading
article), equals the answer or holds it as whole words ("une injection par cycle" tests
"injection par cycle"). A fact that only appears in a stem or a wrong answer is not tested.

Besides facts, the measure counts what a reviewer would object to in the kept items: options
that are not whole terms, blanks that split a word, elision cues, keys alone in their gender or
number, keys that are the lesson's title, and the spread of the key's position.

Pure: items in the course format (``Item.to_json``), text in, numbers out. spaCy tags the
options' gender and number.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from courses.textnorm import match_key

from . import nlp

BLANK = "_____"
# Stems that ask what "the text" says rather than the clinical question ("D'après le texte",
# "le texte cite-t-il", "complète cette phrase"): text recall.
_RECALL = re.compile(r"\btexte\b|\bcomplete\b")
_LEADING_ARTICLE = re.compile(r"^(?:(?:les|le|la|un|une|des|du|de la|de)\s+|l'|d')")
# A term does not end with these words, nor begin with a conjunction or a preposition: an
# option that does was cut from a phrase ("douleur de", "et la fièvre").
_DANGLING_END = frozenset(
    "de du des la le les l d à a au aux et ou en un une par pour sur dans avec que qui tel "
    "telle tels telles comme notamment".split()
)
# "des", "du" open an option as its article ("des exercices", "du paracétamol").
_DANGLING_START = frozenset("de d à a au aux et ou en par pour sur dans avec que qui".split())
_NUMBER_WORDS = (
    "un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|quinze|vingt|trente|"
    "quarante|cinquante|soixante|cent|mille"
)
# A value with its qualifier: "dans les 24 heures", "au moins une fois par semaine".
_QUANTITY = re.compile(rf"(?:^|\s)(?:\d|(?:{_NUMBER_WORDS})\s+(?:\w+\s+)?\w)", re.IGNORECASE)


@dataclass(frozen=True)
class Fact:
    answers: tuple[str, ...]
    group: str = ""
    note: str = ""

    @property
    def text(self) -> str:
        return self.answers[0]


def parse_facts(markdown: str) -> list[Fact]:
    """Every bullet with at least one string in backticks is a fact."""
    facts: list[Fact] = []
    group = ""
    for line in markdown.splitlines():
        heading = re.match(r"^#{2,}\s+(.*)", line)
        if heading:
            group = heading.group(1).strip()
            continue
        bullet = re.match(r"^\s*[-*]\s+(.*)", line)
        if not bullet:
            continue
        answers = tuple(re.findall(r"`([^`]+)`", bullet.group(1)))
        if answers:
            note = re.sub(r"`[^`]+`|\|", " ", bullet.group(1))
            facts.append(Fact(answers=answers, group=group, note=" ".join(note.split())))
    return facts


# Numbers written in words, read as digits: "deux à six semaines" is "2 à 6 semaines" ("un",
# "une" are as often articles).
_NUMBER_WORD_VALUES = {
    "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8, "neuf": 9,
    "dix": 10, "onze": 11, "douze": 12, "quinze": 15, "vingt": 20, "trente": 30,
}  # fmt: skip
_NUMBER_WORD = re.compile(rf"\b({'|'.join(_NUMBER_WORD_VALUES)})\b")


def normal(text: str) -> str:
    """Case, accents, typography, a leading article and final punctuation removed; a hyphen
    between words read as a space ("tumorale-alpha", "tumorale alpha"); numbers in words as
    digits."""
    key = match_key(text).strip(" .;:,!?")
    key = re.sub(r"(?<=[^\W\d_]{3})-(?=[^\W\d_]{3})", " ", key)
    key = _NUMBER_WORD.sub(lambda m: str(_NUMBER_WORD_VALUES[m.group(1)]), key)
    return _LEADING_ARTICLE.sub("", key).strip()


def _contains(outer: str, inner: str) -> bool:
    if not inner:
        return False
    return re.search(rf"(?<![\w-]){re.escape(inner)}(?![\w-])", outer) is not None


def fact_tested(fact: Fact, keys: Iterable[str]) -> bool:
    answers = [normal(answer) for answer in fact.answers]
    return any(key == answer or _contains(key, answer) for key in keys for answer in answers)


def is_recall(stem: str) -> bool:
    return _RECALL.search(match_key(stem)) is not None


# --- what a reviewer objects to ----------------------------------------------------------------


# A count, bare or after a qualifier ("au moins deux fois par semaine"): its number is the
# count's, no cue to the key. ("une" alone is as often an article.)
_COUNT = re.compile(
    r"^\s*(?:(?:au moins|au plus|environ|jusqu['’]à|moins de|plus de|entre|dans les|en|"
    rf"pendant|après|avant|toutes les|tous les)\s+){{0,2}}"
    rf"(?:[\d<>≤≥]|(?:{_NUMBER_WORDS.removeprefix('un|une|')})\b)",
    re.IGNORECASE,
)


def _is_number(option: str) -> bool:
    return bool(_COUNT.match(option))


def _is_statement(option: str) -> bool:
    return len(option.split()) > 8


def option_is_whole_term(option: str) -> bool:
    """No dangling function word at either end, balanced brackets and quotes, no stray
    punctuation: the option reads as a term, not a piece cut out of a phrase."""
    text = option.strip()
    if not text or _is_statement(text):
        return bool(text)
    words = re.findall(r"[\w'’-]+", match_key(text))
    if not words:
        return False
    first, last = words[0].rstrip("'"), words[-1].rstrip("'")
    quantity = _QUANTITY.search(text) is not None and bool(re.search(r"\d|\b[a-zé]+s?\b", text))
    # "vitamine D", "intervalle QT": a capital letter ends a term; "d" ends a cut phrase.
    capital_end = re.search(r"\b[A-Z]$", text) is not None
    if quantity:
        return True  # a value ends on its unit ("2,60 mmol/l")
    if (last in _DANGLING_END and not capital_end) or first in _DANGLING_START:
        return False
    # "des corticothérapie": a plural article before a singular noun is a cut or a slip.
    plural_article = re.match(r"(?:des|les)\s+([^\W\d_][\w-]*)", text, re.IGNORECASE)
    if plural_article and not re.search(r"[sxz]$", plural_article.group(1).lower()):
        return False
    if text.count("(") != text.count(")") or text.count("«") != text.count("»"):
        return False
    return not re.search(r"[,;:]$|^[,;:.)]|['’-]$", text)


def blank_splits_word(stem: str) -> bool:
    """A letter or digit touching the blank, or a bracketed ending glued to it ("_____(ère)"):
    the blank took part of a word."""
    blank = re.escape(BLANK)
    return re.search(rf"\w{blank}|{blank}\w|{blank}\(\w", stem) is not None


# A stem, or the sentence it quotes, opening on a pronoun that points outside it.
_OPENING_PRONOUN = re.compile(
    r"(?:^|«\s*|…\s*)(?:Il|Elle|Ils|Elles|Cela|Ceci|Ça)\s+"
    r"(?!faut\b|y\s+a\b|existe\b|s['’]agit\b|est\s+(?:\w+\s+)?(?:recommandé|conseillé|"
    r"important|nécessaire|possible|préférable|essentiel|indispensable)\b)"
)


def dangling_pronoun(stem: str) -> bool:
    """ "Il touche 5 % des patients" quoted alone: whom "il" means is in another sentence
    (unless the stem names its topic first: "À propos du syndrome …, « Cela … »")."""
    if stem.startswith("À propos d"):
        return False
    return _OPENING_PRONOUN.search(stem.replace("\u00a0", " ")) is not None


_ELIDED = ("l'", "d'", "qu'", "jusqu'", "lorsqu'", "puisqu'", "s'", "n'", "c'")
_ELIDING = frozenset("le la de que ce je me te se ne".split())


def elision_cue(stem: str, options: Sequence[str]) -> bool:
    """The word before the blank fits some options and not others (l' / le, de / d')."""
    if BLANK not in stem:
        return False
    before = stem.split(BLANK, 1)[0].replace("’", "'").rstrip()
    word = (re.findall(r"[\w']+$", before) or [""])[0].lower()
    vowels = [_starts_with_vowel(option) for option in options]
    if word.endswith("'") and word in _ELIDED:
        return not all(vowels)
    if word in _ELIDING:
        return any(vowels)
    return False


def _starts_with_vowel(text: str) -> bool:
    from .french import starts_with_vowel_sound

    return starts_with_vowel_sound(text.strip())


@lru_cache(maxsize=8192)
def option_form(option: str) -> tuple[str | None, str | None]:
    """(gender, number) of the option's head noun as spaCy reads it, "m"/"f" and "s"/"p"."""
    if _is_number(option) or _is_statement(option) or not option.strip():
        return None, None
    # Alone, a word is often tagged as an adverb or a name ("toux"); after "Voici :" the
    # tagger reads it as a noun phrase, as a learner does.
    carrier = "Voici : "
    doc = nlp.get_nlp()(carrier + nlp.same_length_normal(option.strip()) + ".")
    words = [token for token in doc if token.idx >= len(carrier)]
    heads = [token for token in words if token.pos_ in {"NOUN", "PROPN"}] or [
        token for token in words if token.pos_ == "ADJ"
    ]
    if not heads:
        return None, None
    head = heads[0]
    gender = head.morph.get("Gender", [])
    number = head.morph.get("Number", [])
    return (
        ("f" if gender[0] == "Fem" else "m") if gender else None,
        ("p" if number[0] == "Plur" else "s") if number else None,
    )


def key_alone_in_form(options: Sequence[str], answer: int) -> bool:
    """The key is the only option of its gender, or the only one of its number."""
    forms = [option_form(option) for option in options]
    key = forms[answer]
    others = [form for index, form in enumerate(forms) if index != answer]
    for axis in (0, 1):
        if key[axis] is None or any(form[axis] is None for form in others):
            continue
        if all(form[axis] != key[axis] for form in others):
            return True
    return False


def key_is_title(key: str, titles: Iterable[str]) -> bool:
    """The key names what the lesson or the module is about: its title, or the title's main
    noun phrase ("Le lymphœdème" -> "lymphœdème", "La radiodermite : prévenir …")."""
    wanted = normal(key)
    for title in titles:
        full = normal(title)
        head = normal(re.split(r"\s[:?–—-]\s|[:?]", title)[0])
        if wanted and (wanted == full or names_topic(wanted, head)):
            return True
    return False


def names_topic(key: str, topic: str) -> bool:
    """The key is the title's main phrase, or how it begins: "lymphœdème du membre supérieur"
    for "Le lymphœdème du membre supérieur après cancer du sein" (both normalised)."""
    return bool(key) and (key == topic or topic.startswith(key + " "))


# --- the measure -------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeasuredLesson:
    title: str
    text: str
    questions: Sequence[dict[str, Any]]  # the course format's question objects


@dataclass
class Measure:
    words: int = 0
    items: int = 0
    kinds: Counter[str] = field(default_factory=Counter)
    facts: list[Fact] = field(default_factory=list)
    tested: list[Fact] = field(default_factory=list)
    recall: int = 0
    problems: Counter[str] = field(default_factory=Counter)
    positions: Counter[int] = field(default_factory=Counter)

    @property
    def per_100_words(self) -> float:
        return 100 * self.items / self.words if self.words else 0.0

    @property
    def facts_share(self) -> float:
        return len(self.tested) / len(self.facts) if self.facts else 0.0

    @property
    def untested(self) -> list[Fact]:
        return [fact for fact in self.facts if fact not in self.tested]

    @property
    def non_recall_share(self) -> float:
        return (self.items - self.recall) / self.items if self.items else 0.0

    @property
    def lone_form_share(self) -> float:
        return self.problems["key_alone_in_form"] / self.items if self.items else 0.0

    @property
    def max_position_share(self) -> float:
        total = sum(self.positions.values())
        return max(self.positions.values()) / total if total else 0.0


def measure(
    *, lessons: Sequence[MeasuredLesson], facts: Sequence[Fact] = (), module_title: str = ""
) -> Measure:
    result = Measure(facts=list(facts))
    keys: list[str] = []
    for lesson in lessons:
        result.words += len(re.findall(r"\w+", lesson.text))
        for question in lesson.questions:
            options, answer = list(question["options"]), int(question["answer"])
            stem = question["stem"]
            key = options[answer]
            keys.append(normal(key))
            result.items += 1
            result.kinds[question["kind"]] += 1
            result.positions[answer] += 1
            if is_recall(stem):
                result.recall += 1
            if not all(option_is_whole_term(option) for option in options):
                result.problems["option_not_whole_term"] += 1
            if blank_splits_word(stem):
                result.problems["blank_splits_word"] += 1
            if elision_cue(stem, options):
                result.problems["elision_cue"] += 1
            if key_alone_in_form(options, answer):
                result.problems["key_alone_in_form"] += 1
            if key_is_title(key, [lesson.title, module_title]):
                result.problems["key_is_title"] += 1
            if dangling_pronoun(stem):
                result.problems["dangling_pronoun"] += 1
    result.tested = [fact for fact in result.facts if fact_tested(fact, keys)]
    return result
