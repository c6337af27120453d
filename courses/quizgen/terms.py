"""Terms from the document itself, not only from the glossary.

A term the glossary lists keeps the glossary's class, aliases and facts. Every other noun
phrase, abbreviation and drug name the course's text writes becomes a term too, typed by what
knows it: the ATC table or an INN stem (a drug), the CIM-10 (a sign or a condition), the noun
that heads it or its ending (types.yaml: an exam, a treatment, a part of the body …), or else
a plain notion. Typed terms get wrong answers of their own kind; drugs also get their ATC
siblings (filgrastim: lénograstim, pegfilgrastim) from the table.

The course's glossary is then the curated one extended with these terms (``Glossary.extended``):
the generators read one glossary, whatever a term's origin.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from courses.textnorm import match_key

from . import french
from .glossary import Glossary, Term, TermClass
from .terminology import Terminology, stem_class

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

# A one-word notion this common in general French (wordfreq's Zipf scale) is no fact of its own.
EVERYDAY_ZIPF = 4.5
# Phrases longer than this (in words) are clauses, not terms.
MAX_WORDS = 7
# Terminology siblings offered as wrong answers per drug the text names.
SIBLINGS_PER_DRUG = 6
_PREPOSITIONS = frozenset({"de", "d'", "du", "des", "à", "au", "aux", "en"})
_ABBREVIATION = re.compile(r"^[A-ZÀ-Ý][A-Za-zÀ-ÿ0-9-]*[A-Z0-9][A-Za-zÀ-ÿ0-9-]*$")
# Whom one tells or gives something to: "au médecin" completes the verb, not the noun.
_PEOPLE = frozenset(
    "médecin infirmier infirmière ide patient patiente kinésithérapeute dentiste chirurgien "
    "chirurgien-dentiste pharmacien soignant soignante oncologue entourage famille proche "
    "aidant aidante équipe service".split()
)
# Complements that rank a noun rather than name a kind of it.
_RANKING_COMPLEMENTS = frozenset(
    "référence choix base intention routine secours confort recours urgence".split()
)
_POSSESSIVES = frozenset("son sa ses leur leurs mon ma mes ton ta tes notre votre nos vos".split())
# Units of measure: never terms of their own.
_UNITS = frozenset("mg g kg µg ml l dl cl mmol µmol ui gy cm mm m min h s j kcal mmhg bpm".split())


@dataclass(frozen=True)
class Types:
    """types.yaml: classes the glossary lacks, and how a term's head or ending types it."""

    classes: dict[str, TermClass]
    heads: dict[str, str]  # head lemma (match key) -> class
    suffixes: tuple[tuple[str, str], ...]  # (ending, class), longest first
    generic: frozenset[str]  # head lemmas that name no fact of their own
    # Heads that name a kind only with a complement: "service de réanimation", not "service".
    bare: frozenset[str] = frozenset()
    # The heads of the classes the glossary lacks (exams, body parts, professions, devices,
    # conditions), as terms offered as wrong answers only: a new course's "bilan
    # bucco-dentaire" gets "échographie" beside the text's own exams. Generic, bare and short
    # heads ("bilan", "irm") are left out. With them, the "reserve" of the glossary's classes
    # (general signs: "malaise", "hoquet").
    vocabulary: tuple[Term, ...] = ()
    # Abbreviations of hospital practice and what they stand for: wrong answers only.
    sigles: tuple[tuple[str, str], ...] = ()
    # A reserve sign (match key) -> the words for what is, in practice, the same complaint or
    # its cause: a course naming one never gets the sign as a wrong answer.
    akin: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def of_head(self, lemma: str) -> str | None:
        return self.heads.get(match_key(lemma))

    def of_ending(self, word: str) -> str | None:
        """Endings are matched with their accents: "-ite" (an inflammation) is not "-ité"."""
        lowered = word.lower()
        for ending, cls in self.suffixes:
            if lowered.endswith(ending) and len(lowered) > len(ending) + 2:
                return cls
        return None


