"""Plain text and Markdown documents -> a title and lessons (pure: no database)."""

from __future__ import annotations

import hashlib

import pytest
from django.utils.translation import override

from courses.ingest.base import DocumentError
from courses.ingest.plaintext import TextImporter, parse_text, strip_trailing_boilerplate
from tests.conftest import LESSONS_001, SEED_000, SEED_001, TITLE_000, TITLE_001

BOILERPLATE = ("Catégories", "Sujet", "Des questions")


def read(path):
    return TextImporter().read(path.read_bytes(), source=path.name)


def paragraphs_of(path) -> list[str]:
    return [block.strip() for block in path.read_text(encoding="utf-8").split("\n\n")]


# --- The real documents -------------------------------------------------------------------------


def test_document_000_title_and_two_or_three_lessons():
    """000 has no headings: its question title is kept and its text split into 2 or 3 lessons."""
    document = read(SEED_000)

    assert document.title == TITLE_000
    assert document.source == "000_37b82c9f7e6eaa73.txt"
    assert document.encoding == "UTF-8"
    assert 2 <= len(document.lessons) <= 3
    assert [lesson.title for lesson in document.lessons] == [
        "Le syndrome de libération de cytokines",
        "Le traitement du syndrome de libération de cytokines",
    ]


def test_document_000_keeps_every_paragraph_once_and_in_order():
    """The split loses, repeats and reorders nothing: the lessons are the paragraphs, verbatim."""
    document = read(SEED_000)
    paragraphs = paragraphs_of(SEED_000)
    assert paragraphs[0] == TITLE_000
    assert paragraphs[-1] == "Catégories"

    stored = [part for lesson in document.lessons for part in lesson.text.split("\n\n")]

    assert stored == paragraphs[1:-1]
    assert len(stored) == 5


def test_document_000_trailing_categories_line_is_gone():
    """The site's trailing "Catégories" line is boilerplate, not lesson text."""
    document = read(SEED_000)

    for lesson in document.lessons:
        assert "Catégories" not in lesson.text
        assert not lesson.text.rstrip().endswith("Catégories")


def test_document_001_title_and_lessons():
    """001's section headings become its lessons, after an Introduction."""
    document = read(SEED_001)

    assert document.title == TITLE_001
    assert [lesson.title for lesson in document.lessons] == LESSONS_001


def test_document_001_repeated_title_counts_once():
    """001 repeats its title line: it is the module title, never a lesson's text."""
    document = read(SEED_001)
    title_line = TITLE_001 + "."
    assert SEED_001.read_text(encoding="utf-8").count(title_line) == 2

    for lesson in document.lessons:
        assert title_line not in lesson.text
    assert document.lessons[0].text.startswith("L'immunothérapie anticancéreuse a suscité")


def test_document_001_lessons_hold_their_paragraphs_verbatim():
    """Each lesson holds the paragraphs under its heading, byte for byte, ’ included."""
    document = read(SEED_001)
    counts = [len(lesson.text.split("\n\n")) for lesson in document.lessons]
    paragraphs = set(paragraphs_of(SEED_001))

    assert counts == [1, 2, 2, 2, 1]
    for lesson in document.lessons:
        assert all(part in paragraphs for part in lesson.text.split("\n\n"))
    assert "L’administration systémique" in document.lessons[3].text
    assert document.lessons[4].text.startswith("En conclusion, la thérapie par cytokines")


def test_document_001_trailing_sujet_and_questions_are_gone():
    """The trailing "Sujet" / "Des questions" lines are dropped; the Conclusion ends the text."""
    document = read(SEED_001)

    for lesson in document.lessons:
        for marker in BOILERPLATE:
            assert marker not in lesson.text
    assert document.lessons[-1].text.endswith("pendant le traitement.")


def test_content_hash_is_the_sha256_of_the_decoded_text():
    """The content hash identifies the text, whatever the file is called."""
    data = SEED_001.read_bytes()

    first = TextImporter().read(data, source="a.txt")
    second = TextImporter().read(data, source="b.md")

    assert first.content_hash == second.content_hash == hashlib.sha256(data).hexdigest()


# --- Markdown headings --------------------------------------------------------------------------

MARKDOWN = """\
# Prise en charge de la douleur

La douleur est évaluée à chaque prise de poste.

## Évaluer la douleur

L’IDE utilise une échelle adaptée au patient.

### Échelle numérique

Le patient cote sa douleur de 0 à 10.

## Soulager la douleur

Les antalgiques sont administrés sur prescription.
"""


def test_markdown_headings_become_the_title_and_lessons():
    """The "#" line is the title, each "##" opens a lesson, text before them is the Introduction."""
    title, lessons, _notes = parse_text(MARKDOWN)

    assert title == "Prise en charge de la douleur"
    assert [lesson.title for lesson in lessons] == [
        "Introduction",
        "Évaluer la douleur",
        "Soulager la douleur",
    ]
    assert lessons[0].text == "La douleur est évaluée à chaque prise de poste."
    assert lessons[2].text == "Les antalgiques sont administrés sur prescription."


