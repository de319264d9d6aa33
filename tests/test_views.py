"""The public pages on the sample world and on an empty database: totals, filters, exports and links."""

import csv
import io
import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from articles.choices import Kind, Status
from articles.export import FIELDS
from articles.models import Metric
from tests.factories import make_achieved, make_article, make_metric, make_sample_world

pytestmark = pytest.mark.django_db

MAIN_PAGES = ["/", "/compare/", "/metrics/", "/articles/"]


@pytest.fixture
def world():
    return make_sample_world()


@pytest.fixture
def en(client):
    """Pages in English, whatever the default language, so assertions read the English strings."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def headline(response, kind):
    return next(block for block in response.context["headlines"] if block["id"] == f"headline-{kind}")


def row_totals(block):
    return {row["total"].group.get("province") or row["label"]: row["total"] for row in block["rows"]}


def export(client, query, fmt):
    response = client.get("/metrics/", {**query, "format": fmt})
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8")
    if fmt == "csv":
        return list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
    return [json.loads(line) for line in body.splitlines()]


# Every page renders ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("url", MAIN_PAGES)
def test_main_pages_render_on_an_empty_database(client, url):
    response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("url", ["/provinces/jiangsu/", "/areas/yili/", "/articles/1/"])
def test_detail_pages_are_404_on_an_empty_database(client, url):
    assert client.get(url).status_code == 404


def test_every_page_renders_with_the_sample_world(client, world):
    urls = MAIN_PAGES + [
        "/provinces/jiangsu/", "/provinces/nantong/", "/provinces/zhejiang/",
        "/areas/xinjiang/", "/areas/yili/", "/areas/yining-county/", "/areas/xpcc/",
        world.a.get_absolute_url(), world.c.get_absolute_url() + "?text=original", world.d.get_absolute_url(),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"plotly.min.js" not in response.content or response.content.count(b"plotly.min.js") == 1, url


def test_plotly_is_served_locally_once_per_chart_page(client, world):
    for url in ["/", "/compare/", "/provinces/jiangsu/", "/areas/yili/"]:
        html = client.get(url).content.decode()
        assert html.count('src="/static/vendor/plotly.min.js"') == 1, url
        # No script, style or font from elsewhere (a bare "cdn" can occur inside the random CSRF token).
        assert not re.search(r"""(?:src|href)=["'](?:https?:)?//""", html), url


