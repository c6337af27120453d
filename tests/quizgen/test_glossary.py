"""The glossary: classes, aliases, plurals, and finding terms in French text (pure)."""

from __future__ import annotations

import pytest

from courses.quizgen.glossary import GlossaryError, load_glossary


def mentions(glossary, text: str) -> list[tuple[str, str]]:
    return [(m.surface, m.term.canonical) for m in glossary.find(text)]


def test_longest_term_wins_and_aliases_map_to_their_term(glossary):
    text = (
        "Le syndrome de libération de cytokines, également appelé syndrome de réponse "
        "inflammatoire systémique induite par les cytokines (SRISC), est grave."
    )
    assert mentions(glossary, text) == [
        ("syndrome de libération de cytokines", "syndrome de libération de cytokines"),
        (
            "syndrome de réponse inflammatoire systémique induite par les cytokines",
            "syndrome de libération de cytokines",
        ),
        ("SRISC", "syndrome de libération de cytokines"),
    ]


def test_hyphenated_and_multiword_terms_are_whole(glossary):
    """ "IL-2" is not "IL-20"; "interleukine-2" is not "interleukine"; "cellules T" is one term."""
    found = mentions(
        glossary, "L'IL-2, l’interleukine-20 et les cellules T renforcent les lymphocytes B."
    )
    assert found == [
        ("IL-2", "interleukine-2"),
        ("cellules T", "lymphocytes T"),
        ("lymphocytes B", "lymphocytes B"),
    ]


def test_plurals_and_typographic_apostrophes_are_found(glossary):
    found = mentions(glossary, "des frissons, des myalgies et une défaillance d’organes")
    assert found == [
        ("frissons", "frissons"),
        ("myalgies", "douleurs musculaires"),
        ("défaillance d’organes", "défaillance d'organes"),
    ]
    plural = glossary.find("les mélanomes et les leucémies")
    assert [m.plural for m in plural] == [True, True]


def test_abbreviations_match_their_case_only(glossary):
    """ "SAM" (syndrome d'activation macrophagique) is an abbreviation, "sam" is not."""
    assert mentions(glossary, "Un SAM peut compliquer l'évolution.") == [
        ("SAM", "syndrome d'activation macrophagique")
    ]
    assert mentions(glossary, "sam et src en minuscules") == []


def test_names_include_aliases_and_related_terms(glossary):
    il2 = glossary.term("interleukine-2")
    names = glossary.names(il2)
    assert {"il-2", "interleukine-2", "aldesleukine"} <= names
    assert glossary.term("IL-2") is il2


def test_a_term_defined_twice_is_refused(tmp_path):
    path = tmp_path / "g.yaml"
    path.write_text(
        "classes:\n  a: {singular: a, plural: as, terms: [x]}\n"
        "  b: {singular: b, plural: bs, terms: [x]}\n",
        encoding="utf-8",
    )
    with pytest.raises(GlossaryError, match="defined twice"):
        load_glossary(str(path))


def test_a_fact_about_an_unknown_term_is_refused(tmp_path):
    path = tmp_path / "g.yaml"
    path.write_text(
        "classes:\n  a: {singular: a, plural: as, terms: [x]}\nfacts:\n  - [x, is, y]\n",
        encoding="utf-8",
    )
    with pytest.raises(GlossaryError, match="unknown term"):
        load_glossary(str(path))


def test_a_feminine_and_a_plural_name_the_same_thing():
    """ "une infirmière libérale" is never a wrong answer against "un infirmier": the words
    are compared in the singular and the masculine."""
    from courses.quizgen.glossary import _contains_words, _same_word

    assert _contains_words("infirmieres liberales", "infirmier")
    assert _same_word("chirurgienne", "chirurgien")
    assert not _contains_words("infirmiere liberale", "medecin")
