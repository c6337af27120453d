"""Quiz generation for both fixture documents over spaCy's own parse of the same text, then the
quality of every fixture, extra and cold-start text's quiz against its key facts.

    .venv/bin/python bench/generation.py      (part of make bench)

The floor is what generation cannot avoid: fr_core_news_md parsing the lessons' text. The
model's load (once per process) is left out of both. "cold" is the first generation with a
freshly loaded glossary (its caches empty), "warm" the median of the next runs.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "elearn.settings.base")

RUNS = int(os.environ.get("BENCH_GENERATION_RUNS", "7"))


def main() -> int:
    import django

    django.setup()
    from courses.ingest import read_document
    from courses.quizgen import LessonText, generate, nlp
    from courses.quizgen.glossary import load_glossary
    from courses.quizgen.terminology import load_terminology
    from courses.quizgen.terms import load_types

    documents = sorted((ROOT / "fixtures" / "documents").glob("*.txt"))
    lessons = []
    for path in documents:
        document = read_document(path.read_bytes(), source=path.name, max_bytes=2_000_000)
        lessons += [
            LessonText(key=f"{path.name}#{i}", title=lesson.title, text=lesson.text)
            for i, lesson in enumerate(document.lessons)
        ]
    words = sum(len(lesson.text.split()) for lesson in lessons)
    glossary_path = str(ROOT / "fixtures" / "glossary" / "oncologie.yaml")
    tables = ROOT / "fixtures" / "terminology"

    started = time.perf_counter()
    nlp.get_nlp()
    load_seconds = time.perf_counter() - started

    def parse_all() -> float:
        started = time.perf_counter()
        for lesson in lessons:
            nlp.parse(lesson.text)
        return time.perf_counter() - started

    def generate_all() -> tuple[float, int]:
        glossary = load_glossary(glossary_path)
        terminology = load_terminology(str(tables))
        types = load_types(str(tables / "types.yaml"))
        started = time.perf_counter()
        quizzes = generate(lessons, glossary=glossary, terminology=terminology, types=types)
        return time.perf_counter() - started, sum(len(q.kept) for q in quizzes)

    parse_all()  # warm the pipeline's first-call costs
    floor = statistics.median(parse_all() for _ in range(RUNS))
    started = time.perf_counter()
    load_terminology(str(tables))
    load_types(str(tables / "types.yaml"))
    tables_seconds = time.perf_counter() - started
    load_terminology.cache_clear()
    load_types.cache_clear()
    load_glossary.cache_clear()
    cold, items = generate_all()
    warm = statistics.median(generate_all()[0] for _ in range(RUNS))

    print(f"Quiz generation, {len(documents)} documents, {len(lessons)} lessons, {words} words")
    print(f"  model load (once per process, not counted): {load_seconds * 1000:.0f} ms")
    print(f"  terminology tables load (once per process): {tables_seconds * 1000:.0f} ms")
    print(f"  spaCy parse of the same text (floor):       {floor * 1000:.1f} ms")
    print(f"  generation, cold (glossary, tables loaded): {cold * 1000:.1f} ms "
          f"= {cold / floor:.1f} x floor")  # fmt: skip
    print(f"  generation, warm (median of {RUNS} runs):    {warm * 1000:.1f} ms "
          f"= {warm / floor:.1f} x floor")  # fmt: skip
    print(f"  items kept: {items} ({100 * items / words:.1f} per 100 words)")

    # The yardstick: every document with a fact list, each generated as a course of its own.
    from django.core.management import call_command

    measured = [
        *documents,
        *sorted((ROOT / "fixtures" / "extra").glob("*.txt")),
        *sorted(
            path
            for path in (ROOT / "fixtures" / "coldstart").iterdir()
            if path.suffix in {".txt", ".md"} and not path.name.endswith(".facts.md")
        ),
    ]
    print("\nQuiz quality against each document's key facts (manage.py quiz_measure):")
    call_command("quiz_measure", *[str(path) for path in measured], summary=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
