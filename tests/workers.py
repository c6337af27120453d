"""Real services for tests that need them: Redis servers and Celery workers a test owns.

Each test starts its own ``redis-server`` on a free port (never the machine's shared Redis) and
its own worker processes, in their own process groups, against the test database that
pytest-django created. Everything started here is killed at teardown, whatever the test did.

Shared by the suites that start workers (tests/certificates, tests/cohorts): their conftests
import the fixtures from here; a suite adds its own hooks by overriding ``worker_options``.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from itertools import count
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent

READY_SECONDS = 60
_names = count(1)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(
    condition: Callable[[], object], *, timeout: float, interval: float = 0.2, what: str
) -> object:
    """Poll ``condition`` until it returns something true; fail saying ``what`` was awaited."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


# --- Redis ------------------------------------------------------------------------------------


class RedisExited(RuntimeError):
    """The server stopped at start-up (its port taken since it was found free, most likely)."""


class RedisServer:
    """A ``redis-server`` of this test's own, on a port of its own, that the test can break."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.frozen = False
        self._client: redis.Redis | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self) -> redis.Redis:
        """A client of the test's own (it reconnects by itself after a restart)."""
        if self._client is None:
            self._client = redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=5)
        return self._client

    def start(self) -> RedisServer:
        assert self.process is None, "already running"
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no", "--daemonize", "no",
             "--maxmemory-policy", "noeviction", "--dir", str(self.directory),
             "--logfile", str(self.directory / f"redis-{self.port}.log")],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )  # fmt: skip

        def answers() -> bool:
            assert self.process is not None
            if self.process.poll() is not None:
                self.process = None
                log = self.directory / f"redis-{self.port}.log"
                raise RedisExited(f"redis-server on port {self.port} exited:\n{log.read_text()}")
            try:
                return bool(self.client().ping())
            except redis.RedisError:
                return False

        wait_for(answers, timeout=10, interval=0.05, what=f"redis-server on port {self.port}")
        return self

    def stop(self) -> None:
        """Terminate the server (it keeps nothing: no RDB, no AOF)."""
        if self.process is None:
            return
        self.thaw()
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None
        if self._client is not None:
            self._client.close()

    def freeze(self) -> None:
        """SIGSTOP: connections still open (the kernel accepts them), nothing ever answers."""
        assert self.process is not None
        self.process.send_signal(signal.SIGSTOP)
        self.frozen = True

    def thaw(self) -> None:
        if self.process is not None and self.frozen:
            self.process.send_signal(signal.SIGCONT)
        self.frozen = False

    def queue_length(self, queue: str = "celery") -> int:
        return int(self.client().llen(queue))


@pytest.fixture
def redis_server(tmp_path_factory) -> Iterator[Callable[[], RedisServer]]:
    """Factory: ``redis_server()`` starts a new server and returns it; all stopped at teardown."""
    servers: list[RedisServer] = []

    def start() -> RedisServer:
        for _attempt in range(3):
            server = RedisServer(tmp_path_factory.mktemp("redis"))
            servers.append(server)
            try:
                return server.start()
            except RedisExited as exited:
                failure = exited
        pytest.fail(str(failure))

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def broker(redis_server, settings) -> Iterator[RedisServer]:
    """A Redis of this test's own, where the test process publishes too.

    The Celery app copied its configuration from Django's settings when it was first used, so
    its ``broker_url`` is pointed there as well (``_publish`` connects through the app).
    """
    from elearn.celery import app

    server = redis_server()
    previous = app.conf.broker_url
    settings.CELERY_BROKER_URL = server.url
    app.conf.broker_url = server.url
    yield server
    app.conf.broker_url = previous


# --- Celery workers ---------------------------------------------------------------------------


def _database_url() -> str:
    """The test database pytest-django created (``test_<name>``), as a URL for the worker."""
    database = settings.DATABASES["default"]
    assert database["ENGINE"] == "django.db.backends.postgresql", "worker tests need PostgreSQL"
    user = quote(database.get("USER") or "postgres")
    password = f":{quote(database['PASSWORD'])}" if database.get("PASSWORD") else ""
    host = database.get("HOST") or "127.0.0.1"
    port = database.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{quote(database['NAME'])}"


