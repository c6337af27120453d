"""SCORM export of the demo course over zipping the same files (the floor).

    .venv/bin/python bench/scorm.py      (part of make bench)

The demo course is imported from fixtures/documents/ into a throwaway SQLite database, its
questions approved (as `make run` does). "export" is package_build: reading the course,
rendering a page per lesson, the manifest, the zip. The floor is writing the very same files
into a zip with the same compression: what any export has to pay. Median of several runs;
the first run (cold caches) is shown apart.
"""

from __future__ import annotations

import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
RUNS = int(os.environ.get("BENCH_SCORM_RUNS", "15"))


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="elearn-bench-scorm-") as tmp:
        return measure(Path(tmp) / "db.sqlite3")


def measure(database: Path) -> int:
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ["QUIZ_AUTO_APPROVE"] = "1"
    os.environ["DEMO"] = "1"  # setup_demo makes the demo course only on a demonstration site
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "elearn.settings.base")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from courses.models import Course
    from courses.scorm.package import package_build, package_files, package_zip

    call_command("migrate", verbosity=0)
    call_command("setup_demo", stdout=io.StringIO())
    course = Course.objects.get(slug=settings.COURSES_DEFAULT_COURSE_SLUG)

    def export(standard: str) -> float:
        started = time.perf_counter()
        package_build(course=course, standard=standard)
        return time.perf_counter() - started

    def zip_only(files: dict[str, bytes]) -> float:
        started = time.perf_counter()
        package_zip(files)
        return time.perf_counter() - started

    print(f"SCORM export of “{course.title}”, in-process, SQLite, median of {RUNS} runs.")
    print(f"{'':>10}{'export':>12}{'zip floor':>12}{'ratio':>8}{'files':>7}{'size':>9}{'cold':>10}")
    for standard in ("1.2", "2004"):
        cold = export(standard)
        files = package_files(course=course, standard=standard)
        size = len(package_build(course=course, standard=standard))
        exports = [export(standard) for _ in range(RUNS)]
        floors = [zip_only(files) for _ in range(RUNS)]
        export_ms = 1000 * statistics.median(exports)
        floor_ms = 1000 * statistics.median(floors)
        print(
            f"{'SCORM ' + standard:>10}{export_ms:>10.1f}ms{floor_ms:>10.1f}ms"
            f"{export_ms / floor_ms:>8.2f}{len(files):>7}{size // 1024:>7}KB{1000 * cold:>8.1f}ms"
        )
    print("ratio: the export's time over zipping the same files (1.0 would be free rendering).")
    from django.db import connections

    connections.close_all()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
