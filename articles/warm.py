"""Warm the shared page cache after the data changed: render the pages visitors open first, in every language."""

import time
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.test import Client
from django.urls import reverse
from django.utils import translation

from . import selectors

# When this many first pages all fail, the others are not tried (each would log the same traceback).
GIVE_UP_AFTER = 3
# Backends whose entries no other process can read: warming them in the import's process helps nobody.
PER_PROCESS = {
    LocMemCache: "page cache is per-process (local memory): set REDIS_URL to warm it",
    DummyCache: "page cache keeps nothing (dummy cache): set REDIS_URL to warm it",
}


@dataclass
class WarmReport:
    """What warming did: pages rendered, those that failed (address, language, reason), why it stopped early
    or was skipped."""

    pages: int = 0
    failed: list[tuple[str, str, str]] = field(default_factory=list)
    seconds: float = 0.0
    skipped: str = ""
    stopped: str = ""

    @property
    def summary(self) -> str:
        if self.skipped:
            return f"Cache not warmed: {self.skipped}."
        pages = f"{self.pages} page" + ("" if self.pages == 1 else "s")
        stopped = f" ({self.stopped})" if self.stopped else ""
        return f"Warmed {pages}, {len(self.failed)} failed{stopped}, in {self.seconds:.1f} s"

    @property
    def failures(self) -> list[str]:
        return [f"{path} [{language}]: {reason}" if language else f"{path}: {reason}"
                for path, language, reason in self.failed]


def not_shared_reason() -> str:
    """Why the default cache cannot be warmed from another process, or "" when it is shared (Redis…)."""
    backend = caches["default"]
    return next((reason for kind, reason in PER_PROCESS.items() if isinstance(backend, kind)), "")


def warm_paths() -> list[str]:
    """The addresses visitors open first: the overview, the comparison, and each donor's and each
    prefecture-level area's page that has counted figures.

    Bounded by the gazetteer (2 + 19 donors + the prefecture-level areas). The donors and areas come from the
    overview's own per-donor, per-prefecture count (`donor_flows`), which the overview needs anyway.
    """
    figures = selectors.donor_flows(selectors.EVERYTHING)["figures"]
    donors = sorted({total.province for total in figures if total.province})
    areas = sorted({total.bucket for total in figures if total.bucket})
    return [
        reverse("articles:overview"),
        reverse("articles:compare"),
        *(reverse("articles:province", args=[slug]) for slug in donors),
        *(reverse("articles:area", args=[slug]) for slug in areas),
    ]


def warm_pages(force: bool = False, paths: list[str] | None = None) -> WarmReport:
    """Render `paths` (default: `warm_paths()`) in every language of settings.LANGUAGES through the full
    request handler, so the views fill exactly the cache entries a visitor's request reads.

    Skipped, with the reason, when the cache is per-process, unless `force`. A page that fails is recorded in
    the report, and the others are still rendered: warming never raises for a page. When the first pages all
    fail, the cause is not the page (no static manifest, database or Redis down): the rest is not tried.
    """
    report = WarmReport()
    if not force and (reason := not_shared_reason()):
        report.skipped = reason
        return report
    started = time.perf_counter()
    if paths is None:
        try:
            paths = warm_paths()
        except Exception as error:  # the fixed pages are still worth warming
            report.failed.append(("(list of pages)", "", repr(error)))
            paths = [reverse("articles:overview"), reverse("articles:compare")]
    requests = [(language, path) for language, _name in settings.LANGUAGES for path in paths]
    client = Client(HTTP_HOST=_allowed_host())
    with translation.override(translation.get_language()):  # requests activate their language; keep ours
        for tried, (language, path) in enumerate(requests, 1):
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
            if problem := _render(client, path):
                report.failed.append((path, language, problem))
            else:
                report.pages += 1
            if tried == GIVE_UP_AFTER and not report.pages and tried < len(requests):
                report.stopped = f"the first {tried} all failed, the other {len(requests) - tried} were not tried"
                break
    report.seconds = time.perf_counter() - started
    return report


def _render(client: Client, path: str) -> str:
    """The empty string when the page rendered, else what went wrong."""
    try:
        # Secure, as behind the TLS proxy: with SECURE_SSL_REDIRECT a plain request would only get a redirect.
        response = client.get(path, secure=True)
    except Exception as error:  # a broken page must not stop the others (nor the import that called us)
        return repr(error)
    if response.status_code != 200:
        return f"HTTP {response.status_code}"
    return ""


def _allowed_host() -> str:
    """A host name the site answers to: the first of ALLOWED_HOSTS ("*" and ".example.org" patterns allowed)."""
    hosts = settings.ALLOWED_HOSTS
    if not hosts or hosts[0] == "*":
        return "localhost"  # an empty list allows localhost when DEBUG is on
    return hosts[0].lstrip(".")
