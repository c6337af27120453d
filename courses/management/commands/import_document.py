"""python manage.py import_document PATH... [--course SLUG] [--dry-run] [--json FILE|-]"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from courses.ingest import DocumentError, ParsedDocument, read_document
from courses.ingest.course_format import course_payload, lesson_key
from courses.ingest.registry import check_size, limit_for
from courses.ingest.services import course_for_import, documents_import
from courses.itembank.services import course_items_generate, lessons_generate
from courses.quizgen import LessonText


class Command(BaseCommand):
    help = _(
        "Import documents (Word, LibreOffice, PDF, saved web pages, plain text, Markdown) as "
        "modules of a course. All or nothing: if one file is refused, nothing is written."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument(
            "--course",
            metavar="SLUG",
            help=_("The course to import into (default: the COURSES_DEFAULT_COURSE_SLUG setting)."),
        )
        parser.add_argument(
            "--dry-run", action="store_true", help=_("Parse and report; write nothing.")
        )
        parser.add_argument(
            "--replace-edited",
            action="store_true",
            help=_("Replace the lessons edited in the browser (kept by default)."),
        )
        parser.add_argument(
            "--json",
            metavar="FILE",
            help=_("Write the result in the course format (docs/course-format.md); - for stdout."),
        )

    def handle(self, *args, **options) -> None:
        documents, errors = self._read_all(options["paths"])
        if errors:
            for error in errors:
                self.stderr.write(error)
            sys.exit(1)

        # With --json -, standard output carries the JSON alone.
        report_to = self.stderr if options["json"] == "-" else self.stdout
        if options["dry_run"]:
            course, _exists = course_for_import(
                slug=options["course"], title_if_new=documents[0].title
            )
            for document in documents:
                report_to.write(self._describe(document, _("would be imported")))
        else:
            report = documents_import(
                course_slug=options["course"],
                documents=documents,
                replace_edited=options["replace_edited"],
            )
            course = report.course
            for result in report.modules:
                status = {
                    "created": _("created"),
                    "updated": _("updated"),
                    "unchanged": _("unchanged"),
                }[result.status]
                detail = _(
                    "%(status)s: %(created)d new, %(updated)d changed, %(unchanged)d unchanged, "
                    "%(archived)d archived lessons"
                ) % {
                    "status": status,
                    "created": result.lessons_created,
                    "updated": result.lessons_updated,
                    "unchanged": result.lessons_unchanged,
                    "archived": result.lessons_archived,
                }
                report_to.write(self._describe(result.document, detail))
                for title in result.kept_edited:
                    report_to.write(
                        _(
                            "  kept as edited in the browser: %(title)s (--replace-edited to "
                            "replace)"
                        )
                        % {"title": title}
                    )
            if report.changed_lesson_ids:
                generated = course_items_generate(
                    course=course, lesson_ids=report.changed_lesson_ids
                )
                report_to.write(
                    _(
                        "Questions: %(created)d new (%(approved)d approved), %(refreshed)d "
                        "drafts refreshed, %(sent_back)d sent back to review"
                    )
                    % {
                        "created": generated.created,
                        "approved": generated.approved,
                        "refreshed": generated.refreshed,
                        "sent_back": generated.sent_back,
                    }
                )

        if options["json"]:
            payload = course_payload(
                title=course.title,
                slug=course.slug,
                documents=documents,
                questions=self._questions(documents),
            )
            text = json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
            if options["json"] == "-":
                self.stdout.write(text, ending="")
            else:
                Path(options["json"]).write_text(text, encoding="utf-8")

    def _read_all(self, paths: list[str]) -> tuple[list[ParsedDocument], list[str]]:
        documents, errors = [], []
        for raw in paths:
            path = Path(raw)
            try:
                if not path.is_file():
                    raise DocumentError(_("no such file"), code="missing")
                limits = {
                    "max_bytes": settings.COURSES_IMPORT_MAX_BYTES,
                    "max_package_bytes": settings.COURSES_IMPORT_MAX_PACKAGE_BYTES,
                }
                # Refuse an oversized file before reading it into memory.
                check_size(path.stat().st_size, max_bytes=limit_for(path.name, **limits))
                documents.append(read_document(path.read_bytes(), source=path.name, **limits))
            except DocumentError as error:
                errors.append(_("error: %(path)s: %(problem)s") % {"path": raw, "problem": error})
            except OSError as error:
                errors.append(
                    _("error: %(path)s: %(problem)s")
                    % {"path": raw, "problem": error.strerror or error}
                )
        return documents, errors

    def _questions(self, documents: list[ParsedDocument]) -> dict[str, list[dict]]:
        """The generated questions of the documents' lessons, as the course format has them."""
        texts = [
            LessonText(
                key=lesson_key(document, index),
                title=lesson.title,
                text=lesson.text,
                module_title=document.title,
            )
            for document in documents
            for index, lesson in enumerate(document.lessons)
        ]
        quizzes = lessons_generate(texts)
        return {quiz.lesson: [item.to_json() for item in quiz.kept] for quiz in quizzes}

    def _describe(self, document: ParsedDocument, what: str) -> str:
        lines = [
            _("%(source)s (%(encoding)s): « %(title)s », %(count)d lessons — %(what)s")
            % {
                "source": document.source,
                "encoding": document.encoding,
                "title": document.title,
                "count": len(document.lessons),
                "what": what,
            }
        ]
        lines.extend(f"    {note}" for note in document.notes)
        return "\n".join(lines)
