"""Saved web pages (.html, .htm) -> a course document: the article alone, through
readability-lxml (Apache-2.0), without the site's navigation, header, footer, cookie banner or
sidebars; then its headings, lists, tables and emphasis as Markdown.

The page's title (its first heading, else its <title> without the site's name) is the
document's title. A page with no article to find is refused.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from .base import DocumentError, ParsedDocument
from .converted import document_from_markdown
from .decoding import decode_text
from .htmltext import html_to_markdown
from .images import ImageGatherer

# Readability keeps the article's text; less than this is no article (a page of links).
MIN_ARTICLE_WORDS = 40
_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([\w-]+)""", re.I)


def _decoded(data: bytes) -> tuple[str, str]:
    declared = _CHARSET.search(data[:4096])
    if declared:
        name = declared.group(1).decode("ascii").lower()
        try:
            return data.decode(name), name.upper()
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_text(data)


class HtmlImporter:
    suffixes: tuple[str, ...] = (".html", ".htm")
    binary = False

    def read(self, data: bytes, *, source: str) -> ParsedDocument:
        from readability import Document

        text, encoding = _decoded(data)
        if not text.strip():
            raise DocumentError(_("the file is empty"), code="empty")
        try:
            page = Document(text)
            article = page.summary(html_partial=True)
            title = page.short_title().strip()
        except Exception as error:  # readability raises lxml's errors and its own
            raise DocumentError(
                _("this web page cannot be read (%(reason)s)") % {"reason": type(error).__name__},
                code="unreadable",
            ) from error
        images = ImageGatherer()
        converted = html_to_markdown(
            article, image=lambda src, alt: images.add_source(src, alt=alt)
        )
        words = len(re.findall(r"\w+", converted.markdown))
        if words < MIN_ARTICLE_WORDS:
            raise DocumentError(
                _("no article found in this web page (only %(count)d words of text)")
                % {"count": words},
                code="no_article",
            )
        markdown = converted.markdown
        if title and not markdown.lstrip().startswith("# "):
            markdown = f"# {title}\n\n{markdown}"
        return document_from_markdown(
            markdown, source=source, label=f"HTML ({encoding})", images=images
        )
