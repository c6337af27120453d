"""The certificate as an A4 PDF (ReportLab), with a QR code to its verification page.

Page 1 is the certificate; page 2 (and more, for a long course) the end-of-training
certificate the Code du travail asks of a training organisation (attestation de fin de
formation, article L6353-1): the training's objectives, its nature, its dates and duration, and
the results of the assessment of what was learnt.

Pure: a ``CertificateDocument`` in, PDF bytes out. The QR code is drawn as vector squares from
segno's matrix, so it stays sharp at any zoom and needs no image library.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape

import segno
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas
from reportlab.platypus import Flowable, Frame, Paragraph, Spacer, Table, TableStyle

PRIMARY = colors.HexColor("#074245")
MUTED = colors.HexColor("#4d5b5e")


@dataclass(frozen=True)
class CertificateDocument:
    code: str
    verify_url: str
    full_name: str
    professional_id: str
    course_title: str
    hours: str  # the duration as printed: "2 heures", "1,5 heure"
    completion_date: date
    issued_date: date
    expires_date: date | None
    issuer: str
    signer_name: str
    signer_title: str
    duplicate_of: str | None = None  # the original's code, on a re-issue
    # The end-of-training certificate's own statements (see the module's docstring).
    objectives: tuple[str, ...] = ()
    training_nature: str = ""
    started_date: date | None = None
    results: tuple[QuizResult, ...] = ()


@dataclass(frozen=True)
class QuizResult:
    lesson: str
    score: int
    total: int
    attempts: int
    passed: bool
    passed_on: date | None


def _date(value: date) -> str:
    return formats.date_format(value, "j F Y")


def _centered(pdf: canvas.Canvas, text: str, y: float, *, size: float, font: str = "Helvetica",
              color=colors.black, width: float = 170 * mm) -> float:  # fmt: skip
    """Draw wrapped, centred text whose top is at ``y``; return the y below it."""
    style = ParagraphStyle(
        "c", fontName=font, fontSize=size, leading=size * 1.25, alignment=TA_CENTER,
        textColor=color,
    )  # fmt: skip
    paragraph = Paragraph(escape(text), style)
    _w, height = paragraph.wrap(width, 200 * mm)
    paragraph.drawOn(pdf, (A4[0] - width) / 2, y - height)
    return y - height


def _qr(pdf: canvas.Canvas, payload: str, *, x: float, y: float, size: float) -> None:
    """The QR code as one path of horizontal runs of dark modules (one fill, not hundreds)."""
    matrix = segno.make(payload, error="m").matrix
    modules = len(matrix) + 8  # the quiet zone of four modules on each side
    unit = size / modules
    pdf.setFillColor(colors.white)
    pdf.rect(x, y, size, size, stroke=0, fill=1)
    path = pdf.beginPath()
    for row, line in enumerate(matrix):
        top = y + size - (row + 5) * unit
        column = 0
        while column < len(line):
            if not line[column]:
                column += 1
                continue
            start = column
            while column < len(line) and line[column]:
                column += 1
            path.rect(x + (start + 4) * unit, top, (column - start) * unit, unit)
    pdf.setFillColor(colors.black)
    pdf.drawPath(path, stroke=0, fill=1)


# The body runs from under the header band down to this floor, above the QR code (whose top is
# at 40 + 38 mm) and the signature line (62 mm). A long name or course title shrinks the body's
# type until it fits, rather than running under the QR code.
BODY_FLOOR = 82 * mm
BODY_MIN_SCALE = 0.5


@dataclass(frozen=True)
class _Line:
    text: str
    size: float
    font: str = "Helvetica"
    color: colors.Color = colors.black
    space_before: float = 0.0


def _paragraph(line: _Line, scale: float) -> Paragraph:
    style = ParagraphStyle(
        "c", fontName=line.font, fontSize=line.size * scale, leading=line.size * scale * 1.25,
        alignment=TA_CENTER, textColor=line.color,
    )  # fmt: skip
    return Paragraph(escape(line.text), style)


def _body_lines(document: CertificateDocument) -> list[_Line]:
    lines = [
        _Line(_("awarded to"), 13, color=MUTED),
        _Line(document.full_name, 26, font="Helvetica-Bold", space_before=4 * mm),
    ]
    if document.professional_id:
        lines.append(
            _Line(
                _("RPPS number: %(number)s") % {"number": document.professional_id},
                12,
                color=MUTED,
                space_before=2 * mm,
            )
        )
    lines += [
        _Line(_("for completing the course"), 13, color=MUTED, space_before=10 * mm),
        _Line(document.course_title, 18, font="Helvetica-Bold", color=PRIMARY, space_before=4 * mm),
        _Line(_("Duration: %(hours)s") % {"hours": document.hours}, 13, space_before=10 * mm),
        _Line(
            _("Completed on %(date)s") % {"date": _date(document.completion_date)},
            13,
            space_before=2 * mm,
        ),
        _Line(
            _("Issued on %(date)s") % {"date": _date(document.issued_date)},
            11,
            color=MUTED,
            space_before=2 * mm,
        ),
    ]
    if document.expires_date is not None:
        lines.append(
            _Line(
                _("Valid until %(date)s") % {"date": _date(document.expires_date)}, 11, color=MUTED
            )
        )
    if document.duplicate_of:
        lines.append(
            _Line(
                _("Re-issue replacing certificate %(code)s") % {"code": document.duplicate_of},
                11,
                color=MUTED,
                space_before=2 * mm,
            )
        )
    return lines


def _body(pdf: canvas.Canvas, document: CertificateDocument, *, top: float, floor: float) -> None:
    """Draw the body's centred lines from ``top``, at the largest type that ends above ``floor``."""
    width = 170 * mm
    lines = _body_lines(document)
    scale = 1.0
    while True:
        placed = []
        y = top
        for line in lines:
            paragraph = _paragraph(line, scale)
            _w, height = paragraph.wrap(width, 200 * mm)
            y -= line.space_before * scale + height
            placed.append((paragraph, y))
        if y >= floor or scale <= BODY_MIN_SCALE:
            break
        scale = round(scale - 0.05, 2)
    for paragraph, bottom in placed:
        paragraph.drawOn(pdf, (A4[0] - width) / 2, bottom)


