"""Writes of the catalogue: a course's presentation, as its staff write it."""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from courses.imaging import ImageRefused, reencoded
from courses.models import Course, Module
from courses.system.media import STORAGE_ERRORS, StorageUnavailable, storage_guard

log = logging.getLogger(__name__)

DESCRIPTION_MAX = 2000
AUDIENCE_MAX = 1000
OBJECTIVES_MAX = 2000


def _lines(text: str) -> str:
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def course_presentation_update(
    *, course: Course, description: str, audience: str, objectives: str
) -> Course:
    """What the catalogue card, the course page and the end-of-training certificate say of the
    course: its description, its audience, its objectives (one a line). ValidationError by
    field for a text over its limit; nothing saved then."""
    errors = {}
    if len(description) > DESCRIPTION_MAX:
        errors["description"] = _("Keep the description under 2,000 characters.")
    if len(audience) > AUDIENCE_MAX:
        errors["audience"] = _("Keep the audience under 1,000 characters.")
    if len(objectives) > OBJECTIVES_MAX:
        errors["objectives"] = _("Keep the objectives under 2,000 characters.")
    if errors:
        raise ValidationError(errors)
    course.description = description.strip()
    course.audience = audience.strip()
    course.objectives = _lines(objectives)
    course.save(update_fields=["description", "audience", "objectives", "updated_at"])
    return course


MODULE_TITLE_MAX = 300


def module_rename(*, module: Module, title: str) -> Module:
    """Give a module a title of its own, which re-imports keep; an empty title goes back to
    the imported one (its document's)."""
    title = " ".join(title.split())
    if len(title) > MODULE_TITLE_MAX:
        raise ValidationError(_("Keep a module's title under 300 characters."))
    module.title = title or module.imported_title or module.title
    module.save(update_fields=["title"])
    return module


COVER_FORMATS = frozenset({"JPEG", "PNG", "WEBP"})
# Decoded, an image may not exceed this many pixels (a small file can hold a huge one).
COVER_MAX_PIXELS = 40_000_000


def _cover_jpeg(upload: UploadedFile) -> bytes:
    """The upload checked (size, a real JPEG, PNG or WebP of sane dimensions) and re-encoded:
    turned upright, cut down to COURSE_COVER_SIZE, as a JPEG without its metadata."""
    if upload.size is None or upload.size > settings.COURSE_COVER_MAX_BYTES:
        raise ValidationError(
            _("The image is larger than %(size)d MB.")
            % {"size": settings.COURSE_COVER_MAX_BYTES // (1024 * 1024)}
        )
    try:
        return reencoded(
            upload.read(),
            formats=COVER_FORMATS,
            max_size=settings.COURSE_COVER_SIZE,
            as_format="JPEG",
            max_pixels=COVER_MAX_PIXELS,
        ).data
    except ImageRefused as refused:
        if refused.code == "dimensions":
            raise ValidationError(_("The image's dimensions are too large.")) from refused
        raise ValidationError(_("Choose a JPEG, PNG or WebP image.")) from refused


def course_cover_set(
    *, course: Course, upload: UploadedFile | None, remove: bool = False
) -> Course:
    """A new cover (checked and re-encoded, see _cover_jpeg), or none (``remove``); the old
    file is deleted. ValidationError, nothing changed, for an upload that is not a usable image."""
    if upload is None and not remove:
        return course
    content = _cover_jpeg(upload) if upload is not None else None
    old = course.cover.name if course.cover else ""
    if content is not None:
        digest = hashlib.sha256(content).hexdigest()[:12]
        try:
            with storage_guard():
                course.cover.save(f"{course.slug}-{digest}.jpg", ContentFile(content), save=False)
        except StorageUnavailable as unavailable:
            raise ValidationError({"cover": str(unavailable)}) from unavailable
    else:
        course.cover = None  # type: ignore[assignment]
    course.save(update_fields=["cover", "updated_at"])
    if old and old != (course.cover.name if course.cover else ""):
        try:
            course.cover.storage.delete(old)
        except STORAGE_ERRORS as error:  # the new cover is in place; the old one is litter
            log.warning("could not delete the old cover %s: %s", old, error)
    return course
