"""No total on any page adds figures of two stages (issue 12): each shown total is the sum over the page's one
stage, the switch is kept in the address and by every link, and the pages say what only other stages have."""

import csv
import io
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import translation

from articles import dashboard
from articles.choices import Kind, Stage
from articles.context_processors import PAGE_STAGES
from articles.filters import MetricFilterSet
from articles.models import Metric
from articles.selectors import Scope
from articles.warm import warm_paths
from tests.factories import make_article, make_metric, make_sample_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_staged_world()


def make_staged_world():
    """The sample world (achieved) with plans, commitments and a figure of unknown stage beside its figures.

    江苏 plans 30亿 and commits 5亿 for 伊宁县 besides the 12亿 it spent; 上海 plans 8亿 and 3000 jobs for
    莎车县 and has 1亿 of unknown stage; 浙江 has only a plan, 2亿 for 第一师.
    """
    world = make_sample_world()
    e = make_article("援疆计划", paragraphs=["计划投入援疆资金30亿元。", "安排援疆资金5亿元。",
                                         "计划投入8亿元，新增就业3000人。", "19个援疆省市资金1亿元。",
                                         "浙江拟投入2亿元。"])
    world.planned_jiangsu = make_metric(e, "30亿元", 3_000_000_000, province=world.jiangsu, area=world.yining,
                                        stage=Stage.PLANNED, year_end=2025)
    world.committed_jiangsu = make_metric(e, "5亿元", 500_000_000, paragraph=1, province=world.jiangsu,
                                          area=world.yining, stage=Stage.COMMITTED, year_end=2024)
    world.planned_shanghai = make_metric(e, "8亿元", 800_000_000, paragraph=2, province=world.shanghai,
                                         area=world.shache, stage=Stage.PLANNED, year_end=2025)
    world.planned_jobs = make_metric(e, "3000人", 3000, paragraph=2, kind=Kind.JOBS, unit_family="people",
                                     unit="人", province=world.shanghai, area=world.shache, stage=Stage.PLANNED,
                                     year_end=2025)
    world.unknown_shanghai = make_metric(e, "1亿元", 100_000_000, paragraph=3, province=world.shanghai,
                                         area=world.shache, stage=Stage.UNKNOWN, year_end=2024)
    world.planned_zhejiang = make_metric(e, "2亿元", 200_000_000, paragraph=4, province=world.zhejiang,
                                         area=world.first_division, stage=Stage.PLANNED, year_end=2025)
    return world


