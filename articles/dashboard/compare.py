"""/compare/'s data: chosen donors on one kind, by donor and by sector, each chart with its table."""

from dataclasses import dataclass

from django.urls import reverse

from .. import charts, selectors
from ..choices import Sector
from ..formatting import NON_ADDITIVE_FAMILIES, family_label
from ..models import Province
from ..selectors import Scope
from .blocks import (
    Block,
    Chart,
    Page,
    Row,
    cached_blocks,
    chart,
    chosen_family,
    chosen_kind,
    donor_names,
    field_values,
    kind_chart,
    kind_options,
    other_stages,
)


@dataclass
class CompareCharts(Block):
    """The comparison of one kind in one unit family, cached per data version, language and scope."""

    kind: str
    family: str | None
    families: list[tuple[str, str]]
    province_chart: Chart
    sector_chart: Chart
    non_additive: bool


@dataclass
class Compare(CompareCharts, Page):
    """The cached comparison's fields, then the page's own: the donors to choose from and those chosen."""

    provinces: list[Province]
    chosen: set[str]
    kinds: list[tuple[str, str]]


def compare(scope: Scope, asked_kind: str | None, asked_unit: str | None) -> Compare:
    """The donors of `scope` (none: all) on the kind and unit asked for, else those with most figures."""
    scope = scope.narrowed(kind=chosen_kind(asked_kind, selectors.totals_by_kind(scope)))
    by_province = selectors.totals_by_province(scope)
    family = chosen_family(asked_unit, by_province)
    blocks = cached_blocks("compare", lambda: compare_charts(scope, by_province, family), scope.filters(), family)
    return Compare(
        provinces=selectors.donor_provinces(), chosen=set(scope.provinces), kinds=kind_options(),
        **field_values(blocks),
    )


def compare_charts(scope: Scope, by_province, family) -> CompareCharts:
    donors = donor_names()
    donor_urls = {slug: reverse("articles:province", args=[slug]) for slug in donors}
    province_chart = kind_chart("by-province", by_province, scope.kind, family, donors, "province", donor_urls)
    province_chart.other_stages = other_stages(
        selectors.totals_by_stage_and_province(scope), scope.stage, scope.kind, "province", donors)
    families = sorted({t.unit_family for t in by_province if t.kind == scope.kind})
    return CompareCharts(
        kind=scope.kind, family=family, families=[(f, family_label(f)) for f in families],
        province_chart=province_chart, sector_chart=sector_chart(scope, family, donors),
        non_additive=family in NON_ADDITIVE_FAMILIES,
    )


def sector_chart(scope: Scope, family, donors) -> Chart:
    """Grouped bars: one group per sector, one bar per donor; the table lists each sector and donor."""
    by_sector = [t for t in selectors.totals_by_sector_and_province(scope) if t.unit_family == family]
    sectors = [value for value in Sector.values if any(t.sector == value for t in by_sector)]
    sector_names = {value: str(label) for value, label in Sector.choices}
    colors = charts.donor_colors(donors)

    def donor(slug):
        return donors.get(slug, (slug, ""))[0]

    shown = sorted({t.province for t in by_sector if t.province}, key=donor)
    series = [
        (donor(slug), colors.get(slug, charts.ACCENT),
         {sector_names[t.sector]: charts.Bar.of(sector_names[t.sector], t, f"{donor(slug)} · {sector_names[t.sector]}")
          for t in by_sector if t.province == slug})
        for slug in shown
    ]
    rows = sorted(
        (Row(label=sector_names[t.sector], alt=donor(t.province), total=t) for t in by_sector if t.province),
        key=lambda r: (Sector.values.index(r.total.sector), -r.total.value),
    )
    figure = charts.grouped_bar_figure([sector_names[s] for s in sectors], series, family)
    return chart("by-sector", figure, rows, family)
