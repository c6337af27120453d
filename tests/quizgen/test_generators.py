"""Each generator on the fixture documents and on the two extra texts, items written out."""

from __future__ import annotations

import itertools
import re

from courses.quizgen import LessonText, text_flaws
from courses.quizgen.generators import BLANK
from courses.quizgen.items import Item
from courses.quizgen.yardstick import is_recall

from .conftest import find, generate_course, kept, lesson_quiz, sound

NBSP = "\u00a0"


def key(item: Item) -> str:
    return item.options[item.answer]


def wrong(item: Item) -> set[str]:
    return {option for index, option in enumerate(item.options) if index != item.answer}


# --- definition: appositions and copular sentences -------------------------------------------


def test_an_abbreviation_of_the_topic_asks_the_abbreviation_not_the_topic(
    seed_quizzes, course_glossary
):
    """ "…, également appelé … (SRISC)": the syndrome is the document's topic, so no item has it
    as its key (dropped as key_is_topic); "which abbreviation names it" is asked, among the
    course's other abbreviations."""
    dropped = [
        entry
        for quiz in seed_quizzes
        for entry in quiz.dropped
        if entry.item.stem.endswith(f"le sigle SRISC{NBSP}?")
    ]
    assert dropped
    assert all("key_is_topic" in {flaw.code for flaw in entry.flaws} for entry in dropped)
    item = find(seed_quizzes, kind="abbreviation", key="SRISC", variant="sigle")
    assert item.stem == f"Quel sigle désigne le syndrome de libération de cytokines{NBSP}?"
    assert key(item) == "SRISC"
    assert wrong(item) <= {"IL-2", "IL-6", "TNF-alpha", "SRC"}
    srisc = course_glossary.term("SRISC")
    assert srisc.key == course_glossary.term("syndrome de libération de cytokines").key
    assert all(course_glossary.term(name).key != srisc.key for name in wrong(item))


def test_other_name_from_connue_sous_le_nom_de(seed_quizzes):
    """ "L'IL-2, également connue sous le nom d'aldesleukine" -> the other name, a drug."""
    item = find(seed_quizzes, kind="definition", key="aldesleukine")
    assert item.stem == f"Sous quel autre nom l'IL-2 est-elle également connue{NBSP}?"
    assert key(item) == "Aldesleukine"
    assert not wrong(item) & {"IL-2", "Interleukine-2"}
    reverse = find(seed_quizzes, kind="definition", key="interleukine-2", variant="named-by")
    assert reverse.stem == f"Quelle cytokine est également appelée aldesleukine{NBSP}?"
    assert key(reverse) == "Interleukine-2"


def test_copular_definition(seed_quizzes):
    items = [i for i in kept(seed_quizzes) if i.variant == "is-a" and i.key_term == "cytokines"]
    stems = {item.stem for item in items}
    assert (
        "Quelles molécules sont des protéines produites par les cellules du système immunitaire "
        f"en réponse à une infection ou à une inflammation{NBSP}?"
    ) in stems
    for item in items:
        assert key(item) == "Cytokines"
        # Antibodies are also proteins made by immune cells: never offered as wrong.
        assert not wrong(item) & {"Anticorps", "Immunoglobulines", "Chimiokines"}


# --- cited: "which of these does the text cite" ----------------------------------------------

CRS_SYMPTOMS = {
    "Fièvre", "Tachycardie", "Hypotension", "Douleurs musculaires et articulaires", "Maux de tête",
    "Confusion mentale", "Détresse respiratoire", "Défaillance d'organes",
}  # fmt: skip


def test_a_notamment_list_is_asked_as_the_clinical_question(seed_quizzes):
    """ "Cela peut entraîner une variété de symptômes graves, notamment …": the list's
    introduction asked with "quel" in place of its category, after the sentence "Cela" points
    back to."""
    items = [i for i in kept(seed_quizzes) if i.variant == "list" and "symptôme grave" in i.stem]
    assert items
    for item in items:
        assert item.kind == "question"
        assert item.stem.startswith("Lorsque le syndrome de libération de cytokines se produit")
        assert item.stem.endswith(f" Cela peut entraîner quel symptôme grave{NBSP}?")
        assert not is_recall(item.stem)
        assert key(item) in CRS_SYMPTOMS
        # No other symptom of the list, and none the syndrome causes in practice.
        assert not wrong(item) & CRS_SYMPTOMS
        assert not wrong(item) & {"Hypoxie", "Frissons", "Nausées", "Hémorragie"}


def test_cited_drugs_exclude_what_the_list_names(seed_quizzes):
    """ "des médicaments immunosuppresseurs …, tels que" -> no immunosuppressant is wrong."""
    item = find(seed_quizzes, kind="cited", key="corticostéroïdes")
    assert "médicaments immunosuppresseurs" in item.stem
    assert not wrong(item) & {
        "Tocilizumab", "Ciclosporine", "Tacrolimus", "Mycophénolate mofétil", "Méthylprednisolone",
        "Prednisone", "Dexaméthasone", "Infliximab", "Inhibiteurs de l'IL-6",
    }  # fmt: skip


def test_growth_factors_are_classified_against_other_drugs(extra_quizzes):
    """ "les facteurs de croissance granulocytaires (G-CSF), tels que le filgrastim ou le
    pegfilgrastim": which of these drugs is one; no other growth factor (their ATC class,
    L03AA, lénograstim included) is a wrong answer."""
    items = [i for i in kept(extra_quizzes) if i.kind == "classification"
             and "facteurs de croissance granulocytaires" in i.stem]  # fmt: skip
    assert items
    for item in items:
        assert item.stem == (
            "Lequel de ces médicaments fait partie des facteurs de croissance "
            f"granulocytaires{NBSP}?"
        )
        assert key(item) in {"Filgrastim", "Pegfilgrastim"}
        assert not wrong(item) & {"Filgrastim", "Pegfilgrastim", "G-CSF", "Lénograstim"}


def test_categories_with_one_example_and_typographic_elisions_are_classified(glossary):
    """ "comme l’énoxaparine" (a typographic apostrophe) is a list; "les antivitamines K, comme
    la warfarine" too, with one example, because a category names it; each category's members
    are the others' wrong answers."""
    text = (
        "Les héparines de bas poids moléculaire (HBPM), comme l’énoxaparine ou la tinzaparine, "
        "s’injectent par voie sous-cutanée. Les anticoagulants oraux directs (AOD), comme "
        "l’apixaban ou le rivaroxaban, se prennent par voie orale. Les antivitamines K (AVK), "
        "comme la warfarine, demandent un contrôle de l’INR."
    )
    quiz = lesson_quiz(text, glossary, title="Les anticoagulants")
    items = [i for i in quiz.kept + [d.item for d in quiz.dropped] if i.kind == "classification"]
    by_key = {key(i): i for i in items}
    assert {"Énoxaparine", "Tinzaparine", "Warfarine"} & set(by_key)
    for name, item in by_key.items():
        if name == "Warfarine":
            assert item.stem == f"Lequel de ces médicaments est une antivitamine K{NBSP}?"
            assert not wrong(item) & {"Warfarine"}
        if name in {"Énoxaparine", "Tinzaparine"}:
            assert "héparines de bas poids moléculaire" in item.stem
            assert not wrong(item) & {"Énoxaparine", "Tinzaparine"}


