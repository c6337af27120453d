"""A cohort's exam hour (issue 20): thousands of learners taking a quiz within a minute.

    .venv/bin/python bench/exam.py      (make bench)

Each simulated learner is logged in beforehand (a session of her own, made as the login form
makes it) and enrolled in the demo course; at her arrival time she opens the lesson, starts its
quiz, opens the quiz page, answers every question (a choice drawn at random from those the page
offers) and submits, then reads her result. Arrivals are a Poisson process over the window
(BENCH_EXAM_LEARNERS in BENCH_EXAM_SECONDS: 3,000 in 60 s, five requests each, about 250
requests per second asked), against gunicorn as the image runs it (WEB_CONCURRENCY sync
workers, 3), PostgreSQL and a Redis of its own.

Open loop: a learner arrives at her time whether or not the server kept up, and each step is
timed from when it was due (the first from her scheduled arrival, the next ones from the end
of the one before), so that a saturated server shows as waiting, not as a client slowing down.
It prints p50, p95 and p99 per step and for the whole journey, how late the window ended, and
where the CPU went (gunicorn, PostgreSQL, Redis, this client).

It fails (non-zero exit) on any error: a status other than the one expected, a connection
refused or timed out, or, in the database afterwards, a learner whose attempts are not exactly
one graded attempt with every answer she posted, its score not the one her answers earn
(recomputed here from the attempt's stored questions), or its answers not marked.
"""

from __future__ import annotations

import asyncio
import os
import random
import re
import resource
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import harness  # noqa: E402
from bench.harness import BenchError  # noqa: E402
from bench.learners import Learner, learners_make  # noqa: E402

STEPS = ("lesson", "start", "quiz page", "submit", "result")
# Aims (not gates), from the issue: a submission's p99, and the window served in its time.
AIM_SUBMIT_P99_MS = 500
TIMEOUT_SECONDS = 120
# Learners sent before the window, all at once, to warm each worker up (checked, not timed).
WARMUP_PER_WORKER = 5
# Learners whose journeys are timed in this process, step by step, before the load.
IN_PROCESS = 40
# The quiz page's answer inputs: a radio button or a checkbox named q<position>.
ANSWER_INPUT = re.compile(r"<input\b[^>]*>")
NAME = re.compile(r'\bname="q(\d+)"')
VALUE = re.compile(r'\bvalue="(\d+)"')


@dataclass(frozen=True)
class Config:
    learners: int
    seconds: float
    workers: int
    postgres_url: str
    db_name: str
    redis_url: str
    seed: int

    @classmethod
    def from_env(cls) -> Config:
        config = cls(
            learners=harness.env_number("BENCH_EXAM_LEARNERS", "3000"),
            seconds=harness.env_number("BENCH_EXAM_SECONDS", "60", kind=float),
            workers=harness.env_number("WEB_CONCURRENCY", "3"),
            postgres_url=harness.postgres_admin_url(),
            db_name=os.environ.get("BENCH_DB_NAME", "elearn_exam"),
            redis_url=harness.redis_fallback_url(),
            seed=harness.env_number("BENCH_EXAM_SEED", "20"),
        )
        if config.learners < 1 or config.seconds <= 0 or config.workers < 1:
            raise BenchError(
                "BENCH_EXAM_LEARNERS >= 1, BENCH_EXAM_SECONDS > 0, WEB_CONCURRENCY >= 1."
            )
        return config


@dataclass
class Journey:
    """One learner's visit: when each step was due and ended, what she posted."""

    learner: Learner
    arrival: float  # seconds after the window opened
    due: dict[str, float] = field(default_factory=dict)
    ended: dict[str, float] = field(default_factory=dict)
    attempt_id: int | None = None
    posted: dict[int, int] = field(default_factory=dict)  # position -> display position
    error: str = ""


# --- the data -------------------------------------------------------------------------------


def quiz_lesson(*, course_slug: str) -> tuple[str, str, str]:
    """The course's first lesson with a quiz: its page's path, its quiz's start path, its
    title."""
    from django.db.models import Exists, OuterRef
    from django.urls import reverse

    from courses.models import Lesson, QuestionItem

    approved = QuestionItem.objects.filter(
        lesson=OuterRef("pk"), status=QuestionItem.Status.APPROVED
    )
    lesson = (
        Lesson.objects.filter(module__course__slug=course_slug, archived_at__isnull=True)
        .filter(Exists(approved))
        .order_by("module__position", "position", "id")
        .first()
    )
    if lesson is None:
        raise BenchError("The demo course has no lesson with a quiz (QUIZ_AUTO_APPROVE=1?).")
    kwargs = {"slug": course_slug, "pk": lesson.pk}
    return (
        reverse("courses:lesson", kwargs=kwargs),
        reverse("courses:quiz_start", kwargs=kwargs),
        lesson.title,
    )


