"""/api/v1/metrics/: the figures, filtered as the explorer filters them, newest first, a cursor page at a time."""

from django.db.models import Q
from ninja import Router

from ..filters import MetricFilterSet
from ..models import Metric
from . import filtering, pages, schemas
from .links import link_pattern, metric_link_pattern

router = Router(tags=["metrics"])

# The row of each record, labels joined in SQL (see schemas.Metric for the names they are published under).
COLUMNS = [
    "id", "article_id", "article__title", "article__url", "article__published", "paragraph__position", "start", "end",
    "quote", "number_text", "value", "value_high", "unit", "unit_family", "approx", "kind", "sector", "stage",
    "province__slug", "province__name_zh", "province__name_en", "donor_city__slug", "donor_city__name_zh",
    "area__slug", "area__name_zh", "area__name_en", "period", "year_start", "year_end", "confidence", "status",
    "duplicate_of_id", "hold_reason", "stale",
]


@router.get(
    "/", response={200: schemas.MetricPage, 400: schemas.Error}, summary="Figures",
    openapi_extra={"parameters": filtering.query_parameters(MetricFilterSet) + pages.PARAMETERS},
)
def list_metrics(request):
    """The explorer's figures (`/metrics/`): the same filters select the same figures, newest first (by id)."""
    metrics = filtering.filtered(MetricFilterSet, request, Metric.objects.all())
    # The explorer's default order: read off the index of shown figures by id.
    rows = metrics.order_by("-id").values(*COLUMNS)
    result = pages.page(request, rows, resume_after=_after, position_of=lambda row: [str(row["id"])])
    permalink = metric_link_pattern(request)
    in_article = link_pattern(request, "articles:article")
    for row in result["results"]:
        row["url"] = permalink.format(row["id"])
        row["article_url"] = f"{in_article.format(row['article_id'])}#p-{row['paragraph__position']}"
    return result


def _after(position: list[str]) -> Q:
    if len(position) != 1:
        raise pages.bad_cursor()
    return Q(id__lt=pages.cursor_id(position[0]))
