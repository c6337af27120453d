"""Writing imported documents: one module per document, updated in place on re-import."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from courses.itembank.services import course_items_generate
from courses.models import (
    BackgroundJob,
    Course,
    CourseImage,
    Lesson,
    LessonVersion,
    Module,
    User,
)
from courses.models.catalog import text_hash
from courses.progress.services import completions_recheck
from courses.system import jobs
from courses.system.broker import publish, publish_many
from courses.system.media import STORAGE_ERRORS, StorageUnavailable, storage_guard
from courses.textnorm import match_key

from . import tasks
from .base import DocumentError, ParsedDocument, ParsedImage
from .registry import read_document

log = logging.getLogger(__name__)


@dataclass
class ModuleImportResult:
    document: ParsedDocument
    module: Module
    status: Literal["created", "updated", "unchanged"]
    lessons_created: int = 0
    lessons_updated: int = 0
    lessons_unchanged: int = 0
    lessons_archived: int = 0
    # Lessons edited in the browser that the import left as staff made them (by default).
    kept_edited: list[str] = field(default_factory=list)
    # Lessons whose text is new or changed: their quiz items are (re)generated.
    changed_lesson_ids: list[int] = field(default_factory=list)


@dataclass
class ImportReport:
    course: Course
    modules: list[ModuleImportResult] = field(default_factory=list)

    @property
    def changed_lesson_ids(self) -> list[int]:
        return [pk for result in self.modules for pk in result.changed_lesson_ids]


def course_for_import(*, slug: str | None, title_if_new: str) -> tuple[Course, bool]:
    """The course documents go to: ``slug``, or the course named by setting. Not saved.

    Returns (course, exists). A new course takes the setting's title for the default course,
    else ``title_if_new``.
    """
    slug = slug or settings.COURSES_DEFAULT_COURSE_SLUG
    course = Course.objects.filter(slug=slug).first()
    if course is not None:
        return course, True
    if slug == settings.COURSES_DEFAULT_COURSE_SLUG:
        title = settings.COURSES_DEFAULT_COURSE_TITLE
    else:
        title = title_if_new
    return Course(slug=slugify(slug)[:80] or slug, title=title[:200]), False


@transaction.atomic
def documents_import(
    *,
    course_slug: str | None,
    documents: Sequence[ParsedDocument],
    replace_edited: bool = False,
) -> ImportReport:
    """Import parsed documents into a course, all or nothing.

    A document is recognised by its file name, or failing that by its content hash (a renamed
    file). Re-importing it updates its module: lessons whose text is unchanged keep their rows,
    so learners' progress on them survives; changed lessons get a new version; lessons the
    document no longer has are archived, not deleted. A lesson edited in the browser is kept
    as staff left it (and listed in the report), unless ``replace_edited``.
    """
    course, exists = course_for_import(
        slug=course_slug, title_if_new=documents[0].title if documents else ""
    )
    if not exists:
        course.save()
    report = ImportReport(course=course)
    for document in documents:
        course_images_store(course=course, document=document)
        report.modules.append(
            module_import(course=course, document=document, replace_edited=replace_edited)
        )
    if any(result.status != "unchanged" for result in report.modules):
        # The course's outline is cached under its updated_at: a changed module must move it,
        # and bulk_create and update() do not go through the models' save().
        course.save(update_fields=["updated_at"])
        if exists:
            # A lesson archived by this import no longer counts: some learners may now have
            # done every lesson that remains.
            completions_recheck(course=course)
    return report


def _lessons_by_imported_hash(lessons: Sequence[Lesson]) -> dict[str, Lesson]:
    """Edited lessons by the hash of each text an import gave them (their history)."""
    edited = {lesson.pk: lesson for lesson in lessons if lesson.edited_at is not None}
    if not edited:
        return {}
    found: dict[str, Lesson] = {}
    for lesson_id, text in LessonVersion.objects.filter(
        lesson_id__in=edited, origin=LessonVersion.Origin.IMPORT
    ).values_list("lesson_id", "text"):
        found.setdefault(text_hash(text), edited[lesson_id])
    return found


def _versions_record(lessons: Sequence[Lesson]) -> None:
    """The lessons' texts as imported, in their history (a version already there is kept)."""
    LessonVersion.objects.bulk_create(
        [
            LessonVersion(
                lesson=lesson,
                version=lesson.version,
                title=lesson.title,
                text=lesson.text,
                origin=LessonVersion.Origin.IMPORT,
            )
            for lesson in lessons
        ],
        ignore_conflicts=True,
    )


