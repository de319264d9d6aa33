"""The overview's data: what the data holds, donors compared on the headline kinds, the map, the flows."""

from dataclasses import dataclass, replace

from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _

from .. import charts, selectors
from ..choices import HEADLINE_KINDS, Kind, Stage
from ..formatting import bilingual, unit_label
from ..models import Article
from ..selectors import Scope, Total
from .blocks import (
    Block,
    Chart,
    Page,
    Row,
    area_names,
    cached_blocks,
    chart,
    donor_names,
    kind_chart,
    kind_options,
    other_stages,
)

GEOJSON = "geo/xinjiang_prefectures.geojson"


@dataclass
class Map(Chart):
    """The map of prefecture-level areas filled by one kind, with the table of the areas that have figures."""

    kind: str = Kind.FUNDING
    has_shapes: bool = False
    drawable: bool = False


@dataclass
class FlowRow(Block):
    """One donor → prefecture link of the Sankey: its total is funding, or (`by_funding` False) a count."""

    donor: str
    area: str
    total: Total
    by_funding: bool


@dataclass
class Flows(Block):
    id: str
    figure: dict | None
    rows: list[FlowRow]
    unit: str
    any_counts: bool


@dataclass
class OverviewCharts(Block):
    """The overview's slow part, cached per data version, language, scope and map kind.

    `headlines` are the donors compared: one chart per headline kind at the scope's stage, then aid funding
    planned against achieved (`planned-achieved`).
    """

    headlines: list[Chart]
    map: Map
    flows: Flows


@dataclass
class Overview(Page):
    summary: dict
    headlines: list[Chart]
    map: Map
    flows: Flows
    latest: list[Article]
    kinds: list[tuple[str, str]]


def overview(scope: Scope, map_kind: str) -> Overview:
    """The overview of the figures in `scope`, its map filled by `map_kind` (a Kind value)."""
    blocks = cached_blocks("overview", lambda: overview_charts(scope, map_kind), scope.filters(), map_kind)
    return Overview(
        summary=selectors.data_summary(scope), headlines=blocks.headlines, map=blocks.map, flows=blocks.flows,
        latest=selectors.latest_articles(), kinds=kind_options(),
    )


def overview_charts(scope: Scope, map_kind: str) -> OverviewCharts:
    donors = donor_names()
    donor_urls = {slug: reverse("articles:province", args=[slug]) for slug in donors}
    by_province = selectors.totals_by_province(scope)
    by_stage = selectors.totals_by_stage_and_province(scope)
    headlines = []
    for kind in HEADLINE_KINDS:
        of_kind = [t for t in by_province if t.kind == kind]
        family = selectors.dominant_family(of_kind)
        headline = kind_chart(f"headline-{kind}", of_kind, kind, family, donors, "province", donor_urls,
                              title=str(Kind(kind).label))
        headline.other_stages = other_stages(by_stage, scope.stage, kind, "province", donors)
        headlines.append(headline)
    headlines.append(planned_achieved_chart(scope, by_stage, donors, donor_urls))
    return OverviewCharts(
        headlines=headlines,
        map=map_block(scope.narrowed(kind=map_kind), donors),
        flows=flows_block(scope, donors, donor_urls),
    )


# Planned against achieved -----------------------------------------------------------------------------------

COMPARED_STAGES = (Stage.PLANNED, Stage.ACHIEVED)


def planned_achieved_chart(scope: Scope, by_stage: list[Total], donors, donor_urls) -> Chart:
    """Per donor, aid funding planned and achieved side by side (whatever the page's stage): each bar and
    each line of its table link to the explorer filtered to its figures (province, kind, stage)."""
    funding = [t for t in by_stage if t.kind == Kind.FUNDING and t.province and t.stage in COMPARED_STAGES]
    family = selectors.dominant_family(funding)
    unstaged = scope.narrowed(stage=None)
    totals = [replace(t, url=selectors.group_link(unstaged, t)) for t in funding if t.unit_family == family]
    labels = {stage: str(Stage(stage).label) for stage in COMPARED_STAGES}

    def donor(slug):
        return donors.get(slug, (slug, ""))[0]

    shown = sorted({t.province for t in totals}, key=lambda slug: -max(t.value for t in totals if t.province == slug))
    series = {stage: {donor(t.province): charts.Bar.of(donor(t.province), t, f"{donor(t.province)} · {labels[stage]}")
                      for t in totals if t.stage == stage} for stage in COMPARED_STAGES}
    rows = [Row(label=donor(t.province), alt=labels[t.stage], total=t, href=donor_urls.get(t.province))
            for slug in shown for stage in COMPARED_STAGES for t in totals if t.province == slug and t.stage == stage]
    figure = charts.stage_comparison_figure([donor(slug) for slug in shown], series[Stage.PLANNED],
                                            series[Stage.ACHIEVED], family)
    return chart("planned-achieved", figure, rows, family, title=_("Aid funding: planned and achieved"))


