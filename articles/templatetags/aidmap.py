"""Template helpers of the dashboard: figures in 亿/万 (or million/billion), names in both languages, highlights."""

from decimal import Decimal

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import pgettext_lazy

register = template.Library()

# unit family → (Chinese unit, English unit); the families of articles/text/numbers.py.
UNIT_LABELS = {
    "money": ("元", "yuan"),
    "people": ("人", "people"),
    "person_times": ("人次", "person-times"),
    "households": ("户", "households"),
    "count": ("", ""),
    "area_mu": ("亩", "mu"),
    "area_m2": ("平方米", "m²"),
    "area_ha": ("公顷", "ha"),
    "area_km2": ("平方公里", "km²"),
    "volume": ("立方米", "m³"),
    "weight": ("吨", "t"),
    "power": ("千瓦", "kW"),
    "energy": ("千瓦时", "kWh"),
    "length": ("公里", "km"),
    "percent": ("%", "%"),
    "percent_points": ("个百分点", "pp"),
}
# Shares are not amounts: summing them means nothing, so their totals are never shown.
NON_ADDITIVE_FAMILIES = {"percent", "percent_points"}


def is_chinese(lang: str | None = None) -> bool:
    return (lang or get_language() or "zh-hans").lower().startswith("zh")


def unit_label(family: str | None, lang: str | None = None) -> str:
    zh, en = UNIT_LABELS.get(family or "", (family or "", family or ""))
    return zh if is_chinese(lang) else en


def family_label(family: str | None, lang: str | None = None) -> str:
    """A unit family named in a sentence: its unit, or for bare counts '个' / 'count'."""
    if family == "count":
        return "个" if is_chinese(lang) else "count"
    return unit_label(family, lang) or family or ""


def scale(max_abs, lang: str | None = None) -> tuple[Decimal, str]:
    """The divisor and its word that make the largest value readable: (10⁸, '亿'), (10⁶, 'million')…"""
    max_abs = abs(Decimal(max_abs or 0))
    steps = [(Decimal(10**12), "万亿"), (Decimal(10**8), "亿"), (Decimal(10**4), "万")] if is_chinese(lang) else [
        (Decimal(10**12), "trillion"), (Decimal(10**9), "billion"), (Decimal(10**6), "million")]
    for divisor, word in steps:
        if max_abs >= divisor:
            return divisor, word
    return Decimal(1), ""


def plain(value, digits: int = 2) -> str:
    """A number with thousands separators and at most `digits` decimals, trailing zeros dropped."""
    text = f"{Decimal(value):,.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def format_amount(value, family: str | None = None, lang: str | None = None, sign: str = "") -> str:
    """'≥12.5亿元', '2.9万人', '1.25 billion yuan', '35,000 people': a value in base units, scaled to 万/亿
    in Chinese (no space, as the news writes it) and to million/billion in English."""
    if value is None:
        return "—"
    value = Decimal(value)
    divisor, word = scale(value, lang)
    number = plain(value / divisor)
    unit = unit_label(family, lang)
    if is_chinese(lang):
        text = f"{number}{word}{unit}"
    else:
        text = " ".join(part for part in (number, word, unit) if part)
    return f"{sign}{text}"


@register.filter
def total_text(total) -> str:
    """A Total as text: its value with '≥'/'≈', or '—' where a value cannot be summed (shares)."""
    family = total.group.get("unit_family")
    if family in NON_ADDITIVE_FAMILIES:
        return "—"
    return format_amount(total.value, family, sign=total.sign)


@register.filter
def metric_text(metric) -> str:
    sign = {"more_than": "≥", "about": "≈"}.get(metric.approx, "")
    if metric.unit_family == "count":
        return f"{sign}{plain(metric.value)}{metric.unit if is_chinese() else ''}"
    return format_amount(metric.value, metric.unit_family, sign=sign)


def text_list(items, lang: str | None = None) -> str:
    """Items run together as a list: '人、人次' in Chinese (with the enumeration comma), 'people, ha' in English."""
    return ("、" if is_chinese(lang) else ", ").join(str(item) for item in items)


def bilingual(name_zh: str, name_en: str, lang: str | None = None) -> tuple[str, str]:
    """(the name in the page's language, the other one)."""
    return (name_zh, name_en) if is_chinese(lang) else (name_en, name_zh)


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
    return f"{share * 100:.0f}%"


@register.simple_tag(takes_context=True)
def keep(context, url):
    """The URL with `verified=1` added when the page was asked for verified figures only."""
    if not context.get("verified_only") or "verified=" in url:
        return url
    path, hash_mark, fragment = url.partition("#")
    separator = "&" if "?" in path else "?"
    return f"{path}{separator}verified=1{hash_mark}{fragment}"


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
