"""Every total on the public pages and in the API carries how much of it is verified (issue 17): by value, with
the count, equal to what the explorer's `?verified=1` lists for the same figures."""

import json
from dataclasses import fields, is_dataclass
from decimal import Decimal
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.utils import translation

from articles import formatting
from articles.choices import Stage, Status
from articles.selectors import Scope, Total, totals_by_kind, totals_by_province
from tests.factories import make_metric
from tests.test_stage_totals import make_staged_world

pytestmark = pytest.mark.django_db

PAGES = ["/", "/compare/", "/provinces/jiangsu/", "/provinces/shanghai/", "/areas/xinjiang/", "/areas/kashgar/"]


@pytest.fixture
def world():
    """The staged world with checked figures at every stage: 上海's 5亿 edited, the 30亿 and 8亿 plans
    verified, a second 上海 achieved funding figure of 3亿 verified and 上海's 8000 jobs verified (江苏's 12亿 is
    verified already)."""
    world = make_staged_world()
    for metric in (world.funding_c, world.planned_jiangsu, world.planned_shanghai, world.jobs_c):
        metric.status = Status.EDITED if metric is world.funding_c else Status.VERIFIED
        metric.save()
    world.more_shanghai = make_metric(world.c, "项目", 300_000_000, province=world.shanghai, area=world.shache,
                                      stage=Stage.ACHIEVED, status=Status.VERIFIED, year_end=2023)
    return world


