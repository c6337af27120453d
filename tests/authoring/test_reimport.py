"""Edits and re-imports: a re-import keeps a lesson edited (or added) in the browser and lists
it; asked to, it replaces it with the document's text. `make run`'s re-import on every start
(setup_demo: import_document without --replace-edited) never undoes an edit."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from courses.authoring.services import lesson_add, lesson_edit
from courses.ingest.registry import read_document
from courses.ingest.services import documents_import
from courses.models import Lesson, LessonVersion
from tests.conftest import SEED_001

pytestmark = pytest.mark.django_db

EDITED = "Le syndrome de relargage cytokinique est une réaction inflammatoire grave.\n"


@pytest.fixture
def imported(instructor):
    document = read_document(SEED_001.read_bytes(), source=SEED_001.name, max_bytes=10**7)
    course = documents_import(course_slug="reimport", documents=[document]).course
    course.instructors.add(instructor)
    return course, document


def first_lesson(course) -> Lesson:
    return Lesson.objects.filter(module__course=course).order_by("position").first()


def test_a_re_import_keeps_an_edited_lesson_and_lists_it(imported, instructor):
    course, document = imported
    lesson = first_lesson(course)
    lesson_edit(
        lesson=lesson, title=lesson.title, text=EDITED, base_version=lesson.version, by=instructor
    )
    report = documents_import(course_slug=course.slug, documents=[document])
    lesson.refresh_from_db()
    assert lesson.text == EDITED
    assert lesson.archived_at is None
    (result,) = report.modules
    assert result.kept_edited == [lesson.title]


def test_a_retitled_edited_lesson_is_still_found_by_its_imported_text(imported, instructor):
    """Edited and renamed: the document's lesson is still this one (its history holds the
    imported text), not a new lesson beside it."""
    course, document = imported
    lesson = first_lesson(course)
    count = Lesson.objects.filter(module__course=course).count()
    lesson_edit(
        lesson=lesson, title="Un titre à nous", text=EDITED, base_version=lesson.version,
        by=instructor,
    )  # fmt: skip
    documents_import(course_slug=course.slug, documents=[document])
    assert Lesson.objects.filter(module__course=course).count() == count
    lesson.refresh_from_db()
    assert (lesson.title, lesson.text) == ("Un titre à nous", EDITED)


def test_a_lesson_added_in_the_browser_is_not_archived_by_a_re_import(imported, instructor):
    course, document = imported
    added = lesson_add(
        module=first_lesson(course).module,
        title="Le rôle de l’infirmière",
        text="L’infirmière surveille les constantes.",
        by=instructor,
    )
    report = documents_import(course_slug=course.slug, documents=[document])
    added.refresh_from_db()
    assert added.archived_at is None
    assert "Le rôle de l’infirmière" in report.modules[0].kept_edited


def test_replace_edited_puts_the_documents_text_back(imported, instructor):
    course, document = imported
    lesson = first_lesson(course)
    original = lesson.text
    lesson_edit(
        lesson=lesson, title=lesson.title, text=EDITED, base_version=lesson.version, by=instructor
    )
    report = documents_import(course_slug=course.slug, documents=[document], replace_edited=True)
    lesson.refresh_from_db()
    assert lesson.text == original
    assert lesson.edited_at is None
    assert report.modules[0].kept_edited == []
    assert LessonVersion.objects.filter(lesson=lesson).order_by("-version")[0].origin == "import"


def test_the_command_keeps_edits_and_replaces_them_when_told(imported, instructor, tmp_path):
    course, _document = imported
    lesson = first_lesson(course)
    lesson_edit(
        lesson=lesson, title=lesson.title, text=EDITED, base_version=lesson.version, by=instructor
    )
    path = tmp_path / SEED_001.name
    path.write_bytes(SEED_001.read_bytes())
    out = io.StringIO()
    call_command("import_document", str(path), course=course.slug, stdout=out)
    lesson.refresh_from_db()
    assert lesson.text == EDITED
    assert f"kept as edited in the browser: {lesson.title}" in out.getvalue() or (
        f"conservée telle que modifiée dans le navigateur : {lesson.title}".replace(" :", "\u00a0:")
        in out.getvalue()
    )
    call_command(
        "import_document", str(path), course=course.slug, replace_edited=True, stdout=io.StringIO()
    )
    lesson.refresh_from_db()
    assert lesson.text != EDITED
