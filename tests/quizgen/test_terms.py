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
    """ "MVC" is an alias of the phrase it stands for, not a term of its own. (The phrase is
    the title's topic: a term like any other, that generation never makes a key.)"""
    terms = _by_name(found)
    assert "MVC" not in terms
    assert "MVC" in terms["maladie veineuse chronique"].aliases


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


def _phrases(text: str) -> dict[str, str]:
    """The phrases the text writes, surface -> number."""
    from courses.quizgen.terms import phrases

    return {phrase.surface: phrase.number for phrase in phrases(nlp.parse(text), text)}


@pytest.mark.parametrize(
    ("text", "present", "absent"),
    [
        # A hyphenated word is one word.
        ("L’IDE vérifie que le bilan bucco-dentaire a été réalisé.", {"bilan bucco-dentaire"},
         {"bilan bucco"}),
        # Verbs and adjectives the tagger reads as nouns.
        ("Le dénosumab s'injecte par voie sous-cutanée.", {"voie sous-cutanée"}, {"injecte"}),
        ("C'est une complication rare mais invalidante des médicaments.", {"complication rare"},
         {"invalidante des médicaments", "invalidante"}),
        ("Les effets secondaires courants du traitement sont connus.", set(),
         {"courants du traitement", "courants"}),
        # A verb's complement with a possessive is not the noun's.
        ("Le patient informe son dentiste de son traitement.", {"dentiste"},
         {"dentiste de son traitement"}),
        # A predicate noun after "sont" is a phrase; an adjective before it belongs to it.
        ("Les signes d’alerte sont notamment une douleur de la mâchoire, une mauvaise haleine.",
         {"douleur de la mâchoire", "mauvaise haleine"}, set()),
        # "principal", "autres" rank, they do not name a kind.
        ("Le principal facteur est l’extraction dentaire.", {"extraction dentaire"},
         {"principal facteur"}),
        # Locutions are no terms; a bare participle after the noun belongs to it.
        ("Le signe de Stemmer est en faveur du lymphœdème.", {"signe de Stemmer"},
         {"faveur du lymphœdème", "faveur"}),
        ("L'activité physique est au contraire encouragée.", {"activité physique"},
         {"contraire encouragée", "contraire"}),
        ("Le bras du côté opéré est signalé.", {"bras du côté opéré"}, {"bras du côté"}),
        # A unit is no complement.
        ("On mesure l’albuminémie en g/l.", {"albuminémie"}, {"albuminémie en g"}),
        # "de référence" ranks the exam, it names no kind of one.
        ("L'IRM est l'examen de référence.", set(), {"examen de référence"}),
        # A noun compared with itself is no complement.
        ("Le patient préfère le rasoir électrique au rasoir mécanique.", {"rasoir électrique"},
         {"rasoir électrique au rasoir mécanique"}),
        # An adjective shared by two nouns stays out of each.
        ("Elle nécessite une surveillance et une gestion attentives.", {"gestion"},
         {"gestion attentives"}),
    ],
)  # fmt: skip
def test_noun_phrases_are_whole_terms(text, present, absent):
    found = _phrases(text)
    assert present <= set(found), found
    assert not absent & set(found), found


def test_a_plural_ending_is_plural_whatever_the_tagger_says():
    from courses.quizgen.terms import _plural_ending

    assert all(_plural_ending(w) for w in ("inhibiteurs", "signes", "taux"))
    assert not any(_plural_ending(w) for w in ("virus", "pancréas", "abcès", "pouls", "corps"))
    found = _phrases("Ils sont également appelés inhibiteurs de la résorption osseuse.")
    assert found.get("inhibiteurs de la résorption osseuse") == "p", found


def test_markdown_emphasis_is_not_read_as_words():
    found = _phrases("La prévention commence : un **bilan bucco-dentaire**, avec examen clinique.")
    assert "bilan bucco-dentaire" in found
    assert not [surface for surface in found if "*" in surface]


def _course(text: str):
    glossary = load_glossary(str(ROOT / "fixtures" / "glossary" / "oncologie.yaml"))
    terms = course_terms(
        [(nlp.parse(text), text)],
        glossary=glossary,
        terminology=load_terminology(str(TABLES)),
        types=load_types(str(TABLES / "types.yaml")),
    )
    return glossary.extended(terms.terms, terms.classes), terms