@lru_cache(maxsize=2)
def load_types(path: str) -> Types:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    classes = {
        name: TermClass(
            name=name,
            singular=raw["singular"],
            plural=raw["plural"],
            gender=raw.get("gender", "m"),
            terms=(),
        )
        for name, raw in data["classes"].items()
    }
    heads = {match_key(word): cls for cls, words in data["heads"].items() for word in words}
    suffixes = sorted(
        ((ending, cls) for cls, endings in data["suffixes"].items() for ending in endings),
        key=lambda pair: -len(pair[0]),
    )
    generic = frozenset(match_key(word) for word in data["generic"])
    bare = frozenset(match_key(word) for word in data.get("bare", ()))
    feminine = {match_key(word) for word in data.get("feminine", ())}
    akin = {
        match_key(str(word)): tuple(map(str, names))
        for word, names in (data.get("akin") or {}).items()
    }
    vocabulary = tuple(
        Term(
            canonical=word,
            cls=cls,
            gender="f" if match_key(word) in feminine else "m",
            number="p" if _plural_ending(word) else "s",
            origin="types",
        )
        for cls, words in data["heads"].items()
        for word in words
        if cls in classes
        and cls != "notion"
        and match_key(word) not in generic | bare
        and len(word) > 3
        and "-" not in word
    ) + tuple(
        Term(
            canonical=word,
            cls=cls,
            # "échelle de Braden" is feminine as "échelle" is.
            gender="f" if {match_key(word), match_key(word.split()[0])} & feminine else "m",
            number="s",
            origin="types",
        )
        for cls, words in (data.get("reserve") or {}).items()
        for word in words
    )
    return Types(
        classes=classes,
        heads=heads,
        suffixes=tuple(suffixes),
        generic=generic,
        bare=bare,
        vocabulary=vocabulary,
        sigles=tuple((str(k), str(v)) for k, v in (data.get("sigles") or {}).items()),
        akin=akin,
    )


# --- phrases ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Phrase:
    """A noun phrase or an abbreviation as the text writes it (offsets into the lesson)."""

    start: int
    end: int
    surface: str
    head: str  # the head noun's lemma
    gender: str
    number: str
    abbreviation: bool = False
    # After a bare "de", opening on an adjective ("de bas poids moléculaire"): a qualifier, a
    # term only when a terminology or types.yaml knows it (course_terms).
    bare: bool = False


def _is_abbreviation(text: str) -> bool:
    return bool(_ABBREVIATION.match(text)) and sum(ch.isupper() for ch in text) >= 2


# Endings of feminine nouns, for a noun the tagger leaves without a gender.
_FEMININE_ENDING = re.compile(r"(?:ion|té|ie|ure|ance|ence|ose|ite|émie|ée|ade|ude)s?$")


_MASCULINE_ARTICLES = frozenset({"un", "le", "du", "au", "ce", "cet"})
_FEMININE_ARTICLES = frozenset({"une", "la", "cette"})


def _gender_number(token: Token) -> tuple[str, str]:
    gender = token.morph.get("Gender", [])
    number = token.morph.get("Number", [])
    plural = (number and number[0] == "Plur") or _plural_ending(token.text)
    # Its article says, whatever the tagger read ("du ganglion sentinelle", which it calls
    # feminine after its adjective); untagged and without one, its ending.
    articles = [
        child.lower_
        for child in token.children
        if child.dep_ in {"det", "case"} and child.i < token.i
    ]
    said = next((a for a in articles if a in _MASCULINE_ARTICLES | _FEMININE_ARTICLES), None)
    if said is not None:
        gender = ["Fem"] if said in _FEMININE_ARTICLES else ["Masc"]
    elif not gender and _FEMININE_ENDING.search(token.lower_):
        gender = ["Fem"]
    return ("f" if gender and gender[0] == "Fem" else "m", "p" if plural else "s")


# Singular nouns that end as plurals do.
_S_SINGULARS = frozenset(
    "corps temps poids pouls cours parcours secours recours concours discours ours remords "
    "fonds dos avis".split()
)


