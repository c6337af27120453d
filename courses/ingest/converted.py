"""What every converting importer (Word, LibreOffice, PDF, web page) does once it has the
document as Markdown: the same title, boilerplate and lesson rules as a text document
(plaintext.parse_text), and the same identity for re-imports (the text's hash)."""

from __future__ import annotations

import unicodedata

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .base import DocumentError, ParsedDocument
from .plaintext import parsed_document

# More text than a course document holds (about 300 pages): refused, not generated from.
MAX_TEXT_CHARS = 1_500_000


def document_from_markdown(
    markdown: str, *, source: str, label: str, images: int = 0, notes: tuple[str, ...] = ()
) -> ParsedDocument:
    """The document of ``markdown``, converted from a file of the format ``label``."""
    text = unicodedata.normalize("NFC", markdown)
    if not text.strip():
        raise DocumentError(_("the document has no text"), code="empty")
    if len(text) > MAX_TEXT_CHARS:
        raise DocumentError(
            _("the document holds too much text for a course (%(count)d characters)")
            % {"count": len(text)},
            code="too_large",
        )
    extra = list(notes)
    if images:
        extra.append(
            ngettext(
                "%(count)d image not imported: images are not carried into lessons yet",
                "%(count)d images not imported: images are not carried into lessons yet",
                images,
            )
            % {"count": images}
        )
    return parsed_document(text, source=source, encoding=label, notes=tuple(extra))
