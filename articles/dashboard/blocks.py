"""The blocks a page is made of: a chart with the table of its numbers, its rows, its notes; plain data.

Blocks are dataclasses: templates read their attributes, tests and code may index them like dicts
(`block["rows"]`), and `as_dict()` gives the JSON-ready form a data API serialises.
"""

from dataclasses import dataclass, fields, is_dataclass
from datetime import date
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .. import charts, selectors
from ..cache import cached
from ..choices import Kind
from ..selectors import Total
from ..formatting import NON_ADDITIVE_FAMILIES, bilingual, family_label, text_list, unit_label


def plain(value):
    """Any block, total or value as JSON-ready data: decimals as exact strings, lazy texts translated."""
    if hasattr(value, "as_dict"):
        return value.as_dict()
    if is_dataclass(value):
        return {f.name: plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [plain(item) for item in value]
    return value


class Block:
    """Dict-style reading (`block["rows"]`) and `as_dict()` for the dataclasses below."""

    def __getitem__(self, name):
        if not isinstance(name, str) or name not in {f.name for f in fields(self)}:
            raise KeyError(name)
        return getattr(self, name)

    def as_dict(self) -> dict:
        return {f.name: plain(getattr(self, f.name)) for f in fields(self)}


def field_values(data) -> dict:
    """A dataclass's fields by name, the values as they are (`dataclasses.asdict` would copy every block)."""
    return {f.name: getattr(data, f.name) for f in fields(data)}


class Page:
    """A page's data: each field is a variable of its template. Its blocks are plain data; its lists of
    articles, figures and pairings are rows of the database, for the template to link."""

    def context(self) -> dict:
        return field_values(self)


@dataclass
class Row(Block):
    """A line of a chart's table: a name in the page's language, the other name, the total, its page."""

    label: str
    alt: str
    total: Total
    href: str | None = None


@dataclass
class Chart(Block):
    """A chart (Plotly data for `json_script`, None when there is nothing to draw) and the table of its numbers."""

    id: str
    figure: dict | None
    rows: list[Row]
    unit: str
    title: str = ""
    note: str = ""
    mixed: bool = False


def chart(chart_id, figure, rows, family, title="", note="") -> Chart:
    return Chart(
        id=chart_id, figure=charts.figure_data(figure) if rows else None, rows=rows, unit=unit_label(family),
        title=title, note=note, mixed=any(row.total.mixed_periods for row in rows),
    )


def bars(rows: list[Row]) -> list[charts.Bar]:
    return [charts.Bar.of(row.label, row.total, hover_label=f"{row.label} {row.alt}".strip()) for row in rows]


def named_row(total, names, key, href=None) -> Row:
    first, second = names.get(key, (key, ""))
    return Row(label=first, alt=second, total=total, href=href)


def kind_chart(chart_id, totals, kind, family, names, key_name, hrefs=None, title="") -> Chart:
    """A bar chart and table of the totals of one kind and unit family, by `key_name` (province, sector…)."""
    chosen = [t for t in totals if t.kind == kind and t.unit_family == family and t.group.get(key_name)]
    others = {t.unit_family for t in totals if t.kind == kind and t.unit_family != family}
    rows = sorted(
        (named_row(t, names, t.group[key_name], (hrefs or {}).get(t.group[key_name])) for t in chosen),
        key=lambda r: r.total.value, reverse=True,
    )
    note = ""
    if others:
        note = _("Figures in other units (%(units)s) are counted apart and not shown here.") % {
            "units": text_list(sorted(family_label(f) for f in others))}
    return chart(chart_id, charts.bar_figure(bars(rows), family), rows, family, title, note)


# Choices a page makes from its totals ----------------------------------------------------------------------

def chosen_kind(asked, totals, default=Kind.FUNDING) -> str:
    """The kind asked for if valid, else funding if the totals have it, else the kind with most figures."""
    if asked in Kind.values:
        return asked
    figures = {}
    for total in totals:
        if total.group.get("unit_family") not in NON_ADDITIVE_FAMILIES:
            figures[total.kind] = figures.get(total.kind, 0) + total.figures
    if default in figures or not figures:
        return default
    return max(figures, key=figures.get)


def chosen_family(asked, totals) -> str | None:
    """The unit family asked for if the totals have it, else the one with most figures."""
    families = {t.unit_family for t in totals}
    return asked if asked in families else selectors.dominant_family(totals)


def kind_options() -> list[tuple[str, str]]:
    return list(Kind.choices)


# Names and the cache ---------------------------------------------------------------------------------------

def donor_names() -> dict[str, tuple[str, str]]:
    return {p.slug: bilingual(p.name_zh, p.name_en) for p in selectors.donor_provinces()}


def area_names() -> dict[str, tuple[str, str]]:
    return {a["slug"]: bilingual(a["name_zh"], a["name_en"]) for a in selectors.area_tree().values()}


def cached_blocks(name, compute, *key):
    """Blocks for this data version, language and choice of page: building Plotly figures is slow."""
    return cached(f"charts:{name}:{get_language()}:{selectors.key_digest(key)}", compute)
