"""The cohort dashboard at 10,000 learners over 1,000, and over a raw SQL aggregate (the floor).

    .venv/bin/python bench/cohorts.py [--explain]      (part of make bench)

The issue's aim: the dashboard's time grows close to linearly with the cohort or better (it
shows 50 learners a page, but counts, filters and sorts all of them). The floor is what any
dashboard must ask the database: per learner, the lessons read, the quizzes passed and the
completion date, in one query through connection.cursor(), every row fetched.

From one run: a fresh PostgreSQL database, the demo course (setup_demo with QUIZ_AUTO_APPROVE,
as `make run`), two cohorts of it seeded by cohort_seed (demo/seeding.py, what
`manage.py seed_cohort` runs) with 1,000 and 10,000 learners, then ANALYZE (as autovacuum
would have done by the time an instructor looks). The demo instructor, logged in, GETs
through Django's test Client (the whole middleware stack, no HTTP server): the dashboard's
first page in its default order, a sorted and filtered page, the CSV export. Each is timed
BENCH_REPEATS times, the sizes and pages in turn, round after round (drift touches all alike);
the medians are compared. It asserts nothing of the times; it fails if a page is not a 200 with
the cohort on it, if the export does not hold every learner, or if the floor's numbers differ
from the dashboard's counts. --explain adds EXPLAIN ANALYZE of the dashboard's queries at
10,000 learners.

Beside them, at both sizes: the “Relancer les apprenants en retard” page (who is behind,
counted in the database, fifty named: its time must not grow with the cohort) and the page of
the learner with the most attempts, every attempt's answers shown (it must not either).

Last, the instructor's request that switches the course's completion rule, which checks every
learner of the course against the new rule in its own transaction (completions_recheck), is
timed once on the same data and rolled back, over the raw SQL floor at 10,000.

Environment: BENCH_REPEATS (7), BENCH_SMALL (1000), BENCH_LARGE (10000), BENCH_POSTGRES_URL
(postgres://postgres@127.0.0.1:5432/postgres), BENCH_COHORTS_DB_NAME (elearn_bench_cohorts).
"""

from __future__ import annotations

import argparse
import io
import os
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import harness  # noqa: E402
from bench.harness import BenchError  # noqa: E402

SORTED_FILTERED = "?sort=progress&status=in_progress&page=2"

# Per learner of the cohort: lessons read (their current text, active lessons), quizzes
# passed (once per lesson, active and still with an approved item), the completion date.
# The numbers the dashboard's counts, filters and sorts are made of.
FLOOR_SQL = """
WITH members AS (
    SELECT enrollment_id FROM courses_cohortmembership WHERE cohort_id = %(cohort)s
)
SELECT m.enrollment_id, COALESCE(r.n, 0), COALESCE(p.n, 0), c.completed_at
FROM members m
LEFT JOIN (
    SELECT lp.enrollment_id, COUNT(*) AS n
    FROM courses_lessonprogress lp
    JOIN members USING (enrollment_id)
    JOIN courses_lesson l ON l.id = lp.lesson_id
    JOIN courses_module mo ON mo.id = l.module_id
    WHERE lp.lesson_version = l.version AND l.archived_at IS NULL AND mo.course_id = %(course)s
    GROUP BY lp.enrollment_id
) r USING (enrollment_id)
LEFT JOIN (
    SELECT qa.enrollment_id, COUNT(DISTINCT qa.lesson_id) AS n
    FROM courses_quizattempt qa
    JOIN members USING (enrollment_id)
    JOIN courses_lesson l ON l.id = qa.lesson_id
    WHERE qa.passed AND l.archived_at IS NULL
      AND EXISTS (
          SELECT 1 FROM courses_questionitem qi
          WHERE qi.lesson_id = qa.lesson_id AND qi.status = 'approved'
      )
    GROUP BY qa.enrollment_id
) p USING (enrollment_id)
LEFT JOIN courses_coursecompletion c USING (enrollment_id)
"""