def course_images_store(*, course: Course, document: ParsedDocument) -> int:
    """The document's pictures, stored for the course; one already there (the same content)
    is kept as it is. Returns how many were added."""
    known = set(
        CourseImage.objects.filter(
            course=course, key__in=[image.key for image in document.images]
        ).values_list("key", flat=True)
    )
    added = 0
    for image in document.images:
        if image.key in known:
            continue
        course_image_store(course=course, image=image, source_name=document.source)
        known.add(image.key)
        added += 1
    return added


def course_image_store(*, course: Course, image: ParsedImage, source_name: str) -> CourseImage:
    """One picture (checked and re-encoded already) stored for the course's lessons."""
    row = CourseImage(
        course=course,
        key=image.key,
        content_type=image.content_type,
        width=image.width,
        height=image.height,
        alt=image.alt[:500],
        source_name=source_name[:255],
    )
    with storage_guard():
        row.file.save(f"{image.key[:32]}.{image.extension}", ContentFile(image.data), save=False)
    row.save()
    return row


def module_import(
    *, course: Course, document: ParsedDocument, replace_edited: bool = False
) -> ModuleImportResult:
    modules = Module.objects.select_for_update().filter(course=course)
    module = (
        modules.filter(source_name=document.source).first()
        or modules.filter(content_hash=document.content_hash).first()
    )
    now = timezone.now()

    if module is None:
        last = Module.objects.filter(course=course).aggregate(last=Max("position"))["last"]
        module = Module.objects.create(
            course=course,
            title=document.title[:300],
            imported_title=document.title[:300],
            position=(last or 0) + 1,
            source_name=document.source,
            content_hash=document.content_hash,
            encoding=document.encoding,
            imported_at=now,
        )
        created = Lesson.objects.bulk_create(
            [
                Lesson(
                    module=module,
                    title=lesson.title[:300],
                    position=position,
                    text=lesson.text,
                    text_hash=text_hash(lesson.text),
                )
                for position, lesson in enumerate(document.lessons, start=1)
            ]
        )
        if any(lesson.pk is None for lesson in created):
            # Backends that do not return ids from bulk inserts: read them back.
            created = list(module.lessons.order_by("position"))
        _versions_record(created)
        return ModuleImportResult(
            document=document,
            module=module,
            status="created",
            lessons_created=len(document.lessons),
            changed_lesson_ids=[lesson.pk for lesson in created],
        )

    current = list(
        module.lessons.filter(archived_at__isnull=True)
        .order_by("position")
        .values_list("title", "text_hash")
    )
    wanted = [(lesson.title[:300], text_hash(lesson.text)) for lesson in document.lessons]
    if (
        module.content_hash == document.content_hash
        and module.source_name == document.source
        and (module.title if not module.renamed else module.imported_title) == document.title[:300]
        and current == wanted
    ):
        return ModuleImportResult(
            document=document,
            module=module,
            status="unchanged",
            lessons_unchanged=len(document.lessons),
        )

    result = ModuleImportResult(document=document, module=module, status="updated")
    existing = list(module.lessons.all())
    by_hash = {lesson.text_hash: lesson for lesson in existing}
    by_title = {match_key(lesson.title): lesson for lesson in existing}
    # An edited lesson is still the one whose imported text the document holds.
    by_imported = _lessons_by_imported_hash(existing)
    used: set[int] = set()
    for position, parsed in enumerate(document.lessons, start=1):
        new_hash = text_hash(parsed.text)
        candidate = by_hash.get(new_hash)
        if candidate is None or candidate.pk in used:
            candidate = by_imported.get(new_hash)
        if candidate is None or candidate.pk in used:
            candidate = by_title.get(match_key(parsed.title))
        if candidate is None or candidate.pk in used:
            new_lesson = Lesson.objects.create(
                module=module, title=parsed.title[:300], position=position, text=parsed.text
            )
            _versions_record([new_lesson])
            result.lessons_created += 1
            result.changed_lesson_ids.append(new_lesson.pk)
            continue
        used.add(candidate.pk)
        if candidate.edited_at is not None and not replace_edited:
            # Edited in the browser since: staff's text stays (the report lists it).
            result.kept_edited.append(candidate.title)
            result.lessons_unchanged += 1
            continue
        unchanged = (
            candidate.text_hash == new_hash
            and candidate.title == parsed.title
            and candidate.position == position
            and candidate.archived_at is None
        )
        if unchanged:
            result.lessons_unchanged += 1
            continue
        if candidate.text_hash == new_hash:
            result.lessons_unchanged += 1
        else:
            result.lessons_updated += 1
            result.changed_lesson_ids.append(candidate.pk)
        candidate.title = parsed.title[:300]
        candidate.position = position
        candidate.text = parsed.text  # save() bumps the version when the text changed
        candidate.archived_at = None
        candidate.edited_at = None  # the document's text again (replace_edited)
        candidate.save()
        if candidate.text_hash == new_hash and not unchanged:
            _versions_record([candidate])

    for lesson in existing:
        if lesson.pk not in used and lesson.edited_at is not None and not replace_edited:
            if lesson.archived_at is None:
                result.kept_edited.append(lesson.title)  # added or edited in the browser
            continue
        if lesson.pk not in used and lesson.archived_at is None:
            lesson.archived_at = now
            lesson.save(update_fields=["archived_at", "updated_at"])
            result.lessons_archived += 1

    if not module.renamed:  # a title staff gave the module stays
        module.title = document.title[:300]
    module.imported_title = document.title[:300]
    module.source_name = document.source
    module.content_hash = document.content_hash
    module.encoding = document.encoding
    module.imported_at = now
    module.save()
    return result