def _plural_ending(word: str) -> bool:
    """ "inhibiteurs", "signes", "taux": a plural whatever the tagger says (it calls some
    plurals singular); "virus", "pancréas", "abcès", "os" and "pouls" are singular."""
    lowered = word.lower()
    if len(lowered) < 4 or lowered in _S_SINGULARS or not lowered.isalpha():
        return False
    return bool(re.search(r"[^aiouéèys]s$|[ae]ux$", lowered))


# A pronoun that makes the next word a verb: "s'injecte", "ne touche", "il prescrit".
_VERB_BEFORE = re.compile(r"^(?:s['’]|se|ne|n['’]|il|elle|ils|elles|on)$", re.IGNORECASE)


# Nouns of prepositional locutions ("en faveur de", "au cœur de", "au contraire"): no terms.
_LOCUTION_NOUNS = frozenset(
    "faveur cœur coeur contraire conclusion cours cas niveau raison moment suite fonction lieu "
    "côté sein présence absence origine dehors long égard vue regard dépit travers besoin "
    "mesure terme matière attente revanche outre plus moins effet base".split()
)
_LOCUTION_OPENERS = frozenset({"en", "au", "aux", "à", "du"})


def _bare_complement(token: Token) -> bool:
    """A noun after a bare "de", without an article of its own, qualifies the noun before it
    ("de bas poids moléculaire", "accumulation de lymphe"): no term of its own there."""
    if token.dep_ != "nmod" or any(child.dep_ == "det" for child in token.children):
        return False
    cases = [child for child in token.children if child.dep_ == "case"]
    return (
        bool(cases)
        and cases[0].lower_ in {"de", "d'", "d’"}
        and not cases[0].morph.get("Definite", [])
    )


def _in_locution(token: Token) -> bool:
    """A locution's noun right after "en"/"au"/"à la", without a determiner of its own."""
    if token.lower_ not in _LOCUTION_NOUNS or token.i == 0:
        return False
    previous = token.doc[token.i - 1]
    if previous.lower_ in {"la", "l'", "l’"} and token.i > 1:
        previous = token.doc[token.i - 2]
    return previous.lower_ in _LOCUTION_OPENERS


def _coordinated_adjective(token: Token) -> bool:
    """ "rare mais invalidante", "effets secondaires courants": a word coordinated with an
    adjective, or a present participle's form right after a noun, without a determiner of its
    own, is an adjective the tagger read as a noun."""
    if any(child.dep_ in {"det", "case"} for child in token.children):
        return False  # "ou au cétuximab": a preposition of its own makes it a noun
    before = token.doc[token.i - 1] if token.i > 0 else None
    if (
        before is not None
        and before.pos_ in {"NOUN", "ADJ"}
        and re.search(r"antes?$|ants$", token.lower_)
    ):
        return True  # "les effets secondaires courants du traitement"
    if token.dep_ != "conj":
        return False
    conjunctions = [child for child in token.children if child.dep_ == "cc"]
    if not conjunctions:
        return False
    before = token.doc[conjunctions[0].i - 1] if conjunctions[0].i > 0 else None
    return before is not None and before.pos_ == "ADJ"


