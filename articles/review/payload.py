"""What the review screen shows of one figure, as JSON: its paragraph with the figure marked, the paragraphs
around it, the article, the reading and attribution, the reasons for a low confidence, and the edit form's values."""

from django.urls import reverse

from ..admin import display
from ..models import Metric, Paragraph
from .forms import EDITABLE_FIELDS
from .reasons import low_confidence_reasons


def load(metric_id: int) -> Metric | None:
    return (
        Metric.objects.select_related("article", "paragraph", "province", "donor_city", "area")
        .defer("article__original_text", "paragraph__original_text").filter(pk=metric_id).first()
    )


def figure_payload(metric: Metric) -> dict:
    article, paragraph = metric.article, metric.paragraph
    paragraph.article = article  # its public URL needs the article, already loaded
    around = dict(
        Paragraph.objects.filter(article_id=article.pk, position__in=[paragraph.position - 1, paragraph.position + 1])
        .values_list("position", "text")
    )
    article_donors = (
        Metric.objects.filter(article_id=article.pk, province__isnull=False).order_by("province__slug")
        .values_list("province__name_zh", flat=True).distinct()
    )
    return {
        "id": metric.pk,
        "seen": metric.updated_at.isoformat(),
        "status": metric.status,
        "status_label": str(metric.get_status_display()),
        "paragraph_html": str(display.figure_in_paragraph(metric)),
        "before": around.get(paragraph.position - 1, ""),
        "after": around.get(paragraph.position + 1, ""),
        "article": {
            "title": article.title,
            "published": article.published.isoformat() if article.published else "",
            "publisher": article.publisher,
            "donors": "、".join(article_donors),
            "url": paragraph.get_absolute_url(),
        },
        "fields": _shown_fields(metric),
        "reasons": low_confidence_reasons(
            hold_reason=metric.hold_reason, has_donor=metric.province_id is not None,
            has_area=metric.area_id is not None, stage=metric.stage, kind=metric.kind,
            kind_label=str(metric.get_kind_display()),
        ),
        "form": _form_values(metric),
        "admin_url": reverse("admin:articles_metric_change", args=[metric.pk]),
    }


def _shown_fields(metric: Metric) -> list[list[str]]:
    """[label, value] pairs in the order a curator checks them."""
    def label(name):
        return str(Metric._meta.get_field(name).verbose_name)

    donors = " · ".join(p.name_zh for p in (metric.province, metric.donor_city) if p is not None)
    years = "–".join(str(y) for y in dict.fromkeys((metric.year_start, metric.year_end)) if y is not None)
    return [
        [label("number_text"), metric.number_text],
        [label("value"), display.reading(metric)],
        [label("unit"), metric.unit],
        [label("kind"), str(metric.get_kind_display())],
        [label("sector"), str(metric.get_sector_display())],
        [label("province"), donors or "—"],
        [label("area"), metric.area.name_zh if metric.area else "—"],
        [label("period"), " ".join(part for part in (metric.period, years and f"({years})") if part) or "—"],
        [label("stage"), str(metric.get_stage_display())],
        [label("confidence"), f"{metric.confidence:.2f}"],
    ]


def _form_values(metric: Metric) -> dict[str, str]:
    """The edit form's fields as the inputs hold them: ids for donor and area, plain decimals."""
    values = {}
    for name in EDITABLE_FIELDS:
        value = getattr(metric, Metric._meta.get_field(name).attname)
        values[name] = "" if value is None else str(value)
    return values