# --- the client -----------------------------------------------------------------------------


@dataclass
class Reply:
    status: int
    location: str
    body: bytes


async def _request(port: int, method: str, path: str, *, cookie: str, body: str = "") -> Reply:
    """One HTTP/1.1 request on a connection of its own (gunicorn's sync workers close it)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        data = body.encode()
        head = (
            f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {cookie}\r\n"
            "Connection: close\r\n"
        )
        if method == "POST":
            head += (
                "Content-Type: application/x-www-form-urlencoded\r\n"
                f"Content-Length: {len(data)}\r\nOrigin: http://127.0.0.1\r\n"
                "Referer: http://127.0.0.1/\r\n"
            )
        writer.write(head.encode() + b"\r\n" + data)
        await writer.drain()
        raw = await reader.read()
    finally:
        writer.close()
    header, _, content = raw.partition(b"\r\n\r\n")
    lines = header.decode("latin-1").split("\r\n")
    if not lines or not lines[0].startswith("HTTP/"):
        raise BenchError(f"{method} {path}: no HTTP response")
    location = ""
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.lower() == "location":
            location = value.strip()
    return Reply(status=int(lines[0].split()[1]), location=location, body=content)


def _choices(page: bytes) -> dict[int, list[int]]:
    """The quiz page's questions and, for each, the display positions it offers."""
    offered: dict[int, list[int]] = {}
    for tag in ANSWER_INPUT.findall(page.decode("utf-8", "replace")):
        name, value = NAME.search(tag), VALUE.search(tag)
        if name and value:
            offered.setdefault(int(name.group(1)), []).append(int(value.group(1)))
    return offered


async def _journey(journey: Journey, *, port: int, lesson: str, start: str, opened: float,
                   rng: random.Random) -> None:  # fmt: skip
    learner = journey.learner
    token = learner.form_token
    clock = time.monotonic

    async def step(name: str, due: float, method: str, path: str, expect: int,
                   body: str = "") -> Reply:  # fmt: skip
        journey.due[name] = due
        reply = await asyncio.wait_for(
            _request(port, method, path, cookie=learner.cookie, body=body), TIMEOUT_SECONDS
        )
        journey.ended[name] = clock() - opened
        if reply.status != expect:
            raise BenchError(f"{name}: {method} {path} gave {reply.status} {reply.location}")
        return reply

    try:
        await step("lesson", journey.arrival, "GET", lesson, 200)
        reply = await step("start", journey.ended["lesson"], "POST", start, 302, token)
        attempt_path = urlsplit(reply.location).path
        journey.attempt_id = int(attempt_path.rstrip("/").rsplit("/", 1)[-1])
        page = await step("quiz page", journey.ended["start"], "GET", attempt_path, 200)
        offered = _choices(page.body)
        if not offered:
            raise BenchError(f"quiz page {attempt_path} offers no answer")
        journey.posted = {position: rng.choice(values) for position, values in offered.items()}
        answers = urlencode({f"q{position}": value for position, value in journey.posted.items()})
        reply = await step(
            "submit", journey.ended["quiz page"], "POST", attempt_path, 302, f"{answers}&{token}"
        )
        if not reply.location.endswith(f"{attempt_path}result/"):
            raise BenchError(f"submit: {attempt_path} redirected to {reply.location}")
        await step("result", journey.ended["submit"], "GET", urlsplit(reply.location).path, 200)
    except (BenchError, OSError, TimeoutError) as error:
        journey.error = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


async def _window(
    journeys: list[Journey], *, port: int, lesson: str, start: str, seed: int
) -> float:
    """Every learner sent at her arrival time; returns the seconds until the last one ends."""
    rng = random.Random(seed)
    opened = time.monotonic()
    tasks = []
    for journey in journeys:
        delay = journey.arrival - (time.monotonic() - opened)
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(
            asyncio.create_task(
                _journey(journey, port=port, lesson=lesson, start=start, opened=opened, rng=rng)
            )
        )
    await asyncio.gather(*tasks)
    return time.monotonic() - opened


# --- the check ------------------------------------------------------------------------------


