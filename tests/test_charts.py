"""The figure builders called directly: data in, Plotly figure out, no database and no page."""

from decimal import Decimal

import pytest
from django.utils import translation

from articles import charts
from articles.selectors import Total


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def bar(label="Jiangsu", value=1_200_000_000, sign="", figures=1, sources=1, url="/articles/1/?metric=7#p-0",
        period="2023", mixed=False, hover_label=""):
    return charts.Bar(label, Decimal(value), sign, figures, sources, url, period, mixed, hover_label or label)


def total(value, more_than=0, about=0, figures=1, year_from=2023, year_to=2023, mixed=False):
    return Total(group={"kind": "funding", "unit_family": "money"}, value=Decimal(value), figures=figures,
                 sources=1, more_than=more_than, about=about, year_from=year_from, year_to=year_to,
                 mixed_periods=mixed, url="/metrics/?ids=1,2")


def test_bar_figure_links_each_bar_to_its_figures_and_names_them_in_the_hover():
    one = bar("Jiangsu", 1_200_000_000, url="/articles/3/?metric=7#p-0", sources=2)
    many = bar("Shanghai", 500_000_000, figures=4, sources=3, url="/metrics/?ids=1,2,5,9")
    trace = charts.bar_figure([one, many], "money").data[0]
    # Largest last: Plotly draws horizontal bars bottom-up, so the largest ends on top.
    assert list(trace.y) == ["Shanghai", "Jiangsu"]
    assert [row[0] for row in trace.customdata] == ["/metrics/?ids=1,2,5,9", "/articles/3/?metric=7#p-0"]
    assert trace.hovertemplate == "%{customdata[1]}<extra></extra>"
    shanghai, jiangsu = (row[1] for row in trace.customdata)
    assert "4 figures, 3 sources" in shanghai and "Click to see the figures" in shanghai
    assert "1 figure, 2 sources" in jiangsu and "Click to open the paragraph" in jiangsu


def test_bar_figure_scales_to_one_unit_and_labels_the_axis_with_it():
    fig = charts.bar_figure([bar(value=1_200_000_000), bar("Shanghai", 500_000_000)], "money")
    assert fig.layout.xaxis.title.text == "billion yuan"
    assert list(fig.data[0].x) == [0.5, 1.2]
    assert list(fig.data[0].text) == ["0.5", "1.2"]
    # Room past the longest bar for its label.
    assert fig.layout.xaxis.range[1] > 1.2


def test_bar_figure_in_chinese_uses_yi_and_the_chinese_unit():
    with translation.override("zh-hans"):
        fig = charts.bar_figure([bar(value=1_200_000_000)], "money")
        assert fig.layout.xaxis.title.text == "亿元"
        assert "12亿元" in fig.data[0].customdata[0][1]


def test_lower_bound_totals_are_marked_with_greater_or_equal():
    assert total(3000, more_than=1).sign == "≥"
    assert total(3000, about=1, more_than=1).sign == "≈"
    assert total(3000).sign == ""
    fig = charts.bar_figure([charts.Bar.of("Jiangsu", total(3000, more_than=1))], "people")
    assert list(fig.data[0].text) == ["≥3,000"]
    assert "≥3,000 people" in fig.data[0].customdata[0][1]


def test_hover_text_says_when_a_total_mixes_periods():
    text = charts.hover_text(bar(period="2021–2023", mixed=True, figures=2), "money")
    assert "2021–2023 · mixed periods" in text


def test_chart_text_escapes_names():
    hostile = '<img src=x onerror="alert(1)">'
    text = charts.hover_text(bar(hover_label=hostile), "money")
    assert "<img" not in text
    assert '&lt;img src=x onerror="alert(1)"&gt;' in text
    trace = charts.bar_figure([bar(label=hostile)], "money").data[0]
    assert list(trace.y) == ['&lt;img src=x onerror="alert(1)"&gt;']
    sankey = charts.sankey_figure([charts.Flow("d", "a", bar(), True)], {"d": hostile}, {"a": "A & B"}, {},
                                  "money", {}, {}).data[0]
    assert list(sankey.node.label) == ['&lt;img src=x onerror="alert(1)"&gt;', "A &amp; B"]


def test_total_period_never_shows_none():
    assert total(1, year_from=2023, year_to=None).period == "2023"
    assert total(1, year_from=None, year_to=2024).period == "2024"
    assert total(1, year_from=2021, year_to=2023).period == "2021–2023"
    assert total(1, year_from=None, year_to=None).period == ""


