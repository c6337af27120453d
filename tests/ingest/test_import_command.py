"""python manage.py import_document: all or nothing, idempotent, one line per refused file."""

from __future__ import annotations

import io
import json
import shutil

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils.translation import override

from courses.catalog.selectors import course_outline
from courses.models import Course, Lesson, LessonProgress, Module
from courses.progress.selectors import progress_for
from courses.progress.services import enrollment_create, lesson_mark_complete
from courses.quizgen.items import KINDS
from tests.conftest import LESSONS_000, LESSONS_001, SEED_000, SEED_001, TITLE_000, TITLE_001

pytestmark = pytest.mark.django_db

# The paragraph edited in the "changed document" tests: the second one of lesson 3.
OLD_SENTENCE = "Il stimule la prolifération et l'activité des cellules T"
NEW_SENTENCE = "Elle stimule la prolifération et l'activité des lymphocytes T"


def run(*args, **options) -> tuple[str, str]:
    """Run the command in English; return (stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with override("en"):
        call_command("import_document", *map(str, args), stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def run_refused(*args) -> list[str]:
    """Run a command that must fail: exit status 1; return its stderr lines."""
    err = io.StringIO()
    with override("en"), pytest.raises(SystemExit) as exited:
        call_command("import_document", *map(str, args), stdout=io.StringIO(), stderr=err)
    assert exited.value.code == 1
    return err.getvalue().splitlines()


def row_counts() -> tuple[int, int, int]:
    return Course.objects.count(), Module.objects.count(), Lesson.objects.count()


def lesson_rows(module: Module) -> list[tuple[int, str, int]]:
    return list(
        module.lessons.filter(archived_at__isnull=True)
        .order_by("position")
        .values_list("id", "title", "version")
    )


def titles(module: Module) -> list[str]:
    return [title for _id, title, _version in lesson_rows(module)]


# --- Importing the real documents ---------------------------------------------------------------


def test_both_documents_make_one_course_of_two_modules():
    """The two fixtures become the default course: one module each, with the expected lessons."""
    run(SEED_000, SEED_001)

    course = Course.objects.get()
    assert course.slug == settings.COURSES_DEFAULT_COURSE_SLUG
    assert course.title == settings.COURSES_DEFAULT_COURSE_TITLE
    modules = list(course.modules.order_by("position"))
    assert [(m.position, m.title, m.source_name, m.encoding) for m in modules] == [
        (1, TITLE_000, SEED_000.name, "UTF-8"),
        (2, TITLE_001, SEED_001.name, "UTF-8"),
    ]
    assert titles(modules[0]) == LESSONS_000
    assert titles(modules[1]) == LESSONS_001
    assert Lesson.objects.count() == 7
    assert set(Lesson.objects.values_list("version", flat=True)) == {1}


def test_stored_lessons_are_free_of_boilerplate():
    """No stored lesson holds the sites' "Catégories", "Sujet" or "Des questions" lines."""
    run(SEED_000, SEED_001)

    for text in Lesson.objects.values_list("text", flat=True):
        assert "Catégories" not in text
        assert "Sujet" not in text
        assert "Des questions" not in text


def test_import_into_a_named_course():
    """--course SLUG creates that course, titled after the first document."""
    run(SEED_001, course="immuno-ide")

    course = Course.objects.get(slug="immuno-ide")
    assert course.title == TITLE_001
    assert titles(course.modules.get()) == LESSONS_001


def test_command_reports_each_module():
    """The report names each file, its encoding, its title and its lesson count."""
    out, _err = run(SEED_000, SEED_001)

    assert f"{SEED_000.name} (UTF-8)" in out
    assert f"{SEED_001.name} (UTF-8): « {TITLE_001} », 5 lessons — created" in out
    assert "no headings: split into 2 lessons at topic breaks" in out


# --- Re-import ----------------------------------------------------------------------------------


def test_reimport_is_idempotent():
    """Importing the same documents again adds no row and keeps every lesson's id and version."""
    run(SEED_000, SEED_001)
    before = row_counts()
    lessons_before = list(Lesson.objects.order_by("id").values_list("id", "title", "version"))
    modules_before = list(Module.objects.order_by("id").values_list("id", "position"))

    out, _err = run(SEED_000, SEED_001)

    assert row_counts() == before == (1, 2, 7)
    assert list(Lesson.objects.order_by("id").values_list("id", "title", "version")) == (
        lessons_before
    )
    assert list(Module.objects.order_by("id").values_list("id", "position")) == modules_before
    assert out.count("unchanged: 0 new, 0 changed") == 2