def check(journeys: list[Journey]) -> str:
    """Each learner: exactly one attempt, graded, every answer she posted saved and marked,
    its score the one her answers earn (single-answer questions, recomputed from the stored
    order and key; a multiple-response one counted by its mark)."""
    from courses.models import AttemptAnswer, QuizAttempt

    by_user = {journey.learner.user_id: journey for journey in journeys}
    attempts: dict[int, QuizAttempt] = {}
    for row in QuizAttempt.objects.filter(enrollment__user_id__in=by_user).select_related(
        "enrollment"
    ):
        if row.enrollment.user_id in attempts:
            raise BenchError(f"learner {row.enrollment.user_id} has two attempts")
        attempts[row.enrollment.user_id] = row
    answers: dict[int, dict[int, AttemptAnswer]] = {}
    for answer in AttemptAnswer.objects.filter(attempt__in=list(attempts.values())):
        answers.setdefault(answer.attempt_id, {})[answer.position] = answer
    recomputed = 0
    for user_id, journey in by_user.items():
        attempt = attempts.get(user_id)
        if attempt is None or attempt.pk != journey.attempt_id:
            raise BenchError(f"learner {user_id}: her attempt is not the one she took")
        if attempt.submitted_at is None or attempt.score is None:
            raise BenchError(f"attempt {attempt.pk} was submitted but is not graded")
        saved = answers.get(attempt.pk, {})
        if set(saved) != set(journey.posted):
            raise BenchError(
                f"attempt {attempt.pk}: answers saved {sorted(saved)}, "
                f"posted {sorted(journey.posted)}"
            )
        if any(answer.is_correct is None for answer in saved.values()):
            raise BenchError(f"attempt {attempt.pk}: an answer is not marked")
        expected = 0
        for position, display in journey.posted.items():
            question = attempt.items[position]
            snapshot = question["snapshot"]
            if "answers" in snapshot and len(snapshot["answers"]) > 1:
                expected += bool(saved[position].is_correct)
                continue
            expected += question["order"][display] == snapshot["answer"]
            recomputed += 1
        if expected != attempt.score:
            raise BenchError(
                f"attempt {attempt.pk}: score {attempt.score}, her answers earn {expected}"
            )
    return (
        f"Check: {len(journeys)} learners, each one attempt, graded once with every answer "
        f"posted saved and marked; {recomputed} single-answer marks recomputed from the stored "
        "questions, every score as her answers earn."
    )


# --- where the server's time goes, step by step ------------------------------------------------


def server_ms(learners: list[Learner], *, lesson: str, start: str) -> dict[str, float]:
    """Each step's mean wall-clock time through the WSGI handler in this process (no HTTP, no
    contention), over these learners' journeys, answered as the load's learners answer."""
    from bench import inprocess
    from courses.models import QuizAttempt

    totals = dict.fromkeys(STEPS, 0.0)
    rng = random.Random(0)
    for learner in learners:
        requester = inprocess.Requester(cookie=learner.cookie)
        token = learner.form_token

        def timed(
            name: str, method: str, path: str, body: str = "", requester=requester
        ) -> dict[str, str]:
            began = time.perf_counter()
            status, headers = requester.request(method, path, body=body)
            totals[name] += time.perf_counter() - began
            if status not in {200, 302}:
                raise BenchError(f"in-process {name}: {method} {path} gave {status}")
            return headers

        timed("lesson", "GET", lesson)
        attempt_path = urlsplit(timed("start", "POST", start, token)["Location"]).path
        timed("quiz page", "GET", attempt_path)
        attempt = QuizAttempt.objects.get(pk=int(attempt_path.rstrip("/").rsplit("/", 1)[-1]))
        answers = urlencode(
            {
                f"q{n}": rng.randrange(len(question["order"]))
                for n, question in enumerate(attempt.items)
            }
        )
        result = timed("submit", "POST", attempt_path, f"{answers}&{token}")["Location"]
        timed("result", "GET", urlsplit(result).path)
    return {name: 1000 * total / len(learners) for name, total in totals.items()}


# --- where the CPU went ---------------------------------------------------------------------


