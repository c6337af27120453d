"""How often a condition occurs: the text's words against far steps of a frequency scale."""

from __future__ import annotations

from courses.quizgen.frequency import level

from .conftest import lesson_quiz


def _frequency_items(text, glossary):
    quiz = lesson_quiz(text, glossary, title="Soins")
    return [i for i in quiz.kept + [d.item for d in quiz.dropped] if i.variant == "frequency"]


def _the_item(text, glossary):
    """The one frequency item a text gives, its key and its wrong answers."""
    items = _frequency_items(text, glossary)
    assert len(items) == 1, [i.stem for i in items]
    item = items[0]
    wrong = {o for i, o in enumerate(item.options) if i != item.answer}
    return item, item.options[item.answer], wrong


def test_levels_read_the_adverb():
    assert level("relativement rare") == 1.0
    assert level("très fréquente") == 4.0
    assert level("peu fréquents") == 1.5
    assert level("exceptionnelle") == 0.0
    assert level("courant") == 3.0


def test_a_stated_frequency_is_asked_against_far_steps(glossary):
    """ "est relativement rare, mais …": the key is the text's words; no wrong answer is a
    step next to it ("exceptionnel", "peu fréquent" could be read true), and one takes its
    adverb, so the key is not the one hedged."""
    text = (
        "Il est important de noter que le syndrome de libération de cytokines est relativement "
        "rare, mais qu'il peut être très dangereux."
    )
    item, key, wrong = _the_item(text, glossary)
    assert item.stem == "Quelle est la fréquence du syndrome de libération de cytokines\u00a0?"
    assert key == "Relativement rare"
    assert not wrong & {"Exceptionnel", "Rare", "Peu fréquent", "Assez fréquent"}
    assert "Relativement fréquent" in wrong


def test_a_frequency_agrees_with_a_feminine_plural_subject(glossary):
    text = "Les infections virales restent fréquentes. La fièvre est le premier signe."
    _item, key, wrong = _the_item(text, glossary)
    assert key == "Fréquentes"
    assert wrong == {"Exceptionnelles", "Rares", "Quasi constantes"}


def test_a_qualified_compared_or_pronoun_frequency_is_not_asked(glossary):
    """What the stem would drop ("chez l'enfant"), a comparison, or "il" for its subject."""
    text = (
        "Le lymphœdème est rare chez l'enfant. Les complications sont plus fréquentes avec "
        "l'association. Il est fréquent."
    )
    assert not _frequency_items(text, glossary)


def test_a_frequency_said_of_a_kind_after_an_abbreviation_is_asked(glossary):
    """ "L'ostéonécrose de la mâchoire (ONM) est une complication rare mais invalidante": the
    abbreviation and the kind between subject and adjective; wrong answers agree with it."""
    text = (
        "L'ostéonécrose de la mâchoire (ONM) est une complication rare mais invalidante des "
        "bisphosphonates. Elle touche surtout les patients traités à forte dose."
    )
    item, key, wrong = _the_item(text, glossary)
    assert item.stem == "Quelle est la fréquence de l'ostéonécrose de la mâchoire\u00a0?"
    assert key == "Rare"
    assert wrong == {"Fréquente", "Très fréquente", "Quasi constante"}
