"""`manage.py serve` (what `make run` runs): web server, plus one Celery worker and one beat.

Real processes: the command is started as `make run` starts it, against the machine's Redis or
a port where nothing answers.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.workers import free_port

ROOT = Path(__file__).resolve().parents[2]


def descendants(pid: int) -> list[int]:
    """Every process below ``pid``, read from /proc, where a thread or a process may end
    between listing it and reading it (it then has no children to report)."""
    found = []
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except FileNotFoundError:
        return found
    for task in tasks:
        try:
            children = (task / "children").read_text().split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        for child in map(int, children):
            found.append(child)
            found.extend(descendants(child))
    return found


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except FileNotFoundError:
        return ""


def start_serve(tmp_path: Path, redis_url: str) -> tuple[subprocess.Popen[str], int]:
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "elearn.settings.base",
        "DEBUG": "1",
        "VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "REDIS_URL": redis_url,
        "PYTHONUNBUFFERED": "1",
    }
    process = subprocess.Popen(
        [sys.executable, "manage.py", "serve", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as answer:
                json.load(answer)
                return process, port
        except OSError:
            if process.poll() is not None:
                break
            time.sleep(0.5)
    stop(process)
    pytest.fail("manage.py serve did not answer within 60 s:\n" + (process.stdout.read() or ""))


def stop(process: subprocess.Popen[str]) -> str:
    os.killpg(process.pid, signal.SIGTERM)
    try:
        output, _ = process.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        output, _ = process.communicate()
    return output


@pytest.mark.worker
def test_with_redis_one_worker_and_one_beat_start_beside_the_server(tmp_path):
    process, _port = start_serve(tmp_path, "redis://127.0.0.1:6379/11")
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            commands = [cmdline(pid) for pid in descendants(process.pid)]
            workers = [c for c in commands if "celery" in c and "worker" in c.split()]
            beats = [c for c in commands if "celery" in c and "beat" in c.split()]
            # A worker is a main process with its pool children: count the main ones.
            mains = [c for c in workers if "--concurrency=2" in c]
            if mains and beats:
                break
            time.sleep(0.5)
        processes = [cmdline(pid) for pid in descendants(process.pid)]
    finally:
        output = stop(process)
    main_workers = {c for c in processes if "celery" in c and "worker" in c.split()}
    assert len([c for c in processes if "celery" in c and "beat" in c.split()]) == 1, processes
    assert len(main_workers) == 1, processes  # the pool children share the main's command line
    assert (
        output.count("Celery worker and beat started")
        + output.count("worker et beat Celery démarrés")
        == 1
    ), output


def test_without_redis_tasks_run_eagerly_and_it_says_so_once(tmp_path):
    dead = free_port()
    process, port = start_serve(tmp_path, f"redis://127.0.0.1:{dead}/0")
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as answer:
            health = json.load(answer)
        commands = [cmdline(pid) for pid in descendants(process.pid)]
    finally:
        output = stop(process)
    assert health == {"database": "ok", "broker": "error"}
    assert not [c for c in commands if "celery" in c], commands
    notices = output.count("Redis ne répond pas") + output.count("Redis does not answer")
    assert notices == 1, output