def _modifiers(token: Token, depth: int, *, inner: bool = False) -> set[int]:
    """The token and what a term keeps of its dependents: adjectives, participles without
    complements, "de"/"à" complements (two levels), names and fixed expressions. Inside a
    complement, an adjective before the noun belongs too ("à forte dose", "de bas poids")."""
    kept = {token.i}
    for child in token.children:
        dep = child.dep_
        if inner and dep == "amod" and child.i == token.i - 1 and child.pos_ == "ADJ":
            kept.add(child.i)
        elif dep == "amod" and child.i > token.i:
            if child.lower_ in _NOT_QUALIFYING:
                continue  # "des comorbidités telles que …": the list's marker, not the term's
            if _gender_number(child)[1] == "p" and _gender_number(token)[1] == "s":
                continue  # "une surveillance et une gestion attentives": both nouns' adjective
            if any(
                grandchild.dep_ in {"obj", "obl", "obl:arg", "obl:mod", "nsubj", "nmod"}
                for grandchild in child.children
            ):
                continue  # "adaptée à la fonction rénale", "inférieure à 30": a clause
            kept |= _adjectives(child)
        elif dep in {"flat", "flat:name", "fixed", "compound"}:
            kept.add(child.i)
        elif (
            dep == "acl"
            and child.i == token.i + 1
            and "Part" in child.morph.get("VerbForm", [])
            and not [g for g in child.children if not g.is_punct]
        ):
            kept.add(child.i)  # "du côté opéré", "os exposé": a bare participle qualifies
        elif child.i == token.i + 1 and re.fullmatch(r"[A-Z0-9]{1,3}", child.text):
            kept.add(child.i)  # "vitamine D", "intervalle QT", "antivitamines K"
        elif dep == "nmod" and depth > 0 and child.pos_ in {"NOUN", "PROPN"} and child.i > token.i:
            if child.lemma_ == token.lemma_:
                continue  # "préfère le rasoir électrique au rasoir mécanique": compared
            if child.lower_ in _RANKING_COMPLEMENTS:
                continue  # "l'examen de référence": which examen, not a kind of one
            if match_key(child.text) in _UNITS:
                continue  # "l'albuminémie en g/l": a unit, not a complement
            cases = [g for g in child.children if g.dep_ == "case"]
            if not cases or cases[0].lower_ not in _PREPOSITIONS:
                continue
            if cases[0].lower_ in {"à", "au", "aux"} and child.lemma_.lower() in _PEOPLE:
                continue  # "signaler toute aggravation au médecin": the verb's, not the noun's
            if any(g.dep_ == "det" and g.lower_ in _POSSESSIVES for g in child.children):
                continue  # "informe son dentiste de son traitement": the verb's complement
            complement = _modifiers(child, depth - 1, inner=True)
            complement |= {g.i for g in child.children if g.dep_ in {"case", "det"}}
            kept |= complement
    return kept


# Adjectives after a noun that qualify nothing of it: a list's marker, a quantifier.
_NOT_QUALIFYING = frozenset(
    "tel telle tels telles autre autres même mêmes divers diverses différents différentes "
    "nombreux nombreuses certain certaine certains certaines suivant suivante suivants "
    "suivantes".split()
)


# Adjectives before a noun that rank or hedge it rather than name a kind of it.
_NOT_PRENOMINAL = frozenset(
    "principal principale principaux principales premier première premiers premières "
    "dernier dernière derniers dernières seul seule seuls seules nouveau nouvel nouvelle "
    "nouveaux nouvelles simple simples véritable véritables vrai vraie vrais vraies "
    "éventuel éventuelle éventuels éventuelles possible possibles bon bonne bons bonnes "
    "meilleur meilleure meilleurs meilleures plusieurs quelques tout toute tous toutes "
    "grand grande grands grandes gros grosse moindre moindres réel réelle vaste vastes "
    "nombreux nombreuses plein pleine large larges long longue longs longues "
    "deuxième troisième second seconde".split()
)


def _adjectives(token: Token) -> set[int]:
    """An adjective and the adjectives chained to it ("oraux directs", "non stéroïdiens")."""
    kept = {token.i}
    for child in token.children:
        if child.dep_ in {"amod", "advmod", "fixed"} and child.i > token.i - 2:
            kept |= _adjectives(child)
    return kept


