"""System checks: production without a shared cache is flagged."""

import pytest
from django.core.checks import run_checks
from django.test import override_settings

LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "checks"}}
REDIS = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}


def check_ids() -> set[str]:
    return {message.id for message in run_checks()}


@pytest.mark.parametrize(("production", "caches", "warned"), [
    (True, LOCMEM, True),
    (True, REDIS, False),
    (False, LOCMEM, False),
])
def test_production_with_a_per_process_cache_is_warned_about(production, caches, warned):
    with override_settings(PRODUCTION=production, CACHES=caches):
        assert ("aidmap.W001" in check_ids()) is warned
