"""Splitting a document without headings into lessons, and titling them (pure: no database)."""

from __future__ import annotations

import pytest

from courses.ingest.segmentation import part_count, split_by_topic, title_from_paragraph, words
from courses.textnorm import match_key
from tests.conftest import SEED_000

FUNCTION_WORDS = {
    "a", "au", "aux", "avec", "dans", "de", "des", "du", "en", "et", "l", "la", "le", "les", "d",
    "par", "pour", "qui", "que", "qu", "un", "une", "sur", "sous", "ou", "son", "sa", "ses",
    "leur", "leurs", "ce", "cette", "ces", "comme",
}  # fmt: skip

CYTOKINES = [
    "Les cytokines sont des protéines du système immunitaire. Les cytokines régulent "
    "l'inflammation et la réponse immunitaire des cellules.",
    "Certaines cytokines, comme l'interleukine-6, amplifient l'inflammation. Une libération "
    "excessive de cytokines provoque une réponse immunitaire disproportionnée.",
]
HYGIENE = [
    "L'hygiène des mains repose sur la friction hydro-alcoolique. La friction des mains dure "
    "trente secondes et couvre les ongles et les poignets.",
    "Le lavage des mains au savon doux précède la friction lorsque les mains sont souillées. "
    "L'hygiène des mains limite les infections nosocomiales.",
]


def paragraphs_000() -> list[str]:
    """The body paragraphs of document 000: without its title and its "Catégories" line."""
    blocks = [block.strip() for block in SEED_000.read_text(encoding="utf-8").split("\n\n")]
    assert blocks[-1] == "Catégories"
    return blocks[1:-1]


def test_fixture_000_has_five_paragraphs_of_333_words():
    """The input of the tests below, checked so that they cannot pass on an empty list."""
    paragraphs = paragraphs_000()

    assert len(paragraphs) == 5
    assert sum(len(words(paragraph)) for paragraph in paragraphs) == 333


def test_fixture_000_splits_into_two_or_three_parts():
    """About 330 words without headings make two or three lessons, not one and not five."""
    parts = split_by_topic(paragraphs_000())

    assert 2 <= len(parts) <= 3
    assert len(parts) == part_count(paragraphs_000()) == 2


def test_fixture_000_split_keeps_every_paragraph_once_in_order():
    """The parts are consecutive runs: concatenated, they are the paragraphs, once each."""
    paragraphs = paragraphs_000()

    parts = split_by_topic(paragraphs)

    assert [paragraph for part in parts for paragraph in part] == paragraphs
    assert all(part for part in parts)


def test_fixture_000_split_is_at_the_treatment_paragraph():
    """The cut falls where the text turns from what the syndrome is to how it is treated."""
    parts = split_by_topic(paragraphs_000())

    assert [len(part) for part in parts] == [3, 2]
    assert parts[1][0].startswith("Le traitement du syndrome de libération de cytokines")


def test_split_is_deterministic():
    """The same paragraphs always give the same parts."""
    paragraphs = paragraphs_000()

    results = {tuple(tuple(part) for part in split_by_topic(list(paragraphs))) for _ in range(5)}

    assert len(results) == 1


@pytest.mark.parametrize("parts", [2, 3])
def test_requested_part_count_is_honoured_with_consecutive_parts(parts):
    """Asked for two or three parts, the split gives that many non-empty consecutive runs."""
    paragraphs = paragraphs_000()

    result = split_by_topic(paragraphs, parts=parts)

    assert len(result) == parts
    assert all(result)
    assert [paragraph for part in result for paragraph in part] == paragraphs


def test_split_cuts_where_the_vocabulary_changes():
    """Two paragraphs on cytokines then two on hand hygiene are cut between the topics."""
    assert split_by_topic(CYTOKINES + HYGIENE) == [CYTOKINES, HYGIENE]
    assert split_by_topic(HYGIENE + CYTOKINES) == [HYGIENE, CYTOKINES]


def test_single_paragraph_is_not_split():
    """One paragraph cannot make two lessons."""
    assert split_by_topic([CYTOKINES[0]]) == [[CYTOKINES[0]]]


def test_part_count_is_two_or_three():
    """Short texts still make two lessons; long ones at most three."""
    short = ["Un paragraphe court.", "Un autre paragraphe court."]
    long = [" ".join(["mot"] * 200)] * 6

    assert part_count(short) == 2
    assert part_count(long) == 3


# --- Titles -------------------------------------------------------------------------------------


def test_fixture_000_part_titles():
    """Each part is titled from its first paragraph's first sentence."""
    titles = [title_from_paragraph(part[0]) for part in split_by_topic(paragraphs_000())]

    assert titles == [
        "Le syndrome de libération de cytokines",
        "Le traitement du syndrome de libération de cytokines",
    ]


def test_titles_of_fixture_paragraphs_are_short_phrases_from_the_first_sentence():
    """Every paragraph's title: at most 8 words, taken in order from its first sentence."""
    for paragraph in paragraphs_000():
        title = title_from_paragraph(paragraph)
        first_sentence = match_key(paragraph.split(". ")[0])

        assert 2 <= len(title.split()) <= 8
        assert match_key(title) in first_sentence
        assert match_key(title.split()[-1]) not in FUNCTION_WORDS
        assert not title.endswith((".", ",", ":", "?", "!"))
        assert title[0].isupper()


def test_title_drops_the_lead_in():
    """ "Il est important de noter que" says nothing about the topic and is dropped."""
    paragraph = (
        "Il est important de noter que le syndrome de libération de cytokines est relativement "
        "rare, mais qu'il peut être très dangereux lorsqu'il se produit."
    )

    assert title_from_paragraph(paragraph) == "Le syndrome de libération de cytokines"


def test_title_drops_a_connective_and_capitalises():
    """ "Cependant, les effets…" is titled "Les effets…"."""
    paragraph = (
        "Cependant, les effets secondaires de la thérapie par cytokines peuvent être graves et "
        "nécessitent une surveillance étroite."
    )

    assert title_from_paragraph(paragraph) == "Les effets secondaires de la thérapie par cytokines"


def test_title_stops_at_a_comma_or_a_parenthesis():
    """The phrase ends at the first comma, parenthesis or colon."""
    assert title_from_paragraph("Les cytokines (protéines de signalisation) agissent.") == (
        "Les cytokines"
    )
    assert title_from_paragraph("La douleur aiguë, signal d’alarme, est évaluée.") == (
        "La douleur aiguë"
    )


def test_long_title_is_cut_without_a_dangling_function_word():
    """A phrase cut to eight words does not end on "de", "la", "et", "par"…"""
    paragraph = (
        "La surveillance de la température et de la fréquence cardiaque pendant la perfusion "
        "permet de détecter une réaction."
    )

    title = title_from_paragraph(paragraph)

    assert title == "La surveillance de la température"
    assert len(title.split()) <= 8


def test_title_uses_only_the_first_sentence():
    """A short first sentence is the whole title; the second sentence is not used."""
    paragraph = "Les antalgiques soulagent. Ils sont prescrits selon la douleur évaluée."

    assert title_from_paragraph(paragraph) == "Les antalgiques soulagent"


def test_title_ignores_markdown_emphasis():
    """Emphasis marks are not part of a title."""
    assert title_from_paragraph("**Les antalgiques** soulagent la douleur.") == (
        "Les antalgiques soulagent la douleur"
    )
