"""Which organ system a list of signs belongs to, against the text's other systems."""

from __future__ import annotations

from courses.quizgen import LessonText

from .conftest import generate_course, lesson_quiz

SIGNS = (
    "L'hypercalcémie donne des signes variés. L'infirmier recherche notamment :\n\n"
    "- des signes digestifs : nausées, vomissements, constipation ;\n"
    "- des signes neurologiques : confusion, somnolence, coma ;\n"
    "- des signes cardiaques : tachycardie et troubles du rythme cardiaque.\n\n"
    "Le patient boit 2 litres par jour."
)


def _systems(quiz):
    return [i for i in quiz.kept + [d.item for d in quiz.dropped] if i.variant == "system"]


def test_a_list_of_signs_is_asked_its_organ_system_against_the_texts_others(glossary):
    """ "des signes neurologiques : confusion, somnolence, coma": "Confusion, somnolence, coma :
    de quels signes s'agit-il ?", the text's other systems first among the wrong answers; the
    cardiac list, whose member says "cardiaque", is not asked."""
    (quiz,) = generate_course([LessonText(key="t", title="Signes", text=SIGNS)], glossary)
    items = {i.options[i.answer]: i for i in _systems(quiz)}
    assert set(items) == {"Signes digestifs", "Signes neurologiques"}
    item = items["Signes neurologiques"]
    assert item.stem == "Confusion, somnolence, coma\u00a0: de quels signes s'agit-il\u00a0?"
    wrong = {o for i, o in enumerate(item.options) if i != item.answer}
    assert {"Signes digestifs", "Signes cardiaques"} <= wrong


def test_a_kind_not_named_by_an_organ_system_is_not_asked(glossary):
    """ "des symptômes graves, notamment …": graves sorts by another measure."""
    text = (
        "Cela peut entraîner une variété de symptômes graves, notamment de la fièvre, une "
        "tachycardie et une hypotension. Le patient est surveillé."
    )
    assert not _systems(lesson_quiz(text, glossary, title="Soins"))


def test_flu_like_symptoms_are_a_system_of_their_own(glossary):
    text = (
        "Les effets secondaires courants peuvent inclure des symptômes pseudo-grippaux, tels "
        "que fièvre, frissons et fatigue. Le patient est surveillé."
    )
    (item,) = _systems(lesson_quiz(text, glossary, title="Soins"))
    assert item.options[item.answer] == "Symptômes pseudo-grippaux"
    assert item.stem.startswith("Fièvre, frissons, fatigue")
