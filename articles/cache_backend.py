"""django-redis that treats an unreachable Redis as an empty cache, so pages are computed from the database."""

import logging
import socket
import time

from django_redis.cache import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# What a Redis that is down, restarting, hanging or out of memory raises.
OUTAGE_ERRORS = (RedisError, socket.timeout, OSError)


class ResilientRedisCache(RedisCache):
    """While Redis fails, reads miss and writes are dropped instead of raising.

    After a failure this process leaves Redis alone for RETRY_AFTER seconds (OPTIONS), so a Redis that hangs
    costs one time-out per process per pause, not one per cache call. The first call that succeeds again
    bumps the data version: the bumps of imports and curations made during the outage were lost, and the
    pages cached before it must not come back.
    """

    def __init__(self, server, params):
        options = dict(params.get("OPTIONS", {}))
        self.retry_after = float(options.pop("RETRY_AFTER", 5))
        super().__init__(server, {**params, "OPTIONS": options})
        self._retry_at = 0.0
        self._down = False

    @property
    def unreachable(self) -> bool:
        """Whether the last call found Redis failing (and this process has not seen it answer since)."""
        return self._down

    def _guard(self, failed, method, *args, **kwargs):
        if self._down and time.monotonic() < self._retry_at:
            return failed
        try:
            result = method(*args, **kwargs)
        except OUTAGE_ERRORS as error:
            if not self._down:
                logger.warning("Redis cache unreachable, serving from the database: %r", error)
            self._down, self._retry_at = True, time.monotonic() + self.retry_after
            return failed
        if self._down:
            self._down = False
            logger.warning("Redis cache answers again")
            from .cache import forget_cached_pages  # the app's rule; cache.py imports no backend

            forget_cached_pages()
        return result

    def get(self, key, default=None, version=None, client=None):
        return self._guard(default, super().get, key, default, version=version, client=client)

    def get_many(self, *args, **kwargs):
        return self._guard({}, super().get_many, *args, **kwargs)

    def has_key(self, *args, **kwargs):
        return self._guard(False, super().has_key, *args, **kwargs)

    def set(self, *args, **kwargs):
        return self._guard(False, super().set, *args, **kwargs)

    def set_many(self, *args, **kwargs):
        return self._guard([], super().set_many, *args, **kwargs)

    def add(self, *args, **kwargs):
        return self._guard(False, super().add, *args, **kwargs)

    def touch(self, *args, **kwargs):
        return self._guard(False, super().touch, *args, **kwargs)

    def incr(self, *args, **kwargs):
        return self._guard(None, super().incr, *args, **kwargs)

    def decr(self, *args, **kwargs):
        return self._guard(None, super().decr, *args, **kwargs)

    def delete(self, *args, **kwargs):
        return self._guard(False, super().delete, *args, **kwargs)

    def delete_many(self, *args, **kwargs):
        return self._guard(0, super().delete_many, *args, **kwargs)

    def clear(self):
        return self._guard(False, super().clear)
