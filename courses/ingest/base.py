"""The one interface every document importer implements."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


class DocumentError(ValueError):
    """A document that cannot be imported. The message says what is wrong, in one line.

    ``code`` names the problem for programs and tests: empty, binary, encoding, control,
    too_large, no_text, unsupported; not_zip, zip_bomb, not_docx, not_odt, not_pdf,
    encrypted, no_text_layer, no_article, unreadable.
    """

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class ParsedLesson:
    title: str
    text: str  # clean Markdown, as it will be stored


@dataclass(frozen=True)
class ParsedImage:
    """A picture of the document, checked and re-encoded (courses.imaging); lessons refer to
    it as ``![alt](image:<key>)``."""

    key: str  # sha256 of ``data``: the same picture is stored once per course
    data: bytes
    content_type: str
    extension: str
    width: int
    height: int
    alt: str  # the document's description of it; empty: staff are told to write one


@dataclass(frozen=True)
class ParsedDocument:
    source: str  # the file's name
    title: str
    lessons: tuple[ParsedLesson, ...]
    content_hash: str  # sha256 of the decoded text: a renamed file is still recognised
    encoding: str  # the encoding the bytes were read with
    notes: tuple[str, ...] = field(default=())  # what the importer decided, for the operator
    images: tuple[ParsedImage, ...] = field(default=())


class Importer(Protocol):
    """Turns a file's bytes into a document. One implementation per format (text, Word, ...)."""

    #: Lower-case file name suffixes this importer reads, with the dot: (".txt", ".md").
    suffixes: tuple[str, ...]
    #: A packaged format (Word, LibreOffice, PDF): COURSES_IMPORT_MAX_PACKAGE_BYTES applies.
    binary: bool

    def read(self, data: bytes, *, source: str) -> ParsedDocument:
        """Parse; raise ``DocumentError`` for anything that is not an importable document."""
        ...