@pytest.fixture
def en(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def figures_behind(url: str) -> list[Metric]:
    """The figures a total's link opens: its paragraph's figure, its ids, or the explorer filter it names."""
    parts = urlsplit(url)
    query = {key: values if key == "province" else values[0] for key, values in parse_qs(parts.query).items()}
    if parts.path.startswith("/articles/"):
        return [Metric.objects.get(pk=query["metric"])]
    assert parts.path == "/metrics/", url
    filterset = MetricFilterSet(query, queryset=Metric.objects.all())
    assert filterset.is_valid(), filterset.errors
    return list(filterset.qs)


def assert_one_stage(totals, stage):
    """Each total is the sum of the figures behind it, all of `stage` (facts only: duplicates are not summed)."""
    assert totals, "nothing shown"
    for total in totals:
        behind = [m for m in figures_behind(total.url) if m.duplicate_of_id is None]
        assert {m.stage for m in behind} == {stage}, total.url
        assert sum(m.value for m in behind) == total.value and len(behind) == total.figures, total.url


def funding_sum(province, stage=None) -> Decimal:
    counted = Metric.objects.counted().filter(province=province, kind=Kind.FUNDING)
    return sum(m.value for m in (counted.filter(stage=stage) if stage else counted))


def rows_of(block):
    return [row.total for row in block.rows]


# Every page, every stage --------------------------------------------------------------------------------------

@pytest.mark.parametrize("stage", PAGE_STAGES)
def test_the_overview_totals_are_each_of_the_chosen_stage(en, world, stage):
    response = en.get("/", {"stage": stage} if stage != Stage.ACHIEVED else {})
    headlines = {block.id: block for block in response.context["headlines"]}
    funding = headlines["headline-funding"]
    assert_one_stage(rows_of(funding), stage)
    assert_one_stage(rows_of(response.context["map"]), stage)
    assert_one_stage([row.total for row in response.context["flows"].rows if row.by_funding], stage)
    assert response.context["summary"]["metrics"] == Metric.objects.counted().filter(stage=stage).count()
    shown = {t.province: t.value for t in rows_of(funding)}
    assert shown["jiangsu"] == funding_sum(world.jiangsu, stage)


def test_a_total_that_added_every_stage_would_differ(en, world):
    shown = {t.province: t.value for t in rows_of(
        next(b for b in en.get("/").context["headlines"] if b.id == "headline-funding"))}
    assert shown["jiangsu"] == Decimal("1200000000")
    assert funding_sum(world.jiangsu) == Decimal("4700000000") != shown["jiangsu"]
    assert funding_sum(world.shanghai) != shown["shanghai"]


@pytest.mark.parametrize("stage", PAGE_STAGES)
def test_compare_totals_are_each_of_the_chosen_stage(en, world, stage):
    response = en.get("/compare/", {"kind": "funding", "stage": stage})
    assert_one_stage(rows_of(response.context["province_chart"]), stage)
    assert_one_stage(rows_of(response.context["sector_chart"]), stage)


@pytest.mark.parametrize("stage", PAGE_STAGES)
@pytest.mark.parametrize("url", ["/provinces/jiangsu/", "/provinces/shanghai/", "/areas/xinjiang/", "/areas/yili/"])
def test_donor_and_area_totals_are_each_of_the_chosen_stage(en, world, url, stage):
    response = en.get(url, {"kind": "funding", "stage": stage})
    if response.context["kind_totals"]:
        assert_one_stage(response.context["kind_totals"], stage)
        assert_one_stage(rows_of(response.context["sector_chart"]), stage)
        assert_one_stage(rows_of(response.context["time_chart"]), stage)
    if response.context.get("child_chart") and response.context["child_chart"].rows:
        assert_one_stage(rows_of(response.context["child_chart"]), stage)


def test_the_donor_page_timeline_shows_the_plan_only_when_asked(en, world):
    achieved = en.get("/provinces/jiangsu/", {"kind": "funding"}).context["time_chart"]
    planned = en.get("/provinces/jiangsu/", {"kind": "funding", "stage": "planned"}).context["time_chart"]
    assert [(r.label, r.total.value) for r in achieved.rows] == [("2023", Decimal("1200000000"))]
    assert [(r.label, r.total.value) for r in planned.rows] == [("2025", Decimal("3000000000"))]


# What only other stages have; what has no stage ---------------------------------------------------------------

def test_a_donor_with_only_planned_figures_is_named_not_shown_as_nothing(en, world):
    funding = next(b for b in en.get("/").context["headlines"] if b.id == "headline-funding")
    others = [(o.label, o.stage, o.total.value) for o in funding.other_stages]
    assert others == [("Zhejiang", "planned", Decimal("200000000"))]
    page = en.get("/provinces/zhejiang/", {"kind": "funding"})
    assert [(o.stage, o.total.value) for o in page.context["kind_other_stages"]] == [("planned", Decimal("200000000"))]
    html = page.content.decode()
    assert "Aid funding: only planned figures, 200 million yuan" in html
    assert f'href="{page.context["kind_other_stages"][0].total.url}"' in html
    assert "No achieved figures of this kind." in html


def test_each_kind_a_stage_has_none_of_is_named_with_its_other_stages(en, world):
    assert en.get("/provinces/shanghai/").context["other_stages"] == []
    others = en.get("/provinces/shanghai/", {"stage": "committed"}).context["other_stages"]
    named = [(o.label, o.stage, o.total.value) for o in others]
    assert ("Aid funding", "achieved", Decimal("500000000")) in named
    assert ("Aid funding", "planned", Decimal("800000000")) in named
    assert ("Jobs", "planned", Decimal("3000")) in named
    assert all(o.stage != Stage.UNKNOWN for o in others)


def test_figures_of_unknown_stage_are_counted_apart_and_linked(en, world):
    response = en.get("/")
    assert response.context["summary"]["unknown"] == 1
    html = response.content.decode()
    assert "1 counted figure is of unknown stage" in html or "One counted figure is of unknown stage" in html
    assert 'href="/metrics/?counted=1&amp;stage=unknown"' in html
    donor = en.get("/provinces/shanghai/")
    assert donor.context["unknown_figures"] == 1
    assert {m.pk for m in figures_behind(donor.context["unknown_url"])} == {world.unknown_shanghai.pk}


# Planned against achieved -------------------------------------------------------------------------------------

def test_the_overview_sets_planned_funding_beside_achieved_per_donor(en, world):
    for stage in PAGE_STAGES:  # whatever the page's stage
        chart = next(b for b in en.get("/", {"stage": stage}).context["headlines"] if b.id == "planned-achieved")
        rows = [(row.total.province, row.total.stage, row.total.value) for row in chart.rows]
        assert rows == [("jiangsu", "planned", Decimal("3000000000")), ("jiangsu", "achieved", Decimal("1200000000")),
                        ("shanghai", "planned", Decimal("800000000")), ("shanghai", "achieved", Decimal("500000000")),
                        ("zhejiang", "planned", Decimal("200000000"))]
    traces = chart.figure["data"]
    assert [trace["name"] for trace in traces] == ["planned", "achieved"]
    assert traces[0]["customdata"][0][0] == (
        "/metrics/?counted=1&kind=funding&province=jiangsu&stage=planned&unit_family=yuan")
    for row in chart.rows:
        assert_one_stage([row.total], row.total.stage)
        assert f"stage={row.total.stage}" in row.total.url and "kind=funding" in row.total.url


def test_the_planned_achieved_chart_keeps_verified_only(en, world):
    chart = next(b for b in en.get("/?verified=1").context["headlines"] if b.id == "planned-achieved")
    assert [(row.total.province, row.total.stage) for row in chart.rows] == [("jiangsu", "achieved")]
    assert "verified=1" in chart.rows[0].total.url


def test_the_blocks_with_the_new_chart_serialise(world):
    page = dashboard.overview(Scope(stage=Stage.PLANNED), Kind.FUNDING)
    data = [block.as_dict() for block in page.headlines]
    chart = next(block for block in data if block["id"] == "planned-achieved")
    assert chart["rows"][0]["total"]["group"] == {"stage": "planned", "province": "jiangsu", "kind": "funding",
                                                  "unit_family": "yuan"}
    funding = next(block for block in data if block["id"] == "headline-funding")
    assert funding["other_stages"] == []
    achieved = dashboard.overview(Scope(stage=Stage.ACHIEVED), Kind.FUNDING).headlines[0].as_dict()
    assert achieved["other_stages"][0]["stage"] == "planned"
    assert achieved["other_stages"][0]["total"]["value"] == "200000000"


# The switch, its address, its links, the cache ----------------------------------------------------------------

@pytest.mark.parametrize("url", ["/", "/compare/", "/provinces/jiangsu/", "/areas/yili/"])
@pytest.mark.parametrize("stage", ["unknown", "spent", "ACHIEVED"])
def test_a_stage_a_page_does_not_show_is_refused(en, world, url, stage):
    assert en.get(url, {"stage": stage}).status_code == 400


def test_a_stage_given_twice_is_refused(en, world):
    assert en.get("/?stage=planned&stage=achieved").status_code == 400


def test_the_switch_links_each_stage_and_keeps_the_other_parameters(en, world):
    html = en.get("/?map_kind=jobs&verified=1").content.decode()
    assert 'data-stage="planned" href="?map_kind=jobs&amp;verified=1&amp;stage=planned"' in html
    assert 'class="switch on" data-stage="achieved"' in html
    planned = en.get("/?stage=planned").content.decode()
    assert 'data-stage="achieved" href="?"' in planned  # the default's address is the plain one
    assert 'class="switch on" data-stage="planned"' in planned


def test_links_between_pages_and_forms_keep_the_stage(en, world):
    html = en.get("/?stage=committed").content.decode()
    assert 'href="/compare/?stage=committed"' in html
    assert 'href="/provinces/jiangsu/?stage=committed"' in html
    assert '<input type="hidden" name="stage" value="committed">' in html
    assert 'href="/compare/?verified=1&amp;stage=committed"' in en.get("/?stage=committed&verified=1").content.decode()
    default = en.get("/").content.decode()
    assert 'href="/compare/"' in default and 'href="/provinces/jiangsu/"' in default


def test_the_csv_link_holds_exactly_the_stage_s_counted_figures(en, world):
    for stage in PAGE_STAGES:
        html = en.get("/", {"stage": stage} if stage != Stage.ACHIEVED else {}).content.decode()
        href = html.split('class="csv-link" href="')[1].split('"')[0].replace("&amp;", "&")
        response = en.get(href)
        rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode().lstrip("\ufeff"))))
        assert {row["stage"] for row in rows} == {stage}
        assert len(rows) == Metric.objects.counted().filter(stage=stage).count()


