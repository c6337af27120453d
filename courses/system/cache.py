"""The cache backend: Django's Redis cache, keeping one ``redis.Redis`` per connection pool.

Django's RedisCacheClient builds a new ``redis.Redis`` for every cache call; each copies
redis-py's table of response callbacks (about 0.2 ms, a third of a GET on loopback). Every page
makes one to three cache calls (the session, the lesson's or course's page and its stamp), so
the client is kept instead: ``redis.Redis`` is safe to share between threads (each command
takes a connection from the pool), and the pool reconnects in a forked process.
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends import redis as django_redis


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(
                connection_pool=self._get_connection_pool(write)
            )
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient
