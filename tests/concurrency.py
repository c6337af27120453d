"""Threads released at the same instant against the real database (PostgreSQL tests).

Each thread opens its own connection (Django's are per thread) before the barrier, so that the
queries reach the server together, and closes it at the end.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import connection


def together(
    count: int,
    work: Callable[[int, object], object],
    *,
    prepare: Callable[[int], object] = lambda index: None,
    timeout: float = 60,
) -> list[object]:
    """Run ``work(index, prepare(index))`` in ``count`` threads released at the same instant,
    after each has made what it needs (``prepare``, off the clock); return their results."""
    barrier = threading.Barrier(count)
    results: list[object] = [None] * count
    errors: list[BaseException] = []

    def run(index: int) -> None:
        try:
            connection.ensure_connection()
            prepared = prepare(index)
            barrier.wait(timeout=timeout)
            results[index] = work(index, prepared)
        except BaseException as error:
            errors.append(error)
            barrier.abort()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=2 * timeout)
    assert not any(thread.is_alive() for thread in threads)
    assert errors == []
    return results
