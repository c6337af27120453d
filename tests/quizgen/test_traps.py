"""The traps found in these texts, each handled (issue: "Traps already found in these texts")."""

from __future__ import annotations

import re

from courses.quizgen import nlp, text_flaws
from courses.quizgen.generators import BLANK
from courses.textnorm import match_key

from .conftest import kept, lesson_quiz


def test_vectors_cannot_pick_the_class_the_glossary_does(all_quizzes, course_glossary):
    """fr_core_news_md gives mélanome, carcinome and lymphome one vector, aldesleukine none:
    the class of every wrong answer is the key's, as the (course) glossary says."""
    vocab = nlp.get_nlp().vocab
    assert (vocab["mélanome"].vector == vocab["carcinome"].vector).all()
    assert (vocab["mélanome"].vector == vocab["lymphome"].vector).all()
    assert not vocab["aldesleukine"].has_vector
    seeds = kept(all_quizzes[: len(all_quizzes)])
    for item in seeds:
        if item.key_class in {"threshold", "abbreviation"} or item.kind == "abbreviation":
            continue
        for name in item.distractor_terms:
            term = course_glossary.term(name)
            if term is None:
                continue  # a term of the extra texts' course, not the seeds'
            assert term.cls == item.key_class, (item.stem, name)


_ARTICLE = re.compile(r"(?i)^(?:(?:les|le|la|un|une|des)\s+|l')")


def test_every_option_fits_the_words_around_the_blank(all_quizzes, glossary):
    """Elision (l'/d'), le/la and du/de la: the key never stands out by grammar alone. Where the
    article goes into the options, each carries its own."""
    cloze = [item for item in kept(all_quizzes) if item.kind == "cloze"]
    assert len(cloze) > 20
    for item in cloze:
        flaws = text_flaws(item.stem, item.options, item.answer, glossary=glossary)
        assert not [f for f in flaws if f.code == "grammatical_cue"], item.stem
        with_article = [bool(_ARTICLE.match(option)) for option in item.options]
        assert all(with_article) or not any(with_article), item.options


def test_a_blank_never_splits_a_term(all_quizzes):
    """ "lymphocytes T", "interféron alpha", "IL-2": the blank takes the whole term (with its
    article, in the options) or nothing."""
    for item in kept(all_quizzes):
        if item.kind != "cloze":
            continue
        quoted = item.stem.split("«", 1)[1]
        before, after = quoted.split(BLANK, 1)
        assert not re.search(r"[\w-]$", before), item.stem
        assert not re.match(r"^[\w-]", after), item.stem
        key = _ARTICLE.sub("", item.options[item.answer])
        assert match_key(key) in match_key(item.source.sentence), item.stem


def test_aliases_of_the_key_are_never_its_distractors(all_quizzes, glossary):
    for item in kept(all_quizzes):
        term = glossary.term(item.key_term)
        if term is None:
            continue
        names = glossary.names(term)
        for option in item.options:
            if option == item.options[item.answer]:
                continue
            assert match_key(option) not in names, (item.stem, option)
    # The two pairs the issue names.
    il2 = glossary.names(glossary.term("IL-2"))
    assert "aldesleukine" in il2
    crs = glossary.names(glossary.term("syndrome de libération de cytokines"))
    assert {"src", "srisc"} <= crs


def test_lists_of_examples_are_never_asked_in_the_negative(all_quizzes):
    """ "notamment", "tels que", "comme" lists are not exhaustive: only "which is cited"."""
    for item in kept(all_quizzes):
        assert not re.search(r"\b(n'est pas|ne sont pas|sauf|excepté)\b", item.stem, re.I)
        if item.kind == "cited":
            assert "le texte cite-t-il" in item.stem
        if item.kind == "classification":
            assert re.search(r"de ces \w+.* (?:est une?|fait partie des) ", item.stem), item.stem


def test_options_are_clean_phrases(all_quizzes):
    """No stray determiner, comma or parenthesis from a parser's noun chunk in an option; an
    article only where every option of the item has its own."""
    for item in kept(all_quizzes):
        with_article = all(_ARTICLE.match(option) for option in item.options)
        for option in item.options:
            assert option == option.strip()
            if not with_article:
                assert not re.match(r"(?i)^(le|la|les|l'|un|une|des|du|de)\s", option), option
            assert not re.search(r"[,;:(\[]$|^[,;:)\]]", option), option


def test_every_item_is_grounded_and_true_to_its_source(all_quizzes, all_lessons_by_key):
    for quiz in all_quizzes:
        text = all_lessons_by_key[quiz.lesson].text
        for item in quiz.kept:
            assert text[item.source.start : item.source.end] == item.source.sentence
            # Four options; five for a multiple-response item (two or three keys).
            expected = 5 if item.answers else 4
            assert len(item.options) == expected
            assert len({match_key(option) for option in item.options}) == expected
            if item.answers:
                assert 2 <= len(item.answers) <= 3
                assert item.answer == item.answers[0]


def test_generation_is_deterministic(seed_lessons, seed_quizzes, glossary):
    from .conftest import generate_course

    again = generate_course(seed_lessons, glossary)
    assert [[i.to_json() for i in q.kept] for q in again] == [
        [i.to_json() for i in q.kept] for q in seed_quizzes
    ]


def test_a_hyphenated_compound_does_not_end_a_sentence():
    """The parser may split "l'axe tête-cou-tronc." after "tête": the pieces are one."""
    text = (
        "Le patient est mobilisé en bloc, en gardant l'axe tête-cou-tronc. La prévention des "
        "escarres repose sur un matelas adapté."
    )
    found = [s.text for s in nlp.sentences(text, nlp.parse(text))]
    assert found[0].endswith("tête-cou-tronc.")
    assert len(found) == 2


def test_a_terms_other_name_in_the_text_is_never_its_wrong_answer(glossary):
    """ "du bras du côté opéré, appelé bras homolatéral": one arm under two names."""

    text = (
        "Le lymphœdème touche le bras. Toute plaie du bras du côté opéré, appelé bras "
        "homolatéral, est un facteur de risque. Le bras du côté opéré est signalé dans le "
        "dossier. La jambe et le mollet ne sont pas concernés. Le nombril non plus."
    )
    quiz = lesson_quiz(text, glossary, title="Le bras")
    for item in quiz.kept:
        options = {o.lower().removeprefix("le ") for o in item.options}
        assert not {"bras du côté opéré", "bras homolatéral"} <= options, item