@pytest.fixture
def changed_001(tmp_path):
    """A copy of document 001 under the same name with one paragraph of lesson 3 changed."""
    text = SEED_001.read_text(encoding="utf-8")
    assert text.count(OLD_SENTENCE) == 1
    path = tmp_path / SEED_001.name
    path.write_text(text.replace(OLD_SENTENCE, NEW_SENTENCE), encoding="utf-8")
    return path


def test_changed_paragraph_bumps_only_its_lessons_version(changed_001):
    """One paragraph changed: its lesson keeps its id at version 2, the others are untouched."""
    run(SEED_000, SEED_001)
    module = Module.objects.get(source_name=SEED_001.name)
    before = lesson_rows(module)

    out, _err = run(changed_001)

    after = lesson_rows(module)
    assert [row[:2] for row in after] == [row[:2] for row in before]  # same ids, same titles
    assert [version for _id, _title, version in after] == [1, 1, 2, 1, 1]
    changed = Lesson.objects.get(pk=before[2][0])
    assert NEW_SENTENCE in changed.text
    assert OLD_SENTENCE not in changed.text
    assert row_counts() == (1, 2, 7)
    assert "updated: 0 new, 1 changed, 4 unchanged, 0 archived lessons" in out


def test_progress_on_unchanged_lessons_survives_a_changed_reimport(changed_001, learner):
    """A learner's readings of unchanged lessons still count; the changed lesson must be reread."""
    run(SEED_000, SEED_001)
    course = Course.objects.get()
    enrollment, _created = enrollment_create(user=learner, course=course)
    module = Module.objects.get(source_name=SEED_001.name)
    for lesson in module.lessons.all():
        lesson_mark_complete(enrollment=enrollment, lesson=lesson)
    assert progress_for(enrollment=enrollment, outline=course_outline(course=course)).done == 5

    run(changed_001)

    course = Course.objects.get()  # as the next request would see it
    progress = progress_for(enrollment=enrollment, outline=course_outline(course=course))
    assert LessonProgress.objects.filter(enrollment=enrollment).count() == 5
    assert progress.total == 7
    assert progress.done == 4
    unread = set(module.lessons.values_list("id", flat=True)) - progress.read_ids
    assert [Lesson.objects.get(pk=pk).title for pk in unread] == [LESSONS_001[2]]


def test_renamed_file_updates_the_same_module(tmp_path):
    """The same content under another name is recognised by its hash: same module, same lessons."""
    run(SEED_000, SEED_001)
    module = Module.objects.get(source_name=SEED_001.name)
    before = lesson_rows(module)
    renamed = tmp_path / "cytokines-immunotherapie.md"
    shutil.copyfile(SEED_001, renamed)

    run(renamed)

    module.refresh_from_db()
    assert module.source_name == "cytokines-immunotherapie.md"
    assert module.position == 2
    assert lesson_rows(module) == before
    assert row_counts() == (1, 2, 7)


def test_changed_import_moves_the_course_updated_at(changed_001):
    """A re-import that changes a module moves the course's updated_at (outlines are cached
    under it); an unchanged re-import leaves it alone."""
    run(SEED_000, SEED_001)
    first = Course.objects.get().updated_at

    run(SEED_000, SEED_001)
    assert Course.objects.get().updated_at == first

    run(changed_001)
    assert Course.objects.get().updated_at > first


def test_removed_section_is_archived_not_deleted(tmp_path, learner):
    """A lesson the document no longer has is archived: its row and progress remain."""
    run(SEED_001)
    module = Module.objects.get()
    conclusion = module.lessons.get(title="Conclusion")
    enrollment, _created = enrollment_create(user=learner, course=module.course)
    lesson_mark_complete(enrollment=enrollment, lesson=conclusion)
    text = SEED_001.read_text(encoding="utf-8")
    shortened = tmp_path / SEED_001.name
    shortened.write_text(text[: text.index("Conclusion\n")] + "Sujet\nDes questions\n")

    run(shortened)

    conclusion.refresh_from_db()
    assert conclusion.archived_at is not None
    assert titles(module) == LESSONS_001[:4]
    assert LessonProgress.objects.filter(lesson=conclusion).exists()


# --- Refused input ------------------------------------------------------------------------------


@pytest.fixture
def bad_files(tmp_path):
    """One file per way a document can be refused, with the words its error line must hold."""
    files = {
        "empty": (b"", "empty"),
        "binary": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
        "encoding": (
            b"Titre\n\nTexte \x81\x8d\x8f\x90\x9d fin.\n",
            "neither UTF-8 nor Windows-1252",
        ),
        "control": (b"Titre\n\nTexte \x1b[31m rouge.\n", "control characters"),
        "no-text": (b"Les soins palliatifs\n", "no paragraph text"),
    }
    made = {}
    for name, (data, problem) in files.items():
        path = tmp_path / f"{name}.txt"
        path.write_bytes(data)
        made[name] = (path, problem)
    rtf = tmp_path / "notes.rtf"
    rtf.write_bytes(b"{\\rtf1\\ansi Soins}")
    made["unsupported"] = (rtf, "unsupported file type .rtf")
    docx = tmp_path / "notes.docx"
    docx.write_bytes(b"PK\x03\x04\x14\x00\x06\x00")
    made["not-zip"] = (docx, "not a valid zip archive")
    made["missing"] = (tmp_path / "absent.txt", "no such file")
    return made