# --- imports from the browser, in the background -------------------------------------------


def import_request(
    *,
    course: Course,
    uploads: Sequence[tuple[str, File]],
    by: User,
    replace_edited: bool = False,
) -> BackgroundJob:
    """Documents uploaded for the course: kept in storage until the worker has read them, the
    job recorded now, its task published on commit (the request does not wait for it).

    The task gets the job's id; the job holds the files' storage keys, which any host reads,
    never a path on this host's disk. StorageUnavailable when the storage refuses one: no job
    is recorded and the files already stored are removed."""
    files: list[dict[str, str]] = []
    try:
        with transaction.atomic(), storage_guard():
            job = BackgroundJob.objects.create(
                kind=BackgroundJob.Kind.IMPORT, course=course, requested_by=by
            )
            for name, upload in uploads:
                key = default_storage.save(f"imports/{job.pk}/{_stored_name(name)}", upload)
                files.append({"name": name, "path": key})
            job.payload = {"files": files, "replace_edited": replace_edited}
            job.save(update_fields=["payload"])
    except StorageUnavailable:
        _stored_delete(files)
        raise
    transaction.on_commit(lambda: publish(tasks.documents_import_task, job.pk))
    return job


def _stored_delete(files: list[dict[str, str]]) -> None:
    """Remove uploaded documents; one that cannot be removed now is logged, not raised (the
    storage's lifecycle rule on imports/ clears what is left: docs/deployment.md)."""
    for stored in files:
        try:
            default_storage.delete(stored["path"])
        except STORAGE_ERRORS as error:
            log.warning("could not delete %s: %s", stored["path"], error)


