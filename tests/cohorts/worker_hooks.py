"""A fault the cohort worker tests inject into the worker processes they start. Test code only.

The tests start the worker with ``--include tests.cohorts.worker_hooks``: Celery imports this
module in the worker's main process before it forks its pool. It does nothing unless
INVITATION_TEST_HOLD is set; then the first process about to e-mail an invitation (after its
claim, before the mail server is called) writes its pid to INVITATION_TEST_HOLD_FILE and sleeps
there, so that the test can kill the whole worker at that point. The file is created
exclusively: later sends go through. Nothing in the production code knows about this.
"""

from __future__ import annotations

import os
from typing import Any

from tests.holds import hold_once


def _hold_once() -> None:
    hold_once("INVITATION_TEST_HOLD_FILE")


def _install() -> None:
    from courses.cohorts import services

    send = services.invitation_send

    def hold_then_send(**kwargs: Any) -> None:
        _hold_once()
        send(**kwargs)

    services.invitation_send = hold_then_send


if os.environ.get("INVITATION_TEST_HOLD"):
    _install()
