"""The terminology tables: drugs by ATC class, signs by CIM-10 chapter, French INN spelling."""

from __future__ import annotations

from pathlib import Path

import pytest

from courses.quizgen.terminology import inn_spelling, load_terminology, stem_class

TABLES = Path(__file__).resolve().parents[2] / "fixtures" / "terminology"


@pytest.fixture(scope="module")
def terminology():
    return load_terminology(str(TABLES))


def test_growth_factors_are_siblings_at_the_fourth_atc_level(terminology):
    """filgrastim, lénograstim and pegfilgrastim share L03AA: each other's natural wrong answers."""
    filgrastim = terminology.drug("filgrastim")
    assert filgrastim.atc == "L03AA02"
    siblings = {drug.spelling for drug in terminology.siblings(filgrastim)}
    assert {"lénograstim", "pegfilgrastim"} <= siblings
    assert "filgrastim" not in siblings


def test_anticoagulant_classes_are_apart_at_the_fourth_level(terminology):
    apixaban, warfarine, enoxaparine = (
        terminology.drug(name) for name in ("apixaban", "warfarine", "énoxaparine")
    )
    assert apixaban.group == "B01AF"
    assert warfarine.group == "B01AA"
    assert enoxaparine.group == "B01AB"
    assert warfarine in terminology.cousins(apixaban)


def test_a_sign_is_typed_by_cim10_chapter_r(terminology):
    dyspnee = terminology.condition("Dyspnée")
    assert dyspnee.is_sign
    assert dyspnee.code.startswith("R06")
    embolie = terminology.condition("embolie pulmonaire")
    assert not embolie.is_sign
    assert embolie.category == "I26"
    # Labels written "oe" match the ligature.
    assert terminology.condition("lymphœdème").code == "I890"


def test_residual_categories_are_no_terms(terminology):
    labels = [condition.label for condition in terminology.conditions.values()]
    assert not [label for label in labels if label.lower().startswith("autres")]
    assert not [label for label in labels if "sans précision" in label]


def test_a_drug_no_table_lists_is_classed_by_its_inn_stem():
    assert stem_class("cémiplimab") == ("stem:mab", "anticorps monoclonal")
    assert stem_class("abémaciclib")[0] == "stem:ciclib"
    assert stem_class("édoxaban")[0] == "stem:xaban"
    assert stem_class("fièvre") is None


@pytest.mark.parametrize(
    ("table", "french"),
    [
        ("cefepime", "céfépime"),
        ("methylprednisolone", "méthylprednisolone"),
        ("dexamethasone", "dexaméthasone"),
        ("pegfilgrastim", "pegfilgrastim"),
        ("enoxaparine", "énoxaparine"),
        ("aldesleukine", "aldesleukine"),
        ("tamoxifene", "tamoxifène"),
        ("ceftriaxone", "ceftriaxone"),
        ("acide zoledronique", "acide zolédronique"),
        ("pembrolizumab", "pembrolizumab"),
        ("bevacizumab", "bévacizumab"),
        ("ondansetron", "ondansétron"),
    ],
)
def test_inn_spelling_restores_the_french_accents(table, french):
    assert inn_spelling(table) == french


def test_a_roman_numeral_or_a_letter_after_an_inn_keeps_its_capital():
    assert inn_spelling("antithrombine iii") == "antithrombine III"
    assert inn_spelling("facteur viii") == "facteur VIII"
    assert inn_spelling("acide zoledronique") == "acide zolédronique"


def test_a_salt_is_found_by_its_acid():
    """ "pamidronate" is the INN "acide pamidronique" (M05BA03), a sibling of acide
    zolédronique."""
    tables = load_terminology(str(TABLES))
    assert tables.drug("pamidronate").atc == "M05BA03"
    assert tables.drug("alendronate").atc == "M05BA04"


def test_a_salt_is_named_and_found_in_the_french_order():
    """The table's "sodium chlorure" is "chlorure de sodium" as an option, and the text's
    "chlorure de sodium" finds it (B05XA03), its siblings "chlorure de potassium" …"""
    tables = load_terminology(str(TABLES))
    drug = tables.drug("chlorure de sodium")
    assert drug is not None
    assert drug.atc == "B05XA03"
    assert drug.spelling == "chlorure de sodium"
    assert tables.drug("bromure d'ipratropium").spelling == "bromure d'ipratropium"
    assert "chlorure de potassium" in {d.spelling for d in tables.siblings(drug)}
    assert tables.drug("sodium tetradecyl sulfate").spelling == "sodium tétradécyl sulfate"
