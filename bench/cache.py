"""The cache a site has without CACHE_URL (files in VAR_DIR, shared by every process) over a
process's own memory (the former default, which lost previews between gunicorn workers) and
over Redis (production's CACHE_URL).

    .venv/bin/python bench/cache.py      (part of make bench)

What a signed-in request asks of the cache: its session read back (a get of a pickled dict the
size of a learner's session), and what a login or a list preview writes (a set). Each backend
is Django's own, built from the settings' URL, measured in the same run; the ratios are what a
deployment pays for a cache shared across processes without running Redis.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.harness import BenchError, env_number, failed, redis_fallback_url  # noqa: E402

OPERATIONS = 2000
SESSION = {
    "_auth_user_id": "4217",
    "_auth_user_backend": "django.contrib.auth.backends.ModelBackend",
    "_auth_user_hash": "a" * 64,
    "django_language": "fr",
    "cohort_roster_preview": {"key": "k" * 22, "cohort": 12, "rows": [[n, f"l{n}@example.org",
                              "Camille", "Martin"] for n in range(2, 12)]},
}  # fmt: skip
KEYS = [f"session:{index}" for index in range(200)]  # 200 signed-in learners


def per_operation(run: Callable[[int], object], *, n: int, rounds: int = 5) -> float:
    """Median microseconds per call of ``run(i)`` over ``rounds`` rounds of ``n`` calls."""
    timings = []
    for _ in range(rounds):
        start = time.perf_counter()
        for index in range(n):
            run(index)
        timings.append((time.perf_counter() - start) / n * 1e6)
    return statistics.median(timings)


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "elearn.settings.base")
    import django

    django.setup()
    import environ
    from django.utils.module_loading import import_string

    n = env_number("BENCH_CACHE_OPERATIONS", str(OPERATIONS))
    with tempfile.TemporaryDirectory(prefix="elearn-bench-cache-") as tmp:
        urls = {
            "memory of one process": "locmemcache://bench",
            "files (the default)": f"filecache://{Path(tmp) / 'cache'}",
            "Redis": redis_fallback_url(),
        }
        results: dict[str, tuple[float, float]] = {}
        for label, url in urls.items():
            config = environ.Env.cache_url_config(url)
            backend = import_string(config.pop("BACKEND"))
            cache = backend(config.pop("LOCATION", ""), {**config, "OPTIONS": {
                **config.get("OPTIONS", {}), **({"MAX_ENTRIES": 20_000} if "file" in url else {})
            }})  # fmt: skip
            try:
                cache.set("probe", 1)
            except Exception as error:
                raise BenchError(f"{label} does not answer at {url}: {error}") from error
            for key in KEYS:
                cache.set(key, SESSION, 3600)
            read = per_operation(lambda i, c=cache: c.get(KEYS[i % len(KEYS)]), n=n)
            write = per_operation(lambda i, c=cache: c.set(KEYS[i % len(KEYS)], SESSION, 3600), n=n)
            cache.clear()
            results[label] = (read, write)
    floor_read, floor_write = results["memory of one process"]
    print(f"Cache operations, {n} per round, median of 5 rounds (a session of {len(SESSION)} keys)")
    print(f"{'backend':<24}{'get µs':>10}{'× memory':>10}{'set µs':>10}{'× memory':>10}")
    for label, (read, write) in results.items():
        print(
            f"{label:<24}{read:>10.1f}{read / floor_read:>10.1f}"
            f"{write:>10.1f}{write / floor_write:>10.1f}"
        )
    file_read = results["files (the default)"][0]
    redis_read = results["Redis"][0]
    print(f"A session read from files costs {file_read / redis_read:.2f}× one from Redis.")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (BenchError, KeyboardInterrupt) as error:
        sys.exit(failed(error))
