"""import_articles --feed: a feed served by the local server imports its new items once."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command

from articles.collect.feeds import FeedUnreadable, feed_items
from articles.importer import WebRequest, import_files
from articles.models import Article

from .collect_pages import HOTAN, NANTONG, RSS, page
from .webserver import Response, Site

pytestmark = pytest.mark.django_db

HTML = {"Content-Type": "text/html; charset=utf-8"}
UNDATED = page("援疆干部人才培训班开班", ["江苏省安排援疆资金500万元，培训伊犁州干部人才300人次。"])
FEED = RSS.replace("</channel>", """<item><title>援疆干部人才培训班开班</title><link>/news/4.html</link>
<pubDate>Mon, 01 Jul 2024 02:00:00 GMT</pubDate></item>
</channel>""")


@pytest.fixture
def site(settings, tmp_path):
    settings.AIDMAP_FETCHED_DIR = tmp_path / "fetched"
    site = Site()
    site.routes = {
        "/robots.txt": Response(404, b"", {"Content-Type": "text/plain"}),
        "/xj/rss.xml": Response(body=FEED.format(root=site.root).encode(),
                                headers={"Content-Type": "application/rss+xml"}, etag='"feed-1"'),
        "/news/1.html": Response(body=NANTONG, headers=HTML, etag='"1"'),
        "/news/3.html": Response(body=HOTAN, headers=HTML, etag='"3"'),
        "/news/4.html": Response(body=UNDATED, headers=HTML),
    }
    site.start()
    yield site
    site.stop()


def import_feed(site):
    return import_files([], web=WebRequest(feeds=[site.url("/xj/rss.xml")], rate=50, timeout=2))


def test_a_feed_imports_its_items(site):
    run = import_feed(site)
    assert not run.stats.failed
    assert set(Article.objects.values_list("url", flat=True)) == {site.url(f"/news/{n}.html") for n in (1, 3, 4)}
    undated = Article.objects.get(url=site.url("/news/4.html"))
    assert (undated.published, undated.published_from) == (date(2024, 7, 1), "metadata")  # the item's date


def test_a_second_run_imports_nothing_new_and_fetches_no_item_again(site):
    import_feed(site)
    first = len(site.log)
    run = import_feed(site)
    assert not run.wrote and Article.objects.count() == 3
    assert [entry.path for entry in site.log[first:] if entry.path.startswith("/news/")] == []


def test_a_new_item_is_imported_and_the_known_ones_are_not_fetched(site):
    import_files([], web=WebRequest(urls=[site.url("/news/1.html")], rate=50, timeout=2))
    import_feed(site)
    assert len(site.requests_to("/news/1.html")) == 1  # by address; the feed found it known
    assert Article.objects.count() == 3


def test_a_feed_that_is_not_one_is_named(site):
    site.routes["/xj/rss.xml"] = Response(body=b"<html><body>nothing here</body></html>", headers=HTML)
    with pytest.raises(CommandError, match=r"1 file\(s\) failed"):
        call_command("import_articles", "--feed", site.url("/xj/rss.xml"), "--rate", "50")
    assert Article.objects.count() == 0


def test_feed_items_are_read_from_rss_and_atom():
    atom = b"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>
    <entry><title>a</title><link href="/a.html"/><updated>2024-06-21T08:00:00Z</updated></entry></feed>"""
    (item,) = feed_items(atom, "https://news.example.cn/feed.atom")
    assert (item.url, item.published) == ("https://news.example.cn/a.html", date(2024, 6, 21))
    with pytest.raises(FeedUnreadable):
        feed_items(b"just text", "https://news.example.cn/feed")
