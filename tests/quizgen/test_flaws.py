"""Each item-writing check refuses the flaw it names, and lets a sound item through (pure)."""

from __future__ import annotations

import pytest

from courses.quizgen import flaws
from courses.quizgen.items import Item, Source

NBSP = "\u00a0"
GOOD_STEM = f"D'après le texte, quelle cytokine est également appelée aldesleukine{NBSP}?"
GOOD_OPTIONS = ["Interleukine-2", "Interleukine-6", "Interféron", "Interleukine-1"]


def codes(stem=GOOD_STEM, options=GOOD_OPTIONS, answer=0, glossary=None) -> set[str]:
    return {flaw.code for flaw in flaws.text_flaws(stem, options, answer, glossary=glossary)}


def test_a_sound_item_passes(glossary):
    assert codes(glossary=glossary) == set()


@pytest.mark.parametrize(
    ("options", "answer", "code"),
    [
        (GOOD_OPTIONS[:3], 0, "option_count"),
        (GOOD_OPTIONS, 4, "answer_index"),
        (["Interleukine-2", " ", "Interféron", "Interleukine-1"], 0, "empty_option"),
        (["Interleukine-2", "interleukine-2 ", "Interféron", "Interleukine-1"], 0,
         "duplicate_options"),
        (["La fièvre", "fievre", "Toux", "Prurit"], 0, "duplicate_options"),
        (["Interleukine-2", "Interféron", "Toutes les réponses ci-dessus", "Interleukine-1"], 0,
         "all_or_none"),
        (["Interleukine-2", "Interféron", "Aucune de ces réponses", "Interleukine-1"], 0,
         "all_or_none"),
    ],
)  # fmt: skip
def test_option_flaws(options, answer, code):
    assert code in codes(options=options, answer=answer)


def test_negative_stem_unless_emphasised():
    assert "negative_stem" in codes(stem=f"Quel symptôme n'est pas cité{NBSP}?")
    assert "negative_stem" in codes(stem=f"Tous ces symptômes sont cités, sauf{NBSP}?")
    assert "negative_stem" not in codes(stem=f"Quel symptôme N'EST PAS cité{NBSP}?")


def test_a_stem_must_ask_something():
    assert "not_a_question" in codes(stem="Les cytokines.")
    assert "not_a_question" not in codes(stem="Quel terme complète « Les _____ agissent. »")


def test_stem_that_gives_the_key_away():
    assert "key_in_stem" in codes(
        stem=f"L'interleukine-2 est-elle appelée aldesleukine{NBSP}?", answer=0
    )


def test_clang_between_stem_and_key_alone():
    """Only the key repeats a word of the stem ("cytokines"): test-wise learners pick it."""
    stem = f"Sous quel autre nom le syndrome de libération de cytokines est-il connu{NBSP}?"
    options = [
        "Syndrome de réponse inflammatoire systémique induite par les cytokines",
        "Syndrome de lyse tumorale",
        "Syndrome d'activation macrophagique",
        "Syndrome de détresse respiratoire aiguë",
    ]
    assert "clang" in codes(stem=stem, options=options)
    # A word the distractors share too is no cue ("syndrome").
    assert "clang" not in codes(stem=f"Quel syndrome est désigné par SRISC{NBSP}?", options=options)


@pytest.mark.parametrize(
    ("stem", "options"),
    [
        ("Complétez : « … avant l'_____. »", ["antibiothérapie", "chimiothérapie", "transfusion",
                                              "immunothérapie"]),
        ("Complétez : « … traitement du _____. »", ["mélanome", "lymphome", "sarcome",
                                                  "adénocarcinome"]),
        (f"Quel traitement le texte cite-t-il{NBSP}?", ["La chimiothérapie", "Radiothérapie",
                                                     "Chirurgie", "Hormonothérapie"]),
    ],
)  # fmt: skip
def test_grammatical_cues(stem, options):
    assert "grammatical_cue" in codes(stem=stem, options=options)


def test_gender_cue_needs_the_glossary(glossary):
    stem = "Complétez : « … une admission en unité, la _____ devient urgente. »"
    options = ["fièvre", "toux", "prurit", "dyspnée"]  # prurit is masculine
    assert "grammatical_cue" in codes(stem=stem, options=options, glossary=glossary)


