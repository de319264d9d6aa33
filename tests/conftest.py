import os
import re

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings
from django.utils import translation

# In a parallel run (pytest-xdist, `make test`) each worker gets the Redis database below the configured one
# (gw0: 15, gw1: 14): a test's cache.clear() is a FLUSHDB, and workers sharing one database would empty each
# other's caches mid-test. Db 13 stays the cache tests' own (tests/test_cache_backends.py).
REDIS_DB = re.compile(r"/(\d+)$")


@pytest.fixture(autouse=True, scope="session")
def _redis_database_per_worker():
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    location = settings.CACHES["default"].get("LOCATION", "")
    found = REDIS_DB.search(location) if location.startswith("redis://") and worker.startswith("gw") else None
    if not found:
        yield
        return
    base, index = int(found[1]), int(worker[2:])
    database = base - index if base - index >= 0 else base + index
    if database in (12, 13) or database > 15:
        raise pytest.UsageError(f"no free Redis database for worker {worker} below {location}: run fewer workers")
    caches = {**settings.CACHES, "default": {**settings.CACHES["default"],
                                             "LOCATION": REDIS_DB.sub(f"/{database}", location)}}
    with override_settings(CACHES=caches):
        yield


@pytest.fixture(autouse=True)
def _default_language():
    """A language a test activated must not carry into the next one (in a parallel run the order differs)."""
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Cached aggregates must not leak from one test's data into another's."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _no_warming_after_import(request, monkeypatch):
    """import_articles warms the page cache only in tests marked `warming` (tests/test_warm.py): with Redis it
    would render every main page after each import of the suite, 2 s each."""
    if "warming" in request.keywords:
        return
    from articles.management.commands import import_articles
    from articles.warm import WarmReport

    monkeypatch.setattr(import_articles, "warm_pages", lambda: WarmReport(skipped="off in tests"))
