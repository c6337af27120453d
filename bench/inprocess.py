"""The benchmark's in-process half: the data, the queries a page makes, where its time goes.

Requests go through django.core.handlers.wsgi.WSGIHandler, the object gunicorn calls, so the
request_started/request_finished signals run as on the server (the test Client disconnects
close_old_connections, and with it the per-request connection health check).
"""

from __future__ import annotations

import cProfile
import io
import pstats
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.crypto import get_random_string

from demo.accounts import demo_account

from .harness import BenchError

# The demo learner (demo/accounts.json), whom setup_demo creates.
LEARNER = demo_account(role="learner")
LEARNER_EMAIL, LEARNER_PASSWORD = LEARNER.email, LEARNER.password


@dataclass(frozen=True)
class Pages:
    bare: str
    user: str
    lesson: str
    course: str
    lesson_title: str
    lesson_chars: int
    lessons_in_course: int
    lesson_pk: int
    course_slug: str


def data_prepare() -> Pages:
    """Schema, static files' manifest, the demo course and accounts, the learner enrolled.

    The import approves the generated items only with QUIZ_AUTO_APPROVE (as `make run` sets
    it): without it no lesson has a quiz to submit.
    """
    if not settings.QUIZ_AUTO_APPROVE:
        raise BenchError("Set QUIZ_AUTO_APPROVE=1 before setting Django up: no quiz otherwise.")
    from courses.catalog import selectors
    from courses.models import Course, Lesson, User
    from courses.progress import services as progress_services

    quiet = io.StringIO()
    call_command("migrate", interactive=False, verbosity=0, stdout=quiet)
    # Production serves the manifest storage's hashed names; without the manifest every
    # {% static %} raises.
    call_command("collectstatic", interactive=False, verbosity=0, stdout=quiet)
    call_command("setup_demo", stdout=quiet, stderr=quiet)
    course = Course.objects.get(slug=settings.COURSES_DEFAULT_COURSE_SLUG)
    learner = User.objects.get(email=LEARNER_EMAIL)
    progress_services.enrollment_create(user=learner, course=course)
    outline = selectors.course_outline(course=course)
    if not outline.lessons:
        raise BenchError("setup_demo imported no lesson.")
    # The lesson of median length: neither the shortest nor the longest text.
    lessons = sorted(
        Lesson.objects.filter(pk__in=[item.id for item in outline.lessons]),
        key=lambda lesson: (len(lesson.text), lesson.pk),
    )
    lesson = lessons[len(lessons) // 2]
    return Pages(
        bare="/bench/bare/",
        user="/bench/user/",
        lesson=f"/courses/{course.slug}/lessons/{lesson.pk}/",
        course=f"/courses/{course.slug}/",
        lesson_title=lesson.title,
        lesson_chars=len(lesson.text),
        lessons_in_course=len(outline.lessons),
        lesson_pk=lesson.pk,
        course_slug=course.slug,
    )


def learner_cookie() -> str:
    """A logged-in learner's cookies (the session is stored where the server stores it)."""
    from courses.models import User

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(email=LEARNER_EMAIL))
    # A CSRF secret as CsrfViewMiddleware makes one (32 letters and digits), which a POST
    # then repeats in its csrfmiddlewaretoken field. (GET /accounts/login/ sets none once
    # logged in: allauth redirects.)
    client.cookies[settings.CSRF_COOKIE_NAME] = get_random_string(32)
    return "; ".join(f"{name}={morsel.value}" for name, morsel in client.cookies.items())


