"""Action items: what the nurse or the patient does in a situation the text names.

"Avant chaque injection, l’IDE vérifie que le bilan bucco-dentaire a été réalisé" gives
"Avant chaque injection, que doit faire l’IDE ?", the key in the infinitive ("Vérifier que
le bilan bucco-dentaire a été réalisé"). Wrong answers are the text's other actions of the
same actor in other situations, and first the contraries of what the text forbids ("ne masse
pas le point d’injection" offers "Masser le point d’injection"): wrong by the text itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from spacy.tokens import Token

from courses.textnorm import match_key

from . import anaphora, french
from .context import LessonContext, SentenceInfo
from .generators import OPTIONS, _question, built_item
from .items import Item

# Who acts: the nurse or the patient (and the one caring for them at home).
_ACTORS = (
    ("nurse", re.compile(r"^(?:l['’]\s*)?(?:infirmi(?:er|ère)s?(?:\(ère\))?|ide)\b", re.I)),
    ("nurse", re.compile(r"^(?:le |la |l['’]\s*)?(?:soignant|soignante|équipe soignante)\b", re.I)),
    ("patient", re.compile(r"^(?:le |la |l['’]\s*)?(?:patient|patiente|aidant|aidante)\b", re.I)),
)
# A situation that opens the sentence: when the action is due.
_SITUATION = re.compile(
    r"^(?:avant|après|dès|en cas d['’e]|pendant|face à|lors d['’e]|si|lorsqu['’e]|quand|"
    r"à chaque|au moindre|à la moindre|devant|au cours d['’e]|chez|au début|à l['’]arrivée|"
    r"à domicile|en présence d['’e])",
    re.IGNORECASE,
)
_AVOID = re.compile(r"^(?:éviter|proscrire|bannir|s['’]abstenir d['’e])\s+", re.IGNORECASE)
_MODALS = frozenset({"devoir", "pouvoir", "falloir", "savoir"})
_KEEP_AFTER = frozenset(
    {"obj", "obl", "obl:arg", "obl:mod", "xcomp", "ccomp", "advmod", "iobj", "advcl", "expl:comp"}
)
# Where an action's examples begin.
_EXAMPLES = re.compile(r",\s+(?:comme|tels?|telles?|notamment|par exemple|y compris)\b")
# An action read as one: a few words, not a paragraph.
MIN_WORDS, MAX_WORDS = 2, 14


@dataclass(frozen=True)
class Action:
    lesson: str
    sentence: int  # start offset of its sentence
    actor: str  # "nurse" or "patient"
    situation: str  # match key of the situation ("" when the sentence names none)
    text: str  # in the infinitive: "Vérifier que le bilan …", "Ne pas masser …"
    negative: bool
    # A forbidden action said as done: "n'applique pas de crème" -> "Appliquer de la crème".
    positive: str = ""

    @property
    def contrary(self) -> str | None:
        """What the text forbids, said as a thing to do: a wrong answer by the text itself
        ("Ne pas effacer les marques" -> "Effacer les marques", "Éviter le soleil" ->
        "Rechercher le soleil"); None for an action the text does not forbid."""
        if self.negative:
            return self.positive or None
        avoided = _AVOID.match(self.text)
        if avoided is not None:
            return f"Rechercher {self.text[avoided.end() :]}"
        return None


def _actor(ctx: LessonContext, info: SentenceInfo, subject: Token) -> tuple[str, str] | None:
    """("nurse" | "patient", the actor as the text writes it: "l’IDE", "le patient")."""
    span = ctx.span(info.sentence.start, info.sentence.end)
    if span is not None and subject.lower_ in {"il", "elle"} and subject.i == span.start:
        found = anaphora.resolution(ctx, info)
        surface = found.replacement if found.ok and found.replacement else ""
    else:
        left = min(t.idx for t in subject.subtree if t.i <= subject.i)
        right = subject.idx + len(subject.text)
        surface = ctx.text[left:right]
    surface = surface.strip()
    for actor, pattern in _ACTORS:
        if pattern.match(surface):
            return actor, surface[:1].lower() + surface[1:]
    return None


def _verb_span(verb: Token, start_limit: int) -> tuple[int, int, bool] | None:
    """Token range [first, last] of the action a verb heads, and whether it is negated."""
    doc = verb.doc
    kept = [c for c in verb.children if c.i > verb.i and c.dep_ in _KEEP_AFTER]
    last = max((max(t.i for t in c.subtree) for c in kept), default=verb.i)
    first = verb.i
    negative = False
    for child in verb.children:
        if child.i < verb.i and child.i >= start_limit:
            if child.lower_ in {"ne", "n'", "n’"}:
                negative = True
                first = min(first, child.i)
            elif child.dep_ in {"expl:comp", "expl:pv", "obj", "iobj"} and child.pos_ == "PRON":
                first = min(first, child.i)
    # Another action coordinated inside a complement ("vérifie que …, examine la bouche")
    # is not this one's: the action ends before it.
    for token in doc[verb.i + 1 : last + 1]:
        if token.dep_ == "conj" and token.pos_ == "VERB" and token.head.i != verb.i:
            last = min(t.i for t in token.subtree) - 1
            break
        if _next_action(token):
            last = token.i - 2  # before ", examine …"
            break
    while last > verb.i and (
        (doc[last].is_punct and doc[last].text not in ")»") or doc[last].dep_ == "cc"
    ):
        last -= 1
    return first, last, negative


def _next_action(token: Token) -> bool:
    """A finite verb after a comma: the next action of a series the parser attached below
    this one ("vérifie que le bilan a été réalisé, examine la bouche")."""
    return (
        token.pos_ == "VERB"
        and "Fin" in token.morph.get("VerbForm", [])
        and token.i > 0
        and token.doc[token.i - 1].text == ","
    )


def _lemma(verb: Token) -> str | None:
    """The verb's infinitive: the parser's, else from a first-group present ("guette")."""
    lemma = verb.lemma_
    if lemma.endswith(("er", "ir", "re")) and lemma.islower():
        return lemma
    word = verb.lower_
    if word.endswith("ent") and len(word) > 5:
        return word[:-3] + "er"
    if word.endswith("e") and len(word) > 3:
        return word + "r"
    return None


def _infinitive(verb: Token, first: int, last: int, negative: bool, text: str) -> str | None:
    doc = verb.doc
    lemma = _lemma(verb)
    if lemma is None:
        return None
    words: list[str] = []
    clitics: list[str] = []
    for token in doc[first : last + 1]:
        raw = text[token.idx : token.idx + len(token.text)]
        if token.i < verb.i:
            if token.lower_ in {"ne", "n'", "n’"}:
                continue
            clitics.append(raw)
            continue
        if token.i == verb.i:
            words.append(lemma)
        elif token.lower_ in {"pas", "jamais"} and token.head == verb:
            continue  # the negation is said once, in front: "Ne pas masser …"
        else:
            words.append(raw)
        words.append(token.whitespace_)
    body = "".join(words).strip()
    if clitics:
        reflexive = [c for c in clitics if c.lower() in {"se", "s'", "s’"}]
        others = [c for c in clitics if c not in reflexive]
        prefix = ("se " if reflexive else "") + " ".join(others)
        body = f"{prefix.strip()} {body}".replace("se a", "s’a").replace("se é", "s’é")
    body = re.sub(r"\s+", " ", body).strip(" ,;:")
    if negative:
        body = f"ne pas {body}"
    return french.capitalize_first(body)


def _acting_subject(
    ctx: LessonContext, info: SentenceInfo, root: Token
) -> tuple[Token, tuple[str, str]] | None:
    """The root's subject that is the nurse or the patient ("Sauf contre-indication, le
    patient boit …": the aside is parsed as a subject too)."""
    for child in root.children:
        # "Il ne frotte pas …": the parser reads a negated "il" as impersonal.
        if child.dep_ == "nsubj" or (child.dep_ == "expl:subj" and child.lower_ in {"il", "elle"}):
            actor = _actor(ctx, info, child)
            if actor is not None:
                return child, actor
    return None


