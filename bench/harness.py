"""What a benchmark needs around it: a fresh PostgreSQL database, a Redis of its own, a gunicorn
server and a logged-in HTTP client. Standard library, plus psycopg and redis (dependencies).

Nothing here imports Django: the benchmark sets the environment first, then sets Django up.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from courses.system.selectors import redis_answers


class BenchError(Exception):
    """A benchmark cannot run or its measurement is wrong; the message says why."""


def postgres_admin_url() -> str:
    """BENCH_POSTGRES_URL: the server where a bench creates (and drops) its own database."""
    return os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def redis_fallback_url() -> str:
    """BENCH_REDIS_URL: the Redis a bench uses only when no redis-server binary is found."""
    return os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")


def env_number(name: str, default: str, *, kind: type = int) -> Any:
    """A numeric BENCH_* setting; a value that is not one stops the bench with its name."""
    value = os.environ.get(name, default)
    try:
        return kind(value)
    except ValueError as error:
        raise BenchError(f"Bad {name}={value!r}: {error}") from error


def median_ms(run: Callable[[], object], *, runs: int) -> float:
    """The median of ``runs`` calls, in milliseconds."""
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        timings.append(time.perf_counter() - started)
    return 1000 * statistics.median(timings)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- PostgreSQL ------------------------------------------------------------------------------


def _admin_connect(admin_url: str):
    import psycopg

    try:
        return psycopg.connect(admin_url, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as error:
        raise BenchError(
            f"PostgreSQL does not answer at {admin_url} ({str(error).strip()}). "
            "Start it, or point BENCH_POSTGRES_URL at a server where this user may create "
            "databases."
        ) from error


def database_recreate(*, admin_url: str, name: str) -> None:
    """Drop the benchmark database if a previous run left it, and create it empty."""
    from psycopg import sql

    database_drop(admin_url=admin_url, name=name)
    with _admin_connect(admin_url) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def database_drop(*, admin_url: str, name: str) -> None:
    from psycopg import sql

    with _admin_connect(admin_url) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


# --- a bench's life --------------------------------------------------------------------------


def teardown(tmp: Path) -> contextlib.ExitStack:
    """What a bench sets up is undone here, last first, however it ends: each step registers
    its undoing as it succeeds (``teardown.callback(server.stop)``); ``tmp`` goes last."""
    stack = contextlib.ExitStack()
    stack.callback(shutil.rmtree, tmp, ignore_errors=True)
    return stack


def database_recreated(stack: contextlib.ExitStack, *, admin_url: str, name: str) -> None:
    """A fresh database for the bench, dropped again at its end (a failed drop is said)."""
    database_recreate(admin_url=admin_url, name=name)

    def drop() -> None:
        try:
            database_drop(admin_url=admin_url, name=name)
        except BenchError as error:
            print(f"bench: could not drop {name}: {error}", file=sys.stderr)

    stack.callback(drop)


def django_connections_closed(stack: contextlib.ExitStack) -> None:
    """Once Django is set up: its connections closed before the database is dropped."""
    from django.db import connections

    stack.callback(connections.close_all)


def failed(error: BenchError | KeyboardInterrupt) -> int:
    """The exit status of a bench that stopped early, after saying why."""
    if isinstance(error, KeyboardInterrupt):
        print("bench: interrupted; cleaning up.", file=sys.stderr)
        return 130
    print(f"bench: {error}", file=sys.stderr)
    return 2


def database_url(*, admin_url: str, name: str) -> str:
    return urlsplit(admin_url)._replace(path=f"/{name}").geturl()


# --- Redis -----------------------------------------------------------------------------------


def django_started(
    stack: contextlib.ExitStack, *, postgres_url: str, db_name: str, redis_url: str, tmp: Path
) -> tuple[dict[str, str], RedisServer]:
    """A fresh database and a Redis of its own (stopped with ``stack``), Django set up on them
    in this process (server_environment); the environment, for gunicorn, and the Redis."""
    database_recreated(stack, admin_url=postgres_url, name=db_name)
    redis_server = RedisServer(fallback_url=redis_url)
    stack.callback(redis_server.stop)
    redis_base = redis_server.start()
    env = server_environment(
        postgres_url=postgres_url,
        db_name=db_name,
        redis_base=redis_base,
        own_redis=redis_server.process is not None,
        tmp=tmp,
    )
    os.environ.update(env)
    import django

    django.setup()
    django_connections_closed(stack)
    return env, redis_server


def server_environment(
    *, postgres_url: str, db_name: str, redis_base: str, own_redis: bool, tmp: Path
) -> dict[str, str]:
    """The environment of a benchmark's Django, in process and in gunicorn: production
    settings (bench.settings) on a database of its own, the cache on a Redis of its own
    (database 1 of our own redis-server, the broker on 0; the fallback URL names one database,
    which both share), files under ``tmp``, the import approving its items as `make run` does
    (lessons have quizzes)."""
    return {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": database_url(admin_url=postgres_url, name=db_name),
        "CACHE_URL": f"{redis_base}/1" if own_redis else redis_base,
        "REDIS_URL": f"{redis_base}/0" if own_redis else redis_base,
        "CELERY_BROKER_URL": f"{redis_base}/0" if own_redis else redis_base,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "VAR_DIR": str(tmp),
        "STATIC_ROOT": str(tmp / "static"),
        "MEDIA_ROOT": str(tmp / "media"),
        "LOG_LEVEL": "WARNING",
        "QUIZ_AUTO_APPROVE": "1",
    }


@dataclass
class RedisServer:
    """A throwaway redis-server on a free port (production keeps its cache on a Redis of its
    own); without the binary, a database of an existing Redis, flushed first."""

    fallback_url: str
    process: subprocess.Popen[bytes] | None = None
    url: str = ""

    def start(self) -> str:
        binary = shutil.which("redis-server")
        if binary is None:
            if not redis_answers(self.fallback_url):
                raise BenchError(
                    f"No redis-server binary, and Redis does not answer at {self.fallback_url}. "
                    "Install redis-server or set BENCH_REDIS_URL."
                )
            import redis

            redis.Redis.from_url(self.fallback_url).flushdb()
            self.url = self.fallback_url
            return self.url
        port = free_port()
        command = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                   "--appendonly", "no", "--loglevel", "warning"]  # fmt: skip
        self.process = subprocess.Popen(
            command,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.url = f"redis://127.0.0.1:{port}"
        deadline = time.monotonic() + 10
        while not redis_answers(f"{self.url}/0"):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise BenchError(f"redis-server did not start on port {port}.")
            time.sleep(0.05)
        return self.url

    def stop(self) -> None:
        if self.process is not None:
            _terminate(self.process)
            self.process = None


# --- gunicorn --------------------------------------------------------------------------------


def _terminate(process: subprocess.Popen[bytes], *, timeout: float = 10) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


@dataclass
class Gunicorn:
    root: Path
    env: dict[str, str]
    log_path: Path
    workers: int = 2
    worker_class: str = "sync"
    threads: int = 1
    port: int = 0
    process: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, *, ready_path: str, timeout: float = 30) -> None:
        self.port = free_port()
        # As the Dockerfile: heartbeat files on tmpfs, where a slow disk cannot stall a worker.
        shm = Path("/dev/shm")  # noqa: S108
        heartbeat_dir = str(shm if shm.is_dir() else self.log_path.parent)
        command = [
            sys.executable, "-m", "gunicorn", "elearn.wsgi:application",
            "--bind", f"127.0.0.1:{self.port}",
            "--workers", str(self.workers),
            "--worker-class", self.worker_class,
            "--chdir", str(self.root),
            "--worker-tmp-dir", heartbeat_dir,
            "--no-control-socket",
            "--error-logfile", str(self.log_path),
            "--log-level", "warning",
        ]  # fmt: skip
        # gunicorn turns a sync worker into gthread whenever --threads > 1: pass it only then.
        if self.worker_class == "gthread":
            command += ["--threads", str(self.threads)]
        # No --access-logfile: gunicorn then writes no access log. No --max-requests: recycling
        # a worker every thousand requests would be measured instead of the pages.
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                command,
                cwd=self.root,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise BenchError(f"gunicorn exited at start:\n{self.log_tail()}")
            with contextlib.suppress(OSError, http.client.HTTPException):
                if HttpClient(port=self.port).request("GET", ready_path).status == 200:
                    return
            if time.monotonic() > deadline:
                raise BenchError(
                    f"gunicorn did not answer within {timeout:.0f} s:\n{self.log_tail()}"
                )
            time.sleep(0.1)

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def stop(self) -> None:
        if self.process is not None:
            _terminate(self.process, timeout=15)
            self.process = None


# --- HTTP client -----------------------------------------------------------------------------


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes


@dataclass
class HttpClient:
    """A cookie-keeping client that never follows redirects: a 302 to the login page must show
    as a 302, not as the login page's 200."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def request(self, method: str, path: str, *, form: dict[str, str] | None = None) -> Response:
        headers = {"Host": f"127.0.0.1:{self.port}"}
        if self.cookies:
            headers["Cookie"] = self.cookie_header()
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
        finally:
            conn.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            parsed: SimpleCookie = SimpleCookie()
            parsed.load(header)
            for name, morsel in parsed.items():
                if morsel.value:
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        return Response(status=response.status, headers=response.headers, body=data)


_CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def login(
    *, port: int, email: str, password: str, login_path: str = "/accounts/login/"
) -> HttpClient:
    """Log in through allauth's form, as a browser does; the client then holds the session."""
    client = HttpClient(port=port)
    page = client.request("GET", login_path)
    match = _CSRF_INPUT.search(page.body)
    if page.status != 200 or match is None:
        raise BenchError(f"GET {login_path} gave {page.status} without a CSRF token.")
    answer = client.request(
        "POST",
        login_path,
        form={"login": email, "password": password, "csrfmiddlewaretoken": match.group(1).decode()},
    )
    if answer.status != 302 or "sessionid" not in client.cookies:
        raise BenchError(
            f"Logging in as {email} failed: POST {login_path} gave {answer.status} "
            f"(expected a 302 with a session cookie)."
        )
    return client


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def stop_cleanly_on_signals() -> None:
    """SIGTERM and Ctrl-C both raise KeyboardInterrupt, so that a bench's ``finally`` stops its
    servers and drops its database however it is stopped."""
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGINT, signal.default_int_handler)
