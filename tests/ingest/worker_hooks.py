"""A fault the importer's worker test injects into the worker it starts. Test code only.

Imported by the worker (``--include tests.ingest.worker_hooks``) before it forks its pool. It
does nothing unless IMPORT_TEST_HOLD is set; then the first process to draft an import's
questions (its documents read and imported, the job at its "generating" step) writes its pid
to IMPORT_TEST_HOLD_FILE and sleeps there, so that the test sees that step.
"""

from __future__ import annotations

import os
from typing import Any

from tests.holds import hold_once


def _install() -> None:
    from courses.ingest import services

    generate = services.course_items_generate

    def hold_then_generate(**kwargs: Any) -> Any:
        hold_once("IMPORT_TEST_HOLD_FILE")
        return generate(**kwargs)

    services.course_items_generate = hold_then_generate


if os.environ.get("IMPORT_TEST_HOLD"):
    _install()
