"""Stems that stand alone: an opening pronoun or demonstrative says what it points to."""

from __future__ import annotations

import re

from courses.quizgen import LessonText

from .conftest import generate_course, lesson_quiz

NBSP = "\u00a0"


def quiz_of(text: str, glossary, title: str = "Les médicaments de l'os"):
    quiz = lesson_quiz(text, glossary, title=title)
    return quiz


def stems(quiz) -> list[str]:
    return [item.stem for item in quiz.kept]


def asked(quiz, words: str) -> list[str]:
    """The kept stems holding ``words``; at least one."""
    found = [s for s in stems(quiz) if words in s]
    assert found, stems(quiz)
    return found


def dropped_for(quiz, code: str) -> list[str]:
    return [d.item.stem for d in quiz.dropped if code in {f.code for f in d.flaws}]


def test_a_subject_pronoun_takes_the_previous_subject(glossary):
    quiz = quiz_of(
        "Le dénosumab est un anticorps monoclonal utilisé en cancérologie. "
        "Il s’injecte par voie sous-cutanée toutes les 4 semaines, à la dose de 120 mg.",
        glossary,
    )
    found = asked(quiz, "voie sous-cutanée")
    assert all(s.startswith("Le dénosumab s’injecte") for s in found), found
    assert not any(s.startswith("Il ") for s in stems(quiz))


def test_a_pronoun_chain_goes_back_to_the_named_subject(glossary):
    quiz = quiz_of(
        "Le lymphœdème est une accumulation de lymphe dans les tissus. "
        "Après un cancer du sein, il est surtout provoqué par le curage axillaire. "
        "Il touche environ 20 % des patientes après un curage axillaire.",
        glossary,
    )
    found = asked(quiz, "des patientes")
    assert all(s.startswith("Le lymphœdème touche") for s in found), found


def test_a_demonstrative_brings_the_previous_sentence(glossary):
    quiz = quiz_of(
        "Les bisphosphonates sont perfusés en hôpital de jour. "
        "Leur effet apparaît en 48 à 72 heures et leur dose est adaptée à la fonction rénale.",
        glossary,
    )
    for stem in asked(quiz, "Leur effet"):
        assert stem.index("Les bisphosphonates sont perfusés") < stem.index("Leur effet")


def test_an_impersonal_il_is_left_as_it_is(glossary):
    quiz = quiz_of(
        "Le patient reçoit une anticoagulation. "
        "Il faut surveiller la numération plaquettaire deux fois par semaine pendant un mois.",
        glossary,
    )
    assert any(s.startswith("Il faut surveiller") for s in asked(quiz, "Il faut surveiller"))


def test_a_pronoun_with_nothing_before_it_is_not_asked(glossary):
    """First sentence of a lesson: nothing to point back to, so no stem opens on it."""
    quiz = quiz_of(
        "Elle touche jusqu’à 5 % des patients atteints de cancer. "
        "La douleur rachidienne est le premier signe dans plus de 90 % des cas.",
        glossary,
    )
    assert not any(s.startswith(("Elle ", f"«{NBSP}Elle")) for s in stems(quiz))
    assert dropped_for(quiz, "dangling_anaphor")
    assert any("plus de 90 %" in item.options[item.answer] for item in quiz.kept)


def test_what_a_document_says_of_itself_is_never_asked(glossary):
    """ "Cet article présente …" is about the document, not the patient: not a stem."""
    quiz = quiz_of(
        "La calcémie est surveillée chaque semaine. Cet article présente les seuils : une "
        "calcémie supérieure à 2,60 mmol/l impose un bilan en urgence.",
        glossary,
        title="L'hypercalcémie",
    )
    assert not any("Cet article" in s for s in stems(quiz))
    assert any("Cet article" in s for s in dropped_for(quiz, "dangling_anaphor"))


def test_an_in_situ_question_never_leaves_an_adjective_of_its_term_behind(glossary):
    """ "quel médicament non fractionnée", "quel traitement ou pelvienne" (the cold-start text
    on thrombosis asked both): the question word would stand inside a phrase."""
    from .conftest import ROOT, lessons_of

    text = ROOT / "fixtures" / "coldstart" / "thrombose_anticoagulants.txt"
    quizzes = generate_course(lessons_of([text]), glossary)
    asked = [item.stem for quiz in quizzes for item in quiz.kept]
    assert asked
    for stem in asked:
        assert not re.search(r"quel \w+ (?:non fractionnée|ou pelvienne)", stem), stem


def test_the_texts_own_questions_and_their_answers_give_no_stem(glossary):
    """ "Pourquoi le risque est-il plus élevé en oncologie ? Parce que ces doses …": the
    question asks, the answer leans on it; neither stands alone in a stem."""
    from .conftest import ROOT, generate_course, lessons_of

    path = ROOT / "fixtures" / "coldstart" / "osteonecrose_machoire.md"
    quizzes = generate_course(lessons_of([path]), glossary)
    kept = [item for quiz in quizzes for item in quiz.kept]
    dropped = [entry for quiz in quizzes for entry in quiz.dropped]
    assert kept
    assert not [i for i in kept if i.source.sentence.startswith(("Pourquoi", "Parce que"))]
    assert [
        entry
        for entry in dropped
        if entry.item.source.sentence.startswith(("Pourquoi", "Parce que"))
        and entry.flaws[0].code == "dangling_anaphor"
    ]


def test_a_pronoun_after_the_opening_phrase_is_resolved(glossary):
    """ "Après la cure, elle se manifeste …": "elle" is the sentence before's subject."""

    text = (
        "Le patient reçoit une chimiothérapie par cycles. La neutropénie fébrile est une "
        "complication grave de la chimiothérapie. Après la cure, elle se manifeste par une "
        "fièvre, des frissons et une tachycardie. L’infirmier surveille la pression artérielle. "
        "Le médecin prescrit une antibiothérapie probabiliste. La patiente boit deux litres par "
        "jour."
    )
    quiz = lesson_quiz(text, glossary, title="Les soins")
    third = [i for i in quiz.kept if i.source.sentence.startswith("Après")]
    assert third
    for item in third:
        assert ", elle " not in item.stem
    assert any(", la neutropénie fébrile se manifeste" in item.stem for item in third)


def test_c_est_brings_the_previous_sentence(glossary):
    """ "C'est une urgence : …" says what it is of the sentence before."""
    quiz = quiz_of(
        "Un bras rouge, chaud et douloureux, avec de la fièvre, doit faire évoquer un érysipèle. "
        "C’est une urgence : le médecin prescrit une antibiothérapie, le plus souvent par "
        "amoxicilline, pendant 10 jours.",
        glossary,
        title="Le lymphœdème",
    )
    for stem in asked(quiz, "C’est une urgence"):
        assert stem.index("doit faire évoquer") < stem.index("C’est une urgence")


def test_a_clitic_y_makes_no_stem(glossary):
    """ "Le bras du côté opéré y est aussi signalé": "y" points to a place another sentence
    names; "il y a" and "y compris" are no pronoun."""
    from .test_generators import FELLOWS

    text = (
        "Le dossier de soins mentionne le curage axillaire. La chimiothérapie y est aussi "
        "notée, avec la date de la dernière perfusion et le nom du médicament. "
        "Il y a un risque d'érysipèle pendant 10 jours après une plaie."
    )
    quiz, _ = generate_course(
        [LessonText(key="t", title="Lymphœdème", text=text), FELLOWS], glossary
    )
    assert not [s for s in stems(quiz) if " y est aussi" in s]
    assert asked(quiz, "Il y a un risque")