class Requester:
    """GET and POST through the WSGI handler, as gunicorn does."""

    def __init__(self, *, cookie: str) -> None:
        self.handler = WSGIHandler()
        self.cookie = cookie

    def get(self, path: str) -> int:
        status, _headers = self.request("GET", path)
        if status != 200:
            raise BenchError(f"GET {path} gave {status} in-process (expected 200).")
        return status

    def submit(self, path: str, body: str, *, cookie: str | None = None) -> int:
        """POST a quiz's answers (as the learner of ``cookie``, if given); only the redirect to
        the attempt's result is a success."""
        status, headers = self.request("POST", path, body=body, cookie=cookie)
        location = headers.get("Location", "")
        if status != 302 or not location.endswith(f"{path}result/") or "Set-Cookie" in headers:
            raise BenchError(
                f"POST {path} gave {status} {location} in-process (expected a 302 to its "
                "result, no cookie set)."
            )
        return status

    def request(
        self, method: str, path: str, *, body: str = "", cookie: str | None = None
    ) -> tuple[int, dict[str, str]]:
        data = body.encode()
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": "",
            "CONTENT_LENGTH": str(len(data)),
            "CONTENT_TYPE": "application/x-www-form-urlencoded" if data else "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "127.0.0.1",
            "HTTP_COOKIE": cookie or self.cookie,
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.input": io.BytesIO(data),
            "wsgi.errors": io.StringIO(),
            "wsgi.url_scheme": "http",
            "wsgi.version": (1, 0),
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }
        started: list[tuple[str, list[tuple[str, str]]]] = []

        def start_response(
            status: str, headers: list[tuple[str, str]], exc_info: Any = None, /
        ) -> Callable[[bytes], object]:
            started.append((status, headers))
            return lambda data: None

        response = self.handler(environ, start_response)
        try:
            for _chunk in response:
                pass
        finally:
            response.close()  # fires request_finished
        status, headers = started[0]
        return int(status.split()[0]), dict(headers)


@contextmanager
def _health_checks_counted() -> Iterator[list[int]]:
    """Counts CONN_HEALTH_CHECKS' SELECT 1, which bypasses Django's cursor and so the capture."""
    cls = type(connections["default"])
    original = cls.is_usable
    count = [0]

    def counting(self: Any) -> bool:
        count[0] += 1
        return original(self)

    cls.is_usable = counting  # type: ignore[method-assign]
    try:
        yield count
    finally:
        cls.is_usable = original  # type: ignore[method-assign]


@dataclass(frozen=True)
class Queries:
    statements: list[str]
    health_checks: int


# One request, the same each time for a page, a new attempt each time for a submission.
Send = Callable[[], object]


def queries_of(send: Send) -> Queries:
    send()  # warm: caches filled, enrolment touched
    with (
        _health_checks_counted() as health,
        CaptureQueriesContext(connections["default"]) as captured,
    ):
        send()
    return Queries(
        statements=[query["sql"] for query in captured.captured_queries], health_checks=health[0]
    )


def ms_per_request(send: Send, *, n: int) -> float:
    send()
    start = time.perf_counter()
    for _ in range(n):
        send()
    return (time.perf_counter() - start) * 1000 / n