def test_timeline_orders_years_and_links_each_column():
    bars = [bar("2024", 3, url="/a/"), bar("2022", 5, url="/b/")]
    trace = charts.timeline_figure(bars, "count").data[0]
    assert list(trace.x) == ["2022", "2024"]
    assert [row[0] for row in trace.customdata] == ["/b/", "/a/"]


def test_grouped_bars_keep_one_trace_per_donor_and_one_unit():
    series = [
        ("Jiangsu", "#111111", {"Industry": bar("Industry", 200_000_000, url="/j/")}),
        ("Shanghai", "#222222", {"Industry": bar("Industry", 100_000_000, url="/s1/"),
                                 "Health": bar("Health", 50_000_000, url="/s2/")}),
    ]
    fig = charts.grouped_bar_figure(["Industry", "Health"], series, "money")
    assert [trace.name for trace in fig.data] == ["Jiangsu", "Shanghai"]
    assert list(fig.data[1].y) == ["Industry", "Health"]
    assert [row[0] for row in fig.data[1].customdata] == ["/s1/", "/s2/"]
    assert fig.layout.xaxis.title.text == "million yuan"
    assert fig.layout.legend.yanchor == "bottom"  # above the plot, clear of the axis title


def test_sankey_separates_funding_links_from_figure_counts():
    flows = [
        charts.Flow("jiangsu", "yili", bar(value=1_200_000_000, url="/f/"), True),
        charts.Flow("shanghai", "kashgar", bar(value=0, figures=3, sources=2, url="/c/"), False),
    ]
    fig = charts.sankey_figure(flows, {"jiangsu": "Jiangsu", "shanghai": "Shanghai"},
                               {"yili": "Ili", "kashgar": "Kashgar"}, {"jiangsu": "#2f5d7c"}, "money",
                               {"jiangsu": "/provinces/jiangsu/"}, {"yili": "/areas/yili/"})
    sankey = fig.data[0]
    assert list(sankey.node.label) == ["Jiangsu", "Shanghai", "Ili", "Kashgar"]
    assert [row[0] for row in sankey.link.customdata] == ["/f/", "/c/"]
    funding_hover, count_hover = (row[1] for row in sankey.link.customdata)
    assert "1.2 billion yuan" in funding_hover and "aid funding" in funding_hover
    assert "width = number of figures" in count_hover and "3 figures, 2 sources" in count_hover
    assert sankey.node.customdata[0][0] == "/provinces/jiangsu/"


def test_map_draws_regions_from_the_local_geojson_without_a_base_map():
    regions = [
        charts.Region("yili-zhou", "Ili 伊犁州", 81.3, 43.9, "/areas/yili-zhou/", bar(figures=2, url="/m/")),
        charts.Region("hami-shi", "Hami 哈密市", 93.5, 42.8, "/areas/hami-shi/", None),
    ]
    markers = [charts.Marker("jiangsu", "Jiangsu", "Yining County", 81.5, 43.98, "/areas/yining-xian/")]
    fig = charts.map_figure(regions, markers, {"jiangsu": "#2f5d7c"}, "money", "Aid funding",
                            "/static/geo/xinjiang_prefectures.geojson")
    choropleth, dots = fig.data
    assert choropleth.type == "choropleth" and choropleth.geojson == "/static/geo/xinjiang_prefectures.geojson"
    assert list(choropleth.locations) == ["yili-zhou", "hami-shi"]
    assert [row[0] for row in choropleth.customdata] == ["/areas/yili-zhou/", "/areas/hami-shi/"]
    assert "2 figures, 1 source" in choropleth.customdata[0][1]
    assert "no figures" in choropleth.customdata[1][1]
    assert dots.customdata[0][0] == "/areas/yining-xian/"
    assert fig.layout.geo.visible is False  # no base map: nothing to fetch
    assert list(fig.layout.geo.lonaxis.range) == charts.XINJIANG_LONGITUDES


def test_map_without_shapes_sizes_circles_at_the_seats():
    regions = [charts.Region("yili-zhou", "Ili", 81.3, 43.9, "/areas/yili-zhou/", bar())]
    fig = charts.map_figure(regions, [], {}, "money", "Aid funding", None)
    assert fig.data[0].type == "scattergeo" and list(fig.data[0].lon) == [81.3]
    assert list(fig.layout.geo.lataxis.range) == charts.XINJIANG_LATITUDES


def test_figure_data_is_plain_json():
    data = charts.figure_data(charts.bar_figure([bar()], "money"))
    assert data["data"][0]["customdata"][0][0] == "/articles/1/?metric=7#p-0"
    assert isinstance(data["data"][0]["x"], list)
