"""System checks for settings that run but serve wrong pages in production."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

PER_PROCESS_CACHES = {"django.core.cache.backends.locmem.LocMemCache"}


@register(Tags.caches)
def shared_cache_in_production(app_configs, **kwargs):
    """Each gunicorn worker with its own cache keeps its own data version, so a curation or an import reaches
    only the worker that made it: the others show stale pages for up to an hour."""
    if not getattr(settings, "PRODUCTION", False):
        return []
    if settings.CACHES["default"]["BACKEND"] not in PER_PROCESS_CACHES:
        return []
    return [Warning(
        "PRODUCTION is on but the page cache is each process's own memory: after a curation or an import, "
        "the other web processes keep serving stale pages for up to an hour.",
        hint="Set REDIS_URL (e.g. redis://127.0.0.1:6379/0) on every web machine and on the import machine.",
        id="aidmap.W001",
    )]