def test_favicon_redirects_to_a_static_file(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == "/static/favicon.svg"


# Counting rules -------------------------------------------------------------------------------------------------

def test_overview_counts_a_fact_reported_twice_once_and_never_a_rejected_one(en, world):
    funding = row_totals(headline(en.get("/"), Kind.FUNDING))
    jiangsu = funding["jiangsu"]
    # 12亿 reported by articles A and B: counted once, with both as sources; the rejected 7亿 is left out.
    assert jiangsu.value == Decimal("1200000000") and jiangsu.figures == 1 and jiangsu.sources == 2
    # Shanghai's 99亿 is in an article not about aid: never counted.
    assert funding["shanghai"].value == Decimal("500000000") and funding["shanghai"].sign == "≈"


def test_overview_summary(en, world):
    summary = en.get("/").context["summary"]
    assert summary["articles"] == 3 and summary["metrics"] == 6
    assert summary["verified"] == 1


def test_unlike_units_are_never_added(en, world):
    trainees = headline(en.get("/"), Kind.TRAINEES)
    families = {row["total"].unit_family for row in trainees["rows"]}
    assert len(families) == 1
    assert "Figures in other units" in trainees["note"]


def test_approximate_totals_show_greater_or_equal(en, world):
    html = en.get("/provinces/jiangsu/?kind=trainees").content.decode()
    assert "≥3,000 people" in html


def test_verified_only_switch_counts_verified_figures_only(en, world):
    response = en.get("/compare/?verified=1&kind=funding")
    rows = row_totals(response.context["province_chart"])
    assert set(rows) == {"jiangsu"}
    assert "verified=1" in rows["jiangsu"].url
    assert "Showing verified figures only." in response.content.decode()
    assert en.get("/").context["summary"]["metrics"] == 6
    assert en.get("/?verified=1").context["summary"]["metrics"] == 1


def test_mixed_periods_are_noted_next_to_the_chart(en, world):
    make_achieved(world.c, "20个", 30, kind=Kind.PROJECTS, unit_family="count", unit="个",
                  province=world.shanghai, area=world.shache, year_end=2020)
    response = en.get("/compare/?kind=projects")
    block = response.context["province_chart"]
    assert block["mixed"] is True
    assert "cover different periods" in response.content.decode()


# Compare, donor and area pages ----------------------------------------------------------------------------------

def test_compare_chosen_provinces_only(en, world):
    response = en.get("/compare/?province=shanghai&kind=funding")
    assert set(row_totals(response.context["province_chart"])) == {"shanghai"}
    assert response.context["chosen"] == {"shanghai"}


def test_compare_table_links_each_total_to_its_figures(en, world):
    rows = row_totals(en.get("/compare/?kind=funding").context["province_chart"])
    assert rows["jiangsu"].url == f"/articles/{world.a.pk}/?metric={world.funding_a.pk}#p-0"


def test_a_total_of_several_figures_links_to_exactly_them(en, world):
    extra = make_achieved(world.c, "20个", 12, kind=Kind.PROJECTS, unit_family="count", unit="个",
                          province=world.shanghai, area=world.shache, year_end=2022)
    rows = row_totals(en.get("/compare/?kind=projects").context["province_chart"])
    ids = sorted([world.projects_c.pk, extra.pk])
    assert rows["shanghai"].url == f"/metrics/?ids={ids[0]},{ids[1]}"
    listed = en.get(rows["shanghai"].url).context["page"].object_list
    assert sorted(m.pk for m in listed) == ids


def test_province_page_shows_pairings_totals_and_city_teams(en, world):
    response = en.get("/provinces/jiangsu/")
    assert [p.area.slug for p in response.context["pairings"]] == ["yining-county"]
    totals = {(t.kind, t.unit_family): t for t in response.context["kind_totals"]}
    assert totals[("funding", "yuan")].value == Decimal("1200000000")
    assert totals[("trainees", "people")].sign == "≥"
    # A city team's slug opens its province.
    assert en.get("/provinces/nantong/").context["province"] == world.jiangsu


def test_area_page_includes_its_child_areas(en, world):
    response = en.get("/areas/yili/?kind=funding")
    totals = {(t.kind, t.unit_family): t for t in response.context["kind_totals"]}
    # The 12亿 was reported for 伊宁县, a county of 伊犁州.
    assert totals[("funding", "yuan")].value == Decimal("1200000000")
    assert [c["slug"] for c in response.context["children"]] == ["yining-county"]
    child_rows = {row["total"].bucket: row["total"] for row in response.context["child_chart"]["rows"]}
    assert child_rows["yining-county"].value == Decimal("1200000000")
    region = en.get("/areas/xinjiang/").context["kind_totals"]
    assert {(t.kind, t.unit_family) for t in region} == {
        ("funding", "yuan"), ("trainees", "people"), ("trainees", "person_times"), ("projects", "count"),
        ("jobs", "people")}


def test_area_page_lists_the_area_metrics_with_links_to_paragraphs(en, world):
    html = en.get("/areas/kashgar/").content.decode()
    assert f'href="/articles/{world.c.pk}/?metric={world.jobs_c.pk}#p-1"' in html


# Metric explorer ------------------------------------------------------------------------------------------------

def listed_ids(response):
    return {m.pk for m in response.context["page"].object_list}


def test_explorer_leaves_rejected_figures_out_unless_asked(en, world):
    assert world.rejected_a.pk not in listed_ids(en.get("/metrics/"))
    assert listed_ids(en.get("/metrics/?status=rejected")) == {world.rejected_a.pk}


def test_explorer_filters_by_province_area_kind_and_year(en, world):
    assert listed_ids(en.get("/metrics/?province=jiangsu")) == {
        world.funding_a.pk, world.funding_b.pk, world.trained_a.pk}
    shache = {world.funding_c.pk, world.projects_c.pk, world.jobs_c.pk, world.trained_c.pk}
    assert listed_ids(en.get("/metrics/?area=kashgar")) == shache | {world.not_aid.pk}
    assert listed_ids(en.get("/metrics/?area=kashgar&counted=1")) == shache
    assert listed_ids(en.get("/metrics/?kind=trainees")) == {world.trained_a.pk, world.trained_c.pk}
    assert listed_ids(en.get("/metrics/?year_min=2024")) == {world.trained_a.pk, world.not_aid.pk}
    assert listed_ids(en.get("/metrics/?q=伊宁县")) == {world.funding_a.pk}


def test_explorer_sorts_by_value(en, world):
    values = [m.value for m in en.get("/metrics/?o=-value").context["page"].object_list]
    assert values == sorted(values, reverse=True)
    values = [m.value for m in en.get("/metrics/?o=value").context["page"].object_list]
    assert values == sorted(values)


def test_explorer_paginates_fifty_rows_a_page(en, world):
    article = make_article(paragraphs=["资金1亿元。"])
    for _ in range(60):
        make_metric(article, "1亿元", 100_000_000, province=world.shanghai)
    first, second = en.get("/metrics/?province=shanghai"), en.get("/metrics/?province=shanghai&page=2")
    assert len(first.context["page"].object_list) == 50
    assert len(second.context["page"].object_list) == 15
    assert 'href="?province=shanghai&amp;page=2"' in first.content.decode()


def test_explorer_rows_link_to_their_paragraphs(en, world):
    html = en.get("/metrics/?province=jiangsu").content.decode()
    assert f'href="/articles/{world.a.pk}/?metric={world.trained_a.pk}#p-1"' in html


@pytest.mark.parametrize("fmt", ["csv", "json"])
@pytest.mark.parametrize("query", [{}, {"province": "shanghai"}, {"area": "yili", "kind": "funding"},
                                   {"verified": "1"}, {"counted": "1", "o": "-value"}, {"status": "rejected"}])
def test_export_holds_exactly_the_filtered_rows(en, world, fmt, query):
    shown = listed_ids(en.get("/metrics/", query))
    records = export(en, query, fmt)
    assert {int(record["id"]) for record in records} == shown
    assert all(list(record) == FIELDS for record in records)


def test_export_record_fields(en, world):
    (record,) = export(en, {"ids": str(world.trained_a.pk)}, "json")
    assert record["value"] == "3000" and record["approx"] == "more_than" and record["province"] == "江苏"
    assert record["url"] == f"http://testserver/articles/{world.a.pk}/#p-1"  # absolute (issue 14)


def test_export_rejects_an_unknown_format_or_invalid_filter(en, world):
    assert en.get("/metrics/?format=xml").status_code == 400
    assert en.get("/metrics/?format=csv&year_min=abc").status_code == 400


def test_explorer_is_a_permalink_of_its_filters(en, world):
    html = en.get("/metrics/?province=jiangsu&kind=funding").content.decode()
    assert 'href="?province=jiangsu&amp;kind=funding&amp;format=csv"' in html


# Articles --------------------------------------------------------------------------------------------------------

def test_article_list_shows_aid_articles_only_by_default(en, world):
    listed = {a.pk for a in en.get("/articles/").context["page"].object_list}
    assert listed == {world.a.pk, world.b.pk, world.c.pk}
    assert world.d.pk in {a.pk for a in en.get("/articles/?all=1").context["page"].object_list}


def test_article_list_filters(en, world):
    def listed(query):
        return {a.pk for a in en.get("/articles/", query).context["page"].object_list}

    assert listed({"province": "shanghai"}) == {world.c.pk}
    assert listed({"area": "yili"}) == {world.a.pk, world.b.pk}
    assert listed({"q": "伊宁县"}) == {world.a.pk, world.b.pk}
    assert listed({"year": "2023"}) == {world.c.pk}
    assert listed({"publisher": "文汇报"}) == {world.c.pk}


def test_reader_anchors_paragraphs_and_marks_figures_linked_to_their_metrics(en, world):
    html = en.get(world.a.get_absolute_url()).content.decode()
    for position in range(3):
        assert f'id="p-{position}"' in html
    assert f'<mark id="m-{world.funding_a.pk}" class="figure status-verified">' in html
    assert f'<a href="/metrics/?ids={world.funding_a.pk}"' in html
    assert ">12亿元</a></mark>" in html
    assert f'<mark id="m-{world.rejected_a.pk}" class="figure status-rejected">' in html


def test_reader_emphasises_the_metric_asked_for(en, world):
    html = en.get(f"{world.a.get_absolute_url()}?metric={world.trained_a.pk}").content.decode()
    assert f'<mark id="m-{world.trained_a.pk}" class="figure status-extracted current">' in html


def test_reader_switches_to_the_original_text(en, world):
    normalized = en.get(world.c.get_absolute_url()).content.decode()
    original = en.get(world.c.get_absolute_url() + "?text=original").content.decode()
    assert "上海援疆资金" in normalized and "<mark" in normalized
    assert "上海援疆資金約5億元" in original and "<mark" not in original


def test_reader_names_the_other_sources_of_its_figures(en, world):
    others = en.get(world.b.get_absolute_url()).context["others"]
    assert [(o["article"].pk, o["shared_figures"]) for o in others] == [(world.a.pk, 1)]
    assert "伊宁县获江苏援助" in en.get(world.a.get_absolute_url()).content.decode()


def test_pages_switch_language(client, world):
    assert 'lang="en"' in client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()[:300]
    zh = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert '<html lang="zh-Hans">' in zh
    assert "对口援疆" in zh


def test_reader_of_a_missing_article_is_404(client, world):
    assert client.get(reverse("articles:article", args=[999999])).status_code == 404


def test_metric_status_display_in_table(en, world):
    Metric.objects.filter(pk=world.trained_a.pk).update(status=Status.VERIFIED)
    html = en.get("/metrics/?province=jiangsu&kind=trainees").content.decode()
    assert "verified" in html


# Fast shapes: whole-page cache, explorer pages by id, the reader's other sources --------------------------------

def test_overview_is_cached_whole_but_each_visitor_gets_their_own_csrf_token(client, world):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    first = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    other = Client(HTTP_ACCEPT_LANGUAGE="en")
    with CaptureQueriesContext(connection) as queries:
        second = other.get("/")
    assert len(queries) == 0
    tokens = [r.content.decode().split('name="csrfmiddlewaretoken" value="')[1].split('"')[0] for r in (first, second)]
    assert tokens[0] != tokens[1] and "placeholder" not in tokens[1]
    assert other.post("/i18n/setlang/", {"language": "zh-hans", "next": "/", "csrfmiddlewaretoken": tokens[1]},
                      enforce_csrf_checks=True).status_code == 302


def test_overview_with_unknown_parameters_is_not_cached_whole(en, world):
    assert en.get("/?utm=1").context is not None
    assert en.get("/?utm=1").context is not None
    assert en.get("/?map_kind=jobs").context is not None
    assert en.get("/?map_kind=jobs").context is None


def test_cached_overview_changes_after_a_curation(en, world):
    assert en.get("/").context["summary"]["metrics"] == 6
    assert en.get("/").context is None  # served from the cache
    world.funding_a.status = Status.REJECTED
    world.funding_a.save()
    assert en.get("/").context["summary"]["metrics"] == 5


def test_explorer_pages_newest_first_without_gaps_or_repeats(en, world):
    article = make_article(paragraphs=["资金1亿元。"])
    made = [make_metric(article, "1亿元", 100_000_000, province=world.shanghai).pk for _ in range(60)]
    pages = [en.get(f"/metrics/?province=shanghai&page={n}").context["page"] for n in (1, 2)]
    ids = [m.pk for page in pages for m in page.object_list]
    assert ids == sorted(ids, reverse=True) and ids[:60] == sorted(made, reverse=True)
    assert len(ids) == len(set(ids)) == pages[0].paginator.count


def test_explorer_count_follows_curation(en, world):
    before = en.get("/metrics/?province=jiangsu").context["page"].paginator.count
    assert before == Metric.objects.not_rejected().filter(province=world.jiangsu).count() > 0
    world.trained_a.status = Status.REJECTED
    world.trained_a.save()
    assert en.get("/metrics/?province=jiangsu").context["page"].paginator.count == before - 1


def test_reader_names_the_article_that_repeats_its_figures(en, world):
    others = en.get(world.a.get_absolute_url()).context["others"]
    assert (world.b.pk, 1) in [(o["article"].pk, o["shared_figures"]) for o in others]