def _positive(verb: Token, first: int, last: int, text: str) -> str | None:
    """The forbidden action said as done, its "pas de" partitive given back its article:
    "n'applique pas de crème" -> "Appliquer de la crème"."""
    plain = _infinitive(verb, first, last, False, text)
    if plain is None:
        return None
    partitive = next(
        (
            t
            for t in verb.doc[verb.i + 1 : last + 1]
            if t.lower_ in {"de", "d'", "d’"} and t.dep_ == "det"
        ),
        None,
    )
    if partitive is None:
        return plain
    noun = partitive.head
    gender, number = noun.morph.get("Gender", []), noun.morph.get("Number", [])
    if number and number[0] == "Plur":
        article = "des "
    elif noun.text[:1].lower() in "aeiouéèêh":
        article = "de l’"
    else:
        article = "de la " if gender and gender[0] == "Fem" else "du "
    written = text[partitive.idx : partitive.idx + len(partitive.text)] + partitive.whitespace_
    return plain.replace(f" {written}{noun.text}", f" {article}{noun.text}", 1)


def sentence_actions(ctx: LessonContext, info: SentenceInfo) -> list[Action]:
    span = ctx.span(info.sentence.start, info.sentence.end)
    if span is None:
        return []
    root = span.root
    if root.pos_ != "VERB" or any(c.dep_ in {"aux:pass", "cop"} for c in root.children):
        return []
    found = _acting_subject(ctx, info, root)
    if found is None:
        return []
    subject, actor = found
    subject_start = min(t.i for t in subject.subtree)
    opening = ctx.text[info.sentence.start : span.doc[subject_start].idx].strip(" ,")
    # A situation of its own: "Devant ces signes" points to another sentence.
    pointing = re.search(r"\b(?:ce|cet|cette|ces)\b", opening, re.IGNORECASE)
    situation = match_key(opening) if opening and _SITUATION.match(opening) and not pointing else ""
    verbs = [root] + [c for c in root.children if c.dep_ == "conj" and c.pos_ == "VERB"]
    verbs += [t for t in span if t.i > root.i and _next_action(t) and t not in verbs]
    verbs += [c for v in verbs[1:] for c in v.children if c.dep_ == "conj" and c.pos_ == "VERB"]
    verbs = sorted(set(verbs), key=lambda t: t.i)
    actions = []
    for verb in verbs:
        action_verb = verb
        if verb.lemma_ in _MODALS:
            xcomp = next((c for c in verb.children if c.dep_ == "xcomp" and c.pos_ == "VERB"), None)
            if xcomp is None:
                continue
            action_verb = xcomp
        spanned = _verb_span(action_verb, subject.i + 1)
        if spanned is None:
            continue
        first, last, negative = spanned
        text = _infinitive(action_verb, first, last, negative, ctx.text)
        if text is not None:
            # "évite les produits irritants, comme le parfum …": the examples are not the action
            text = _EXAMPLES.split(text, maxsplit=1)[0].strip(" ,")
        if text is None or not MIN_WORDS <= len(text.split()) <= MAX_WORDS:
            continue
        if text.count("(") != text.count(")"):
            continue  # the parser cut a bracket in two
        positive = _positive(action_verb, first, last, ctx.text) if negative else ""
        actions.append(
            Action(
                lesson=ctx.lesson.key,
                sentence=info.sentence.start,
                actor=actor[0],
                situation=situation,
                text=text,
                negative=negative,
                positive=positive or "",
            )
        )
    return actions


