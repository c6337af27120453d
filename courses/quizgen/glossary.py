"""The glossary: semantic classes of terms, with aliases, and the mentions of terms in a text.

Pure: the caller passes the file's path (``settings.QUIZ_GLOSSARY``); the parsed glossary is
cached per path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

import yaml

from courses.textnorm import match_key

from . import french


@dataclass(frozen=True)
class Term:
    canonical: str
    cls: str
    gender: str = "m"
    number: str = "s"
    aliases: tuple[str, ...] = ()
    contraries: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    h_aspire: bool = False
    plural: str | None = None
    code: str = ""  # ATC code, INN stem class or CIM-10 code, for terms a terminology types
    # "glossary", "text" (a phrase the course writes), "terminology" (an ATC sibling) or "types"
    # (a head types.yaml lists): the last two are wrong answers only.
    origin: str = "glossary"

    @cached_property
    def key(self) -> str:
        return match_key(self.canonical)

    def plural_form(self) -> str:
        if self.number == "p":
            return self.canonical
        return self.plural or french.pluralize(self.canonical)

    @cached_property
    def surface_keys(self) -> frozenset[str]:
        """Match keys of every surface form (computed once per term)."""
        return frozenset(match_key(form) for form in self.surface_forms())

    def surface_forms(self) -> set[str]:
        """Every way the text may write the term: names, aliases and their plurals."""
        forms = {self.canonical, *self.aliases}
        for form in list(forms):
            if form.isupper() or any(ch.isdigit() for ch in form):
                continue
            forms.add(french.pluralize(form))
            forms.add(french.pluralize(form, head_only=True))
        if self.plural:
            forms.add(self.plural)
        return forms


@dataclass(frozen=True)
class TermClass:
    name: str
    singular: str
    plural: str
    gender: str
    terms: tuple[Term, ...]


@dataclass(frozen=True)
class Mention:
    """A term found in a text: where, as which words, and whether in the plural."""

    term: Term
    start: int
    end: int
    surface: str

    @property
    def plural(self) -> bool:
        if self.term.number == "p":
            return True
        return match_key(self.surface) != match_key(self.term.canonical) and match_key(
            self.surface
        ) in {match_key(french.pluralize(self.term.canonical))} | {
            match_key(french.pluralize(self.term.canonical, head_only=True))
        }


@dataclass
class Glossary:
    classes: dict[str, TermClass]
    terms: dict[str, Term]  # by match key of the canonical form
    facts: frozenset[tuple[str, str]]  # (subject key, object key), relation-agnostic
    _forms: dict[str, Term] = field(default_factory=dict)
    _names: dict[str, frozenset[str]] = field(default_factory=dict)
    _overlaps: dict[tuple[str, str], bool] = field(default_factory=dict)
    _true_of: dict[tuple[str, str], bool] = field(default_factory=dict)
    _word_bags: dict[str, frozenset[str]] = field(default_factory=dict)

    def term(self, name: str) -> Term | None:
        return self.terms.get(match_key(name)) or self._forms.get(match_key(name))

    def extended(self, terms: list[Term], classes: dict[str, TermClass]) -> Glossary:
        """This glossary with ``terms`` added to their classes (``classes`` names those it
        lacks). A term the glossary already holds keeps the glossary's entry."""
        new = {term.key: term for term in terms if term.key not in self.terms}
        merged = dict(self.terms) | new
        by_class: dict[str, list[Term]] = {}
        for term in new.values():
            by_class.setdefault(term.cls, []).append(term)
        all_classes = dict(self.classes)
        for name, cls in classes.items():
            all_classes.setdefault(name, cls)
        for name, extra in by_class.items():
            cls = all_classes[name]
            all_classes[name] = TermClass(
                name=cls.name,
                singular=cls.singular,
                plural=cls.plural,
                gender=cls.gender,
                terms=(*cls.terms, *extra),
            )
        return Glossary(
            classes=all_classes, terms=merged, facts=self.facts, _forms=_forms_of(merged)
        )

    def names(self, term: Term) -> frozenset[str]:
        """Match keys of every name of a term and of the terms related to it (cached)."""
        cached = self._names.get(term.key)
        if cached is not None:
            return cached
        keys = set(term.surface_keys)
        for name in term.related:
            related = self.term(name)
            if related is not None:
                keys |= related.surface_keys
        for other in self.terms.values():
            if term.canonical in other.related:
                keys |= other.surface_keys
        self._names[term.key] = frozenset(keys)
        return self._names[term.key]

    def linked(self, subject: Term, other: Term) -> bool:
        """A clinical fact links the two terms (either way round)."""
        return (subject.key, other.key) in self.facts or (other.key, subject.key) in self.facts

    def true_of(self, subject: Term, candidate: Term) -> bool:
        """A fact links the subject to the candidate, or to a narrower or broader term of it
        ("interféron gamma" rises in the syndrome: "interféron" is no wrong answer about it)."""
        pair = (subject.key, candidate.key)
        known = self._true_of.get(pair)
        if known is None:
            known = self.linked(subject, candidate) or any(
                self.overlaps(self.terms[other], candidate)
                for other in self._fact_partners.get(subject.key, ())
            )
            self._true_of[pair] = known
        return known

    def _words(self, term: Term) -> frozenset[str]:
        """Every word of the term's names, in the singular."""
        found = self._word_bags.get(term.key)
        if found is None:
            found = frozenset(
                _singular(word)
                for name in term.surface_keys | self.names(term)
                for word in name.replace("-", " ").split()
            )
            self._word_bags[term.key] = found
        return found

    @cached_property
    def _fact_partners(self) -> dict[str, tuple[str, ...]]:
        """Each term's partners in the facts, either way round."""
        partners: dict[str, list[str]] = {}
        for subj, obj in sorted(self.facts):
            partners.setdefault(subj, []).append(obj)
            partners.setdefault(obj, []).append(subj)
        return {key: tuple(others) for key, others in partners.items()}

    def overlaps(self, key: Term, candidate: Term) -> bool:
        """Synonym, abbreviation, related term, inflection or substring (either way)."""
        pair = (key.key, candidate.key) if key.key < candidate.key else (candidate.key, key.key)
        known = self._overlaps.get(pair)
        if known is not None:
            return known
        if not self._words(key) & self._words(candidate):
            # Equal names, the same word or words inside the other's: all share a word.
            self._overlaps[pair] = False
            return False
        result = bool(self.names(key) & self.names(candidate)) or any(
            _names_overlap(left, right)
            for left in key.surface_keys
            for right in candidate.surface_keys
        )
        self._overlaps[pair] = result
        return result

    @cached_property
    def _patterns(self) -> list[re.Pattern[str]]:
        """Two alternations (longest first): abbreviations by case, other forms without."""
        sensitive: list[str] = []
        insensitive: list[str] = []
        seen: set[str] = set()
        for term in self.terms.values():
            if term.origin == "types":
                continue  # a wrong answer only: where the text writes it, it is no term there
            for form in term.surface_forms():
                normal = _normalize_same_length(form)
                if normal in seen:
                    continue
                seen.add(normal)
                target = sensitive if sum(ch.isupper() for ch in form) >= 2 else insensitive
                target.append(normal)
        patterns = []
        for forms, flags in ((sensitive, 0), (insensitive, re.IGNORECASE)):
            if not forms:
                continue
            forms.sort(key=lambda form: (-len(form), form))
            patterns.append(_alternation(tuple(forms), flags))
        return patterns

    def find(self, text: str) -> list[Mention]:
        """Mentions of glossary terms in ``text``, longest first where they overlap."""
        normal = _normalize_same_length(text)
        found: list[Mention] = []
        for pattern in self._patterns:
            for match in pattern.finditer(normal):
                term = self._forms.get(match_key(match.group(0)))
                if term is not None:
                    found.append(
                        Mention(
                            term=term,
                            start=match.start(),
                            end=match.end(),
                            surface=text[match.start() : match.end()],
                        )
                    )
        found.sort(key=lambda m: (m.start, -(m.end - m.start)))
        kept: list[Mention] = []
        for mention in found:
            if kept and mention.start < kept[-1].end:
                if mention.end - mention.start > kept[-1].end - kept[-1].start:
                    kept[-1] = mention
                continue
            kept.append(mention)
        return kept


