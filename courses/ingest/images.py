"""A document's pictures, gathered as the importer meets them: each checked and re-encoded
(courses.imaging: an accepted format, sane dimensions, no metadata), stored once however often
it appears, and referred to from the lesson's Markdown as ``image:<key>``. What is left out
(not an image, too large, too many, remote) is said in the import's notes. Pure: no ORM."""

from __future__ import annotations

import base64
import binascii
import re

from django.utils.translation import ngettext

from courses.imaging import ImageRefused, Reencoded, reencoded

from .base import ParsedImage

FORMATS = frozenset({"PNG", "JPEG", "GIF", "WEBP"})
MAX_BYTES = 5 * 1024 * 1024  # one picture, as the document holds it
MAX_IMAGES = 200  # in one document
MAX_SIZE = (1600, 1600)  # shown in a lesson at most this large; larger is cut down
_DATA_URI = re.compile(r"^data:image/[\w.+-]+;base64,(.+)$", re.I | re.S)
_ALT_SPACES = re.compile(r"\s+")


def parsed_image(image: Reencoded, *, alt: str) -> ParsedImage:
    """A re-encoded picture as lessons refer to it (by its content's hash)."""
    return ParsedImage(
        key=image.digest,
        data=image.data,
        content_type=image.content_type,
        extension=image.extension,
        width=image.width,
        height=image.height,
        alt=alt,
    )


class ImageGatherer:
    def __init__(self) -> None:
        self.images: dict[str, ParsedImage] = {}
        self.refused = 0
        self.remote = 0
        self.unreachable = 0
        self.too_many = 0
        self.without_alt = 0

    def add(self, data: bytes, *, alt: str = "") -> str | None:
        """The Markdown address of a picture (``image:<key>``), or None when it is left out."""
        alt = _ALT_SPACES.sub(" ", alt or "").replace("[", "(").replace("]", ")").strip()
        if len(self.images) >= MAX_IMAGES:
            self.too_many += 1
            return None
        if not data or len(data) > MAX_BYTES:
            self.refused += 1
            return None
        try:
            image = reencoded(data, formats=FORMATS, max_size=MAX_SIZE)
        except ImageRefused:
            self.refused += 1
            return None
        key = image.digest
        if key not in self.images:
            self.images[key] = parsed_image(image, alt=alt)
            if not alt:
                self.without_alt += 1
        return f"image:{key}"

    def add_source(self, src: str, *, alt: str = "") -> str | None:
        """A web page's ``src``: an embedded (data:) picture is taken; a remote one is never
        hot-linked (the site's CSP blocks it, a SCORM package has none): left out, and said."""
        found = _DATA_URI.match(src.strip())
        if found:
            try:
                data = base64.b64decode(found.group(1), validate=False)
            except (binascii.Error, ValueError):
                self.refused += 1
                return None
            return self.add(data, alt=alt)
        if src.startswith(("http://", "https://", "//")):
            self.remote += 1
        else:
            self.unreachable += 1
        return None

    def notes(self) -> tuple[str, ...]:
        notes = []
        if self.without_alt:
            notes.append(
                ngettext(
                    "%(count)d image has no description (alt text): write one for learners "
                    "who cannot see it",
                    "%(count)d images have no description (alt text): write one for learners "
                    "who cannot see them",
                    self.without_alt,
                )
                % {"count": self.without_alt}
            )
        left_out = (
            (
                self.refused,
                ngettext(
                    "%(count)d image left out: not a PNG, JPEG, GIF or WebP image of sane size",
                    "%(count)d images left out: not PNG, JPEG, GIF or WebP images of sane size",
                    self.refused,
                ),
            ),
            (
                self.remote,
                ngettext(
                    "%(count)d remote image left out (a web address): save the page with its "
                    "images",
                    "%(count)d remote images left out (web addresses): save the page with its "
                    "images",
                    self.remote,
                ),
            ),
            (
                self.unreachable,
                ngettext(
                    "%(count)d image left out: its file is not in the document",
                    "%(count)d images left out: their files are not in the document",
                    self.unreachable,
                ),
            ),
            (
                self.too_many,
                ngettext(
                    "%(count)d image left out: a document holds 200 images at most",
                    "%(count)d images left out: a document holds 200 images at most",
                    self.too_many,
                ),
            ),
        )
        notes.extend(message % {"count": count} for count, message in left_out if count)
        return tuple(notes)

    def gathered(self) -> tuple[ParsedImage, ...]:
        return tuple(self.images.values())
