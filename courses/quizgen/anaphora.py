"""Stems that stand alone: what a sentence's opening pronoun or demonstrative points to.

"Il touche jusqu'à 5 % des patients…" means nothing in a quiz without the sentence before it.
A subject pronoun (il, elle, ils, elles) is replaced by the previous sentence's subject when
they agree ("Le lymphœdème touche…"); a demonstrative or possessive opening ("Cela peut
entraîner…", "Ces traitements…", "Leur effet…") brings the previous sentence into the stem.
Where neither works, the item is dropped (flaws "dangling_anaphor").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .context import LessonContext, SentenceInfo
from .items import Item

# Impersonal "il": "Il faut", "Il est recommandé de", "Il existe", "Il s'agit".
_IMPERSONAL = re.compile(
    r"^Il\s+(?:faut|y\s+a|existe|s['’]agit|convient|importe|suffit|arrive|reste\s+à|vaut|"
    r"semble|apparaît\s+que|est\s+(?:\w+\s+)?(?:recommandé|conseillé|important|nécessaire|"
    r"possible|préférable|utile|essentiel|indispensable|fréquent|rare|interdit|déconseillé|"
    r"capital|primordial|impératif|urgent|habituel|courant)\b)",
    re.IGNORECASE,
)
_PERSONAL = re.compile(r"^(Il|Elle|Ils|Elles)\b")
# "y" as a pronoun before its verb; not "il y a", "y compris".
_CLITIC_Y = re.compile(
    r"(?<![Ii]l )(?<![Ii]l n['’])(?<!\w)y\s+(?!compris\b)(?:\w+\s+)?\w", re.UNICODE
)
_PRONOUN_FORM = {"il": ("m", "s"), "elle": ("f", "s"), "ils": ("m", "p"), "elles": ("f", "p")}
# What needs the previous sentence: a demonstrative pronoun, or a noun whose determiner
# points back ("Ces traitements", "Leur effet", "Sa phase intensive").
_BACKWARD = re.compile(
    r"^(?:Cela|Ceci|Ça|C['’]est|Celui-ci|Celle-ci|Ceux-ci|Celles-ci|Ce\s+dernier|Cette\s+dernière|"
    r"Ces\s+derniers|Ces\s+dernières(?!\s+(?:années|semaines|décennies))|"
    r"(?:Ce|Cet|Cette|Ces|Leur|Leurs|Son|Sa|Ses)\s+(?!(?:dernières|derniers)\s+"
    r"(?:années|mois|semaines|décennies)\b)[^\W\d_][\w’'-]*)",
)
# What a document says of itself ("Cet article présente…") asks nothing of a nurse.
_META = re.compile(
    r"^(?:Cet\s+article|Ce\s+document|Ce\s+texte|Cette\s+fiche|Ce\s+chapitre|Ce\s+guide|"
    r"Cette\s+page|Ce\s+cours|Cette\s+leçon)\b"
)
_PRONOUNS = frozenset("il elle ils elles on ce c' cela ceci celui-ci celle-ci qui".split())
# A sentence brought in as context is short enough to read in a stem.
MAX_CONTEXT_WORDS = 40


@dataclass(frozen=True)
class Resolution:
    """How to make a sentence's stem stand alone: ``surface`` (its opening words) becomes
    ``replacement``; ``context`` is a sentence to show before it. ``ok`` False: it cannot."""

    surface: str = ""
    replacement: str = ""
    context: str = ""
    ok: bool = True


_ALONE = Resolution()


# A sentence that answers the one before ("Pourquoi …? Parce que ces doses …").
_ANSWERING = re.compile(r"^(?:Parce\s+qu['’e]|Car\b)", re.IGNORECASE)


def resolution(ctx: LessonContext, info: SentenceInfo) -> Resolution:
    text = info.text.lstrip()
    meta = _META.match(text) or _ANSWERING.match(text)
    if meta is not None:
        return Resolution(surface=meta.group(0), ok=False)
    if text.rstrip().endswith("?"):
        # The text's own question ("Pourquoi le risque est-il plus élevé en oncologie ?"):
        # a stem made of it asks what the text asks, not what it states.
        return Resolution(ok=False)
    if _IMPERSONAL.match(text):
        return _ALONE
    if _CLITIC_Y.search(text):
        # "Le bras du côté opéré y est aussi signalé": "y" points to a place another sentence
        # names.
        return Resolution(ok=False)
    personal = _PERSONAL.match(text)
    if personal is not None:
        antecedent = _subject(ctx, info.index - 1, _PRONOUN_FORM[personal.group(1).lower()])
        if antecedent is None:
            return Resolution(surface=personal.group(0), ok=False)
        return Resolution(surface=personal.group(0), replacement=antecedent)
    backward = _BACKWARD.match(text)
    if backward is not None:
        if info.index == 0:
            return Resolution(surface=backward.group(0), ok=False)
        previous = ctx.sentences[info.index - 1]
        context = _standalone_text(ctx, previous)
        if context is None or len(context.split()) > MAX_CONTEXT_WORDS or previous.lead:
            return Resolution(surface=backward.group(0), ok=False)
        return Resolution(surface=backward.group(0), replacement=backward.group(0),
                          context=context)  # fmt: skip
    return _ALONE


def _standalone_text(ctx: LessonContext, info: SentenceInfo) -> str | None:
    """The sentence as a stem may show it: its opening pronoun replaced, if it has one."""
    text = info.text.strip()
    found = resolution(ctx, info)
    if not found.ok or found.context:
        return None
    if found.surface:
        return found.replacement + text[len(found.surface) :]
    return text


def _subject(ctx: LessonContext, index: int, form: tuple[str, str]) -> str | None:
    """The subject of sentence ``index`` with its determiner ("Le lymphœdème", "L'IL-2"),
    when it agrees with the pronoun's gender and number; through its own pronoun if it opens
    with one."""
    if index < 0:
        return None
    info = ctx.sentences[index]
    text = info.text.lstrip()
    if _META.match(text):
        return _subject(ctx, index - 1, form)  # "Cet article présente…" names nothing
    personal = _PERSONAL.match(text)
    if personal is not None and not _IMPERSONAL.match(text):
        if _PRONOUN_FORM[personal.group(1).lower()] != form:
            return None
        return _subject(ctx, index - 1, form)
    span = ctx.span(info.sentence.start, info.sentence.end)
    if span is None:
        return None
    subjects = [t for t in span if t.dep_ in {"nsubj", "nsubj:pass"} and t.head.dep_ == "ROOT"]
    if not subjects:
        # An apposition can hide the main verb from the parser ("Le lymphœdème, également
        # appelé …, est …"): a subject that opens the sentence is still its subject.
        subjects = [t for t in span[:3] if t.dep_ in {"nsubj", "nsubj:pass"}]
    # The main clause's subject has its determiner ("le patient"), an aside has none
    # ("Sauf contre-indication, le patient boit…").
    subject = next(
        (t for t in subjects if any(c.dep_ == "det" for c in t.children)),
        subjects[0] if subjects else None,
    )
    if subject is None:
        return None
    if subject.text.lower() in _PRONOUN_FORM:
        # "Après un cancer du sein, il est provoqué…": the chain goes on a sentence back.
        if _PRONOUN_FORM[subject.text.lower()] != form:
            return None
        return _subject(ctx, index - 1, form)
    if subject.text.lower() in _PRONOUNS:
        return None
    phrases = [p for p in ctx.phrases if p.start <= subject.idx < p.end]
    if not phrases:
        return None
    phrase = min(phrases, key=lambda p: p.start)
    # The number must agree; a text's own gender slip ("Les cytokines … Ils") is forgiven,
    # the subject of the sentence before being the one candidate.
    if phrase.number != form[1] and not _abbreviation_agrees(phrase.surface):
        return None
    determiner = ctx.token_before(phrase.start)
    start = phrase.start
    if determiner is not None and determiner.pos_ == "DET" and determiner.dep_ == "det":
        start = determiner.idx
    surface = ctx.text[start : phrase.end]
    return surface[:1].upper() + surface[1:]


def _abbreviation_agrees(surface: str) -> bool:
    """ "L'IL-2 … Elle": an abbreviation's gender is the text's, not the parser's."""
    return sum(ch.isupper() for ch in surface) >= 2 and " " not in surface


