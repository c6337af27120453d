"""Identifiers and file names of a SCORM package: stable, valid XML IDs, ASCII.

An LMS keys its learners' records on the manifest's identifier, the items' identifiers and the
interactions' ids: they must not change between two exports of the same course, or a re-upload
would orphan every record. So they come from what stays put (the course's slug, the lessons'
and modules' primary keys, the items' fingerprints), never from titles or positions.
"""

from __future__ import annotations

import re
import unicodedata

# XML 1.0 NCName, restricted to ASCII: a letter or "_", then letters, digits, "_", "-", ".".
_NOT_NAME = re.compile(r"[^A-Za-z0-9_.-]+")


def xml_id(*parts: object) -> str:
    """An XML ID (xs:ID, an NCName) from ``parts``, ASCII only: "L-12", "COURSE-cytokines"."""
    text = "-".join(str(part) for part in parts)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = _NOT_NAME.sub("-", text).strip("-.") or "x"
    if not (text[0].isalpha() or text[0] == "_"):
        text = "_" + text
    return text


def manifest_id(course_slug: str) -> str:
    return xml_id("ONCOFORMA", course_slug)


def organization_id(course_slug: str) -> str:
    return xml_id("ORG", course_slug)


def module_item_id(module_pk: int) -> str:
    return xml_id("MODULE", module_pk)


def sco_id(lesson_pk: int) -> str:
    """The lesson's SCO: its item, resource and file all derive from it."""
    return xml_id("L", lesson_pk)


def item_id(lesson_pk: int) -> str:
    return xml_id("ITEM", sco_id(lesson_pk))


def resource_id(lesson_pk: int) -> str:
    return xml_id("RES", sco_id(lesson_pk))


def objective_id(lesson_pk: int) -> str:
    return xml_id("OBJ", sco_id(lesson_pk))


SHARED_RESOURCE_ID = "RES-SHARED"


def sco_href(lesson_pk: int) -> str:
    return f"lessons/{sco_id(lesson_pk)}.html"


def interaction_id(fingerprint: str) -> str:
    """A question's interaction id: from the item's fingerprint, which re-generation keeps.

    SCORM 1.2 CMIIdentifier: no spaces, at most 255 characters; SCORM 2004 long identifier:
    a URN-like string, at most 4000. "q-" and 24 hexadecimal characters satisfy both.
    """
    return "q-" + re.sub(r"[^0-9a-z]", "", fingerprint.lower())[:24]


def file_name(course_slug: str, standard: str) -> str:
    """The zip's name: ASCII, no spaces (e.g. oncoforma-cytokines-scorm12.zip)."""
    return f"oncoforma-{xml_id(course_slug).lower()}-scorm{standard.replace('.', '')}.zip"
