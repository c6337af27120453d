"""The checks every item passes, generated or edited by course staff.

Grounding: the key is stated by the source sentence, and no wrong answer is stated as true.
NBME item-writing flaws: "toutes/aucune des réponses ci-dessus", a negative stem that is not
emphasised, a stem that gives the key away (or shares a word with the key alone), options
that are the same after normalisation, a grammatical cue between stem and options, the
wrong number of options; and, over a lesson's items, a key that is too often the only
longest option.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from courses.textnorm import match_key

from . import french
from .context import LessonContext, same_word
from .glossary import Glossary
from .items import Flaw, Item
from .yardstick import blank_splits_word, names_topic, normal, option_is_whole_term

OPTIONS = 4
MULTIPLE_OPTIONS = 5  # a multiple-response item's options (two or three of them right)
# A key named in more than this share of its lesson's sentences is the lesson's topic word.
EVERYWHERE_SHARE = 0.5
# Share of a lesson's items whose key may be the only longest option: with four options, one
# in four by chance; more than this tells test-wise learners to pick the longest.
KEY_LONGEST_MAX_SHARE = 0.34
BLANK = "_____"

_ALL_OR_NONE = re.compile(
    r"\b(?:toutes?|aucune?|tous)\s+(?:les|des|de\s+ces)\s+(?:réponses|propositions|options|"
    r"items)|ci-dessus|ci-dessous|all of the above|none of the above",
    re.IGNORECASE,
)
_NEGATION = re.compile(
    r"\b(?:ne|n')\s*\w+(?:\s+\w+)?\s+(?:pas|jamais|aucun|aucune|plus)\b|\bexcepté\b|"
    # "sauf" as the stem's own connective ("…, sauf ?"), not inside a quoted "sauf avis médical"
    r",\s*sauf\b|\bsauf\s*[?:…]|"
    r"\bn'est pas\b|\bne\s+pas\b|\bnot\b|\bexcept\b",
    re.IGNORECASE,
)
_ARTICLES = re.compile(r"^(?:(?:les|le|la|un|une|des|du|de la|de)\s+|(?:l|d|de l)')", re.IGNORECASE)
_STOPWORDS = frozenset(
    """
    avec dans pour par sans sous sur entre chez leur leurs cette celle ceux plus moins tres
    dont elle elles nous vous sont etre avoir fait texte apres selon quel quelle quels
    quelles lequel laquelle lesquels lesquelles
    """.split()
)


def normalize_option(option: str) -> str:
    """Case, accents, typography and a leading article removed."""
    return _ARTICLES.sub("", match_key(option)).strip(" .")


_CLOZE_LEAD = re.compile(r"^\s*Quel terme complète cette phrase du texte\s*\?", re.IGNORECASE)
_PARTICLES = re.compile(r"\b(?:ne|n'|pas|jamais|plus|aucun|aucune|sauf|excepté)\b", re.IGNORECASE)


def _emphasised(negation: str) -> bool:
    """The negation's particles in capitals ("N'ont PAS", "NE sont PAS"): the verb between
    them may keep its case."""
    particles = _PARTICLES.findall(negation)
    return bool(particles) and all(word == word.upper() for word in particles)


# What a generated stem asks: its blank, or its interrogative word.
_ASKED = re.compile(r"_____|\b(?:quel|quelle|quels|quelles|lequel|laquelle|lesquels|lesquelles)\b")


def negated_ask(item: Item) -> bool:
    """The clause the stem asks in is negative ("Les diurétiques N'ont PAS d'indication dans
    _____"): every wrong answer may be as true as the key. A value asked in a negative clause
    ("NE PAS appliquer de crème dans quel délai") has no such wrong answers."""
    if item.kind == "threshold":
        return False
    stem = item.stem.replace("’", "'")
    for clause in re.split(r"[,;:«»]", stem):
        if _ASKED.search(clause) and _NEGATION.search(clause):
            return True
    return False


def content_words(text: str) -> set[str]:
    return {
        word for word in re.findall(r"[^\W\d_][\w-]{3,}", match_key(text)) if word not in _STOPWORDS
    }


def text_flaws(
    stem: str,
    options: Sequence[str],
    answer: int,
    *,
    glossary: Glossary | None = None,
    answers: Sequence[int] = (),
) -> list[Flaw]:
    """Flaws visible in the text alone (used for generated items and for staff edits).
    ``answers``: a multiple-response item's keys (two or more, among MULTIPLE_OPTIONS)."""
    flaws: list[Flaw] = []
    expected = MULTIPLE_OPTIONS if answers else OPTIONS
    if len(options) != expected:
        flaws.append(Flaw("option_count", f"{len(options)} options instead of {expected}"))
    keys = list(answers) or [answer]
    if not all(0 <= key < len(options) for key in keys) or len(set(keys)) != len(keys):
        flaws.append(Flaw("answer_index", "the key is not one of the options"))
        return flaws
    if answers and not 2 <= len(keys) < len(options):
        flaws.append(Flaw("key_count", "a multiple-response item has two keys or more, not all"))
    empty = tuple(index for index, option in enumerate(options) if not option.strip())
    if empty:
        flaws.append(Flaw("empty_option", "an option is empty", options=empty))
    normalized = [normalize_option(option) for option in options]
    if len(set(normalized)) != len(normalized):
        # Every option after the first of its kind: the one to change.
        repeated = tuple(
            index for index, value in enumerate(normalized) if value in normalized[:index]
        )
        flaws.append(
            Flaw("duplicate_options", "two options are the same once normalised", options=repeated)
        )
    catch_all = tuple(index for index, option in enumerate(options) if _ALL_OR_NONE.search(option))
    if catch_all:
        flaws.append(Flaw("all_or_none", "an option is “all/none of the above”", options=catch_all))
    negation = _NEGATION.search(stem.replace("’", "'"))
    if negation and not _emphasised(negation.group(0)):
        flaws.append(Flaw("negative_stem", "the stem is negative and the negation not emphasised"))
    if not stem.rstrip().endswith(("?", "»")) and BLANK not in stem:
        flaws.append(Flaw("not_a_question", "the stem is neither a question nor a gap-fill"))
    stem_key = f" {normalize_option(stem)} "
    given = tuple(
        key
        for key in keys
        if normalized[key]
        and re.search(rf"(?<![\w-]){re.escape(normalized[key])}(?![\w-])", stem_key)
    )
    if given:
        flaws.append(Flaw("key_in_stem", "the stem contains the key", options=given))
    # The words that say what kind of item it is ("Quel terme complète cette phrase du
    # texte ?") share nothing with the key: "complète" is no cue to "décongestive complète".
    stem_words = content_words(_CLOZE_LEAD.sub("", stem))
    others = set().union(*(content_words(o) for i, o in enumerate(options) if i not in keys))
    clang = {
        (key, word)
        for key in keys
        for word in content_words(options[key]) & stem_words
        if not any(same_word(word, other) for other in others)
    }
    if clang:
        words = ", ".join(sorted({word for _key, word in clang}))
        flaws.append(
            Flaw(
                "clang",
                f"the stem and the key alone share a word ({words})",
                options=tuple(sorted({key for key, _word in clang})),
                word=words,
            )
        )
    flaws.extend(_grammar_flaws(stem, options, glossary))
    return flaws


def _grammar_flaws(
    stem: str, options: Sequence[str], glossary: Glossary | None = None
) -> list[Flaw]:
    """The word before a blank must accept every option (elision, gender, number)."""
    if BLANK not in stem:
        # Standalone options: all with an article, or none. The fewer are the odd ones out.
        with_article = [bool(_ARTICLES.match(match_key(option))) for option in options]
        if any(with_article) and not all(with_article):
            odd = with_article.count(True) <= len(options) / 2
            return [
                Flaw(
                    "grammatical_cue",
                    "some options carry an article and others do not",
                    options=_where(with_article, odd),
                    rule="article" if odd else "no_article",
                )
            ]
        return []
    before = stem.split(BLANK, 1)[0].replace("’", "'").rstrip()
    previous = re.findall(r"[\w']+$", before)
    word = previous[0].lower() if previous else ""
    shown = word.replace("'", "’")

    def cue(message: str, flags: Sequence[bool], rule: str) -> Flaw:
        """The options whose flag is set are at fault."""
        return Flaw("grammatical_cue", message, options=_where(flags, True), rule=rule, word=shown)

    flaws = []
    vowel = [french.starts_with_vowel_sound(option) for option in options]
    if word.endswith("'") and word in {"l'", "d'", "qu'", "jusqu'", "lorsqu'", "c'", "s'", "n'"}:
        if not all(vowel):
            consonant = [not flag for flag in vowel]
            flaws.append(cue(f"not every option follows “{word}”", consonant, "elided"))
    elif word in {"le", "la", "de", "du", "que", "ce", "je", "me", "te", "se", "ne"} and any(vowel):
        flaws.append(cue(f"an option would elide after “{word}”", vowel, "elides"))
    if glossary is not None:
        genders = [term.gender if (term := glossary.term(option)) else "" for option in options]
        if word in {"le", "du", "au", "un", "ce", "cet"} and "f" in genders:
            feminine = [gender == "f" for gender in genders]
            flaws.append(cue(f"a feminine option after “{word}”", feminine, "feminine"))
        if word in {"la", "une", "cette"} and "m" in genders:
            masculine = [gender == "m" for gender in genders]
            flaws.append(cue(f"a masculine option after “{word}”", masculine, "masculine"))
    return flaws


def _where(flags: Sequence[bool], value: bool) -> tuple[int, ...]:
    return tuple(index for index, flag in enumerate(flags) if flag is value)


def grounding_flaws(item: Item, ctx: LessonContext) -> list[Flaw]:
    """The key stated by the source sentence; no distractor stated as true by the course."""
    glossary = ctx.glossary
    flaws: list[Flaw] = []
    sentence = f" {match_key(item.source.sentence)} "
    if ctx.text[item.source.start : item.source.end] != item.source.sentence:
        flaws.append(Flaw("source_offsets", "the source offsets do not match the lesson text"))
    if item.key_terms:  # a multiple-response item: every key stated
        for name in item.key_terms:
            term = glossary.term(name)
            forms = glossary.names(term) if term else {match_key(name)}
            if not any(form and _has_words(sentence, form) for form in forms):
                flaws.append(Flaw("key_not_stated", f"the source sentence does not state “{name}”"))
    key_term = glossary.term(item.key_term)
    names = glossary.names(key_term) if key_term else {match_key(item.key_term)}
    if item.key_class == "threshold":
        names = {match_key(item.key_term.split(" ")[0])}
    if item.key_class == "action":
        # In the infinitive: what follows the verb is the text's own ("Vérifier | la NFS").
        words = re.sub(r"^ne pas\s+", "", item.key_term, flags=re.IGNORECASE).split()
        names = {match_key(" ".join(words[1:]))}
    if not item.key_terms and not any(name and _has_words(sentence, name) for name in names):
        flaws.append(Flaw("key_not_stated", "the source sentence does not state the key"))
    anchors = [glossary.term(name) for name in item.anchors]
    anchor_terms = [term for term in anchors if term is not None]
    if item.kind == "abbreviation":
        # What an abbreviation stands for is a name: another term the sentence states ("la
        # MTEV regroupe la TVP et l'EP") is still not what "MTEV" means.
        return flaws
    for name in item.distractor_terms:
        term = glossary.term(name)
        if term is None:
            continue
        if any(_has_words(sentence, form) for form in glossary.names(term)):
            flaws.append(Flaw("distractor_stated", f"the source sentence states “{name}”"))
        elif ctx.course.stated_with(term, anchor_terms, lesson=ctx.lesson.key):
            flaws.append(Flaw("distractor_stated", f"the course states “{name}” with the subject"))
        elif any(glossary.true_of(anchor, term) for anchor in anchor_terms):
            flaws.append(Flaw("distractor_true", f"“{name}” is true of the subject in practice"))
    return flaws


def _has_words(padded_text: str, name: str) -> bool:
    return _words_pattern(name).search(padded_text) is not None


@lru_cache(maxsize=8192)
def _words_pattern(name: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-]){re.escape(name)}(?![\w-])")


