"""PDF documents -> a course document, through pdfminer.six (MIT).

The text in reading order (pdfminer's layout analysis, page by page), headings told by their
font (larger than the body's, or bold and short), the document's title the largest text of its
first page. Page headers and footers (a line repeated at the same place on most pages) and
page numbers are dropped; a word hyphenated at a line's end is joined again. Refused with a
reason: an encrypted PDF that needs a password, and a PDF with no text layer (a scan).
"""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .base import DocumentError, ParsedDocument
from .converted import document_from_markdown

# A line whose font is this much larger than the body's is a heading; the first page's
# largest, the title.
HEADING_RATIO = 1.15
# A bold line of at most this many words, alone in its block, is a heading too.
BOLD_HEADING_WORDS = 12
# Headers and footers live in the top and bottom this share of a page.
MARGIN_SHARE = 0.1
_PAGE_NUMBER = re.compile(
    r"^(?:page\s*)?\d{1,4}(?:\s*(?:/|sur|of)\s*\d{1,4})?$|^[-–—]\s*\d{1,4}\s*[-–—]$", re.I
)
_DIGITS = re.compile(r"\d+")
# A word cut at a line's end: a letter, a hyphen, then a lower-case letter on the next line.
_HYPHEN_END = re.compile(r"(\w)[-‐]$")


@dataclass
class _Line:
    page: int
    top: float  # from the page's top, as a share of its height
    text: str
    size: float
    bold: bool
    block: int  # the text box it belongs to (a paragraph, in pdfminer's analysis)


class PdfImporter:
    suffixes: tuple[str, ...] = (".pdf",)
    binary = True

    def read(self, data: bytes, *, source: str) -> ParsedDocument:
        lines = _lines(data)
        if not any(line.text.strip() for line in lines):
            raise DocumentError(
                _("this PDF contains no text: is it a scan? (import its text instead)"),
                code="no_text_layer",
            )
        markdown = _markdown(_without_furniture(lines))
        return document_from_markdown(markdown, source=source, label="PDF")


def _lines(data: bytes) -> list[_Line]:
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTChar, LTTextBox, LTTextLine
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psexceptions import PSException

    if not data.lstrip().startswith(b"%PDF"):
        raise DocumentError(_("this is not a PDF file"), code="not_pdf")
    lines: list[_Line] = []
    block = 0
    try:
        for number, page in enumerate(extract_pages(io.BytesIO(data), laparams=LAParams())):
            height = page.height or 1
            for box in page:
                if not isinstance(box, LTTextBox):
                    continue
                block += 1
                for line in box:
                    if not isinstance(line, LTTextLine):
                        continue
                    chars = [char for char in line if isinstance(char, LTChar)]
                    text = line.get_text().strip()
                    if not text or not chars:
                        continue
                    sizes = Counter(round(char.size, 1) for char in chars)
                    bold = sum("bold" in char.fontname.lower() for char in chars) > len(chars) / 2
                    lines.append(
                        _Line(
                            page=number,
                            top=(height - line.y1) / height,
                            text=text,
                            size=sizes.most_common(1)[0][0],
                            bold=bold,
                            block=block,
                        )
                    )
    except (PDFPasswordIncorrect, PDFEncryptionError) as error:
        raise DocumentError(
            _("this PDF is encrypted: save it again without a password, then import it"),
            code="encrypted",
        ) from error
    except (PDFSyntaxError, PSException, ValueError, KeyError, TypeError) as error:
        raise DocumentError(
            _("this PDF cannot be read (%(reason)s)") % {"reason": type(error).__name__},
            code="unreadable",
        ) from error
    return lines


def _without_furniture(lines: list[_Line]) -> list[_Line]:
    """Page numbers, and headers and footers (the same text, digits aside, in a page's top or
    bottom margin on two pages at least and half of them), dropped."""
    pages = len({line.page for line in lines}) or 1

    def in_margin(line: _Line) -> bool:
        return line.top < MARGIN_SHARE or line.top > 1 - MARGIN_SHARE

    repeated = Counter(
        _DIGITS.sub("#", line.text.lower())
        for line in {(line.page, line.text): line for line in lines if in_margin(line)}.values()
    )
    furniture = {text for text, count in repeated.items() if count >= max(2, pages / 2)}
    return [
        line
        for line in lines
        if not (
            in_margin(line)
            and (_PAGE_NUMBER.match(line.text) or _DIGITS.sub("#", line.text.lower()) in furniture)
        )
    ]


def _markdown(lines: list[_Line]) -> str:
    """Blocks as paragraphs, heading lines as headings (levels by size), the title first."""
    if not lines:
        return ""
    weights: Counter[float] = Counter()
    for line in lines:
        weights[line.size] += len(line.text)
    body = weights.most_common(1)[0][0]
    heading_sizes = sorted(
        {line.size for line in lines if line.size > body * HEADING_RATIO}, reverse=True
    )
    first_page = [line for line in lines if line.page == lines[0].page]
    title_size = max(line.size for line in first_page)
    out: list[str] = []
    paragraph: list[str] = []
    current_block = None
    title_done = False

    def flush() -> None:
        if paragraph:
            out.append(_joined(paragraph))
            paragraph.clear()

    for line in lines:
        size_heading = line.size > body * HEADING_RATIO
        bold_heading = (
            line.bold
            and len(line.text.split()) <= BOLD_HEADING_WORDS
            and not line.text.endswith((".", ",", ";", ":"))
            and sum(1 for other in lines if other.block == line.block) == 1
        )
        if not title_done and line.size == title_size and (size_heading or bold_heading):
            flush()
            out.append("# " + line.text)
            title_done = True
            current_block = None
            continue
        if size_heading or bold_heading:
            flush()
            level = 2 + (
                heading_sizes.index(line.size) if line.size in heading_sizes else len(heading_sizes)
            )
            level = min(level, 6)
            if out and out[-1].startswith("#" * level + " ") and current_block == line.block:
                out[-1] += " " + line.text  # a heading on two lines
            else:
                out.append("#" * level + " " + line.text)
            current_block = line.block
            continue
        if line.block != current_block:
            flush()
            current_block = line.block
        paragraph.append(line.text)
    flush()
    return "\n\n".join(out) + "\n"


def _joined(lines: list[str]) -> str:
    """A paragraph's lines as one: a word hyphenated at a line's end joined again."""
    text = ""
    for line in lines:
        if text and _HYPHEN_END.search(text) and line[:1].islower():
            text = text[:-1] + line
        elif text:
            text += " " + line
        else:
            text = line
    return text
