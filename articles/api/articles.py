"""/api/v1/articles/ and /api/v1/articles/<id>/: the articles, and one article's paragraphs with its figures' spans."""

from collections import defaultdict
from datetime import date
from typing import Annotated

from django.db.models import F, Q
from ninja import Router
from ninja.errors import HttpError
from pydantic import BeforeValidator

from .. import selectors
from ..filters import ArticleFilterSet
from ..models import Article, Metric, Paragraph
from ..params import parse_id
from . import filtering, pages, schemas
from .links import link_pattern, metric_link_pattern

router = Router(tags=["articles"])


def _article_id(text) -> int:
    number = parse_id(text)
    if number is None:
        raise ValueError("Give an article id: a whole number written in ASCII digits.")
    return number


ArticleId = Annotated[int, BeforeValidator(_article_id)]


@router.get(
    "/", response={200: schemas.ArticlePage, 400: schemas.Error}, summary="Articles",
    openapi_extra={"parameters": filtering.query_parameters(ArticleFilterSet) + pages.PARAMETERS},
)
def list_articles(request):
    """The article list's articles (`/articles/`, same filters), newest first."""
    articles = filtering.filtered(ArticleFilterSet, request, selectors.article_list_queryset())
    rows = articles.values("id", "title", "publisher", "published", "figures", source_url=F("url"))
    result = pages.page(request, rows, resume_after=_after, position_of=_position)
    page = link_pattern(request, "articles:article")
    for row in result["results"]:
        row["url"] = page.format(row["id"])
    return result


def _position(row: dict) -> list[str]:
    return [row["published"].isoformat() if row["published"] else "", str(row["id"])]


def _after(position: list[str]) -> Q:
    """The articles after one in the list's order: newest published first, undated last, then by id downwards."""
    if len(position) != 2:
        raise pages.bad_cursor()
    published, article_id = position[0], pages.cursor_id(position[1])
    if not published:
        return Q(published__isnull=True, id__lt=article_id)
    try:
        day = date.fromisoformat(published)
    except ValueError:
        raise pages.bad_cursor() from None
    return Q(published__lt=day) | Q(published=day, id__lt=article_id) | Q(published__isnull=True)


@router.get(
    "/{article_id}/", response={200: schemas.ArticleDetail, 400: schemas.Error, 404: schemas.Error},
    summary="One article",
)
def get_article(request, article_id: ArticleId):
    """An article with its paragraphs, each with its figures (rejected ones left out) and where they stand in it."""
    fields = ["id", "title", "title_original", "publisher", "published", "dateline", "byline", "is_aid",
              "duplicate_of_id", "fetched_at", "published_from"]
    article = Article.objects.filter(pk=article_id).values(*fields, source_url=F("url")).first()
    if article is None:
        raise HttpError(404, f"No article has the id {article_id}.")
    figures = defaultdict(list)
    permalink = metric_link_pattern(request)
    for figure in Metric.objects.not_rejected().filter(article_id=article_id).order_by("start", "id").values(
            "id", "paragraph_id", "start", "end", "number_text", "value", "unit", "kind", "sector", "status"):
        figure["url"] = permalink.format(figure["id"])
        figures[figure.pop("paragraph_id")].append(figure)
    paragraphs = Paragraph.objects.filter(article_id=article_id).order_by("position").values(
        "id", "position", "role", "text")
    article["paragraphs"] = [{**paragraph, "figures": figures[paragraph["id"]]} for paragraph in paragraphs]
    article["url"] = link_pattern(request, "articles:article").format(article_id)
    return article
