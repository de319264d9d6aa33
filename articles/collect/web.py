"""The web sources of an import: addresses and feeds fetched politely, each page with the date its metadata gives.

Each address gives either its page or the reason it failed, so that one failing address never stops the others.
"""

from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date

from .feeds import FEED_TYPES, FeedUnreadable, feed_items
from .fetch import Fetcher, FetchFailed, Policy
from .origin import WebSource
from .pagemeta import published_date
from .store import FetchStore

HTML_TYPES = ("text/html", "application/xhtml+xml")


def with_page_date(source: WebSource, fallback: date | None = None) -> WebSource:
    """`source` with the publication date its HTML metadata gives, else `fallback` (a feed item's date)."""
    published = None
    if source.origin.content_type in HTML_TYPES:
        published = published_date(source.body.decode("utf-8", errors="replace"))
    return replace(source, origin=replace(source.origin, published=published or fallback))


class WebCollector:
    """Fetches pages into `folder` (see store.py) under one Policy, one host clock for all of them."""

    def __init__(self, folder: str, policy: Policy):
        self.fetcher = Fetcher(FetchStore(folder), policy)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.fetcher.close()

    def pages(self, urls: list[str]) -> Iterator[tuple[str, WebSource | str]]:
        """(address, its page or why it failed) for each address, in order."""
        for url in urls:
            yield url, self._page(url)

    def feed_pages(self, feed_url: str, seen: Callable[[str], bool]) -> Iterator[tuple[str, WebSource | str]]:
        """(address, its page or why it failed) for each item of the feed that `seen` does not know yet; the
        feed's own failure as (feed address, reason)."""
        try:
            fetched = self.fetcher.fetch(feed_url, accept=FEED_TYPES)
            items = feed_items(fetched.source.body, fetched.source.origin.url)
        except (FetchFailed, FeedUnreadable) as failure:
            yield feed_url, f"the feed could not be read: {failure}"
            return
        for item in items:
            if not seen(item.url):
                yield item.url, self._page(item.url, item.published)

    def _page(self, url: str, fallback: date | None = None) -> WebSource | str:
        try:
            return with_page_date(self.fetcher.fetch(url).source, fallback)
        except FetchFailed as failure:
            return str(failure)
