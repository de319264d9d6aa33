"""An RSS or Atom feed's items, read with feedparser (every feed dialect, and the broken ones it repairs)."""

from dataclasses import dataclass
from datetime import date
from urllib.parse import urljoin

import feedparser


class FeedUnreadable(ValueError):
    """The feed's bytes hold no feed; the message says what feedparser found wrong."""


@dataclass(frozen=True)
class FeedItem:
    url: str
    published: date | None  # the item's date as the feed gives it


FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/xml", "text/xml", "application/rdf+xml",
              "text/plain", "text/html")


def feed_items(body: bytes, feed_url: str) -> list[FeedItem]:
    """The feed's items with a link, in the feed's order, each address once (relative links made absolute)."""
    parsed = feedparser.parse(body)  # bytes: parsed as given, never fetched
    if not parsed.entries and (parsed.bozo or not parsed.version):
        reason = getattr(parsed, "bozo_exception", None) or "no RSS or Atom items"
        raise FeedUnreadable(f"not a readable feed: {reason}")
    items, seen = [], set()
    for entry in parsed.entries:
        link = entry.get("link")
        if not link:
            continue
        url = urljoin(feed_url, link)
        if url not in seen:
            seen.add(url)
            items.append(FeedItem(url=url, published=_entry_date(entry)))
    return items


def _entry_date(entry) -> date | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    return date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday) if parsed else None