def resolve(ctx: LessonContext, item: Item) -> Item | None:
    """The item with a stem that stands alone, or None when it cannot be made to."""
    info = next(
        (
            s
            for s in ctx.sentences
            if s.sentence.start == item.source.start and s.sentence.end == item.source.end
        ),
        None,
    )
    if info is None:
        return item
    found = resolution(ctx, info)
    if not found.surface:
        if not found.ok:
            return None  # the text's own question: no stem at all
        return _after_opening(ctx, info, item)
    position = _opening(item.stem, found.surface)
    if position is None:
        return item  # the opening words are not in the stem (asked, or cut by "…")
    if not found.ok:
        return None
    stem = item.stem
    if found.context and stem.startswith("À propos d") and found.surface in {"Cela", "Ceci"}:
        return item  # "À propos du syndrome …, le texte indique : « Cela peut … »": said
    if found.context:
        stem = f"{stem[:position]}{found.context} {stem[position:]}"
    else:
        stem = f"{stem[:position]}{found.replacement}{stem[position + len(found.surface) :]}"
    return replace(item, stem=stem)


# A subject pronoun after an opening phrase: "Après un cancer du sein, il est provoqué …".
_MID_PERSONAL = re.compile(r"^[^,;:]{2,80},\s+(il|elle|ils|elles)\b(?P<rest>.*)$", re.DOTALL)


def _after_opening(ctx: LessonContext, info: SentenceInfo, item: Item) -> Item | None:
    """The pronoun that follows the sentence's opening phrase, replaced in the stem by the
    previous sentence's subject; None when it has none the pronoun agrees with."""
    mid = _MID_PERSONAL.match(info.text.strip())
    if mid is None or _IMPERSONAL.match("Il" + mid.group("rest")):
        return item
    pronoun = mid.group(1)
    pattern = re.compile(rf",\s+{pronoun}\b")
    if pattern.search(item.stem) is None:
        return item
    antecedent = _subject(ctx, info.index - 1, _PRONOUN_FORM[pronoun.lower()])
    if antecedent is None:
        return None
    named = antecedent[:1].lower() + antecedent[1:]
    return replace(item, stem=pattern.sub(lambda _m: f", {named}", item.stem, count=1))


def _opening(stem: str, surface: str) -> int | None:
    """Where the sentence's opening words stand in the stem: at its start, after "« ", or
    after a list item's introduction."""
    for match in re.finditer(re.escape(surface) + r"(?![\w’'-])", stem):
        before = stem[: match.start()].rstrip("\u00a0 ")
        if not before or before.endswith(("«", "…", ":", ".")):
            return match.start()
    return None