# (label, module, attribute path): functions timed by wrapping them in this process only.
# Inclusive wall-clock times; indentation shows nesting (SQL and Redis time sit inside the
# selectors, {% url %} inside rendering), so the rows do not add up.
BREAKDOWN: list[tuple[str, str, str]] = [
    ("request.user (auth.get_user: user query)", "django.contrib.auth", "get_user"),
    ("  session load (cached_db: Redis GET)", "django.contrib.sessions.backends.cached_db",
     "SessionStore.load"),
    ("course_page (CourseMixin.dispatch: course, outline)", "courses.learning.selectors",
     "course_page"),
    ("lesson_page (cached lesson, course, quiz size)", "courses.learning.selectors",
     "lesson_page"),
    ("course_can_manage", "courses.access", "course_can_manage"),
    ("course_outline (cached)", "courses.catalog.selectors", "course_outline"),
    ("learner_progress (enrolment and progress rows)", "courses.progress.selectors",
     "learner_progress"),
    ("resume_lesson", "courses.progress.selectors", "resume_lesson"),
    ("enrollment_touch", "courses.progress.services", "enrollment_touch"),
    ("quiz_summary (lesson page: bank size, attempts)", "courses.quizzes.selectors",
     "quiz_summary"),
    ("lesson_html (Redis GET of the rendered body)", "courses.catalog.selectors", "lesson_html"),
    ("template rendering (context processors included)", "django.template.backends.django",
     "Template.render"),
    ("  {% url %} / reverse()", "django.urls", "reverse"),
    ("  {% csrf_token %} / get_token()", "django.template.context_processors", "get_token"),
    ("attempt_get (AttemptMixin: attempt, lesson, course)", "courses.quizzes.selectors",
     "attempt_get"),
    ("AttemptView._form (saved answers read, form built)", "courses.quizzes.views",
     "AttemptView._form"),
    ("  attempt_answers (saved answers)", "courses.quizzes.selectors", "attempt_answers"),
    ("form validation (BaseForm.full_clean)", "django.forms.forms", "BaseForm.full_clean"),
    ("attempt_submit (lock, answers, grade, save, commit)", "courses.quizzes.services",
     "attempt_submit"),
    ("  _answers_merge (answers posted, in memory)", "courses.quizzes.services",
     "_answers_merge"),
    ("  _answers_write (INSERT ... ON CONFLICT, results in)", "courses.quizzes.services",
     "_answers_write"),
    ("  scoring.grade", "courses.quizzes.scoring", "grade"),
    ("  _after_grading (what a pass sets off)", "courses.quizzes.services", "_after_grading"),
    ("CSP header (CSPMiddleware.process_response)", "csp.middleware",
     "CSPMiddleware.process_response"),
    ("Redis: cache gets, all", "django.core.cache.backends.redis", "RedisCacheClient.get"),
    ("Redis: cache get_many, all", "django.core.cache.backends.redis",
     "RedisCacheClient.get_many"),
    ("PostgreSQL: health check SELECT 1", "django.db.backends.postgresql.base",
     "DatabaseWrapper.is_usable"),
    ("PostgreSQL: COMMIT (not a cursor statement)", "django.db.backends.base.base",
     "BaseDatabaseWrapper.commit"),
]  # fmt: skip


# The rows above that read or write the database through the ORM: the user, the selectors
# and services.
DATA_ACCESS = {
    "get_user", "course_page", "lesson_page", "course_can_manage", "course_outline",
    "learner_progress", "resume_lesson", "enrollment_touch", "quiz_summary", "attempt_get",
    "attempt_answers", "attempt_submit",
}  # fmt: skip

# Waiting on the servers, within the rows above.
WAITS = {"SessionStore.load", "DatabaseWrapper.is_usable", "BaseDatabaseWrapper.commit"}


