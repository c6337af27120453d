"""The Redis cache backend (courses/system/cache.py) against the real Redis: Django's, with
its client kept between calls."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

from django.conf import settings
from django.utils.crypto import get_random_string

from courses.system.cache import RedisCache

ROOT = Path(__file__).resolve().parents[2]


def redis_cache() -> RedisCache:
    """A cache on the test broker's Redis, under keys of its own."""
    return RedisCache(
        settings.CELERY_BROKER_URL, {"KEY_PREFIX": f"test-cache-{get_random_string(8)}"}
    )


def test_it_reads_and_writes_as_djangos_does():
    cache = redis_cache()
    assert cache.get("absent") is None
    cache.set("page", {"lesson": 6, "title": "Syndrome de libération de cytokines"}, 60)
    assert cache.get("page") == {"lesson": 6, "title": "Syndrome de libération de cytokines"}
    assert cache.add("stamp", "a1", timeout=None) is True
    assert cache.add("stamp", "b2", timeout=None) is False
    assert cache.get_many(["page", "stamp", "absent"]) == {
        "page": {"lesson": 6, "title": "Syndrome de libération de cytokines"},
        "stamp": "a1",
    }
    cache.add("hits", 0)
    assert cache.incr("hits", 2) == 2
    cache.delete_many(["page", "stamp", "hits"])
    assert cache.get_many(["page", "stamp", "hits"]) == {}


def test_one_client_serves_every_call_and_every_thread():
    cache = redis_cache()
    client = cache._cache.get_client(write=True)
    assert cache._cache.get_client(write=True) is client
    assert cache._cache.get_client("any key") is cache._cache.get_client()
    seen: list[object] = []

    def work(index: int) -> None:
        for round_ in range(50):
            cache.set(f"k{index}", round_, 60)
            assert cache.get(f"k{index}") == round_
        seen.append(cache._cache.get_client(write=True))

    threads = [threading.Thread(target=work, args=(index,)) for index in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert seen == [client] * 8
    cache.delete_many([f"k{index}" for index in range(8)])


def test_the_production_settings_use_it_for_a_redis_cache_url():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "elearn.settings.base",
        "CACHE_URL": "redis://127.0.0.1:6379/1",
        "SECRET_KEY": get_random_string(50),
    }
    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    printed = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert printed == "courses.system.cache.RedisCache"
