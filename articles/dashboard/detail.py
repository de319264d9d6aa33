"""A donor's and an area's page: pairings, totals by kind, by sector (and by child area), over time, figures."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from .. import charts, selectors
from ..choices import Kind, Sector, Stage
from ..formatting import NON_ADDITIVE_FAMILIES
from ..models import Article, Metric, Pairing, Province
from ..selectors import Scope, Total
from .blocks import (
    Block,
    Chart,
    OtherStage,
    Page,
    Row,
    area_names,
    bars,
    cached_blocks,
    chart,
    chosen_family,
    chosen_kind,
    field_values,
    kind_chart,
    kind_options,
    other_stages,
    unknown_figures,
)


@dataclass
class DetailCharts(Block):
    """The charts both pages share, of one kind in one unit family, cached per data version, language, scope."""

    kind: str
    family: str | None
    kind_totals: list[Total]
    sector_chart: Chart
    time_chart: Chart
    non_additive: bool


@dataclass
class Detail(DetailCharts, Page):
    """What a donor's and an area's page share: the cached charts' fields, then the page's own lists."""

    pairings: list[Pairing]
    metrics: list[Metric]
    articles: list[Article]
    explorer_url: str
    held: int
    other_stages: list[OtherStage]
    kind_other_stages: list[OtherStage]
    unknown_figures: int
    unknown_url: str
    kinds: list[tuple[str, str]]


@dataclass
class Donor(Detail):
    province: Province


@dataclass
class Area(Detail):
    area: dict
    level: str
    ancestors: list[dict]
    children: list[dict]
    child_chart: Chart | None


def donor(slug: str, scope: Scope, asked_kind=None, asked_unit=None) -> Donor | None:
    """A donor's page (a city team's slug opens its province), or None when there is no such donor."""
    province = selectors.province_by_slug(slug)
    if province is None:
        return None
    scope = scope.narrowed(provinces=(province.slug,))
    return Donor(province=province, **_shared(scope, selectors.province_pairings(province), asked_kind, asked_unit))


def area(slug: str, scope: Scope, asked_kind=None, asked_unit=None) -> Area | None:
    """A recipient area's page, its totals including the areas below it, or None when there is no such area."""
    found = selectors.area_by_slug(slug)
    if found is None:
        return None
    scope = scope.narrowed(area=slug)
    shared = _shared(scope, selectors.area_pairings(found["id"]), asked_kind, asked_unit)
    tree = selectors.area_tree()
    children = sorted((tree[c] for c in found["children"]), key=lambda a: a["slug"])
    return Area(
        area=found, level=found["level"], ancestors=list(reversed(selectors.ancestors(found["id"]))),
        children=children, **shared,
        child_chart=_child_chart(scope, children, shared["kind"], shared["family"]) if children else None,
    )


def _shared(scope: Scope, pairings, asked_kind, asked_unit) -> dict:
    kind_totals = selectors.totals_by_kind(scope)
    kind = chosen_kind(asked_kind, kind_totals)
    family = chosen_family(asked_unit, [t for t in kind_totals if t.kind == kind])
    blocks = cached_blocks("detail", lambda: detail_charts(scope, kind_totals, kind, family),
                           scope.filters(), kind, family)
    stage_totals = selectors.totals_by_stage_and_kind(scope)
    others = [other for k in Kind.values for other in other_stages(stage_totals, scope.stage, k)]
    return {
        "pairings": pairings,
        "metrics": selectors.scope_metrics(scope),
        "articles": selectors.articles_with_metrics(scope),
        "explorer_url": explorer_link(scope.filters()),
        "held": selectors.held_count(scope),
        "other_stages": others,
        "kind_other_stages": [other for other in others if other.total.kind == kind],
        "unknown_figures": unknown_figures(stage_totals),
        "unknown_url": explorer_link({**scope.filters(), "stage": Stage.UNKNOWN, "counted": "1"}),
        "kinds": kind_options(),
        **field_values(blocks),
    }


def explorer_link(filters: dict) -> str:
    return reverse("articles:metrics") + "?" + urlencode(filters, doseq=True)


def detail_charts(scope: Scope, kind_totals, kind, family) -> DetailCharts:
    sector_names = {value: (str(label), "") for value, label in Sector.choices}
    sector_chart = kind_chart("by-sector", selectors.totals_by_sector(scope), kind, family, sector_names, "sector")
    year_totals = sorted((t for t in selectors.totals_by_year(scope)
                          if t.kind == kind and t.unit_family == family and t.year), key=lambda t: t.year)
    year_rows = [Row(label=str(t.year), alt="", total=t) for t in year_totals]
    time_chart = chart("over-time", charts.timeline_figure(bars(year_rows), family), year_rows, family)
    return DetailCharts(
        kind=kind, family=family,
        kind_totals=sorted(kind_totals, key=lambda t: (Kind.values.index(t.kind), -t.figures)),
        sector_chart=sector_chart, time_chart=time_chart, non_additive=family in NON_ADDITIVE_FAMILIES,
    )


def _child_chart(scope: Scope, children, kind, family) -> Chart:
    """The area's totals by child area (each with the areas below it) and for the area as a whole."""

    def compute():
        names = area_names()
        names[selectors.SELF_BUCKET + scope.area] = (_("(the area as a whole)"), "")
        hrefs = {c["slug"]: reverse("articles:area", args=[c["slug"]]) for c in children}
        totals = selectors.totals_by_child_area(scope.area, scope)
        return kind_chart("by-child", totals, kind, family, names, "bucket", hrefs)

    return cached_blocks("by-child", compute, scope.filters(), kind, family)