def worth_flaws(item: Item, ctx: LessonContext) -> list[Flaw]:
    """A key worth asking: not what the lesson or the module is about (its title's main
    phrase), nor a term most of the lesson's sentences name."""
    key = normal(item.options[item.answer])
    if any(names_topic(key, topic) for topic in ctx.course.topics):
        return [Flaw("key_is_topic", "the key is what the lesson or the module is about")]
    term = ctx.glossary.term(item.key_term)
    if term is not None and len(ctx.sentences) >= 4:
        naming = sum(1 for info in ctx.sentences if term.key in info.terms())
        if naming / len(ctx.sentences) > EVERYWHERE_SHARE:
            return [Flaw("key_everywhere", "most of the lesson's sentences name the key")]
    return []


def item_flaws(item: Item, ctx: LessonContext) -> list[Flaw]:
    flaws = text_flaws(
        item.stem, item.options, item.answer, glossary=ctx.glossary, answers=item.answers
    )
    if negated_ask(item) and not any(flaw.code == "negative_stem" for flaw in flaws):
        flaws.append(Flaw("negative_stem", "the stem asks in a negative clause"))
    flaws.extend(grounding_flaws(item, ctx))
    flaws.extend(worth_flaws(item, ctx))
    if blank_splits_word(item.stem):
        flaws.append(Flaw("blank_splits_word", "the blank takes part of a word"))
    if not all(option_is_whole_term(option) for option in item.options):
        flaws.append(Flaw("option_not_whole_term", "an option is a piece cut out of a phrase"))
    return flaws


def key_is_only_longest(item: Item) -> bool:
    if item.answers:
        return False  # several keys: no one option stands out as "the" key
    lengths = [len(option) for option in item.options]
    longest = max(lengths)
    return lengths[item.answer] == longest and lengths.count(longest) == 1


def set_flaws(items: Sequence[Item]) -> dict[int, Flaw]:
    """Items to drop so that the key is not the only longest option too often in a quiz."""
    longest = [index for index, item in enumerate(items) if key_is_only_longest(item)]
    allowed = int(KEY_LONGEST_MAX_SHARE * len(items))
    if len(items) < 3 or len(longest) <= allowed:
        return {}

    # Drop the ones where the key stands out most.
    def margin(index: int) -> int:
        item = items[index]
        others = [len(o) for i, o in enumerate(item.options) if i != item.answer]
        return len(item.options[item.answer]) - max(others)

    surplus = sorted(longest, key=margin, reverse=True)[: len(longest) - allowed]
    return {
        index: Flaw("key_longest", "the key is the only longest option too often in this quiz")
        for index in surplus
    }
