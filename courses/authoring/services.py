"""Course staff edit a lesson in the browser: title and Markdown text, pictures uploaded or
picked among the course's. A changed text is a new version with a re-import's rules (a reading
of the old version stops counting; the questions are drawn again in the background, those whose
sentence is gone sent back to review), recorded in the lesson's history. A save based on a
version someone else has changed since is refused, with their change to see."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.imaging import ImageRefused, reencoded
from courses.ingest.images import FORMATS, MAX_BYTES, MAX_SIZE, parsed_image
from courses.ingest.services import course_image_store
from courses.itembank.services import lesson_regeneration_request
from courses.markup import clean_markdown
from courses.models import Course, CourseImage, Lesson, LessonVersion, Module, User
from courses.progress.services import completions_recheck

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
    *,
    lesson: Lesson,
    title: str,
    text: str,
    base_version: int,
    by: User,
    origin: str = LessonVersion.Origin.EDIT,
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
        # The text it replaces stays in the history (a lesson from before the history began
        # has no row for it yet).
        LessonVersion.objects.get_or_create(
            lesson=locked,
            version=locked.version,
            defaults={
                "title": locked.title,
                "text": locked.text,
                "origin": LessonVersion.Origin.IMPORT,
                "saved_at": locked.updated_at,
            },
        )
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
                "origin": origin,
                "saved_by": by,
                "saved_at": timezone.now(),
            },
        )
        if changed:
            # As after a re-import: the questions drawn again from the new text, off the
            # request; those whose sentence is gone go back to review.
            lesson_regeneration_request(lesson=locked, by=by)
    return locked, changed


def lesson_restore(
    *, lesson: Lesson, version: LessonVersion, base_version: int, by: User
) -> tuple[Lesson, bool]:
    """An earlier version's title and text back, as a new version (the history keeps all):
    the same rules as an edit, conflict included."""
    if version.lesson_id != lesson.pk:
        raise EditRefused(_("This version is not one of the lesson's."))
    return lesson_edit(
        lesson=lesson,
        title=version.title,
        text=version.text,
        base_version=base_version,
        by=by,
        origin=LessonVersion.Origin.RESTORE,
    )


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


# --- order and structure ---------------------------------------------------------------------


def _swap(rows: list[Any], index: int, offset: int) -> bool:
    """rows[index] one place up (-1) or down (+1), the positions renumbered 1..n; False at
    either end."""
    other = index + offset
    if not 0 <= other < len(rows):
        return False
    rows[index], rows[other] = rows[other], rows[index]
    for position, row in enumerate(rows, start=1):
        if row.position != position:
            row.position = position
            row.save(update_fields=["position"])  # save() moves the course's updated_at
    return True


def lesson_move(*, lesson: Lesson, offset: int) -> bool:
    """One place up (-1) or down (+1) among its module's active lessons; False at an end."""
    with transaction.atomic():
        lessons = list(
            Lesson.objects.select_for_update()
            .filter(module_id=lesson.module_id, archived_at__isnull=True)
            .order_by("position", "id")
        )
        index = next(i for i, row in enumerate(lessons) if row.pk == lesson.pk)
        return _swap(lessons, index, offset)


def module_move(*, module: Module, offset: int) -> bool:
    """One place up (-1) or down (+1) among its course's modules; False at an end."""
    with transaction.atomic():
        modules = list(
            Module.objects.select_for_update()
            .filter(course_id=module.course_id)
            .order_by("position", "id")
        )
        index = next(i for i, row in enumerate(modules) if row.pk == module.pk)
        return _swap(modules, index, offset)


def lesson_add(*, module: Module, title: str, text: str, by: User) -> Lesson:
    """A new lesson at the end of the module, written in the browser: its first version in the
    history, its questions drawn in the background."""
    title = title.strip()[:300]
    text = clean_markdown(text.replace("\r\n", "\n")).strip() + "\n"
    if not title or not text.strip():
        raise EditRefused(_("A lesson needs a title and a text."))
    pictures_checked(course=module.course, text=text)
    with transaction.atomic():
        last = (
            Lesson.objects.filter(module=module)
            .order_by("-position")
            .values_list("position", flat=True)
            .first()
        )
        lesson = Lesson.objects.create(
            module=module,
            title=title,
            text=text,
            position=(last or 0) + 1,
            edited_at=timezone.now(),
        )
        LessonVersion.objects.create(
            lesson=lesson,
            version=lesson.version,
            title=title,
            text=text,
            origin=LessonVersion.Origin.EDIT,
            saved_by=by,
        )
        lesson.module = module
        lesson_regeneration_request(lesson=lesson, by=by)
    return lesson


def lesson_archive(*, lesson: Lesson) -> Lesson:
    """Out of the course, as a re-import archives a lesson its document no longer has: never
    deleted (learners' readings and attempts stay); completions the course now allows are
    recorded."""
    if lesson.archived_at is None:
        lesson.archived_at = timezone.now()
        lesson.save(update_fields=["archived_at", "updated_at"])
        completions_recheck(course=lesson.module.course)
    return lesson
