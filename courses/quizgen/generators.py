"""The four kinds of item, each keyed on a fact a sentence of the lesson states.

- cited: "which of these is cited as …" from an enumeration ("notamment A, B et C");
- cloze: a sentence with one term (or threshold) blanked, every option fitting the blank;
- definition: synonyms from appositions ("X, également appelé Y") and copular definitions;
- association: drug or cytokine -> indication, subject -> what it acts on.

Generators propose; ``flaws`` decide. A generator may propose an item the flaw checks then drop.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import TYPE_CHECKING

from courses.textnorm import match_key

from . import distractors, french, quantities
from .context import ALIAS_CONNECTOR, LessonContext, SentenceInfo
from .distractors import Constraint
from .glossary import Mention, Term
from .items import Item, Source
from .terminology import stem_class
from .terms import Phrase
from .yardstick import option_form

if TYPE_CHECKING:
    from spacy.tokens import Token

NBSP = "\u00a0"
BLANK = "_____"
OPTIONS = 4
# A list gives one "cited" item per member, up to this many: each tests its own fact, and a
# quiz never draws two items from one sentence.
MAX_PER_LIST = 8
# A multiple-response item from a list: two or three of its members among five options.
MULTIPLE_OPTIONS = 5
MULTIPLE_KEYS = (2, 3)
# Keys asked per sentence, at most (one family: an attempt draws one of them).
MAX_KEYS_PER_SENTENCE = 3
# Lists introduced by these are examples, not exhaustive: only "which is cited" is honest.
_LIST_MARKERS = re.compile(
    r"\b(notamment|tels que|telles que|tel que|telle que|comme|y compris|parmi lesquels|"
    r"parmi lesquelles|dont)\b|[\u00a0 ](:)(?=\s)|(?<=\s)(sont)(?=\s)",
    re.IGNORECASE,
)
# "Les cancers les plus souvent en cause sont …": the subject before "sont" names the category.
_COPULAR_SUBJECT = re.compile(r"^(?:les|des|certains|certaines)\s+(.{3,90})\s+$", re.IGNORECASE)
# Between a category and its list's marker: a comma, an abbreviation in brackets.
_CATEGORY_GAP = re.compile(r"^\s*(?:\([^()]{1,20}\))?\s*,?\s*$")
_LIST_GAP = re.compile(
    r"^[\s,]*(?:(?:et|ou|ainsi que|voire)\s+)?"
    r"(?:(?:de la|de l['’]|des|du|de|d['’]|les|le|la|l['’]|un|une)\s*)?$",
    re.IGNORECASE,
)
_ABBREVIATION_AFTER = re.compile(r"^\s*\(([A-ZÀ-Ý][A-ZÀ-Ý0-9-]{1,11})\)")
_PARENTHETICAL_AFTER = re.compile(r"^\s*\(([^()]{1,80})\)")
_TREATMENT_TRIGGER = re.compile(
    r"\ble traitement\s+(?:de certains types\s+)?(?:du|de la|de l'|des|de|d')",
    re.IGNORECASE,
)
_ELIDING = frozenset("le la l' de d' du que qu' ce cet jusqu' lorsqu' puisqu' ne me se te".split())
_PLURAL_DETERMINERS = frozenset("les des aux ces mes tes ses nos vos leurs quels quelles".split())
_TOPIC_CLASSES = frozenset({"syndrome", "treatment", "drug", "cytokine", "complication"})
_SUBJECT_CLASSES = ("cytokine", "drug", "treatment", "molecule", "syndrome", "complication")


_NEGATIONS = re.compile(
    r"\b(ne|n['’])\s*(\w+(?:\s+\w+)?\s+)?(pas|jamais|plus|aucun|aucune)\b",
    re.IGNORECASE,
)


def emphasise_negation(text: str) -> str:
    """Negations in capitals, as item-writing guides ask when a stem must keep one."""

    def upper(match: re.Match[str]) -> str:
        if match.group(1) is None:
            return match.group(0).upper()
        between = match.group(0)[len(match.group(1)) : len(match.group(0)) - len(match.group(3))]
        return match.group(1).upper() + between + match.group(3).upper()

    return _NEGATIONS.sub(upper, text)


def _plain(text: str) -> str:
    """Markdown's emphasis and list markers out of a sentence shown in a stem."""
    text = re.sub(r"(\*\*|\*|`)(?=[^\s*])(.+?)(?<=[^\s*])\1", r"\2", text)
    return re.sub(r"^\s*[-*+]\s+", "", text)


def _quote(text: str, lead: str = "") -> str:
    """A sentence quoted in a stem; a list item after its introduction ("… surveille : …")."""
    if lead:
        text = f"{_plain(lead).strip()} … {_plain(text).strip()}"
    return f"«{NBSP}{_plain(text).strip()}{NBSP}»"


def _with_lead(info: SentenceInfo, question: str) -> str:
    """A question built on a list item, after the item's introduction."""
    if not info.lead:
        return question
    return f"{_plain(info.lead).strip()} {question[:1].lower()}{question[1:]}"


# An elided word before the question words takes its full form: "d’ quel" -> "de quel".
_ELIDED_BEFORE_QUESTION = re.compile(
    r"\b(d|qu|l)['’]\s*(?=(?:quel|quelle|quels|quelles|combien)\b)", re.IGNORECASE
)


def _question(text: str) -> str:
    text = _ELIDED_BEFORE_QUESTION.sub(
        lambda m: {"d": "de ", "qu": "que ", "l": ""}[m.group(1).lower()], text
    )
    return text.rstrip(" ?") + f"{NBSP}?"


def _explanation(info: SentenceInfo) -> str:
    return f"Le texte l’indique{NBSP}: {_quote(info.text)}"


def _options(key: str, others: list[str], ctx: LessonContext) -> tuple[tuple[str, ...], int]:
    """The key at the place the lesson's items used least (ties drawn with the lesson's seed),
    the wrong answers in a seeded order around it: no place holds the key too often."""
    position = ctx.next_position(len(others) + 1)
    wrong = list(others)
    ctx.rng.shuffle(wrong)
    options = [*wrong[:position], key, *wrong[position:]]
    return tuple(options), position


def built_item(
    ctx: LessonContext,
    info: SentenceInfo,
    *,
    kind: str,
    variant: str,
    stem: str,
    key_text: str,
    key_class: str,
    others: list[str],
    option_texts: tuple[str, list[str]] | None = None,
    anchors: tuple[str, ...] = (),
) -> Item:
    """An item drawn from ``info``: the key among ``others`` (shown as ``option_texts``, the
    key's and the others', when they are written otherwise), at the lesson's next place."""
    shown_key, shown_others = option_texts or (key_text, others)
    options, answer = _options(shown_key, shown_others, ctx)
    return Item(
        kind=kind,
        stem=stem,
        options=options,
        answer=answer,
        explanation=_explanation(info),
        source=_source(info),
        key_term=key_text,
        key_class=key_class,
        distractor_terms=tuple(others),
        anchors=anchors,
        variant=variant,
    )


def _source(info: SentenceInfo) -> Source:
    return Source(sentence=info.text, start=info.sentence.start, end=info.sentence.end)


def _in_parentheses(ctx: LessonContext, mention: Mention) -> bool:
    before = ctx.text[: mention.start].rstrip()
    after = ctx.text[mention.end :].lstrip()
    return before.endswith("(") and after.startswith(")")


def display_name(mention: Mention) -> str:
    """How a stem names a term: as the text wrote it when that is the term's own name or an
    abbreviation ("l'IL-2"), else by its canonical name (an alias may not share its gender)."""
    surface = mention.surface
    if sum(ch.isupper() for ch in surface) >= 2:
        return surface
    if match_key(surface) == mention.term.key:
        if surface[:1].isupper() and not mention.term.canonical[:1].isupper():
            return mention.term.canonical
        return surface
    return mention.term.canonical


def _term_item(
    ctx: LessonContext,
    info: SentenceInfo,
    *,
    kind: str,
    variant: str,
    stem: str,
    key: Term,
    picked: list[Term],
    key_text: str | None = None,
    anchors: Iterable[Term] = (),
) -> Item:
    """An item whose options are glossary terms: ``key`` (shown as ``key_text``, by default
    its canonical name) among the ``picked`` wrong answers, in a seeded order. The item's key
    stays the term's name, whatever the option says: "asthénie" shown is "fatigue" asked, and
    a cloze of it is the same fact."""
    key_text = key_text or key.canonical
    return built_item(
        ctx,
        info,
        kind=kind,
        variant=variant,
        stem=stem,
        key_text=key.canonical,
        key_class=key.cls,
        others=[t.canonical for t in picked],
        option_texts=(
            french.option_form(key_text),
            [french.option_form(t.canonical) for t in picked],
        ),
        anchors=tuple(t.canonical for t in anchors),
    )


def _distinct_terms(mentions: list[Mention]) -> list[Mention]:
    seen: set[str] = set()
    out = []
    for mention in mentions:
        if mention.term.key not in seen:
            seen.add(mention.term.key)
            out.append(mention)
    return out


# --- cited -----------------------------------------------------------------------------------


def _enumerations(ctx: LessonContext, info: SentenceInfo) -> Iterator[tuple[int, list[Mention]]]:
    """(marker position, the listed mentions of one class) for each list in the sentence."""
    text = ctx.text
    for marker in _LIST_MARKERS.finditer(info.text):
        position = info.sentence.start + marker.end()
        # Glosses in parentheses ("tachycardie (rythme cardiaque rapide)") are not members.
        after = [m for m in info.mentions if m.start >= position and not _in_parentheses(ctx, m)]
        if not after:
            continue
        listed: list[Mention] = []
        cursor = position
        start = info.sentence.start + marker.start()
        # "Les signes d’alerte sont notamment une douleur …, une mobilité dentaire, un os
        # exposé": the category says what its untyped members are (signs, here).
        category = _category(ctx, start)
        named = _category_class(ctx, category)
        for mention in after:
            if named is not None and _retyped(mention.term, named):
                mention = replace(mention, term=replace(mention.term, cls=named))
            gap = text[cursor : mention.start]
            if listed and _COMPLEMENT_GAP.match(gap):
                cursor = mention.end  # "un os exposé dans la bouche": the member's complement
                continue
            gap = re.sub(r"\([^()]*\)", " ", gap)  # "(rythme cardiaque rapide)"
            # One stray word may sit in the gap: "douleurs musculaires et articulaires, des …".
            gap_words = re.findall(r"[^\W\d_]+", gap)
            if not _LIST_GAP.match(gap) and not (
                len([w for w in gap_words if len(w) > 3]) <= 1 and listed and "," in gap
            ):
                break
            if listed and mention.term.cls != listed[0].term.cls:
                if any(m.term.cls == mention.term.cls for m in listed):
                    continue
                if named is not None:
                    cursor = mention.end  # "une gencive gonflée": not a sign by its name
                    continue
                break
            if not listed or mention.term.key != listed[-1].term.key:
                listed.append(mention)
            cursor = mention.end
        listed = _distinct_terms(listed)
        # One example is a list when a category names it: "les antivitamines K, comme la
        # warfarine" (else "comme" may only compare, and "sont" define).
        single = (
            listed
            and marker.group(0).lower() != "sont"  # "Les cytokines sont de petites protéines"
            and category is not None
            # Of its kind: not "des patients sélectionnés : rachis instable, …" (a criterion)
            and _names_members(ctx, category, listed[0].term.cls)
        )
        if len(listed) >= 2 or single:
            yield start, listed


# Between a member and its complement: a preposition, no comma.
_COMPLEMENT_GAP = re.compile(
    r"^\s+(?:dans|sur|sous|avec|chez|pour|par|de|du|des|d['’]|à|au|aux|en)"
    r"(?:\s+(?:la|le|les|l['’]|un|une|son|sa|ses|leur|leurs))?\s*$",
    re.IGNORECASE,
)