def phrases(doc: Doc, text: str) -> list[Phrase]:
    """Noun phrases headed by a noun (no determiner in front), and abbreviations."""
    found: dict[tuple[int, int], Phrase] = {}
    for token in doc:
        after_number = token.i > 0 and doc[token.i - 1].text[:1].isdigit()
        if after_number or match_key(token.text) in _UNITS:
            continue  # a unit: "30 mL/min", "175 UI/kg"
        if _is_abbreviation(token.text):
            kept = _modifiers(token, depth=2)
            last = token.i
            while last + 1 in kept:
                last += 1
            if last > token.i:  # "IRM de l'ensemble du rachis": the abbreviation heads a phrase
                end = doc[last].idx + len(doc[last].text)
                found[(token.idx, end)] = Phrase(
                    start=token.idx,
                    end=end,
                    surface=text[token.idx : end],
                    head=token.text,
                    gender=_gender_number(token)[0],
                    number="s",
                )
            found[(token.idx, token.idx + len(token.text))] = Phrase(
                start=token.idx,
                end=token.idx + len(token.text),
                surface=token.text,
                head=token.text,
                gender=_gender_number(token)[0],
                number="s",
                abbreviation=True,
            )
            continue
        if token.pos_ not in {"NOUN", "PROPN"} or not token.text[:1].isalpha():
            continue
        if (token.dep_ == "conj" and token.head.pos_ == "ADJ") or token.dep_ == "amod":
            continue  # an adjective tagged as a noun: "abdominale ou pelvienne", "chronique"
        children = {child.dep_ for child in token.children}
        if children & {"obj", "nsubj", "nsubj:pass"} and "cop" not in children:
            continue  # a verb tagged as a noun: "(MVC) touche les membres"
        if token.i > 0 and _VERB_BEFORE.match(doc[token.i - 1].text):
            continue  # a verb tagged as a noun: "le dénosumab s'injecte par voie …"
        if _coordinated_adjective(token):
            continue  # "une complication rare mais invalidante des médicaments"
        if _in_locution(token):
            continue  # "en faveur du lymphœdème", "au cœur du rôle infirmier", "au contraire"
        if token.pos_ == "PROPN" and token.head.i != token.i and token.dep_ in {"nmod", "flat"}:
            continue  # a name inside a phrase: "triade de Virchow" is the term
        kept = _modifiers(token, depth=2)
        # An adjective before the noun that qualifies it: "mauvaise haleine", "petites
        # protéines"; not "principal facteur", "autres signes".
        before = doc[token.i - 1] if token.i > 0 else None
        if (
            before is not None
            and before.head.i == token.i
            and before.dep_ == "amod"
            and before.pos_ == "ADJ"
            and before.lower_ not in _NOT_QUALIFYING | _NOT_PRENOMINAL
        ):
            kept.add(before.i)
        # The phrase is the contiguous run of kept tokens around the head.
        first = last = token.i
        while first - 1 in kept:
            first -= 1
        while last + 1 in kept:
            last += 1
        # A hyphenated word is one: "bilan bucco-dentaire", not "bilan bucco".
        while last + 1 < len(doc) and not doc[last].whitespace_ and doc[last + 1].text[:1] == "-":
            last += 1
            while last + 1 < len(doc) and not doc[last].whitespace_ and doc[last + 1].is_alpha:
                last += 1
        span = doc[first : last + 1]
        while len(span) > 1 and (span[-1].pos_ in {"ADP", "DET", "CCONJ"} or span[-1].is_punct):
            span = span[:-1]
        words = [t for t in span if not t.is_punct]
        if not words or len(words) > MAX_WORDS or len(span.text) < 2:
            continue
        start, end = span.start_char, span.end_char
        surface = text[start:end]
        if "\n" in surface or "(" in surface or ")" in surface:
            continue
        gender, number = _gender_number(token)
        found[(start, end)] = Phrase(
            start=start,
            end=end,
            surface=surface,
            head=token.lemma_ or token.text,
            gender=gender,
            number=number,
            bare=_bare_complement(token) and span[0].pos_ == "ADJ",
        )
    return sorted(found.values(), key=lambda p: (p.start, -(p.end - p.start)))


_EXPANSION_BEFORE = re.compile(r"\(\s*([A-ZÀ-Ý][A-Za-zÀ-ÿ0-9-]{1,11})\s*\)")


