"""The course interchange format (docs/course-format.md), as plain data."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .base import ParsedDocument

FORMAT_VERSION = 1


def course_payload(*, title: str, slug: str, documents: Sequence[ParsedDocument]) -> dict[str, Any]:
    """One JSON-ready object for a course and the documents given, in their order."""
    return {
        "course": {"title": title, "slug": slug},
        "modules": [
            {
                "title": document.title,
                "source": document.source,
                "lessons": [
                    {"title": lesson.title, "text": lesson.text, "questions": []}
                    for lesson in document.lessons
                ],
            }
            for document in documents
        ],
    }