def _retyped(term: Term, named: str) -> bool:
    """A notion, or a body part said with what is wrong with it ("os exposé", not
    "gencive"), is of the class its list's category names."""
    if term.cls == "notion" or term.cls == named:
        return True
    return term.cls == "anatomy" and len(term.canonical.split()) >= 2


def _category_class(ctx: LessonContext, category: Phrase | None) -> str | None:
    """The class a list's category names by its head ("signes d’alerte": signs), if any."""
    types = ctx.course.types
    if category is None or types is None:
        return None
    named = types.of_head(category.head)
    return named if named is not None and named in ctx.glossary.classes else None


_POINTS_BACK = re.compile(
    r"(?:il|elle|ils|elles|ce|cet|cette|ces|cela|leur|leurs|son|sa|ses)\b", re.IGNORECASE
)


def _topic(ctx: LessonContext, info: SentenceInfo, before: int, exclude_cls: str) -> Mention | None:
    """What the list is about: a syndrome, treatment or drug named before it, or just before."""
    candidates = [m for m in info.mentions if m.start < before]
    # The sentence before, when this one points back to it ("Il …", "Ces traitements …");
    # never from a list's item before (another point).
    points_back = _POINTS_BACK.match(info.text.lstrip())
    previous = (
        ctx.sentences[info.index - 1].mentions
        if info.index > 0 and not info.lead and points_back
        else []
    )
    for pool in (candidates, previous):
        for mention in pool:
            if mention.term.cls in _TOPIC_CLASSES and mention.term.cls != exclude_cls:
                return mention
    return None


_UNIVERSAL = re.compile(r"\b(?:tout|toute|tous|toutes|chaque|n'importe)\b", re.IGNORECASE)


def _is_universal(context: str) -> bool:
    """ "tout symptôme nouveau, comme …": every member of the class would be a right answer."""
    return bool(_UNIVERSAL.search(" ".join(context.split()[-8:]).replace("’", "'")))


def _list_context(info: SentenceInfo, marker_end: int) -> str:
    """The words that introduce a list, up to its marker: at most a clause, quoted in the stem."""
    prefix = info.text[: marker_end - info.sentence.start].rstrip()
    words = prefix.split()
    if len(words) <= 22:
        return prefix
    for boundary in re.finditer(r",\s+(?=qui\b)|\s(?=qui\b)|[;:]\s+|,\s+", prefix):
        rest = prefix[boundary.end() :]
        if 6 <= len(rest.split()) <= 22:
            return "…" + rest.lstrip()
    return "…" + " ".join(words[-14:])


def _copula(ctx: LessonContext, marker_start: int) -> int | None:
    """Where the "sont" that introduces a list stands: as its marker ("… en cause sont A, B"),
    or just before it ("Les signes d’alerte sont notamment …")."""
    if ctx.text[marker_start : marker_start + 4].lower() == "sont":
        return marker_start
    found = re.search(r"\ssont\s*$", ctx.text[max(0, marker_start - 12) : marker_start])
    return None if found is None else max(0, marker_start - 12) + found.start() + 1


# A relative clause of a few words, no comma, right before a list's marker.
_RELATIVE_END = re.compile(r"\s+(?:qui|que|qu['’]|dont)\s+[^,;:()«»]{2,50}?\s*$", re.IGNORECASE)


def _category(ctx: LessonContext, marker_start: int) -> Phrase | None:
    """The phrase that names the list's category, just before its marker: "les
    anticoagulants oraux directs (AOD), comme …", "des signes digestifs : …"; before "sont",
    the sentence's subject ("Les cancers les plus souvent en cause sont …")."""
    copula = _copula(ctx, marker_start)
    if copula is not None:
        return _copular_category(ctx, copula)
    # "les signes d’alerte qui doivent faire consulter : …": the category before its clause.
    relative = _RELATIVE_END.search(ctx.text[max(0, marker_start - 80) : marker_start])
    if relative is not None:
        marker_start -= len(relative.group(0))
    before = [
        phrase
        for phrase in ctx.phrases
        if phrase.end <= marker_start
        and not phrase.abbreviation
        and _CATEGORY_GAP.match(ctx.text[phrase.end : marker_start])
    ]
    if not before:
        return None
    last = max(phrase.end for phrase in before)
    types = ctx.course.types
    # Of the phrases that end there, the longest plural one: "une variété de symptômes graves"
    # is singular, its "symptômes graves" names the category.
    single = None
    for phrase in sorted((p for p in before if p.end == last), key=lambda p: p.start):
        generic = types is not None and match_key(phrase.head) in types.generic
        if phrase.number != "p" or (len(phrase.surface.split()) < 2 and generic):
            # A category is a plural phrase ("signes digestifs", "bisphosphonates"), not a bare
            # plural of a word that names no class ("certaines localisations, comme …") …
            if (
                single is None
                and phrase.number == "s"
                and not generic
                and re.search(
                    r"\b(?:un|une)\s+$", ctx.text[max(0, phrase.start - 6) : phrase.start]
                )
            ):
                single = phrase  # … or one of a kind: "avec une bêta-lactamine comme …"
            continue
        return phrase
    return single


def _copular_category(ctx: LessonContext, marker_start: int) -> Phrase | None:
    sentence = next(
        (info for info in ctx.sentences if info.sentence.start <= marker_start < info.sentence.end),
        None,
    )
    if sentence is None:
        return None
    subject = _COPULAR_SUBJECT.match(ctx.text[sentence.sentence.start : marker_start])
    if subject is None:
        return None
    start = sentence.sentence.start + subject.start(1)
    heads = [p for p in ctx.phrases if p.start == start and p.number == "p"]
    if not heads:
        return None
    head = max(heads, key=lambda p: p.end)
    return Phrase(
        start=start,
        end=sentence.sentence.start + subject.end(1),
        surface=subject.group(1),
        head=head.head,
        gender=head.gender,
        number="p",
    )


def _category_predicate(ctx: LessonContext, category: Phrase) -> str:
    """ "est un anticoagulant oral direct" for a plain category; "fait partie des cancers les
    plus souvent en cause" where a singular would be awkward to build."""
    simple = re.fullmatch(r"[\w’'-]+(?:\s+[\w’'-]+){0,2}", category.surface) and not re.search(
        r"\b(?:de|des|du|d'|d’|à|en|plus|moins|les|le|la)\b", category.surface
    )
    if simple:
        article = "une" if category.gender == "f" else "un"
        return f"est {article} {_singular_phrase(ctx, category)}"
    return f"fait partie des {category.surface}"


def _singular_phrase(ctx: LessonContext, phrase: Phrase) -> str:
    """ "anticoagulants oraux directs" -> "anticoagulant oral direct": the head and the words
    that agree with it, not its complements ("facteurs de risque" -> "facteur de risque")."""
    span = ctx.span(phrase.start, phrase.end)
    if span is None:
        return phrase.surface
    head = span.root
    agreeing = {head.i} | {
        t.i
        for t in span
        if t.head.i == head.i
        and (t.dep_ == "amod" or (t.dep_ == "acl" and "Part" in t.morph.get("VerbForm", [])))
    }
    agreeing |= {t.i for t in span if t.head.i in agreeing and t.dep_ in {"amod", "conj"}}
    # The phrase's last adjective qualifies its head, whatever the parser attached it to
    # ("événements indésirables d'origine immunitaire plus graves").
    last = span[-1]
    if last.pos_ == "ADJ" and "Plur" in last.morph.get("Number", []) and head.i != last.i:
        agreeing.add(last.i)
    words = []
    for token in span:
        text = ctx.text[token.idx : token.idx + len(token.text)]
        if token.i in agreeing and "Plur" in token.morph.get("Number", []):
            text = french.singularize_word(text)
        words.append(text + token.whitespace_)
    return "".join(words).strip()


# The determiner a list's category opens with, which "quel" replaces: "une variété de
# symptômes graves", "certains traitements médicaux", "des cellules immunitaires".
_CATEGORY_DETERMINER = re.compile(
    r"(?:\b(?:une|un)\s+(?:variété|série|gamme|multitude|diversité|ensemble|éventail|"
    r"certain\s+nombre|large\s+éventail|grand\s+nombre)\s+(?:de|d['’])|\bde\s+nombreux|"
    r"\bde\s+nombreuses|\bcertains|\bcertaines|\bplusieurs|\bdivers|\bdiverses|"
    r"\bdifférents|\bdifférentes|\bdes|\bles|\bde|\bd['’]|\bune|\bun)\s*$",
    re.IGNORECASE,
)
# Longer than this, a list's introduction asked as a question no longer reads as one.
_MAX_QUESTION_WORDS = 36


def _names_members(ctx: LessonContext, category: Phrase, members: str) -> bool:
    """The category is a kind its members are of: not one that names another class ("des
    patients sélectionnés : rachis instable, …", criteria), nor one naming none over body
    parts."""
    named = _category_class(ctx, category)
    if named is None:
        return members != "anatomy"
    return named == members or members in _KINDS_OF.get(named, ())


# Classes whose members are of a wider one a category may name ("les cancers", a condition).
_KINDS_OF = {"treatment": {"drug"}, "condition": {"cancer", "complication", "syndrome"}}


def _list_question(
    ctx: LessonContext,
    info: SentenceInfo,
    category: Phrase,
    marker_start: int,
    listed: list[Mention],
) -> str | None:
    """The list's introduction asked as the clinical question, its category in the singular
    after "quel": "Les effets secondaires … peuvent inclure des symptômes pseudo-grippaux,
    tels que …" -> "… peuvent inclure quel symptôme pseudo-grippal ?"; "renforcer l'activité
    des cellules immunitaires, telles que …" -> "… de quelle cellule immunitaire ?". None when
    the category is the sentence's subject ("Les signes d'alerte sont notamment …") or has no
    determiner "quel" can take the place of ("ses symptômes")."""
    if not (info.sentence.start < category.start and category.end <= marker_start):
        return None
    if _RELATIVE_END.search(ctx.text[category.end : marker_start]):
        return None  # "les signes d’alerte qui doivent faire consulter": "quel" would drop it
    members = listed[0].term.cls
    list_end = max(m.end for m in listed)
    # A relative clause after the list ("…, qui sont essentielles …") qualifies its members.
    relative = re.search(
        r",\s*(?:qui|que|qu['’]|dont|où|lesquel)", ctx.text[list_end : info.sentence.end]
    )
    after = ctx.span(list_end, list_end + relative.start() if relative else info.sentence.end)
    if after is not None and any("Fin" in t.morph.get("VerbForm", []) for t in after):
        return None  # "… de cytokines, telles que A et B, se produit …": the verb comes after
    if not _names_members(ctx, category, members):
        return None
    if members == "notion":
        # Untyped members' wrong answers are the text's other lists' members, whatever they
        # list: "which does the text cite" is honest of them, "quel produit irritant" is not.
        return None
    span = ctx.span(info.sentence.start, category.start)
    if span is None or not any(t.pos_ in {"VERB", "AUX"} for t in span):
        return None  # "En prévention, des facteurs de croissance, comme …": no predicate
    before = ctx.text[info.sentence.start : category.start]
    determiner = _CATEGORY_DETERMINER.search(before.replace("’", "'"))
    if determiner is None:
        return None
    word = determiner.group(0).strip().lower()
    kept = before[: determiner.start()].rstrip()
    if re.search(r"(?:,|\bet|\bou)$", kept):
        return None  # "…, une dénutrition, des comorbidités telles que …": a list in a list
    token = ctx.token_before(category.start)
    if word in {"de", "d'"} or (
        word == "des" and token is not None and token.pos_ == "ADP"  # "de les": contracted
    ):
        kept += " de"
    which = french.which_adjective(category.gender or "m", "s")
    question = f"{kept} {which} {_singular_phrase(ctx, category)}".strip()
    if len(question.split()) > _MAX_QUESTION_WORDS:
        return None
    question = french.capitalize_first(emphasise_negation(_plain(question)))
    return _question(_with_lead(info, question))


