"""Word, LibreOffice, PDF and saved web pages become course documents (courses/ingest/), with
the text importer's rules for titles, lessons and re-imports; and each bad file is refused with
one line saying why.

The documents are made by the tests (tests/ingest/documents.py), the same text in each format.
"""

from __future__ import annotations

import io
import re
import time
import zipfile

import pytest
from django.conf import settings

from courses.ingest import DocumentError, read_document
from courses.ingest.archives import MAX_ENTRIES

from . import documents

LIMITS = {"max_bytes": 2 * 1024 * 1024, "max_package_bytes": 20 * 1024 * 1024}


def read(data: bytes, name: str):
    return read_document(data, source=name, **LIMITS)


def words(text: str) -> list[str]:
    """The words of a text, whatever its markup and typography."""
    text = text.replace("’", "'").replace("\u00a0", " ")
    return re.findall(r"[^\W_]+", re.sub(r"[*#|>-]", " ", text).lower())


BUILT = {
    "document.docx": lambda: documents.docx(with_extras=False),
    "document.odt": documents.odt,
    "document.pdf": documents.pdf,
    "document.html": documents.html,
}


@pytest.mark.parametrize("name", list(BUILT))
def test_each_format_gives_the_same_title_lessons_and_words(name):
    """The same text made in each format comes out as the same title, the same lessons with
    the same titles, and the same words in each lesson (the PDF's header, footer and page
    numbers, the page's navigation, banner, sidebar and footer dropped; the PDF's hyphenated
    word joined again)."""
    document = read(BUILT[name](), name)
    assert document.title == documents.TITLE
    assert [lesson.title for lesson in document.lessons] == [h for h, _p in documents.LESSONS]
    for lesson, (_heading, paragraphs) in zip(document.lessons, documents.LESSONS, strict=True):
        assert words(lesson.text) == words(" ".join(paragraphs)), name


def test_a_word_document_keeps_its_list_and_table_and_counts_its_image():
    document = read(documents.docx(), "document.docx")
    first = document.lessons[0].text
    for sign in documents.SIGNS:
        assert f"- {sign}" in first
    assert "| Grade | Signe |" in first
    assert "|---|---|" in first
    assert "| 2 | Hypotension sensible au remplissage |" in first
    assert any(note.startswith("1 image") for note in document.notes)


def test_a_word_documents_macros_are_ignored():
    """A macro project in the archive (as a .docm carries) is neither run nor read."""
    data = io.BytesIO(documents.docx(with_extras=False))
    with zipfile.ZipFile(data, "a") as archive:
        archive.writestr("word/vbaProject.bin", b'\x00Attribute VB_Name = "Module1"' * 50)
    document = read(data.getvalue(), "macros.docx")
    assert document.title == documents.TITLE
    assert "VB_Name" not in "".join(lesson.text for lesson in document.lessons)


def test_a_pdf_drops_page_numbers_and_running_headers_and_joins_hyphenated_words():
    text = "\n".join(lesson.text for lesson in read(documents.pdf(), "d.pdf").lessons)
    assert "Page 1" not in text
    assert "livret de formation" not in text
    assert "cytokines après une immunothérapie" in text
    assert "cyto-" not in text


def test_a_web_page_keeps_its_article_only():
    document = read(documents.html(), "page.html")
    text = "\n".join(lesson.text for lesson in document.lessons)
    for gone in ("Accueil", "cookies", "Articles liés", "Mentions légales", "CHU Exemple"):
        assert gone not in text
        assert gone not in document.title


def test_re_importing_the_same_file_is_recognised_by_its_text():
    """The text's hash is the document's identity, as for a text file: the same Word document
    saved again (new timestamps inside the archive) is the same document."""
    first = read(documents.docx(with_extras=False), "a.docx")
    again = read(documents.docx(with_extras=False), "renamed.docx")
    assert first.content_hash == again.content_hash


# --- refused, with one line saying why ---------------------------------------------------------


def refusal(data: bytes, name: str) -> DocumentError:
    with pytest.raises(DocumentError) as refused:
        read(data, name)
    message = str(refused.value)
    assert message
    assert "\n" not in message
    return refused.value