def render(document: CertificateDocument) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    width, height = A4
    pdf.setTitle(_("Certificate %(code)s") % {"code": document.code})
    pdf.setAuthor(document.issuer)
    pdf.setSubject(document.course_title)

    # Frame and header band.
    pdf.setStrokeColor(PRIMARY)
    pdf.setLineWidth(2)
    pdf.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    pdf.setFillColor(PRIMARY)
    pdf.rect(12 * mm, height - 48 * mm, width - 24 * mm, 36 * mm, stroke=0, fill=1)
    _centered(pdf, document.issuer, height - 24 * mm, size=14, font="Helvetica-Bold",
              color=colors.white)  # fmt: skip
    _centered(pdf, _("CERTIFICATE OF CONTINUING EDUCATION"), height - 34 * mm, size=18,
              font="Helvetica-Bold", color=colors.white)  # fmt: skip

    _body(pdf, document, top=height - 70 * mm, floor=BODY_FLOOR)

    # Signature, bottom left.
    pdf.setFillColor(colors.black)
    pdf.setStrokeColor(MUTED)
    pdf.setLineWidth(0.5)
    pdf.line(25 * mm, 62 * mm, 95 * mm, 62 * mm)
    pdf.setFont("Helvetica-Bold", 12)
    pdf.drawString(25 * mm, 56 * mm, document.signer_name)
    pdf.setFont("Helvetica", 10)
    if document.signer_title:
        pdf.drawString(25 * mm, 51 * mm, document.signer_title)
    pdf.drawString(25 * mm, 46 * mm, document.issuer)

    # Verification, bottom right: the QR code, the address and the code.
    qr_size = 38 * mm
    _qr(pdf, document.verify_url, x=width - 25 * mm - qr_size, y=40 * mm, size=qr_size)
    pdf.setFont("Helvetica", 8)
    pdf.setFillColor(MUTED)
    pdf.drawRightString(width - 25 * mm, 34 * mm, _("Verify this certificate:"))
    pdf.drawRightString(width - 25 * mm, 30 * mm, document.verify_url)
    pdf.setFont("Helvetica-Bold", 10)
    pdf.setFillColor(colors.black)
    pdf.drawRightString(width - 25 * mm, 24 * mm, _("Code: %(code)s") % {"code": document.code})
    pdf.showPage()
    _attestation(pdf, document)
    pdf.save()
    return buffer.getvalue()


def _style(size: float, *, bold: bool = False, color=colors.black, align=TA_LEFT,
           space_before: float = 0.0) -> ParagraphStyle:  # fmt: skip
    return ParagraphStyle(
        "a", fontName="Helvetica-Bold" if bold else "Helvetica", fontSize=size,
        leading=size * 1.3, textColor=color, alignment=align, spaceBefore=space_before,
    )  # fmt: skip


def _text(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text), style)


def _result_line(result: QuizResult) -> str:
    if result.passed and result.passed_on is not None:
        return _("Passed on %(date)s") % {"date": _date(result.passed_on)}
    return _("Not passed")


