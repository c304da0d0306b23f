"""A Redis cache that a Redis outage cannot turn into errors.

django-redis's IGNORE_EXCEPTIONS turns a failed call into a miss, which is
right for ``get`` but wrong for ``add``: allauth's rate limiter takes a lock
with ``cache.add`` and, when no lock is ever granted, refuses every sign-in
with 429. No maintained backend fails over, so this one does, by hand: while
Redis is unreachable each process uses its own memory cache (rate limits then
count per process, pages are cached per process), and Redis is tried again
after RETRY_AFTER seconds so a dead server costs one connect timeout per
window, not one per cache call."""

import logging
import time

from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.locmem import LocMemCache
from django_redis.cache import RedisCache
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

OUTAGE = (ConnectionInterrupted, RedisConnectionError, RedisTimeoutError, ConnectionError, TimeoutError)


class RedisWithFallbackCache(BaseCache):
    def __init__(self, location, params):
        super().__init__(params)
        options = dict(params.get("OPTIONS", {}))
        self.retry_after = options.pop("RETRY_AFTER", 10)
        options["IGNORE_EXCEPTIONS"] = False  # outages are handled here
        self.primary = RedisCache(location, {**params, "OPTIONS": options})
        self.fallback = LocMemCache(f"fallback-{location}", {"TIMEOUT": params.get("TIMEOUT", 300)})
        self.down_until = 0.0

    def _call(self, method, *args, **kwargs):
        if time.monotonic() >= self.down_until:
            try:
                return getattr(self.primary, method)(*args, **kwargs)
            except OUTAGE as error:
                self.down_until = time.monotonic() + self.retry_after
                logger.warning("Redis cache unreachable (%s); using process memory for %ss", error, self.retry_after)
        return getattr(self.fallback, method)(*args, **kwargs)

    def add(self, key, value, timeout=None, version=None):
        return self._call("add", key, value, timeout=timeout, version=version)

    def get(self, key, default=None, version=None):
        return self._call("get", key, default=default, version=version)

    def set(self, key, value, timeout=None, version=None):
        return self._call("set", key, value, timeout=timeout, version=version)

    def touch(self, key, timeout=None, version=None):
        return self._call("touch", key, timeout=timeout, version=version)

    def delete(self, key, version=None):
        return self._call("delete", key, version=version)

    def get_many(self, keys, version=None):
        return self._call("get_many", keys, version=version)

    def set_many(self, data, timeout=None, version=None):
        return self._call("set_many", data, timeout=timeout, version=version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", keys, version=version)

    def has_key(self, key, version=None):
        return self._call("has_key", key, version=version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", key, delta=delta, version=version)

    def decr(self, key, delta=1, version=None):
        return self._call("decr", key, delta=delta, version=version)

    def clear(self):
        self.fallback.clear()
        return self._call("clear")

    def close(self, **kwargs):
        self.primary.close(**kwargs)