def test_deeper_markdown_heading_stays_inside_its_lesson():
    """A "###" under a "##" lesson is part of that lesson's text, still a Markdown heading."""
    _title, lessons, _notes = parse_text(MARKDOWN)

    assert lessons[1].text == (
        "L’IDE utilise une échelle adaptée au patient.\n\n"
        "### Échelle numérique\n\n"
        "Le patient cote sa douleur de 0 à 10."
    )


def test_short_unmarked_line_in_a_markdown_document_is_text():
    """Where headings are marked with "#", a short line without a full stop is not a heading."""
    text = MARKDOWN.replace(
        "### Échelle numérique\n",
        "### Échelle numérique\n\nExemple clinique\n\nMme D. cote sa douleur à 7.\n",
    )

    _title, lessons, _notes = parse_text(text)

    assert [lesson.title for lesson in lessons] == [
        "Introduction",
        "Évaluer la douleur",
        "Soulager la douleur",
    ]
    assert "### Échelle numérique" in lessons[1].text
    assert "Exemple clinique\n\nMme D. cote sa douleur à 7." in lessons[1].text


def test_setext_headings_are_headings():
    """ "===" and "---" underlines mark a title and a section, as in Markdown."""
    text = "Hygiène\n=======\n\nIntroduction courte.\n\nLavage des mains\n---\n\nTrente secondes.\n"

    title, lessons, _notes = parse_text(text)

    assert title == "Hygiène"
    assert [(lesson.title, lesson.text) for lesson in lessons] == [
        ("Introduction", "Introduction courte."),
        ("Lavage des mains", "Trente secondes."),
    ]


def test_hash_inside_a_code_fence_is_not_a_heading():
    """A "#" line inside a fenced code block is code, not a heading."""
    text = "# Titre\n\n## Partie\n\n```\n# pas un titre\n\nsuite\n```\n\nFin.\n"

    _title, lessons, _notes = parse_text(text)

    assert [lesson.title for lesson in lessons] == ["Partie"]
    assert lessons[0].text == "```\n# pas un titre\n\nsuite\n```\n\nFin."


# --- Plain-text headings ------------------------------------------------------------------------


def test_text_before_the_first_plain_heading_is_the_introduction():
    """Paragraphs between the title and the first heading form a lesson called "Introduction"."""
    text = (
        "Les soins d’hygiène\n\n"
        "Ce cours présente les soins d’hygiène du patient alité.\n\n"
        "La toilette au lit\n\n"
        "La toilette se fait du plus propre au plus sale.\n"
    )

    title, lessons, _notes = parse_text(text)

    assert title == "Les soins d’hygiène"
    assert [(lesson.title, lesson.text) for lesson in lessons] == [
        ("Introduction", "Ce cours présente les soins d’hygiène du patient alité."),
        ("La toilette au lit", "La toilette se fait du plus propre au plus sale."),
    ]


def test_heading_detection_is_not_fooled_by_list_items_or_short_sentences():
    """List items, quotes and short sentences ending with a full stop stay in the lesson text."""
    text = (
        "Surveillance\n\n"
        "Le patient est surveillé toutes les heures.\n\n"
        "Les paramètres vitaux\n\n"
        "On relève la température.\n\n"
        "- Fréquence cardiaque\n\n"
        "Puis la pression artérielle.\n\n"
        "1. Saturation\n\n"
        "Et la fréquence respiratoire.\n\n"
        "C'est essentiel.\n\n"
        "Le tout est noté dans le dossier.\n\n"
        "> Noter l’heure\n\n"
        "Chaque relevé est horodaté.\n\n"
        "Les transmissions\n\n"
        "Les transmissions sont ciblées.\n"
    )

    _title, lessons, _notes = parse_text(text)

    assert [lesson.title for lesson in lessons] == [
        "Introduction",
        "Les paramètres vitaux",
        "Les transmissions",
    ]
    assert lessons[1].text.split("\n\n") == [
        "On relève la température.",
        "- Fréquence cardiaque",
        "Puis la pression artérielle.",
        "1. Saturation",
        "Et la fréquence respiratoire.",
        "C'est essentiel.",
        "Le tout est noté dans le dossier.",
        "> Noter l’heure",
        "Chaque relevé est horodaté.",
    ]


def test_short_line_without_text_after_it_is_not_a_heading():
    """Two short lines in a row: only the one followed by a paragraph is a heading."""
    text = (
        "Titre du cours\n\n"
        "Premier paragraphe du cours.\n\n"
        "Ligne courte isolée\n\n"
        "Vraie section\n\n"
        "Texte de la section.\n"
    )

    _title, lessons, _notes = parse_text(text)

    assert [lesson.title for lesson in lessons] == ["Introduction", "Vraie section"]
    assert lessons[0].text == "Premier paragraphe du cours.\n\nLigne courte isolée"