def _attestation_story(document: CertificateDocument) -> list[Flowable]:
    body = _style(10.5)
    label = _style(10.5, bold=True, color=PRIMARY, space_before=3 * mm)
    name = document.full_name
    if document.professional_id:
        name += " — " + _("RPPS number: %(number)s") % {"number": document.professional_id}
    if document.started_date is not None:
        dates = _("From %(start)s to %(end)s") % {
            "start": _date(document.started_date),
            "end": _date(document.completion_date),
        }
    else:
        dates = _("Completed on %(date)s") % {"date": _date(document.completion_date)}
    story: list[Flowable] = [
        _text(
            _("END-OF-TRAINING CERTIFICATE"), _style(16, bold=True, color=PRIMARY, align=TA_CENTER)
        ),
        _text(
            _("Issued under article L6353-1 of the Code du travail"),
            _style(9.5, color=MUTED, align=TA_CENTER, space_before=1.5 * mm),
        ),
        _text(
            _("The training organisation %(issuer)s certifies that") % {"issuer": document.issuer},
            _style(10.5, space_before=8 * mm),
        ),
        _text(name, _style(13, bold=True, space_before=2 * mm)),
        _text(_("has followed the training"), _style(10.5, space_before=2 * mm)),
        _text(document.course_title, _style(12, bold=True, color=PRIMARY, space_before=1 * mm)),
        _text(_("Nature of the training"), label),
        _text(document.training_nature, body),
        _text(_("Dates"), label),
        _text(dates, body),
        _text(_("Duration"), label),
        _text(document.hours, body),
        _text(_("Objectives"), label),
    ]
    story += [_text("– " + objective, body) for objective in document.objectives]
    story.append(_text(_("Results of the assessment"), label))
    if document.results:
        passed = sum(result.passed for result in document.results)
        story.append(
            _text(
                ngettext(
                    "%(passed)d quiz passed of %(total)d, at the course's pass mark.",
                    "%(passed)d quizzes passed of %(total)d, at the course's pass mark.",
                    passed,
                )
                % {"passed": passed, "total": len(document.results)},
                body,
            )
        )
        cell = _style(9)
        head = _style(9, bold=True)
        rows = [
            [_text(_("Quiz of the lesson"), head), _text(_("Best score"), head),
             _text(_("Attempts"), head), _text(_("Result"), head)],
        ]  # fmt: skip
        for result in document.results:
            percent = round(100 * result.score / result.total) if result.total else 0
            rows.append(
                [
                    _text(result.lesson, cell),
                    _text(f"{result.score}/{result.total} ({percent}\u00a0%)", cell),
                    _text(str(result.attempts), cell),
                    _text(_result_line(result), cell),
                ]
            )
        table = Table(rows, colWidths=[70 * mm, 28 * mm, 22 * mm, 50 * mm], repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("LINEBELOW", (0, 0), (-1, 0), 0.8, PRIMARY),
                    ("LINEBELOW", (0, 1), (-1, -1), 0.25, MUTED),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("TOPPADDING", (0, 0), (-1, -1), 3),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ]
            )
        )
        story += [Spacer(0, 2 * mm), table]
    else:
        story.append(_text(_("The course had no quiz: its completion rests on the reading."), body))
    story.append(
        _text(
            _("Completed on %(date)s, every condition of the course met.")
            % {"date": _date(document.completion_date)},
            _style(10.5, space_before=3 * mm),
        )
    )
    signed = _("Issued on %(date)s by %(name)s") % {
        "date": _date(document.issued_date),
        "name": document.signer_name,
    }
    if document.signer_title:
        signed += f", {document.signer_title}"
    story += [
        _text(signed, _style(10.5, space_before=8 * mm)),
        _text(
            _("Certificate %(code)s, verifiable at %(url)s")
            % {"code": document.code, "url": document.verify_url},
            _style(8.5, color=MUTED, space_before=2 * mm),
        ),
    ]
    return story


def _attestation(pdf: canvas.Canvas, document: CertificateDocument) -> None:
    """The end-of-training certificate, on as many pages as its results need."""
    width, height = A4
    story = _attestation_story(document)
    while story:
        pdf.setStrokeColor(PRIMARY)
        pdf.setLineWidth(2)
        pdf.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
        frame = Frame(20 * mm, 20 * mm, width - 40 * mm, height - 40 * mm, showBoundary=0)
        placed = 0
        while story:
            if frame.add(story[0], pdf):
                story.pop(0)
                placed += 1
                continue
            parts = frame.split(story[0], pdf)  # a table runs on, its header repeated
            if len(parts) < 2:
                break
            story[0:1] = parts
        pdf.showPage()
        if story and not placed:
            raise ValueError("a part of the end-of-training certificate does not fit on a page")
