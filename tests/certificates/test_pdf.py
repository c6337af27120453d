"""The certificate's PDF: an A4 page, in French, with a QR code to its verification page,
then the end-of-training certificate (attestation de fin de formation, Code du travail L6353-1).

Pure: a CertificateDocument in, bytes out; read back with pypdf (text and where it is) and
pypdfium2 + zxing-cpp (the QR code, decoded from the rendered page).
"""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date

import pypdfium2
import pytest
import zxingcpp
from django.utils import translation
from pypdf import PdfReader
from reportlab.lib.units import mm

from courses.certificates import pdf

CODE = "7KQ2M-9XD4T-ABCDE-01234"
URL = f"https://formation.example.org/certificates/verify/{CODE}/"
QR_TOP = (40 + 38) * mm  # pdf.render draws the QR code from 40 mm up, 38 mm high
FRAME_LEFT = 12 * mm

DOCUMENT = pdf.CertificateDocument(
    code=CODE,
    verify_url=URL,
    full_name="Camille Martin",
    professional_id="10101010101",
    course_title="Cytokines et immunothérapie anticancéreuse : rôle infirmier",
    hours="2 heures",
    completion_date=date(2026, 3, 3),
    issued_date=date(2026, 3, 4),
    expires_date=date(2029, 3, 4),
    issuer="Institut de formation OncoForma",
    signer_name="Dr Claire Lambert",
    signer_title="Responsable pédagogique",
    objectives=(
        "Reconnaître les signes d’un syndrome de libération de cytokines",
        "Surveiller un patient sous thérapie par cytokines",
    ),
    training_nature="Action de formation à distance : leçons et quiz d’évaluation des acquis.",
    started_date=date(2026, 2, 10),
    results=(
        pdf.QuizResult("Le syndrome de libération de cytokines", 4, 5, 2, True, date(2026, 2, 20)),
        pdf.QuizResult("Le traitement du SRC", 5, 5, 1, True, date(2026, 3, 3)),
    ),
)
LONG_NAME = "Marie-Geneviève Léonie Ortiz de la Fontaine-Beauséjour Delacroix-Montmorency"
LONG_TITLE = (
    "Examiner le rôle de la thérapie par cytokines dans l’immunothérapie du cancer et ses "
    "effets secondaires potentiels chez les patients : prise en charge infirmière, "
    "surveillance et éducation thérapeutique du patient et de son entourage"
)


def render(document: pdf.CertificateDocument) -> bytes:
    with translation.override("fr"):
        return pdf.render(document)


def text_of(content: bytes) -> str:
    # Lines joined with spaces, the non-breaking spaces of French typography made plain.
    reader = PdfReader(io.BytesIO(content))
    return " ".join(page.extract_text() for page in reader.pages).replace("\u00a0", " ")


def placed_lines(content: bytes) -> list[tuple[float, float, str]]:
    """(x, y, text) of each line drawn on the first page, in points from the bottom left."""
    page = PdfReader(io.BytesIO(content)).pages[0]
    lines = []

    def visit(text, cm, tm, _font, _size):
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            lines.append((x, y, text.strip().replace("\u00a0", " ")))

    page.extract_text(visitor_text=visit)
    return lines


def qr_codes(content: bytes) -> list[str]:
    page = pypdfium2.PdfDocument(content)[0]
    image = page.render(scale=3).to_pil()
    return [result.text for result in zxingcpp.read_barcodes(image)]


def test_the_pdf_says_who_what_how_long_and_its_code_in_french():
    content = render(DOCUMENT)
    assert content.startswith(b"%PDF-")
    text = text_of(content)
    for expected in [
        "ATTESTATION DE FORMATION CONTINUE",
        "décernée à",
        "Camille Martin",
        "Numéro RPPS : 10101010101",
        "pour avoir suivi la formation",
        "Cytokines et immunothérapie anticancéreuse",
        "Durée : 2 heures",
        "Achevée le 3 mars 2026",
        "Délivrée le 4 mars 2026",
        "Valable jusqu’au 4 mars 2029",
        "Vérifier cette attestation :",
        f"Code : {CODE}",
        "Dr Claire Lambert",
        "Institut de formation OncoForma",
    ]:
        assert expected in text, expected
    assert "Réédition" not in text


def test_without_an_rpps_number_or_an_expiry_those_lines_are_left_out():
    text = text_of(render(replace(DOCUMENT, professional_id="", expires_date=None)))
    assert "RPPS" not in text
    assert "Valable" not in text


def test_the_qr_code_decodes_to_the_verification_address():
    assert qr_codes(render(DOCUMENT)) == [URL]


def test_the_metadata_name_the_certificate():
    info = PdfReader(io.BytesIO(render(DOCUMENT))).metadata
    assert info.title == f"Attestation {CODE}"
    assert info.author == "Institut de formation OncoForma"