BAD_CASES = [
    "empty",
    "binary",
    "encoding",
    "control",
    "no-text",
    "unsupported",
    "not-zip",
    "missing",
]


@pytest.mark.parametrize("case", BAD_CASES)
def test_bad_file_is_refused_with_one_line_and_nothing_is_written(case, bad_files):
    """A refused file: one stderr line naming it and the problem, exit 1, and the good file given
    with it is not imported either."""
    path, problem = bad_files[case]
    before = row_counts()

    lines = run_refused(SEED_001, path)

    assert len(lines) == 1
    assert lines[0].startswith(f"error: {path}: ")
    assert problem in lines[0]
    assert row_counts() == before == (0, 0, 0)


def test_file_over_the_size_limit_is_refused(settings, tmp_path):
    """A file larger than COURSES_IMPORT_MAX_BYTES is refused before it is read."""
    settings.COURSES_IMPORT_MAX_BYTES = 3000
    big = tmp_path / "gros.txt"
    big.write_text("Titre\n\n" + "Un paragraphe de texte. " * 130, encoding="utf-8")
    assert big.stat().st_size > 3000 > SEED_000.stat().st_size

    lines = run_refused(big, SEED_000)

    assert len(lines) == 1
    assert lines[0].startswith(f"error: {big}: the file is too large")
    assert "the limit is 3\u202f000 bytes" in lines[0]
    assert row_counts() == (0, 0, 0)


def test_file_at_the_size_limit_is_accepted(settings):
    """The limit itself is allowed: only larger files are refused."""
    settings.COURSES_IMPORT_MAX_BYTES = SEED_001.stat().st_size

    run(SEED_001)

    assert Lesson.objects.count() == 5


def test_every_bad_file_gets_its_own_line_in_order(bad_files):
    """Several refused files: one line each, in the order given, and nothing written."""
    paths = [bad_files[case][0] for case in BAD_CASES]

    lines = run_refused(SEED_000, *paths, SEED_001)

    assert len(lines) == len(BAD_CASES)
    for line, case in zip(lines, BAD_CASES, strict=True):
        path, problem = bad_files[case]
        assert line.startswith(f"error: {path}: ")
        assert problem in line
    assert row_counts() == (0, 0, 0)


def test_refused_reimport_leaves_the_existing_course_untouched(bad_files, changed_001):
    """A bad file in a re-import stops the changes of the good files given with it."""
    run(SEED_000, SEED_001)
    before = list(Lesson.objects.order_by("id").values_list("id", "text", "version"))

    run_refused(changed_001, bad_files["binary"][0])

    assert list(Lesson.objects.order_by("id").values_list("id", "text", "version")) == before


# --- JSON output --------------------------------------------------------------------------------


def test_dry_run_json_to_stdout_is_the_course_format_and_writes_nothing():
    """--dry-run --json - prints one JSON object, nothing else, and writes no row."""
    out, err = run(SEED_000, SEED_001, "--dry-run", "--json", "-")

    payload = json.loads(out)
    assert row_counts() == (0, 0, 0)
    assert set(payload) == {"course", "modules"}
    assert payload["course"] == {
        "title": settings.COURSES_DEFAULT_COURSE_TITLE,
        "slug": settings.COURSES_DEFAULT_COURSE_SLUG,
    }
    assert [(m["title"], m["source"]) for m in payload["modules"]] == [
        (TITLE_000, SEED_000.name),
        (TITLE_001, SEED_001.name),
    ]
    for module in payload["modules"]:
        assert set(module) == {"title", "source", "lessons"}
        for lesson in module["lessons"]:
            assert set(lesson) == {"title", "text", "questions"}
            assert isinstance(lesson["text"], str)
            assert lesson["text"]
            for question in lesson["questions"]:
                fields = {"kind", "family", "stem", "options", "answer", "explanation", "source"}
                # A multiple-response question: five options, two or three keys ("answers").
                multiple = "answers" in question
                assert set(question) == (fields | {"answers"} if multiple else fields)
                assert question["kind"] in KINDS
                assert question["family"]
                assert len(question["options"]) == (5 if multiple else 4)
                assert 0 <= question["answer"] < len(question["options"])
                if multiple:
                    assert question["answer"] == question["answers"][0]
                    assert 2 <= len(question["answers"]) <= 3
                source = question["source"]
                # Offsets index the lesson's "text", end excluded.
                assert lesson["text"][source["start"] : source["end"]] == source["sentence"]
    assert sum(len(lesson["questions"]) for m in payload["modules"] for lesson in m["lessons"]) > 20
    assert [lesson["title"] for lesson in payload["modules"][0]["lessons"]] == LESSONS_000
    assert [lesson["title"] for lesson in payload["modules"][1]["lessons"]] == LESSONS_001
    assert "would be imported" in err  # the human report goes to stderr, out of the JSON's way