def cited(ctx: LessonContext, info: SentenceInfo) -> Iterator[Item]:
    """A list of examples: "which of these is a <category>?" when the text names the category
    (a classification item, its wrong answers taken from the course's other categories first),
    else "which of these does the text cite?"."""
    glossary = ctx.glossary
    for marker_start, listed in _enumerations(ctx, info):
        cls = glossary.classes[listed[0].term.cls]
        marker = _LIST_MARKERS.match(info.text, marker_start - info.sentence.start)
        marker_end = marker_start + (marker.end() - marker.start() if marker else 0)
        context = _list_context(info, marker_end)
        if _is_universal(context):
            continue
        topic_mention = _topic(ctx, info, marker_start, cls.name)
        topic = topic_mention.term if topic_mention else None
        category = _category(ctx, marker_start)
        pronoun = french.which(cls.gender, "s")
        classify = None
        if (
            category is not None
            and _names_members(ctx, category, cls.name)
            and match_key(_singular_phrase(ctx, category))
            not in {match_key(cls.singular), match_key(cls.plural)}
        ):
            classify = _question(
                f"{french.capitalize_first(pronoun)} de ces {cls.plural} "
                f"{_category_predicate(ctx, category)}"
            )
        elif marker is not None and marker.group(0).lower() == "sont":
            continue  # "… sont A et B" without a category: a copula, not a list of examples
        copular = category is not None and _copula(ctx, marker_start) is not None
        asked = (
            _list_question(ctx, info, category, marker_start, listed)
            if category is not None and not copular
            else None
        )
        quoted = _quote(f"{context} …", info.lead)
        intro = f"le texte indique{NBSP}: {quoted}"
        if topic_mention is not None and match_key(topic_mention.surface) not in match_key(context):
            intro = f"{_about(display_name(topic_mention), topic_mention.term)}, {intro}"
        cite = _question(
            f"{french.capitalize_first(intro)} {french.capitalize_first(pronoun)} de ces "
            f"{cls.plural} le texte cite-t-il"
        )
        contrast = _contrast(ctx, category, {m.term.key for m in listed})
        # A notion's class holds anything: its wrong answers come first from the text's other
        # lists, whatever they list ("tabac", a risk factor, against "déodorant alcoolisé").
        elsewhere = (
            _contrast(ctx, None, {m.term.key for m in listed}) if cls.name == "notion" else set()
        )
        # A property the list's introduction names ("symptômes pseudo-grippaux", "médicaments
        # immunosuppresseurs") is true of every term carrying it: none of those is a wrong answer.
        excluded_tags = set(re.findall(r"[^\W\d_][\w-]+", " ".join(context.split()[-8:])))
        listed_keys = {m.term.key for m in info.mentions if m.term.cls == cls.name}
        anchors = [topic] if topic is not None else []
        keys = listed[:]
        ctx.rng.shuffle(keys)
        # Long lists give several items (their keys differ; a quiz never draws two items from
        # one sentence, so they do not give each other away).
        # Wrong answers from the text's other categories alone, when they are enough: the
        # item can then ask "which is a <category>?" honestly.
        outside = {t.key for t in cls.terms} - contrast
        # The words of the list and its introduction: a general sign that shares one
        # ("gonflement" beside "une gencive gonflée") may be one of the list's.
        around = _stems(info.text)
        extent = _drug_extent(ctx, listed)
        unsafe: set[str] | None = None
        for mention in keys[:MAX_PER_LIST]:
            key = mention.term
            choose = functools.partial(
                distractors.pick,
                ctx,
                key=key,
                count=OPTIONS - 1,
                excluded_tags=excluded_tags,
                anchors=anchors,
                exclude_group=True,
                prefer=contrast | elsewhere,
            )
            # "Which is a <category>?", or the list's introduction asked as the clinical
            # question ("… peuvent inclure quel symptôme pseudo-grippal ?"), claims no wrong
            # answer is of the category: they are then only those known to be outside it (the
            # text's other categories, drugs the ATC classes apart, general signs of the types'
            # reserve that share no word with the list). "Colite" is an immune-related adverse
            # event and "macrophages" are immune cells, whatever the list cites: without
            # enough of those, the item asks what the text cites.
            question = asked or classify
            picked = None
            if classify is not None and len(contrast) >= OPTIONS - 1:
                picked = choose(exclude=listed_keys | outside)  # the other categories first
            if picked is None and question is not None:
                if unsafe is None:  # once per list
                    unsafe = {
                        t.key
                        for t in cls.terms
                        if not _outside(ctx, t, contrast, extent, around=around)
                    }
                picked = choose(exclude=listed_keys | unsafe)
            if picked is not None:
                kind, stem = ("question", asked) if asked else ("classification", classify)
            else:
                picked = choose(exclude=listed_keys)
                kind, stem = "cited", cite
            if picked is None or stem is None:
                continue
            yield _term_item(
                ctx,
                info,
                kind=kind,
                variant="list",
                stem=stem,
                key=key,
                picked=picked,
                anchors=anchors,
                key_text=_as_listed(ctx, mention),
            )
        # Examples of no category the text names (what its items ask is "which does the text
        # cite"), of a typed class: all of them asked at once as well, a multiple-response
        # item. A named category keeps its one-key questions ("which is a <category>?"), whose
        # honesty rests on wrong answers known to be outside it.
        if asked is None and classify is None and cls.name != "notion":
            multiple = _multiple_cited(
                ctx,
                info,
                listed=keys,
                cls_name=cls.name,
                intro=intro,
                anchors=anchors,
                exclude=listed_keys,
                excluded_tags=excluded_tags,
                prefer=contrast | elsewhere,
            )
            if multiple is not None:
                yield multiple


def _multiple_cited(
    ctx: LessonContext,
    info: SentenceInfo,
    *,
    listed: list[Mention],
    cls_name: str,
    intro: str,
    anchors: list[Term],
    exclude: set[str],
    excluded_tags: set[str],
    prefer: set[str],
) -> Item | None:
    """A list of two or more members as a multiple-response item: "Lesquels de ces signes le
    texte cite-t-il ?", two or three of them among five options, the wrong answers terms the
    sentence does not list (as for one member: distractors.pick, the list's own excluded)."""
    members = _distinct_terms(listed)
    if len(members) < min(MULTIPLE_KEYS):
        return None
    count = min(len(members), ctx.rng.choice(MULTIPLE_KEYS))
    chosen = members[:count]
    picked = distractors.pick(
        ctx,
        key=chosen[0].term,
        count=MULTIPLE_OPTIONS - count,
        exclude=exclude | {m.term.key for m in members},
        excluded_tags=excluded_tags,
        anchors=anchors,
        exclude_group=True,
        prefer=prefer,
    )
    if picked is None:
        return None
    cls = ctx.glossary.classes[cls_name]
    stem = _question(
        f"{french.capitalize_first(intro)} {french.capitalize_first(french.which(cls.gender, 'p'))}"
        f" de ces {cls.plural} le texte cite-t-il"
    )
    keys = [french.option_form(_as_listed(ctx, mention)) for mention in chosen]
    others = [french.option_form(term.canonical) for term in picked]
    options = keys + others
    ctx.rng.shuffle(options)
    answers = tuple(sorted(options.index(key) for key in keys))
    return Item(
        kind="cited",
        stem=stem,
        options=tuple(options),
        answer=answers[0],
        explanation=_explanation(info),
        source=_source(info),
        # The item asks the set: its key is all of them (no other item asks that).
        key_term=" + ".join(mention.term.canonical for mention in chosen),
        key_class=chosen[0].term.cls,
        distractor_terms=tuple(term.canonical for term in picked),
        anchors=tuple(term.canonical for term in anchors),
        variant="list-multiple",
        answers=answers,
        key_terms=tuple(mention.term.canonical for mention in chosen),
    )


# An ATC code's 3rd and 4th levels ("J01C", penicillins; "B01AB", heparins).
ATC_LEVEL_3 = 4
ATC_LEVEL_4 = 5


def _stems(text: str) -> set[str]:
    return {word[:5].lower() for word in re.findall(r"[^\W\d_]{4,}", text)}


def _outside(
    ctx: LessonContext,
    term: Term,
    contrast: set[str],
    extent: tuple[set[str], int],
    *,
    around: set[str] | None = None,
) -> bool:
    """A wrong answer known not to belong to a list's category: the text puts it in another
    (a contrast set), the ATC or its INN stem classes it apart from every member (``extent``,
    _drug_extent), or, given ``around`` (the list's words), it is a general sign of the
    types' reserve that shares none of them."""
    if term.key in contrast:
        return True
    if term.cls == "drug":
        marks, level = extent
        own = _drug_marks(ctx, term, level)
        return bool(own) and not (own & marks)
    return around is not None and term.origin == "types" and not (_stems(term.canonical) & around)


def _drug_marks(ctx: LessonContext, term: Term, level: int) -> set[str]:
    """A drug's ATC code to ``level`` characters and its INN stems (of each part of a
    combination: "pipéracilline-tazobactam" is a penicillin)."""
    marks = set()
    code = distractors.code_of(ctx, term)
    if code and not code.startswith("stem:"):
        marks.add(f"atc:{code[:level]}")
    for part in re.split(r"[-\s]+", term.canonical):
        stem = stem_class(part)
        if stem is not None:
            marks.add(stem[0])
    return marks


def _drug_extent(ctx: LessonContext, listed: list[Mention]) -> tuple[set[str], int]:
    """What a list of drugs spans: its members' ATC 4th level when they share one and each
    has a code ("héparines de bas poids moléculaire": B01AB, so warfarine, B01AA, is apart),
    else their 3rd ("une bêta-lactamine comme la pipéracilline-tazobactam ou le céfépime": J01C
    and J01D, so ampicilline is one), with their INN stems."""
    drugs = [m.term for m in listed if m.term.cls == "drug"]
    codes = [distractors.code_of(ctx, term) for term in drugs]
    atc = [code for code in codes if code and not code.startswith("stem:")]
    level = (
        ATC_LEVEL_4
        if atc and len(atc) == len(drugs) and len({c[:ATC_LEVEL_4] for c in atc}) == 1
        else ATC_LEVEL_3
    )
    marks = set().union(*(_drug_marks(ctx, term, level) for term in drugs)) if drugs else set()
    return marks, level


def _as_listed(ctx: LessonContext, mention: Mention) -> str:
    """A list's member as the text names it when it names it otherwise than the term's name:
    by more ("immunothérapie anticancéreuse" for "immunothérapie"), by another of its names
    ("cellules T" for "lymphocytes T"), or with the adjective it shares with another ("douleurs
    musculaires et articulaires"): it is what the learner read, and what the text cites. An
    abbreviation keeps the full name."""
    pair_end = _elliptic_end(ctx, mention)
    if pair_end is not None:
        return " ".join(ctx.text[mention.start : pair_end].split())
    surface = " ".join(mention.surface.split())
    canonical = mention.term.canonical
    if match_key(surface) != mention.term.key and sum(ch.isupper() for ch in surface) < 2:
        return surface[:1].lower() + surface[1:]
    return canonical


def _contrast(ctx: LessonContext, category: Phrase | None, members: set[str]) -> set[str]:
    """Members of the course's other lists whose category shares this one's head noun ("signes
    rénaux" against "signes digestifs"): wrong answers true elsewhere, never in this category.
    Without a category, the members of any other list."""
    head = match_key(category.head) if category is not None else None
    if category is not None and not _adjectival(category):
        return set()  # "signes d’alerte" may be "signes rénaux" too: no contrast
    out: set[str] = set()
    for lists in _course_lists(ctx).values():
        for other, keys in lists:
            if keys & members:
                continue
            if head is None or (
                other is not None and match_key(other.head) == head and _adjectival(other)
            ):
                out |= keys
    return out - members


