"""Publishing a task without ever holding a user's request on the broker.

Work that must not be lost is first recorded as owed in the database (CONVENTIONS 3); these
functions then publish its task on a connection with sub-second timeouts and no retries. A
broker that is down or frozen fails fast; a sweeper (a beat task) publishes again what is
still owed. Certificates and cohort invitations both go through here.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings

log = logging.getLogger(__name__)


def publish(task: Any, object_id: int) -> bool:
    """Publish ``task(object_id)``; never raise, never wait on the broker for long."""
    return publish_many([(task, object_id)]) == 1


def publish_many(jobs: list[tuple[Any, int]]) -> int:
    """Publish ``task(object_id)`` for each job over one connection; return how many went.

    The connection's socket and connect timeouts are a fraction of a second and no publish is
    retried: a broker that refuses or never answers fails fast, the first failure stops the
    rest (each would wait out its own timeout), and the work, already committed as owed, waits
    for the sweeper. Nothing here raises.
    """
    if not jobs:
        return 0
    app = jobs[0][0].app
    timeout = settings.CELERY_PUBLISH_TIMEOUT
    options = {
        **(app.conf.broker_transport_options or {}),
        "socket_timeout": timeout,
        "socket_connect_timeout": timeout,
        "max_retries": 0,
    }
    published = 0
    try:
        if app.conf.task_always_eager:
            # `manage.py serve` without Redis runs the task here, inside the user's request:
            # its failure (raised, or a Retry) is logged like a failed publish, not a 500.
            for task, object_id in jobs:
                task.apply(args=[object_id], throw=True)
                published += 1
            return published
        with app.connection_for_write(
            transport_options=options, connect_timeout=timeout
        ) as connection:
            for task, object_id in jobs:
                task.apply_async(args=[object_id], connection=connection, retry=False)
                published += 1
    except Exception:  # the broker's failures are many; none may reach the user's request
        task, object_id = jobs[published]
        log.warning("%s(%s) not published; the sweeper will", task.name, object_id, exc_info=True)
    return published
