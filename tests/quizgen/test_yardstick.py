"""The yardstick: fact lists, what counts as a tested fact, what a reviewer objects to (pure)."""

from __future__ import annotations

from pathlib import Path

import pytest

from courses.quizgen import yardstick

ROOT = Path(__file__).resolve().parents[2]
FACT_LISTS = sorted(
    [
        *(ROOT / "fixtures" / "facts").glob("*.facts.md"),
        *(ROOT / "fixtures" / "extra").glob("*.facts.md"),
        *(ROOT / "fixtures" / "coldstart").glob("*.facts.md"),
    ]
)


def _document(facts: Path) -> Path:
    name = facts.name.removesuffix(".facts.md")
    for folder in (facts.parent, ROOT / "fixtures" / "documents"):
        for suffix in (".txt", ".md"):
            if (folder / f"{name}{suffix}").is_file():
                return folder / f"{name}{suffix}"
    raise AssertionError(f"no document for {facts}")


def test_every_document_of_the_yardstick_has_its_fact_list():
    """Both seeds, both extra texts and at least four cold-start texts are measured."""
    names = {path.name.removesuffix(".facts.md") for path in FACT_LISTS}
    assert {"000_37b82c9f7e6eaa73", "001_6a2320a4508f4a38"} <= names
    assert {"neutropenie_febrile", "toxicites_immunotherapie"} <= names
    assert len(list((ROOT / "fixtures" / "coldstart").glob("*.facts.md"))) >= 4


@pytest.mark.parametrize("facts", FACT_LISTS, ids=lambda path: path.name)
def test_every_answer_of_a_fact_list_occurs_in_its_document(facts):
    """A fact's answers are written exactly as the document writes them; 15 facts at least."""
    text = _document(facts).read_text(encoding="utf-8")
    parsed = yardstick.parse_facts(facts.read_text(encoding="utf-8"))
    assert len(parsed) >= 15
    for fact in parsed:
        for answer in fact.answers:
            assert answer in text, (facts.name, answer)


def test_a_bullet_is_one_fact_and_its_backticks_are_variants():
    facts = yardstick.parse_facts(
        "# Faits\n\n## Sigles\n- `maladie thromboembolique veineuse` | `MTEV` (le sigle)\n"
        "- pas de réponse ici\n* `apixaban`\n"
    )
    assert [fact.answers for fact in facts] == [
        ("maladie thromboembolique veineuse", "MTEV"),
        ("apixaban",),
    ]
    assert facts[0].group == "Sigles"
    assert facts[0].note == "(le sigle)"


def test_a_fact_is_tested_only_by_a_key_that_states_it():
    fact = yardstick.Fact(answers=("injection par cycle", "1 injection"))
    assert yardstick.fact_tested(fact, [yardstick.normal("Une injection par cycle")])
    assert yardstick.fact_tested(fact, [yardstick.normal("L’injection par cycle.")])
    assert not yardstick.fact_tested(fact, [yardstick.normal("injection")])
    assert not yardstick.fact_tested(fact, [yardstick.normal("injections par cycles")])
    number = yardstick.Fact(answers=("1\u00a0000/mm³",))
    assert yardstick.fact_tested(number, [yardstick.normal("1 000/mm³")])
    assert not yardstick.fact_tested(number, [yardstick.normal("10 000/mm³")])


def test_recall_stems_are_the_ones_about_the_text():
    assert yardstick.is_recall("D’après le texte, quel médicament …\u00a0?")
    assert yardstick.is_recall("Lequel de ces symptômes le texte cite-t-il\u00a0?")
    assert yardstick.is_recall("Quel terme complète cette phrase\u00a0? « … »")
    assert not yardstick.is_recall(
        "Lequel de ces médicaments est un anticoagulant oral direct\u00a0?"
    )


def test_what_a_reviewer_objects_to():
    assert not yardstick.option_is_whole_term("douleur de")
    assert not yardstick.option_is_whole_term("et la fièvre")
    assert not yardstick.option_is_whole_term("hypotension (pression")
    assert yardstick.option_is_whole_term("antibiothérapie probabiliste à large spectre")
    assert yardstick.option_is_whole_term("38,3 °C")
    assert yardstick.blank_splits_word("Une tachy_____ apparaît.")
    assert not yardstick.blank_splits_word("Une _____ apparaît.")
    assert yardstick.elision_cue(
        "Le patient reçoit de l'_____ .", ["insuline", "héparine", "morphine", "aspirine"]
    )
    assert not yardstick.elision_cue(
        "Le patient reçoit de l'_____ .", ["insuline", "héparine", "oxycodone", "aspirine"]
    )
    assert yardstick.key_is_title("lymphœdème", ["Le lymphœdème : prévention et rôle infirmier"])
    assert not yardstick.key_is_title("drainage lymphatique", ["Le lymphœdème : prévention"])