def _adjectival(category: Phrase) -> bool:
    """A category told apart from its fellows by an adjective ("signes rénaux", "signes
    digestifs": one organ each, disjoint), not by a complement ("signes d’alerte", "signes de
    gravité": another way of sorting, which may hold any of them)."""
    words = category.surface.replace("’", "'").split()
    return not any(re.match(r"(?:de|d'|du|des)\b", word, re.IGNORECASE) for word in words[1:])


def _course_lists(ctx: LessonContext) -> dict[str, list[tuple[Phrase | None, frozenset[str]]]]:
    """Every list the course's sentences state, with its category (computed once)."""
    course = ctx.course
    if not course.lists:
        for key, lesson in course.lessons.items():
            course.lists[key] = [
                (_category(lesson, start), frozenset(m.term.key for m in listed))
                for info in lesson.sentences
                for start, listed in _enumerations(lesson, info)
            ]
    return course.lists


def _about(name: str, term: Term) -> str:
    """ "à propos du syndrome …", "à propos de l'IL-2", "à propos des cytokines"."""
    if term.number == "p":
        return f"à propos des {name}"
    if french.starts_with_vowel_sound(name, h_aspire=term.h_aspire):
        return f"à propos de l'{name}"
    return f"à propos {'de la' if term.gender == 'f' else 'du'} {name}"


# --- cloze -----------------------------------------------------------------------------------


# A word at least this frequent in general French is not worth a blank on its own.
EVERYDAY_ZIPF = 4.5
# Classes whose everyday words are no key: a notion ("les gestes"), a body part named as
# everyone names it ("sous la peau", "l'autre bras") blanks what any reader can fill in.
_EVERYDAY_CLASSES = frozenset({"notion", "anatomy"})


def _everyday(surface: str) -> float:
    """How common the rarest word of a term is in general French (wordfreq, offline)."""
    from wordfreq import zipf_frequency

    words = [w for w in re.findall(r"[^\W\d_]+", surface) if len(w) > 2]
    if not words:
        return 0.0
    return min(zipf_frequency(word.lower(), "fr") for word in words)


def _constraint(ctx: LessonContext, mention: Mention) -> Constraint:
    before = ctx.token_before(mention.start)
    word = before.text.lower().replace("’", "'") if before is not None else ""
    vowel = None
    # Gender always: an article, an adjective or a participle anywhere in the sentence may
    # agree with the blank. An alias may not share its term's gender ("un essoufflement"
    # for la dyspnée): the words as written decide.
    gender = mention.term.gender
    if match_key(mention.surface) != mention.term.key:
        span = ctx.span(mention.start, mention.end)
        heads = [t for t in span if t.pos_ == "NOUN"] if span is not None else []
        written = heads[0].morph.get("Gender", []) if heads else []
        if written:
            gender = "f" if written[0] == "Fem" else "m"
    if word in _ELIDING:
        vowel = french.starts_with_vowel_sound(mention.surface, h_aspire=mention.term.h_aspire)
    number = "p" if mention.plural or word in _PLURAL_DETERMINERS else "s"
    return Constraint(gender=gender, number=number, vowel=vowel)


_ARTICLES = frozenset({"le", "la", "les", "l'", "un", "une", "des"})


def _determiner_before(ctx: LessonContext, mention: Mention) -> tuple[str, int] | None:
    """The article right before the term ("la", "l'", "un" …) and where it starts, if it is
    the term's own determiner."""
    before = ctx.token_before(mention.start)
    if before is None or before.pos_ != "DET":
        return None
    word = before.text.lower().replace("’", "'")
    if word not in _ARTICLES:
        return None
    preposition = ctx.token_before(before.idx)
    if (
        word in {"l'", "le", "les"}
        and preposition is not None
        and preposition.text.lower() in {"de", "à"}
    ):
        return None  # "de l'_____" would read "de le …", "à les …": the article stays put
    return word, before.idx


def _written_plural(ctx: LessonContext, mention: Mention) -> bool:
    """The text writes the term in the plural ("les corticostéroïdes … sont prescrits"): the
    question asks "quels médicaments"."""
    span = ctx.span(mention.start, mention.end)
    return span is not None and "Plur" in span.root.morph.get("Number", [])


def _gender_agrees(ctx: LessonContext, mention: Mention) -> bool:
    """Whether a word outside the term agrees with its gender: an adjective or participle
    after it, or a participle or adjective predicate of which it is the subject."""
    span = ctx.span(mention.start, mention.end)
    if span is None:
        return True
    inside = {token.i for token in span}
    head = span.root
    for word in span:
        for child in word.children:
            if child.i not in inside and child.dep_ in {"amod", "acl", "appos"}:
                return True
    # Next to it, past adverbs, whatever the parser hung it on ("une prothèse | mal adaptée").
    following = ctx.token_after(mention.end)
    while following is not None and following.pos_ == "ADV" and following.i + 1 < len(ctx.doc):
        following = ctx.doc[following.i + 1]
    if (
        following is not None
        and following.morph.get("Gender", [])
        and (following.pos_ == "ADJ" or "Part" in following.morph.get("VerbForm", []))
    ):
        return True
    if head.dep_ in {"nsubj", "nsubj:pass"}:
        predicate = head.head
        if predicate.morph.get("Gender", []) and predicate.pos_ in {"VERB", "ADJ"}:
            return True
        if any(
            child.dep_ == "xcomp" and child.morph.get("Gender", []) for child in predicate.children
        ):
            return True
    return False


def _with_article(article: str, form: str, term: Term, *, plural: bool, capital: bool) -> str:
    """ "l'apixaban", "la warfarine", "une dyspnée", "des frissons": the option with the
    article its own gender, number and first sound call for."""
    number = "p" if plural or term.number == "p" else "s"
    if article in {"un", "une", "des"}:
        text = "des " + form if number == "p" else ("une " if term.gender == "f" else "un ") + form
    else:
        text = french.definite(form, gender=term.gender, number=number, h_aspire=term.h_aspire)
    return french.capitalize_first(text) if capital else text


def _elliptic_end(ctx: LessonContext, mention: Mention) -> int | None:
    """Where the bare adjective ends that follows the term after "et"/"ou" and shares its noun
    ("douleurs musculaires | et articulaires"); None when none does."""
    after = ctx.token_after(mention.end)
    if after is None or after.pos_ != "CCONJ" or after.i + 1 >= len(ctx.doc):
        return None
    following = ctx.doc[after.i + 1]
    # "chirurgie abdominale ou pelvienne": the tagger may call the second adjective a noun,
    # coordinated with the first.
    if following.pos_ == "ADJ" or (following.dep_ == "conj" and following.head.pos_ == "ADJ"):
        return following.idx + len(following.text)
    return None


def _elliptic(ctx: LessonContext, mention: Mention) -> bool:
    """The term is followed by "et"/"ou" and a bare adjective that shares its noun."""
    return _elliptic_end(ctx, mention) is not None


def _trailing_adjective(ctx: LessonContext, mention: Mention) -> tuple[int, bool] | None:
    """Where the adjective that follows the mention and qualifies its own noun ends ("une
    évaluation neurologique | répétée", "la zone | irradiée"), and whether it stands bare (no
    complement of its own): the blank takes a bare one too, or the key would be half a name."""
    following = ctx.token_after(mention.end)
    if (
        following is None
        or not (following.pos_ == "ADJ" or "Part" in following.morph.get("VerbForm", []))
        or not re.fullmatch(r"\s*", ctx.text[mention.end : following.idx])
    ):
        return None
    end = following.idx + len(following.text)
    if following.dep_ in {"amod", "acl"} and mention.start <= following.head.idx < mention.end:
        # Bare: nothing of its own ("répétée"), not "porteur | de métastases osseuses".
        bare = not any(not c.is_punct for c in following.children)
        return end, bare
    # The parser may hang it elsewhere ("sous surveillance médicale | étroite afin de …", a
    # participle of the verb): it is the term's when it agrees with the term's noun.
    span = ctx.span(mention.start, mention.end)
    if span is None or span.root.pos_ != "NOUN" or following.dep_ in {"ROOT", "conj"}:
        return None
    for feature in ("Gender", "Number"):
        own, theirs = span.root.morph.get(feature, []), following.morph.get(feature, [])
        if not own or own != theirs:
            return None
    after = ctx.token_after(end)
    return end, after is None or after.pos_ != "ADP"


def _cut_term(ctx: LessonContext, mention: Mention) -> bool:
    """The mention is part of a longer name: "non" and an adjective follow it ("héparine non
    fractionnée"), or an abbreviation follows that stands for more than it ("imagerie par
    résonance magnétique (IRM)")."""
    after = ctx.text[mention.end : mention.end + 40]
    if re.match(r"\s+non\s+[^\W\d_]{3,}", after):
        return True
    # The abbreviation may follow a few words on: "une numération | formule sanguine (NFS)".
    sigle = re.match(
        r"((?:\s+[^\W\d_][\w'’-]*){0,3}?)\s*\(([A-ZÀ-Ý][A-Za-zÀ-ÿ0-9-]{1,11})\)", after
    )
    if sigle is None or not _sigle(sigle.group(2)):
        return False
    words = [w for w in re.findall(r"[^\W\d_]+", mention.surface) if len(w) > 2]
    return len([ch for ch in sigle.group(2) if ch.isupper()]) > len(words)


def _form(term: Term, *, plural: bool, capital: bool) -> str:
    form = term.plural_form() if plural and term.number == "s" else term.canonical
    return french.capitalize_first(form) if capital else form


