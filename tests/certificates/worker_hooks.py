"""A fault the certificate tests inject into the worker processes they start. Test code only.

The tests start the worker with ``--include tests.certificates.worker_hooks``: Celery imports
this module in the worker's main process before it forks its pool, so every pool process has
the hook. It does nothing unless CERTIFICATE_TEST_HOLD names a step of certificate delivery:

- ``render``: in the middle of rendering the PDF (the certificate row exists, no file yet);
- ``saved``: right after the PDF file is written, before ``rendered_at`` is committed.

The first process to reach that step writes its pid to CERTIFICATE_TEST_HOLD_FILE and sleeps
there, so that the test can kill it (or its whole worker) at that exact point. The file is
created exclusively: once it exists, later deliveries (the redelivery the test waits for) go
through without stopping. Nothing in the production code knows about this.
"""

from __future__ import annotations

import os
from typing import Any

from tests.holds import hold_once


def _hold_once() -> None:
    hold_once("CERTIFICATE_TEST_HOLD_FILE")


def _install(step: str) -> None:
    if step == "render":
        from courses.certificates import pdf

        render = pdf.render

        def slow_render(document: Any) -> bytes:
            content = render(document)
            _hold_once()
            return content

        pdf.render = slow_render
    elif step == "saved":
        from django.core.files.storage import FileSystemStorage

        save = FileSystemStorage._save

        def save_then_hold(self: FileSystemStorage, name: str, content: Any) -> str:
            saved = save(self, name, content)
            _hold_once()
            return saved

        FileSystemStorage._save = save_then_hold  # type: ignore[method-assign]
    else:
        raise ValueError(f"CERTIFICATE_TEST_HOLD={step!r}: expected 'render' or 'saved'")


if os.environ.get("CERTIFICATE_TEST_HOLD"):
    _install(os.environ["CERTIFICATE_TEST_HOLD"])
