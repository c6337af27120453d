"""Course staff edit a lesson in the browser: title and Markdown text, pictures uploaded or
picked among the course's. A changed text is a new version with a re-import's rules (a reading
of the old version stops counting; the questions are drawn again in the background, those whose
sentence is gone sent back to review), recorded in the lesson's history. A save based on a
version someone else has changed since is refused, with their change to see."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.imaging import ImageRefused, reencoded
from courses.ingest.images import FORMATS, MAX_BYTES, MAX_SIZE, parsed_image
from courses.ingest.services import course_image_store
from courses.itembank.services import lesson_regeneration_request
from courses.markup import clean_markdown
from courses.models import Course, CourseImage, Lesson, LessonVersion, User

# ![alt](address): every picture of a text, to check that each is one of the course's.
_PICTURE = re.compile(r"!\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
_COURSE_PICTURE = re.compile(r"image:([0-9a-f]{64})")


class EditRefused(ValueError):
    """A save the rules refuse; the message is for the editor."""


@dataclass(frozen=True)
class EditConflict(Exception):
    """The lesson changed since the editor opened it: its version now, as saved."""

    current: LessonVersion | None


def pictures_checked(*, course: Course, text: str) -> None:
    """Every picture of the text is one of the course's, with a description: never a remote
    address (the site's CSP blocks it, a SCORM package has none). Raises EditRefused."""
    keys = set()
    for alt, address in _PICTURE.findall(text):
        found = _COURSE_PICTURE.fullmatch(address)
        if not found:
            raise EditRefused(
                _(
                    "A picture may only be one of the course's (upload it, or pick it below): "
                    "“%(address)s” is not."
                )
                % {"address": address[:80]}
            )
        if not alt.strip():
            raise EditRefused(
                _("Each picture needs a description (alt text), for learners who cannot see it.")
            )
        keys.add(found.group(1))
    known = set(
        CourseImage.objects.filter(course=course, key__in=keys).values_list("key", flat=True)
    )
    if keys - known:
        raise EditRefused(_("A picture of the text is not one of the course's: pick it again."))


def lesson_edit(
    *, lesson: Lesson, title: str, text: str, base_version: int, by: User
) -> tuple[Lesson, bool]:
    """Save the editor's title and text over ``base_version`` (what the editor opened);
    return the lesson and whether its text changed. Raises EditConflict, EditRefused."""
    title = title.strip()[:300]
    text = clean_markdown(text.replace("\r\n", "\n")).strip() + "\n"
    if not title or not text.strip():
        raise EditRefused(_("A lesson needs a title and a text."))
    course = lesson.module.course
    pictures_checked(course=course, text=text)
    with transaction.atomic():
        locked = (
            Lesson.objects.select_for_update().select_related("module__course").get(pk=lesson.pk)
        )
        if locked.version != base_version:
            raise EditConflict(
                current=LessonVersion.objects.filter(lesson=locked, version=locked.version)
                .select_related("saved_by")
                .first()
            )
        if locked.text.strip() == text.strip():
            text = locked.text  # only trailing blank lines differ: the same text
        changed = locked.text != text
        if not changed and locked.title == title:
            return locked, False
        locked.title = title
        locked.text = text  # save() bumps the version when the text changed
        locked.edited_at = timezone.now()
        locked.save()
        LessonVersion.objects.update_or_create(
            lesson=locked,
            version=locked.version,
            defaults={
                "title": title,
                "text": text,
                "origin": LessonVersion.Origin.EDIT,
                "saved_by": by,
                "saved_at": timezone.now(),
            },
        )
        if changed:
            # As after a re-import: the questions drawn again from the new text, off the
            # request; those whose sentence is gone go back to review.
            lesson_regeneration_request(lesson=locked, by=by)
    return locked, changed


def course_picture_add(*, course: Course, data: bytes, alt: str) -> CourseImage:
    """A picture uploaded for the course's lessons: checked and re-encoded as an imported one
    (metadata stripped), stored once. Raises EditRefused."""
    alt = " ".join(alt.split())[:500]
    if not alt:
        raise EditRefused(_("Describe the picture (alt text), for learners who cannot see it."))
    if len(data) > MAX_BYTES:
        raise EditRefused(
            _("The picture is larger than %(size)d MB.") % {"size": MAX_BYTES // (1024 * 1024)}
        )
    try:
        image = reencoded(data, formats=FORMATS, max_size=MAX_SIZE)
    except ImageRefused as refused:
        raise EditRefused(_("Choose a PNG, JPEG, GIF or WebP picture of sane size.")) from refused
    existing = CourseImage.objects.filter(course=course, key=image.digest).first()
    if existing is not None:
        return existing
    return course_image_store(
        course=course,
        image=parsed_image(image, alt=alt),
        source_name=_("uploaded"),
    )


def picture_markdown(image: CourseImage, *, alt: str = "") -> str:
    description = (alt or image.alt or "").replace("[", "(").replace("]", ")")
    return f"![{description}](image:{image.key})"