def cloze(ctx: LessonContext, info: SentenceInfo) -> Iterator[Item]:
    candidates = [
        m
        for m in _distinct_terms(info.mentions)
        if not _in_parentheses(ctx, m) and not ctx.course.is_generic(m.term)
    ]
    # Rarest first: a domain term is worth blanking, a word of everyday French is not
    # (wordfreq's Zipf scale: "infection" 4.1, "tachycardie" 2.7), unless a terminology or the
    # glossary types it as more than a notion or a body part ("fatigue" is a sign).
    candidates = [
        m
        for m in candidates
        if m.term.cls not in _EVERYDAY_CLASSES or _everyday(m.surface) < EVERYDAY_ZIPF
    ]
    # Members of the sentence's lists come last: "cited" asks them already, and the few keys
    # a sentence gets go first to what nothing else asks.
    lists = list(_enumerations(ctx, info))
    in_lists = {m.term.key for _start, members in lists if len(members) >= 2 for m in members}
    candidates.sort(
        key=lambda m: (
            m.term.key in in_lists,
            m.term.cls == "notion",
            _everyday(m.surface),
            m.start,
        )
    )
    made = 0
    # A few keys per sentence: the items of one sentence are one family, never drawn together
    # in an attempt, so they do not give each other away; a retake asks another.
    most = MAX_KEYS_PER_SENTENCE
    for mention in candidates:
        if made >= most:
            break
        key = mention.term
        same_term = [m for m in info.mentions if m.term.key == key.key and m is not mention]
        parenthetical = _PARENTHETICAL_AFTER.match(ctx.text[mention.end : info.sentence.end])
        cut_end = mention.end
        if parenthetical is not None:
            inside = ctx.glossary.find(parenthetical.group(1))
            if inside and all(m.term.key == key.key for m in inside):
                cut_end = mention.end + parenthetical.end()
                same_term = [m for m in same_term if not (mention.end <= m.start < cut_end)]
        if same_term:
            continue  # the sentence names the key again: the blank would give it away
        if _elliptic(ctx, mention):
            continue  # "douleurs musculaires et articulaires": the blank would take half a pair
        key_end = mention.end
        adjective = _trailing_adjective(ctx, mention)
        if adjective is not None:
            if not adjective[1] or cut_end != mention.end:
                continue  # "la zone | irradiée par …": half a name, and no clean place to cut
            cut_end = key_end = adjective[0]
        if _cut_term(ctx, mention):
            continue  # "héparine non fractionnée", "imagerie par résonance magnétique (IRM)"
        if sum(ch.isupper() for ch in mention.surface) >= 2:
            continue  # an abbreviation among full names would stand out
        span = ctx.span(mention.start, mention.end)
        if span is not None and (span.root.pos_ == "ADJ" or span.root.dep_ == "amod"):
            continue  # "le rôle infirmier": the word is an adjective here
        constraint = _constraint(ctx, mention)
        # A plural blank takes every wrong answer in the plural ("certaines _____": "infections
        # virales" against "hépatites"); a plural key asked by "quel" stays as the text has it.
        plural = constraint.number == "p"
        pluralised = plural and key.number == "s"
        anchors = [m.term for m in info.mentions if m.term.key != key.key]
        topic = _topic(ctx, info, info.sentence.end, key.cls)
        if topic is not None and topic.term.key != key.key and topic.term not in anchors:
            anchors.append(topic.term)
        # Inside a list of examples ("une bêta-lactamine comme la _____"), any other member of
        # the named category would also be right: none may be a wrong answer.
        excluded_tags: set[str] = set()
        universal = False
        in_list = False
        for marker_start, listed in lists:
            if any(m.term.key == key.key for m in listed):
                in_list = True
                marker = _LIST_MARKERS.match(info.text, marker_start - info.sentence.start)
                marker_end = marker_start + (marker.end() - marker.start() if marker else 0)
                context = _list_context(info, marker_end)
                universal = universal or _is_universal(context)
                words = " ".join(context.split()[-8:])
                excluded_tags |= set(re.findall(r"[^\W\d_][\w-]+", words))
        for marker in _LIST_MARKERS.finditer(info.text):
            if info.sentence.start + marker.end() <= mention.start:
                prefix = _list_context(info, info.sentence.start + marker.end())
                universal = universal or _is_universal(prefix)
        if universal:
            continue
        # "le/la/l'/les/un/une" before the term goes into the options: each option carries its
        # own article, so neither elision nor gender points at the key (number still does: the
        # verb agrees with it).
        determiner = _determiner_before(ctx, mention)
        if determiner is not None:
            constraint = Constraint(
                gender=constraint.gender if _gender_agrees(ctx, mention) else None,
                number=constraint.number,
                vowel=None,
            )
        choose = functools.partial(
            distractors.pick,
            ctx,
            key=key,
            count=OPTIONS - 1,
            exclude={m.term.key for m in info.mentions},
            excluded_tags=excluded_tags,
            anchors=anchors,
            exclude_group=in_list,
        )
        start = mention.start - info.sentence.start
        end = cut_end - info.sentence.start
        if determiner is not None:
            start = determiner[1] - info.sentence.start
        # The sentence asked as a question: "Quel est le traitement de référence ?" (a role
        # the copula gives the term), else the term replaced by "quel …" where it stands.
        variant, asked = "copular", None if in_list else _copular_question(ctx, info, start)
        if asked is None:
            variant = "in-situ"
            asked = _in_situ(
                ctx,
                info,
                mention,
                key,
                start,
                end,
                plural=pluralised or _written_plural(ctx, mention),
                in_list=in_list,
            )
        # A question's options stand bare, read as a learner reads a lone word: no article
        # constrains them, and the key's gender as read is shared by one at least.
        shown = _standalone(mention, key)
        if key_end != mention.end:
            shown = f"{shown} {ctx.text[mention.end : key_end].strip()}"
        picked = (
            choose(constraint=constraint, plural=plural)
            if asked is None
            else choose(constraint=None, shown=shown, plural=pluralised)
        )
        if picked is None and determiner is None and not _gender_agrees(ctx, mention):
            # No article ("en cas de cancer métastatique") and no word outside the term that
            # agrees with it: another gender reads as well in the blank, when the key's own
            # has too few wrong answers.
            picked = choose(constraint=replace(constraint, gender=None), plural=plural)
        if picked is None:
            continue
        if determiner is not None:
            article, det_start = determiner
            capital = det_start == info.sentence.start
            key_option = _with_article(
                article, ctx.text[mention.start : key_end], key, plural=plural, capital=capital
            )
            wrong = [
                _with_article(
                    article,
                    _form(term, plural=plural, capital=False),
                    term,
                    plural=plural,
                    capital=capital,
                )
                for term in picked
            ]
        else:
            capital = mention.surface[:1].isupper() and not key.canonical[:1].isupper()
            key_option = ctx.text[mention.start : key_end]
            wrong = [_form(term, plural=plural, capital=capital) for term in picked]
        made += 1
        if asked is not None:
            yield built_item(
                ctx,
                info,
                kind="question",
                variant=variant,
                stem=asked,
                key_text=key.canonical,
                key_class=key.cls,
                others=[term.canonical for term in picked],
                option_texts=(
                    shown,
                    [_form(t, plural=pluralised, capital=False) for t in picked],
                ),
                anchors=tuple(term.canonical for term in anchors),
            )
            continue
        blanked = emphasise_negation(info.text[:start] + BLANK + info.text[end:])
        options, answer = _options(key_option, wrong, ctx)
        yield Item(
            kind="cloze",
            stem=f"Quel terme complète cette phrase du texte{NBSP}? {_quote(blanked, info.lead)}",
            options=options,
            answer=answer,
            explanation=_explanation(info),
            source=_source(info),
            key_term=key.canonical,
            key_class=key.cls,
            distractor_terms=tuple(term.canonical for term in picked),
            anchors=tuple(term.canonical for term in anchors),
            variant="term",
        )


# "Le traitement de référence est …", "Au début, la cause la plus fréquente est …": a noun
# phrase that names a role, then the copula, then the term.
_COPULAR_LEAD = re.compile(
    r"^(?P<lead>(?:[^,;:]{2,60},\s+)?)"
    r"(?P<subject>(?:le|la|les|l['’]|leur|leurs|son|sa|ses)\s*[^,;:()]{2,80}?)\s+"
    r"(?P<verb>est|sont|reste|restent|demeure|demeurent)\s+"
    r"(?:(?:le|la|les|l['’]|un|une|des)\s*)?(?:\*{1,2}|_{1,2})?$",
    re.IGNORECASE,
)


# Before a title's first term: an article, "Qu'est-ce que", a Markdown mark.
_OPENING = re.compile(
    r"^[#\s]*(?:qu['’]est-ce\s+que?\s*|qu['’]est-ce\s+qu['’]\s*)?(?:les|le|la|l['’]|un|une|des)?\s*",
    re.IGNORECASE,
)
# Roles of what one does about a condition: "la première mesure en cas de …"; any other role
# is the condition's own ("le traitement de référence du lymphœdème").
_WHAT_TO_DO = frozenset({"mesure", "conduite", "geste", "réflexe", "attitude", "priorité"})
# What a patient may have: what a document may be about (a question names it), what a
# frequency is asked of.
CONDITION_CLASSES = frozenset({"syndrome", "complication", "condition", "symptom", "cancer"})


def _document_topic(ctx: LessonContext) -> Term | None:
    """The condition the document's title names ("Le lymphœdème : prévention …"), if any."""
    for title in (ctx.lesson.module_title, ctx.lesson.title):
        if not title:
            continue
        # The title's first term, if it opens the title ("L’ostéonécrose de la mâchoire sous
        # bisphosphonates …").
        found = sorted(ctx.glossary.find(title), key=lambda m: m.start)
        opens = found and not re.search(r"\w", _OPENING.sub("", title[: found[0].start]))
        if opens and found[0].term.cls in CONDITION_CLASSES:
            return found[0].term
    return None


def _copular_question(ctx: LessonContext, info: SentenceInfo, start: int) -> str | None:
    """ "Le traitement de référence est la physiothérapie décongestive complète, …" asked as
    "Quel est le traitement de référence ?": the subject names the role the term plays (no
    term of its own at its head: "Le lymphœdème est …" asks nothing this way)."""
    found = _COPULAR_LEAD.match(info.text[:start])
    if found is None:
        return None
    subject_start = info.sentence.start + found.start("subject")
    span = ctx.span(subject_start, info.sentence.start + found.end("subject"))
    if span is None or any("Fin" in t.morph.get("VerbForm", []) for t in span):
        return None  # a clause, not a noun phrase ("Le patient qui reçoit …")
    head = span.root
    if any(m.start <= head.idx < m.end for m in info.mentions):
        return None  # "Le lymphœdème est …": a term is the subject
    gender = "f" if "Fem" in head.morph.get("Gender", []) else "m"
    number = "p" if "Plur" in head.morph.get("Number", []) else "s"
    # What follows the term is said of it (", réalisée par un masseur-kinésithérapeute", "par
    # sérum physiologique …"): it would agree with the key, or give it away.
    subject = found.group("subject")
    if not any(
        subject_start <= m.start < found.end("subject") + info.sentence.start for m in info.mentions
    ):
        # "Le traitement de référence" of what: the document's topic, when the subject names
        # nothing ("Quel est le traitement de référence en cas de lymphœdème ?").
        topic = _document_topic(ctx)
        if topic is not None and head.lemma_.lower() in _WHAT_TO_DO:
            subject += f" {french.in_case_of(topic.canonical, h_aspire=topic.h_aspire)}"
        elif topic is not None:
            subject += " " + french.of_definite(
                topic.canonical,
                gender=topic.gender or "m",
                number=topic.number,
                h_aspire=topic.h_aspire,
            )
    which = french.which_adjective(gender, number)
    question = (
        f"{found.group('lead')}{which} {found.group('verb')} {subject[:1].lower()}{subject[1:]}"
    )
    return _question(
        _with_lead(info, french.capitalize_first(emphasise_negation(_plain(question))))
    )


# Classes whose noun makes a natural question ("quel examen", "quelle affection").
_ASKABLE = frozenset(
    {"drug", "symptom", "condition", "complication", "syndrome", "cancer", "exam", "treatment",
     "care_action", "device", "tool", "cytokine", "immune_cell", "blood_cell", "care_setting"}
)  # fmt: skip
_ARGUMENTS = frozenset(
    {"obj", "obl", "obl:arg", "obl:mod", "nsubj", "nsubj:pass", "ROOT", "xcomp", "iobj"}
)
# Nouns whose complement is what they are about: a term there is worth "de quel …".
_RELATIONAL_HEADS = frozenset(
    "toxicité complication effet dose administration arrêt début injection perfusion "
    "indication risque traitement".split()
)
_QUANTIFIERS = frozenset(
    "chaque ce cet cette ces son sa ses leur leurs tout toute tous toutes quelques plusieurs "
    "certains certaines aucun aucune mon ma mes notre nos votre vos".split()
)


def _own_clause(ctx: LessonContext, start: int, text: str) -> str:
    """``text`` (at ``start`` in the lesson) up to the end of its clause: what follows ";" is a
    clause of its own, and what follows a colon when it has a verb ("… réduit l'élimination
    rénale du calcium : c'est un cercle vicieux"), not when it spells out what precedes
    ("isolement protecteur : chambre individuelle, …")."""
    text = re.split(r"\s;|;\s", text, maxsplit=1)[0]
    colon = re.search(r"\s:\s", text)
    if colon is not None:
        rest = ctx.span(start + colon.end(), start + len(text))
        if rest is not None and any(t.pos_ in {"VERB", "AUX"} for t in rest):
            text = text[: colon.start()]
    return text


# A term among coordinated fellows: ", une faiblesse …", "ou une difficulté …".
_COORDINATED_AFTER = re.compile(
    r"^\s*(?:,|et\b|ou\b)\s*(?:un|une|des|les|le|la|l['’]|du|de\s+la)(?:\s|(?<=['’]))",
    re.IGNORECASE,
)
# "…, une douleur du dos inhabituelle, _" or "… ou _"; ": couleur de la peau, _": a fellow
# before it (not a fronted phrase: "Chez le patient neutropénique, _").
_COORDINATED_BEFORE = re.compile(
    r"(?:\bet|\bou|(?:^|[,:]\s*)(?:un|une|des|les|le|la|l['’]|du|de\s+la)\s[^,:;]{1,40},"
    r"|:\s*[^:;]{1,160},)\s*$",
    re.IGNORECASE,
)
_LIST_AFTER = re.compile(r"^\s*(?:,|et\b|ou\b)")


