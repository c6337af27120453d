"""python manage.py quiz_measure PATH... [--facts FILE]... [--items] [--summary]

Each document is read as `import_document --dry-run` reads it, its quiz generated as for a
course of that document alone, and the result measured (courses/quizgen/yardstick.py) against
its fact list: ``--facts`` in the documents' order, else ``<name>.facts.md`` beside the
document or in fixtures/facts/. Prints items per 100 words, facts tested (and which not),
items per kind, the share of items that do not ask what "the text" says, what generation
dropped and why, and what a reviewer would object to in the items kept. Writes nothing.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from courses.ingest import DocumentError, read_document
from courses.itembank.services import lessons_generate
from courses.quizgen import LessonText, yardstick

FACTS_DIR = Path(settings.BASE_DIR) / "fixtures" / "facts"


def facts_for(document: Path) -> Path | None:
    """``<name>.facts.md`` beside the document, else in fixtures/facts/."""
    for folder in (document.parent, FACTS_DIR):
        candidate = folder / f"{document.stem}.facts.md"
        if candidate.is_file():
            return candidate
    return None


@dataclass
class DocumentMeasure:
    measure: yardstick.Measure
    dropped: Counter[str]  # what generation dropped, by flaw
    questions: list[dict[str, Any]]  # the items kept, in the course format


def document_measure(path: Path, facts_path: Path | None) -> DocumentMeasure:
    """Generation for the document alone, measured."""
    document = read_document(
        path.read_bytes(),
        source=path.name,
        max_bytes=settings.COURSES_IMPORT_MAX_BYTES,
        max_package_bytes=settings.COURSES_IMPORT_MAX_PACKAGE_BYTES,
    )
    texts = [
        LessonText(
            key=str(index), title=lesson.title, text=lesson.text, module_title=document.title
        )
        for index, lesson in enumerate(document.lessons)
    ]
    quizzes = lessons_generate(texts)
    facts = yardstick.parse_facts(facts_path.read_text(encoding="utf-8")) if facts_path else []
    lessons = [
        yardstick.MeasuredLesson(
            title=text.title, text=text.text, questions=[item.to_json() for item in quiz.kept]
        )
        for text, quiz in zip(texts, quizzes, strict=True)
    ]
    dropped: Counter[str] = Counter(
        flaw.code for quiz in quizzes for entry in quiz.dropped for flaw in entry.flaws
    )
    return DocumentMeasure(
        measure=yardstick.measure(lessons=lessons, facts=facts, module_title=document.title),
        dropped=dropped,
        questions=[question for lesson in lessons for question in lesson.questions],
    )


class Command(BaseCommand):
    help = "Measure generated quizzes against each document's key facts (the yardstick)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument("--facts", action="append", default=[], metavar="FILE")
        parser.add_argument("--items", action="store_true", help="Print every item kept.")
        parser.add_argument(
            "--summary", action="store_true", help="Print only the table, a line per document."
        )

    def handle(self, *args, **options) -> None:
        paths = [Path(raw) for raw in options["paths"]]
        if options["facts"] and len(options["facts"]) != len(paths):
            raise CommandError("Give one --facts file per document, or none.")
        rows = []
        for index, path in enumerate(paths):
            facts_path = Path(options["facts"][index]) if options["facts"] else facts_for(path)
            try:
                measured = document_measure(path, facts_path)
            except (DocumentError, OSError) as error:
                raise CommandError(f"{path}: {error}") from error
            rows.append((path.name, measured.measure))
            if not options["summary"]:
                self._report(path, facts_path, measured, show_items=options["items"])
        self.stdout.write("\n" + summary_table(rows))

    def _report(
        self, path: Path, facts_path: Path | None, measured: DocumentMeasure, *, show_items: bool
    ) -> None:
        write = self.stdout.write
        result, dropped = measured.measure, measured.dropped
        write(f"\n{path.name}  (facts: {facts_path or 'none'})")
        write(
            f"  {result.words} words, {result.items} items kept = "
            f"{result.per_100_words:.1f} per 100 words"
        )
        if result.facts:
            write(
                f"  facts tested: {len(result.tested)} of {len(result.facts)} "
                f"({100 * result.facts_share:.0f} %)"
            )
            untested = ", ".join(fact.text for fact in result.untested)
            if untested:
                write(f"    not tested: {untested}")
        write("  kinds: " + _counts(result.kinds))
        write(f"  not text recall: {100 * result.non_recall_share:.0f} % of items")
        write(
            f"  key position: {_counts(Counter({str(k): v for k, v in result.positions.items()}))}"
            f" (largest share {100 * result.max_position_share:.0f} %)"
        )
        write(
            "  kept items a reviewer would object to: "
            + (_counts(result.problems) if result.problems else "none")
        )
        write("  dropped by generation, by flaw: " + (_counts(dropped) if dropped else "none"))
        if show_items:
            for question in measured.questions:
                options = " | ".join(
                    ("*" if i in (question.get("answers") or [question["answer"]]) else "") + option
                    for i, option in enumerate(question["options"])
                )
                write(f"    [{question['kind']}] {question['stem']}\n        {options}")


def summary_table(rows: list[tuple[str, yardstick.Measure]]) -> str:
    lines = [
        f"{'document':<44}{'items/100w':>11}{'facts':>8}{'not recall':>12}{'lone form':>11}"
        f"{'key pos':>9}{'problems':>10}"
    ]
    for name, result in rows:
        facts = f"{100 * result.facts_share:.0f} %" if result.facts else "—"
        problems = sum(
            count for code, count in result.problems.items() if code != "key_alone_in_form"
        )
        lines.append(
            f"{name[:43]:<44}{result.per_100_words:>11.1f}{facts:>8}"
            f"{100 * result.non_recall_share:>10.0f} %{100 * result.lone_form_share:>9.0f} %"
            f"{100 * result.max_position_share:>7.0f} %{problems:>10}"
        )
    return "\n".join(lines)


def _counts(counter: Counter) -> str:
    return ", ".join(f"{name} {count}" for name, count in counter.most_common())
