"""Plotly figures of the dashboard: plain data in, a `go.Figure` out; no queries, no HTTP.

Every trace carries `customdata = [url, hover text]` per element: the page's script opens the url on a click
(one metric → its paragraph, several → the explorer filtered to exactly them) and the hover names the number of
figures and sources behind the value.
"""

import json
from dataclasses import dataclass
from decimal import Decimal
from html import escape as _html_escape

import plotly.graph_objects as go
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .formatting import format_amount, part_percent, plain, scale, unit_label

FONT = ("system-ui, -apple-system, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', "
        "'Noto Sans CJK SC', 'WenQuanYi Micro Hei', sans-serif")
INK = "#1f2a36"
MUTED = "#5b6673"
ACCENT = "#2f5d7c"
GRID = "#e3e7eb"
# Muted, distinguishable colours for donors (assigned in slug order, so a donor keeps its colour everywhere).
PALETTE = [
    "#2f5d7c", "#b5562c", "#5b8a3c", "#8a4f7d", "#c49a2c", "#3d8c8c", "#9c3d3d", "#566a9c", "#7a6a4f",
    "#4f7a5a", "#b07aa1", "#6f8f2f", "#d08c60", "#44546a", "#a0522d", "#2e8b8b", "#8c6d31", "#6b4c9a",
    "#7f7f7f", "#3b6e99",
]


def escape(text) -> str:
    """Text for a chart: plotly.js reads a few HTML tags in labels and hover text, so <, > and & are
    escaped (it decodes these entities back for display; it does not know &quot;, so quotes stay as they are)."""
    return _html_escape(str(text), quote=False)


@dataclass(frozen=True)
class Bar:
    """One chart element: a label and what the total behind it says (value, figures, sources, link)."""

    label: str
    value: Decimal
    sign: str
    figures: int
    sources: int
    url: str
    period: str = ""
    mixed_periods: bool = False
    hover_label: str = ""
    verified_share: float | None = None  # of the total's value (selectors.Total.verified_share); None: not said
    verified_figures: int = 0

    @classmethod
    def of(cls, label, total, hover_label=""):
        return cls(label=label, value=total.value, sign=total.sign, figures=total.figures,
                   sources=total.sources, url=total.url, period=total.period,
                   mixed_periods=total.mixed_periods, hover_label=hover_label or label,
                   verified_share=total.verified_share, verified_figures=total.verified_figures)


def donor_colors(slugs) -> dict[str, str]:
    return {slug: PALETTE[i % len(PALETTE)] for i, slug in enumerate(sorted(slugs))}


def figures_and_sources(figures: int, sources: int) -> str:
    return _("%(figures)s, %(sources)s") % {
        "figures": ngettext("%(n)s figure", "%(n)s figures", figures) % {"n": figures},
        "sources": ngettext("%(n)s source", "%(n)s sources", sources) % {"n": sources},
    }


def hover_text(bar: Bar, family: str | None) -> str:
    lines = [f"<b>{escape(bar.hover_label)}</b>", escape(format_amount(bar.value, family, sign=bar.sign)),
             escape(figures_and_sources(bar.figures, bar.sources))]
    if bar.period:
        lines.append(escape(bar.period) + (" · " + _("mixed periods") if bar.mixed_periods else ""))
    if bar.verified_share is not None:
        lines.append(escape(_("%(share)s verified (%(checked)s of %(figures)s)") % {
            "share": part_percent(bar.verified_share), "checked": bar.verified_figures, "figures": bar.figures}))
    lines.append(_("Click to see the figures") if bar.figures > 1 else _("Click to open the paragraph"))
    return "<br>".join(lines)


def _axis_title(max_value, family) -> tuple[Decimal, str]:
    divisor, word = scale(max_value)
    unit = unit_label(family)
    title = f"{word}{unit}" if word and unit and not unit.isascii() else " ".join(p for p in (word, unit) if p)
    return divisor, title


def _value_range(values: list[float]) -> list[float] | None:
    """An axis range from zero with room past the largest bar for its text label (Plotly would clip it)."""
    top = max(values, default=0)
    return [0, top * 1.22] if top > 0 else None


