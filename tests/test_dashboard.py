"""The pages' data built without HTTP, from a Scope and the choices a view parses: exact totals, plain data."""

import json

import pytest
from django.test import RequestFactory
from django.utils import translation

from articles import dashboard
from articles.choices import Kind
from articles.context_processors import verified, verified_only
from articles.selectors import Scope
from tests.factories import make_metric, make_sample_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_sample_world()


def by_id(blocks, block_id):
    return next(block for block in blocks if block.id == block_id)


def labelled(rows):
    return {(row.label, row.total.value) for row in rows}


def test_overview_is_built_from_a_scope_alone(world, settings):
    settings.LANGUAGE_CODE = "en"
    page = dashboard.overview(Scope(), Kind.FUNDING)
    funding = by_id(page.headlines, "headline-funding")
    assert labelled(funding.rows) == {("Jiangsu", 1_200_000_000), ("Shanghai", 500_000_000)}
    assert page.summary["metrics"] == 6
    assert page.map.kind == Kind.FUNDING and page.map.drawable
    assert labelled(page.map.rows) == {("Ili", 1_200_000_000), ("Kashgar", 500_000_000)}
    assert set(page.context()) == {"summary", "headlines", "map", "flows", "latest", "kinds"}


@translation.override("zh-hans")
def test_blocks_serialise_to_json(world):
    page = dashboard.overview(Scope(), Kind.FUNDING)
    data = json.loads(json.dumps([block.as_dict() for block in [*page.headlines, page.map, page.flows]]))
    funding = data[0]
    assert funding["id"] == "headline-funding" and funding["figure"]["data"][0]["type"] == "bar"
    jiangsu = next(row for row in funding["rows"] if row["total"]["group"]["province"] == "jiangsu")
    assert jiangsu["total"]["value"] == "1200000000"
    assert jiangsu["total"]["figures"] == 1 and jiangsu["total"]["sources"] == 2
    assert jiangsu["href"] == "/provinces/jiangsu/"
    assert {row["donor"] for row in data[-1]["rows"]} == {jiangsu["label"], "上海"}


def test_blocks_read_like_dicts_too(world):
    block = by_id(dashboard.overview(Scope(), Kind.FUNDING).headlines, "headline-funding")
    assert block["rows"] is block.rows and block["rows"][0]["total"] is block.rows[0].total
    with pytest.raises(KeyError):
        block["nothing"]


def test_the_flows_table_lists_exactly_the_sankey_links(world, settings):
    settings.LANGUAGE_CODE = "en"
    # 浙江 has no funding figure: its link is its number of figures.
    make_metric(world.c, "20个", 3, kind=Kind.PROJECTS, unit_family="count", unit="个", province=world.zhejiang,
                area=world.first_division, year_end=2022)
    flows = dashboard.overview(Scope(), Kind.FUNDING).flows
    rows = [(row.donor, row.area, row.by_funding, row.total.value if row.by_funding else row.total.figures)
            for row in flows.rows]
    assert sorted(rows) == [("Jiangsu", "Ili", True, 1_200_000_000), ("Shanghai", "Kashgar", True, 500_000_000),
                            ("Zhejiang", "1st Division", False, 1)]
    links = flows.figure["data"][0]["link"]["customdata"]
    assert [url for url, _hover in links] == [row.total.url for row in flows.rows]
    assert flows.any_counts


def test_verified_only_reaches_every_block(world, settings):
    settings.LANGUAGE_CODE = "en"
    page = dashboard.overview(Scope(verified=True), Kind.FUNDING)
    assert labelled(by_id(page.headlines, "headline-funding").rows) == {("Jiangsu", 1_200_000_000)}
    assert labelled(page.map.rows) == {("Ili", 1_200_000_000)}
    assert [(row.donor, row.area) for row in page.flows.rows] == [("Jiangsu", "Ili")]
    assert page.summary["metrics"] == 1
    assert all("verified=1" in row.total.url for row in page.map.rows)


def test_compare_takes_the_chosen_donors_and_falls_back_to_funding(world, settings):
    settings.LANGUAGE_CODE = "en"
    page = dashboard.compare(Scope(provinces=("shanghai",)), None, None)
    assert page.kind == Kind.FUNDING and page.family == "yuan" and page.chosen == {"shanghai"}
    assert labelled(page.province_chart.rows) == {("Shanghai", 500_000_000)}
    assert [(row.label, row.alt) for row in page.sector_chart.rows] == [("Industry", "Shanghai")]
    jobs = dashboard.compare(Scope(), Kind.JOBS, None)
    assert labelled(jobs.province_chart.rows) == {("Shanghai", 8000)}
    json.dumps([page.province_chart.as_dict(), page.sector_chart.as_dict()])


def test_donor_and_area_pages(world, settings):
    settings.LANGUAGE_CODE = "en"
    donor = dashboard.donor("nantong", Scope(), "trainees", None)
    assert donor.province == world.jiangsu and donor.kind == Kind.TRAINEES and donor.family == "people"
    assert donor.explorer_url == "/metrics/?province=jiangsu"
    assert [(row.label, row.total.value) for row in donor.time_chart.rows] == [("2024", 3000)]
    assert dashboard.donor("atlantis", Scope()) is None

    area = dashboard.area("yili", Scope(verified=True))
    assert area.explorer_url == "/metrics/?area=yili&verified=1"
    assert [c["slug"] for c in area.children] == ["yining-county"]
    assert labelled(area.child_chart.rows) == {("Yining County", 1_200_000_000)}
    assert dashboard.area("atlantis", Scope()) is None
    json.dumps([donor.sector_chart.as_dict(), donor.time_chart.as_dict(), area.child_chart.as_dict()])


def test_a_scope_is_the_explorer_filters_it_stands_for():
    scope = Scope(verified=True, provinces=("shanghai", "jiangsu"))
    assert scope.filters() == {"province": ["jiangsu", "shanghai"], "verified": "1"}
    assert scope.narrowed(kind=Kind.JOBS).filters() == {**scope.filters(), "kind": "jobs"}
    assert Scope().filters() == {}


@pytest.mark.parametrize("query, expected", [("verified=1", True), ("verified=0", False), ("", False),
                                             ("verified=true", False)])
def test_verified_only_is_read_from_the_query_string(query, expected):
    request = RequestFactory().get(f"/?{query}")
    assert verified_only(request) is expected
    assert verified(request) == {"verified_only": expected}
