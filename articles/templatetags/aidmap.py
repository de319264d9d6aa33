"""Template helpers of the dashboard: figures (written by articles/formatting.py), names in both languages,
highlights."""

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import pgettext_lazy

from .. import formatting
from ..formatting import (  # noqa: F401 views and tests import them from here
    NON_ADDITIVE_FAMILIES,
    bilingual,
    family_label,
    format_amount,
    is_chinese,
    text_list,
    unit_label,
)

register = template.Library()


@register.filter
def total_text(total) -> str:
    return formatting.total_text(total)


@register.filter
def metric_text(metric) -> str:
    return formatting.metric_text(metric)


@register.simple_tag
def both_names(obj, short=False):
    """'江苏 <span>Jiangsu</span>': the name in the page language, then the other (omitted if `short`)."""
    zh = obj["name_zh"] if isinstance(obj, dict) else obj.name_zh
    en = obj["name_en"] if isinstance(obj, dict) else obj.name_en
    first, second = bilingual(zh, en)
    if short or not second or second == first:
        return first
    return format_html('{} <span class="alt-name" lang="{}">{}</span>', first,
                       "en" if is_chinese() else "zh-Hans", second)


@register.simple_tag
def first_name(obj):
    zh = obj["name_zh"] if isinstance(obj, dict) else obj.name_zh
    en = obj["name_en"] if isinstance(obj, dict) else obj.name_en
    return bilingual(zh, en)[0]


# How sure the gazetteer is of a pairing (Pairing.confidence is free text; these are the values it holds).
PAIRING_CONFIDENCE = {
    "high": pgettext_lazy("pairing confidence", "high"),
    "medium-high": pgettext_lazy("pairing confidence", "medium-high"),
    "medium": pgettext_lazy("pairing confidence", "medium"),
    "low-medium": pgettext_lazy("pairing confidence", "low-medium"),
    "low": pgettext_lazy("pairing confidence", "low"),
}


@register.filter
def confidence_label(value) -> str:
    """A pairing's confidence in the page's language; an unknown value is shown as stored."""
    return str(PAIRING_CONFIDENCE.get(value, value))


@register.filter
def percent(share) -> str:
    return formatting.percent(share)


@register.filter
def part_percent(share) -> str:
    return formatting.part_percent(share)


@register.simple_tag(takes_context=True)
def keep(context, url):
    """The URL with the page's switches added: `verified=1` for verified figures only, `stage=` when not the default."""
    kept = {"verified": "1" if context.get("verified_only") else "", "stage": context.get("page_stage_kept", "")}
    added = "&".join(f"{name}={value}" for name, value in kept.items() if value and f"{name}=" not in url)
    if not added:
        return url
    path, hash_mark, fragment = url.partition("#")
    separator = "&" if "?" in path else "?"
    return f"{path}{separator}{added}{hash_mark}{fragment}"


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced (None or '' removes one): for sort and page links."""
    request = context["request"]
    params = request.GET.copy()
    for key, value in changes.items():
        params.pop(key, None)
        if value not in (None, ""):
            params[key] = value
    return "?" + params.urlencode() if params else "?"


def highlight_paragraph(text: str, metrics, link_for, current_id=None) -> str:
    """The paragraph as HTML with each metric's span text[start:end] in a <mark> linked to the metric.

    Every piece of text is escaped; spans that overlap an earlier one or no longer hold the figure's number
    (a stale figure, its paragraph changed by a re-import) are skipped.
    """
    parts, cursor = [], 0
    for metric in sorted(metrics, key=lambda m: (m.start, m.end)):
        if metric.start < cursor or not metric.holds_its_number(text):
            continue
        classes = ["figure", f"status-{metric.status}"]
        if metric.duplicate_of_id:
            classes.append("duplicate")
        if metric.pk == current_id:
            classes.append("current")
        parts.append(escape(text[cursor:metric.start]))
        parts.append(format_html(
            '<mark id="m-{}" class="{}"><a href="{}" title="{}">{}</a></mark>',
            metric.pk, " ".join(classes), link_for(metric), mark_title(metric), text[metric.start:metric.end],
        ))
        cursor = metric.end
    parts.append(escape(text[cursor:]))
    return mark_safe("".join(str(part) for part in parts))


def mark_title(metric) -> str:
    pieces = [str(metric.get_kind_display()), metric_text(metric), str(metric.get_status_display())]
    if metric.duplicate_of_id:
        pieces.append(f"= #{metric.duplicate_of_id}")
    return " · ".join(pieces)


@register.simple_tag(takes_context=True)
def paragraph_url(context, metric):
    """The reader at the metric's paragraph, with the metric emphasised (and the verified switch kept)."""
    from ..selectors import paragraph_link

    return paragraph_link(metric.article_id, metric.paragraph.position, metric.pk, bool(context.get("verified_only")))