def test_universal_lists_give_no_item(extra_quizzes):
    """ "tout symptôme nouveau, comme …": every symptom would be right, so no item asks it."""
    assert not [i for i in kept(extra_quizzes) if "tout symptôme nouveau" in i.source.sentence]


# --- association -----------------------------------------------------------------------------


def only(items: list[Item]) -> Item:
    assert len(items) == 1, [item.stem for item in items]
    return items[0]


def test_drug_to_indication(seed_quizzes):
    """ "approuvée pour le traitement du mélanome avancé et du carcinome rénal": either may be
    the key (drawn with the lesson's seed, "mélanome avancé" as the text says it); the other is
    also true, so never a wrong answer."""
    stem = f"L'IL-2 a été approuvée pour le traitement de quel cancer{NBSP}?"
    items = [i for i in kept(seed_quizzes) if i.kind == "association" and i.stem == stem]
    assert items
    assert len({i.family for i in items}) == 1  # one stem: an attempt asks one of them
    for item in items:
        assert key(item) in {"Mélanome", "Mélanome avancé", "Carcinome rénal"}
        assert not wrong(item) & {"Mélanome", "Mélanome avancé", "Carcinome rénal"}


def test_cytokine_to_indication_keeps_clinical_truths_out(seed_quizzes):
    items = [i for i in kept(seed_quizzes) if i.variant == "treats" and "interféron" in i.stem]
    assert items
    assert len({i.family for i in items}) == 1  # one stem: an attempt asks one of them
    for item in items:
        assert item.stem == (
            f"L'interféron s'est montré efficace dans le traitement de quel cancer{NBSP}?"
        )
        assert key(item) in {"Leucémie", "Lymphome", "Mélanome"}
        # Listed by the text, or treated by interferon in practice (glossary facts).
        assert not wrong(item) & {
            "Leucémie", "Lymphome", "Mélanome", "Carcinome rénal", "Myélome multiple",
            "Sarcome de Kaposi",
        }  # fmt: skip


# --- cloze -----------------------------------------------------------------------------------


def test_cloze_on_a_symptom_drops_the_parenthetical_alias(seed_quizzes):
    """The gloss "(pression artérielle basse)" goes with the blank; the article goes into the
    options, each with its own ("une hypotension", "un …")."""
    item = find(seed_quizzes, kind="cloze", key="hypotension", among=sound)
    assert "(rythme cardiaque rapide), _____, des douleurs musculaires" in item.stem
    assert "pression artérielle basse" not in item.stem  # it would give the key away
    assert key(item) == "une hypotension"
    assert "une hypertension" in item.options  # the glossary's contrary


def test_a_threshold_is_asked_as_a_question_with_its_unit(extra_quizzes):
    """The number gives way to the question words ("quelle température"); the options carry
    their unit, in numeric order, never two within 0.3 °C."""
    items = [i for i in kept(extra_quizzes) if i.key_term == "38,3 °C"]
    assert len(items) == 1
    item = items[0]
    assert item.kind == "threshold"
    assert "supérieure ou égale à quelle température lors d’une prise unique" in item.stem
    assert item.stem.endswith(f"{NBSP}?")
    assert "texte" not in item.stem
    assert "_____" not in item.stem
    assert key(item) == "38,3 °C"
    values = [float(option.removesuffix(" °C").replace(",", ".")) for option in item.options]
    assert values == sorted(values)
    assert all(b - a >= 0.3 - 1e-9 for a, b in itertools.pairwise(values))


def test_cloze_after_elision_offers_vowel_initial_terms(extra_quizzes):
    item = find(extra_quizzes, kind="cloze", key="infliximab")
    assert "prescrire de l’_____, un anti-TNF" in item.stem
    assert all(option[0] in "aeiouyéèêàâîïôûœh" for option in item.options)


def test_cloze_inside_a_list_of_examples(extra_quizzes):
    """ "une bêta-lactamine comme la _____": another bêta-lactamine would also be right."""
    item = find(extra_quizzes, kind="cloze", key="pipéracilline-tazobactam", among=sound)
    assert "amoxicilline" not in item.options


def test_a_negation_is_emphasised_and_never_in_the_clause_that_asks(extra_quizzes):
    """ "NE PAS prendre de quel médicament sans avis médical": every other drug is not to be
    taken without advice either, so the item is dropped; the temperature asked in the same
    sentence keeps the negation, in capitals, in another clause."""
    dropped = [
        entry
        for quiz in extra_quizzes
        for entry in quiz.dropped
        if entry.item.key_term == "paracétamol" and "NE PAS prendre de quel" in entry.item.stem
    ]
    assert dropped
    assert {flaw.code for entry in dropped for flaw in entry.flaws} >= {"negative_stem"}
    thresholds = [
        item
        for item in kept(extra_quizzes)
        if item.kind == "threshold" and "paracétamol sans avis médical" in item.stem
    ]
    assert thresholds
    assert all("NE PAS prendre de paracétamol" in item.stem for item in thresholds)


def test_subject_to_target_through_a_pronoun(seed_quizzes):
    """ "Il stimule … des cellules T et des cellules tueuses naturelles": "Il" is the IL-2 of
    the sentence before; either cell may be the key, the other is never a wrong answer."""
    items = [i for i in kept(seed_quizzes) if i.kind == "association" and i.variant == "acts-on"]
    assert items
    assert len({i.family for i in items}) == 1
    for item in items:
        assert item.stem == (
            "L'IL-2 stimule la prolifération et l'activité de quel type de cellules "
            f"immunitaires{NBSP}?"
        )
        assert key(item) in {"Cellules T", "Cellules tueuses naturelles"}  # as the text names them
        # "cellules" is in the stem: a wrong answer says it too, or the key would echo it alone.
        assert not [
            f for f in text_flaws(item.stem, item.options, item.answer) if f.code == "clang"
        ]
        # What IL-2 stimulates, by the text or in practice, is never a wrong answer.
        assert not wrong(item) & {"Lymphocytes T", "Cellules tueuses naturelles",
                                  "Lymphocytes B", "Lymphocytes T régulateurs"}  # fmt: skip


def test_every_member_of_a_long_list_is_tested(seed_quizzes):
    """Eight symptoms in one sentence: each is the key of some item (cited or cloze)."""
    keys = {item.key_term for item in kept(seed_quizzes)}
    assert {
        "fièvre", "tachycardie", "hypotension", "douleurs musculaires",
        "maux de tête",
        "détresse respiratoire", "défaillance d'organes",
    } <= keys  # fmt: skip


