"""A figure's own page (its permalink): the sentence with the figure marked, its attribution, review and history
status, the other reports of the same fact, and how to cite it."""

import copy
from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.urls import reverse

from ..models import HELD_FOR_REVIEW, Metric
from ..selectors import paragraph_link
from ..templatetags.aidmap import highlight_paragraph
from .blocks import Page

# APA writes dates with English month names, whatever the page's language.
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


@dataclass
class Citation:
    gbt7714: str
    apa: str


@dataclass
class FigurePage(Page):
    metric: Metric
    sentence: str  # HTML: the sentence (the paragraph, when the quote is not found in it) with the figure marked
    reader_url: str
    permalink: str
    held: bool
    same_fact: list[Metric]  # the figure this one repeats, and the other reports of it, oldest first
    citation: Citation


def figure(pk: int, site_root: str, accessed: date) -> FigurePage | None:
    """The page of figure `pk` (None when there is none), its permalink on `site_root` (https://host)."""
    metric = (
        Metric.objects.select_related("article__source_file", "paragraph", "province", "donor_city", "area")
        .filter(pk=pk).first()
    )
    if metric is None:
        return None
    permalink = site_root + reverse("articles:metric", args=[metric.pk])
    reader_url = paragraph_link(metric.article_id, metric.paragraph.position, metric.pk)
    article = metric.article
    # An article read from the web is cited at its original address, accessed when it was fetched (or captured).
    cited, accessed = (article.url, article.fetched_at.date()) if article.url and article.fetched_at else (
        permalink, accessed)
    return FigurePage(
        metric=metric,
        sentence=sentence_html(metric, reader_url),
        reader_url=reader_url,
        permalink=permalink,
        held=Metric.objects.filter(HELD_FOR_REVIEW, pk=metric.pk).exists() if metric.hold_reason else False,
        same_fact=same_fact(metric),
        citation=Citation(
            gbt7714=cite_gbt7714(article.title, article.publisher, article.published, cited, accessed),
            apa=cite_apa(article.title, article.publisher, article.published, cited, accessed),
        ),
    )


def sentence_html(metric: Metric, link: str) -> str:
    """The figure's sentence with the figure marked as the reader marks it (linked to `link`); the whole
    paragraph when the stored quote is not the sentence around the figure's span."""
    text, quote = metric.paragraph.text, metric.quote
    start = text.rfind(quote, 0, metric.start + len(quote)) if quote else -1
    if start < 0 or metric.end > start + len(quote):
        start, quote = 0, text
    shown = copy.copy(metric)
    shown.start, shown.end = metric.start - start, metric.end - start
    return highlight_paragraph(quote, [shown], lambda _: link, metric.pk)


def same_fact(metric: Metric) -> list[Metric]:
    """The other reports of the fact: the figure this one duplicates, its other duplicates, this one's."""
    original = metric.duplicate_of_id or metric.pk
    return list(
        Metric.objects.filter(Q(pk=original) | Q(duplicate_of_id=original) | Q(duplicate_of_id=metric.pk))
        .exclude(pk=metric.pk).select_related("article", "paragraph").order_by("id")
    )


# Citations: plain text to copy ---------------------------------------------------------------------------------

def cite_gbt7714(title: str, publisher: str, published: date | None, permalink: str, accessed: date) -> str:
    """GB/T 7714-2015, an online newspaper article without a named author:
    题名[N/OL]. 报纸名, 出版日期[引用日期]. 获取和访问路径."""
    source = ", ".join(part for part in (publisher, published.isoformat() if published else "") if part)
    return f"{title}[N/OL]. {source}[{accessed.isoformat()}]. {permalink}."


def cite_apa(title: str, publisher: str, published: date | None, permalink: str, accessed: date) -> str:
    """APA 7, a news article without an author (the title takes the author's place), with the date retrieved,
    since the page may change: Title. (Year, Month Day). Publisher. Retrieved Month Day, Year, from URL"""
    when = f"{published.year}, {MONTHS[published.month - 1]} {published.day}" if published else "n.d."
    source = f" {publisher}." if publisher else ""
    retrieved = f"{MONTHS[accessed.month - 1]} {accessed.day}, {accessed.year}"
    return f"{title.rstrip('.')}. ({when}).{source} Retrieved {retrieved}, from {permalink}"
