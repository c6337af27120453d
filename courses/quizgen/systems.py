"""Which kind of signs a list names: the organ system the text sorts them by.

"des signes neurologiques : asthénie, confusion, somnolence", "des symptômes
pseudo-grippaux, tels que fièvre, frissons et fatigue": a nurse is asked "Asthénie, confusion,
somnolence : de quels signes s'agit-il ?", the text's kind against other organ systems (the
text's other kinds of the same signs first: "signes digestifs", "signes rénaux"). Only a kind
named by an organ system's adjective is asked so ("symptômes graves", "signes d'alerte" sort
by another measure, and any system could hold them).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from courses.textnorm import match_key

from . import french
from .context import LessonContext, SentenceInfo, same_word
from .generators import (
    OPTIONS,
    _adjectival,
    _as_listed,
    _category,
    _course_lists,
    _enumerations,
    _question,
    built_item,
)
from .items import Item
from .terms import Phrase

# Organ systems and their adjective's four forms (m. sg., f. sg., m. pl., f. pl.).
SYSTEMS = {
    "digestif": ("digestif", "digestive", "digestifs", "digestives"),
    "renal": ("rénal", "rénale", "rénaux", "rénales"),
    "neurologique": ("neurologique", "neurologique", "neurologiques", "neurologiques"),
    "cardiaque": ("cardiaque", "cardiaque", "cardiaques", "cardiaques"),
    "respiratoire": ("respiratoire", "respiratoire", "respiratoires", "respiratoires"),
    "cutane": ("cutané", "cutanée", "cutanés", "cutanées"),
    "urinaire": ("urinaire", "urinaire", "urinaires", "urinaires"),
    "pseudo-grippal": ("pseudo-grippal", "pseudo-grippale", "pseudo-grippaux", "pseudo-grippales"),
}
# Heads of a kind of signs.
_HEADS = frozenset({"signe", "signes", "symptome", "symptomes", "manifestation", "manifestations"})
MAX_MEMBERS_SHOWN = 5


def _system(adjective: str) -> str | None:
    key = match_key(adjective)
    for name, forms in SYSTEMS.items():
        if key in {match_key(form) for form in forms}:
            return name
    return None


def _form(name: str, *, gender: str, number: str) -> str:
    index = (2 if number == "p" else 0) + (1 if gender == "f" else 0)
    return SYSTEMS[name][index]


def _siblings(ctx: LessonContext, category: Phrase) -> list[str]:
    """The systems of the text's other kinds of the same signs ("signes rénaux" beside
    "signes neurologiques"), in the text's order."""
    found: list[str] = []
    for lists in _course_lists(ctx).values():
        for other, _keys in lists:
            if other is None or match_key(other.head) != match_key(category.head):
                continue
            words = other.surface.split()
            name = _system(words[-1]) if len(words) == 2 else None
            if name is not None and name not in found:
                found.append(name)
    return found


def system(ctx: LessonContext, info: SentenceInfo) -> Iterator[Item]:
    for marker_start, listed in _enumerations(ctx, info):
        if len(listed) < 2 or any(m.term.cls != "symptom" for m in listed):
            continue
        category = _category(ctx, marker_start)
        if category is None or not _adjectival(category):
            continue
        words = re.sub(r"^(?:des|les|de|d['’])\s+", "", category.surface.strip()).split()
        if len(words) != 2 or match_key(words[0]) not in _HEADS:
            continue
        own = _system(words[1])
        if own is None:
            continue
        gender, number = category.gender or "m", "p"
        head = words[0] if words[0].endswith("s") else f"{words[0]}s"
        siblings = [name for name in _siblings(ctx, category) if name != own]
        others = siblings + [name for name in SYSTEMS if name != own and name not in siblings]
        wrong = [
            f"{french.capitalize_first(head)} {_form(name, gender=gender, number=number)}"
            for name in others[: OPTIONS - 1]
        ]
        members = [_as_listed(ctx, m) for m in listed[:MAX_MEMBERS_SHOWN]]
        shown = ", ".join(members)
        if any(same_word(word, form) for word in shown.split() for form in SYSTEMS[own]):
            continue  # "troubles du rythme cardiaque": the members say the system
        stem = _question(f"{french.capitalize_first(shown)}\u00a0: de quels {head} s'agit-il")
        yield built_item(
            ctx,
            info,
            kind="question",
            variant="system",
            stem=stem,
            key_text=f"{french.capitalize_first(head)} {_form(own, gender=gender, number=number)}",
            key_class="system",
            others=wrong,
            anchors=tuple(m.term.canonical for m in listed),
        )
