"""The state of the services the site depends on."""

from __future__ import annotations

from urllib.parse import urlsplit

import redis
from django.conf import settings
from django.db import DatabaseError, connection


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return False
    return True


def broker_ok(*, timeout: float = 0.5) -> bool:
    """The broker answers PING within ``timeout`` seconds (a frozen one must not hang us)."""
    return redis_answers(settings.CELERY_BROKER_URL, timeout=timeout)


def redis_answers(url: str, *, timeout: float = 0.5) -> bool:
    """Redis at ``url`` answers PING within ``timeout`` seconds."""
    if urlsplit(url).scheme not in {"redis", "rediss"}:
        return False
    client = redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout)
    try:
        return bool(client.ping())
    except (redis.RedisError, OSError):
        return False
    finally:
        client.close()