# Feminine endings read as the masculine: "infirmière" and "infirmier" are one profession.
_FEMININE = (("iere", "ier"), ("ienne", "ien"), ("euse", "eur"), ("trice", "teur"))


@lru_cache(maxsize=65536)
def _singular(word: str) -> str:
    if word.endswith("aux") and len(word) > 4:
        word = word[:-3] + "al"
    elif word.endswith(("s", "x")) and len(word) > 3:
        word = word[:-1]
    for feminine, masculine in _FEMININE:
        if word.endswith(feminine) and len(word) > len(feminine) + 2:
            return word[: -len(feminine)] + masculine
    return word


@lru_cache(maxsize=16384)
def _singular_words(text: str) -> tuple[str, ...]:
    return tuple(_singular(word) for word in text.replace("-", " ").split())


def _same_word(left: str, right: str) -> bool:
    """Two match keys equal up to the plural ("pseudo-grippaux"/"pseudo-grippal")."""
    return _singular(left) == _singular(right)


@lru_cache(maxsize=65536)
def _names_overlap(left: str, right: str) -> bool:
    """Two names are one word's forms, or one holds the other's words (remembered across
    courses: the same names meet in every generation)."""
    return _same_word(left, right) or _contains_words(left, right) or _contains_words(right, left)


def _contains_words(outer: str, inner: str) -> bool:
    """``inner`` occurs in ``outer`` as whole words ("interferon" in "interferon alpha")."""
    if len(inner) < 3:
        return False
    padded = f" {outer.replace('-', ' ')} "
    if f" {inner.replace('-', ' ')} " in padded:
        return True
    # Word by word, plurals and feminines read alike ("infirmier", "infirmières libérales").
    outer_words, inner_words = _singular_words(outer), _singular_words(inner)
    size = len(inner_words)
    return any(outer_words[i : i + size] == inner_words for i in range(len(outer_words) - size + 1))