def test_wrong_answers_are_spread_over_a_lessons_items(all_quizzes):
    """A lesson's items do not all lean on the same wrong answer: a nurse retaking the quiz
    must not learn to rule out "constipation" on sight. No term is a wrong answer in more than
    a quarter of a lesson's items, or three of a short lesson's (constipation was in half of
    the CRS lesson's twenty before the wrong answers were spread)."""
    from collections import Counter

    from courses.textnorm import match_key

    for quiz in all_quizzes:
        if len(quiz.kept) < 6:
            continue
        uses = Counter(match_key(option) for item in quiz.kept for option in wrong(item))
        term, count = uses.most_common(1)[0]
        assert count <= max(3, len(quiz.kept) // 4), (quiz.lesson, term, count, len(quiz.kept))


def test_a_long_key_gets_a_wrong_answer_as_long(glossary):
    """ "Inhibiteurs de l'IL-6" among short drug names would stand out as the only longest
    option; a wrong answer at least as long is taken when the class has one, so the item is
    kept (it used to be dropped as key_longest)."""
    from courses.quizgen.flaws import key_is_only_longest

    from .conftest import SEEDS, generate_course, lessons_of

    quizzes = generate_course(lessons_of([SEEDS[0]]), glossary)
    item = find(quizzes, kind="cited", key="inhibiteurs de l'IL-6")
    assert not key_is_only_longest(item)


def test_a_copula_with_one_predicate_is_no_list(seed_quizzes):
    """ "Les cytokines sont de petites protéines …" defines; it lists nothing to cite."""
    assert not [
        i
        for i in kept(seed_quizzes)
        if i.kind in {"cited", "classification"} and "Les cytokines sont …" in i.stem
    ]


def test_a_lists_category_types_its_members(glossary):
    """ "Les signes d’alerte sont notamment …": the members the terminologies do not know
    ("mobilité dentaire", "os exposé") are signs because the category says so; a bare body
    part ("une gencive", "la bouche") is not."""
    text = (
        "Les signes d’alerte sont notamment une douleur de la mâchoire, une mobilité dentaire, "
        "un os exposé, une gencive gonflée, une fistule ou une mauvaise haleine dans la bouche."
    )
    quiz = lesson_quiz(text, glossary, title="L'ostéonécrose")
    cited = [i for i in quiz.kept + [d.item for d in quiz.dropped] if i.variant == "list"]
    keys = {key(i) for i in cited}
    assert {"Mobilité dentaire", "Os exposé", "Mauvaise haleine"} <= keys
    assert not keys & {"Bouche", "Gencive"}
    # The category is the sentence's subject: which option is one is the clinical question.
    assert all(i.stem == f"Lequel de ces symptômes fait partie des signes d’alerte{NBSP}?"
               for i in cited)  # fmt: skip


def test_an_abbreviation_before_its_expansion_is_asked_with_hospital_abbreviations(glossary):
    """ "l’EVA (échelle visuelle analogique)" in a course that writes no other abbreviation:
    the wrong answers are abbreviations of hospital practice (types.yaml), never keys."""
    from courses.quizgen.terms import load_types

    from .conftest import TABLES

    text = (
        "L’intensité de la douleur est mesurée avec l’EVA (échelle visuelle analogique) "
        "à chaque visite. La peau est hydratée chaque jour."
    )
    quiz = lesson_quiz(text, glossary, title="La douleur")
    sigles = dict(load_types(str(TABLES / "types.yaml")).sigles)
    items = {i.variant: i for i in quiz.kept if i.kind == "abbreviation"}
    expansion = items["expansion"]
    assert expansion.stem == f"Que désigne le sigle EVA{NBSP}?"
    assert key(expansion) == "Échelle visuelle analogique"
    assert {o.lower() for o in wrong(expansion)} <= {v.lower() for v in sigles.values()}
    sigle = items["sigle"]
    assert key(sigle) == "EVA"
    assert wrong(sigle) <= set(sigles)


def test_a_plural_expansion_is_not_the_only_plural(glossary):
    """ "les polynucléaires neutrophiles (PNN)": hospital abbreviations mostly stand for a
    singular; one plural among the wrong answers at least ("anti-inflammatoires non
    stéroïdiens")."""
    from courses.quizgen.yardstick import key_alone_in_form

    text = (
        "Le taux des polynucléaires neutrophiles (PNN) est mesuré avant chaque cure. La peau "
        "est hydratée chaque jour."
    )
    quiz = lesson_quiz(text, glossary, title="La surveillance")
    expansion = only([i for i in quiz.kept if i.variant == "expansion"])
    assert key(expansion) == "Polynucléaires neutrophiles"
    assert not key_alone_in_form(expansion.options, expansion.answer), expansion.options


LISTED_SIGNS = (
    "L'hypercalcémie donne des signes variés. L'infirmier recherche notamment :\n\n"
    "- des signes digestifs : nausées, vomissements, constipation ;\n"
    "- des signes rénaux : polyurie, polydipsie, déshydratation ;\n"
    "- des signes neurologiques : confusion, somnolence, coma.\n\n"
    "Le patient boit 2 litres par jour."
)


def test_a_lists_wrong_answers_come_from_the_texts_other_categories(glossary):
    """ "des signes digestifs : …", "des signes rénaux : …": which is a renal sign, against
    the digestive and neurological ones only, so the classification is honest; the item
    before in a list is no topic of the next."""
    lessons = [LessonText(key="t", title="L'hypercalcémie", text=LISTED_SIGNS)]
    (quiz,) = generate_course(lessons, glossary)
    members = {
        "digestif": {"Nausées", "Vomissements", "Constipation"},
        "rénal": {"Polyurie", "Polydipsie", "Déshydratation"},
        # A key as the text names it ("confusion"), a wrong answer by its name.
        "neurologique": {"Confusion", "Confusion mentale", "Somnolence", "Coma"},
    }
    items = [i for i in quiz.kept if i.kind in {"classification", "cited"}]
    assert {i.kind for i in items} == {"classification"}
    for item in items:
        category = next(name for name in members if f"signe {name}" in item.stem)
        assert key(item) in members[category]
        others = set().union(*(v for k, v in members.items() if k != category))
        assert wrong(item) <= others


def test_a_cloze_never_blanks_part_of_a_longer_name(glossary):
    """ "l'héparine non fractionnée (HNF)", "l’imagerie par résonance magnétique (IRM)": a blank
    on "héparine" or "résonance magnétique" would leave half a name in the sentence."""
    text = (
        "En cas d’insuffisance rénale sévère, le médecin peut préférer l'héparine non "
        "fractionnée (HNF). L’imagerie par résonance magnétique (IRM) est l’examen de "
        "référence. Les HBPM, comme l’énoxaparine, s’injectent par voie sous-cutanée. Le "
        "patient boit deux litres par jour. La douleur est évaluée chaque jour. L'infirmière "
        "surveille la diurèse."
    )
    quiz = lesson_quiz(text, glossary, title="La thrombose")
    for item in quiz.kept + [d.item for d in quiz.dropped]:
        if item.kind == "cloze":
            assert "_____ non fractionnée" not in item.stem
            assert "par _____ (IRM)" not in item.stem


def test_an_articled_key_is_never_the_only_one_of_its_gender(glossary):
    """ "… le tabac ou _____": the options carry the article the term's gender calls for, so
    a masculine key ("le diabète") gets a masculine wrong answer beside it, whatever the
    tagger guesses of the bare word."""
    text = (
        "Le principal facteur déclenchant est l’extraction dentaire. Les autres facteurs de "
        "risque sont une corticothérapie, un traitement antiangiogénique, le tabac ou le "
        "diabète. Le patient boit deux litres par jour. La douleur est évaluée chaque jour. "
        "L'infirmière surveille la diurèse."
    )
    quiz = lesson_quiz(text, glossary, title="L'ostéonécrose")
    item = next(i for i in quiz.kept if i.kind == "cloze" and key(i) == "le diabète")
    assert any(option.startswith("le ") for option in wrong(item))


def test_wrong_answers_are_never_spelt_like_the_key_or_each_other():
    from courses.quizgen.distractors import _spelt_alike

    assert _spelt_alike("action des ostéoclastes", "activation des ostéoclastes")
    assert _spelt_alike("créatinine", "créatininémie")
    # Contraries by a prefix are two answers a learner must tell apart.
    assert not _spelt_alike("hypercalcémie", "hypocalcémie")
    assert not _spelt_alike("hypertension", "hypotension")
    assert not _spelt_alike("calcémie", "kaliémie")


def test_what_an_abbreviation_stands_for_may_be_asked_beside_the_terms_it_groups(glossary):
    """ "La MTEV regroupe la TVP et l’EP": TVP is stated with MTEV, yet it is not what "MTEV"
    means, so it stays a wrong answer for "Que désigne le sigle MTEV ?"."""
    text = (
        "La maladie thromboembolique veineuse (MTEV) regroupe la thrombose veineuse profonde "
        "(TVP) et l’embolie pulmonaire (EP). Les héparines de bas poids moléculaire (HBPM) "
        "s’injectent. Les anticoagulants oraux directs (AOD) se prennent par la bouche. Le "
        "patient boit deux litres par jour."
    )
    quiz = lesson_quiz(text, glossary, title="Les anticoagulants")
    item = next(i for i in quiz.kept if i.stem == f"Que désigne le sigle MTEV{NBSP}?")
    assert key(item) == "Maladie thromboembolique veineuse"


def test_a_sentences_few_clozes_go_first_to_what_its_list_items_do_not_ask(glossary):
    """ "en cas de cancer métastatique et pour certaines localisations, comme le pancréas, …":
    the organs are asked by "cited"; a cloze asks the cancer (no article before it: its wrong
    answers may be of another gender when too few conditions share its own)."""
    text = (
        "Le risque est plus élevé en cas de cancer métastatique et pour certaines "
        "localisations, comme le pancréas, l’estomac, le cerveau ou le poumon. Le patient boit "
        "deux litres par jour. La douleur est évaluée chaque jour. L'infirmière surveille la "
        "diurèse. Le médecin prescrit une héparine. La fièvre impose d’appeler. La patiente "
        "marche chaque jour. Les plaquettes sont contrôlées."
    )
    quiz = lesson_quiz(text, glossary, title="La thrombose")
    clozes = [i for i in quiz.kept + [d.item for d in quiz.dropped] if i.kind == "cloze"]
    assert "cancer métastatique" in {i.key_term for i in clozes}


def test_a_list_of_notions_takes_its_wrong_answers_from_the_texts_other_lists(glossary):
    """A notion's class holds anything: the irritants the patient avoids are the wrong answers
    for the risk factors ("le tabac, le surpoids"). The sentence before gives no topic to one
    that does not point back to it."""
    text = (
        "D'autres facteurs sont propres au patient, tels que le tabac, le surpoids ou une "
        "dénutrition. L'hydratation quotidienne de la zone est recommandée. Le patient évite "
        "les produits irritants, comme le parfum ou le déodorant alcoolisé, ainsi que "
        "l’épilation à la cire. La douleur est évaluée chaque jour. L'infirmière surveille la "
        "diurèse. Le médecin prescrit une crème. La couleur de la peau est notée. Le rasoir "
        "électrique est préféré. La couche basale de l’épiderme se renouvelle. Les marques de "
        "repérage restent visibles. Le port de vêtements amples soulage."
    )
    quiz = lesson_quiz(text, glossary, title="La radiodermite")
    factors = [i for i in quiz.kept if i.kind == "cited" and "propres au patient" in i.stem]
    assert factors
    for item in factors:
        assert key(item) in {"Tabac", "Surpoids", "Dénutrition"}
        assert wrong(item) <= {"Parfum", "Déodorant alcoolisé", "Épilation à la cire"}
    assert not [i for i in quiz.kept if i.stem.startswith("À propos de l'hydratation")]


# --- lists and subjects asked as the clinical question ----------------------------------------


def test_a_list_after_a_noun_is_asked_with_de_quel(glossary):
    """ "l'apparition de symptômes pseudo-grippaux, tels que …": the question keeps "de" ("de
    quel symptôme pseudo-grippal"), its wrong answers general signs that share no word with
    the list."""
    text = (
        "Le traitement par interleukine-2 peut entraîner l’apparition de symptômes "
        "pseudo-grippaux, tels que la fièvre, les frissons et la fatigue."
    )
    items = [i for i in with_fellows(text, glossary) if i.variant == "list"]
    assert items
    for item in items:
        assert item.kind == "question"
        assert item.stem == (
            "Le traitement par interleukine-2 peut entraîner l’apparition de quel symptôme "
            f"pseudo-grippal{NBSP}?"
        )


def test_a_list_asked_in_place_offers_only_what_is_known_outside_it(glossary):
    """ "renforcer l’activité des cellules immunitaires, telles que …": "de quelle cellule
    immunitaire ?" would claim macrophages are none; nothing says which immune cells are not
    reinforced, so the item asks what the text cites."""
    text = (
        "Les cytokines peuvent renforcer l’activité des cellules immunitaires, telles que les "
        "lymphocytes T et les cellules tueuses naturelles."
    )
    quiz = lesson_quiz(text, glossary, title="Les cytokines")
    items = [i for i in quiz.kept if i.variant == "list"]
    assert items
    assert {i.kind for i in items} == {"cited"}


def test_a_list_without_a_predicate_keeps_the_cited_stem(glossary):
    """ "En prévention, des facteurs de croissance, comme …" has no verb to ask with."""
    text = (
        "Effets secondaires fréquents : des symptômes pseudo-grippaux, tels que la fièvre, "
        "les frissons et la fatigue."
    )
    quiz = lesson_quiz(text, glossary, title="Les cytokines")
    items = [i for i in quiz.kept + [d.item for d in quiz.dropped] if i.variant == "list"]
    assert items
    assert all("quel symptôme" not in i.stem for i in items)


def test_a_subject_of_another_gender_than_its_class_gets_its_predicate_agreed(glossary):
    """ "L'antibiothérapie est adaptée …": "Quel traitement est adapté …" (the participle
    agrees with the class's noun), and only the subject's predicate changes."""
    text = (
        "L'antibiothérapie est adaptée secondairement aux résultats des prélèvements. "
        "La chimiothérapie est administrée à l'hôpital de jour, puis la peau est séchée."
    )
    quiz = lesson_quiz(text, glossary, title="Neutropénie")
    stems = {i.stem for i in quiz.kept + [d.item for d in quiz.dropped] if i.variant == "subject"}
    assert f"Quel traitement est adapté secondairement aux résultats des prélèvements{NBSP}?" in (
        stems
    )
    assert (
        f"Quel traitement est administré à l'hôpital de jour, puis la peau est séchée{NBSP}?"
        in stems
    )


# A lesson that gives a small text's terms their fellows: wrong answers of each class.
FELLOWS = LessonText(
    key="fellows",
    title="Surveillance",
    text=(
        "Les signes à surveiller sont la toux, la dyspnée, les nausées, la diarrhée, la "
        "constipation, les céphalées et les vertiges. L'infirmière examine le bras, la jambe, "
        "la bouche, le cou, le dos, la main et le pied. La douleur thoracique, la douleur "
        "abdominale et la fatigue intense doivent être signalées."
    ),
)


def with_fellows(text: str, glossary, *, title: str = "Soins") -> list[Item]:
    """Every item a small text gives (kept or dropped), its terms' fellows beside it."""
    quiz = lesson_quiz(text, glossary, title=title, beside=(FELLOWS,))
    return quiz.kept + [d.item for d in quiz.dropped]


def test_a_term_among_coordinated_fellows_is_not_asked_in_place(glossary):
    """ "signaler sans attendre une douleur …, une faiblesse des jambes ou …": "quel symptôme"
    in the middle of the enumeration reads badly, and its fellows are true answers."""
    text = (
        "Le patient doit signaler sans attendre une douleur du dos inhabituelle, une fièvre ou "
        "une faiblesse des jambes. La radiothérapie peut provoquer une fatigue."
    )
    quiz, _ = generate_course(
        [LessonText(key="t", title="Compression", text=text), FELLOWS], glossary
    )
    stems = [i.stem for i in quiz.kept + [d.item for d in quiz.dropped] if i.variant == "in-situ"]
    assert any("La radiothérapie peut provoquer" in stem for stem in stems)
    assert not any("signaler sans attendre" in stem for stem in stems)


def test_an_everyday_body_part_is_no_cloze_key(glossary):
    """ "sous la peau", "l'autre bras": any reader fills the blank in (a cold-start text,
    whose body parts only the types' vocabulary knows)."""
    from wordfreq import zipf_frequency

    from .conftest import ROOT, lessons_of

    quizzes = generate_course(lessons_of([ROOT / "fixtures/coldstart/lymphoedeme.txt"]), glossary)
    clozes = [i for q in quizzes for i in q.kept + [d.item for d in q.dropped] if i.kind == "cloze"]
    assert clozes
    anatomy = [i.key_term for i in clozes if i.key_class == "anatomy"]
    # The rarest word of each decides: "bras homolatéral" is a term, "bras" is not.
    rarest = {k: min(zipf_frequency(w, "fr") for w in k.split() if len(w) > 2) for k in anatomy}
    assert all(zipf < 4.5 for zipf in rarest.values()), rarest


def test_a_courses_own_signs_are_never_each_others_wrong_answers(glossary):
    """A course names the signs of its topic: "une douleur du dos nouvelle" offered against
    "une douleur rachidienne" is right in practice. Wrong answers to a sign, a condition or a
    complication come from outside the text (the glossary, the types' reserve), unless the
    text puts them in another category (classification items)."""
    from courses.quizgen.context import build
    from courses.quizgen.terminology import load_terminology
    from courses.quizgen.terms import load_types
    from courses.textnorm import match_key

    from .conftest import ROOT, TABLES, lessons_of

    lessons = lessons_of([ROOT / "fixtures/coldstart/compression_medullaire.txt"])
    course = build(
        lessons,
        glossary,
        seed_salt="test",
        terminology=load_terminology(str(TABLES)),
        types=load_types(str(TABLES / "types.yaml")),
    )
    own = course.course_terms
    assert {"douleur rachidienne", "faiblesse des jambes"} <= own
    items = [
        i
        for q in generate_course(lessons, glossary)
        for i in q.kept
        if i.key_class in {"symptom", "condition"} and i.kind not in {"classification", "scale"}
    ]
    assert len(items) >= 5
    for item in items:
        named = [d for d in item.distractor_terms if match_key(d) in own]
        assert not named, (item.stem, named)


def test_a_blank_takes_the_bare_adjective_its_term_leaves_out(glossary):
    """ "commence par une évaluation neurologique répétée": the text's term is "évaluation
    neurologique"; blanking it alone would leave "_____ répétée", half a name. The blank and
    the key take the adjective; an adjective with a complement of its own ("la zone irradiée
    par …") leaves the term unasked."""
    from .conftest import ROOT, lessons_of

    quizzes = generate_course(
        lessons_of([ROOT / "fixtures/coldstart/compression_medullaire.txt"]), glossary
    )
    clozes = [i for q in quizzes for i in q.kept + [d.item for d in q.dropped] if i.kind == "cloze"]
    assert any(key(i) == "une évaluation neurologique répétée" for i in clozes)
    assert not any("_____ répétée" in i.stem for i in clozes)
    # "L’éducation du patient porteur de métastases osseuses": "porteur" has its complement.
    assert not any("_____ de métastases osseuses" in i.stem for i in clozes)


def test_a_list_the_verb_follows_is_not_asked_in_place(seed_quizzes):
    """ "…, une forte libération de cytokines pro-inflammatoires, telles que A et B, se produit
    dans le corps": "quel" in place of the category would leave the verb out."""
    stems = [i.stem for i in kept(seed_quizzes) if i.variant == "list"]
    assert stems
    assert not any(stem.endswith(f"quelle cytokine pro-inflammatoire{NBSP}?") for stem in stems)


def test_a_role_the_copula_gives_a_term_is_asked_as_what_plays_it(glossary):
    """ "Le traitement de référence est la physiothérapie décongestive complète, réalisée …":
    "Quel est le traitement de référence ?" (what follows the term agrees with it, so it goes);
    "Le lymphœdème est …" has a term for subject and is not asked this way."""
    text = (
        "Le traitement de référence est la radiothérapie, réalisée en urgence. "
        "La première mesure est la **réhydratation intraveineuse** par sérum physiologique. "
        "Le lymphœdème est une accumulation de lymphe due au curage axillaire."
    )
    quiz = lesson_quiz(text, glossary, title="Soins", beside=(FELLOWS,))
    stems = {i.stem for i in quiz.kept + [d.item for d in quiz.dropped] if i.variant == "copular"}
    assert stems == {
        f"Quel est le traitement de référence{NBSP}?",
        f"Quelle est la première mesure{NBSP}?",
    }


def test_a_role_of_nothing_named_is_the_documents_topics(glossary):
    """ "Le traitement de référence est …" in a document titled on a condition: the question
    names it, "de" for what belongs to it, "en cas de" for what one does."""
    text = (
        "Le traitement de référence est la radiothérapie, réalisée en urgence. "
        "La première mesure est la **réhydratation intraveineuse** par sérum physiologique. "
        "L'hypercalcémie survient surtout à un stade avancé."
    )
    lessons = [
        LessonText(
            key="t", title="Traitement", text=text, module_title="# L’hypercalcémie : le rôle IDE"
        ),
        FELLOWS,
    ]
    quiz = generate_course(lessons, glossary)[0]
    stems = {i.stem for i in quiz.kept + [d.item for d in quiz.dropped] if i.variant == "copular"}
    assert stems == {
        f"Quel est le traitement de référence de l'hypercalcémie{NBSP}?",
        f"Quelle est la première mesure en cas d'hypercalcémie{NBSP}?",
    }


def test_one_of_a_kind_names_the_category_of_its_examples(extra_quizzes):
    """ "avec une bêta-lactamine comme la pipéracilline-tazobactam ou le céfépime": a singular
    category names the list ("est une bêta-lactamine", or asked in place: "avec quelle
    bêta-lactamine")."""
    items = [i for i in kept(extra_quizzes) if i.variant == "list" and "bêta-lactamine" in i.stem]
    assert items
    assert all(
        i.stem.endswith(f"par exemple avec quelle bêta-lactamine{NBSP}?")
        or i.stem == f"Lequel de ces médicaments est une bêta-lactamine{NBSP}?"
        for i in items
    ), [i.stem for i in items]


def test_a_term_an_abbreviation_a_few_words_on_stands_for_is_no_cloze_key(extra_quizzes):
    """ "une numération formule sanguine (NFS)": blanking "numération" leaves half the name."""
    clozes = [i for i in kept(extra_quizzes) if i.kind == "cloze"]
    assert clozes
    assert not any("_____ formule sanguine" in i.stem for i in clozes)


def test_who_acts_is_asked_when_it_is_not_the_nurse(glossary):
    """ "le radiothérapeute peut suspendre l'irradiation": "quel professionnel …"; the nurse,
    subject of most sentences of a nursing text, is not asked so."""
    text = (
        "Aux grades 3 et 4, le radiothérapeute peut suspendre temporairement l'irradiation. "
        "L'infirmier surveille la diurèse et la température chaque jour. Le kinésithérapeute "
        "réalise le drainage lymphatique manuel. Le dentiste réalise le bilan bucco-dentaire."
    )
    stems = [i.stem for i in with_fellows(text, glossary) if i.variant == "subject"]
    assert (
        f"Aux grades 3 et 4, quel professionnel peut suspendre temporairement l'irradiation{NBSP}?"
        in stems
    )
    assert not any("surveille la diurèse" in s for s in stems)


def test_a_predicate_the_tagger_mistakes_is_agreed_by_its_form(glossary):
    """ "une émulsion … peut être prescrite" ("prescrite" tagged masculine): "quel traitement …
    peut être prescrit"."""
    text = (
        "Au grade 1, une émulsion à base de trolamine peut être prescrite selon les habitudes du "
        "service. L'antibiothérapie est ensuite débutée dans l'heure."
    )
    stems = [i.stem for i in with_fellows(text, glossary) if i.kind == "question"]
    assert not any("prescrite" in s or "débutée" in s for s in stems if "quel traitement" in s)
    assert any("quel traitement" in s.lower() for s in stems), stems


def test_an_ordinal_is_asked_with_the_noun_it_counts(glossary):
    """ "à partir de la 2e ou 3e semaine de traitement" -> "à partir de quelle semaine de
    traitement" (the article goes with the value); a range of days stays "à quel moment"."""
    text = (
        "La radiodermite aiguë apparaît généralement à partir de la 2e ou 3e semaine de "
        "traitement. Le nadir survient entre le 7e et le 14e jour après la cure."
    )
    stems = [i.stem for i in with_fellows(text, glossary) if i.kind == "threshold"]
    assert (
        f"La radiodermite aiguë apparaît généralement à partir de quelle semaine de "
        f"traitement{NBSP}?"
    ) in stems
    assert f"Le nadir survient à quel moment après la cure{NBSP}?" in stems


def test_a_complement_of_a_relational_noun_is_asked_in_place(glossary):
    """ "le risque de neutropénie fébrile", "la toxicité la plus fréquente de la radiothérapie":
    the noun says what its complement is to the sentence ("de quelle complication")."""
    text = (
        "Les G-CSF sont recommandés lorsque le risque de neutropénie fébrile est supérieur ou "
        "égal à 20 %. La toxicité la plus fréquente de la radiothérapie est cutanée."
    )
    stems = [i.stem for i in with_fellows(text, glossary) if i.variant == "in-situ"]
    assert any("le risque de quelle" in s for s in stems), stems
    assert any("La toxicité la plus fréquente de quel traitement" in s for s in stems), stems


def test_bare_fellows_after_a_colon_keep_quel_out(glossary):
    """ "les signes qui doivent le faire appeler le service : douleur intense, suintement,
    saignement ou fièvre": no "quel symptôme, suintement, …"."""
    from .conftest import ROOT, lessons_of

    quizzes = generate_course(lessons_of([ROOT / "fixtures/coldstart/radiodermite.txt"]), glossary)
    stems = [i.stem for q in quizzes for i in q.kept + [d.item for d in q.dropped]]
    assert any("douleur intense, suintement" in s for s in stems)  # the sentence is asked
    assert not any(re.search(r"quel \w+, suintement", s) for s in stems), stems


def test_a_drug_class_spans_its_members_atc_levels(glossary):
    """ "une bêta-lactamine comme la pipéracilline-tazobactam ou le céfépime": the members span
    two ATC 3rd levels (J01C, J01D), so no penicillin or cephalosporin is a wrong answer;
    "les héparines de bas poids moléculaire" (all B01AB) leaves warfarine (B01AA) apart."""
    from courses.quizgen.terminology import load_terminology

    from .conftest import ROOT, TABLES, lessons_of

    tables = load_terminology(str(TABLES))
    neutropenia = generate_course(
        lessons_of([ROOT / "fixtures/extra/neutropenie_febrile.txt"]), glossary
    )
    items = [i for i in kept(neutropenia) if "bêta-lactamine" in i.stem]
    assert items
    for item in items:
        for name in item.distractor_terms:
            drug = tables.drug(name)
            assert not (drug and drug.atc[:4] in {"J01C", "J01D"}), (item.stem, name)
            assert "cilline" not in name
    quizzes = generate_course(
        lessons_of([ROOT / "fixtures/coldstart/thrombose_anticoagulants.txt"]), glossary
    )
    heparins = [
        i
        for q in quizzes
        for i in q.kept
        if i.kind == "classification" and "héparines de bas poids" in i.stem
    ]
    assert heparins
    assert any("warfarine" in i.distractor_terms for i in heparins)


def test_a_formula_gives_no_stem(glossary):
    """ "calcémie corrigée = calcémie mesurée + 0,02 × (40 − albuminémie en g/l)": no "= Quel
    examen + 0,02 × …"."""
    from .conftest import ROOT, lessons_of

    quizzes = generate_course(lessons_of([ROOT / "fixtures/coldstart/hypercalcemie.md"]), glossary)
    stems = [i.stem for q in quizzes for i in q.kept + [d.item for d in q.dropped]]
    assert any("calcémie" in s for s in stems)
    assert not any("×" in s for s in stems), [s for s in stems if "×" in s]


def test_a_question_in_place_offers_its_key_among_its_gender_as_read(glossary):
    """Options of a question stand bare ("quel symptôme ? prurit | …"): a learner reads each
    as a lone word, so the wrong answers are picked as such, one at least of the key's gender
    and number as read (not of the gender the term would show with an article)."""
    from courses.quizgen.yardstick import key_alone_in_form

    from .conftest import ROOT, lessons_of

    paths = sorted((ROOT / "fixtures" / "coldstart").glob("*.*"))
    texts = [p for p in paths if p.suffix in {".txt", ".md"} and not p.name.endswith("facts.md")]
    texts = [p for p in texts if p.name != "README.md"]
    items = [
        i
        for path in texts
        for q in generate_course(lessons_of([path]), glossary)
        for i in q.kept
        if i.variant in {"in-situ", "copular"}
    ]
    assert len(items) >= 20
    alone = [i.stem for i in items if key_alone_in_form(i.options, i.answer)]
    assert not alone, alone


def test_a_drugs_use_is_not_asked_against_its_class(glossary):
    """ "L'acide zolédronique est aussi utilisé pour traiter l'hypercalcémie maligne": its ATC
    class (M05B: acide pamidronique, dénosumab) treats it too; none is a wrong answer."""
    text = (
        "Les bisphosphonates, comme l'acide zolédronique ou le pamidronate, freinent la "
        "résorption osseuse. Le dénosumab est un anticorps. L'acide zolédronique est aussi "
        "utilisé pour traiter l'hypercalcémie maligne."
    )
    items = [
        i
        for i in with_fellows(text, glossary, title="L'ostéonécrose")
        if i.variant == "subject" and "hypercalcémie maligne" in i.stem
    ]
    assert items
    for item in items:
        assert not {"pamidronate", "dénosumab", "acide alendronique", "acide ibandronique"} & {
            d.lower() for d in item.distractor_terms
        }, item.options


def test_an_adjective_the_parser_hangs_on_the_verb_stays_with_its_term(glossary):
    """ "administrés sous surveillance médicale | étroite afin de …": the parser makes
    "étroite" a participle of the verb; it agrees with "surveillance", so the key is the whole
    name, and "surveillance étroite", its words fewer of them, is no wrong answer."""
    text = (
        "Une surveillance étroite est assurée en unité de soins intensifs. Les traitements "
        "sont généralement administrés sous surveillance médicale étroite afin de détecter "
        "rapidement les signes précoces du syndrome."
    )
    items = [i for i in with_fellows(text, glossary) if "administrés sous" in i.source.sentence]
    asked = [i for i in items if "surveillance médicale" in key(i).lower()]
    assert asked
    for item in asked:
        assert key(item).lower() == "surveillance médicale étroite"
        assert "étroite" not in item.stem.replace(BLANK, "")
        assert not {o.lower() for o in wrong(item)} & {"surveillance étroite", "surveillance"}


def test_a_plural_blank_takes_its_wrong_answers_in_the_plural(glossary):
    """ "ainsi que certaines _____" with a plural key ("infections virales"): the wrong answers
    are singular terms written in the plural, never a mass noun made plural
    ("déshydratations")."""
    from courses.quizgen.distractors import countable
    from courses.quizgen.yardstick import option_form

    text = (
        "Le syndrome peut survenir après certains traitements, ainsi que certaines infections "
        "virales. Il se complique parfois d'une thrombose ou d'une fracture."
    )
    items = [i for i in with_fellows(text, glossary) if i.kind == "cloze"]
    asked = [i for i in items if key(i) == "infections virales"]
    assert asked, [i.stem for i in items]
    for item in asked:
        assert all(option_form(option)[1] == "p" for option in item.options), item.options
    assert countable("fracture", "fractures")
    assert countable("sepsis", "sepsis")
    assert not countable("déshydratation", "déshydratations")
    assert not countable("hypocalcémie", "hypocalcémies")


def test_a_term_shown_by_another_name_is_one_fact_with_its_cloze(glossary):
    """ "des signes neurologiques : asthénie, …": the classification shows "Asthénie", the
    text's word; a cloze blanking the same word asks the same fact ("fatigue", the glossary's
    name for it) and is not kept beside it."""
    from .conftest import ROOT, lessons_of

    quizzes = generate_course(lessons_of([ROOT / "fixtures/coldstart/hypercalcemie.md"]), glossary)
    items = [i for q in quizzes for i in q.kept]
    asked = [i for i in items if i.kind == "classification" and key(i) == "Asthénie"]
    assert asked
    assert all(i.key_term == "fatigue" for i in asked)
    for item in items:
        if is_recall(item.stem):
            names = {m.term.key for m in glossary.find(item.options[item.answer])}
            assert "fatigue" not in names, item.stem


def test_an_adjective_past_an_adverb_keeps_the_blanks_gender(glossary):
    """ "- une prothèse dentaire mal adaptée ;": however the parser hangs "adaptée", it agrees
    with the blank, so every option is feminine ("un suivi dentaire mal adaptée" would give
    the key away)."""
    from courses.quizgen.yardstick import option_form

    from .conftest import ROOT, lessons_of

    lessons = lessons_of([ROOT / "fixtures/coldstart/osteonecrose_machoire.md"])
    quizzes = generate_course(lessons, glossary)
    items = [i for q in quizzes for i in q.kept if "_____ mal adaptée" in i.stem]
    assert items
    for item in items:
        assert all(option_form(o)[0] == "f" for o in item.options), item.options


def test_a_term_after_a_completive_que_is_not_asked_in_place(glossary):
    """ "l'IDE vérifie que le bilan bucco-dentaire a été réalisé": "vérifie que quel examen a
    été réalisé ?" reads badly; "alors que quel médicament …" reads well."""
    text = (
        "Avant chaque injection, l’IDE vérifie que le bilan bucco-dentaire a été réalisé. "
        "Le scanner est rapide, alors que l'échographie demande un opérateur entraîné."
    )
    stems = [i.stem for i in with_fellows(text, glossary) if i.variant == "in-situ"]
    assert not [stem for stem in stems if "vérifie que quel" in stem], stems
    assert any("alors que quel examen" in stem for stem in stems), stems


def test_a_wrong_answer_is_never_the_key_said_more_or_again(glossary):
    """ "L’IDE administre la réhydratation": "l'hydratation intraveineuse", which the text
    also says, is the same act, again and more precisely said: never a wrong answer."""
    from .conftest import ROOT, lessons_of

    quizzes = generate_course(lessons_of([ROOT / "fixtures/coldstart/hypercalcemie.md"]), glossary)
    items = [
        i for q in quizzes for i in q.kept + [d.item for d in q.dropped]
        if key(i).lower().endswith("réhydratation")
    ]  # fmt: skip
    assert items
    for item in items:
        assert not [o for o in wrong(item) if "hydratation" in o.lower()], item.options


def test_one_example_of_another_kind_than_its_category_is_no_list(glossary):
    """ "réservée à des patients sélectionnés : rachis instable, compression …": a criterion
    typed as a body part is no example of patients, so nothing asks "which of these body parts
    does the text cite"."""
    text = (
        "La chirurgie de décompression est réservée à des patients sélectionnés : rachis "
        "instable, compression sur un seul niveau, bon état général ou tumeur peu sensible aux "
        "rayons. Elle est suivie d’une radiothérapie."
    )
    items = with_fellows(text, glossary)
    assert items
    assert not [i for i in items if i.kind in {"cited", "classification"}], [i.stem for i in items]


ALERT_SIGNS = (
    "L'infirmier recherche notamment :\n\n"
    "- des signes digestifs : nausées, vomissements, anorexie, constipation ;\n"
    "- des signes rénaux : polyurie, polydipsie, déshydratation ;\n"
    "- des signes cardiaques : troubles du rythme cardiaque.\n\n"
    "Le patient apprend les signes d’alerte qui doivent faire consulter : soif intense, "
    "urines abondantes, constipation, nausées ou confusion."
)


def test_a_category_sorted_otherwise_takes_no_contrast_from_organ_signs(glossary):
    """ "les signes d’alerte qui doivent faire consulter : …" against "des signes rénaux : …":
    alert signs may be renal signs too (polyurie is "urines abondantes"), so none of another
    list is a wrong answer; the question keeps its category ("fait partie des signes
    d’alerte"), and no general sign that is in practice one the course names ("perte
    d'appétit" for "anorexie", "palpitation" for "troubles du rythme") is offered."""
    lessons = [LessonText(key="t", title="L'hypercalcémie", text=ALERT_SIGNS)]
    (quiz,) = generate_course(lessons, glossary)
    items = [i for i in quiz.kept if "signes d’alerte" in i.stem]
    assert items
    listed = {"Polyurie", "Polydipsie", "Déshydratation", "Vomissements", "Anorexie",
              "Troubles du rythme cardiaque"}  # fmt: skip
    for item in items:
        assert item.stem == f"Lequel de ces symptômes fait partie des signes d’alerte{NBSP}?"
        assert not wrong(item) & listed, item.options
        assert not wrong(item) & {"Perte d'appétit", "Palpitation"}, item.options


def test_a_long_key_gets_a_wrong_answer_as_long_when_its_number_is_no_cue(seed_quizzes):
    """ "notamment des réactions auto-immunes, une toxicité organique et un syndrome de fuite
    capillaire": when no wrong answer could share the plural of "réactions auto-immunes", one
    as long is taken whatever its number, so the key is not the only longest, and the lesson
    keeps an item for each of the three (none dropped as a length cue)."""
    from courses.quizgen.flaws import key_is_only_longest

    listed = {"Réactions auto-immunes", "Toxicité organique", "Syndrome de fuite capillaire"}
    items = [i for i in kept(seed_quizzes) if "plus graves, notamment" in i.source.sentence]
    assert listed <= {key(i) for i in items if i.kind == "cited"}
    assert not [i for i in items if key(i) == "Réactions auto-immunes" and key_is_only_longest(i)]


def test_an_age_is_asked_as_a_threshold_not_a_lapse_of_time(glossary):
    """ "un âge supérieur à 65 ans": "à quel seuil", never "à combien de temps"."""
    text = "Les facteurs de risque sont un âge supérieur à 65 ans et une dénutrition."
    stems = [i.stem for i in with_fellows(text, glossary) if i.kind == "threshold"]
    assert stems
    assert all("combien de temps" not in stem for stem in stems), stems
    assert any("un âge supérieur à quel seuil" in stem for stem in stems), stems


def test_a_thresholds_options_are_all_in_words_or_all_in_digits(glossary):
    """ "toutes les deux à six semaines" whose fellows need digits ("18"): the key is written
    in digits too, or its words alone would single it out."""
    text = "L’immunothérapie est administrée toutes les deux à six semaines en hôpital de jour."
    items = [i for i in with_fellows(text, glossary) if i.kind == "threshold"]
    assert items
    for item in items:
        digits = [any(ch.isdigit() for ch in option) for option in item.options]
        assert all(digits) or not any(digits), item.options


def test_a_term_written_in_the_plural_is_asked_in_the_plural(glossary):
    """ "les corticostéroïdes, tels que la prednisone …, sont prescrits": "quels médicaments
    … sont prescrits", never "quel médicament … sont prescrits"."""
    text = (
        "Aux grades 3 et 4, les corticostéroïdes, tels que la prednisone par voie orale, sont "
        "prescrits à forte dose. Le patient est surveillé."
    )
    stems = [i.stem for i in with_fellows(text, glossary) if i.variant == "in-situ"]
    assert any("quels médicaments" in stem for stem in stems), stems
    assert not any("quel médicament," in stem for stem in stems), stems


def test_untyped_members_are_cited_as_elements(glossary):
    """ "les produits irritants, comme le parfum ou le déodorant alcoolisé": members no class
    types are asked "Lequel de ces éléments le texte cite-t-il ?", not "ces notions"."""
    from .conftest import ROOT, lessons_of

    quizzes = generate_course(lessons_of([ROOT / "fixtures/coldstart/radiodermite.txt"]), glossary)
    stems = {i.stem for q in quizzes for i in q.kept if i.kind == "cited"}
    assert any("Lequel de ces éléments le texte cite-t-il" in stem for stem in stems), stems
    assert not any("notions" in stem for stem in stems)


def test_a_wrong_answer_is_never_another_name_of_a_term_the_sentence_says(glossary):
    """ "surveille la calcémie, la kaliémie, la créatinine …": "la créatininémie", the
    sentence's "créatinine" by another name, is no wrong answer for "la calcémie"."""
    from .conftest import ROOT, lessons_of

    quizzes = generate_course(lessons_of([ROOT / "fixtures/coldstart/hypercalcemie.md"]), glossary)
    items = [
        i for q in quizzes for i in q.kept + [d.item for d in q.dropped]
        if "la kaliémie, la créatinine" in i.source.sentence
    ]  # fmt: skip
    assert items
    for item in items:
        assert not [o for o in wrong(item) if "créatininémie" in o.lower()], item.options


def test_a_notion_is_no_key_when_every_wrong_answer_is_far_from_it(glossary):
    """ "Une marche instable ou des chutes doivent aussi alerter": the text's other phrases
    ("une suspicion clinique", "une position couchée") are no wrong answers anyone weighs;
    no cloze asks it."""
    from .conftest import ROOT, lessons_of

    lessons = lessons_of([ROOT / "fixtures/coldstart/compression_medullaire.txt"])
    quizzes = generate_course(lessons, glossary)
    assert not [i for q in quizzes for i in q.kept if "_____ ou des chutes" in i.stem]


def test_a_body_parts_wrong_answers_are_the_nearest_in_kind(glossary):
    """ "certaines localisations, comme le pancréas, l’estomac …": organs against organs, not
    the body parts the text names elsewhere ("le nombril", "un pli cutané", "la jambe")."""
    from .conftest import ROOT, lessons_of

    lessons = lessons_of([ROOT / "fixtures/coldstart/thrombose_anticoagulants.txt"])
    items = [
        i for q in generate_course(lessons, glossary) for i in q.kept
        if "certaines localisations, comme" in i.stem
    ]  # fmt: skip
    assert items
    for item in items:
        assert not wrong(item) & {"Nombril", "Pli cutané", "Jambe"}, item.options
