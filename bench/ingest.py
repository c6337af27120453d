"""Reading the same course text in each format the importer takes, over reading it as Markdown
(the floor: the title, lesson and boilerplate rules every format ends with).

    .venv/bin/python bench/ingest.py      (part of make bench)

The documents are the tests' own (tests/ingest/documents.py): the same title, lessons and
words made in Word (python-docx), OpenDocument (odfpy), PDF (ReportLab) and a saved web page,
and the Markdown the Word document becomes. Each is read BENCH_INGEST_RUNS times, the formats
in turn, round after round; the medians are compared. It asserts nothing of the times; it fails
if a format's lessons differ from the Markdown's.

Environment: BENCH_INGEST_RUNS (15).
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

RUNS = int(os.environ.get("BENCH_INGEST_RUNS", "15"))


def main() -> int:
    import django

    django.setup()
    from courses.ingest import read_document
    from tests.ingest import documents

    limits = {"max_bytes": 20_000_000, "max_package_bytes": 20_000_000}
    word = documents.docx(with_extras=False)
    markdown = "".join(
        [f"# {documents.TITLE}\n\n"]
        + [
            f"## {heading}\n\n" + "\n\n".join(paragraphs) + "\n\n"
            for heading, paragraphs in documents.LESSONS
        ]
    ).encode()
    files = {
        "Markdown (.md, the floor)": ("course.md", markdown),
        "Word (.docx)": ("course.docx", word),
        "OpenDocument (.odt)": ("course.odt", documents.odt()),
        "PDF (.pdf, 2 pages)": ("course.pdf", documents.pdf()),
        "saved web page (.html)": ("course.html", documents.html()),
    }
    expected = [lesson.title for lesson in read_document(markdown, source="c.md", **limits).lessons]
    for label, (name, data) in files.items():
        got = [lesson.title for lesson in read_document(data, source=name, **limits).lessons]
        if got != expected:
            print(f"{label}: lessons {got} differ from the Markdown's {expected}", file=sys.stderr)
            return 1
    times: dict[str, list[float]] = {label: [] for label in files}
    for _round in range(RUNS):
        for label, (name, data) in files.items():
            started = time.perf_counter()
            read_document(data, source=name, **limits)
            times[label].append(1000 * (time.perf_counter() - started))
    medians = {label: statistics.median(values) for label, values in times.items()}
    floor = medians["Markdown (.md, the floor)"]
    print(
        f"Reading one course text ({len(expected)} lessons) in each format, median of {RUNS} "
        f"rounds, {os.cpu_count()} CPUs (load average {os.getloadavg()[0]:.1f}):"
    )
    for label, (_name, data) in files.items():
        print(
            f"  {label:<28} {len(data):>7} bytes {medians[label]:>8.2f} ms "
            f"{medians[label] / floor:>7.1f} x the floor"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
