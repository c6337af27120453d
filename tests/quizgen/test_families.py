"""Item families: items that ask one fact or would show each other's answer are one family."""

from __future__ import annotations

from collections import defaultdict

from courses.quizgen.items import Item, Source
from courses.quizgen.pipeline import families
from courses.textnorm import match_key

from .conftest import kept


def item(stem: str, key: str, sentence: tuple[int, int], kind: str = "cloze") -> Item:
    return Item(
        kind=kind,
        stem=stem,
        options=(key, "b", "c", "d"),
        answer=0,
        explanation="",
        source=Source(sentence=f"phrase {sentence}", start=sentence[0], end=sentence[1]),
        key_term=key,
        key_class="symptom",
    )


def test_one_sentence_one_stem_or_one_key_make_a_family():
    made = families(
        [
            item("« _____, une hypotension » ?", "fièvre", (0, 50)),
            item("« une fièvre, _____ » ?", "hypotension", (0, 50)),  # same sentence
            item("Lequel de ces signes le texte cite-t-il ?", "toux", (60, 90), "cited"),
            item("Lequel de ces signes le texte cite-t-il ?", "dyspnée", (60, 90), "cited"),
            item("Quel signe impose d'appeler ?", "Fièvre", (100, 140), "question"),  # key
            item("Quel examen confirme la thrombose ?", "écho-doppler", (150, 190), "question"),
        ]
    )
    names = [i.family for i in made]
    assert all(names)
    assert names[0] == names[1] == names[4]  # a sentence, then the key "fièvre" again
    assert names[2] == names[3]
    assert len({names[0], names[2], names[5]}) == 3


def test_generated_families_hold_their_rule(all_quizzes):
    """Over every generated lesson: two items of different families never share a sentence,
    a stem or a key; every kept item has a family, written in the course format."""
    for quiz in all_quizzes:
        owners: dict[tuple[str, str], set[str]] = defaultdict(set)
        for i in quiz.kept:
            assert i.family
            assert i.to_json()["family"] == i.family
            owners["sentence", f"{i.source.start}:{i.source.end}"].add(i.family)
            owners["stem", i.stem].add(i.family)
            owners["key", match_key(i.key_term)].add(i.family)
        assert all(len(names) == 1 for names in owners.values())


def test_a_lesson_keeps_several_families(all_quizzes):
    """Families group what must not come together, not whole lessons: a long lesson's bank
    still gives a quiz of several questions."""
    for quiz in all_quizzes:
        # A multiple-response item joins its list's single items' family: not counted.
        if len([i for i in quiz.kept if not i.answers]) >= 12:
            assert len({i.family for i in quiz.kept}) >= 4, quiz.lesson
    assert kept(all_quizzes)


def test_the_kept_items_keys_are_spread_over_the_places():
    """Generation placed every key first (items dropped later took the other places): the
    kept ones are spread again; a threshold's options keep their numeric order."""
    from courses.quizgen.pipeline import balanced

    items = [item(f"Question {n} ?", f"clé {n}", (10 * n, 10 * n + 9)) for n in range(8)]
    threshold = Item(
        kind="threshold",
        stem="Quelle dose ?",
        options=("1 mg", "2 mg", "4 mg", "8 mg"),
        answer=0,
        explanation="",
        source=Source(sentence="phrase", start=100, end=110),
        key_term="1 mg",
        key_class="threshold",
    )
    spread = balanced([*items, threshold])
    assert spread[-1] == threshold
    places = [i.answer for i in spread]
    assert sorted(places.count(place) for place in range(4)) == [2, 2, 2, 3]
    for before, after in zip(items, spread, strict=False):
        assert after.options[after.answer] == before.options[0]
        assert [o for o in after.options if o != after.options[after.answer]] == ["b", "c", "d"]
