"""The blocks a page is made of: a chart with the table of its numbers, its rows, its notes; plain data.

Blocks are dataclasses: templates read their attributes, tests and code may index them like dicts
(`block["rows"]`), and `as_dict()` gives the JSON-ready form a data API serialises.
"""

from dataclasses import dataclass, field, fields, is_dataclass
from datetime import date
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .. import charts, selectors
from ..cache import cached
from ..choices import Kind, Stage
from ..context_processors import PAGE_STAGES
from ..formatting import NON_ADDITIVE_FAMILIES, bilingual, family_label, text_list, unit_label
from ..selectors import Total


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
class OtherStage(Block):
    """What a page's stage has none of, found at another stage: "only planned figures: X; see them".

    `label` names what (a donor, a kind); `total` is its total at `stage`, linking to its figures.
    """

    label: str
    stage: str
    stage_label: str
    total: Total


@dataclass
class Chart(Block):
    """A chart (Plotly data for `json_script`, None when there is nothing to draw) and the table of its numbers.

    `other_stages` lists what the chart has no bar for because its figures are all of another stage.
    """

    id: str
    figure: dict | None
    rows: list[Row]
    unit: str
    title: str = ""
    note: str = ""
    mixed: bool = False
    other_stages: list[OtherStage] = field(default_factory=list)


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


# Stages ----------------------------------------------------------------------------------------------------

def other_stages(stage_totals: list[Total], stage: str | None, kind: str, key_name: str | None = None,
                 names=None) -> list[OtherStage]:
    """Of `kind`, the totals at other stages a page shows for what has none at `stage`.

    `stage_totals` are grouped by stage (and by `key_name`, e.g. province: then each donor without a total at
    `stage` is listed); without `key_name`, the page as a whole: listed only when `stage` has nothing of `kind`.
    Figures of unknown stage are not listed here: pages count them apart (`unknown_figures`).
    """
    def key(total):
        return total.group.get(key_name) if key_name else None

    of_kind = [t for t in stage_totals if t.kind == kind and (key_name is None or key(t))]
    present = {key(t) for t in of_kind if t.stage == stage}
    shown = [t for t in of_kind if t.stage in PAGE_STAGES and t.stage != stage and key(t) not in present]
    shown.sort(key=lambda t: (PAGE_STAGES.index(t.stage), -t.value))
    return [
        OtherStage(label=(names or {}).get(key(t), (key(t) or str(t.kind_label), ""))[0], stage=t.stage,
                   stage_label=str(Stage(t.stage).label), total=t)
        for t in shown
    ]


def unknown_figures(stage_totals: list[Total]) -> int:
    """How many counted figures of unknown stage the totals grouped by stage hold: in no page's totals."""
    return sum(t.figures for t in stage_totals if t.stage == Stage.UNKNOWN)


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