def abbreviations(text: str, found: Sequence[Phrase]) -> dict[str, str]:
    """ "héparine non fractionnée (HNF)": abbreviation -> the phrase it stands for."""
    pairs: dict[str, str] = {}
    by_end: dict[int, list[Phrase]] = {}
    for phrase in found:
        if not phrase.abbreviation:
            by_end.setdefault(phrase.end, []).append(phrase)
    for match in _EXPANSION_BEFORE.finditer(text):
        abbreviation = match.group(1)
        if not _is_abbreviation(abbreviation):
            continue
        end = match.start()
        while end > 0 and text[end - 1] in " \u00a0":
            end -= 1
        # The longest phrase ending there whose initials spell the abbreviation.
        for expansion in sorted(by_end.get(end, []), key=lambda p: p.start - p.end):
            if _initials_match(abbreviation, expansion.surface):
                pairs.setdefault(abbreviation, expansion.surface)
                break
    # The other way round: "l'ECG (électrocardiogramme)", "l'EVA (échelle visuelle analogique)".
    by_start: dict[int, list[Phrase]] = {}
    for phrase in found:
        if not phrase.abbreviation:
            by_start.setdefault(phrase.start, []).append(phrase)
    for phrase in found:
        if not phrase.abbreviation:
            continue
        opened = re.match(r"\s*\(\s*", text[phrase.end :])
        if opened is None:
            continue
        start = phrase.end + opened.end()
        for expansion in sorted(by_start.get(start, []), key=lambda p: p.start - p.end):
            closed = re.match(r"\s*\)", text[expansion.end :])
            if closed and _initials_match(phrase.surface, expansion.surface):
                pairs.setdefault(phrase.surface, expansion.surface)
                break
    return pairs


def _initials_match(abbreviation: str, expansion: str) -> bool:
    """The abbreviation's letters appear in order among the expansion's word initials (or
    letters, for "PTHrP"): "MTEV" <- "maladie thromboembolique veineuse"."""
    letters = [ch.lower() for ch in abbreviation if ch.isalpha()]
    words = [w for w in re.findall(r"[^\W\d_]+", match_key(expansion)) if len(w) > 2 or w == "k"]
    if not letters or not words:
        return False
    initials = "".join(w[0] for w in words)
    position = 0
    for letter in letters:
        found = initials.find(letter, position)
        if found < 0:
            # Letters may come from inside one word ("thromboembolique" gives T and E).
            joined = "".join(words)
            return all(letter in joined for letter in letters) and letters[0] == initials[0]
        position = found + 1
    return True


# --- typing ----------------------------------------------------------------------------------


_MEASURE_UNIT = re.compile(
    r"^unités?\s+(?:de|d['’])\s*(?:dose|mesure|masse|volume|temps|longueur|activité)\b",
    re.IGNORECASE,
)


@dataclass
class Typed:
    cls: str
    code: str = ""  # ATC code, INN stem class or CIM-10 code