def test_an_encrypted_pdf_is_refused():
    error = refusal(documents.pdf(encrypt="secret"), "chiffré.pdf")
    assert error.code == "encrypted"
    assert "password" in str(error) or "mot de passe" in str(error)


def test_a_scanned_pdf_is_refused_as_a_scan():
    from django.utils import translation

    with translation.override("fr"):
        error = refusal(documents.scanned_pdf(), "scan.pdf")
    assert error.code == "no_text_layer"
    assert "ce PDF ne contient pas de texte\u00a0: est-ce un scan\u00a0?" in str(error)


@pytest.mark.parametrize("name", ["faux.docx", "faux.odt"])
def test_a_document_that_is_no_zip_is_refused(name):
    assert refusal(b"PK\x03\x04 but not really a zip at all" * 10, name).code == "not_zip"


def test_a_zip_that_is_no_word_document_is_refused():
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr("hello.txt", "bonjour")
    assert refusal(data.getvalue(), "autre.docx").code == "not_docx"
    assert refusal(data.getvalue(), "autre.odt").code == "not_odt"


def zip_bomb(*, entries: int = 1, size: int = 0) -> bytes:
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        if size:
            archive.writestr("word/media/huge.bin", b"\0" * size)
        for number in range(entries):
            archive.writestr(f"word/part{number}.xml", "")
    return data.getvalue()


@pytest.mark.parametrize(
    ("bomb", "why"),
    [
        pytest.param(lambda: zip_bomb(size=300 * 1024 * 1024), " 300 ", id="300-MB-of-zeros"),
        pytest.param(
            lambda: zip_bomb(entries=MAX_ENTRIES + 1), f" {MAX_ENTRIES + 3} ", id="too-many-entries"
        ),
    ],
)
def test_a_zip_bomb_is_refused_within_its_limits_and_time(bomb, why):
    """Refused from the archive's directory, before anything is inflated: fast, whatever it
    would inflate to."""
    data = bomb()
    assert len(data) < 1024 * 1024
    started = time.perf_counter()
    error = refusal(data, "bombe.docx")
    assert time.perf_counter() - started < 2  # generous: the check reads a directory only
    assert error.code == "zip_bomb"
    assert why in str(error)


def test_a_file_over_the_size_limit_is_refused():
    data = documents.docx(with_extras=False)
    with pytest.raises(DocumentError) as refused:
        read_document(data, source="gros.docx", max_bytes=1000, max_package_bytes=1000)
    assert refused.value.code == "too_large"


def test_a_web_page_without_an_article_is_refused():
    error = refusal(documents.links_only_html(), "plan.html")
    assert error.code == "no_article"


def test_a_pdf_that_is_not_one_is_refused():
    assert refusal(b"%PDF-1.4\n garbage \x00\x01 trailer", "cassé.pdf").code == "unreadable"
    assert refusal(b"GIF89a not a pdf", "image.pdf").code == "not_pdf"


def test_the_site_limit_for_packaged_formats_is_a_setting():
    assert settings.COURSES_IMPORT_MAX_PACKAGE_BYTES >= settings.COURSES_IMPORT_MAX_BYTES


# --- the HTML converter ------------------------------------------------------------------------


def test_the_converter_keeps_nested_lists_emphasis_and_escapes_markup_like_text():
    from courses.ingest.htmltext import html_to_markdown

    converted = html_to_markdown(
        "<body><p>Une <strong>fièvre</strong> et une <em>hypotension</em>.</p>"
        "<ol><li>Mesurer<ul><li>la température</li></ul></li><li>Alerter</li></ol>"
        "<p># pas un titre</p><script>alert(1)</script><nav>Menu</nav></body>"
    )
    assert converted.markdown == (
        "Une **fièvre** et une *hypotension*.\n\n"
        "1. Mesurer\n   - la température\n2. Alerter\n\n"
        "\\# pas un titre\n"
    )


def test_pipe_tables_render_as_tables():
    from courses.markup import render_markdown

    html = render_markdown("| Grade | Signe |\n|---|---|\n| 1 | Fièvre |\n")
    assert "<table>" in html
    assert "<td>Fièvre</td>" in html
