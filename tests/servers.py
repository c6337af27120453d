"""gunicorn as production runs it (the image's CMD), from the checkout, for tests of processes.

The tests that need it: the refusal to serve with the development key, and state shared
across several workers (tests/system).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

from tests.workers import ROOT, free_port

__all__ = [
    "ROOT", "free_port", "gunicorn", "gunicorn_command", "manage", "production_env", "run",
    "runserver", "serving",
]  # fmt: skip


def production_env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    """The environment of a production process without the suite's settings: base settings,
    DEBUG off, no CACHE_URL, a SQLite database and local state in ``tmp_path``."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "SECRET_KEY", "CACHE_URL", "DATABASE_URL"}
        and not key.startswith("PYTEST")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="elearn.settings.base",
        VAR_DIR=str(tmp_path),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        SECURE_SSL_REDIRECT="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        PYTHONUNBUFFERED="1",
    )
    env.update(overrides)
    return env


def run(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """A command run to its end from the checkout, its output captured."""
    return subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def manage(env: dict[str, str], *arguments: str) -> str:
    """`manage.py` with these arguments; what it printed. It must succeed."""
    result = run([sys.executable, "manage.py", *arguments], env)
    assert result.returncode == 0, result.stderr
    return result.stdout


def gunicorn_command(port: int, *, workers: int = 1, extra: tuple[str, ...] = ()) -> list[str]:
    return [
        sys.executable, "-m", "gunicorn", "elearn.wsgi:application",
        "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers),
        "--no-control-socket",
        *extra,
    ]  # fmt: skip


@contextlib.contextmanager
def serving(
    command: list[str],
    env: dict[str, str],
    log: Path,
    *,
    port: int,
    ready: Callable[[str], bool] = lambda log_text: True,
    timeout: float = 60,
) -> Iterator[str]:
    """A web server started with ``command``, listening on ``port``: yields its base URL once
    /healthz answers and ``ready(its log)`` holds, and stops it (and its children) afterwards."""
    with open(log, "wb") as output:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            assert process.poll() is None, f"{command[2]} exited:\n{log.read_text()}"
            with (
                contextlib.suppress(OSError, urllib.error.URLError),
                urllib.request.urlopen(f"{base}/healthz", timeout=2),  # noqa: S310
            ):
                if ready(log.read_text()):
                    break
            assert time.monotonic() < deadline, f"no answer:\n{log.read_text()}"
            time.sleep(0.2)
        yield base
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


def gunicorn(
    env: dict[str, str], log: Path, *, workers: int = 1, access_log: bool = False
) -> contextlib.AbstractContextManager[str]:
    """gunicorn with ``workers`` sync workers, once every worker has booted. With
    ``access_log``, each request is a line of the log: the answering worker's pid, the request
    line, the status."""
    port = free_port()
    extra: tuple[str, ...] = ()
    if access_log:
        extra = ("--access-logfile", "-", "--access-logformat", "%(p)s %(r)s %(s)s")
    return serving(
        gunicorn_command(port, workers=workers, extra=extra),
        env,
        log,
        port=port,
        ready=lambda text: text.count("Booting worker") >= workers,
    )


def runserver(env: dict[str, str], log: Path) -> contextlib.AbstractContextManager[str]:
    """What `make run` serves with: Django's runserver, threaded, without the reloader."""
    port = free_port()
    command = [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"]
    return serving(command, env, log, port=port)