def test_document_with_only_a_title_has_no_text():
    """A title and nothing else cannot make a lesson: DocumentError "no_text"."""
    with pytest.raises(DocumentError) as caught:
        parse_text("Les soins palliatifs\n")

    assert caught.value.code == "no_text"


@pytest.mark.parametrize(
    "text",
    [
        "Les soins palliatifs\n\nLes soins palliatifs\n",
        "# Les soins palliatifs\n\n## Définition\n\n## Objectifs\n",
        "Les soins palliatifs\n\nCatégories\nSoins\n",
    ],
    ids=["repeated-title", "headings-only", "title-and-boilerplate"],
)
def test_document_without_paragraph_text_is_refused(text):
    """A repeated title, headings without text or boilerplate alone are no paragraph text."""
    with pytest.raises(DocumentError) as caught:
        parse_text(text)

    assert caught.value.code == "no_text"


# --- Boilerplate --------------------------------------------------------------------------------


def test_sujet_heading_followed_by_a_paragraph_is_kept():
    """A closing "Sujet" section with a real paragraph is document text, not boilerplate."""
    text = (
        "Le consentement\n\n"
        "Le consentement du patient est recueilli avant tout soin.\n\n"
        "Sujet\n\n"
        "Le sujet de ce cours est le consentement libre et éclairé du patient hospitalisé.\n"
    )

    _title, lessons, _notes = parse_text(text)

    assert [lesson.title for lesson in lessons] == ["Introduction", "Sujet"]
    assert lessons[1].text == (
        "Le sujet de ce cours est le consentement libre et éclairé du patient hospitalisé."
    )


def test_trailing_boilerplate_after_a_kept_sujet_section_still_goes():
    """A real "Sujet" section survives while the site's trailer after it is dropped."""
    text = (
        "Le consentement\n\n"
        "Le consentement est recueilli avant tout soin.\n\n"
        "Sujet\n\n"
        "Le consentement libre et éclairé du patient hospitalisé est une obligation légale.\n\n"
        "Catégories\n"
        "Soins infirmiers\n"
    )

    _title, lessons, _notes = parse_text(text)

    assert [lesson.title for lesson in lessons] == ["Introduction", "Sujet"]
    assert "Catégories" not in lessons[1].text
    assert "Soins infirmiers" not in lessons[1].text


def test_strip_trailing_boilerplate_cuts_from_the_first_marker_of_the_trailer():
    """Everything from "Sujet" on goes when only short lines follow it."""
    lines = ["Texte du document.", "", "Sujet", "Des questions", "Partager", ""]

    assert strip_trailing_boilerplate(lines) == ["Texte du document.", ""]


def test_boilerplate_marker_matches_without_accents_or_case():
    """ "CATEGORIES" and "catégories" are the same marker."""
    assert strip_trailing_boilerplate(["Texte.", "CATEGORIES", "x"]) == ["Texte."]
    assert strip_trailing_boilerplate(["Texte.", "catégories"]) == ["Texte."]


def test_marker_followed_by_a_sentence_is_not_boilerplate():
    """A marker word followed by a sentence ending with a full stop is kept."""
    lines = ["Texte.", "", "Sujet", "", "Voir le cours."]

    assert strip_trailing_boilerplate(lines) == lines


# --- Typography ---------------------------------------------------------------------------------


def test_typographic_apostrophes_and_non_breaking_spaces_are_kept():
    """’, U+00A0 and U+202F before ":" "?" "!" are stored exactly as written."""
    text = (
        "L’accueil du patient\n\n"
        "L’IDE se présente\u00a0: nom et fonction.\n\n"
        "Pourquoi\u202f? Pour instaurer la confiance\u00a0!\n"
    )

    title, lessons, _notes = parse_text(text)

    assert title == "L’accueil du patient"
    stored = "\n\n".join(lesson.text for lesson in lessons)
    assert "L’IDE se présente\u00a0: nom et fonction." in stored
    assert "Pourquoi\u202f? Pour instaurer la confiance\u00a0!" in stored


def test_title_loses_its_full_stop_but_keeps_its_question_mark():
    """A title is not a sentence: a final "." goes, a final "?" stays."""
    title, _lessons, _notes = parse_text("Les antalgiques.\n\nTexte du cours.\n")
    question, _lessons, _notes = parse_text("Qu’est-ce qu’un antalgique\u00a0?\n\nTexte.\n")

    assert title == "Les antalgiques"
    assert question == "Qu’est-ce qu’un antalgique\u00a0?"


def test_document_without_headings_is_split_and_says_so():
    """Without headings the importer splits at topic breaks and notes how many lessons."""
    with override("en"):
        document = read(SEED_000)

    assert document.notes == ("no headings: split into 2 lessons at topic breaks",)


def test_duplicate_headings_get_numbered_titles():
    """Two sections with the same heading give distinct lesson titles."""
    text = "Titre\n\nExemple\n\nPremier exemple.\n\nExemple\n\nSecond exemple.\n"

    _title, lessons, _notes = parse_text(text)

    assert [lesson.title for lesson in lessons] == ["Exemple", "Exemple (2)"]
