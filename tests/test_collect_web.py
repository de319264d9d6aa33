"""import_articles on web addresses, against a local server (tests/webserver.py): robots.txt, redirects, retries,
timeouts, the size limit, what is not a page, the rate per host, and a second run of conditional requests."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command

from articles.importer import WebRequest, import_files
from articles.models import Article, SourceFile

from .collect_pages import HOTAN, KASHGAR, NANTONG, PRIVATE
from .webserver import Response, Site

pytestmark = pytest.mark.django_db

RATE = 20  # requests a second: small intervals keep the test short
TIMEOUT = 0.5
LIMIT = 100_000  # bytes: AIDMAP_MAX_FILE_BYTES for these tests

HTML = {"Content-Type": "text/html; charset=utf-8"}
ROBOTS = b"User-agent: *\nDisallow: /private/\n"


@pytest.fixture
def site(settings, tmp_path):
    settings.AIDMAP_FETCHED_DIR = tmp_path / "fetched"
    settings.AIDMAP_MAX_FILE_BYTES = LIMIT
    site = Site()
    site.routes = {
        "/robots.txt": Response(body=ROBOTS, headers={"Content-Type": "text/plain"}, etag='"robots-1"'),
        "/news/1.html": Response(body=NANTONG, headers={**HTML, "Last-Modified": "Fri, 21 Jun 2024 01:20:00 GMT"},
                                 etag='"nantong-1"'),
        "/private/draft.html": Response(body=PRIVATE, headers=HTML),
        "/moved": Response(301, headers={"Location": "/moved-again"}),
        "/moved-again": Response(302, headers={"Location": "/news/2.html"}),
        "/news/2.html": Response(body=KASHGAR, headers=HTML, etag='"kashgar-1"'),
        "/busy.html": [Response(503, b"busy", {"Retry-After": "1"}), Response(body=HOTAN, headers=HTML,
                                                                            etag='"hotan-1"')],
        "/slow.html": Response(body=HOTAN, headers=HTML, delay=TIMEOUT * 3),
        "/huge.html": Response(body=b"<html><body><p>" + "援疆".encode() * LIMIT + b"</p></body></html>",
                               headers=HTML, declare_length=False),
        "/report.pdf": Response(body=b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", headers={"Content-Type": "application/pdf"}),
        "/loop-a": Response(302, headers={"Location": "/loop-b"}),
        "/loop-b": Response(302, headers={"Location": "/loop-a"}),
    }
    site.start()
    yield site
    site.stop()


ASKED = ["/news/1.html", "/private/draft.html", "/moved", "/busy.html", "/slow.html", "/huge.html", "/report.pdf",
         "/loop-a", "/missing.html"]


def run_import(site: Site):
    return import_files([], web=WebRequest(urls=[site.url(p) for p in ASKED], rate=RATE, timeout=TIMEOUT))


def test_exactly_the_allowed_article_pages_are_imported_with_their_addresses(site):
    run = run_import(site)

    articles = {a.requested_url: a for a in Article.objects.all()}
    assert set(articles) == {site.url("/news/1.html"), site.url("/moved"), site.url("/busy.html")}
    moved = articles[site.url("/moved")]
    assert moved.url == site.url("/news/2.html")  # the final address, after two redirects
    assert (moved.http_status, moved.content_type) == (200, "text/html")
    assert moved.fetched_at is not None
    assert (moved.published, moved.published_from) == (date(2024, 5, 8), "metadata")  # no date in its text
    # ... and that date is the year of its 今年以来
    assert moved.metrics.get(number_text="18.5亿元").year_start == 2024
    nantong = articles[site.url("/news/1.html")]
    assert (nantong.url, nantong.published, nantong.published_from) == (
        site.url("/news/1.html"), date(2024, 6, 21), "text")
    assert nantong.metrics.count() > 0
    assert run.stats.files == 3


def test_each_failing_address_is_named_with_its_reason(site):
    failed = dict(run_import(site).stats.failed)

    assert set(failed) == {site.url(p) for p in ("/private/draft.html", "/slow.html", "/huge.html", "/report.pdf",
                                                 "/loop-a", "/missing.html")}
    assert failed[site.url("/private/draft.html")].startswith("robots.txt of 127.0.0.1:")
    assert "timed out" in failed[site.url("/slow.html")]
    assert f"over the limit of {LIMIT} bytes (AIDMAP_MAX_FILE_BYTES)" in failed[site.url("/huge.html")]
    assert "application/pdf" in failed[site.url("/report.pdf")]
    assert failed[site.url("/loop-a")] == (
        f"a redirect loop: {site.url('/loop-a')} → {site.url('/loop-b')} → {site.url('/loop-a')}")
    assert failed[site.url("/missing.html")] == "HTTP 404 Not Found"
    assert site.requests_to("/private/draft.html") == []  # disallowed: never asked for


def test_a_503_is_retried_after_the_time_retry_after_gives(site):
    run_import(site)
    first, second = site.requests_to("/busy.html")
    assert (first.status, second.status) == (503, 200)
    assert second.at - first.at >= 1.0


def test_the_rate_per_host_is_never_exceeded(site):
    run_import(site)
    times = [entry.at for entry in site.log]
    gaps = [later - earlier for earlier, later in zip(times, times[1:], strict=False)]
    assert len(times) >= 12
    # Each request begins 1/RATE after the previous one ended, which the server logged before answering it.
    assert min(gaps) >= 1 / RATE, gaps


def test_the_user_agent_says_who_asks(site):
    run_import(site)
    assert all(entry.headers["user-agent"].startswith("aidmap/") for entry in site.log)


def test_a_second_run_makes_conditional_requests_only_and_changes_nothing(site):
    run_import(site)
    before = list(Article.objects.order_by("id").values())
    files_before = list(SourceFile.objects.order_by("id").values())
    first_run = len(site.log)

    run = run_import(site)

    second = site.log[first_run:]
    kept = ["/robots.txt", "/news/1.html", "/news/2.html", "/busy.html"]
    for path in kept:
        asked = [entry for entry in second if entry.path == path]
        assert asked and all(entry.conditional and entry.status == 304 for entry in asked), path
    assert not [entry for entry in second if entry.status == 200 and entry.path in kept]
    assert not run.wrote and run.stats.files_unchanged == 3
    assert list(Article.objects.order_by("id").values()) == before
    assert list(SourceFile.objects.order_by("id").values()) == files_before


def test_the_raw_bytes_are_kept_with_what_the_fetch_knew(site, settings):
    run_import(site)
    source = SourceFile.objects.get(name=site.url("/moved"))
    with open(source.path, "rb") as handle:
        assert handle.read() == KASHGAR
    assert source.path.startswith(str(settings.AIDMAP_FETCHED_DIR))


def test_the_command_reads_a_list_of_addresses_and_fails_at_the_end(site, tmp_path, capsys):
    listing = tmp_path / "urls.txt"
    listing.write_text(
        f"# aid news\n{site.url('/news/1.html')}  # 南通\n\nnot-an-address\n{site.url('/missing.html')}\n")
    with pytest.raises(CommandError, match=r"2 file\(s\) failed"):
        call_command("import_articles", "--urls", str(listing), "--rate", str(RATE), "--timeout", str(TIMEOUT))
    err = capsys.readouterr().err
    assert f"FAILED {listing}:4: not an http(s) address: 'not-an-address'" in err
    assert f"FAILED {site.url('/missing.html')}: HTTP 404 Not Found" in err
    assert Article.objects.get().url == site.url("/news/1.html")


def test_the_command_needs_something_to_import():
    with pytest.raises(CommandError, match="Give at least one file"):
        call_command("import_articles")


def test_a_retry_after_longer_than_the_run_waits_fails_the_address_at_once(site):
    site.routes["/later.html"] = Response(429, b"", {"Retry-After": "3600"})
    run = import_files([], web=WebRequest(urls=[site.url("/later.html")], rate=RATE, timeout=TIMEOUT))
    ((address, reason),) = run.stats.failed
    assert reason.startswith("HTTP 429 Too Many Requests with Retry-After 3600 s, longer than the 120 s")
    assert len(site.requests_to("/later.html")) == 1


def test_a_5xx_without_retry_after_is_retried_with_backoff_then_named(site, monkeypatch):
    from articles.collect import fetch

    waits = []
    monkeypatch.setattr(fetch.time, "sleep", waits.append)  # the backoff's waits, recorded instead of slept
    site.routes["/down.html"] = Response(502, b"bad gateway")
    run = import_files([], web=WebRequest(urls=[site.url("/down.html")], rate=1000, timeout=TIMEOUT))
    assert run.stats.failed == [(site.url("/down.html"), "HTTP 502 Bad Gateway")]
    assert len(site.requests_to("/down.html")) == 4  # the first try and three retries
    assert [w for w in waits if w >= 1] == [1.0, 2.0, 4.0]
