import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Cached aggregates must not leak from one test's data into another's."""
    cache.clear()
    yield
    cache.clear()
