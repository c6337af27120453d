"""Generation for a course's lessons: propose, check, keep or drop with the reasons."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from courses.textnorm import match_key

from . import actions, anaphora, flaws, frequency, generators, scales, systems
from .context import LessonContext, LessonText, build
from .glossary import Glossary
from .items import Dropped, Flaw, Item, LessonQuiz
from .terminology import Terminology
from .terms import Types
from .yardstick import is_recall

# Every generator, in the order their items are proposed.
GENERATORS = (
    *generators.GENERATORS,
    actions.action,
    scales.scale,
    frequency.frequency,
    systems.system,
)
# Bumped when generation changes in a way that should produce different items.
GENERATOR_VERSION = "1"
# The classes whose terms are the facts a lesson teaches (and a quiz should test).
FACT_CLASSES = frozenset(
    {
        "cytokine",
        "drug",
        "symptom",
        "complication",
        "syndrome",
        "cancer",
        "immune_cell",
        "treatment",
        "care_setting",
        "care_action",
    }
)


def generate(
    lessons: Sequence[LessonText],
    *,
    glossary: Glossary,
    terminology: Terminology | None = None,
    types: Types | None = None,
) -> list[LessonQuiz]:
    """Items for every lesson, deterministic for the same texts, glossary and tables.

    All the course's lessons are read together: distractors prefer terms the learner meets
    elsewhere in the course, and a wrong answer the course states as true is refused. With a
    terminology and types, the terms the texts write join the glossary's (terms.py).
    """
    course = build(
        list(lessons),
        glossary,
        seed_salt=GENERATOR_VERSION,
        terminology=terminology,
        types=types,
    )
    return [lesson_quiz(course.lessons[lesson.key]) for lesson in lessons]


# An operator between spaces: a formula, not a sentence a stem can quote or ask.
_FORMULA = re.compile(r"(?:^|\s)[=×÷](?:\s|$)")


def lesson_quiz(ctx: LessonContext) -> LessonQuiz:
    result = LessonQuiz(lesson=ctx.lesson.key, words=ctx.words())
    candidates: list[Item] = []
    seen: set[str] = set()
    for info in ctx.sentences:
        if _FORMULA.search(info.text):
            continue  # "= Calcémie mesurée + 0,02 × (40 − albuminémie en g/l)": no sentence
        for generator in GENERATORS:
            for item in generator(ctx, info):
                if item.fingerprint in seen:
                    continue
                seen.add(item.fingerprint)
                candidates.append(item)

    passing: list[Item] = []
    for proposed in candidates:
        # A stem that opens with "Il", "Cela", "Ces traitements" says what they point to.
        standalone = anaphora.resolve(ctx, proposed)
        if standalone is None:
            result.dropped.append(
                Dropped(
                    item=proposed,
                    flaws=[Flaw("dangling_anaphor", "the stem's pronoun points outside it")],
                )
            )
            continue
        found = flaws.item_flaws(standalone, ctx)
        if found:
            result.dropped.append(Dropped(item=standalone, flaws=found))
        else:
            passing.append(standalone)
    passing = _one_per_key(passing, result)
    passing = _questions_first(passing, result)
    surplus = flaws.set_flaws(passing)
    for index, item in enumerate(passing):
        if index in surplus:
            result.dropped.append(Dropped(item=item, flaws=[surplus[index]]))
        else:
            result.kept.append(item)
    result.kept = balanced(families(result.kept))

    facts = []
    for info in ctx.sentences:
        for mention in info.mentions:
            term = mention.term
            important = term.cls in FACT_CLASSES and not ctx.course.is_generic(term)
            if important and term.canonical not in facts:
                facts.append(term.canonical)
    result.facts = facts
    # A fact is tested when it is the key of an item: knowing it is what the item asks.
    keys = {item.key_term for item in result.kept}
    result.covered = [fact for fact in facts if fact in keys]
    return result


# Items whose options keep an order of their own (values, a scale's grades).
_ORDERED_KINDS = frozenset({"threshold", "scale"})


def balanced(items: list[Item]) -> list[Item]:
    """The keys spread over the places once the lesson's items are final: items dropped after
    generation placed their keys too, so the kept ones may lean to one place. Ordered items
    keep theirs; each other item's key moves to the least used place (ties go to the place
    it has, then the first), its wrong answers keeping their order."""
    if not items:
        return items
    size = max(len(item.options) for item in items)
    used = [0] * size
    for item in items:
        if item.kind in _ORDERED_KINDS:
            used[item.answer] += 1
    out: list[Item] = []
    for item in items:
        if item.kind in _ORDERED_KINDS or item.answers:
            out.append(item)  # its own order (several keys: shuffled where they were made)
            continue
        places = range(len(item.options))
        fewest = min(used[place] for place in places)
        place = (
            item.answer
            if used[item.answer] == fewest
            else next(p for p in places if used[p] == fewest)
        )
        used[place] += 1
        if place != item.answer:
            key = item.options[item.answer]
            others = [o for index, o in enumerate(item.options) if index != item.answer]
            item = replace(item, options=(*others[:place], key, *others[place:]), answer=place)
        out.append(item)
    return out


def families(items: list[Item]) -> list[Item]:
    """The items with their family: items drawn from one sentence (one would show another's
    answer), sharing a stem (the items of one list) or asking the same key are one family. Its
    name is the first member's fingerprint, so it is stable while the lesson's text is."""
    parent = list(range(len(items)))

    def root(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    def join(left: int, right: int) -> None:
        left, right = root(left), root(right)
        if left != right:
            parent[max(left, right)] = min(left, right)

    first: dict[tuple[str, str], int] = {}
    keys = [match_key(item.key_term) for item in items]
    for index, item in enumerate(items):
        for identity in (
            ("sentence", f"{item.source.start}:{item.source.end}"),
            ("stem", item.stem),
            ("key", keys[index]),
        ):
            if identity[1]:
                join(index, first.setdefault(identity, index))
    return [
        replace(item, family=items[root(index)].fingerprint[:16])
        for index, item in enumerate(items)
    ]


def _questions_first(items: list[Item], result: LessonQuiz) -> list[Item]:
    """A key the lesson already asks as a question (a classification, a threshold, "quel …")
    is not asked again as "which term completes the sentence": the question is kept, the
    cloze dropped."""
    asked = {match_key(item.key_term) for item in items if not is_recall(item.stem)}
    recalled: set[str] = set()
    kept: list[Item] = []
    for item in items:
        key = match_key(item.key_term)
        if is_recall(item.stem) and key in asked:
            result.dropped.append(
                Dropped(item=item, flaws=[Flaw("asked_as_question", "a question asks this key")])
            )
            continue
        if is_recall(item.stem):
            if key in recalled:  # one recall item per key: "cited" and a cloze ask the same
                result.dropped.append(
                    Dropped(item=item, flaws=[Flaw("asked_twice", "another item asks this key")])
                )
                continue
            recalled.add(key)
        kept.append(item)
    return kept


def _one_per_key(items: list[Item], result: LessonQuiz) -> list[Item]:
    """At most one item per (kind, key): the same fact asked twice the same way is one item."""
    kept: list[Item] = []
    seen: set[tuple[str, str]] = set()
    for item in items:
        # The same fact asked the same way: by one template, or in the very same words.
        identities = [(item.kind + item.variant, item.key_term), (item.stem, item.key_term)]
        if any(identity in seen for identity in identities):
            continue
        seen.update(identities)
        kept.append(item)
    del result
    return kept