@pytest.mark.parametrize(
    "document",
    [
        replace(DOCUMENT, full_name=LONG_NAME),
        replace(DOCUMENT, course_title=LONG_TITLE),
        replace(DOCUMENT, full_name=LONG_NAME, course_title=LONG_TITLE, duplicate_of=CODE),
        replace(DOCUMENT, full_name="X" * 5 + " " + LONG_NAME * 2, course_title=LONG_TITLE * 2),
    ],
    ids=["long name", "long title", "both, and a re-issue", "absurdly long"],
)
def test_a_long_name_and_title_still_fit_on_one_page(document):
    """The certificate on its page, inside the frame, above the QR code, and the QR code
    readable; the end-of-training certificate on the next."""
    content = render(document)
    pages = PdfReader(io.BytesIO(content)).pages
    assert len(pages) == 2
    assert "ATTESTATION DE FIN DE FORMATION" not in pages[0].extract_text()
    assert "ATTESTATION DE FIN DE FORMATION" in pages[1].extract_text()
    lines = placed_lines(content)
    body = [
        (x, y, text)
        for x, y, text in lines
        if not text.startswith(("Dr Claire", "Responsable", "Vérifier", "https://", "Code"))
        and not (text == "Institut de formation OncoForma" and y < QR_TOP)
    ]
    assert all(y > QR_TOP for _x, y, _text in body), body
    assert all(x >= FRAME_LEFT for x, _y, _text in lines), lines
    text = text_of(content)
    assert "Martin" in text or document.full_name != DOCUMENT.full_name
    assert qr_codes(content) == [URL]


def test_a_re_issue_says_which_certificate_it_replaces():
    content = render(replace(DOCUMENT, duplicate_of="AAAAA-BBBBB-CCCCC-DDDDD"))
    assert "Réédition remplaçant l’attestation AAAAA-BBBBB-CCCCC-DDDDD" in text_of(content)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("hours", "label"),
    [
        ("2.0", "2 heures"),
        ("1.0", "1 heure"),
        ("1.5", "1,5 heure"),
        ("0.5", "0,5 heure"),
        ("7.5", "7,5 heures"),
    ],
)
def test_the_duration_takes_the_french_plural(hours, label):
    """French takes the plural from two: "1,5 heure", "2 heures"."""
    from decimal import Decimal

    from courses.models import Certificate

    assert Certificate(contact_hours=Decimal(hours)).hours_label == label


# --- the end-of-training certificate (attestation de fin de formation, L6353-1) -------------


def page_text(content: bytes, index: int) -> str:
    page = PdfReader(io.BytesIO(content)).pages[index]
    return " ".join(page.extract_text().replace("\u00a0", " ").split())


def test_the_end_of_training_certificate_states_what_l6353_1_asks():
    """Objectives, nature, dates, duration and the results of the assessment, in French."""
    text = page_text(render(DOCUMENT), 1)
    for expected in (
        "ATTESTATION DE FIN DE FORMATION",
        "article L6353-1 du Code du travail",
        "L’organisme de formation Institut de formation OncoForma atteste que",
        "Camille Martin",
        "a suivi la formation",
        "Nature de l’action de formation",
        "Action de formation à distance : leçons et quiz d’évaluation des acquis.",
        "Du 10 février 2026 au 3 mars 2026",
        "Durée 2 heures",
        "Objectifs",
        "– Reconnaître les signes d’un syndrome de libération de cytokines",
        "– Surveiller un patient sous thérapie par cytokines",
        "Résultats de l’évaluation des acquis",
        "2 quiz réussis sur 2",
        "Le syndrome de libération de cytokines 4/5 (80 %) 2 Réussi le 20 février 2026",
        "Le traitement du SRC 5/5 (100 %) 1 Réussi le 3 mars 2026",
        "Fait le 4 mars 2026 par Dr Claire Lambert, Responsable pédagogique",
        f"Attestation {CODE}",
    ):
        assert expected in text, (expected, text)


def test_a_quiz_not_passed_and_a_course_without_quiz_are_stated_as_such():
    failed = replace(DOCUMENT, results=(pdf.QuizResult("Les cytokines", 2, 5, 3, False, None),))
    text = page_text(render(failed), 1)
    assert "0 quiz réussi sur 1" in text
    assert "Les cytokines 2/5 (40 %) 3 Non réussi" in text
    reading = page_text(render(replace(DOCUMENT, results=())), 1)
    assert "La formation ne comportait pas de quiz" in reading


def test_a_long_course_continues_on_more_pages_with_every_quiz():
    """Sixty quizzes: the table runs on, its header repeated, none lost."""
    results = tuple(
        pdf.QuizResult(f"Leçon numéro {n}", 5, 5, 1, True, date(2026, 3, 1)) for n in range(60)
    )
    content = render(replace(DOCUMENT, results=results))
    pages = PdfReader(io.BytesIO(content)).pages
    assert len(pages) >= 3
    text = " ".join(page_text(content, index) for index in range(1, len(pages)))
    assert all(f"Leçon numéro {n} " in text for n in range(60))
    assert page_text(content, 2).startswith("Quiz de la leçon Meilleur score")
    assert "Fait le 4 mars 2026" in page_text(content, len(pages) - 1)
