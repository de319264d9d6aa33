"""Warming the page cache after an import: the first pages, in both languages, then run no aggregate query."""

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from articles import selectors, warm
from articles.cache import bump_data_version
from articles.warm import warm_pages, warm_paths
from tests.test_cache_backends import LOCMEM, REDIS, redis_unreachable

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
DUMMY = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
# The busiest donor and prefecture of the seeds, besides the two pages every visitor sees.
FIRST_PAGES = ["/", "/compare/", "/provinces/jiangsu/", "/areas/kashi-diqu/"]
HTML_LANG = {"zh-hans": "zh-Hans", "en": "en"}
LOCMEM_SKIPPED = "Cache not warmed: page cache is per-process (local memory): set REDIS_URL to warm it."
AGGREGATE = re.compile(r"\b(SUM|COUNT|GROUP BY)\b", re.IGNORECASE)

pytestmark = [pytest.mark.django_db, pytest.mark.warming]


@pytest.fixture
def redis():
    if reason := redis_unreachable():
        pytest.skip(reason)
    with override_settings(CACHES=REDIS):
        yield


@pytest.fixture
def locmem():
    with override_settings(CACHES=LOCMEM):
        yield


@pytest.fixture(params=["redis", "locmem, forced"])
def warmable(request):
    """A cache that warming fills: Redis, or local memory when forced (this test's client shares the process)."""
    request.getfixturevalue(request.param.split(",")[0])
    return request.param == "locmem, forced"


