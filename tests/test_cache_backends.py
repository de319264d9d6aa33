"""The cached page data is invalidated by an import and by a curation, with local memory and with Redis."""

import io
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from articles import curation, selectors
from articles.cache import cached, data_version
from articles.choices import Status
from articles.models import Metric

SEED = Path(__file__).resolve().parent.parent / "seeds" / "004_33cfab6a1a367774.txt"
REDIS_URL = "redis://127.0.0.1:6379/13"

LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "cache-test"}}
REDIS = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": "aidmap-test"}}

pytestmark = pytest.mark.django_db


def redis_unreachable() -> str:
    """Why Redis cannot be used here, or "" when it answers."""
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except Exception as error:  # any failure means: skip, and say why
        return f"Redis at {REDIS_URL} is unreachable ({error.__class__.__name__}: {error})"
    return ""


@pytest.fixture(params=["locmem", "redis"])
def backend(request):
    if request.param == "redis" and (reason := redis_unreachable()):
        pytest.skip(reason)
    with override_settings(CACHES=LOCMEM if request.param == "locmem" else REDIS):
        cache.clear()
        yield request.param
        cache.clear()


def import_seed():
    call_command("import_articles", str(SEED), stdout=io.StringIO(), stderr=io.StringIO())


def test_import_invalidates_cached_summary(backend, django_capture_on_commit_callbacks):
    assert selectors.data_summary()["articles"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        import_seed()
    assert selectors.data_summary()["articles"] == 1
    assert selectors.data_summary()["metrics"] == Metric.objects.counted().count() > 0


def test_curation_invalidates_cached_summary(backend):
    import_seed()
    assert selectors.data_summary()["verified"] == 0
    curation.set_status(Metric.objects.filter(pk=Metric.objects.first().pk), Status.VERIFIED)
    assert selectors.data_summary()["verified"] == 1


@pytest.mark.django_db(transaction=True)
def test_value_cached_before_commit_is_dropped_after_it(backend):
    """Another process may read (and cache) the old data between the write's bump and its commit."""
    import_seed()
    metric = Metric.objects.first()
    with transaction.atomic():
        metric.status = Status.VERIFIED
        metric.save()  # the post_save signal bumps the version before the commit
        stale = cached("probe", lambda: "old data")
    assert stale == "old data"
    assert cached("probe", lambda: "new data") == "new data"


def test_version_is_shared_through_the_backend(backend):
    """Every web process reads the same version: it lives in the cache, not in the process."""
    before = data_version()
    import_seed()
    assert cache.get("aidmap:data-version") == data_version() > before
