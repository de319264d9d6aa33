"""articles/collect/ without a database or a server: robots rules, page dates, Retry-After, address lists, the
store of fetched pages."""

from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime

import pytest

from articles.collect.fetch import retry_after
from articles.collect.pagemeta import published_date
from articles.collect.robots import RobotsRules
from articles.collect.store import FetchStore
from articles.text.sources import read_address_list, split_arguments, web_source_name


def test_robots_rules_are_read_once_per_host_and_applied():
    asked = []

    def read(address):
        asked.append(address)
        return "User-agent: *\nDisallow: /private/\nAllow: /private/open.html\n"

    rules = RobotsRules(read, "aidmap/0.1")
    assert rules.allows("https://a.example.cn/news/1.html")
    assert not rules.allows("https://a.example.cn/private/x.html")
    assert rules.allows("https://a.example.cn/private/open.html")
    assert asked == ["https://a.example.cn/robots.txt"]


def test_no_robots_txt_allows_all_and_an_unreadable_one_allows_nothing():
    assert RobotsRules(lambda address: None, "aidmap").allows("https://a.example.cn/x")
    assert not RobotsRules(lambda address: RobotsRules.UNREACHABLE, "aidmap").allows("https://a.example.cn/x")


def test_the_page_date_comes_from_its_metadata_in_order():
    markup = ('<head><meta name="publishdate" content="2024-05-09">'
              '<meta property="article:published_time" content="2024-05-08T23:30:00+08:00"></head>')
    assert published_date(markup) == date(2024, 5, 8)  # the local day as written, article:published_time first
    assert published_date('<meta name="PubDate" content="2024/6/1 10:00">') == date(2024, 6, 1)
    assert published_date('<meta name="pubdate" content="2024-13-45">') is None
    assert published_date("<p>2024-05-08</p>") is None  # text is the splitter's to read


def test_retry_after_reads_seconds_and_dates():
    assert retry_after("3") == 3.0
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    assert 25 <= retry_after(later) <= 30
    assert retry_after("soon") is None and retry_after(None) is None


def test_an_address_list_skips_comments_and_names_bad_lines(tmp_path):
    listing = tmp_path / "urls.txt"
    listing.write_text("# 援疆\nhttps://a.example.cn/1.html#top  # a comment\n\nftp://a.example.cn/x\n"
                       "https://a.example.cn/1.html#top\n", encoding="utf-8")
    addresses, problems = read_address_list(str(listing))
    assert addresses == ["https://a.example.cn/1.html#top"]
    assert problems == [(f"{listing}:4", "not an http(s) address: 'ftp://a.example.cn/x'")]
    assert read_address_list(str(tmp_path / "none.txt"))[1][0][1].startswith("cannot read the list of addresses")


def test_arguments_split_into_paths_and_addresses():
    assert split_arguments(["seeds", "https://a.cn/1", "HTTP://b.cn/2", "a.txt"]) == (
        ["seeds", "a.txt"], ["https://a.cn/1", "HTTP://b.cn/2"])


def test_a_long_address_gets_a_name_that_fits():
    long = "https://a.example.cn/" + "x" * 400
    name = web_source_name(long)
    assert len(name) == 255 and name != web_source_name(long + "y")
    assert web_source_name("https://a.cn/1") == "https://a.cn/1"


def test_the_store_keeps_bytes_and_validators(tmp_path):
    store = FetchStore(str(tmp_path))
    url = "https://a.example.cn:8080/news/1.html?id=3"
    assert store.load(url) is None and store.validators(url) == {}
    path = store.save(url, {"etag": '"e1"', "last_modified": "Fri, 21 Jun 2024 01:20:00 GMT"}, b"<html>")
    assert path.startswith(str(tmp_path / "a.example.cn_8080"))
    assert store.load(url)[1] == b"<html>"
    assert store.validators(url) == {"If-None-Match": '"e1"', "If-Modified-Since": "Fri, 21 Jun 2024 01:20:00 GMT"}


def test_the_collect_package_imports_no_django():
    import subprocess
    import sys

    code = ("import sys, articles.collect.web, articles.collect.warc; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_a_malformed_address_fails_with_its_reason(tmp_path):
    from articles.collect.fetch import Fetcher, FetchFailed

    fetcher = Fetcher(FetchStore(str(tmp_path)))
    for address in ("http://[bad", "http://a.example.cn:port/", "https://", "mailto:a@example.cn"):
        try:
            fetcher.fetch(address)
        except FetchFailed as failure:
            assert str(failure) == f"not an http(s) address: {address!r}"
        else:
            raise AssertionError(address)
    fetcher.close()


def test_a_crawl_delay_slows_that_host_down_only():
    from articles.collect.fetch import HostClock

    rules = RobotsRules(lambda address: "User-agent: *\nCrawl-delay: 5\n" if "slow" in address else "", "aidmap")
    assert (rules.crawl_delay("https://slow.example.cn/1"), rules.crawl_delay("https://fast.example.cn/1")) == (5, 0)
    clock = HostClock(rate=2)
    clock.slow_down("slow.example.cn", 5)
    clock.slow_down("fast.example.cn", 0)
    clock.done("slow.example.cn")
    clock.done("fast.example.cn")
    assert clock._next["slow.example.cn"] - clock._next["fast.example.cn"] == pytest.approx(4.5, abs=0.05)