# ", télangiectasies et troubles de la pigmentation": bare fellows after it.
_BARE_FELLOWS_AFTER = re.compile(
    r"^(?:\s*,\s*[^\W\d_][\w'’-]*(?:\s+[^\W\d_][\w'’-]*){0,4})+\s+(?:et|ou)\s",
    re.IGNORECASE,
)


def _coordinated(before: str, after: str) -> bool:
    if _COORDINATED_AFTER.match(after) or _BARE_FELLOWS_AFTER.match(after):
        return True
    found = _COORDINATED_BEFORE.search(before)
    if found is None:
        return False
    # A fellow in a colon's list of bare nouns needs another after it.
    return not found.group(0).lstrip().startswith(":") or bool(_LIST_AFTER.match(after))


def _in_situ(
    ctx: LessonContext,
    info: SentenceInfo,
    mention: Mention,
    key: Term,
    start: int,
    end: int,
    *,
    plural: bool,
    in_list: bool,
) -> str | None:
    """The sentence asked as a question, the term (and its article) replaced by "quel …":
    "Le diagnostic repose sur quel examen pour la TVP ?". None where a question would not
    read well: a term in a list of examples, a class without a natural noun, a term at the
    sentence's start (the subject question asks it), or a clause of its own after ";"."""
    cls = ctx.glossary.classes.get(key.cls)
    if in_list or cls is None or key.cls not in _ASKABLE or start == 0:
        return None
    span = ctx.span(mention.start, mention.end)
    if span is None:
        return None
    head = span.root
    # The whole noun phrase, or "quel" would stand inside it: "Leur principal effet",
    # "une douleur osseuse" (the mention "douleur" without its adjective).
    before_token = ctx.token_before(mention.start)
    ctx.token_after(mention.end)
    following = re.match(r"\s+(?:(non|ou|et)\s+)?([^\W\d_][\w-]*)", ctx.text[mention.end :])
    # "douleur osseuse", "héparine non fractionnée", "chirurgie abdominale ou pelvienne": an
    # adjective of the phrase the mention leaves outside.
    trailing = False
    if following is not None:
        at = mention.end + following.start(2)
        next_word = next((t for t in ctx.doc if t.idx == at), None)
        trailing = next_word is not None and (
            next_word.pos_ == "ADJ"
            or following.group(1) == "non"  # "héparine non fractionnée"
            # "abdominale ou pelvienne"
            or (next_word.dep_ == "conj" and next_word.head.pos_ == "ADJ")
            # a bare participle is an adjective ("fractionnée"); "liée aux métastases" has a
            # complement and reads well after "quelle affection"
            or (
                "Part" in next_word.morph.get("VerbForm", [])
                and next_word.head.i == head.i
                and not any(c.dep_.startswith(("obl", "obj")) for c in next_word.children)
            )
        )
    if (before_token is not None and before_token.pos_ == "ADJ" and before_token.head == head) or (
        trailing
    ):
        return None
    # An argument of the verb, alone: not a complement of another noun ("les règles de
    # prévention"), nor one of several coordinated terms ("le curage et la radiothérapie").
    # A complement of a noun that relates it is one too: "la première dose de quel
    # médicament", "le risque de quelle complication", "la toxicité de quel traitement".
    governor = head.head.head if head.head.pos_ == "ADJ" else head.head  # "la plus fréquente de"
    related = head.dep_ == "nmod" and governor.lemma_.lower() in _RELATIONAL_HEADS
    if (
        (head.dep_ not in _ARGUMENTS and not related)
        or head.dep_ == "conj"
        or any(child.dep_ == "conj" for child in head.children)
    ):
        return None
    number = "p" if plural else "s"  # as the options read: "de quel médicament" for one
    which = french.which_adjective(cls.gender, number)
    noun = cls.plural if number == "p" else cls.singular
    before = info.text[:start].rstrip()
    words = re.findall(r"[\w']+$", before.replace("’", "'"))
    last = words[0].lower() if words else ""
    if last in _QUANTIFIERS:
        return None  # "à chaque consultation", "ses symptômes": no room for "quel"
    if last in {"que", "qu'"} and not re.search(
        r"\b(?:alors|tandis|bien|ainsi|parce|dès|pendant|avant|après|sans|pour)\s+qu['e]?$",
        before.replace("’", "'"),
        re.IGNORECASE,
    ):
        return None  # "vérifie que quel examen a été réalisé": "que" then "quel" reads badly
    if start == mention.start - info.sentence.start:
        # The article was not moved into the options: "du", "des", "de la", "de l'" before
        # the term ("avec de la fièvre", "des traitements du cancer").
        partitive = re.search(r"\b(?:de la|de l'|du|des|au|aux)$", before.replace("’", "'"), re.I)
        if partitive:
            word = partitive.group(0).lower()
            replacement = "à" if word in {"au", "aux"} else "de"
            partitive_words = {"de la", "de l'", "du", "des"}
            if head.dep_ in {"obj", "obl", "obl:arg", "obl:mod"} and word in partitive_words:
                # A partitive after a verb or a preposition: "avec de la fièvre" -> "avec".
                previous = re.findall(r"[\w']+$", before[: partitive.start()].rstrip())
                determiner = ctx.token_before(mention.start)
                replacement = (
                    ""
                    if previous
                    and previous[0].lower() not in {"de", "à"}
                    and determiner is not None
                    and determiner.pos_ == "DET"
                    else "de"
                )
            before = before[: partitive.start()] + replacement
    before = (before.rstrip() + " ") if before.strip() else ""
    after = info.text[end:]
    if _coordinated(before, after):
        # "une douleur du dos inhabituelle, une faiblesse des jambes ou …": "quel symptôme"
        # among its coordinated fellows reads badly, and they are its likeliest wrong answers.
        return None
    after = _own_clause(ctx, info.sentence.start + end, after)
    if head.dep_ in _SUBJECT_DEPS and cls.gender != key.gender:
        # "une émulsion … peut être prescrite" -> "quel traitement … peut être prescrit".
        offset = info.sentence.start + end
        regendered = _regendered(ctx, head, offset, offset + len(after), cls.gender)
        if regendered is None:
            return None
        after = regendered
    question = f"{before}{which} {noun}{after}".strip().rstrip(" .:!")
    if match_key(noun) in match_key(before + after):
        return None  # "quel traitement … du traitement": the noun would repeat
    question = french.capitalize_first(emphasise_negation(_plain(question)))
    return _question(_with_lead(info, question))


# --- threshold ---------------------------------------------------------------------------------

_DOSE_UNITS = ("mg", "µg", "g", "ui", "gy")


# Nouns an ordinal counts ("la 2e semaine", "le 5e jour"), with their gender.
_ORDINAL_NOUNS = {
    "semaine": "f", "jour": "m", "mois": "m", "cure": "f", "cycle": "m", "séance": "f",
    "année": "f", "injection": "f", "perfusion": "f",
}  # fmt: skip


def _interrogative(quantity: quantities.Quantity, before: str) -> tuple[str, int]:
    """The question words that stand for the quantity, and how many characters before it they
    replace too ("toutes les 12 heures" -> "à quel intervalle")."""
    lowered = before.lower().replace("’", "'")
    unit = quantity.unit_key
    if quantity.ordinal:
        # "à partir de la 2e ou 3e semaine" -> "à partir de quelle semaine": its article goes.
        noun = unit.split(" ")[0]
        article = re.search(r"\b(la|le|du|au)\s*$", lowered)
        if noun in _ORDINAL_NOUNS and article is not None and quantity.qualifier != "entre":
            gender = _ORDINAL_NOUNS[noun]
            which = f"{french.which_adjective(gender, 's')} {noun}"
            lead = {"du": "de ", "au": "à "}.get(article.group(1), "")
            return lead + which, len(lowered) - article.start()
        return "à quel moment", 0
    if unit in {"ans", "an"} and re.search(r"\bâge\b[^,;]{0,25}$", lowered):
        return "quel seuil", 0  # "un âge supérieur à 65 ans": an age, not a lapse of time
    if quantity.is_time:
        for pattern, words in (
            (r"(?:dans les|dans un délai de|sous)\s*$", "dans quel délai"),
            (r"(?:toutes|tous) les\s*$", "à quel intervalle"),
            (r"\ben\s*$", "en combien de temps"),
            (r"\bpendant\s*$", "pendant combien de temps"),
        ):
            found = re.search(pattern, lowered)
            if found:
                return words, len(lowered) - found.start()
        return "combien de temps", 0
    if quantity.qualifier == "entre":
        return "dans quelle fourchette", 0
    if unit == "°c":
        return ("à partir de quelle température" if quantity.qualifier == "dès" else
                "quelle température"), 0  # fmt: skip
    if unit.startswith("%"):
        return "quel pourcentage", 0
    if unit.split(" ")[0].split("/")[0] in _DOSE_UNITS:
        return "quelle dose", 0
    if unit in {"cm", "mm"}:
        return "quelle distance", 0
    if unit.split(" ")[0] in {"litre", "litres", "l", "ml"}:
        return "quel volume", 0
    if unit and unit[0].isalpha() and unit.split(" ")[0].endswith("s") and quantity.high is None:
        return f"combien de {unit}", 0  # "moins de 4 selles par jour"
    return "quelle valeur", 0


def threshold(ctx: LessonContext, info: SentenceInfo) -> Iterator[Item]:
    """A number with its unit asked as the clinical question: the sentence, the number replaced
    by "quelle valeur", "combien de temps", "dans quel délai" …; options in numeric order."""
    course_values = ctx.course.quantities
    for quantity in quantities.quantities(
        ctx.text, start=info.sentence.start, end=info.sentence.end
    ):
        before = ctx.text[info.sentence.start : quantity.start]
        words, consumed = _interrogative(quantity, before)
        # "à la dose de 4 mg" -> "à quelle dose", not "à la dose de quelle dose".
        noun = words.split()[-1]
        restated = re.search(
            rf"(?:(à)\s+)?(?:la|le|l['’])\s*{re.escape(noun)}\s+(?:de|d['’])\s*$", before
        )
        said = restated is not None and not consumed  # the question words say it all
        if restated is not None and said:
            consumed = len(before) - restated.start()
            words = f"à {words}" if restated.group(1) else words
        if quantity.qualifier == "dès" and words.startswith("à partir de"):
            quantity = replace(quantity, qualifier="")  # the question says it: "38 °C" alone
        position = ctx.next_position(OPTIONS)
        wrong = quantities.wrong_values(quantity, course=course_values, position=position)
        if wrong is None:
            ctx.key_positions[position] -= 1
            continue
        start = quantity.start - consumed
        # The words the question replaces belong to the answer: "dans les 24 heures".
        prefix = "" if said else ctx.text[start : quantity.start]
        # What follows the quantity's clause (after ";") asks nothing: it is left out.
        after = _own_clause(ctx, quantity.end, ctx.text[quantity.end : info.sentence.end])
        question = (
            ctx.text[info.sentence.start : start].rstrip()
            + (" " if start > info.sentence.start else "")
            + words
            + after
        )
        stem = _question(
            _with_lead(
                info, french.capitalize_first(emphasise_negation(_plain(question)).rstrip(" .;:"))
            )
        )
        if quantity.worded and any(ch.isdigit() for option in wrong for ch in option.text):
            # "deux à six semaines" among "6 à 18 semaines": all in digits, or the key's words
            # would single it out.
            quantity = replace(quantity, worded=False)
            wrong = [quantities.respelt(quantity, option) for option in wrong]
        key = quantities.Option(
            quantity.value, prefix + quantity.spelt(quantity.low, quantity.high)
        )
        wrong = [quantities.Option(option.value, prefix + option.text) for option in wrong]
        options, answer = quantities.ordered(key, wrong)
        if answer != position:  # the values allowed no other order: count where it went
            ctx.key_positions[position] -= 1
            ctx.key_positions[answer] += 1
        yield Item(
            kind="threshold",
            stem=stem,
            options=tuple(options),
            answer=answer,
            explanation=_explanation(info),
            source=_source(info),
            key_term=key.text,
            key_class="threshold",
            distractor_terms=tuple(option.text for option in wrong),
            variant="question",
        )