def test_json_keeps_french_characters_unescaped():
    """The JSON holds "’" and non-breaking spaces as characters, not \\u escapes."""
    out, _err = run(SEED_000, SEED_001, "--dry-run", "--json", "-")

    assert "l’immunothérapie" in out
    assert "\\u2019" not in out
    assert json.loads(out)["modules"][0]["title"].endswith("\u00a0?")


def test_dry_run_without_json_reports_and_writes_nothing():
    """--dry-run alone prints what would be imported and writes no row."""
    out, _err = run(SEED_001, "--dry-run")

    assert f"{SEED_001.name} (UTF-8): « {TITLE_001} », 5 lessons — would be imported" in out
    assert row_counts() == (0, 0, 0)


def test_dry_run_names_an_existing_course():
    """A dry run into an existing course shows that course's title and slug."""
    run(SEED_000)

    out, _err = run(SEED_001, "--dry-run", "--json", "-")

    payload = json.loads(out)
    assert payload["course"] == {
        "title": settings.COURSES_DEFAULT_COURSE_TITLE,
        "slug": settings.COURSES_DEFAULT_COURSE_SLUG,
    }
    assert row_counts() == (1, 1, 2)


def test_json_file_is_written_with_the_imported_course(tmp_path):
    """--json FILE writes the course format to the file and the import still happens."""
    target = tmp_path / "cours.json"

    run(SEED_000, SEED_001, "--course", "cytokines-ide", "--json", target)

    payload = json.loads(target.read_text(encoding="utf-8"))
    course = Course.objects.get(slug="cytokines-ide")
    assert payload["course"] == {"title": course.title, "slug": "cytokines-ide"}
    stored = [
        [(lesson.title, lesson.text) for lesson in module.lessons.order_by("position")]
        for module in course.modules.order_by("position")
    ]
    exported = [
        [(lesson["title"], lesson["text"]) for lesson in module["lessons"]]
        for module in payload["modules"]
    ]
    assert exported == stored


def test_refused_dry_run_prints_no_json():
    """A refused file in a dry run: exit 1, and no JSON on stdout."""
    out, err = io.StringIO(), io.StringIO()
    with override("en"), pytest.raises(SystemExit):
        call_command(
            "import_document",
            str(SEED_001),
            "missing.txt",
            "--dry-run",
            "--json",
            "-",
            stdout=out,
            stderr=err,
        )

    assert out.getvalue() == ""
    assert err.getvalue() == "error: missing.txt: no such file\n"


# --- Sanitising ---------------------------------------------------------------------------------


def test_script_and_dangerous_links_are_not_stored(tmp_path):
    """A document with <script>, an onerror handler and a javascript: link is stored without
    them, and its French text is kept."""
    path = tmp_path / "piege.md"
    path.write_text(
        "# Surveillance\n\n"
        "## Constantes\n\n"
        "La température est relevée <script>alert(1)</script> toutes les heures.\n\n"
        "<img src=x onerror=alert(1)>\n\n"
        "Voir [x](javascript:alert(1)) et la [fiche](https://example.org/fiche).\n",
        encoding="utf-8",
    )

    run(path)

    lesson = Lesson.objects.get()
    assert lesson.title == "Constantes"
    for needle in ("<script", "alert", "onerror", "javascript"):
        assert needle not in lesson.text
    assert "La température est relevée" in lesson.text
    assert "toutes les heures." in lesson.text
    assert "Voir x et la [fiche](https://example.org/fiche)." in lesson.text


def test_windows_1252_document_is_imported_with_its_encoding(tmp_path):
    """A Windows-1252 file is read as such and the module records it."""
    path = tmp_path / "hygiene.txt"
    path.write_bytes(
        b"L\x92hygi\xe8ne des mains\r\n\r\nLa friction hydro-alcoolique dure trente secondes.\r\n"
        b"\r\nLe lavage au savon pr\xe9c\xe8de la friction si les mains sont souill\xe9es.\r\n"
    )

    run(path, "--course", "hygiene")

    module = Module.objects.get()
    assert module.encoding == "Windows-1252"
    assert module.title == "L’hygiène des mains"
    assert "précède" in "".join(module.lessons.values_list("text", flat=True))
