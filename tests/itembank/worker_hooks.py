"""A fault the item bank's worker tests inject into the workers they start. Test code only.

Imported by the worker (``--include tests.itembank.worker_hooks``) before it forks its pool.
It does nothing unless REGENERATION_TEST_HOLD is set; then the first process to regenerate a
lesson (its job claimed, running) writes its pid to REGENERATION_TEST_HOLD_FILE and sleeps
there, so that the test sees the job running and can kill the worker at that point.
"""

from __future__ import annotations

import os
from typing import Any

from tests.holds import hold_once


def _install() -> None:
    from courses.itembank import services

    regenerate = services.lesson_items_regenerate

    def hold_then_regenerate(**kwargs: Any) -> Any:
        hold_once("REGENERATION_TEST_HOLD_FILE")
        return regenerate(**kwargs)

    services.lesson_items_regenerate = hold_then_regenerate


if os.environ.get("REGENERATION_TEST_HOLD"):
    _install()
