"""Plain text and Markdown documents -> a title and lessons.

The shape of the documents we receive (fixtures/documents/): a title line, sometimes repeated;
paragraphs separated by blank lines; section headings as short lines without final punctuation;
and trailing site boilerplate ("Catégories", "Sujet", "Des questions") to drop.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from courses.markup import clean_markdown, strip_tags
from courses.textnorm import match_key

from .base import DocumentError, ParsedDocument, ParsedLesson
from .decoding import decode_text
from .segmentation import split_by_topic, title_from_paragraph

# Lines that open the trailing boilerplate of the sites our documents come from.
BOILERPLATE_MARKERS = frozenset({"categories", "categorie", "sujet", "sujets"})
# A trailing line longer than this, or ending a sentence, is document text, not boilerplate.
_TRAILER_MAX_CHARS = 60
# A heading is short: at most this many words and characters.
_HEADING_MAX_WORDS = 14
_HEADING_MAX_CHARS = 120

_ATX_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT_UNDERLINE = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_LIST_OR_QUOTE = re.compile(r"^ {0,3}([-*+>|]|\d{1,9}[.)])(\s|$)")
_FINAL_PUNCTUATION = ".,;:!?…"
_INTRODUCTION = "Introduction"


@dataclass
class Block:
    """Consecutive non-blank lines; ``level`` is set for a Markdown heading."""

    lines: list[str]
    level: int | None = None

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def _is_trailer_line(line: str) -> bool:
    stripped = line.strip()
    return len(stripped) <= _TRAILER_MAX_CHARS and not stripped.endswith((".", "!", "?", "…"))


def strip_trailing_boilerplate(lines: list[str]) -> list[str]:
    """Drop everything from a closing "Catégories" or "Sujet" line to the end.

    Only a marker followed by nothing but short lines counts: a "Sujet" heading followed by a
    paragraph is part of the document.
    """
    cut = None
    for index in range(len(lines) - 1, -1, -1):
        line = lines[index]
        if not line.strip():
            continue
        if not _is_trailer_line(line):
            break
        if match_key(line) in BOILERPLATE_MARKERS:
            cut = index
    return lines if cut is None else lines[:cut]


def split_blocks(lines: list[str]) -> list[Block]:
    """Blocks separated by blank lines; a fenced code block stays whole; headings stand alone."""
    blocks: list[Block] = []
    current: list[str] = []
    fence: str | None = None

    def flush() -> None:
        if current:
            blocks.append(Block(lines=current.copy()))
            current.clear()

    for line in lines:
        line = line.rstrip()
        if fence is not None:
            current.append(line)
            if line.strip().startswith(fence):
                fence = None
            continue
        fence_match = _FENCE.match(line)
        if fence_match:
            fence = fence_match.group(1)
            current.append(line)
            continue
        heading = _ATX_HEADING.match(line)
        if heading and (heading.group(2) or "").strip():
            flush()
            blocks.append(Block(lines=[heading.group(2).strip()], level=len(heading.group(1))))
            continue
        if _SETEXT_UNDERLINE.match(line) and len(current) == 1:
            level = 1 if line.strip().startswith("=") else 2
            blocks.append(Block(lines=[current[0].strip()], level=level))
            current.clear()
            continue
        if not line.strip():
            flush()
            continue
        current.append(line)
    flush()
    return blocks


def _looks_like_heading(block: Block) -> bool:
    """A single short line, capitalised, without final punctuation, not a list or a quote."""
    if len(block.lines) != 1:
        return False
    line = block.lines[0].strip()
    words = line.split()
    return (
        0 < len(words) <= _HEADING_MAX_WORDS
        and len(line) <= _HEADING_MAX_CHARS
        and not line.endswith(tuple(_FINAL_PUNCTUATION))
        and not _LIST_OR_QUOTE.match(line)
        and (line[0].isupper() or line[0].isdigit())
    )


def _classify(blocks: list[Block]) -> list[tuple[str, Block]]:
    """("heading", block) or ("text", block) for each block after the title.

    A document that marks its headings in Markdown has no others: a short line in it without
    final punctuation ("Exemple clinique") is text, not a heading.
    """
    marked = any(block.level is not None for block in blocks)
    candidates = [
        block.level is not None or (not marked and _looks_like_heading(block)) for block in blocks
    ]
    result: list[tuple[str, Block]] = []
    for index, block in enumerate(blocks):
        followed_by_text = index + 1 < len(blocks) and not candidates[index + 1]
        if block.level is not None or (candidates[index] and followed_by_text):
            result.append(("heading", block))
        else:
            result.append(("text", block))
    return result


def _lesson_level(classified: list[tuple[str, Block]]) -> int:
    """Markdown headings deeper than the shallowest one stay inside their lesson's text."""
    levels = [block.level for kind, block in classified if kind == "heading" and block.level]
    plain = any(kind == "heading" and block.level is None for kind, block in classified)
    if plain or not levels:
        return 6
    return min(levels)