@pytest.fixture
def en(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def totals_in(value) -> list[Total]:
    """Every Total a page's context holds, however deep in its blocks."""
    if isinstance(value, Total):
        return [value]
    if is_dataclass(value):
        return [t for f in fields(value) for t in totals_in(getattr(value, f.name))]
    if isinstance(value, dict):
        return [t for item in value.values() for t in totals_in(item)]
    if isinstance(value, (list, tuple)):
        return [t for item in value for t in totals_in(item)]
    return []


def verified_in_explorer(client, url: str) -> tuple[Decimal, int]:
    """The sum and number of the figures the explorer lists for a total's link with `verified=1` added."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    if parts.path.startswith("/articles/"):
        query = {"ids": query["metric"]}
    query.update(verified="1", format="json")
    response = client.get("/metrics/?" + urlencode(query))
    assert response.status_code == 200, url
    rows = [json.loads(line) for line in b"".join(response.streaming_content).decode().splitlines() if line]
    return sum((Decimal(row["value"]) for row in rows), Decimal(0)), len(rows)


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("switches", ["", "verified=1", "stage=planned&verified=1", "stage=committed"])
def test_each_total_s_verified_part_is_what_the_explorer_lists_as_verified(en, world, page, switches):
    response = en.get(f"{page}?{switches}")
    assert response.status_code == 200
    totals = totals_in([response.context.get(name) for name in (
        "headlines", "map", "flows", "province_chart", "sector_chart", "kind_totals", "child_chart", "time_chart",
        "other_stages", "kind_other_stages")])
    assert totals, f"{page}?{switches} shows no total"
    for total in totals:
        assert verified_in_explorer(en, total.url) == (total.verified_value, total.verified_figures), total.url


def test_the_share_is_of_the_value_and_the_count_is_given_beside_it(world):
    shanghai = next(t for t in totals_by_province(Scope(stage=Stage.ACHIEVED))
                    if t.province == "shanghai" and t.kind == "funding")
    # 5亿 edited + 3亿 verified of 8亿: all of it; then one more unchecked figure of 2亿 → 8 of 10.
    assert (shanghai.value, shanghai.verified_value, shanghai.verified_figures) == (800_000_000, 800_000_000, 2)
    make_metric(world.c, "项目", 200_000_000, province=world.shanghai, area=world.shache, stage=Stage.ACHIEVED)
    shanghai = next(t for t in totals_by_province(Scope(stage=Stage.ACHIEVED, provinces=("shanghai",)))
                    if t.kind == "funding")
    assert shanghai.verified_share == 0.8 and (shanghai.figures, shanghai.verified_figures) == (3, 2)


def test_shares_that_are_not_summed_are_verified_by_count(world):
    for value, status in ((40, Status.VERIFIED), (10, Status.EXTRACTED), (10, Status.EXTRACTED),
                          (10, Status.EXTRACTED)):
        make_metric(world.c, "项目", value, kind="other", unit_family="percent", unit="%", province=world.shanghai,
                    stage=Stage.ACHIEVED, status=status)
    share = next(t for t in totals_by_kind(Scope(stage=Stage.ACHIEVED, provinces=("shanghai",)))
                 if t.unit_family == "percent")
    assert share.verified_share == 0.25


def test_verified_only_totals_are_wholly_verified(world):
    assert {t.verified_share for t in totals_by_province(Scope(verified=True, stage=Stage.ACHIEVED))} == {1.0}


def test_the_pages_say_the_share_and_what_it_is_of(en, world):
    html = en.get("/provinces/shanghai/").content.decode()
    assert "100% verified (2 of 2)" in html
    assert "the share of its value that rests on figures a curator has checked" in html
    zh = en.get("/provinces/shanghai/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "100% 已核实" in zh


def test_the_api_totals_carry_the_verified_share(client, world):
    rows = client.get("/api/v1/totals/", {"by": "province", "kind": "funding"}).json()
    shanghai = next(row for row in rows if row["group"] == "shanghai")
    assert (shanghai["verified_value"], shanghai["verified_figures"], shanghai["verified_share"]) == (
        "800000000", 2, 1.0)
    planned = client.get("/api/v1/totals/", {"by": "province", "stage": "planned", "kind": "funding"}).json()
    jiangsu = next(row for row in planned if row["group"] == "jiangsu")
    assert jiangsu["verified_share"] == 1.0 and jiangsu["verified_figures"] == 1
    committed = client.get("/api/v1/totals/", {"by": "province", "stage": "committed", "kind": "funding"}).json()
    assert [(row["group"], row["verified_share"], row["verified_value"]) for row in committed] == [
        ("jiangsu", 0.0, "0")]
    for row in rows:
        assert verified_in_explorer(client, row["url"]) == (Decimal(row["verified_value"]), row["verified_figures"])


def test_what_only_another_stage_has_says_its_verified_share_too(en, world):
    html = en.get("/?stage=committed").content.decode()
    # 上海 has no committed funding; its planned 8亿 is verified.
    note = html.split('class="note other-stages"')[1].split("</p>")[0]
    assert "Shanghai: only planned figures" in note and "100% verified (1 of 1)" in note


@pytest.mark.parametrize("by", ["province", "area", "sector", "year", "kind"])
@pytest.mark.parametrize("scope", [{}, {"stage": "planned"}, {"verified": "1"}, {"province": "shanghai"},
                                   {"area": "kashgar", "kind": "funding"}])
def test_each_api_total_s_verified_part_is_what_the_explorer_lists_as_verified(client, world, by, scope):
    rows = client.get("/api/v1/totals/", {"by": by, **scope}).json()
    assert rows, f"no total by {by} for {scope}"
    for row in rows:
        assert verified_in_explorer(client, row["url"]) == (Decimal(row["verified_value"]), row["verified_figures"])
        assert row["verified_figures"] <= row["figures"]


@pytest.mark.parametrize("share, text", [(0, "0%"), (0.003, "1%"), (0.62, "62%"), (0.996, "99%"), (1, "100%")])
def test_a_share_says_all_or_none_only_when_it_means_it(share, text):
    assert formatting.part_percent(share) == text


def test_a_bar_s_hover_says_its_verified_share(world):
    from articles import charts

    total = next(t for t in totals_by_province(Scope(stage=Stage.ACHIEVED))
                 if t.province == "shanghai" and t.kind == "funding")
    with translation.override("en"):
        assert "100% verified (2 of 2)" in charts.hover_text(charts.Bar.of("Shanghai", total), "yuan")
    with translation.override("zh-hans"):
        assert "100% 已核实（2 条中 2 条）" in charts.hover_text(charts.Bar.of("上海", total), "yuan")
