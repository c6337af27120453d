"""Pages' requests and quiz submissions per second over a bare view's, on gunicorn and PostgreSQL.

    .venv/bin/python bench/run.py [--profile]      (make bench)

From one run: a fresh PostgreSQL database with the demo course and the learner enrolled, a
Redis of its own for the cache (sessions, rendered lessons), gunicorn as the Dockerfile runs it
(sync workers) serving bench.settings (production settings plus /bench/bare/ and /bench/user/),
the learner logged in through the login form. The URLs are loaded in turn, round after round,
so that drift (other processes, CPU frequency) touches all of them alike; each page's ratios
are the medians of its per-round ratios to the bare view and to the logged-in floor (user). It
asserts nothing of the rates; it prints them against issue 20's targets (lesson page at 0.5 of
the logged-in floor, course page 0.4, quiz submission 0.3).

"submit" is a quiz submission in the same rounds: every request POSTs the answers of another
fresh attempt (bench/attempts.py makes them through attempt_start between loads), so each one
is graded as a first submission, posted by the learner (of a cohort) whose attempt it is.
Afterwards the database must show each attempt handed out graded exactly once with the answers
posted; otherwise the run fails.

Environment: BENCH_SECONDS per measurement (4), BENCH_ROUNDS (5), BENCH_WORKERS (2),
BENCH_WORKER_CLASS (sync), BENCH_THREADS (gthread only, 2), BENCH_CONNECTIONS (4),
BENCH_CLIENT (auto | wrk | python), BENCH_SUBMIT_LEARNERS (50), BENCH_POSTGRES_URL
(postgres://postgres@127.0.0.1:5432/postgres), BENCH_DB_NAME (elearn_bench), BENCH_REDIS_URL
(only without a redis-server binary; redis://127.0.0.1:6379/9), BENCH_PROFILE=1 (--profile).
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import harness, load  # noqa: E402
from bench.harness import BenchError  # noqa: E402

if TYPE_CHECKING:
    from bench.attempts import AttemptPool
    from bench.inprocess import Pages, Queries

# Issue 20's targets, as ratios to the logged-in floor (user) measured in the same rounds.
TARGETS = {"lesson": 0.5, "course": 0.4, "submit": 0.3}
# Fresh attempts made before each load of submissions: this many times what it could take at
# the highest rate seen so far (or that the in-process time allows), plus one per connection.
MARGIN = 1.5


@dataclass(frozen=True)
class Config:
    seconds: float
    rounds: int
    workers: int
    worker_class: str
    threads: int
    connections: int
    client: str
    postgres_url: str
    db_name: str
    redis_url: str
    profile: bool
    cohort: int

    @classmethod
    def from_env(cls, *, profile: bool) -> Config:
        env = os.environ
        config = cls(
            seconds=harness.env_number("BENCH_SECONDS", "4", kind=float),
            rounds=harness.env_number("BENCH_ROUNDS", "5"),
            workers=harness.env_number("BENCH_WORKERS", "2"),
            worker_class=env.get("BENCH_WORKER_CLASS", "sync"),
            threads=harness.env_number("BENCH_THREADS", "2"),
            connections=harness.env_number("BENCH_CONNECTIONS", "4"),
            client=env.get("BENCH_CLIENT", "auto"),
            postgres_url=harness.postgres_admin_url(),
            db_name=env.get("BENCH_DB_NAME", "elearn_bench"),
            redis_url=harness.redis_fallback_url(),
            profile=profile or env.get("BENCH_PROFILE", "") not in {"", "0"},
            cohort=harness.env_number("BENCH_SUBMIT_LEARNERS", "50"),
        )
        if config.seconds < 1 or config.rounds < 1 or config.workers < 1 or config.connections < 1:
            raise BenchError("BENCH_SECONDS, BENCH_ROUNDS, BENCH_WORKERS, BENCH_CONNECTIONS >= 1.")
        if config.worker_class not in {"sync", "gthread"}:
            raise BenchError("BENCH_WORKER_CLASS must be sync or gthread.")
        return config

    @property
    def server(self) -> str:
        threads = f" x {self.threads} threads" if self.worker_class == "gthread" else ""
        return f"gunicorn {self.worker_class}, {self.workers} workers{threads}"


def _load_client(config: Config, directory: Path) -> tuple[str, load.Wrk | load.PythonClient]:
    if config.client not in {"auto", "wrk", "python"}:
        raise BenchError(f"BENCH_CLIENT must be auto, wrk or python, not {config.client!r}.")
    if config.client != "python":
        binary = load.wrk_ensure()
        if binary:
            return "wrk", load.Wrk.prepare(
                binary=binary, directory=directory, connections=config.connections
            )
        if config.client == "wrk":
            raise BenchError("wrk is not installed and apt-get could not install it.")
        print("wrk unavailable: falling back to Python clients (they take CPU from the server).")
    return "python", load.PythonClient(connections=config.connections)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--profile", action="store_true", help="also break the pages' time down in-process"
    )
    args = parser.parse_args(argv)
    harness.stop_cleanly_on_signals()

    tmp = Path(tempfile.mkdtemp(prefix="elearn-bench-"))
    teardown = harness.teardown(tmp)
    try:
        config = Config.from_env(profile=args.profile)
        client_name, client = _load_client(config, tmp)

        env, _redis = harness.django_started(
            teardown,
            postgres_url=config.postgres_url,
            db_name=config.db_name,
            redis_url=config.redis_url,
            tmp=tmp,
        )
        from django.db import connections
        from django.utils.html import escape

        from bench import attempts, inprocess

        print("Preparing: migrate, collectstatic, setup_demo, enrolment ...", flush=True)
        pages = inprocess.data_prepare()
        urls = {
            "bare": pages.bare,
            "user": pages.user,
            "lesson": pages.lesson,
            "course": pages.course,
        }
        pool = attempts.AttemptPool.for_cohort(
            course_slug=pages.course_slug, avoid_lesson=pages.lesson_pk, size=config.cohort
        )
        requester = inprocess.Requester(cookie=inprocess.learner_cookie())

        def submit_in_process(passes: bool | None = None) -> None:
            submission = pool.take(passes=passes)
            requester.submit(submission.path, submission.body(), cookie=submission.learner.cookie)
            pool.answered += 1

        sends: dict[str, inprocess.Send] = {
            name: (lambda path=path: requester.get(path)) for name, path in urls.items()
        }
        sends["submit"] = submit_in_process
        n_in_process, n_profile = 200, 300
        print("Making attempts for the in-process submissions ...", flush=True)
        pool.create(4 + 1 + n_in_process + (2 * (1 + n_profile) if config.profile else 0))
        # A passed attempt's submission does more (what a pass sets off): counted apart.
        queries = {
            name: inprocess.queries_of(send) for name, send in sends.items() if name != "submit"
        }
        queries["submit"] = inprocess.queries_of(lambda: submit_in_process(passes=True))
        queries["submit failed"] = inprocess.queries_of(lambda: submit_in_process(passes=False))
        in_process_ms = {
            name: inprocess.ms_per_request(send, n=n_in_process) for name, send in sends.items()
        }
        findings = []
        if config.profile:
            print("Profiling in-process ...", flush=True)
            findings = [
                inprocess.breakdown(requester, sends["lesson"], label=pages.lesson, n=n_profile),
                inprocess.breakdown(requester, sends["course"], label=pages.course, n=n_profile),
                inprocess.breakdown(
                    requester, submit_in_process, label="submit (fresh attempts)", n=n_profile
                ),
                inprocess.profile(sends["lesson"], label=pages.lesson, n=n_profile),
                inprocess.profile(submit_in_process, label="submit (fresh attempts)", n=n_profile),
            ]
        connections.close_all()

        server = harness.Gunicorn(
            root=ROOT,
            env={**os.environ, **env},
            log_path=tmp / "gunicorn.log",
            workers=config.workers,
            worker_class=config.worker_class,
            threads=config.threads,
        )
        teardown.callback(server.stop)
        server.start(ready_path=pages.bare)
        session = harness.login(
            port=server.port, email=inprocess.LEARNER_EMAIL, password=inprocess.LEARNER_PASSWORD
        )
        page = session.request("GET", pages.lesson)
        if page.status != 200 or escape(pages.lesson_title).encode() not in page.body:
            raise BenchError(
                f"The logged-in learner does not get the lesson: GET {pages.lesson} gave "
                f"{page.status} {page.headers.get('Location', '')}"
            )
        cookie = session.cookie_header()
        # The highest rate submissions may reach: what the in-process time allows each worker
        # (or thread) serving a connection, or the highest seen, if higher.
        serving = config.workers * (config.threads if config.worker_class == "gthread" else 1)
        submit_rps = [min(serving, config.connections) * 1000 / in_process_ms["submit"]]

        def submit_load(seconds: float) -> load.Result:
            pool.ensure(math.ceil(MARGIN * max(submit_rps) * seconds) + config.connections)
            given = list(pool.fresh)
            run = client.submit(
                base=server.base,
                seconds=seconds,
                requests=[(s.path, s.learner.cookie, s.body()) for s in given],
            )
            pool.handed_out([given[i] for i in run.sent])
            pool.answered += run.result.ok
            pool.in_flight += run.in_flight
            submit_rps.append(run.result.rps)
            return run.result

        for path in urls.values():  # warm-up: lazy imports, connections, caches
            client.run(url=server.base + path, cookie=cookie, seconds=1)
        submit_load(1)
        loads = [*urls, "submit"]
        print(
            f"Measuring: {config.rounds} rounds x {len(loads)} loads x {config.seconds:g} s ...",
            flush=True,
        )
        load_before = os.getloadavg()[0]
        results: dict[str, list[load.Result]] = {name: [] for name in loads}
        for _round in range(config.rounds):
            for name, path in urls.items():
                results[name].append(
                    client.run(url=server.base + path, cookie=cookie, seconds=config.seconds)
                )
            results["submit"].append(submit_load(config.seconds))
        server_log = server.log_tail()
        # Stopped (gracefully: requests in flight finish) before the database is checked.
        server.stop()
        check = pool.verify()

        _report(
            config=config,
            client_name=client_name,
            pages=pages,
            pool=pool,
            results=results,
            queries=queries,
            in_process_ms=in_process_ms,
            load_before=load_before,
        )
        print(check)
        for text in findings:
            print()
            print(text)
        if "Traceback" in server_log or "[ERROR]" in server_log:
            print("\ngunicorn logged errors:\n" + server_log)
        return 0
    except (BenchError, KeyboardInterrupt) as error:
        return harness.failed(error)
    finally:
        teardown.close()


def _report(
    *,
    config: Config,
    client_name: str,
    pages: Pages,
    pool: AttemptPool,
    results: dict[str, list[load.Result]],
    queries: dict[str, Queries],
    in_process_ms: dict[str, float],
    load_before: float,
) -> None:
    bare_rounds = results["bare"]
    print()
    print(
        f"{config.server}; client {client_name}, {config.connections} connections; "
        f"{os.cpu_count()} CPUs shared by all (load average {load_before:.1f} before "
        f"measuring); {config.rounds} rounds of {config.seconds:g} s."
    )
    print(
        f"Lesson {pages.lesson}: {pages.lesson_title!r}, {pages.lesson_chars} characters of "
        f"Markdown; {pages.lessons_in_course} lessons in the course."
    )
    created = pool.created
    print(
        f"Submit: lesson {pool.lesson.pk} {pool.lesson.title!r}, {pool.questions} questions an "
        f"attempt; {created.count} attempts made through attempt_start in {created.seconds:.1f} s "
        f"({1000 * created.seconds / max(created.count, 1):.1f} ms each), between loads."
    )
    print()
    header = (
        f"{'page':<7} {'req/s':>6} {'each round':>26} {'p50 ms':>7} {'x bare':>7} "
        f"{'x user':>7} {'queries':>8} {'in-process ms':>14}"
    )
    print(header)
    print("-" * len(header))
    ratios: dict[str, float] = {}
    floor: dict[str, float] = {}
    for name in results:
        rounds = results[name]
        # Each round's ratio pairs measurements taken seconds apart; their median resists drift.
        ratios[name] = _median_ratio(rounds, bare_rounds)
        floor[name] = _median_ratio(rounds, results["user"])
        p50s = [r.p50_ms for r in rounds if r.p50_ms is not None]
        counted = queries[name]
        print(
            f"{name:<7} {statistics.median(r.rps for r in rounds):>6.0f} "
            f"{' '.join(f'{r.rps:.0f}' for r in rounds):>26} "
            f"{f'{statistics.median(p50s):.1f}' if p50s else '-':>7} {ratios[name]:>7.3f} "
            f"{floor[name]:>7.3f} {_count(counted):>8} "
            f"{in_process_ms[name]:>14.2f}"
        )
    print()
    print("bare: HttpResponse('ok'); user: the cheapest logged-in response (request.user loaded).")
    print(
        "submit: POST of every answer of an attempt not yet submitted (each request another), "
        "graded; only the 302 to its result counts. Half the attempts pass; queries: a pass, "
        f"{_count(queries['submit failed'])} for a fail."
    )
    print(
        "x bare, x user: median of the per-round ratios to the bare view's rate and to the "
        "logged-in floor's. queries: SQL statements + the SELECT 1 of CONN_HEALTH_CHECKS, per "
        "request. in-process ms: one request through the WSGI handler in this process (no HTTP, "
        "no contention)."
    )
    print(
        "Against the logged-in floor: "
        + "; ".join(
            f"{name} {floor[name]:.3f} (target {target:.2f}: "
            f"{'met' if floor[name] >= target else 'not met'})"
            for name, target in TARGETS.items()
        )
        + "."
    )
    for name in ("lesson", "course", "submit"):
        print(f"\n{name} SQL{' (a pass)' if name == 'submit' else ''}:")
        for statement in queries[name].statements:
            print(f"  {statement[:110]}{'...' if len(statement) > 110 else ''}")


def _median_ratio(rounds: list[load.Result], other: list[load.Result]) -> float:
    return statistics.median(
        r.rps / o.rps if o.rps else 0.0 for r, o in zip(rounds, other, strict=True)
    )


def _count(queries: Queries) -> str:
    return f"{len(queries.statements)}+{queries.health_checks}"


if __name__ == "__main__":
    sys.exit(main())
