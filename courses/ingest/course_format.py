"""The course interchange format (docs/course-format.md), as plain data."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .base import ParsedDocument

FORMAT_VERSION = 1


def lesson_key(document: ParsedDocument, index: int) -> str:
    """How a lesson of a parsed document is named before it has a database id."""
    return f"{document.source}#{index}"


def course_payload(
    *,
    title: str,
    slug: str,
    documents: Sequence[ParsedDocument],
    questions: Mapping[str, list[dict[str, Any]]] | None = None,
) -> dict[str, Any]:
    """One JSON-ready object for a course and the documents given, in their order.

    ``questions`` maps ``lesson_key(document, index)`` to the lesson's question objects.
    """
    questions = questions or {}
    return {
        "course": {"title": title, "slug": slug},
        "modules": [
            {
                "title": document.title,
                "source": document.source,
                "lessons": [
                    {
                        "title": lesson.title,
                        "text": lesson.text,
                        "questions": questions.get(lesson_key(document, index), []),
                    }
                    for index, lesson in enumerate(document.lessons)
                ],
            }
            for document in documents
        ],
    }
