"""The publication date a web page's metadata gives (<meta property="article:published_time"> and its kin).

Read only where the article's text has no date: Chinese news pages mostly print one in their date line.
"""

import re
from datetime import date
from html.parser import HTMLParser

# Meta names and properties that carry the publication date, as news sites and CMSs write them (lower case).
DATE_KEYS = (
    "article:published_time", "og:article:published_time", "og:release_date", "datepublished", "pubdate",
    "publishdate", "publish_date", "publication_date", "dc.date.issued", "dc.date", "dcterms.issued", "date",
)
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")


def published_date(markup: str) -> date | None:
    """The first date among the page's date meta tags, in DATE_KEYS order; None when none holds a valid one."""
    parser = _MetaDates()
    parser.feed(markup)
    parser.close()
    for key in DATE_KEYS:
        for value in parser.found.get(key, ()):
            day = parse_day(value)
            if day:
                return day
    return None


def parse_day(value: str) -> date | None:
    """The calendar day at the start of `value` as written (2024-05-08T10:00:00+08:00 is 8 May, its local day)."""
    match = _DATE.search(value)
    if not match:
        return None
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


class _MetaDates(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: dict[str, list[str]] = {}

    def handle_starttag(self, tag, attrs):
        if tag != "meta":
            return
        attributes = {name.lower(): value or "" for name, value in attrs}
        key = (attributes.get("property") or attributes.get("name") or attributes.get("itemprop") or "").lower()
        if key in DATE_KEYS and attributes.get("content"):
            self.found.setdefault(key, []).append(attributes["content"])

    handle_startendtag = handle_starttag