def _join(paragraphs: list[str]) -> str:
    return clean_markdown("\n\n".join(paragraphs)).strip()


def parse_text(text: str) -> tuple[str, list[ParsedLesson], list[str]]:
    """Return (title, lessons, notes) for a document's decoded text."""
    lines = strip_trailing_boilerplate(text.split("\n"))
    blocks = split_blocks(lines)
    if not blocks:
        raise DocumentError(_("the document has no text"), code="empty")

    first = blocks[0]
    # A title is not a sentence: a final full stop goes (a question mark stays).
    title = strip_tags(first.lines[0].strip()).rstrip(" .")
    rest = blocks[1:]
    if len(first.lines) > 1 and first.level is None:
        rest.insert(0, Block(lines=first.lines[1:]))
    # A title line repeated as the next block (as in the sites' exports) counts once.
    while rest and match_key(rest[0].text).rstrip(" .") == match_key(title):
        rest.pop(0)

    classified = _classify(rest)
    if not any(kind == "text" for kind, _block in classified):
        raise DocumentError(_("the document has no paragraph text"), code="no_text")

    level = _lesson_level(classified)
    sections: list[tuple[str | None, list[str]]] = [(None, [])]
    for kind, block in classified:
        if kind == "heading" and (block.level is None or block.level <= level):
            sections.append((strip_tags(block.text.strip()), []))
        elif kind == "heading":
            sections[-1][1].append("#" * (block.level or 2) + " " + block.text.strip())
        else:
            sections[-1][1].append(block.text)

    notes: list[str] = []
    lessons: list[ParsedLesson] = []
    has_headings = len(sections) > 1
    for heading, paragraphs in sections:
        if heading is None:
            if not paragraphs:
                continue
            if has_headings:
                lessons.append(ParsedLesson(title=_INTRODUCTION, text=_join(paragraphs)))
                continue
            parts = split_by_topic(paragraphs)
            notes.append(
                _("no headings: split into %(count)d lessons at topic breaks")
                % {"count": len(parts)}
            )
            lessons.extend(
                ParsedLesson(title=title_from_paragraph(part[0]), text=_join(part))
                for part in parts
            )
        elif paragraphs:
            lessons.append(ParsedLesson(title=heading, text=_join(paragraphs)))
        else:
            notes.append(_("heading without text ignored: %(heading)s") % {"heading": heading})

    lessons = _unique_titles(lessons)
    return title, lessons, notes


def _unique_titles(lessons: list[ParsedLesson]) -> list[ParsedLesson]:
    seen: dict[str, int] = {}
    result = []
    for lesson in lessons:
        key = match_key(lesson.title)
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:
            lesson = ParsedLesson(title=f"{lesson.title} ({seen[key]})", text=lesson.text)
        result.append(lesson)
    return result


class TextImporter:
    """Plain text (.txt) and Markdown (.md, .markdown)."""

    suffixes: tuple[str, ...] = (".txt", ".md", ".markdown", ".text")
    binary = False

    def read(self, data: bytes, *, source: str) -> ParsedDocument:
        text, encoding = decode_text(data)
        return parsed_document(text, source=source, encoding=encoding)


def parsed_document(
    text: str, *, source: str, encoding: str, notes: tuple[str, ...] = ()
) -> ParsedDocument:
    """The document a text makes (parse_text), known by the text's hash, whatever the format
    it was read from (``encoding``: how it was read)."""
    title, lessons, parse_notes = parse_text(text)
    return ParsedDocument(
        source=source,
        title=title,
        lessons=tuple(lessons),
        content_hash=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        encoding=encoding,
        notes=(*parse_notes, *notes),
    )
