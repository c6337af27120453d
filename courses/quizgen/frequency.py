"""How often a condition occurs, as the text says it.

"Le syndrome de libération de cytokines est relativement rare", "le lymphœdème reste
fréquent", "l'ONM est une complication rare mais invalidante": a nurse is asked "Quelle est
la fréquence du lymphœdème ?", the text's words against the steps of a frequency scale far
from them. A step next to the text's own is never a wrong answer ("rare" and "exceptionnel",
"fréquent" and "très fréquent" may both be read true), nor is a frequency said with a
qualifier the stem would drop ("rare chez l'enfant"), a comparison ("plus fréquent") or of a
pronoun.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from . import french
from .context import LessonContext, SentenceInfo
from .generators import CONDITION_CLASSES, OPTIONS, _question, built_item, display_name
from .items import Item

# After the subject: the verb, an adverb of degree, the adjective, then the clause ends
# (",", ".", ";", ":", "et", "mais"): "… est relativement rare, mais …".
_STATED = re.compile(
    r"^\s*(?:\([^()]{1,30}\)\s*)?\s(?P<verb>est|sont|reste|restent|demeure|demeurent)\s+"
    # "une complication rare mais invalidante": a kind, then how often.
    r"(?:(?:un|une|des)\s+(?:complications?|affections?|maladies?|pathologies?|causes?|"
    r"situations?|urgences?|séquelles?|toxicités?|effets? indésirables?|formes?)\s+)?"
    r"(?P<words>(?:(?:relativement|assez|plutôt|très|peu|particulièrement|extrêmement|"
    r"exceptionnellement)\s+)?"
    r"(?P<adjective>rares?|fréquente?s?|exceptionnelle?s?|courante?s?|constante?s?))"
    r"(?=\s*(?:[,.;:]|\bet\b|\bmais\b|$))",
    re.IGNORECASE,
)

# A frequency scale: each step (masculine singular) and where it stands.
_STEPS = {
    "exceptionnel": 0.0,
    "rare": 1.0,
    "peu fréquent": 1.5,
    "assez fréquent": 2.5,
    "fréquent": 3.0,
    "très fréquent": 4.0,
    "quasi constant": 5.0,
}
_ADJECTIVE_LEVEL = {"exceptionnel": 0.0, "rare": 1.0, "fréquent": 3.0, "courant": 3.0}
_ADVERB_SHIFT = {
    "très": 1.0,
    "extrêmement": 1.0,
    "particulièrement": 1.0,
    "exceptionnellement": -1.0,
    "peu": -1.5,
    "relativement": 0.0,
    "assez": 0.0,
    "plutôt": 0.0,
}
# A wrong answer stands this far at least from the text's step.
MIN_DISTANCE = 2.0


def _masculine(adjective: str) -> str:
    word = adjective.lower().rstrip("s")
    if word.endswith("elle"):
        return word[:-2]
    return word[:-1] if word.endswith("te") else word


def level(words: str) -> float | None:
    """Where a frequency the text states stands on the scale ("relativement rare": 1)."""
    parts = words.lower().split()
    base = _ADJECTIVE_LEVEL.get(_masculine(parts[-1]))
    if parts[-1].startswith("constant"):
        base = 5.0
    if base is None:
        return None
    shift = _ADVERB_SHIFT.get(parts[0], 0.0) if len(parts) > 1 else 0.0
    return min(5.0, max(0.0, base + shift))


def _agreed(step: str, *, gender: str, plural: bool) -> str:
    """ "fréquent" -> "fréquentes" for a feminine plural subject."""
    *adverb, adjective = step.split()
    return " ".join(
        [*adverb, french.agree(adjective, gender=gender, number="p" if plural else "s")]
    )


def frequency(ctx: LessonContext, info: SentenceInfo) -> Iterator[Item]:
    for mention in info.mentions:
        term = mention.term
        if term.cls not in CONDITION_CLASSES:
            continue
        stated = _STATED.match(ctx.text[mention.end : info.sentence.end])
        if stated is None:
            continue
        words = stated.group("words")
        own = level(words)
        if own is None:
            continue
        plural = stated.group("verb").lower().endswith("nt")
        gender = term.gender or "m"
        steps = sorted(
            (step for step, at in _STEPS.items() if abs(at - own) >= MIN_DISTANCE),
            key=lambda step: abs(_STEPS[step] - own),
        )[: OPTIONS - 1]
        if len(steps) < OPTIONS - 1:
            continue
        adverb = words.split()[0].lower() if len(words.split()) > 1 else ""
        if _ADVERB_SHIFT.get(adverb) == 0.0:
            # "relativement rare": the nearest bare step takes the adverb too ("relativement
            # fréquent"), or the key would be the one hedged, and the longest.
            bare = next(i for i, step in enumerate(steps) if " " not in step)
            steps[bare] = f"{adverb} {steps[bare]}"
        name = display_name(mention)
        subject = french.of_definite(
            name, gender=gender, number="p" if plural else "s", h_aspire=term.h_aspire
        )
        wrong = [
            french.capitalize_first(_agreed(step, gender=gender, plural=plural)) for step in steps
        ]
        yield built_item(
            ctx,
            info,
            kind="question",
            variant="frequency",
            stem=_question(f"Quelle est la fréquence {subject}"),
            key_text=french.capitalize_first(" ".join(words.split())),
            key_class="frequency",
            others=wrong,
            anchors=(term.canonical,),
        )
        return  # one frequency per sentence