def course_actions(ctx: LessonContext) -> list[Action]:
    """Every action the course's sentences state (computed once per course)."""
    cache = ctx.course.derived
    if "actions" not in cache:
        cache["actions"] = [
            action
            for lesson in ctx.course.lessons.values()
            for info in lesson.sentences
            for action in sentence_actions(lesson, info)
        ]
    return cache["actions"]  # type: ignore[no-any-return]


def _likeness(option: str, key: str, ctx: LessonContext) -> float:
    """Options about as long as the key come first (ties drawn with the lesson's seed)."""
    return -abs(len(option) - len(key)) / max(len(option), len(key)) + 0.05 * ctx.rng.random()


def action(ctx: LessonContext, info: SentenceInfo) -> Iterator[Item]:
    """ "<situation>, que doit faire <actor> ?" for what the sentence says is done then."""
    stated = sentence_actions(ctx, info)
    span = ctx.span(info.sentence.start, info.sentence.end)
    found = _acting_subject(ctx, info, span.root) if stated and span is not None else None
    if found is None:
        return
    subject, (_actor_kind, actor_text) = found
    mine = [a for a in stated if a.situation]
    if not mine:
        yield from _instruction(ctx, info, [a for a in stated if not a.situation], actor_text)
        return
    opening = ctx.text[info.sentence.start : min(t.idx for t in subject.subtree)].strip(" ,")
    everything = course_actions(ctx)
    for key in mine[:2]:
        key_text = key.text
        contraries: list[tuple[float, str]] = []
        others_done: list[tuple[float, str]] = []
        seen = {match_key(key_text)}
        for other in everything:
            if other.actor != key.actor:
                continue
            contrary = other.contrary
            if contrary is not None and match_key(contrary) not in seen:
                # Wrong by the text itself, whatever the situation.
                seen.add(match_key(contrary))
                contraries.append((_likeness(contrary, key_text, ctx), contrary))
            elif (
                contrary is None
                and other.sentence != key.sentence
                and other.situation
                and other.situation != key.situation
                and match_key(other.text) not in seen
            ):
                # Done in another situation the text names: wrong for this one.
                seen.add(match_key(other.text))
                others_done.append((_likeness(other.text, key_text, ctx), other.text))
        contraries.sort(key=lambda row: -row[0])
        others_done.sort(key=lambda row: -row[0])
        # Most wrong answers are contraries: another situation's action might be done in
        # this one too, so at most one of those.
        chosen = [text for _s, text in contraries[: OPTIONS - 1]]
        chosen += [text for _s, text in others_done[: min(1, OPTIONS - 1 - len(chosen))]]
        if len(chosen) < OPTIONS - 1:
            continue
        others = chosen
        stem = _question(f"{french.capitalize_first(opening)}, que doit faire {actor_text}")
        yield built_item(
            ctx,
            info,
            kind="action",
            variant=key.actor,
            stem=stem,
            key_text=key_text,
            key_class="action",
            others=others,
        )