def test_the_classes_the_glossary_lacks_get_the_heads_types_yaml_lists_as_wrong_answers():
    extended, _terms = _course("Un bilan bucco-dentaire est réalisé par le chirurgien-dentiste.")
    exams = {t.canonical: t for t in extended.classes["exam"].terms}
    assert exams["bilan bucco-dentaire"].origin == "text"
    assert exams["échographie"].origin == "types"
    assert exams["échographie"].gender == "f"
    assert exams["scanner"].gender == "m"
    # Heads that name nothing alone are no wrong answers: "bilan", "examen".
    assert not {"bilan", "examen", "dosage"} & set(exams)
    professionals = {t.canonical for t in extended.classes["professional"].terms}
    assert {"kinésithérapeute", "radiothérapeute"} <= professionals
    # "médecin", "infirmier": whoever the text names, they may be right too: never options.
    assert not {"médecin", "infirmier", "soignant"} & professionals
    # A kind with nothing of its own ("syndrome", "complication") says nothing as an answer.
    conditions = {t.canonical for t in extended.classes["condition"].terms}
    assert {"embolie", "fracture"} <= conditions
    assert not {"syndrome", "maladie", "complication", "lésion", "toxicité"} & conditions


def test_a_head_offered_as_a_wrong_answer_is_no_term_where_the_text_writes_it():
    """ "au cœur du rôle infirmier": "cœur" (a body part in types.yaml) is no mention."""
    extended, _terms = _course(
        "La mesure des périmètres est au cœur du rôle infirmier. Le médecin prescrit."
    )
    found = {m.surface for m in extended.find("La mesure est au cœur du rôle infirmier.")}
    assert "cœur" not in found
    assert "médecin" not in {m.surface for m in extended.find("Le médecin prescrit.")}


def test_a_notion_that_sends_to_a_typed_term_gives_way_to_it():
    text = "Une admission en unité de soins intensifs peut être nécessaire."
    extended, terms = _course(text)
    names = {term.canonical for term in terms.terms}
    assert "admission en unité de soins intensifs" not in names
    found = {m.surface: m.term.cls for m in extended.find(text)}
    assert found.get("unité de soins intensifs") == "care_setting", found


def test_a_qualifier_after_a_bare_de_is_no_term():
    """ "de bas poids moléculaire" qualifies the heparins; "à base de trolamine" names what
    the emulsion is made of."""
    _extended, terms = _course(
        "Les héparines de bas poids moléculaire s'injectent. Une émulsion à base de trolamine "
        "est prescrite."
    )
    names = {term.canonical: term.cls for term in terms.terms if term.origin == "text"}
    assert "bas poids moléculaire" not in names
    assert "trolamine" in names, names


def test_a_kind_named_by_an_adjective_is_a_term_a_grading_one_is_not():
    _extended, terms = _course(
        "Le risque est élevé en cas de cancer métastatique. Une complication grave survient."
    )
    names = {term.canonical: term.cls for term in terms.terms if term.origin == "text"}
    assert names.get("cancer métastatique") == "condition", names
    assert "complication grave" not in names


def test_a_general_sign_the_text_writes_is_a_sign_of_the_text():
    """ "fourmillements, engourdissement et niveau sensitif": a sign of the types' reserve, when
    the text writes it, is typed a sign (its blank gets signs as wrong answers, not notions)."""
    _extended, terms = _course(
        "Les troubles sensitifs associent fourmillements, engourdissement et niveau sensitif. "
        "Un vertige ou une sécheresse buccale doivent être signalés."
    )
    typed = {t.canonical: t.cls for t in terms.terms}
    assert typed["engourdissement"] == "symptom"
    assert typed["vertige"] == "symptom"
    assert typed["sécheresse buccale"] == "symptom"


def test_scores_and_scales_are_assessment_tools_with_tools_as_wrong_answers():
    """ "le score de Khorana" is an assessment tool, not a device: its wrong answers are other
    scores and scales of practice (feminine "échelle de Braden" read so), never a syringe."""
    extended, terms = _course("Le score de Khorana aide à repérer les patients à haut risque.")
    typed = {t.canonical: t for t in terms.terms}
    assert typed["score de Khorana"].cls == "tool"
    tools = {t.canonical: t for t in extended.classes["tool"].terms}
    assert {"échelle de Braden", "score de Glasgow"} <= set(tools)
    assert tools["échelle de Braden"].gender == "f"
    assert "seringue" not in tools


def test_a_terms_article_says_its_gender_whatever_the_tagger_reads():
    """ "la technique du ganglion sentinelle": the tagger calls "ganglion" feminine after its
    adjective; "du" says masculine, so its option reads "le ganglion sentinelle"."""
    _extended, terms = _course(
        "Le risque est moindre après la technique du ganglion sentinelle. Le ganglion "
        "sentinelle est analysé."
    )
    typed = {t.canonical: t for t in terms.terms}
    assert typed["ganglion sentinelle"].gender == "m"
