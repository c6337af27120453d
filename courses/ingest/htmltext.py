"""HTML -> the course's Markdown: what the Word, LibreOffice and web page importers share.

Each of them turns its format into HTML (mammoth, odfpy's ODF2XHTML, readability); this module
keeps what a lesson is made of: headings (# to ######), paragraphs, lists (nested, numbered or
not), tables (as Markdown pipe tables), emphasis, line breaks, and images (``![alt](address)``,
the address given by the importer's callback). Scripts, styles, forms, navigation, headers,
footers and asides are dropped with everything inside them. Pure: no Django.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import html as lxml_html
from lxml.etree import ParserError, _Element

# Elements dropped with all they hold: not lesson text.
_DROPPED = frozenset(
    {
        "script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form",
        "button", "select", "textarea", "iframe", "object", "embed", "svg", "canvas", "head",
        "title", "meta", "link",
    }
)  # fmt: skip
_HEADINGS = {f"h{level}": level for level in range(1, 7)}
_BLOCKS = frozenset(
    {
        "p", "div", "section", "article", "main", "body", "html", "blockquote", "pre", "ul",
        "ol", "li", "table", "figure", "figcaption", "dl", "dt", "dd", "address", "center",
        *_HEADINGS,
    }
)  # fmt: skip
_SPACES = re.compile(r"[ \t\r\n\u200b]+")
# Markdown would read these at the start of a paragraph as markup: escaped.
_LEADING_MARKUP = re.compile(r"^(#{1,6}\s|[-*+]\s|\d{1,9}[.)]\s|>)")


# An <img>'s src and alt -> its Markdown address, or None to leave it out.
ImageSource = Callable[[str, str], "str | None"]


@dataclass
class Converted:
    markdown: str
    notes: list[str] = field(default_factory=list)


def html_to_markdown(source: str | bytes, *, image: ImageSource | None = None) -> Converted:
    """The course Markdown of an HTML document or fragment; each <img> becomes
    ``![alt](address)`` when ``image`` gives it an address, else is left out."""
    try:
        root = lxml_html.document_fromstring(source)
    except (ParserError, ValueError):
        return Converted(markdown="")
    writer = _Writer()
    _IMAGES.source = image
    try:
        writer.block(root)
    finally:
        _IMAGES.source = None
    return Converted(markdown=writer.result())


_IMAGES = threading.local()


def _inline_text(element: _Element) -> str:
    """An element's text as one line of Markdown: emphasis kept, spaces collapsed."""
    parts: list[str] = []
    _inline(element, parts, top=True)
    return _SPACES.sub(" ", "".join(parts)).strip()


def _image(element: _Element) -> str:
    source = getattr(_IMAGES, "source", None)
    if source is None:
        return ""
    alt = (element.get("alt") or "").strip()
    address = source(element.get("src") or "", alt)
    if not address:
        return ""
    return f" ![{alt.replace('[', '(').replace(']', ')')}]({address}) "


def _inline(element: _Element, parts: list[str], *, top: bool = False) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in _DROPPED:
        return
    if tag == "img":
        parts.append(_image(element))
        return
    marker = ""
    if not top and tag in {"strong", "b"}:
        marker = "**"
    elif not top and tag in {"em", "i"}:
        marker = "*"
    inner: list[str] = []
    if tag == "br":
        parts.append("\n")
    if element.text and tag != "br":
        inner.append(element.text)
    for child in element:
        _inline(child, inner)
        if child.tail:
            inner.append(child.tail)
    text = "".join(inner)
    if marker and text.strip():
        # "**mot** suivant": the markers hug the words, the spaces stay outside.
        lead = text[: len(text) - len(text.lstrip())]
        trail = text[len(text.rstrip()) :]
        parts.append(f"{lead}{marker}{text.strip()}{marker}{trail}")
    else:
        parts.append(text)


class _Writer:
    def __init__(self) -> None:
        self.out: list[str] = []

    def result(self) -> str:
        text = "\n\n".join(part for part in self.out if part.strip())
        return text.strip() + "\n" if text.strip() else ""

    def paragraph(self, text: str) -> None:
        text = text.strip()
        if text:
            self.out.append(_LEADING_MARKUP.sub(r"\\\1", text))

    def block(self, element: _Element) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in _DROPPED:
            return
        if tag in _HEADINGS:
            text = _inline_text(element).replace("*", "")
            if text:
                self.out.append("#" * _HEADINGS[tag] + " " + text)
            return
        if tag in {"ul", "ol"}:
            self.out.append("\n".join(self.list_lines(element, depth=0)))
            return
        if tag == "table":
            self.out.append(self.table(element))
            return
        if tag == "pre":
            self.paragraph(element.text_content())
            return
        # A block holding only inline content is a paragraph; one holding blocks is walked,
        # the loose text between its blocks becoming paragraphs of its own.
        if not any(isinstance(c.tag, str) and c.tag in _BLOCKS for c in element):
            self.paragraph(_inline_text(element))
            return
        pending: list[str] = []
        if element.text:
            pending.append(element.text)
        for child in element:
            if isinstance(child.tag, str) and child.tag in _BLOCKS:
                self.paragraph(_SPACES.sub(" ", "".join(pending)))
                pending = []
                self.block(child)
            elif isinstance(child.tag, str) and child.tag not in _DROPPED:
                piece: list[str] = []
                _inline(child, piece)
                pending.extend(piece)
            if child.tail:
                pending.append(child.tail)
        self.paragraph(_SPACES.sub(" ", "".join(pending)))

    def list_lines(self, element: _Element, *, depth: int) -> list[str]:
        ordered = element.tag == "ol"
        lines: list[str] = []
        number = 0
        for item in element:
            if not isinstance(item.tag, str) or item.tag != "li":
                continue
            number += 1
            nested = [c for c in item if isinstance(c.tag, str) and c.tag in {"ul", "ol"}]
            for sub in nested:
                item.remove(sub)
            text = _inline_text(item)
            indent = "   " * depth
            bullet = f"{number}." if ordered else "-"
            if text:
                lines.append(f"{indent}{bullet} {text}")
            for sub in nested:
                lines.extend(self.list_lines(sub, depth=depth + 1))
        return lines

    def table(self, element: _Element) -> str:
        rows: list[list[str]] = []
        for row in element.iter("tr"):
            cells = [
                _inline_text(cell).replace("|", "\\|").replace("\n", " ")
                for cell in row
                if isinstance(cell.tag, str) and cell.tag in {"td", "th"}
            ]
            if any(cells):
                rows.append(cells)
        if not rows:
            return ""
        width = max(len(row) for row in rows)
        rows = [row + [""] * (width - len(row)) for row in rows]
        lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * width]
        lines += ["| " + " | ".join(row) + " |" for row in rows[1:]]
        return "\n".join(lines)