def type_of(
    phrase: Phrase, *, terminology: Terminology, types: Types, glossary: Glossary | None = None
) -> Typed | None:
    """What a phrase is, or None when it is no term (a generic head, an everyday notion). A
    phrase headed by a term the glossary or the CIM-10 knows is of that term's class
    ("mélanome avancé" is a cancer as "mélanome" is)."""
    surface = phrase.surface
    words = surface.split()
    drug = terminology.drug(surface)
    if drug is not None:
        return Typed("drug", drug.atc)
    if len(words) == 1 and (stem := stem_class(surface)) is not None:
        return Typed("drug", stem[0])
    condition = terminology.condition(surface)
    if condition is not None and not phrase.abbreviation:
        if condition.is_sign:
            return Typed("symptom", condition.code)
        if condition.chapter == "C" or condition.code[:2] in {"D0", "D1", "D2", "D3", "D4"}:
            return Typed("cancer", condition.code)
        return Typed("condition", condition.code)
    head = match_key(phrase.head)
    if len(words) == 1 and (
        head in types.generic or match_key(surface) in types.bare or head in types.bare
    ):
        return None
    if _MEASURE_UNIT.match(surface):
        return Typed("notion")  # "unité de dose absorbée" is no care unit
    if len(words) > 1 and glossary is not None:
        known = glossary.term(phrase.head) or glossary.term(words[0])
        if known is not None and known.cls in glossary.classes:
            return Typed(known.cls)
    head_condition = terminology.condition(words[0]) if len(words) > 1 else None
    if head_condition is not None and not phrase.abbreviation:
        return Typed("symptom" if head_condition.is_sign else "condition", head_condition.code)
    by_head = types.of_head(phrase.head)
    if by_head is not None and (head not in types.generic or _named_kind(head, words)):
        return Typed(by_head)
    if len(words) == 1 and (by_ending := types.of_ending(surface)) is not None:
        return Typed(by_ending)
    if head in types.generic:
        # A named sign or scale keeps its name: "signe de Stemmer", "score de Khorana".
        if any(word[:1].isupper() and word[1:].islower() and len(word) > 2 for word in words[1:]):
            return Typed("symptom" if head == "signe" else "notion")
        return None
    if phrase.abbreviation:
        return Typed("notion")
    if len(words) == 1 and _everyday(surface) >= EVERYDAY_ZIPF:
        return None
    return Typed("notion")


# Heads that name nothing alone but a kind with an adjective: "cancer métastatique",
# "maladie thromboembolique veineuse".
_KIND_HEADS = frozenset({"cancer", "maladie", "tumeur", "lesion", "infection", "syndrome"})
# Adjectives that grade rather than name a kind ("une complication grave").
_GRADING = frozenset(
    "grave graves sévère sévères fréquent fréquente fréquents fréquentes rare rares important "
    "importante importants importantes potentiel potentielle potentiels potentielles majeur "
    "majeure majeurs majeures mineur mineure léger légère précoce précoces tardif tardive "
    "nombreux nombreuses certain certaine certains certaines éventuel éventuelle".split()
)


def _named_kind(head: str, words: list[str]) -> bool:
    """ "cancer métastatique": a kind-naming head with an adjective of its own right after."""
    if head not in _KIND_HEADS or len(words) < 2:
        return False
    second = words[1].lower()
    return second not in _PREPOSITIONS | _GRADING and second.isalpha() and second.islower()


def _everyday(word: str) -> float:
    from wordfreq import zipf_frequency

    return zipf_frequency(word.lower(), "fr")


# --- the course's terms ----------------------------------------------------------------------


@dataclass
class CourseTerms:
    terms: list[Term] = field(default_factory=list)
    classes: dict[str, TermClass] = field(default_factory=dict)


def _canonical(surface: str, abbreviation: bool) -> str:
    surface = " ".join(surface.replace("\u00a0", " ").split())
    if abbreviation or (len(surface) > 1 and surface[1:2].isupper()):
        return surface
    return surface[:1].lower() + surface[1:]