def test_each_stage_of_the_overview_is_cached_whole_under_its_own_address(en, world):
    achieved = en.get("/").context["summary"]["metrics"]
    planned = en.get("/?stage=planned").context["summary"]["metrics"]
    assert achieved != planned
    assert en.get("/?stage=planned").context is None  # served whole from the cache
    assert f"<dd id=\"counted-figures\">{planned}</dd>" in en.get("/?stage=planned").content.decode()
    assert f"<dd id=\"counted-figures\">{achieved}</dd>" in en.get("/").content.decode()


def test_warming_renders_the_default_stage_only(world):
    assert all("stage=" not in path for path in warm_paths())
    assert "/provinces/zhejiang/" in warm_paths()  # only planned figures: its page says so, and is warmed


def test_the_stage_comparison_figure_draws_two_series_with_their_links():
    from articles.charts import Bar, stage_comparison_figure

    def bar(value, url):
        return Bar(label="", value=Decimal(value), sign="", figures=1, sources=1, url=url)

    with translation.override("en"):
        figure = stage_comparison_figure(["A", "B"], {"A": bar(30, "/a-planned"), "B": bar(8, "/b-planned")},
                                         {"A": bar(12, "/a-achieved")}, "yuan")
    planned, achieved = figure.data
    assert (planned.name, list(planned.y), list(planned.x)) == ("planned", ["A", "B"], [30.0, 8.0])
    assert (achieved.name, list(achieved.y)) == ("achieved", ["A"])
    assert [link for link, _hover in planned.customdata] == ["/a-planned", "/b-planned"]
    assert figure.layout.barmode == "group" and figure.layout.showlegend