@contextmanager
def _timed_functions(
    targets: list[tuple[str, str, str]],
) -> Iterator[dict[str, list[float]]]:
    """Wrap each target to add up its wall-clock time and calls; restore them afterwards."""
    import importlib

    totals: dict[str, list[float]] = {}
    restore: list[tuple[Any, str, Any]] = []

    def wrapper_for(label: str, original: Callable[..., Any]) -> Callable[..., Any]:
        def timed_call(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                entry = totals.setdefault(label, [0.0, 0])
                entry[0] += time.perf_counter() - start
                entry[1] += 1

        return timed_call

    try:
        for label, module_name, attribute in targets:
            owner: Any = importlib.import_module(module_name)
            *path, name = attribute.split(".")
            for part in path:
                owner = getattr(owner, part)
            original = owner.__dict__[name] if isinstance(owner, type) else getattr(owner, name)
            restore.append((owner, name, original))
            setattr(owner, name, wrapper_for(label, original))
        yield totals
    finally:
        for owner, name, original in reversed(restore):
            setattr(owner, name, original)


def breakdown(requester: Requester, send: Send, *, label: str, n: int) -> str:
    """Where a request's wall-clock time goes, measured without a profiler's distortion: the
    whole request, the functions above, and all SQL (Django's execute_wrapper)."""
    sql = [0.0, 0]
    by_statement: dict[str, float] = {}

    def sql_timer(execute: Callable[..., Any], statement: str, *args: Any) -> Any:
        start = time.perf_counter()
        try:
            return execute(statement, *args)
        finally:
            elapsed = time.perf_counter() - start
            sql[0] += elapsed
            sql[1] += 1
            by_statement[statement] = by_statement.get(statement, 0.0) + elapsed

    send()
    connection = connections["default"]
    with _timed_functions(BREAKDOWN) as totals, connection.execute_wrapper(sql_timer):
        start = time.perf_counter()
        for _ in range(n):
            send()
        whole = time.perf_counter() - start
    bare_ms = ms_per_request(lambda: requester.get("/bench/bare/"), n=n)
    lines = [
        f"Wall-clock breakdown of {label}, {n} requests through the WSGI handler, "
        "ms per request (inclusive; rows nest):",
        f"  {'whole request':<50} {1000 * whole / n:7.3f} ms  100%",
        f"  {'  of which the bare view costs (middleware, handler)':<50} {bare_ms:7.3f} ms "
        f"{100 * bare_ms * n / 1000 / whole:4.0f}%",
    ]
    for label, _module, _attribute in BREAKDOWN:
        if label not in totals:
            continue
        seconds, calls = totals[label]
        lines.append(
            f"  {label:<50} {1000 * seconds / n:7.3f} ms {100 * seconds / whole:4.0f}%"
            f"  x{calls / n:g}"
        )
    lines.append(
        f"  {'PostgreSQL: SQL statements (cursor.execute, all)':<50} {1000 * sql[0] / n:7.3f} ms "
        f"{100 * sql[0] / whole:4.0f}%  x{sql[1] / n:g}"
    )
    for statement, seconds in by_statement.items():
        lines.append(f"    {1000 * seconds / n:7.3f} ms  {_sql_summary(statement)}")
    # What the ORM costs beyond waiting on the servers: the data-access rows (which hold every
    # SQL statement, the health check and the session's Redis GET) minus those waits.
    waits = sql[0] + sum(
        totals.get(label, [0.0])[0] for label, _module, attribute in BREAKDOWN if attribute in WAITS
    )
    data = sum(
        totals.get(label, [0.0])[0]
        for label, _module, attribute in BREAKDOWN
        if attribute in DATA_ACCESS
    )
    lines.append(
        f"  {'ORM and Python around the queries (data - waits)':<50} "
        f"{1000 * (data - waits) / n:7.3f} ms {100 * (data - waits) / whole:4.0f}%"
    )
    return "\n".join(lines)


def _sql_summary(statement: str) -> str:
    """FROM table, and what the statement filters on: enough to tell the queries apart."""
    words = statement.replace('"', "").split()
    table = words[words.index("FROM") + 1] if "FROM" in words else "?"
    kind = words[0] if words else "?"
    where = statement.replace('"', "").split(" WHERE ", 1)
    condition = where[1][:70] if len(where) > 1 else ""
    return f"{kind} {table} WHERE {condition}" if condition else f"{kind} {table}"


def profile(send: Send, *, label: str, n: int, top: int = 25) -> str:
    """cProfile over n requests: the functions with the most time of their own. cProfile slows
    Python code more than waiting on sockets, so read it for hot spots, not for shares."""
    send()
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(n):
        send()
    profiler.disable()
    buffer = io.StringIO()
    stats = pstats.Stats(profiler, stream=buffer)
    stats.sort_stats("tottime").print_stats(top)
    lines = [f"cProfile of {label}, {n} requests, top {top} by own time:"]
    lines.extend(
        "  " + line.replace(str(settings.BASE_DIR) + "/", "")
        for line in buffer.getvalue().splitlines()
        if line.strip() and not line.lstrip().startswith(("Ordered by", "List reduced"))
    )
    return "\n".join(lines)
