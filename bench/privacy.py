"""What the RGPD's rights cost, against the page a learner opens them from.

    .venv/bin/python bench/privacy.py      (part of make bench)

The demo course is imported into a throwaway SQLite database (as `make run` does) and the demo
learner given a long history: every quiz of the course taken BENCH_PRIVACY_ATTEMPTS times. In
one run, median of several:

- her data download (POST /profile/data/: every record of hers as JSON, plus its access
  record) over her profile page (GET /profile/), the floor;
- the daily retention task over BENCH_PRIVACY_ACCOUNTS accounts, none of them due, over the
  same profile page (what a day's sweep costs, in page views).
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

RUNS = int(os.environ.get("BENCH_PRIVACY_RUNS", "15"))
ATTEMPTS = int(os.environ.get("BENCH_PRIVACY_ATTEMPTS", "5"))
ACCOUNTS = int(os.environ.get("BENCH_PRIVACY_ACCOUNTS", "2000"))


def median_ms(run: Callable[[], object], runs: int = RUNS) -> float:
    from bench.harness import median_ms as median

    return median(run, runs=runs)


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="elearn-bench-privacy-") as tmp:
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(tmp) / 'db.sqlite3'}"
        os.environ["VAR_DIR"] = tmp
        os.environ["QUIZ_AUTO_APPROVE"] = "1"
        os.environ["DEMO"] = "1"
        os.environ["CACHE_URL"] = "locmemcache://bench"
        os.environ["STATIC_ROOT"] = str(Path(tmp) / "static")
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "elearn.settings.base")
        import django

        django.setup()
        return measure()


def measure() -> int:
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    from bench.harness import BenchError
    from courses.models import Enrollment, Lesson, QuestionItem, User
    from courses.privacy.services import retention_apply
    from courses.quizzes.services import attempt_start, attempt_submit
    from demo.accounts import demo_account

    settings.ALLOWED_HOSTS = ["testserver"]
    settings.SECURE_SSL_REDIRECT = False
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # as production serves pages
    call_command("setup_demo", stdout=io.StringIO())
    learner = User.objects.get(email=demo_account(role="learner").email)
    enrollment = Enrollment.objects.filter(user=learner).first()
    lessons = Lesson.objects.filter(
        module__course=enrollment.course,
        items__status=QuestionItem.Status.APPROVED,
    ).distinct()
    for lesson in lessons:
        for _ in range(ATTEMPTS):
            attempt, _created = attempt_start(enrollment=enrollment, lesson=lesson)
            attempt_submit(attempt=attempt, answers={0: 0})
    attempts = enrollment.attempts.count()
    stamp = timezone.now()
    User.objects.bulk_create(
        User(email=f"compte{n}@example.org", last_login=stamp, date_joined=stamp)
        for n in range(ACCOUNTS)
    )
    client = Client()
    client.force_login(learner)

    def answered(response, what: str) -> None:  # type: ignore[no-untyped-def]
        if response.status_code != 200:
            raise BenchError(f"{what} answered {response.status_code}")

    def profile() -> None:
        answered(client.get("/profile/"), "the profile page")

    def download() -> None:
        answered(client.post("/profile/data/"), "the data download")

    size = len(client.post("/profile/data/").content)
    floor = median_ms(profile)
    export = median_ms(download)
    sweep = median_ms(lambda: retention_apply(), runs=5)
    print(
        f"RGPD rights, in-process, SQLite, median of {RUNS} runs "
        f"(the demo learner: {attempts} quiz attempts; {User.objects.count()} accounts)."
    )
    print(f"{'':<34}{'ms':>9}{'× profile page':>16}")
    print(f"{'profile page (the floor)':<34}{floor:>9.1f}{1:>16.1f}")
    print(f"{f'data download ({size // 1024} KB)':<34}{export:>9.1f}{export / floor:>16.1f}")
    print(f"{'retention task, nothing due':<34}{sweep:>9.1f}{sweep / floor:>16.1f}")
    from django.db import connections

    connections.close_all()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