def _layout(fig: go.Figure, height: int, **extra) -> go.Figure:
    fig.update_layout(
        template="none",
        height=height,
        autosize=True,
        margin={"l": 8, "r": 16, "t": 8, "b": 8},
        font={"family": FONT, "size": 13, "color": INK},
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        hoverlabel={"font": {"family": FONT}, "bgcolor": "white", "bordercolor": GRID},
        **{"showlegend": False, **extra},
    )
    return fig


def _bars_trace(bars: list[Bar], divisor: Decimal, family: str | None, horizontal: bool) -> go.Bar:
    """One bar per Bar, labelled with its value, each carrying its link and hover text."""
    labels, values = [escape(b.label) for b in bars], [float(b.value / divisor) for b in bars]
    return go.Bar(
        orientation="h" if horizontal else "v",
        x=values if horizontal else labels,
        y=labels if horizontal else values,
        text=[b.sign + plain(b.value / divisor) for b in bars],
        textposition="outside",
        cliponaxis=False,
        marker={"color": ACCENT},
        customdata=[[b.url, hover_text(b, family)] for b in bars],
        hovertemplate="%{customdata[1]}<extra></extra>",
    )


def bar_figure(bars: list[Bar], family: str | None) -> go.Figure:
    """Horizontal bars, largest first: totals of one kind and unit family by donor, sector or area."""
    bars = sorted(bars, key=lambda b: b.value)
    divisor, axis_title = _axis_title(max((b.value for b in bars), default=0), family)
    fig = go.Figure(_bars_trace(bars, divisor, family, horizontal=True))
    _layout(fig, height=max(160, 60 + 30 * len(bars)))
    fig.update_xaxes(title={"text": axis_title}, gridcolor=GRID, zeroline=False, automargin=True,
                     rangemode="tozero", range=_value_range(list(fig.data[0].x or [])))
    fig.update_yaxes(automargin=True, ticksuffix="  ")
    return fig


def grouped_bar_figure(categories: list[str], series: list[tuple[str, str, dict]], family: str | None) -> go.Figure:
    """Grouped horizontal bars: one group per category (sector), one bar per series (donor).

    `series` is [(name, colour, {category: Bar})].
    """
    max_value = max((bar.value for _n, _c, bars in series for bar in bars.values()), default=0)
    divisor, axis_title = _axis_title(max_value, family)
    fig = go.Figure()
    for name, color, bars in series:
        shown = [c for c in categories if c in bars]
        fig.add_trace(go.Bar(
            name=escape(name),
            orientation="h",
            y=[escape(c) for c in shown],
            x=[float(bars[c].value / divisor) for c in shown],
            marker={"color": color},
            customdata=[[bars[c].url, hover_text(bars[c], family)] for c in shown],
            hovertemplate="%{customdata[1]}<extra></extra>",
        ))
    rows = len(categories) * max(1, min(len(series), 6))
    # The legend goes above the plot: below it, it would cover the axis title.
    _layout(fig, height=max(220, 110 + 18 * rows), barmode="group", showlegend=len(series) > 1,
            legend={"orientation": "h", "y": 1.0, "x": 0, "yanchor": "bottom"})
    if len(series) > 1:
        fig.update_layout(margin={"t": 40})
    fig.update_xaxes(title={"text": axis_title}, gridcolor=GRID, zeroline=False, rangemode="tozero", automargin=True)
    fig.update_yaxes(automargin=True, ticksuffix="  ", categoryorder="array",
                     categoryarray=[escape(c) for c in reversed(categories)])
    return fig


# A plan is drawn pale, what was done in full: the pair reads as "how much of the plan is done".
STAGE_COLORS = {"planned": "#a9c1d3", "achieved": ACCENT}


def stage_comparison_figure(donors: list[str], planned: dict[str, Bar], achieved: dict[str, Bar],
                            family: str | None) -> go.Figure:
    """Per donor, the planned and the achieved total side by side (grouped bars, donors in the given order).

    `planned` and `achieved` map a donor's label to its Bar; a donor may have either or both.
    """
    return grouped_bar_figure(donors, [
        (_("planned"), STAGE_COLORS["planned"], planned),
        (_("achieved"), STAGE_COLORS["achieved"], achieved),
    ], family)