def _item(sentence: str, **fields) -> Item:
    defaults = {
        "kind": "cloze",
        "stem": "Complétez : « _____ »",
        "options": ("fièvre", "toux", "dyspnée", "diarrhée"),
        "answer": 0,
        "explanation": "",
        "source": Source(sentence=sentence, start=0, end=len(sentence)),
        "key_term": "fièvre",
        "key_class": "symptom",
        "distractor_terms": ("toux", "dyspnée", "diarrhée"),
    }
    defaults.update(fields)
    return Item(**defaults)


def grounding(item: Item, seed_course) -> set[str]:
    ctx = next(iter(seed_course.lessons.values()))
    # Point the item at a sentence of this lesson so that offsets are checked for real.
    return {flaw.code for flaw in flaws.grounding_flaws(item, ctx)}


def test_grounding_key_stated_and_offsets(seed_course):
    ctx = next(iter(seed_course.lessons.values()))
    info = next(i for i in ctx.sentences if "tachycardie" in i.text)
    source = Source(sentence=info.text, start=info.sentence.start, end=info.sentence.end)
    sound = _item(info.text, source=source, distractor_terms=("toux", "prurit", "alopécie"))
    assert grounding(sound, seed_course) == set()
    absent = _item(info.text, source=source, key_term="toux",
                   distractor_terms=("prurit", "alopécie", "insomnie"))  # fmt: skip
    assert "key_not_stated" in grounding(absent, seed_course)
    moved = _item(info.text, source=Source(info.text, start=0, end=len(info.text)))
    assert "source_offsets" in grounding(moved, seed_course)


def test_a_distractor_the_source_states_is_refused(seed_course):
    """A second symptom of the same list is not a wrong answer."""
    ctx = next(iter(seed_course.lessons.values()))
    info = next(i for i in ctx.sentences if "tachycardie" in i.text)
    source = Source(sentence=info.text, start=info.sentence.start, end=info.sentence.end)
    item = _item(info.text, source=source, distractor_terms=("tachycardie", "toux", "prurit"))
    assert "distractor_stated" in grounding(item, seed_course)


def test_a_distractor_true_in_practice_is_refused(seed_course):
    ctx = next(iter(seed_course.lessons.values()))
    info = next(i for i in ctx.sentences if "tachycardie" in i.text)
    source = Source(sentence=info.text, start=info.sentence.start, end=info.sentence.end)
    item = _item(
        info.text,
        source=source,
        distractor_terms=("frissons", "toux", "prurit"),  # frissons: a symptom of CRS
        anchors=("syndrome de libération de cytokines",),
    )
    assert "distractor_true" in grounding(item, seed_course)


def test_key_too_often_the_only_longest_option():
    def item(longest_key: bool) -> Item:
        options = ("une réponse nettement la plus longue", "b", "c", "d")
        return _item("x", options=options, answer=0 if longest_key else 1)

    items = [item(True)] * 4 + [item(False)] * 4
    dropped = flaws.set_flaws(items)
    assert len(dropped) == 4 - int(flaws.KEY_LONGEST_MAX_SHARE * 8)
    assert all(flaw.code == "key_longest" for flaw in dropped.values())
    assert flaws.set_flaws([item(True)] + [item(False)] * 7) == {}


def test_an_emphasised_negation_has_its_particles_in_capitals():
    from courses.quizgen.flaws import text_flaws

    options = ("2 heures", "3 heures", "4 heures", "6 heures")
    stem = "Il NE faut PAS appliquer de crème dans quel délai avant la séance ?"
    assert "negative_stem" not in {f.code for f in text_flaws(stem, options, 0)}
    stem = "Les diurétiques n’ont pas d’indication dans quel délai ?"
    assert "negative_stem" in {f.code for f in text_flaws(stem, options, 0)}


def test_the_cloze_lead_is_no_clang():
    """ "Quel terme complète cette phrase du texte ?" shares "complète" with "physiothérapie
    décongestive complète": the lead says what kind of item it is, it cues nothing."""
    from courses.quizgen.flaws import text_flaws

    stem = (
        "Quel terme complète cette phrase du texte\u00a0? « Le traitement de référence est "
        "_____, réalisée par un masseur-kinésithérapeute. »"
    )
    options = (
        "la physiothérapie décongestive complète",
        "l'antibiothérapie",
        "la thérapie cellulaire",
        "la radiothérapie des aires ganglionnaires",
    )
    assert "clang" not in {flaw.code for flaw in text_flaws(stem, options, 0)}
