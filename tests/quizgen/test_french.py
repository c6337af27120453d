"""Articles, elision, plurals and agreement for item templates (pure)."""

import pytest

from courses.quizgen import french


@pytest.mark.parametrize(
    ("term", "gender", "number", "expected"),
    [
        ("IL-2", "f", "s", "l'IL-2"),
        ("hypotension", "f", "s", "l'hypotension"),
        ("syndrome de lyse tumorale", "m", "s", "le syndrome de lyse tumorale"),
        ("fièvre", "f", "s", "la fièvre"),
        ("cytokines", "f", "p", "les cytokines"),
    ],
)
def test_definite_article_with_elision(term, gender, number, expected):
    assert french.definite(term, gender=gender, number=number) == expected


def test_h_aspire_blocks_elision():
    assert french.definite("hoquet", gender="m", number="s", h_aspire=True) == "le hoquet"
    assert french.of_definite("hoquet", gender="m", number="s", h_aspire=True) == "du hoquet"
    assert french.of_definite("interféron", gender="m", number="s") == "de l'interféron"


def test_plural_of_terms():
    assert french.pluralize("mélanome") == "mélanomes"
    assert french.pluralize("trouble gastro-intestinal") == "troubles gastro-intestinaux"
    assert french.pluralize("syndrome de lyse tumorale") == "syndromes de lyse tumorale"
    assert french.pluralize("lymphocyte T") == "lymphocytes T"
    assert french.pluralize("facteur de nécrose tumorale", head_only=True) == (
        "facteurs de nécrose tumorale"
    )


def test_agreement_and_interrogatives():
    assert french.agree("connu", gender="f", number="s") == "connue"
    assert french.agree("exceptionnel", gender="f", number="p") == "exceptionnelles"
    assert french.agree("appelé", gender="m", number="p") == "appelés"
    assert french.which("m", "s") == "lequel"
    assert french.which("f", "s") == "laquelle"
    assert french.which_adjective("f", "p") == "quelles"


@pytest.mark.parametrize(
    ("word", "gender", "plural", "participle", "lemma", "expected"),
    [
        ("adaptée", "m", False, True, "", "adapté"),
        ("atteint", "f", False, True, "", "atteinte"),
        ("atteinte", "m", False, True, "", "atteint"),
        ("prises", "m", True, True, "", "pris"),
        ("adaptés", "f", True, True, "", "adaptées"),
        ("douloureuse", "m", False, False, "douloureux", "douloureux"),
        ("nombreux", "f", True, False, "", "nombreuses"),
        ("actif", "f", False, False, "", "active"),
        ("chaudes", "m", True, False, "chaud", "chauds"),
        ("rapide", "m", False, False, "rapide", "rapide"),
        ("complète", "m", False, False, "", None),  # no lemma: its masculine is not known
    ],
)
def test_regender(word, gender, plural, participle, lemma, expected):
    assert (
        french.regender(word, gender=gender, plural=plural, participle=participle, lemma=lemma)
        == expected
    )