def timeline_figure(bars: list[Bar], family: str | None) -> go.Figure:
    """Columns by year (the end of each figure's period); the label of each Bar is its year."""
    bars = sorted(bars, key=lambda b: b.label)
    divisor, axis_title = _axis_title(max((b.value for b in bars), default=0), family)
    fig = go.Figure(_bars_trace(bars, divisor, family, horizontal=False))
    _layout(fig, height=260)
    fig.update_xaxes(type="category", automargin=True)
    fig.update_yaxes(title={"text": axis_title}, gridcolor=GRID, zeroline=False, automargin=True, rangemode="tozero",
                     range=_value_range(list(fig.data[0].y or [])))
    return fig


@dataclass(frozen=True)
class Flow:
    """A donor → prefecture link; `by_funding` False means its value is a number of figures."""

    donor: str
    area: str
    bar: Bar
    by_funding: bool


def sankey_figure(flows: list[Flow], donor_labels: dict, area_labels: dict, colors: dict,
                  family: str | None, donor_urls: dict, area_urls: dict) -> go.Figure:
    """Donor provinces (left) to the prefectures they support (right).

    Funding flows of a donor are in the funding unit; a donor without funding figures shows the number of
    its figures instead (drawn with hatched links and labelled so in the hover text).
    """
    donors = sorted({f.donor for f in flows}, key=lambda d: donor_labels.get(d, d))
    areas = sorted({f.area for f in flows}, key=lambda a: area_labels.get(a, a))
    index = {("d", d): i for i, d in enumerate(donors)}
    index.update({("a", a): len(donors) + i for i, a in enumerate(areas)})
    # Funding and counts are unlike things: scale counts so the widest count link is as wide as the median
    # funding link; the hover says which is which, the widths only order the links of one donor.
    funding = sorted(float(f.bar.value) for f in flows if f.by_funding)
    count_scale = (funding[len(funding) // 2] if funding else 1.0) / max(
        [f.bar.figures for f in flows if not f.by_funding] or [1])

    def hover(flow: Flow) -> str:
        donor, area = donor_labels.get(flow.donor, flow.donor), area_labels.get(flow.area, flow.area)
        head = f"<b>{escape(donor)} → {escape(area)}</b>"
        if flow.by_funding:
            what = escape(format_amount(flow.bar.value, family, sign=flow.bar.sign)) + " · " + _("aid funding")
        else:
            what = _("no funding figure: width = number of figures")
        return "<br>".join([head, what, escape(figures_and_sources(flow.bar.figures, flow.bar.sources))])

    fig = go.Figure(go.Sankey(
        arrangement="snap",
        node={
            "label": [escape(donor_labels.get(d, d)) for d in donors] + [escape(area_labels.get(a, a)) for a in areas],
            "color": [colors.get(d, ACCENT) for d in donors] + ["#9aa5b1"] * len(areas),
            "pad": 10, "thickness": 14, "line": {"width": 0},
            "customdata": [[donor_urls.get(d, ""), escape(donor_labels.get(d, d))] for d in donors]
            + [[area_urls.get(a, ""), escape(area_labels.get(a, a))] for a in areas],
            "hovertemplate": "%{customdata[1]}<extra></extra>",
        },
        link={
            "source": [index[("d", f.donor)] for f in flows],
            "target": [index[("a", f.area)] for f in flows],
            "value": [float(f.bar.value) if f.by_funding else f.bar.figures * count_scale for f in flows],
            "color": [_fade(colors.get(f.donor, ACCENT), 0.45 if f.by_funding else 0.18) for f in flows],
            "customdata": [[f.bar.url, hover(f)] for f in flows],
            "hovertemplate": "%{customdata[1]}<extra></extra>",
        },
    ))
    return _layout(fig, height=max(320, 22 * max(len(donors), len(areas)) + 40))


def _fade(hex_color: str, alpha: float) -> str:
    r, g, b = (int(hex_color[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


@dataclass(frozen=True)
class Region:
    slug: str
    label: str
    longitude: float | None
    latitude: float | None
    url: str
    bar: Bar | None


@dataclass(frozen=True)
class Marker:
    donor: str
    donor_label: str
    label: str
    longitude: float
    latitude: float
    url: str


XINJIANG_LONGITUDES = [73.3, 96.5]
XINJIANG_LATITUDES = [34.2, 49.3]


def map_figure(regions: list[Region], markers: list[Marker], colors: dict, family: str | None,
               kind_label: str, geojson_url: str | None) -> go.Figure:
    """Xinjiang's prefecture-level areas filled by the chosen kind, paired areas as markers coloured by donor.

    Without a GeoJSON file the regions are drawn as circles at their seats, sized by the value.
    Drawn offline: no base map (geo.visible False), the view fitted to the shapes or the markers.
    """
    fig = go.Figure()
    with_data = [r for r in regions if r.bar is not None]

    def region_hover(region):
        lines = [f"<b>{escape(region.label)}</b>"]
        if region.bar:
            value = format_amount(region.bar.value, family, sign=region.bar.sign)
            lines += [escape(_("%(kind)s: %(value)s") % {"kind": kind_label, "value": value}),
                      escape(figures_and_sources(region.bar.figures, region.bar.sources))]
        else:
            lines.append(escape(_("%(kind)s: %(value)s") % {"kind": kind_label, "value": _("no figures")}))
        return "<br>".join(lines + [_("Click to open the area")])

    if geojson_url:
        fig.add_trace(go.Choropleth(
            geojson=geojson_url, featureidkey="id", locationmode="geojson-id",
            locations=[r.slug for r in regions],
            z=[float(r.bar.value) if r.bar else 0 for r in regions],
            colorscale=[[0, "#f1f4f6"], [0.001, "#dce6ee"], [1, "#2f5d7c"]],
            marker={"line": {"color": "white", "width": 1}},
            showscale=False,
            customdata=[[r.url, region_hover(r)] for r in regions],
            hovertemplate="%{customdata[1]}<extra></extra>",
        ))
    else:
        placed = [r for r in with_data if r.longitude is not None and r.latitude is not None]
        largest = max((float(r.bar.value) for r in placed), default=1.0) or 1.0
        fig.add_trace(go.Scattergeo(
            lon=[r.longitude for r in placed], lat=[r.latitude for r in placed],
            mode="markers",
            marker={"size": [10 + 40 * (float(r.bar.value) / largest) ** 0.5 for r in placed],
                    "color": "rgba(47,93,124,0.25)", "line": {"color": ACCENT, "width": 1}},
            customdata=[[r.url, region_hover(r)] for r in placed],
            hovertemplate="%{customdata[1]}<extra></extra>",
            name=escape(kind_label), showlegend=False,
        ))
    for donor in sorted({m.donor for m in markers}):
        mine = [m for m in markers if m.donor == donor]
        fig.add_trace(go.Scattergeo(
            lon=[m.longitude for m in mine], lat=[m.latitude for m in mine],
            mode="markers", name=escape(mine[0].donor_label),
            marker={"size": 8, "color": colors.get(donor, ACCENT), "line": {"color": "white", "width": 1}},
            customdata=[[m.url, f"<b>{escape(m.label)}</b><br>"
                         + escape(_("paired with %(donor)s") % {"donor": m.donor_label})] for m in mine],
            hovertemplate="%{customdata[1]}<extra></extra>",
        ))
    _layout(fig, height=540, showlegend=bool(markers),
            legend={"orientation": "h", "y": 0, "x": 0, "yanchor": "top", "font": {"size": 11}})
    # Fixed ranges around Xinjiang fill the plot; fitbounds leaves most of it empty.
    fig.update_geos(visible=False, projection_type="mercator", bgcolor="rgba(0,0,0,0)",
                    lonaxis_range=XINJIANG_LONGITUDES, lataxis_range=XINJIANG_LATITUDES,
                    domain={"x": [0, 1], "y": [0.12, 1]} if markers else {"x": [0, 1], "y": [0, 1]})
    return fig


def figure_data(fig: go.Figure) -> dict:
    """The figure as plain JSON data for `json_script` (plotly.js draws it from there)."""
    return json.loads(fig.to_json())
