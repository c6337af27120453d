"""Terms from the document itself: what the glossary has never seen still gets a class."""

from __future__ import annotations

from pathlib import Path

import pytest

from courses.quizgen import LessonText, generate, load_glossary, nlp
from courses.quizgen.terminology import load_terminology
from courses.quizgen.terms import course_terms, load_types

ROOT = Path(__file__).resolve().parents[2]
TABLES = ROOT / "fixtures" / "terminology"
TEXT = (
    "La maladie veineuse chronique (MVC) touche surtout les membres inférieurs. Le lénograstim "
    "et le filgrastim sont prescrits après la cure. Une dyspnée et une douleur du mollet doivent "
    "alerter. La clairance de la créatinine inférieure à 30 mL/min impose un avis médical. "
    "Le rôle de l’infirmière est essentiel : elle mesure la circonférence du mollet."
)


@pytest.fixture(scope="module")
def found():
    glossary = load_glossary(str(ROOT / "fixtures" / "glossary" / "oncologie.yaml"))
    return course_terms(
        [(nlp.parse(TEXT), TEXT)],
        glossary=glossary,
        terminology=load_terminology(str(TABLES)),
        types=load_types(str(TABLES / "types.yaml")),
        titles=["La maladie veineuse chronique : le rôle infirmier"],
    )


def _by_name(found):
    return {term.canonical: term for term in found.terms}


def test_a_drug_the_glossary_lacks_is_typed_by_its_atc_code(found):
    terms = _by_name(found)
    assert terms["lénograstim"].cls == "drug"
    assert terms["lénograstim"].code == "L03AA10"
    assert terms["lénograstim"].origin == "text"


def test_a_drugs_atc_siblings_come_as_wrong_answers_only(found):
    """The table's pegfilgrastim joins the course, marked as no phrase of the text."""
    sibling = _by_name(found)["pegfilgrastim"]
    assert sibling.origin == "terminology"
    assert sibling.code.startswith("L03AA")


def test_signs_and_body_parts_are_typed(found):
    terms = _by_name(found)
    assert terms["douleur du mollet"].cls == "symptom"
    assert terms["mollet"].cls == "anatomy"
    assert terms["clairance de la créatinine"].cls == "exam"


def test_an_abbreviation_is_its_expansions_alias(found):
    """ "MVC" is an alias of the phrase it stands for, not a term of its own; the phrase is the
    title's topic, so it is kept out too."""
    terms = _by_name(found)
    assert "MVC" not in terms
    assert "maladie veineuse chronique" not in terms


def test_units_and_generic_heads_are_no_terms(found):
    terms = _by_name(found)
    assert "mL" not in terms
    assert "rôle" not in terms
    assert not [name for name in terms if name.startswith("rôle ")]


def test_generation_with_the_tables_asks_about_terms_no_glossary_lists():
    glossary = load_glossary(str(ROOT / "fixtures" / "glossary" / "oncologie.yaml"))
    quizzes = generate(
        [LessonText(key="1", title="Facteurs de croissance", text=TEXT * 2)],
        glossary=glossary,
        terminology=load_terminology(str(TABLES)),
        types=load_types(str(TABLES / "types.yaml")),
    )
    keys = {item.options[item.answer] for quiz in quizzes for item in quiz.kept}
    assert keys & {"lénograstim", "filgrastim", "30 mL/min"}
