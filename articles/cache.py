"""Cached page data keyed by a data version that every import and curation bumps."""

from contextlib import contextmanager
from contextvars import ContextVar

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "aidmap:data-version"
# The shape of what is cached: raise it when a cached class changes (selectors.Total gained its verified share),
# so that a deploy never reads objects pickled by the code before it.
LAYOUT = 2
# False while a request whose parameters are invalid or not canonical is answered: see `storing`.
_storing = ContextVar("aidmap_cache_storing", default=True)


def data_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = 1
        cache.add(VERSION_KEY, version, timeout=None)
    return version


def bump_data_version() -> None:
    """Invalidate every cached aggregate at once (old keys simply expire).

    Inside a transaction the version is bumped again when it commits: another web process may have cached
    the not-yet-committed (old) data under the first bump's version in between.
    """
    _incr()
    connection = transaction.get_connection()
    if connection.in_atomic_block and not any(hook is _incr for _, hook, *_ in connection.run_on_commit):
        transaction.on_commit(_incr)


def forget_cached_pages() -> None:
    """Make every cached aggregate unreachable: called when the cache answers again after an outage, during
    which the bumps of writes were lost (see cache_backend.ResilientRedisCache)."""
    _incr()


def _incr() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, timeout=None)


def cached(key: str, compute, timeout: int = 3600):
    """Return the cached value of `compute()` for this data version (not stored inside `storing(False)`)."""
    full_key = f"aidmap:{data_version()}:{LAYOUT}:{key}"
    value = cache.get(full_key)
    if value is None:
        value = compute()
        if _storing.get():
            cache.set(full_key, value, timeout)
    return value


@contextmanager
def storing(allowed: bool):
    """Within it, `cached` stores what it computes only if `allowed`; it still reads what is stored.

    A view answers a request with invalid or unknown parameters inside `storing(False)`: such a request may
    neither put a wrong value under a valid request's key nor add keys of its own (the cache is shared).
    """
    token = _storing.set(_storing.get() and allowed)
    try:
        yield
    finally:
        _storing.reset(token)
