import pytest
from django.core.cache import cache


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