class Worker:
    """``celery -A elearn worker`` (with beat when asked), in a process group of its own."""

    def __init__(self, process: subprocess.Popen[bytes], log: Path, name: str) -> None:
        self.process = process
        self.log_path = log
        self.name = name

    @property
    def pid(self) -> int:
        return self.process.pid

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_ready(self, *, beat: bool) -> None:
        def ready() -> bool:
            if self.process.poll() is not None:
                pytest.fail(f"worker {self.name} exited ({self.process.returncode}):\n{self.log()}")
            text = self.log()
            return " ready." in text and (not beat or "beat: Starting" in text)

        deadline = time.monotonic() + READY_SECONDS
        while not ready():
            if time.monotonic() > deadline:
                self.kill()
                pytest.fail(
                    f"worker {self.name} not ready after {READY_SECONDS} s "
                    f"(no 'ready.' line in its log):\n{self.log()}"
                )
            time.sleep(0.1)

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """Signal the whole group: the main process, its pool children and its beat."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, sig)
        if sig == signal.SIGKILL:
            self.process.wait(timeout=10)

    def stop(self) -> None:
        """Kill the group and reap the main process; the pool children die with the group."""
        if self.process.poll() is None or _group_alive(self.process.pid):
            self.kill(signal.SIGKILL)


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


class Deployment:
    """The directories a worker shares with the test: media, e-mails, beat's schedule; and the
    file where a worker process held by a fault hook writes its pid."""

    def __init__(self, root: Path) -> None:
        self.media = root / "media"
        self.mail = root / "mail"
        self.var = root / "var"
        self.hold_file = root / "hold.pid"
        for directory in (self.media, self.mail, self.var):
            directory.mkdir()

    def pdfs(self) -> list[Path]:
        folder = self.media / "certificates"
        return sorted(folder.iterdir()) if folder.exists() else []

    def emails(self) -> list[Message]:
        """Every message the file backend wrote (one file per connection, messages separated
        by a line of 79 dashes)."""
        messages = []
        for path in sorted(self.mail.iterdir()):
            for chunk in path.read_bytes().split(b"-" * 79):
                if chunk.strip():
                    messages.append(message_from_bytes(chunk.strip()))
        return messages

    def held_pid(self) -> int:
        text = wait_for(
            lambda: self.hold_file.exists() and self.hold_file.read_text(),
            timeout=30,
            interval=0.05,
            what="a worker process to reach the held step",
        )
        return int(str(text))


@pytest.fixture
def deployment(tmp_path, settings) -> Deployment:
    """Shared directories; the test process reads and serves the same MEDIA_ROOT."""
    shared = Deployment(tmp_path)
    settings.MEDIA_ROOT = shared.media
    return shared


@dataclass(frozen=True)
class WorkerOptions:
    """What a suite adds to every worker it starts: modules the worker imports before it forks
    its pool (``--include``: fault hooks), and environment variables."""

    include: tuple[str, ...] = ()
    env: dict[str, str] = field(default_factory=dict)


def held_worker_options(
    deployment: Deployment, *, hooks: str, hold_file_variable: str
) -> WorkerOptions:
    """A suite's workers with its fault hooks (``hooks``, a module), which hold a process at
    their point writing its pid to ``deployment.hold_file`` (named by ``hold_file_variable``)."""
    return WorkerOptions(include=(hooks,), env={hold_file_variable: str(deployment.hold_file)})


@pytest.fixture
def worker_options() -> WorkerOptions:
    """Nothing added; a suite's conftest overrides this fixture to add its hooks."""
    return WorkerOptions()


@pytest.fixture
def celery_worker(transactional_db, deployment, worker_options) -> Iterator[Callable[..., Worker]]:
    """Factory: ``celery_worker(broker_url, beat=False, concurrency=1, **env)`` -> a ready worker.

    Extra keyword arguments become environment variables of the worker (settings read from
    the environment: CERTIFICATE_SWEEP_SECONDS, CELERY_VISIBILITY_TIMEOUT, ...; the fault hooks
    a suite includes through ``worker_options``). Requesting ``transactional_db`` makes the
    workers die before pytest-django empties the tables.
    """
    workers: list[Worker] = []

    def start(broker_url: str, *, beat: bool = False, concurrency: int = 1, **extra: str) -> Worker:
        name = f"worker{next(_names)}-{os.getpid()}"
        log = deployment.var / f"{name}.log"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "elearn.settings.test",
            "DATABASE_URL": _database_url(),
            "CELERY_BROKER_URL": broker_url,
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "MEDIA_ROOT": str(deployment.media),
            "EMAIL_FILE_PATH": str(deployment.mail),
            "VAR_DIR": str(deployment.var),
            "PYTHONUNBUFFERED": "1",
            **worker_options.env,
            **extra,
        }
        command = [
            sys.executable, "-m", "celery", "-A", "elearn", "worker",
            "--pool=prefork", f"--concurrency={concurrency}", "--loglevel=INFO",
            "--without-gossip", "--without-mingle", "--without-heartbeat",
            "--hostname", f"{name}@%h",
        ]  # fmt: skip
        for module in worker_options.include:
            command += ["--include", module]
        if beat:
            command += ["--beat", "--schedule", str(deployment.var / f"{name}-schedule")]
        with log.open("wb") as output:
            process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        worker = Worker(process, log, name)
        workers.append(worker)
        worker.wait_ready(beat=beat)
        return worker

    yield start
    for worker in workers:
        worker.stop()
        # Shown by pytest under "Captured stdout teardown" when the test failed.
        sys.stdout.write(f"\n--- worker {worker.name} ---\n{worker.log()}")
