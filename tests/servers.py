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
from collections.abc import Iterator
from pathlib import Path

from tests.workers import ROOT, free_port

__all__ = ["ROOT", "free_port", "gunicorn", "gunicorn_command", "manage", "production_env", "run"]


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
def gunicorn(
    env: dict[str, str],
    log: Path,
    *,
    workers: int = 1,
    access_log: bool = False,
    timeout: float = 60,
) -> Iterator[str]:
    """A running gunicorn with ``workers`` sync workers; yields its base URL once every worker
    has booted, and stops it afterwards. With ``access_log``, each request is a line of the
    log: the answering worker's pid, the request line, the status."""
    port = free_port()
    extra: tuple[str, ...] = ()
    if access_log:
        extra = ("--access-logfile", "-", "--access-logformat", "%(p)s %(r)s %(s)s")
    with open(log, "wb") as output:
        process = subprocess.Popen(
            gunicorn_command(port, workers=workers, extra=extra),
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            assert process.poll() is None, f"gunicorn exited:\n{log.read_text()}"
            booted = log.read_text().count("Booting worker")
            with (
                contextlib.suppress(OSError, urllib.error.URLError),
                urllib.request.urlopen(f"{base}/healthz", timeout=2),  # noqa: S310
            ):
                if booted >= workers:
                    break
            assert time.monotonic() < deadline, f"gunicorn did not answer:\n{log.read_text()}"
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
