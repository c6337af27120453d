"""Documents -> course structure.

``read_document`` picks the importer for a file by its name and returns a ``ParsedDocument``;
every importer is a pure function of the file's bytes. ``services`` writes the result.
"""

from .base import DocumentError, ParsedDocument, ParsedLesson
from .registry import read_document, supported_suffixes

__all__ = [
    "DocumentError",
    "ParsedDocument",
    "ParsedLesson",
    "read_document",
    "supported_suffixes",
]
