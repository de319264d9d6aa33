"""Curators' decisions and the current extractor's readings of the same articles, read from the database as the
plain records articles/curated_eval.py scores.

The extractor is run again on each article's stored paragraphs (not on its file, which may be gone or changed):
the spans of curated figures point into those paragraphs, so both readings share one coordinate system.
"""

from collections.abc import Iterator

from django.db.models import Q

from .choices import Origin, Status
from .curated_eval import FIELDS, Decision, Reading
from .models import Article, Metric, Province, RecipientArea
from .text.extract import extract_article
from .text.gazetteer import Gazetteer
from .text.split import ArticleDraft, ParagraphDraft

DECISION_OF_STATUS = {Status.VERIFIED: "verified", Status.EDITED: "edited", Status.REJECTED: "rejected"}


def curated_metrics():
    """Figures a curator decided on: verified, edited, rejected, or added. Stale ones are left out (their span no
    longer holds their number), as are figures only merged or linked (no decision on their fields)."""
    decided = Q(status__in=list(DECISION_OF_STATUS)) | Q(origin=Origin.CURATOR)
    return (Metric.objects.filter(decided, stale=False)
            .exclude(origin=Origin.CURATOR, status=Status.REJECTED)
            .select_related("paragraph", "province", "area"))


def decisions() -> list[Decision]:
    return [
        Decision(
            article=metric.article_id, paragraph=metric.paragraph.position, start=metric.start, end=metric.end,
            number_text=metric.number_text,
            decision="added" if metric.origin == Origin.CURATOR else DECISION_OF_STATUS[metric.status],
            truth=_fields(metric.value, metric.kind, metric.sector, metric.province and metric.province.slug,
                          metric.area and metric.area.slug, metric.stage),
        )
        for metric in curated_metrics().order_by("article_id", "paragraph__position", "start")
    ]


def readings(article_ids) -> Iterator[tuple[int, list[Reading]]]:
    """(article id, the current extractor's figures in its stored paragraphs), one article at a time."""
    gazetteer = Gazetteer.load()
    for article in Article.objects.filter(pk__in=list(article_ids)).prefetch_related("paragraphs").order_by("pk"):
        drafts = extract_article(stored_draft(article), gazetteer) if article.is_aid else []
        yield article.pk, [
            Reading(d.paragraph, d.start, d.end, _fields(d.value, d.kind, d.sector, d.province, d.area, d.stage))
            for d in drafts
        ]


def stored_draft(article: Article) -> ArticleDraft:
    """The article as the pipeline's splitter would hand it to extraction, from its stored rows."""
    return ArticleDraft(
        title=article.title, title_original=article.title_original, publisher=article.publisher,
        published=article.published, dateline=article.dateline, byline=article.byline, script=article.script,
        original_text=article.original_text,
        paragraphs=[ParagraphDraft(p.position, p.original_text, p.text, p.role)
                    for p in sorted(article.paragraphs.all(), key=lambda p: p.position)],
        is_aid=article.is_aid, aid_score=article.aid_score, dropped=[],
    )


def display_names() -> dict:
    """(field, slug) → Chinese name, for donors and areas in the corrections."""
    names = {("province", slug): name for slug, name in Province.objects.values_list("slug", "name_zh")}
    names.update({("area", slug): name for slug, name in RecipientArea.objects.values_list("slug", "name_zh")})
    return names


def _fields(value, kind, sector, province, area, stage) -> dict:
    return dict(zip(FIELDS, (value, kind, sector, province, area, stage), strict=True))