# A lesson title short enough to stand before a question as its heading.
MAX_LEAD_WORDS = 6


def _to(actor_text: str) -> str:
    """ "le patient" -> "au patient", "la patiente" -> "à la patiente", "l’IDE" -> "à l’IDE"."""
    lowered = actor_text.lower()
    if lowered.startswith("le "):
        return "au " + actor_text[3:]
    if lowered.startswith("les "):
        return "aux " + actor_text[4:]
    return "à " + actor_text


def _instruction(
    ctx: LessonContext, info: SentenceInfo, mine: list[Action], actor_text: str
) -> Iterator[Item]:
    """ "Il porte des vêtements amples en coton, évite le soleil …": no situation opens the
    sentence, so it states a standing instruction. "Quelle consigne est donnée au patient ?",
    its wrong answers only what the text forbids, said as done: wrong by the text itself
    (another instruction could be right too, so none is offered)."""
    title = " ".join(ctx.lesson.title.split()).rstrip(" .:")
    lead = f"{title} : " if title and len(title.split()) <= MAX_LEAD_WORDS else ""
    stem = _question(f"{lead}quelle consigne est donnée {_to(actor_text)}")
    stem = french.capitalize_first(stem)
    everything = course_actions(ctx)
    for key in mine[:2]:
        own = {match_key(key.text), match_key(key.contrary or "")}
        contraries: list[tuple[float, str]] = []
        seen = set(own)
        for other in everything:
            contrary = other.contrary
            if other.actor != key.actor or contrary is None:
                continue
            if match_key(contrary) in seen:
                continue  # the key's own contrary, or one offered already
            seen.add(match_key(contrary))
            contraries.append((_likeness(contrary, key.text, ctx), contrary))
        if len(contraries) < OPTIONS - 1:
            continue
        contraries.sort(key=lambda row: -row[0])
        yield built_item(
            ctx,
            info,
            kind="action",
            variant=f"{key.actor}-instruction",
            stem=stem,
            key_text=key.text,
            key_class="action",
            others=[text for _score, text in contraries[: OPTIONS - 1]],
        )
