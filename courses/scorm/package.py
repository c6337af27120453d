"""Building a SCORM package: the manifest, the official schemas, one page per lesson, the
runtime, in one zip.

The zip is reproducible: its entries come in a fixed order with a fixed date, so two exports
of an unchanged course are byte for byte the same (and an LMS that compares uploads sees no
change).
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import UTC
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from courses.models import Course
from courses.quizzes import scoring

from . import content, selectors
from . import identifiers as ids
from .manifest import STANDARDS, ModuleEntry, Sco, Structure, manifest

HERE = Path(__file__).resolve().parent
SCHEMAS = {standard: HERE / "xsd" / standard for standard in STANDARDS}
RUNTIME = {
    "shared/sco.js": HERE / "runtime" / "sco.js",
    "shared/sco.css": HERE / "runtime" / "sco.css",
}
# The earliest date a zip can hold: no export date leaks into the bytes.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


class ScormError(ValueError):
    """The course cannot be exported; the message says why."""


def _messages() -> dict[str, str]:
    """The runtime's texts, in the package's language (placeholders in braces for sco.js)."""
    return {
        "answer_all": _("Answer every question before submitting ({missing} left)."),
        "passed_title": _("Quiz passed"),
        "failed_title": _("Quiz not passed"),
        "score": _(
            "Your score: {score} % ({right} right answers out of {total}); to pass: {required} "
            "out of {total}."
        ),
        "correct": _("Right answer."),
        "incorrect": _("Wrong answer; the right answer: {answer}."),
        "withheld": _("Wrong answer: re-read the lesson to find the right answer."),
        "completed": _("Lesson completed: your learning platform has recorded it."),
        "resumed": _("You are back where you left off."),
        "no_lms": _(
            "No learning platform was found: you can read and practise, but nothing will be "
            "recorded."
        ),
        "retry": _("To try again, launch the lesson again from your learning platform."),
        "ended": _(
            "This session with your learning platform has ended: launch the lesson again from "
            "the platform to go on."
        ),
    }


def _write(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    archive.writestr(info, data)


def package_files(*, course: Course, standard: str) -> dict[str, bytes]:
    """Every file of the package by its path in the zip, in the order they are written."""
    if standard not in STANDARDS:
        raise ScormError(
            _("Unknown SCORM version %(standard)s: choose 1.2 or 2004.") % {"standard": standard}
        )
    modules = selectors.course_export(course=course)
    if not any(module.lessons for module in modules):
        raise ScormError(
            _("The course “%(course)s” has no lesson to export.") % {"course": course.title}
        )
    files: dict[str, bytes] = {}
    structure_modules = []
    # The lessons' pictures travel in the package (an LMS cannot reach the site's addresses),
    # once each, referred to from the SCOs by a relative path.
    pictures = selectors.course_images(
        course=course,
        keys={
            key for m in modules for lesson in m.lessons for key in _IMAGE_SRC.findall(lesson.html)
        },
    )
    picture_paths = {key: f"shared/images/{key}.{ext}" for key, (ext, _data) in pictures.items()}
    with translation.override(course.language or settings.LANGUAGE_CODE):
        messages = _messages()
        for module in modules:
            scos = []
            for lesson in module.lessons:
                seed = content.seed_for(lesson.pk, lesson.items)
                questions = content.sco_questions(
                    lesson.items, seed=seed, limit=course.quiz_questions
                )
                required = scoring.required_correct(
                    pass_mark=course.pass_mark, total=len(questions)
                )
                salt = content.salt_for(seed)
                page = render_to_string(
                    "courses/scorm/sco.html",
                    {
                        "language": course.language or settings.LANGUAGE_CODE,
                        "standard": standard,
                        "sco_id": ids.sco_id(lesson.pk),
                        "required": required,
                        # When a wrong answer's key is shown (the course's review setting):
                        # the package knows a pass, never the platform's last attempt.
                        "review": course.review_release,
                        "course_title": course.title,
                        "lesson": lesson,
                        "lesson_html": _packaged_pictures(lesson.html, picture_paths),
                        "questions": questions,
                        "key": content.obfuscate(content.keys_text(questions), salt),
                        "partial": course.partial_credit,
                        "count_shown": course.multiple_count_shown,
                        "salt": salt,
                        "messages": messages,
                    },
                )
                files[ids.sco_href(lesson.pk)] = page.encode("utf-8")
                scos.append(
                    Sco(
                        lesson_pk=lesson.pk,
                        title=lesson.title,
                        mastery=(
                            scoring.mastery_percent(
                                pass_mark=course.pass_mark, total=len(questions)
                            )
                            if questions
                            else None
                        ),
                    )
                )
            structure_modules.append(
                ModuleEntry(module_pk=module.pk, title=module.title, scos=tuple(scos))
            )
    structure = Structure(
        course_slug=course.slug,
        title=course.title,
        modules=tuple(structure_modules),
        shared_files=(*RUNTIME, *picture_paths.values()),
        version=package_version(course),
    )
    ordered = {"imsmanifest.xml": manifest(structure, standard=standard)}
    for schema in sorted(SCHEMAS[standard].iterdir()):
        ordered[schema.name] = schema.read_bytes()  # byte for byte, as ADL publishes them
    for path, source in RUNTIME.items():
        ordered[path] = source.read_bytes()
    for key, path in picture_paths.items():
        ordered[path] = pictures[key][1]
    ordered.update(files)
    return ordered


# A lesson picture as the site serves it (courses.markup.IMAGE_PATH).
_IMAGE_SRC = re.compile(r'src="/images/([0-9a-f]{64})/"')


def _packaged_pictures(html: str, paths: dict[str, str]) -> SafeString:
    """The lesson's HTML with its pictures at their place in the package (a SCO lives in
    lessons/); a picture the course no longer holds is left out rather than broken."""

    def relative(found: re.Match[str]) -> str:
        path = paths.get(found.group(1))
        return f'src="../{path}"' if path else 'src=""'

    return mark_safe(_IMAGE_SRC.sub(relative, html))  # noqa: S308  (our own paths, in sanitised HTML)


def package_version(course: Course) -> str:
    """The course's content as of its last change (lessons, modules, order: each moves the
    course's updated_at), as a version an LMS administrator reads and compares:
    "20261203.181434250": the UTC date, then the time to the millisecond (two saves in one
    second differ). Fixed width, so that it compares as text too; 18 characters (the IMS
    content packaging schema allows 20)."""
    return course.updated_at.astimezone(UTC).strftime("%Y%m%d.%H%M%S%f")[:18]


def package_build(*, course: Course, standard: str) -> bytes:
    """The package as a zip, imsmanifest.xml at its root."""
    return package_zip(package_files(course=course, standard=standard))


def package_zip(files: dict[str, bytes]) -> bytes:
    """Files, in their order, zipped as every package is (fixed dates: the same bytes)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            _write(archive, name, data)
    return buffer.getvalue()