@dataclass(frozen=True)
class Config:
    repeats: int
    small: int
    large: int
    postgres_url: str
    db_name: str

    @classmethod
    def from_env(cls) -> Config:
        env = os.environ
        config = cls(
            repeats=harness.env_number("BENCH_REPEATS", "7"),
            small=harness.env_number("BENCH_SMALL", "1000"),
            large=harness.env_number("BENCH_LARGE", "10000"),
            postgres_url=harness.postgres_admin_url(),
            db_name=env.get("BENCH_COHORTS_DB_NAME", "elearn_bench_cohorts"),
        )
        if config.repeats < 1 or not 0 < config.small < config.large:
            raise BenchError("BENCH_REPEATS >= 1 and 0 < BENCH_SMALL < BENCH_LARGE.")
        return config


@dataclass
class Cohort:
    pk: int
    learners: int
    seeded_seconds: float
    name: str = ""


# --- data ------------------------------------------------------------------------------------


def prepare(config: Config) -> tuple[Any, Any, list[Cohort]]:
    """Schema, static manifest, the demo course and accounts, the two cohorts, ANALYZE."""
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from courses.models import Course, User
    from demo.accounts import demo_account
    from demo.seeding import cohort_seed

    quiet = io.StringIO()
    call_command("migrate", interactive=False, verbosity=0, stdout=quiet)
    # Production serves the manifest storage's hashed names: without it {% static %} raises.
    call_command("collectstatic", interactive=False, verbosity=0, stdout=quiet)
    call_command("setup_demo", stdout=quiet, stderr=quiet)
    course = Course.objects.get(slug=settings.COURSES_DEFAULT_COURSE_SLUG)
    instructor = User.objects.get(email=demo_account(role="instructor").email)
    cohorts = []
    for learners in (config.small, config.large):
        print(f"Seeding a cohort of {learners:,} learners ...", flush=True)
        started = time.perf_counter()
        cohort = cohort_seed(course=course, owner=instructor, learners=learners, seed=0)
        cohorts.append(
            Cohort(
                pk=cohort.pk,
                learners=learners,
                seeded_seconds=time.perf_counter() - started,
                name=cohort.name,
            )
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return course, instructor, cohorts


# --- measuring -------------------------------------------------------------------------------


def client_for(instructor: Any) -> Any:
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(instructor)
    return client


def page_getter(client: Any, path: str, *, expect: bytes) -> Callable[[], int]:
    """A GET that must answer 200 with ``expect`` in its body; returns the body's size."""

    def get() -> int:
        response = client.get(path)
        if response.status_code != 200 or expect not in response.content:
            raise BenchError(
                f"GET {path} gave {response.status_code} without the expected content "
                f"({response.get('Location', '')})."
            )
        return len(response.content)

    return get


def export_getter(client: Any, path: str, *, learners: int) -> Callable[[], int]:
    def get() -> int:
        response = client.get(path)
        lines = response.content.count(b"\r\n")
        if response.status_code != 200 or lines != learners + 1:
            raise BenchError(
                f"GET {path} gave {response.status_code} with {lines} lines "
                f"(expected {learners + 1}: a header and a line per learner)."
            )
        return len(response.content)

    return get


def busiest_member(*, cohort_pk: int) -> int:
    """The member with the most submitted attempts: the learner page with the most answers."""
    from django.db.models import Count, Q

    from courses.models import CohortMembership

    return (
        CohortMembership.objects.filter(cohort_id=cohort_pk)
        .annotate(
            attempts=Count(
                "enrollment__attempts",
                filter=Q(enrollment__attempts__submitted_at__isnull=False),
            )
        )
        .order_by("-attempts", "pk")
        .values_list("pk", flat=True)
        .first()
    )


def floor_rows(*, cohort_pk: int, course_pk: int) -> list[tuple[Any, ...]]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(FLOOR_SQL, {"cohort": cohort_pk, "course": course_pk})
        return cursor.fetchall()


def floor_check(rows: list[tuple[Any, ...]], *, cohort_pk: int) -> dict[str, int]:
    """The floor must compute what the dashboard shows: its counts from the floor's rows."""
    from courses.models import Cohort as CohortModel
    from courses.reporting.selectors import cohort_table

    cohort = CohortModel.objects.select_related("course").get(pk=cohort_pk)
    shown = cohort_table(cohort=cohort).counts
    completed = sum(1 for row in rows if row[3] is not None)
    not_started = sum(1 for row in rows if row[1] == 0 and row[2] == 0 and row[3] is None)
    found = {
        "all": len(rows),
        "completed": completed,
        "not_started": not_started,
        "in_progress": len(rows) - completed - not_started,
    }
    if found != {key: shown[key] for key in found}:
        raise BenchError(f"The floor's counts {found} are not the dashboard's {shown}.")
    return found


def queries_of(send: Callable[[], object]) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    send()
    with CaptureQueriesContext(connection) as captured:
        send()
    return len(captured.captured_queries)


def explain(*, cohort_pk: int, sort: str = "name") -> str:
    """EXPLAIN ANALYZE of each query cohort_table makes (as run: parameters inlined)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from courses.models import Cohort as CohortModel
    from courses.reporting.selectors import cohort_table

    cohort = CohortModel.objects.select_related("course").get(pk=cohort_pk)
    cohort_table(cohort=cohort, sort=sort)
    with CaptureQueriesContext(connection) as captured:
        table = cohort_table(cohort=cohort, sort=sort)
        len(table.rows)
    lines = [f"EXPLAIN ANALYZE of cohort_table(sort={sort!r}), {len(captured)} queries:"]
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            sql = query["sql"]
            lines.append(f"\n-- {query['time']} s: {sql[:300]}{'...' if len(sql) > 300 else ''}")
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            lines.extend(f"   {row[0]}" for row in cursor.fetchall())
    return "\n".join(lines)


# --- main ------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--explain", action="store_true", help="also EXPLAIN ANALYZE the dashboard's queries"
    )
    args = parser.parse_args(argv)
    harness.stop_cleanly_on_signals()

    tmp = Path(tempfile.mkdtemp(prefix="elearn-bench-cohorts-"))
    teardown = harness.teardown(tmp)
    try:
        config = Config.from_env()
        harness.database_recreated(teardown, admin_url=config.postgres_url, name=config.db_name)
        env = {
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DATABASE_URL": harness.database_url(
                admin_url=config.postgres_url, name=config.db_name
            ),
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "VAR_DIR": str(tmp),
            "STATIC_ROOT": str(tmp / "static"),
            "MEDIA_ROOT": str(tmp / "media"),
            "LOG_LEVEL": "WARNING",
            # As `make run`: the import approves the items it generates, so lessons have quizzes.
            "QUIZ_AUTO_APPROVE": "1",
            # Nothing here publishes a task (seeding writes in bulk); should anything try, it
            # must not land in a real queue.
            "CELERY_BROKER_URL": "memory://",
        }
        # The cache (sessions) in this process's memory: the pages are measured, not Redis
        # nor the default's files.
        env["CACHE_URL"] = "locmemcache://bench"
        os.environ.update(env)

        import django

        django.setup()
        harness.django_connections_closed(teardown)
        from django.urls import reverse
        from django.utils.html import escape

        print("Preparing: migrate, collectstatic, setup_demo ...", flush=True)
        course, instructor, cohorts = prepare(config)
        from courses.catalog.selectors import course_outline
        from courses.progress.selectors import lessons_with_quiz

        outline = course_outline(course=course)
        quizzes = len(lessons_with_quiz(outline))
        client = client_for(instructor)

        sends: dict[tuple[str, int], Callable[[], object]] = {}
        queries: dict[tuple[str, int], int] = {}
        floors: dict[int, dict[str, int]] = {}
        for cohort in cohorts:
            base = reverse("courses:cohort_dashboard", kwargs={"pk": cohort.pk})
            export = reverse("courses:cohort_export", kwargs={"pk": cohort.pk, "fmt": "csv"})
            expect = escape(cohort.name).encode()
            n = cohort.learners
            sends[("dashboard", n)] = page_getter(client, base, expect=expect)
            sends[("sorted", n)] = page_getter(client, base + SORTED_FILTERED, expect=expect)
            sends[("export", n)] = export_getter(client, export, learners=n)
            sends[("floor", n)] = lambda pk=cohort.pk: floor_rows(cohort_pk=pk, course_pk=course.pk)
            remind = reverse("courses:cohort_remind", kwargs={"pk": cohort.pk})
            sends[("remind", n)] = page_getter(client, remind, expect=expect)
            learner = reverse(
                "courses:cohort_learner",
                kwargs={"pk": cohort.pk, "member": busiest_member(cohort_pk=cohort.pk)},
            )
            sends[("learner", n)] = page_getter(client, learner, expect=expect)
            floors[n] = floor_check(floor_rows(cohort_pk=cohort.pk, course_pk=course.pk),
                                    cohort_pk=cohort.pk)  # fmt: skip
            for kind in ("dashboard", "sorted", "export", "floor", "remind", "learner"):
                queries[(kind, n)] = queries_of(sends[(kind, n)])  # warms up, too

        print(
            f"Measuring: {config.repeats} rounds x {len(sends)} requests ...",
            flush=True,
        )
        load_before = os.getloadavg()[0]
        times: dict[tuple[str, int], list[float]] = {key: [] for key in sends}
        for _round in range(config.repeats):
            for key, send in sends.items():
                started = time.perf_counter()
                send()
                times[key].append(1000 * (time.perf_counter() - started))
        medians = {key: statistics.median(values) for key, values in times.items()}

        _report(
            config=config,
            cohorts=cohorts,
            lessons=len(outline.lessons),
            quizzes=quizzes,
            medians=medians,
            times=times,
            queries=queries,
            floors=floors,
            load_before=load_before,
        )
        print(
            rule_switch(
                course=course,
                floor_ms=medians[("floor", cohorts[-1].learners)],
                learners=cohorts[-1].learners,
            )
        )
        if args.explain:
            large = cohorts[-1]
            print()
            print(explain(cohort_pk=large.pk))
            print()
            print(explain(cohort_pk=large.pk, sort="progress"))
        return 0
    except (BenchError, KeyboardInterrupt) as error:
        return harness.failed(error)
    finally:
        teardown.close()


def rule_switch(*, course: Any, floor_ms: float, learners: int) -> str:
    """The instructor's request that switches the completion rule: the course's every learner
    checked against the new rule in the same transaction (rolled back here, so that the
    measurement leaves the data as it was)."""
    from django.db import transaction

    from courses.models import Course, CourseCompletion, Enrollment
    from courses.progress.services import course_settings_update

    rules = Course.CompletionRule
    other = (
        rules.QUIZZES_ONLY
        if course.completion_rule != rules.QUIZZES_ONLY
        else rules.LESSONS_AND_QUIZZES
    )
    fields = {
        name: getattr(course, name)
        for name in ("contact_hours", "certificate_validity_months", "pass_mark", "max_attempts")
    }
    enrolments = Enrollment.objects.filter(course=course).count()
    before = CourseCompletion.objects.count()
    with transaction.atomic():
        started = time.perf_counter()
        course_settings_update(course=course, completion_rule=other, **fields)
        elapsed = 1000 * (time.perf_counter() - started)
        recorded = CourseCompletion.objects.count() - before
        transaction.set_rollback(True)
    course.refresh_from_db()
    return (
        f"Completion rule switched to {other.label!s} with {enrolments:,} enrolments in the "
        f"course ({recorded:,} completed by it, rolled back): {elapsed:.0f} ms in the request = "
        f"{elapsed / floor_ms:.2f} x the raw SQL floor at {learners:,} learners."
    )


LABELS = {
    "dashboard": "dashboard, page 1, default order",
    "sorted": f"dashboard {SORTED_FILTERED}",
    "export": "CSV export, every learner",
    "floor": "raw SQL floor (one query, every learner)",
    "remind": "“Relancer”: who is behind, counted, 50 named",
    "learner": "a learner's page, every attempt's answers",
}


def _report(
    *,
    config: Config,
    cohorts: list[Cohort],
    lessons: int,
    quizzes: int,
    medians: dict[tuple[str, int], float],
    times: dict[tuple[str, int], list[float]],
    queries: dict[tuple[str, int], int],
    floors: dict[int, dict[str, int]],
    load_before: float,
) -> None:
    small, large = config.small, config.large
    print()
    print(
        f"Cohort dashboard: the demo course ({lessons} lessons, {quizzes} quizzes), PostgreSQL, "
        f"in-process through Django's test Client (middleware included, no HTTP server); "
        f"median of {config.repeats} rounds; {os.cpu_count()} CPUs shared by all (load average "
        f"{load_before:.1f} before measuring)."
    )
    for cohort in cohorts:
        counts = floors[cohort.learners]
        print(
            f"  cohort of {cohort.learners:,}: seeded in {cohort.seeded_seconds:.1f} s; "
            f"{counts['completed']:,} completed, {counts['in_progress']:,} in progress, "
            f"{counts['not_started']:,} not started"
        )
    print()
    header = (
        f"{'':<48} {f'{small:,}':>10} {f'{large:,}':>10} {'ratio':>7} {'queries':>9} "
        f"{'each round at ' + f'{large:,}':>30}"
    )
    print(header)
    print("-" * len(header))
    for kind, label in LABELS.items():
        a, b = medians[(kind, small)], medians[(kind, large)]
        rounds = " ".join(f"{value:.0f}" for value in times[(kind, large)])
        print(
            f"{label:<48} {a:>7.1f} ms {b:>7.1f} ms {b / a:>7.2f} "
            f"{queries[(kind, small)]:>4}/{queries[(kind, large)]:<4} {rounds:>30}"
        )
    print()
    growth = large / small
    print(
        f"ratio: the time at {large:,} over the time at {small:,} ({growth:g} times the learners; "
        f"linear is {growth:g}). queries: SQL statements per request at {small:,}/{large:,}."
    )
    for n in (small, large):
        floor = medians[("floor", n)]
        print(
            f"At {n:,} learners: dashboard {medians[('dashboard', n)] / floor:.2f} x the floor, "
            f"sorted and filtered {medians[('sorted', n)] / floor:.2f} x, "
            f"CSV export {medians[('export', n)] / floor:.2f} x."
        )

    def ratio(kind: str) -> float:
        return medians[(kind, large)] / medians[(kind, small)]

    print(
        f"Dashboard {large:,} / {small:,}: {ratio('dashboard'):.2f} (sorted and filtered "
        f"{ratio('sorted'):.2f}); CSV export {large:,} / {small:,}: {ratio('export'):.2f}."
    )
    print(
        f"Reminder page {large:,} / {small:,}: {ratio('remind'):.2f} (at {large:,}: "
        f"{medians[('remind', large)] / medians[('floor', large)]:.2f} x the floor); "
        f"a learner's page with her answers {large:,} / {small:,}: {ratio('learner'):.2f}, "
        f"{medians[('learner', large)] / medians[('dashboard', large)]:.2f} x the dashboard."
    )


if __name__ == "__main__":
    sys.exit(main())