def course_terms(
    documents: Iterable[tuple[Doc, str]],
    *,
    glossary: Glossary,
    terminology: Terminology,
    types: Types,
    titles: Iterable[str] = (),
) -> CourseTerms:
    """The terms the texts write that the glossary lacks, typed, with the classes they need;
    drugs bring their ATC siblings as wrong answers. (The titles' topic is a term like any
    other; generation never makes it a key: flaws.key_is_topic.)"""
    del titles
    found: dict[str, Term] = {}
    counts: Counter[str] = Counter()
    aliases: dict[str, set[str]] = {}
    for doc, text in documents:
        spotted = phrases(doc, text)
        pairs = abbreviations(text, spotted)
        typings = {
            (phrase.start, phrase.end): type_of(
                phrase, terminology=terminology, types=types, glossary=glossary
            )
            for phrase in spotted
        }
        for phrase in spotted:
            if glossary.term(phrase.surface) is not None:
                continue
            typed = typings[(phrase.start, phrase.end)]
            if typed is None:
                continue
            if typed.cls == "notion" and _place_inside(phrase, typings, text):
                continue  # "admission en unité de soins intensifs": the unit is the term
            if typed.cls == "notion" and phrase.bare:
                continue  # "héparines de bas poids moléculaire": "bas poids moléculaire"
            canonical = _canonical(phrase.surface, phrase.abbreviation)
            key = match_key(canonical)
            counts[key] += 1
            if key in found:
                continue
            found[key] = Term(
                canonical=canonical,
                cls=typed.cls,
                gender=phrase.gender,
                number=phrase.number,
                code=typed.code,
                origin="text",
            )
        for abbreviation, expansion in pairs.items():
            aliases.setdefault(match_key(_canonical(expansion, False)), set()).add(abbreviation)
    terms: dict[str, Term] = {}
    for key, term in found.items():
        short = tuple(sorted(aliases.get(key, set())))
        if short:
            term = _with(term, aliases=short)
        terms[key] = term
    # An abbreviation that stands for a phrase is that phrase's alias, not a term of its own.
    for names in aliases.values():
        for abbreviation in names:
            terms.pop(match_key(abbreviation), None)
    siblings = _drug_siblings([t for t in terms.values() if t.cls == "drug"], terminology, terms)
    reserve = [
        term
        for term in types.vocabulary
        if term.key not in terms and glossary.term(term.canonical) is None
    ]
    result = CourseTerms(terms=[*terms.values(), *siblings, *reserve])
    result.classes = {
        name: cls
        for name, cls in types.classes.items()
        if any(term.cls == name for term in result.terms)
    }
    return result


_TOWARDS = re.compile(r"\s(?:en|à|au|aux|vers|dans)\s+(?:(?:la|le|les|l['’]|un|une)\s*)?$")


def _place_inside(phrase: Phrase, typings: dict[tuple[int, int], Typed | None], text: str) -> bool:
    """A notion that sends to a typed term ("admission en unité de soins intensifs",
    "orientation vers le kinésithérapeute"): that term, not the whole phrase, is the fact."""
    for (start, end), typed in typings.items():
        if (
            end == phrase.end
            and start > phrase.start
            and typed is not None
            and typed.cls != "notion"
            and _TOWARDS.search(text[phrase.start : start])
        ):
            return True
    return False


def title_key(title: str) -> str:
    """The main phrase of a title: "Le lymphœdème : prévention…" -> "lymphœdème", "Qu'est-ce
    que le syndrome … ?" -> "syndrome …" (match key)."""
    head = re.split(r"\s[:?–—-]\s|[:?]", title)[0].strip().replace("’", "'")
    head = re.sub(
        r"^(?:qu'est-ce que|qu'est-ce qu'|quels? sont|quelles? sont|quels?|quelles?|comment)\s*",
        "",
        head,
        flags=re.IGNORECASE,
    )
    head = re.sub(r"^(?:les|le|la|l'|un|une|des)\s*", "", head.strip(), flags=re.IGNORECASE)
    return match_key(head)


def _with(term: Term, **changes: object) -> Term:
    values = {name: getattr(term, name) for name in Term.__dataclass_fields__}
    values.update(changes)
    return Term(**values)  # type: ignore[arg-type]


def _drug_siblings(
    drugs: list[Term], terminology: Terminology, known: dict[str, Term]
) -> list[Term]:
    """INNs of the text's drugs' ATC classes (same 4th level first, then same 3rd), spelt
    the French way, as wrong answers only: their origin says they are not in the text."""
    extra: dict[str, Term] = {}
    for term in drugs:
        drug = terminology.drug(term.canonical)
        if drug is None:
            continue
        nearby = terminology.siblings(drug) + terminology.cousins(drug)
        for other in nearby[:SIBLINGS_PER_DRUG]:
            name = other.spelling
            key = match_key(name)
            if key in known or key in extra:
                continue
            extra[key] = Term(
                canonical=name,
                cls="drug",
                gender=french.inn_gender(name),
                number="s",
                code=other.atc,
                origin="terminology",
            )
    return list(extra.values())
