"""Numbers as the site writes them: amounts in 万/亿 (or million/billion) with their unit, the approximation signs.

Plain functions: the template tags, charts, admin and export call them, so a figure reads the same everywhere.
"""

from decimal import Decimal

from django.utils.translation import get_language

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

# Written before a value: '≥' for a lower bound (30多亿元, 超3000人), '≈' for an approximate figure (约).
MORE_THAN = "≥"
ABOUT = "≈"
APPROX_SIGNS = {"exact": "", "more_than": MORE_THAN, "about": ABOUT}

CHINESE_SCALE = ((Decimal(10**12), "万亿"), (Decimal(10**8), "亿"), (Decimal(10**4), "万"))
ENGLISH_SCALE = ((Decimal(10**12), "trillion"), (Decimal(10**9), "billion"), (Decimal(10**6), "million"))


def is_chinese(lang: str | None = None) -> bool:
    return (lang or get_language() or "zh-hans").lower().startswith("zh")


def unit_label(family: str | None, lang: str | None = None) -> str:
    zh, en = UNIT_LABELS.get(family or "", (family or "", family or ""))
    return zh if is_chinese(lang) else en


def text_list(items, lang: str | None = None) -> str:
    """Items run together as a list: '人、人次' in Chinese (with the enumeration comma), 'people, ha' in English."""
    return ("、" if is_chinese(lang) else ", ").join(str(item) for item in items)


def bilingual(name_zh: str, name_en: str, lang: str | None = None) -> tuple[str, str]:
    """(the name in the page's language, the other one)."""
    return (name_zh, name_en) if is_chinese(lang) else (name_en, name_zh)


def family_label(family: str | None, lang: str | None = None) -> str:
    """A unit family named in a sentence: its unit, or for bare counts '个' / 'count'."""
    if family == "count":
        return "个" if is_chinese(lang) else "count"
    return unit_label(family, lang) or family or ""


def approx_sign(approx: str | None) -> str:
    """The sign of a figure's approximation (Metric.approx): '≥', '≈' or ''."""
    return APPROX_SIGNS.get(approx or "", "")


def scale(max_abs, lang: str | None = None) -> tuple[Decimal, str]:
    """The divisor and its word that make the largest value readable: (10⁸, '亿'), (10⁶, 'million')…"""
    max_abs = abs(Decimal(max_abs or 0))
    for divisor, word in CHINESE_SCALE if is_chinese(lang) else ENGLISH_SCALE:
        if max_abs >= divisor:
            return divisor, word
    return Decimal(1), ""


def plain(value, digits: int | None = 2, separators: bool = True) -> str:
    """A number in positional notation with at most `digits` decimals (all of them if None), trailing zeros
    dropped, and thousands separators unless `separators` is False: '3,000', '12.5', '3000000000'."""
    spec = ("," if separators else "") + (f".{digits}f" if digits is not None else "f")
    text = format(Decimal(value), spec)
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
    text = f"{number}{word}{unit}" if is_chinese(lang) else " ".join(part for part in (number, word, unit) if part)
    return f"{sign}{text}"


def compact_number(value) -> str:
    """30亿, 1.5万, 820: a value as a Chinese reader writes it (up to four decimals, no separators), whatever the
    page's language, to compare with the number as the article wrote it."""
    divisor, word = scale(value, lang="zh-hans")
    return plain(Decimal(value) / divisor, digits=4, separators=False) + word


def exact_number(value) -> str:
    """'3000000000' rather than '3.0000E+9' or '3000000000.0000': every digit, for files other programs read."""
    return plain(value, digits=None, separators=False)


def metric_text(metric, lang: str | None = None) -> str:
    """One figure as the pages show it: '≥3,000人', '≈30亿元'; a bare count keeps the unit it was written with."""
    sign = approx_sign(metric.approx)
    if metric.unit_family == "count":
        return f"{sign}{plain(metric.value)}{metric.unit if is_chinese(lang) else ''}"
    return format_amount(metric.value, metric.unit_family, lang, sign=sign)


def total_text(total, lang: str | None = None) -> str:
    """A total (selectors.Total) with its '≥'/'≈', or '—' where a value cannot be summed (shares)."""
    family = total.group.get("unit_family")
    if family in NON_ADDITIVE_FAMILIES:
        return "—"
    return format_amount(total.value, family, lang, sign=total.sign)


def percent(share) -> str:
    """A share of one as a whole percentage: 0.256 → '26%'."""
    return f"{share * 100:.0f}%"


def part_percent(share) -> str:
    """A part of a whole as a whole percentage that says "all" and "none" only when it means it: 0.996 → '99%',
    0.003 → '1%' (a total 99.6% verified is not wholly verified)."""
    if share >= 1 or share <= 0:
        return percent(max(0, min(1, share)))
    return f"{min(99, max(1, round(share * 100)))}%"