def _stored_name(name: str) -> str:
    stem, dot, suffix = name.rpartition(".")
    return f"{slugify(stem)[:80] or 'document'}{dot}{suffix.lower()[:10]}"


def import_run(*, job_id: int) -> str:
    """The worker's side: read every file (all or nothing, as the command does), import them,
    draft the questions of the lessons that changed; the job says each step, then the report
    or why it failed. The uploaded files are deleted once read.

    A storage that does not answer fails nothing: the job goes back to the queue with its
    files, and the sweeper publishes it again (a re-import of the same documents changes
    only what it had not finished)."""
    job = jobs.job_claim(job_id=job_id)
    if job is None:
        return "skipped"
    files = job.payload.get("files", [])
    requeued = False
    try:
        jobs.job_step(job=job, step=BackgroundJob.Step.READING)
        documents, errors = _read_files(files)
        if errors:
            jobs.job_fail(job=job, error="\n".join(errors))
            return "refused"
        report = documents_import(
            course_slug=job.course.slug,
            documents=documents,
            replace_edited=bool(job.payload.get("replace_edited")),
        )
        # The lessons that changed, and those of these modules with no question at all: a
        # run killed between the import and the drafting left them so, and this run (its
        # redelivery) finds the documents unchanged.
        lesson_ids = set(report.changed_lesson_ids) | set(
            Lesson.objects.filter(
                module__in=[result.module for result in report.modules],
                archived_at__isnull=True,
                items__isnull=True,
            ).values_list("pk", flat=True)
        )
        drafted = 0
        if lesson_ids:
            jobs.job_step(job=job, step=BackgroundJob.Step.GENERATING)
            drafted = course_items_generate(course=job.course, lesson_ids=lesson_ids).created
    except StorageUnavailable as unavailable:
        log.warning("import job %s waits for the storage: %s", job.pk, unavailable.__cause__)
        jobs.job_requeue(
            job=job,
            reason=_(
                "Waiting for the file storage, which does not answer: the import will go on "
                "by itself once it does."
            ),
        )
        requeued = True
        return "requeued"
    except Exception as error:
        log.exception("import job %s failed", job.pk)
        jobs.job_fail(job=job, error=f"{type(error).__name__}: {error}")
        return "failed"
    finally:
        if not requeued:
            _stored_delete(files)
    jobs.job_finish(job=job, report=_import_summary(report, drafted=drafted))
    return "done"


def _read_files(files: list[dict[str, str]]) -> tuple[list[ParsedDocument], list[str]]:
    documents: list[ParsedDocument] = []
    errors: list[str] = []
    limits = {
        "max_bytes": settings.COURSES_IMPORT_MAX_BYTES,
        "max_package_bytes": settings.COURSES_IMPORT_MAX_PACKAGE_BYTES,
    }
    for stored in files:
        try:
            with storage_guard(), default_storage.open(stored["path"], "rb") as handle:
                data = handle.read()
            documents.append(read_document(data, source=stored["name"], **limits))
        except DocumentError as error:
            errors.append(f"{stored['name']}: {error}")
    return documents, errors


def _import_summary(report: ImportReport, *, drafted: int) -> dict[str, object]:
    return {
        "modules": [
            {
                "source": result.document.source,
                "title": result.module.title,
                "status": result.status,
                "created": result.lessons_created,
                "updated": result.lessons_updated,
                "unchanged": result.lessons_unchanged,
                "archived": result.lessons_archived,
                "images": len(result.document.images),
                "kept_edited": result.kept_edited,
                "notes": list(result.document.notes),
            }
            for result in report.modules
        ],
        "drafted": drafted,
    }


def imports_owed_publish() -> int:
    owed = jobs.jobs_owed(kind=BackgroundJob.Kind.IMPORT).values_list("pk", flat=True)
    return publish_many([(tasks.documents_import_task, pk) for pk in owed])
