"""What every converting importer (Word, LibreOffice, PDF, web page) does once it has the
document as Markdown: the same title, boilerplate and lesson rules as a text document
(plaintext.parse_text), and the same identity for re-imports (the text's hash)."""

from __future__ import annotations

import unicodedata
from dataclasses import replace

from django.utils.translation import gettext as _

from .base import DocumentError, ParsedDocument
from .images import ImageGatherer
from .plaintext import parsed_document

# More text than a course document holds (about 300 pages): refused, not generated from.
MAX_TEXT_CHARS = 1_500_000


def document_from_markdown(
    markdown: str,
    *,
    source: str,
    label: str,
    images: ImageGatherer | None = None,
    notes: tuple[str, ...] = (),
) -> ParsedDocument:
    """The document of ``markdown``, converted from a file of the format ``label``, with the
    pictures its lessons refer to."""
    text = unicodedata.normalize("NFC", markdown)
    if not text.strip():
        raise DocumentError(_("the document has no text"), code="empty")
    if len(text) > MAX_TEXT_CHARS:
        raise DocumentError(
            _("the document holds too much text for a course (%(count)d characters)")
            % {"count": len(text)},
            code="too_large",
        )
    gathered = images.gathered() if images else ()
    document = parsed_document(
        text,
        source=source,
        encoding=label,
        notes=(*notes, *(images.notes() if images else ())),
    )
    # Only the pictures a lesson still shows (a picture in dropped boilerplate is not kept).
    shown = "\n".join(lesson.text for lesson in document.lessons)
    return replace(document, images=tuple(i for i in gathered if f"image:{i.key}" in shown))
