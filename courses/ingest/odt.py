"""LibreOffice and OpenDocument text (.odt) -> a course document, through odfpy's ODF2XHTML
(Apache-2.0; its XML is read with defusedxml).

Outline headings become headings (a paragraph in the Title style the document's title), lists,
tables and emphasis Markdown; macros are never run. The archive is checked before anything is
extracted (archives.zip_opened).
"""

from __future__ import annotations

import io
import re

from django.utils.translation import gettext as _

from .archives import read_entry, zip_opened
from .base import DocumentError, ParsedDocument
from .converted import document_from_markdown
from .htmltext import html_to_markdown
from .images import ImageGatherer

# ODF2XHTML writes a paragraph's style as its class ("P-Title", "P-Titre"): the title style.
_TITLE_PARAGRAPH = re.compile(r'<p class="[^"]*\b(?:P-Title|P-Titre)\b[^"]*"[^>]*>(.*?)</p>', re.S)


class OdtImporter:
    suffixes: tuple[str, ...] = (".odt",)
    binary = True

    def read(self, data: bytes, *, source: str) -> ParsedDocument:
        from odf.odf2xhtml import ODF2XHTML

        archive = zip_opened(data, kind="LibreOffice")
        if "content.xml" not in archive.namelist():
            raise DocumentError(
                _("this is not an OpenDocument text: the archive has no content.xml"),
                code="not_odt",
            )
        try:
            xhtml = ODF2XHTML(generate_css=False, embedable=True).odf2xhtml(io.BytesIO(data))
        except Exception as error:  # odfpy raises what its XML reader meets
            raise DocumentError(
                _("this OpenDocument text cannot be read (%(reason)s)")
                % {"reason": type(error).__name__},
                code="unreadable",
            ) from error
        xhtml = _TITLE_PARAGRAPH.sub(r"<h1>\1</h1>", xhtml)
        images = ImageGatherer()
        names = set(archive.namelist())

        def picture(src: str, alt: str) -> str | None:
            # ODF2XHTML points at the picture inside the archive ("Pictures/….png").
            if src in names:
                return images.add(read_entry(archive, src), alt=alt)
            return images.add_source(src, alt=alt)

        converted = html_to_markdown(xhtml, image=picture)
        return document_from_markdown(
            converted.markdown, source=source, label="OpenDocument (.odt)", images=images
        )