# --- definition ------------------------------------------------------------------------------


def synonym(ctx: LessonContext, info: SentenceInfo) -> Iterator[Item]:
    """ "X, également appelé Y (ABR)" -> "under which other name …" and "which … is called ABR"."""
    mentions = info.mentions
    for first, second in itertools.pairwise(mentions):
        between = ctx.text[first.end : second.start]
        if not ALIAS_CONNECTOR.match(between.replace("’", "'")):
            continue
        x, y = first.term, second.term
        after = ctx.text[second.end : info.sentence.end]
        if not re.match(r"\s*(?:[,.;:()]|$)", after):
            continue  # "filgrastim pégylé": the name goes on past the glossary's term
        abbreviation = _ABBREVIATION_AFTER.match(after)
        x_name = display_name(first)
        x_def = french.definite(x_name, gender=x.gender, number=x.number, h_aspire=x.h_aspire)
        pronoun = french.subject_pronoun(x.gender, x.number)
        known = french.agree("connu", gender=x.gender, number=x.number)
        verb = "sont" if x.number == "p" else "est"
        # Forward: the other name, among names of the same class as that name.
        target = y
        picked = distractors.pick(
            ctx, key=target, count=OPTIONS - 1, exclude={x.key}, anchors=[x] if x is not y else []
        )
        if picked is not None:
            stem = _question(f"Sous quel autre nom {x_def} {verb}-{pronoun} également {known}")
            yield _term_item(
                ctx,
                info,
                kind="definition",
                variant="other-name",
                stem=stem,
                key=y,
                key_text=second.surface,
                picked=picked,
                anchors=[x],
            )
        # Backward: which term bears the abbreviation, or the other name.
        cls = ctx.glossary.classes[x.cls]
        which = french.which_adjective(cls.gender, "s")
        if abbreviation is not None:
            designated = french.agree("désigné", gender=cls.gender, number="s")
            called = f"{designated} par le sigle {abbreviation.group(1)}"
        elif x.key != y.key:
            named = french.agree("appelé", gender=cls.gender, number="s")
            called = f"également {named} {second.surface}"
        else:
            continue
        picked = distractors.pick(ctx, key=x, count=OPTIONS - 1, anchors=[y] if x is not y else [])
        if picked is None:
            continue
        yield _term_item(
            ctx,
            info,
            kind="definition",
            variant="named-by",
            stem=_question(f"{french.capitalize_first(which)} {cls.singular} est {called}"),
            key=x,
            picked=picked,
            anchors=[y] if x is not y else [],
        )


_COPULA = re.compile(r"^\s*(?:,[^,]{1,160},\s*)?(est|sont)\s+(une?|des|de|d')\s", re.IGNORECASE)
_DEFINITION_END = re.compile(
    r",\s*(?:tels|telles|tel|telle|notamment|ainsi|comme|ce qui|mais|dont)\b|[.;:!?]"
)


def definition(ctx: LessonContext, info: SentenceInfo) -> Iterator[Item]:
    """ "X est une réaction …" -> "which X-class term is « une réaction … »?"."""
    if not info.mentions:
        return
    first = info.mentions[0]
    lead = ctx.text[info.sentence.start : first.start].strip().lower().replace("’", "'")
    if lead not in {"", "le", "la", "les", "l'", "un", "une", "des"}:
        return
    rest = ctx.text[first.end : info.sentence.end]
    copula = _COPULA.match(rest)
    if copula is None:
        return
    body = rest[copula.start(2) :]
    end = _DEFINITION_END.search(body)
    phrase = body[: end.start()] if end else body
    phrase = phrase.strip()
    words = phrase.split()
    if len(words) < 4 or len(words) > 28:
        return
    key = first.term
    cls = ctx.glossary.classes[key.cls]
    number = key.number
    which = french.which_adjective(cls.gender, number)
    noun = cls.plural if number == "p" else cls.singular
    verb = "sont" if number == "p" else "est"
    exclude = {m.term.key for m in info.mentions}
    picked = distractors.pick(ctx, key=key, count=OPTIONS - 1, exclude=exclude)
    if picked is None:
        return
    yield _term_item(
        ctx,
        info,
        kind="definition",
        variant="is-a",
        stem=_question(f"{french.capitalize_first(which)} {noun} {verb} {_plain(phrase)}"),
        key=key,
        picked=picked,
    )


# --- association -----------------------------------------------------------------------------


def _strip_asides(text: str) -> str:
    """Drop comma-delimited asides: ", également connue sous le nom d'aldesleukine,"."""
    text = re.sub(r"\([^()]*\)", " ", text)
    text = re.sub(r",[^,]{1,80},", " ", text)
    return re.sub(r"\s+", " ", text).strip(" ,")


def _resolve_subject(ctx: LessonContext, info: SentenceInfo) -> Mention | None:
    """The sentence's subject: a term it opens with, or the one a pronoun points back to."""
    lead = ctx.text[info.sentence.start : info.sentence.start + 8].split()
    first_word = lead[0].lower() if lead else ""
    if info.mentions:
        first = info.mentions[0]
        prefix = ctx.text[info.sentence.start : first.start].strip().lower().replace("’", "'")
        if prefix in {"", "le", "la", "les", "l'"} and first.term.cls in _SUBJECT_CLASSES:
            return first
    if first_word in {"il", "elle"} and info.index > 0:
        gender = "m" if first_word == "il" else "f"
        previous = ctx.sentences[info.index - 1]
        for mention in previous.mentions:
            prefix = ctx.text[previous.sentence.start : mention.start].strip().lower()
            if mention.term.cls in {"cytokine", "drug"} and prefix in {"", "l'", "l’", "le", "la"}:
                surface_gender = mention.term.gender
                if mention.surface.isupper() or "-" in mention.surface:
                    surface_gender = gender  # "L'IL-2 … Il stimule": the text decides
                if surface_gender == gender:
                    return mention
    return None


def treats(ctx: LessonContext, info: SentenceInfo) -> Iterator[Item]:
    """ "X a été approuvée pour le traitement du mélanome" -> "… de quel cancer ?"."""
    trigger = _TREATMENT_TRIGGER.search(info.text)
    if trigger is None:
        return
    subject = _resolve_subject(ctx, info)
    if subject is None:
        return
    term = subject.term
    trigger_at = info.sentence.start + trigger.start()
    cancers = [m for m in info.mentions if m.term.cls == "cancer" and m.start > trigger_at]
    if not cancers:
        return
    subject_mention = next((m for m in info.mentions if m.term.key == term.key), None)
    predicate_from = (
        subject_mention.end
        if subject_mention
        else info.sentence.start + len(ctx.text[info.sentence.start :].split()[0])
    )
    predicate = _strip_asides(ctx.text[predicate_from:trigger_at])
    if not predicate or len(predicate.split()) > 8:
        return
    name = display_name(subject)
    subject_def = french.definite(
        name, gender=term.gender, number=term.number, h_aspire=term.h_aspire
    )
    stem = _question(
        f"{french.capitalize_first(subject_def)} {predicate} le traitement de quel cancer"
    )
    yield from _association(ctx, info, subject=term, listed=cancers, stem=stem, variant="treats")


def _association(
    ctx: LessonContext,
    info: SentenceInfo,
    *,
    subject: Term,
    listed: list[Mention],
    stem: str,
    variant: str,
) -> Iterator[Item]:
    """Items asking which of the terms ``listed`` with ``subject`` the text names: each of a
    few of them (in an order drawn with the lesson's seed) is a key, none of the others is a
    wrong answer. They share a stem, so they are one family: an attempt asks one."""
    keys = _distinct_terms(listed)
    ctx.rng.shuffle(keys)
    for mention in keys[:MAX_KEYS_PER_SENTENCE]:
        key = mention.term
        picked = distractors.pick(
            ctx,
            key=key,
            count=OPTIONS - 1,
            exclude={m.term.key for m in listed},
            anchors=[subject],
            shown=_as_listed(ctx, mention),
            echo=stem,
        )
        if picked is None:
            continue
        yield _term_item(
            ctx,
            info,
            kind="association",
            variant=variant,
            stem=stem,
            key=key,
            picked=picked,
            anchors=[subject],
            key_text=_as_listed(ctx, mention),
        )


_ACTS_ON = re.compile(
    r"^\s*(?:peut |peuvent )?"
    r"((?:stimul|activ|renforc|inhib|bloqu|cibl|favoris|augment)(?:e|ent)|"
    r"détrui(?:t|sent)|rédui(?:t|sent))\b(.{0,60}?)\s+"
    r"(des|de la|de l'|du|les|la|le|l')\s*$",
    re.IGNORECASE,
)


def acts_on(ctx: LessonContext, info: SentenceInfo) -> Iterator[Item]:
    """ "Il stimule la prolifération … des cellules T …" -> "… de quelles cellules ?"."""
    subject = _resolve_subject(ctx, info)
    if subject is None:
        return
    term = subject.term
    targets = [m for m in info.mentions if m.term.cls == "immune_cell"]
    if not targets:
        return
    subject_mention = next(
        (m for m in info.mentions if m.term.key == term.key and m.start < targets[0].start), None
    )
    start = (
        subject_mention.end
        if subject_mention
        else info.sentence.start + len(ctx.text[info.sentence.start :].split()[0])
    )
    between = ctx.text[start : targets[0].start]
    match = _ACTS_ON.match(_strip_asides(between) + " ")
    if match is None:
        match = _ACTS_ON.match(_strip_asides(between))
    if match is None:
        return
    verb_phrase = (match.group(1) + match.group(2)).strip()
    if match.group(0).lower().lstrip().startswith(("peut ", "peuvent ")):
        verb_phrase = match.group(0).strip().rsplit(" ", 1)[0]
    cls = ctx.glossary.classes["immune_cell"]
    name = display_name(subject)
    subject_def = french.definite(
        name, gender=term.gender, number=term.number, h_aspire=term.h_aspire
    )
    question = f"de quel type de {cls.plural}"
    stem = _question(f"{french.capitalize_first(subject_def)} {verb_phrase} {question}")
    yield from _association(ctx, info, subject=term, listed=targets, stem=stem, variant="acts-on")


# --- abbreviations ---------------------------------------------------------------------------

_SIGLE = re.compile(r"^[A-ZÀ-Ý][A-Za-zÀ-ÿ0-9-]*$")


def _sigle(name: str) -> bool:
    return bool(_SIGLE.match(name)) and sum(ch.isupper() for ch in name) >= 2


def _course_sigles(ctx: LessonContext) -> dict[str, Term]:
    """Every abbreviation the course writes -> the term it stands for."""
    out: dict[str, Term] = {}
    for info in ctx.course.all_sentences:
        for mention in info.mentions:
            if _sigle(mention.surface) and match_key(mention.surface) != mention.term.key:
                out.setdefault(mention.surface, mention.term)
    return out


def _reserve_sigles(ctx: LessonContext, taken: set[str], meanings: set[str]) -> dict[str, Term]:
    """Abbreviations of hospital practice (types.yaml) the course does not write, with what
    they stand for: wrong answers only."""
    types = ctx.course.types
    if types is None:
        return {}
    taken_keys = {match_key(name) for name in taken}
    return {
        sigle: Term(canonical=meaning, cls="notion", origin="types")
        for sigle, meaning in types.sigles
        if match_key(sigle) not in taken_keys and match_key(meaning) not in meanings
    }


