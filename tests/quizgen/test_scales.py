"""Grading scales the text states: what each grade means, and which grade a sign is."""

from __future__ import annotations

from .conftest import lesson_quiz

NBSP = "\u00a0"
RTOG = (
    "La radiodermite apparaît vers la deuxième semaine. La gravité est évaluée selon "
    "l’échelle RTOG, qui comporte quatre grades : le grade 1 correspond à un érythème léger "
    "ou à une desquamation sèche ; le grade 2 à une desquamation humide en plaques, souvent "
    "limitée aux plis ; le grade 3 à une desquamation humide confluente, qui s'étend en dehors "
    "des plis ; le grade 4 à une ulcération, une hémorragie ou une nécrose de la peau. "
    "Au grade 1, l’hydratation est poursuivie."
)


def scale_items(text: str, glossary, title: str = "La radiodermite"):
    quiz = lesson_quiz(text, glossary, title=title)
    return [item for item in quiz.kept if item.kind == "scale"]


def key(item) -> str:
    return item.options[item.answer]


def test_each_grade_is_asked_against_the_other_grades_meanings(glossary):
    items = scale_items(RTOG, glossary)
    meaning = {i.stem: i for i in items if i.variant == "meaning"}
    item = meaning[f"Selon l’échelle RTOG, à quoi correspond le grade 3{NBSP}?"]
    assert key(item) == "Une desquamation humide confluente"
    # The scale's order; "ou à une" read as "ou une"; the comment after a comma left out.
    assert item.options == (
        "Un érythème léger ou une desquamation sèche",
        "Une desquamation humide en plaques",
        "Une desquamation humide confluente",
        "Une ulcération, une hémorragie ou une nécrose de la peau",
    )
    assert len(meaning) == 4
    assert {key(i) for i in meaning.values()} == set(item.options)


def test_a_sign_is_asked_for_its_grade_and_one_sentence_is_one_family(glossary):
    items = scale_items(RTOG, glossary)
    grade = {i.stem: i for i in items if i.variant == "grade"}
    item = grade[
        f"Selon l’échelle RTOG, à quel grade correspond une desquamation humide confluente{NBSP}?"
    ]
    assert item.options == ("Grade 1", "Grade 2", "Grade 3", "Grade 4")
    assert key(item) == "Grade 3"
    assert len({i.family for i in items}) == 1
    # "Au grade 1, l’hydratation est poursuivie" states no scale.
    assert not [i for i in items if "hydratation" in i.source.sentence]


def test_a_short_scale_applied_to_a_sign_names_the_scale_from_the_sentence_before(glossary):
    text = (
        "La gravité est évaluée selon la classification CTCAE. Pour la diarrhée, par exemple, "
        "le grade 1 correspond à moins de 4 selles par jour, le grade 2 à 4 à 6 selles et le "
        "grade 3 à 7 selles ou plus."
    )
    items = scale_items(text, glossary, title="Les toxicités")
    stems = {i.stem: i for i in items}
    item = stems[
        "Pour la diarrhée, selon la classification CTCAE, à quel grade correspond "
        f"4 à 6 selles{NBSP}?"
    ]
    assert key(item) == "Grade 2"
    # Three grades are too few for "what does grade 2 mean" with four options.
    assert {i.variant for i in items} == {"grade"}


def test_a_sentence_that_only_mentions_grades_is_no_scale(glossary):
    text = (
        "Aux grades 3 et 4, le traitement est suspendu. Un grade 4 conduit à l’arrêt définitif. "
        "Le stade 2 et le stade 3 sont décrits plus loin."
    )
    assert scale_items(text, glossary) == []
