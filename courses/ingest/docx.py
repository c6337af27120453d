"""Word documents (.docx) -> a course document, through mammoth (BSD-2-Clause).

Word's heading styles become headings (the Title style the document's title), its lists,
tables, emphasis and pictures (with their descriptions) Markdown; macros are never run nor
read (mammoth reads the document's XML only). The archive is checked before anything is
extracted (archives.zip_opened).
"""

from __future__ import annotations

import io
from typing import Any

from django.utils.translation import gettext as _

from .archives import zip_opened
from .base import DocumentError, ParsedDocument
from .converted import document_from_markdown
from .htmltext import html_to_markdown
from .images import MAX_BYTES, ImageGatherer

# Beyond mammoth's own map (Heading 1-6): the Title style is the document's title, a Subtitle
# an ordinary paragraph; Word's French style names too.
STYLE_MAP = """
p[style-name='Title'] => h1:fresh
p[style-name='Titre'] => h1:fresh
p[style-name='Subtitle'] => p:fresh
p[style-name='Sous-titre'] => p:fresh
p[style-name='Titre 1'] => h1:fresh
p[style-name='Titre 2'] => h2:fresh
p[style-name='Titre 3'] => h3:fresh
p[style-name='Titre 4'] => h4:fresh
"""


class DocxImporter:
    suffixes: tuple[str, ...] = (".docx",)
    binary = True

    def read(self, data: bytes, *, source: str) -> ParsedDocument:
        import mammoth

        archive = zip_opened(data, kind="Word")
        if "word/document.xml" not in archive.namelist():
            raise DocumentError(
                _("this is not a Word document: the archive has no word/document.xml"),
                code="not_docx",
            )

        images = ImageGatherer()

        def picture(image: Any) -> dict[str, str]:
            with image.open() as stream:
                data = stream.read(MAX_BYTES + 1)
            address = images.add(data, alt=image.alt_text or "")
            return {"src": address or "", "alt": image.alt_text or ""}

        try:
            result = mammoth.convert_to_html(
                io.BytesIO(data),
                style_map=STYLE_MAP,
                convert_image=mammoth.images.img_element(picture),
            )
        except Exception as error:  # mammoth raises what its XML reader meets
            raise DocumentError(
                _("this Word document cannot be read (%(reason)s)")
                % {"reason": type(error).__name__},
                code="unreadable",
            ) from error
        converted = html_to_markdown(result.value, image=lambda src, _alt: src or None)
        return document_from_markdown(
            converted.markdown, source=source, label="Word (.docx)", images=images
        )