def _one_alike(key: str, candidates: list[Term], count: int) -> list[Term]:
    """The first ``count`` candidates, one of them at least read in the key's gender, one in
    its number, when one further on is ("Polynucléaires neutrophiles" is not the only
    plural)."""

    def read(text: str) -> tuple[str | None, str | None]:
        return option_form(french.option_form(text))  # as the option shows it

    chosen = candidates[:count]
    form = read(key)
    for axis in (1, 0):  # the number first: the gender may be read either way
        if form[axis] is None or any(read(t.canonical)[axis] == form[axis] for t in chosen):
            continue
        alike = next((t for t in candidates[count:] if read(t.canonical)[axis] == form[axis]), None)
        if alike is not None:
            # In place of one no other axis needs: the last, unless it gave the number.
            spare = -1 if axis == 1 or read(chosen[-1].canonical)[1] != form[1] else -2
            chosen[spare] = alike
    return chosen


def abbreviation(ctx: LessonContext, info: SentenceInfo) -> Iterator[Item]:
    """ "la maladie thromboembolique veineuse (MTEV)": "Que désigne le sigle MTEV ?", its wrong
    answers the phrases the course's other abbreviations stand for; and "Quel sigle désigne …
    ?", among the course's other abbreviations."""
    sigles = _course_sigles(ctx)
    for first, second in itertools.pairwise(info.mentions):
        between = ctx.text[first.end : second.start]
        if first.term.key != second.term.key or not re.fullmatch(r"\s*\(\s*", between):
            continue
        if not re.match(r"\s*\)", ctx.text[second.end :]):
            continue
        if _sigle(second.surface):
            sigle, expanded = second.surface, first  # "la maladie … (MTEV)"
        elif _sigle(first.surface):
            sigle, expanded = first.surface, second  # "l’échelle RTOG (Radiation Therapy …)"
        else:
            continue
        term = expanded.term

        # What the course's other abbreviations stand for: as plausible, and surely not this;
        # then, when the course has too few, those of hospital practice (types.yaml).
        def by_length(other: Term, length: int = len(term.canonical)) -> tuple[int, str]:
            return abs(len(other.canonical) - length), other.canonical

        expansions = sorted(
            {t.key: t for name, t in sigles.items() if t.key != term.key}.values(), key=by_length
        )
        reserve = _reserve_sigles(ctx, {sigle, *sigles}, {term.key, *(t.key for t in expansions)})
        expansions += sorted(reserve.values(), key=by_length)
        if len(expansions) >= OPTIONS - 1:
            shown = _standalone(expanded, term)
            yield _term_item(
                ctx,
                info,
                kind="abbreviation",
                variant="expansion",
                stem=_question(f"Que désigne le sigle {sigle}"),
                key=term,
                key_text=shown,
                picked=_one_alike(shown, expansions, OPTIONS - 1),
            )
        others = sorted(name for name in sigles if name != sigle)
        ctx.rng.shuffle(others)
        spare = sorted(reserve)
        ctx.rng.shuffle(spare)
        others += spare
        if len(others) >= OPTIONS - 1:
            wrong = others[: OPTIONS - 1]
            named = french.definite(
                term.canonical, gender=term.gender, number=term.number, h_aspire=term.h_aspire
            )
            options, answer = _options(sigle, wrong, ctx)
            yield Item(
                kind="abbreviation",
                stem=_question(f"Quel sigle désigne {named}"),
                options=options,
                answer=answer,
                explanation=_explanation(info),
                source=_source(info),
                key_term=sigle,
                key_class="abbreviation",
                distractor_terms=tuple(wrong),
                variant="sigle",
            )


# --- questions on the subject ------------------------------------------------------------------

_SUBJECT_DEPS = frozenset({"nsubj", "nsubj:pass"})
# What a drug is used for: its class shares it.
_USE = re.compile(
    r"\b(?:trait\w*|indiqu\w*|utilis\w*|prescri\w*|efficace|recommand\w*|propos\w*)\b",
    re.IGNORECASE,
)
# Subjects too plain to ask: "l'infirmier recherche …", "le patient …".
_TRIVIAL_SUBJECTS = frozenset({"notion", "care_setting"})
# The professionals every text of nursing names as the subject of its actions; the others
# ("le radiothérapeute peut suspendre l'irradiation") are worth asking who.
_CARERS = frozenset(
    match_key(word)
    for word in "infirmier infirmière infirmier(ère) ide soignant soignants équipe".split()
)


def _in_aside(ctx: LessonContext, position: int, after: int) -> bool:
    """A position inside brackets or commas that open right after ``after``."""
    aside = re.match(r"\s*(\([^()]{1,80}\)|,[^,]{1,80},)", ctx.text[after:])
    return aside is not None and after <= position < after + aside.end()


def _same_atc_class(ctx: LessonContext, key: Term) -> set[str]:
    """The drugs of the key's ATC 3rd level (M05B for acide zolédronique)."""
    marks = {m for m in _drug_marks(ctx, key, ATC_LEVEL_3) if m.startswith("atc:")}
    if not marks:
        return set()
    return {
        term.key
        for term in ctx.glossary.classes[key.cls].terms
        if _drug_marks(ctx, term, ATC_LEVEL_3) & marks
    }


def _regendered(
    ctx: LessonContext, subject: Token, start: int, end: int, gender: str
) -> str | None:
    """The text from ``start`` to ``end`` with the words that agree with ``subject`` (its
    predicate adjective or participle, and theirs coordinated) given ``gender``: "est adaptée
    secondairement" -> "est adapté secondairement" after "Quel traitement"; None when one
    of them cannot be."""
    text = ctx.text[start:end]
    predicate = subject.head
    # Its predicate and the ones coordinated with it, not another clause's ("puis la peau est
    # séchée": a subject of its own).
    agreeing = [predicate] + [
        t
        for t in predicate.children
        if t.dep_ in {"conj", "xcomp"}
        and not any(c.dep_ in {"nsubj", "nsubj:pass"} for c in t.children)
    ]
    edits: list[tuple[int, int, str]] = []
    for token in agreeing:
        participle = "Part" in token.morph.get("VerbForm", [])
        # The word's form says its gender (the tagger may not: "prescrite", Masc): a form
        # already of ``gender`` comes back unchanged.
        if not (token.pos_ == "ADJ" or participle) or not start <= token.idx < end:
            continue
        word = ctx.text[token.idx : token.idx + len(token.text)]
        plural = token.morph.get("Number", []) == ["Plur"]
        lemma = token.lemma_ if token.pos_ == "ADJ" else ""
        other = french.regender(word, gender=gender, plural=plural, participle=participle,
                                lemma=lemma)  # fmt: skip
        if other is None:
            return None
        if other != word:
            edits.append((token.idx - start, token.idx - start + len(word), other))
    for begin, finish, other in sorted(edits, reverse=True):
        text = text[:begin] + other + text[finish:]
    return text


def _standalone(mention: Mention, key: Term) -> str:
    """The key as an option: as the text wrote it (its own number), lower-cased unless it is a
    name; by its canonical name when the text used another of its names."""
    if match_key(mention.surface) != key.key and not mention.plural:
        return key.canonical
    surface = " ".join(mention.surface.split())
    if surface[:1].isupper() and not key.canonical[:1].isupper() and not _sigle(surface):
        return surface[:1].lower() + surface[1:]
    return surface


def subject(ctx: LessonContext, info: SentenceInfo) -> Iterator[Item]:
    """The subject of the sentence asked: "Le pegfilgrastim s'administre une fois par cycle" ->
    "Quel médicament s'administre une fois par cycle ?". The rest of the sentence is the
    clinical statement; the options are terms of the subject's class."""
    if not info.mentions:
        return
    mention = info.mentions[0]
    key = mention.term
    if key.cls in _TRIVIAL_SUBJECTS or _sigle(mention.surface):
        return
    if key.cls == "professional" and match_key(key.canonical) in _CARERS:
        return  # "L'infirmier surveille …": who acts is the nurse, the question is what
    span = ctx.span(mention.start, mention.end)
    if span is None or span.root.dep_ not in _SUBJECT_DEPS or span.root.head.dep_ != "ROOT":
        return
    # The whole subject is the term (no complement after it: "l'immunothérapie par …").
    subject_end = max(token.idx + len(token.text) for token in span.root.subtree
                      if token.dep_ not in {"appos", "acl:relcl", "punct"}
                      and not _in_aside(ctx, token.idx, mention.end))  # fmt: skip
    if subject_end > mention.end:
        return
    lead = ctx.text[info.sentence.start : mention.start]
    # An introductory phrase may precede ("Au début, l'œdème …"): it stays in the question.
    intro = re.match(r"^(.{2,80}?,\s+)(?:le|la|les|l'|l’|un|une|des)?\s*$", lead, re.IGNORECASE)
    lead_words = lead.strip().lower().replace("’", "'")
    if lead_words not in {"", "le", "la", "les", "l'", "un", "une", "des"} and intro is None:
        return
    opening = intro.group(1) if intro else ""
    rest_start = mention.end
    # An apposition or a gloss right after the subject names it: it goes too.
    aside = re.match(
        r"\s*(?:\([^()]{1,80}\)|,[^,]{1,80},)", ctx.text[rest_start : info.sentence.end]
    )
    if aside:
        rest_start += aside.end()
    rest_end = rest_start + len(
        _own_clause(ctx, rest_start, ctx.text[rest_start : info.sentence.end])
    )
    rest = ctx.text[rest_start:rest_end].strip().rstrip(" .;:!")
    if not rest or len(rest.split()) < 3 or rest[0] in ",;:":
        return
    if re.match(r"(?:y|en)\s", rest):
        return  # "Le bras du côté opéré y est aussi signalé": "y" points to another sentence
    cls = ctx.glossary.classes.get(key.cls)
    copular = re.match(r"(?:est|sont|reste|restent|demeure)\b", rest)
    if cls is None or (match_key(cls.singular) in match_key(rest) and not copular):
        return  # "Quel traitement … du traitement": the noun would repeat
    plural = mention.plural or key.number == "p"
    # The verb says the subject's number ("l'œdème est mou": one).
    verbs = [
        span.root.head,
        *(c for c in span.root.head.children if c.dep_ in {"cop", "aux", "aux:pass"}),
    ]
    numbers = {n for v in verbs if v.pos_ in {"VERB", "AUX"} for n in v.morph.get("Number", [])}
    if numbers == {"Sing"}:
        plural = False
    if cls.gender != key.gender:
        # "L'antibiothérapie est adaptée …" -> "Quel traitement est adapté …".
        regendered = _regendered(ctx, span.root, rest_start, rest_end, cls.gender)
        if regendered is None:
            return
        rest = regendered.strip().rstrip(" .;:!")
    noun = cls.plural if plural else cls.singular
    which = french.which_adjective(cls.gender, "p" if plural else "s")
    asked = f"{which} {noun} {emphasise_negation(_plain(rest))}"
    stem = _question(french.capitalize_first(_plain(opening) + asked))
    exclude = {m.term.key for m in info.mentions}
    # "Quel médicament est aussi utilisé pour traiter l'hypercalcémie maligne ?": the key's
    # ATC class and INN stem share its indications (acide pamidronique, dénosumab: M05B).
    use = key.cls == "drug" and _USE.search(rest) is not None
    if use:
        exclude |= _same_atc_class(ctx, key)
    picked = distractors.pick(
        ctx,
        key=key,
        count=OPTIONS - 1,
        exclude=exclude,
        anchors=[m.term for m in info.mentions[1:]],
        constraint=Constraint(number="p" if plural else "s"),
        plural=plural,
        exclude_group=use,
    )
    if picked is None:
        return
    yield _term_item(
        ctx,
        info,
        kind="question",
        variant="subject",
        stem=stem,
        key=key,
        key_text=_standalone(mention, key),
        picked=picked,
        anchors=[m.term for m in info.mentions[1:]],
    )


GENERATORS = (cited, synonym, definition, abbreviation, subject, treats, acts_on, cloze, threshold)