def run_import(*options) -> str:
    out = io.StringIO()
    call_command("import_articles", str(SEEDS), *options, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def aggregate_queries(client, path: str, language: str) -> list[str]:
    """The aggregate queries (SUM, COUNT, GROUP BY) that one visitor's request for the page runs."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    assert f'<html lang="{HTML_LANG[language]}">' in response.content.decode(), (path, language)
    return [query["sql"] for query in queries if AGGREGATE.search(query["sql"])]


def test_the_warmed_pages_are_the_first_pages_with_every_donor_and_prefecture_with_figures():
    run_import("--no-warm")
    paths = warm_paths()
    assert paths[:2] == ["/", "/compare/"]
    assert set(FIRST_PAGES) <= set(paths)
    donors = {p.slug for p in selectors.donor_provinces()}
    prefectures = {a["slug"] for a in selectors.prefecture_level_areas()}
    assert {p.split("/")[2] for p in paths if p.startswith("/provinces/")} < donors  # those with figures only
    assert {p.split("/")[2] for p in paths if p.startswith("/areas/")} < prefectures
    assert len(paths) == len(set(paths)) == 18


def test_warming_fills_the_cache_so_the_first_pages_run_no_aggregate(client, warmable):
    run_import("--no-warm")
    report = warm_pages(force=warmable)
    assert report.failed == []
    assert report.pages == len(settings.LANGUAGES) * len(warm_paths()) == 36
    for language, _name in settings.LANGUAGES:
        for path in FIRST_PAGES:
            assert aggregate_queries(client, path, language) == [], (path, language)

    bump_data_version()  # the data changed again and nothing re-warmed: the same requests now aggregate
    for path in FIRST_PAGES:
        assert aggregate_queries(client, path, "en"), path


@pytest.mark.parametrize("caches, why", [(LOCMEM, "per-process (local memory)"), (DUMMY, "keeps nothing")])
def test_warming_is_skipped_when_the_cache_is_not_shared(client, caches, why):
    with override_settings(CACHES=caches):
        run_import("--no-warm")
        report = warm_pages()
        assert (report.pages, report.failed) == (0, [])
        assert why in report.summary and "set REDIS_URL" in report.summary
        assert aggregate_queries(client, "/", "en"), "nothing was rendered"


def test_a_failing_page_is_reported_and_the_others_are_still_warmed(client, locmem, monkeypatch):
    run_import("--no-warm")
    paths = warm_paths()
    donors = [path for path in paths if path.startswith("/provinces/")]

    def broken(province):
        raise RuntimeError("pairings table is gone")

    monkeypatch.setattr(selectors, "province_pairings", broken)
    report = warm_pages(force=True)
    assert sorted(report.failed) == sorted(
        (path, language, "RuntimeError('pairings table is gone')")
        for path in donors for language, _name in settings.LANGUAGES
    )
    assert report.pages == len(settings.LANGUAGES) * (len(paths) - len(donors))
    assert aggregate_queries(client, "/areas/kashi-diqu/", "en") == []


def test_a_page_that_does_not_answer_200_is_reported(locmem):
    report = warm_pages(force=True, paths=["/", "/provinces/atlantis/"])
    assert report.failed == [("/provinces/atlantis/", language, "HTTP 404") for language in ("zh-hans", "en")]
    assert report.pages == 2


def test_pages_failing_after_one_rendered_do_not_stop_warming(locmem):
    report = warm_pages(force=True, paths=["/a/", "/b/", "/", "/compare/"])
    assert report.failed == [(path, language, "HTTP 404") for language in ("zh-hans", "en") for path in ("/a/", "/b/")]
    assert (report.pages, report.stopped) == (4, "")


def test_when_the_first_three_pages_fail_the_rest_is_not_tried(locmem):
    report = warm_pages(force=True, paths=["/a/", "/b/", "/c/", "/"])
    assert report.failed == [(path, "zh-hans", "HTTP 404") for path in ("/a/", "/b/", "/c/")]
    assert report.pages == 0
    assert report.summary.startswith("Warmed 0 pages, 3 failed (the first 3 all failed, the other 5 were not tried)")


def test_when_the_pages_cannot_be_listed_the_overview_and_comparison_are_still_warmed(locmem, monkeypatch):
    def broken():
        raise RuntimeError("no gazetteer")

    monkeypatch.setattr(warm, "warm_paths", broken)
    report = warm_pages(force=True)
    assert report.failures == ["(list of pages): RuntimeError('no gazetteer')"]
    assert report.pages == 4


@override_settings(ALLOWED_HOSTS=[".aidmap.example.org"], SECURE_SSL_REDIRECT=True)
def test_warming_sends_secure_requests_to_an_allowed_host(client, locmem):
    assert client.get("/", secure=True).status_code == 400  # "testserver" is no longer allowed
    assert client.get("/", HTTP_HOST="aidmap.example.org").status_code == 301  # plain HTTP is redirected
    report = warm_pages(force=True, paths=["/", "/compare/"])
    assert (report.pages, report.failed) == (4, [])


def test_import_warms_the_shared_cache(client, redis):
    out = run_import()
    assert f"Warmed {2 * len(warm_paths())} pages, 0 failed, in " in out
    for language, _name in settings.LANGUAGES:
        for path in FIRST_PAGES:
            assert aggregate_queries(client, path, language) == [], (path, language)


def test_import_with_no_warm_leaves_the_cache_cold(client, redis):
    out = run_import("--no-warm")
    assert "Imported 5 files" in out and "warm" not in out.lower()
    assert aggregate_queries(client, "/", "en")


def test_import_says_why_a_local_memory_cache_is_not_warmed(locmem):
    assert run_import().splitlines()[-1] == LOCMEM_SKIPPED


def test_an_import_that_changed_nothing_does_not_warm(redis):
    run_import("--no-warm")
    out = run_import()
    assert "(5 unchanged)" in out and "warm" not in out.lower()


def test_warm_cache_command(client, locmem):
    run_import("--no-warm")
    out = io.StringIO()
    call_command("warm_cache", stdout=out)
    assert out.getvalue() == LOCMEM_SKIPPED + "\n"
    call_command("warm_cache", "--force", stdout=out)
    assert f"Warmed {2 * len(warm_paths())} pages, 0 failed" in out.getvalue()
    assert aggregate_queries(client, "/", "zh-hans") == []


def test_warm_cache_command_fails_after_warming_the_pages_that_render(locmem, monkeypatch):
    run_import("--no-warm")
    monkeypatch.setattr(selectors, "province_pairings", lambda province: 1 / 0)
    err = io.StringIO()
    with pytest.raises(CommandError, match=r"^16 page\(s\) failed to render"):
        call_command("warm_cache", "--force", "--quiet", stdout=io.StringIO(), stderr=err)
    assert "WARMING FAILED /provinces/jiangsu/ [en]: ZeroDivisionError('division by zero')" in err.getvalue()