# The map ---------------------------------------------------------------------------------------------------

def map_block(scope: Scope, donors) -> Map:
    """The prefecture-level areas filled by the totals of the scope's kind; paired areas as donor markers."""
    totals = selectors.totals_by_prefecture(scope)
    family = selectors.dominant_family(totals)
    by_slug = {t.bucket: t for t in totals if t.unit_family == family and t.bucket}
    names = area_names()
    regions, rows = [], []
    for area in selectors.prefecture_level_areas():
        first, second = names[area["slug"]]
        total = by_slug.get(area["slug"])
        url = reverse("articles:area", args=[area["slug"]])
        lon, lat = seat(area)
        regions.append(charts.Region(area["slug"], f"{first} {second}", lon, lat, url,
                                     charts.Bar.of(first, total) if total else None))
        if total:
            rows.append(Row(label=first, alt=second, total=total, href=url))
    markers = [
        charts.Marker(
            donor=p["province__slug"], donor_label=donors.get(p["province__slug"], ("", ""))[0],
            label=bilingual(p["area__name_zh"], p["area__name_en"])[0],
            longitude=p["area__longitude"], latitude=p["area__latitude"],
            url=reverse("articles:area", args=[p["area__slug"]]),
        )
        for p in selectors.map_pairings() if p["area__longitude"] is not None and p["area__latitude"] is not None
    ]
    geojson = finders.find(GEOJSON)
    figure = charts.map_figure(regions, markers, charts.donor_colors(donors), family, str(Kind(scope.kind).label),
                               static(GEOJSON) if geojson else None)
    rows.sort(key=lambda r: r.total.value, reverse=True)
    drawable = bool(regions or markers)
    # Drawn even without a total: the areas and the pairings are worth seeing.
    return Map(
        id="map", figure=charts.figure_data(figure) if drawable else None, rows=rows, unit=unit_label(family),
        mixed=any(row.total.mixed_periods for row in rows), kind=scope.kind, has_shapes=bool(geojson),
        drawable=drawable,
    )


def seat(area) -> tuple[float | None, float | None]:
    """An area's coordinates, or the mean of its children's when it has none of its own."""
    if area["longitude"] is not None and area["latitude"] is not None:
        return area["longitude"], area["latitude"]
    tree = selectors.area_tree()
    points = [(tree[c]["longitude"], tree[c]["latitude"]) for c in area["children"]
              if tree[c]["longitude"] is not None and tree[c]["latitude"] is not None]
    if not points:
        return None, None
    return sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)


# The flows -------------------------------------------------------------------------------------------------

def flow_links(data: dict) -> list[tuple[Total, bool]]:
    """The links the Sankey and its table both show: (total, by funding) per donor and prefecture.

    A donor's funding where it has any; a donor without funding figures shows its number of figures instead.
    """
    funded = {t.province for t in data["funding"]}
    return [(t, True) for t in data["funding"] if t.province and t.bucket] + [
        (t, False) for t in data["figures"] if t.province and t.bucket and t.province not in funded]


def flows_block(scope: Scope, donors, donor_urls) -> Flows:
    data = selectors.donor_flows(scope)
    links = flow_links(data)
    flows = [charts.Flow(t.province, t.bucket, charts.Bar.of("", t), by_funding) for t, by_funding in links]
    areas = area_names()
    area_urls = {slug: reverse("articles:area", args=[slug]) for slug in areas}
    figure = charts.sankey_figure(
        flows, {k: v[0] for k, v in donors.items()}, {k: v[0] for k, v in areas.items()},
        charts.donor_colors(donors), data["family"], donor_urls, area_urls,
    )
    rows = [
        FlowRow(donor=donors.get(t.province, (t.province, ""))[0], area=areas.get(t.bucket, (t.bucket, ""))[0],
                total=t, by_funding=by_funding)
        for t, by_funding in links
    ]
    return Flows(id="flows", figure=charts.figure_data(figure) if flows else None, rows=rows,
                 unit=unit_label(data["family"]), any_counts=any(not by_funding for _t, by_funding in links))