def _cpu_seconds(pids: list[int]) -> dict[int, float]:
    """Each process's CPU seconds so far (user and system); a process gone is left out."""
    ticks = os.sysconf("SC_CLK_TCK")
    seconds = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        seconds[pid] = (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return seconds


def _pids(*, names: tuple[str, ...] = (), session: int | None = None) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            comm = (entry / "comm").read_text().strip()
            sid = os.getsid(int(entry.name))
        except OSError:
            continue
        if comm in names or (session is not None and sid == session):
            pids.append(int(entry.name))
    return pids


class CpuMeter:
    """CPU seconds used by each group of processes between start() and stop().

    Processes come and go meanwhile (a PostgreSQL backend ends when Django closes a
    connection older than CONN_MAX_AGE, and another starts): each is read every quarter of a
    second, and counted from its first reading (0 if it started after start()) to its last."""

    def __init__(self, groups: dict[str, Callable[[], list[int]]]) -> None:
        self.groups = groups
        self.first: dict[str, dict[int, float]] = {}
        self.last: dict[str, dict[int, float]] = {}
        self.used: dict[str, float] = {}
        self._stopping = threading.Event()
        self._poller: threading.Thread | None = None

    def _read(self) -> None:
        for name, find in self.groups.items():
            self.last.setdefault(name, {}).update(_cpu_seconds(find()))

    def _poll(self) -> None:
        while not self._stopping.wait(0.25):
            self._read()

    def start(self) -> None:
        self.first = {name: _cpu_seconds(find()) for name, find in self.groups.items()}
        self.last = {name: dict(seconds) for name, seconds in self.first.items()}
        self._poller = threading.Thread(target=self._poll, daemon=True)
        self._poller.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._poller is not None:
            self._poller.join()
        self._read()
        self.used = {
            name: sum(
                seconds - self.first[name].get(pid, 0.0) for pid, seconds in self.last[name].items()
            )
            for name in self.groups
        }


# --- report ---------------------------------------------------------------------------------


def _percentiles(values: list[float]) -> tuple[float, float, float]:
    if len(values) < 2:
        value = values[0] if values else 0.0
        return value, value, value
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return cuts[49], cuts[94], cuts[98]


def report(
    journeys: list[Journey],
    *,
    config: Config,
    took: float,
    cpu: CpuMeter,
    in_process: dict[str, float],
) -> bool:
    """Print the latencies; True when the aims were met."""
    done = [journey for journey in journeys if not journey.error]
    requests = len(done) * len(STEPS)
    print()
    print(
        f"{config.learners} learners arriving over {config.seconds:g} s (Poisson), "
        f"{len(STEPS)} requests each: {config.learners * len(STEPS) / config.seconds:.0f} "
        f"requests/s asked; gunicorn sync, {config.workers} workers; {os.cpu_count()} CPUs "
        "shared by all (server, PostgreSQL, Redis, this client)."
    )
    print(
        f"Served in {took:.1f} s ("
        + (
            f"{took - config.seconds:.1f} s past the window"
            if took > config.seconds
            else "within it"
        )
        + "): "
        f"{requests / took:.0f} requests/s."
    )
    print()
    print(f"{'step':12} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8} {'server ms':>10}")
    print("-" * 59)
    latencies: dict[str, list[float]] = {}
    for name in STEPS:
        latencies[name] = [1000 * (j.ended[name] - j.due[name]) for j in done]
    latencies["whole visit"] = [1000 * (j.ended["result"] - j.arrival) for j in done]
    for name, values in latencies.items():
        p50, p95, p99 = _percentiles(values)
        own = in_process.get(name, sum(in_process.values()))
        print(
            f"{name:12} {p50:8.0f} {p95:8.0f} {p99:8.0f} {max(values, default=0):8.0f} {own:10.1f}"
        )
    print("Each step timed from when it was due: the first from the learner's scheduled arrival,")
    print("the others from the end of the one before (no pause between them). server ms: the")
    print("step through the WSGI handler in this process, alone (no HTTP, no waiting), averaged.")
    submit_p99 = _percentiles(latencies["submit"])[2]
    in_window = took <= config.seconds + 1
    met = submit_p99 <= AIM_SUBMIT_P99_MS and in_window
    print()
    print(
        f"Aims (not gates): submit p99 {submit_p99:.0f} ms (aim {AIM_SUBMIT_P99_MS}: "
        f"{'met' if submit_p99 <= AIM_SUBMIT_P99_MS else 'missed'}); window served in "
        f"{took:.1f} s (aim {config.seconds:g} s: {'met' if in_window else 'missed'})."
    )
    total = sum(cpu.used.values())
    available = took * (os.cpu_count() or 1)
    parts = ", ".join(
        f"{name} {seconds:.1f} s ({100 * seconds / available:.0f} %)"
        for name, seconds in cpu.used.items()
    )
    print(
        f"{'Where the time went' if not met else 'CPU'}: {total:.1f} CPU-seconds of the "
        f"{available:.0f} the {os.cpu_count()} CPUs had in {took:.1f} s: {parts}."
    )
    if not met:
        print(
            "The server is saturated when gunicorn and PostgreSQL together use nearly all of it: "
            "the requests then wait in the listen queue, as the step latencies show."
        )
    return met


def main() -> int:
    harness.stop_cleanly_on_signals()
    tmp = Path(tempfile.mkdtemp(prefix="elearn-exam-"))
    teardown = harness.teardown(tmp)
    try:
        config = Config.from_env()
        _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        env, redis_server = harness.django_started(
            teardown,
            postgres_url=config.postgres_url,
            db_name=config.db_name,
            redis_url=config.redis_url,
            tmp=tmp,
        )
        from django.db import connections

        from bench import inprocess

        print("Preparing: migrate, collectstatic, setup_demo ...", flush=True)
        pages = inprocess.data_prepare()
        print(f"Making {config.learners} learners, enrolled and logged in ...", flush=True)
        learners = learners_make(
            count=config.learners + WARMUP_PER_WORKER * config.workers + IN_PROCESS,
            course_slug=pages.course_slug,
            prefix="exam",
        )
        learners, warmup, timed = (
            learners[: config.learners],
            learners[config.learners : -IN_PROCESS],
            learners[-IN_PROCESS:],
        )
        lesson_path, start_path, lesson_title = quiz_lesson(course_slug=pages.course_slug)
        print(f"Timing each step in-process ({IN_PROCESS} learners) ...", flush=True)
        in_process = server_ms(timed, lesson=lesson_path, start=start_path)
        connections.close_all()

        rng = random.Random(config.seed)
        rate = config.learners / config.seconds
        arrival = 0.0
        journeys = []
        for learner in learners:
            arrival += rng.expovariate(rate)
            journeys.append(Journey(learner=learner, arrival=arrival))
        # The window is the process's: arrivals past it (the Poisson draw) are scaled into it.
        scale = config.seconds / max(arrival, config.seconds)
        for journey in journeys:
            journey.arrival *= scale

        server = harness.Gunicorn(
            root=ROOT,
            env={**os.environ, **env},
            log_path=tmp / "gunicorn.log",
            workers=config.workers,
        )
        teardown.callback(server.stop)
        server.start(ready_path=pages.bare)
        assert server.process is not None  # noqa: S101
        gunicorn_session = os.getsid(server.process.pid)
        redis_pid = redis_server.process.pid if redis_server.process else None
        cpu = CpuMeter(
            {
                "gunicorn": lambda: _pids(session=gunicorn_session),
                "PostgreSQL": lambda: _pids(names=("postgres",)),
                "Redis": lambda: [redis_pid] if redis_pid else [],
                "this client": lambda: [os.getpid()],
            }
        )
        print(
            f"Lesson {lesson_path} {lesson_title!r}; {config.learners} learners over "
            f"{config.seconds:g} s ...",
            flush=True,
        )
        # Warm-up, not measured: each worker's first requests import and compile.
        warm = [Journey(learner=learner, arrival=0.0) for learner in warmup]
        asyncio.run(
            _window(warm, port=server.port, lesson=lesson_path, start=start_path, seed=config.seed)
        )
        if any(journey.error for journey in warm):
            raise BenchError(f"Warm-up failed: {next(j.error for j in warm if j.error)}")
        cpu.start()
        took = asyncio.run(
            _window(
                journeys, port=server.port, lesson=lesson_path, start=start_path, seed=config.seed
            )
        )
        cpu.stop()
        server_log = server.log_tail()
        server.stop()

        errors = [journey for journey in journeys if journey.error]
        report(journeys, config=config, took=took, cpu=cpu, in_process=in_process)
        if errors:
            for journey in errors[:10]:
                print(f"  learner {journey.learner.user_id}: {journey.error}")
            raise BenchError(f"{len(errors)} of {len(journeys)} learners met an error.")
        print(check(journeys + warm))
        if "Traceback" in server_log or "[ERROR]" in server_log:
            raise BenchError("gunicorn logged errors:\n" + server_log)
        return 0
    except (BenchError, KeyboardInterrupt) as error:
        return harness.failed(error)
    finally:
        teardown.close()


if __name__ == "__main__":
    sys.exit(main())