def test_a_key_alone_in_its_number_is_seen():
    assert yardstick.key_alone_in_form(["frissons", "toux", "fièvre", "céphalée"], 0)
    assert not yardstick.key_alone_in_form(["frissons", "vomissements", "vertiges", "crampes"], 0)


def test_a_count_is_no_cue_of_number():
    """ "au moins une fois" against "au moins deux fois": the count's number, not a cue."""
    options = [f"au moins {n} fois par semaine" for n in ("une", "deux", "trois", "quatre")]
    assert not yardstick.key_alone_in_form(options, 0)
    options = [f"pendant au moins {n}" for n in ("une heure", "deux heures", "trois heures")]
    assert not yardstick.key_alone_in_form([*options, "pendant au moins quatre heures"], 0)


def test_a_number_in_words_is_its_digits():
    """A fact written "deux à six semaines" is tested by a key "2 à 6 semaines"."""
    assert yardstick.normal("toutes les deux à six semaines") == "toutes les 2 a 6 semaines"
    fact = yardstick.parse_facts("- `toutes les deux à six semaines` (rythme)")[0]
    assert yardstick.fact_tested(fact, [yardstick.normal("toutes les 2 à 6 semaines")])
    assert yardstick.normal("une injection") == "injection"
    assert yardstick.option_form("une fois par semaine") != (None, None)  # "une" is an article too


def test_the_measure_counts_facts_kinds_and_positions():
    lesson = yardstick.MeasuredLesson(
        title="Les anticoagulants",
        text="L'apixaban est un anticoagulant oral direct. " * 10,
        questions=[
            {
                "kind": "classification",
                "stem": "Lequel de ces médicaments est un anticoagulant oral direct\u00a0?",
                "options": ["warfarine", "apixaban", "énoxaparine", "tinzaparine"],
                "answer": 1,
            },
            {
                "kind": "cloze",
                "stem": "Quel terme complète cette phrase\u00a0? « L'_____ est … »",
                "options": ["apixaban", "acénocoumarol", "édoxaban", "argatroban"],
                "answer": 0,
            },
        ],
    )
    facts = [yardstick.Fact(answers=("apixaban",)), yardstick.Fact(answers=("warfarine",))]
    result = yardstick.measure(lessons=[lesson], facts=facts)
    assert result.items == 2
    assert result.words == 70
    assert result.per_100_words == pytest.approx(100 * 2 / 70)
    assert [fact.text for fact in result.tested] == ["apixaban"]
    assert result.facts_share == 0.5
    assert result.non_recall_share == 0.5
    assert result.kinds == {"classification": 1, "cloze": 1}
    assert result.max_position_share == 0.5


def test_a_stem_opening_on_a_pronoun_is_counted():
    from courses.quizgen.yardstick import dangling_pronoun

    assert dangling_pronoun("Il touche quel pourcentage des patientes ?")
    assert dangling_pronoun(
        "Quel terme complète cette phrase du texte ? «\u00a0Cela peut entraîner _____.\u00a0»"
    )
    assert not dangling_pronoun("Il faut surveiller quel examen ?")
    assert not dangling_pronoun("Le lymphœdème touche quel pourcentage des patientes ?")


def test_a_hyphen_between_words_reads_as_a_space():
    from courses.quizgen.yardstick import normal

    assert normal("Facteur de nécrose tumorale-alpha") == normal(
        "facteur de nécrose tumorale alpha"
    )
    assert normal("IL-6") == "il-6"  # inside a code, the hyphen stays


def test_a_leading_article_is_a_word_not_the_start_of_one():
    """ "desquamation", "lénograstim", "dexaméthasone" keep their first letters: a fact inside
    a longer key ("un érythème … avec une desquamation humide en plaques") is found."""
    assert yardstick.normal("desquamation humide") == "desquamation humide"
    assert yardstick.normal("Dexaméthasone") == "dexamethasone"
    assert yardstick.normal("Des desquamations") == "desquamations"
    assert yardstick.normal("L’ulcération") == "ulceration"
    fact = yardstick.Fact(answers=("desquamation humide en plaques",))
    key = yardstick.normal("Un érythème vif avec une desquamation humide en plaques")
    assert yardstick.fact_tested(fact, [key])


def test_a_key_that_begins_the_titles_main_phrase_is_the_title():
    title = "Le lymphœdème du membre supérieur après cancer du sein : prévention et rôle infirmier"
    assert yardstick.key_is_title("Le lymphœdème du membre supérieur", [title])
    assert yardstick.key_is_title("Lymphœdème", [title])
    assert not yardstick.key_is_title("Membre supérieur", [title])
    assert not yardstick.key_is_title("Lymphœdème secondaire", [title])