def _normalize_same_length(text: str) -> str:
    """Apostrophes and spaces made plain, without changing any character's offset."""
    return text.replace("’", "'").replace("\u00a0", " ").replace("\u202f", " ")


@lru_cache(maxsize=32)
def _alternation(forms: tuple[str, ...], flags: int) -> re.Pattern[str]:
    """One pattern for all the forms, longest first; compiled once per process for the same
    forms (a course generated again: its glossary and text terms are the same)."""
    body = "|".join(_form_pattern(form) for form in forms)
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", flags)


def _form_pattern(form: str) -> str:
    parts = re.split(r"(\s+|')", form)
    out = []
    for part in parts:
        if not part:
            continue
        if part.isspace():
            out.append(r"\s+")
        elif part == "'":
            out.append("'")
        else:
            out.append(re.escape(part))
    return "".join(out)


def _term(cls: str, raw: dict | str) -> Term:
    if isinstance(raw, str):
        raw = {"term": raw}
    return Term(
        canonical=raw["term"],
        cls=cls,
        gender=raw.get("gender", "m"),
        number=raw.get("number", "s"),
        aliases=tuple(raw.get("aliases", ())),
        contraries=tuple(raw.get("contraries", ())),
        tags=tuple(raw.get("tags", ())),
        related=tuple(raw.get("related", ())),
        h_aspire=bool(raw.get("h_aspire", False)),
        plural=raw.get("plural"),
    )


class GlossaryError(ValueError):
    pass


def _forms_of(terms: dict[str, Term]) -> dict[str, Term]:
    """Every surface form -> its term; a canonical name wins over another term's alias."""
    forms: dict[str, Term] = {}
    for term in terms.values():
        for form in term.surface_forms():
            key = match_key(form)
            owner = forms.get(key)
            if owner is not None and owner is not term and key in terms and terms[key] is owner:
                continue  # a canonical name wins over another term's alias or plural
            if owner is not None and owner is not term and match_key(term.canonical) != key:
                continue
            forms[key] = term
    return forms


@lru_cache(maxsize=4)
def load_glossary(path: str) -> Glossary:
    """Parse and validate the glossary file (cached per path)."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    classes: dict[str, TermClass] = {}
    terms: dict[str, Term] = {}
    for name, raw in data["classes"].items():
        class_terms = tuple(_term(name, item) for item in raw["terms"])
        classes[name] = TermClass(
            name=name,
            singular=raw["singular"],
            plural=raw["plural"],
            gender=raw.get("gender", "m"),
            terms=class_terms,
        )
        for term in class_terms:
            if term.key in terms:
                raise GlossaryError(f"{path}: {term.canonical!r} is defined twice")
            terms[term.key] = term
    forms = _forms_of(terms)
    facts = set()
    for subject, _relation, obj in data.get("facts", []):
        for name in (subject, obj):
            if match_key(name) not in terms:
                raise GlossaryError(f"{path}: fact names an unknown term {name!r}")
        facts.add((match_key(subject), match_key(obj)))
    return Glossary(classes=classes, terms=terms, facts=frozenset(facts), _forms=forms)
