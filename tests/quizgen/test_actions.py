"""Action items: what the nurse or the patient does in a situation the text names."""

from __future__ import annotations

from .conftest import lesson_quiz

NBSP = "\u00a0"
ADVICE = (
    "Pendant la radiothérapie, le patient lave la peau à l’eau tiède avec un savon surgras. "
    "Il ne frotte pas la zone irradiée. Il n’applique pas de crème dans les deux heures avant "
    "la séance. Il évite le soleil pendant le traitement. Après chaque séance, le patient "
    "hydrate la peau avec une émulsion prescrite."
)


def actions_of(text: str, glossary, title: str = "La radiodermite"):
    quiz = lesson_quiz(text, glossary, title=title)
    return [item for item in quiz.kept if item.kind == "action"]


def test_the_situation_asks_what_to_do_and_wrong_answers_are_what_the_text_forbids(glossary):
    items = actions_of(ADVICE, glossary)
    by_stem = {item.stem: item for item in items}
    item = by_stem[f"Pendant la radiothérapie, que doit faire le patient{NBSP}?"]
    assert item.options[item.answer] == "Laver la peau à l’eau tiède avec un savon surgras"
    wrong = {o for i, o in enumerate(item.options) if i != item.answer}
    # "ne frotte pas", "n'applique pas de crème", "évite le soleil", said as done.
    assert wrong == {
        "Frotter la zone irradiée",
        "Appliquer de la crème dans les deux heures avant la séance",
        "Rechercher le soleil pendant le traitement",
    }
    assert "texte" not in item.stem


def test_a_nurse_action_through_a_pronoun_and_a_series_of_actions(glossary):
    """ "Avant chaque injection, l’IDE vérifie …, examine …": each action is its own; the
    same sentence's other action is never a wrong answer."""
    text = (
        "Avant chaque injection, l’IDE vérifie que le bilan dentaire a été réalisé, examine la "
        "bouche. L’IDE ne masse pas le point d’injection. Il ne purge pas la seringue. "
        "Il n’injecte pas le produit dans une zone cicatricielle. "
        "Après l’injection, l’IDE note le site dans le dossier de soins."
    )
    items = actions_of(text, glossary, title="Les injections")
    before = [i for i in items if i.stem.startswith("Avant chaque injection")]
    assert before
    keys = {i.options[i.answer] for i in before}
    assert keys <= {"Vérifier que le bilan dentaire a été réalisé", "Examiner la bouche"}
    for item in before:
        wrong = {o for i, o in enumerate(item.options) if i != item.answer}
        assert not wrong & {"Vérifier que le bilan dentaire a été réalisé", "Examiner la bouche"}
        assert "Masser le point d’injection" in wrong


def test_no_action_item_without_wrong_answers_the_text_makes_wrong(glossary):
    """Other actions alone could be right in the situation too: no item then."""
    text = (
        "Avant la cure, l’IDE vérifie la numération formule sanguine. "
        "Pendant la perfusion, l’IDE surveille la pression artérielle. "
        "Après la cure, l’IDE remet au patient un carnet de suivi."
    )
    assert actions_of(text, glossary, title="La chimiothérapie") == []


def test_a_standing_instruction_is_asked_against_what_the_text_forbids(glossary):
    """No situation opens the sentence: "Quelle consigne est donnée au patient ?", under the
    lesson's short title; the wrong answers are only what the text forbids, said as done (an
    instruction the text gives elsewhere could be right too)."""
    text = (
        "Le patient évite les produits irritants, comme le parfum ou le déodorant alcoolisé. "
        "Il porte des vêtements amples en coton, évite le soleil pendant le traitement et "
        "n'efface pas les marques de repérage. Le patient ne gratte pas la peau irradiée."
    )
    items = actions_of(text, glossary, title="Soins de la peau")
    instructions = [i for i in items if i.variant == "patient-instruction"]
    assert instructions
    forbidden = {
        "Rechercher les produits irritants",
        "Rechercher le soleil pendant le traitement",
        "Effacer les marques de repérage",
        "Gratter la peau irradiée",
    }
    for item in instructions:
        assert item.stem == f"Soins de la peau : quelle consigne est donnée au patient{NBSP}?"
        assert item.options[item.answer] not in forbidden
        wrong = {o for i, o in enumerate(item.options) if i != item.answer}
        assert wrong <= forbidden
    assert "Porter des vêtements amples en coton" in {i.options[i.answer] for i in instructions}
