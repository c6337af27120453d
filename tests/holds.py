"""Holding a worker process at a chosen point so that a test can kill it there. Test code only.

A fault hook (``tests/*/worker_hooks.py``, imported by the workers the tests start) calls
``hold_once`` at its point. The first process to get there writes its pid to the file named by
the environment variable and sleeps; the file is created exclusively, so later passes (the
redelivery or the sweep the test waits for) go through without stopping.
"""

from __future__ import annotations

import os
import time

HOLD_SECONDS = 60  # far longer than a test waits before killing; never reached when it passes


def hold_once(file_variable: str) -> None:
    try:
        marker = os.open(os.environ[file_variable], os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        return
    os.write(marker, str(os.getpid()).encode())
    os.close(marker)
    time.sleep(HOLD_SECONDS)
