"""The read API at /api/v1/: schemas, the explorer's filters, cursor pages, conditional requests, CORS, errors."""

import json
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate as validate_spec

from articles import dashboard
from articles.cache import bump_data_version, data_version
from articles.choices import Kind, Stage, Status
from articles.context_processors import PAGE_STAGES
from articles.filters import ArticleFilterSet
from articles.models import Article, Metric
from articles.selectors import Scope, article_list_queryset
from tests.factories import bulk_articles, make_article, make_metric, make_sample_world
from tests.test_stage_totals import figures_behind, make_staged_world

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    "/api/v1/metrics/",
    "/api/v1/provinces/",
    "/api/v1/areas/",
    "/api/v1/articles/",
    "/api/v1/articles/{article}/",
    "/api/v1/totals/",
]


@pytest.fixture
def world():
    return make_sample_world()


def get_json(client, url, status=200, **headers):
    response = client.get(url, **headers)
    assert response.status_code == status, (url, response.content[:300])
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def walk(client, url) -> list[dict]:
    """Every row of a paginated list, following `next` from the first page."""
    rows, seen_links = [], set()
    while url:
        page = get_json(client, url)
        rows += page["results"]
        url = page["next"]
        assert url not in seen_links
        seen_links.add(url)
    return rows


# --- schema ----------------------------------------------------------------------------------------------------

def test_openapi_schema_is_valid(client, world):
    spec = get_json(client, "/api/v1/openapi.json")
    validate_spec(spec)
    assert set(spec["paths"]) == {url.replace("{article}", "{article_id}") for url in ENDPOINTS}


@pytest.mark.parametrize("url", ENDPOINTS)
def test_every_endpoint_answers_with_its_schema(client, world, url):
    spec = get_json(client, "/api/v1/openapi.json")
    path = url.replace("{article}", "{article_id}")
    declared = spec["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    body = get_json(client, url.format(article=world.a.pk))
    Draft202012Validator({**declared, "components": spec["components"]}).validate(body)
    assert body  # not an empty list or page


def test_metrics_filters_are_the_explorers_parameters_in_the_schema(client):
    spec = get_json(client, "/api/v1/openapi.json")
    names = {p["name"] for p in spec["paths"]["/api/v1/metrics/"]["get"]["parameters"]}
    assert {"province", "area", "kind", "sector", "status", "year_min", "year_max", "value_min", "value_max", "q",
            "limit", "cursor"} <= names
    assert "o" not in names  # the order is fixed: cursors depend on it


def test_docs_page_is_served_from_this_site_without_a_cdn(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "/api/v1/openapi.json" in html
    assert "cdn" not in html.lower() and "://" not in html
    assert '"validatorUrl": null' in html  # no badge from Swagger's own validator site either


def test_footer_links_to_the_api_docs(client, world):
    assert 'href="/api/v1/docs"' in client.get("/").content.decode()


# --- records -----------------------------------------------------------------------------------------------------

def test_metric_record_has_absolute_links_and_joined_labels(client, world):
    [record] = get_json(client, f"/api/v1/metrics/?ids={world.funding_a.pk}")["results"]
    assert record["url"] == f"http://testserver/metrics/{world.funding_a.pk}/"  # the permalink page, now it exists
    assert record["article_url"] == f"http://testserver/articles/{world.a.pk}/#p-0"
    assert (record["province"], record["province_name_zh"], record["donor_city"]) == ("jiangsu", "江苏", "nantong")
    assert (record["area"], record["area_name_en"], record["value"]) == ("yining-county", "Yining County", 1.2e9)
    assert (record["article_title"], record["published"], record["status"]) == ("江苏援疆成效显著", "2024-03-01",
                                                                               "verified")


def test_site_url_setting_makes_the_links(client, world, settings):
    settings.SITE_URL = "https://aidmap.example.org"
    page = get_json(client, "/api/v1/metrics/?limit=1")
    assert page["results"][0]["url"].startswith("https://aidmap.example.org/metrics/")
    assert page["next"].startswith("https://aidmap.example.org/api/v1/metrics/?")


def test_article_detail_gives_each_figures_span_in_its_paragraph(client, world):
    article = get_json(client, f"/api/v1/articles/{world.c.pk}/")
    spans = [(p["text"][f["start"]:f["end"]], f["number_text"]) for p in article["paragraphs"] for f in p["figures"]]
    assert spans == [("约5亿元", "约5亿元"), ("20个", "20个"), ("8000人", "8000人"), ("1.2万人次", "1.2万人次")]
    assert article["url"] == f"http://testserver/articles/{world.c.pk}/"


def test_article_detail_leaves_rejected_figures_out(client, world):
    article = get_json(client, f"/api/v1/articles/{world.a.pk}/")
    assert [f["number_text"] for p in article["paragraphs"] for f in p["figures"]] == ["12亿元", "3000多人"]


def test_areas_form_a_tree_with_their_donors(client, world):
    areas = {area["slug"]: area for area in get_json(client, "/api/v1/areas/")}
    assert areas["yining-county"]["parent"] == "yili" and areas["yili"]["parent"] == "xinjiang"
    assert areas["yining-county"]["donors"] == [{"province": "jiangsu", "confidence": "high", "source": "test"}]
    assert areas["yili"]["url"] == "http://testserver/areas/yili/"


def test_provinces_name_their_parent_and_paired_areas(client, world):
    provinces = {p["slug"]: p for p in get_json(client, "/api/v1/provinces/")}
    assert provinces["nantong"]["parent"] == "jiangsu"
    assert provinces["nantong"]["url"] == "http://testserver/provinces/jiangsu/"
    assert provinces["shanghai"]["areas"] == ["shache"]


# --- filters agree with the site ------------------------------------------------------------------------------------

EXPLORER_QUERIES = [
    "", "province=jiangsu", "province=jiangsu,shanghai", "area=yili", "area=xinjiang", "kind=trainees",
    "sector=industry", "status=rejected", "year_min=2023&year_max=2023", "value_min=1000&value_max=600000000",
    "q=援疆", "verified=1", "counted=1", "approx=about", "unit_family=people",
]


@pytest.mark.parametrize("query", EXPLORER_QUERIES)
def test_metric_filters_select_what_the_explorer_selects(client, world, query):
    explorer = client.get(f"/metrics/?{query}")
    assert explorer.status_code == 200
    shown = [metric.pk for metric in explorer.context["page"].object_list]
    got = [row["id"] for row in walk(client, f"/api/v1/metrics/?{query}&limit=2")]
    assert got == shown  # the same figures, in the explorer's default order (newest first)
    exported = client.get(f"/metrics/?{query}&format=json")
    assert sorted(got) == sorted(json.loads(line)["id"] for line in b"".join(exported.streaming_content).splitlines())


@pytest.mark.parametrize("query", ["", "province=jiangsu", "area=yili", "year=2023", "q=莎车", "all=1"])
def test_article_filters_select_what_the_article_list_selects(client, world, query):
    make_article("无日期的援疆新闻", published=None)
    expected = list(ArticleFilterSet(dict(pair.split("=") for pair in query.split("&") if pair),
                                     queryset=article_list_queryset()).qs.values_list("id", flat=True))
    assert [row["id"] for row in walk(client, f"/api/v1/articles/?{query}&limit=1")] == expected


# --- cursor pagination --------------------------------------------------------------------------------------------

def test_cursor_pages_walk_every_figure_exactly_once(client, world):
    bulk_articles(30, world)
    ids = [row["id"] for row in walk(client, "/api/v1/metrics/?limit=7")]
    assert len(ids) == len(set(ids))
    assert ids == list(Metric.objects.not_rejected().order_by("-id").values_list("id", flat=True))


def test_cursor_walk_is_not_shifted_by_figures_added_meanwhile(client, world):
    bulk_articles(5, world)
    first = get_json(client, "/api/v1/metrics/?limit=4")
    make_metric(world.c, "20个", 20)
    rest = walk(client, first["next"])
    ids = [row["id"] for row in first["results"] + rest]
    assert ids == sorted(set(ids), reverse=True)
    assert len(ids) == Metric.objects.not_rejected().count() - 1  # the new figure is newer than the walk's start


def test_article_pages_keep_undated_articles_last(client, world):
    bulk_articles(6, world)
    undated = [make_article(f"无日期{i}", published=None).pk for i in range(3)]
    rows = walk(client, "/api/v1/articles/?limit=2")
    assert [row["id"] for row in rows][-3:] == sorted(undated, reverse=True)
    assert len(rows) == Article.objects.about_aid().count()
    assert [row["published"] for row in rows[:-3]] == sorted((row["published"] for row in rows[:-3]), reverse=True)


def test_default_and_largest_page_sizes(client, world):
    bulk_articles(600, world)
    assert len(get_json(client, "/api/v1/metrics/")["results"]) == 100
    page = get_json(client, "/api/v1/metrics/?limit=1000")
    assert len(page["results"]) == 1000 and page["next"]


# --- conditional requests and caching ---------------------------------------------------------------------------

def test_etag_gives_304_until_the_data_changes(client, world):
    first = client.get("/api/v1/metrics/")
    etag = first["ETag"]
    assert first["Cache-Control"] == "public, no-cache" and first["Last-Modified"]
    again = client.get("/api/v1/metrics/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
    assert client.get("/api/v1/metrics/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    bump_data_version()
    changed = client.get("/api/v1/metrics/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_304_runs_no_query(client, world):
    etag = client.get("/api/v1/areas/")["ETag"]
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/v1/areas/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert len(queries) == 0


def test_etag_does_not_repeat_when_the_version_counter_starts_again(client, world):
    etag = client.get("/api/v1/metrics/")["ETag"]
    version = data_version()
    cache.clear()  # a cache restart: the counter starts again at 1, and may reach the same number with other data
    while data_version() < version:
        bump_data_version()
    Metric.objects.filter(pk=world.jobs_c.pk).update(status=Status.REJECTED)
    assert client.get("/api/v1/metrics/", HTTP_IF_NONE_MATCH=etag).status_code == 200


# --- CORS and methods ---------------------------------------------------------------------------------------------

def test_cors_header_on_get_and_head(client, world):
    get = client.get("/api/v1/metrics/", HTTP_ORIGIN="https://elsewhere.example")
    assert get["Access-Control-Allow-Origin"] == "*"
    head = client.head("/api/v1/metrics/")
    assert head.status_code == 200 and head.content == b"" and head["Access-Control-Allow-Origin"] == "*"
    assert int(head["Content-Length"]) == len(get.content) and head["ETag"] == get["ETag"]


def test_preflight_allows_reads_only(client):
    response = client.options("/api/v1/metrics/", HTTP_ORIGIN="https://elsewhere.example",
                              HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET")
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writes_are_refused_without_cors_header(client, world, method):
    response = getattr(client, method)("/api/v1/metrics/", HTTP_ORIGIN="https://elsewhere.example")
    assert response.status_code == 405
    assert "Access-Control-Allow-Origin" not in response
    assert response["Allow"] == "GET, HEAD, OPTIONS"
    assert "only reads" in response.json()["detail"]


# --- errors ------------------------------------------------------------------------------------------------------

BAD_PARAMETERS = [
    ("/api/v1/metrics/?limit=0", "limit"),
    ("/api/v1/metrics/?limit=1001", "limit"),
    ("/api/v1/metrics/?limit=abc", "limit"),
    ("/api/v1/metrics/?limit=%EF%BC%91%EF%BC%92", "limit"),  # full-width 12
    ("/api/v1/metrics/?limit=+12", "limit"),
    ("/api/v1/metrics/?cursor=garbage", "cursor"),
    ("/api/v1/metrics/?cursor=WyJ4Il0", "cursor"),  # ["x"]: a cursor, but no id in it
    ("/api/v1/metrics/?cursor=WyIxIiwiMiJd", "cursor"),  # ["1","2"]: an articles cursor
    ("/api/v1/metrics/?kind=bogus", "kind"),
    ("/api/v1/metrics/?status=bogus", "status"),
    ("/api/v1/metrics/?province=not%20a%20slug", "province"),
    ("/api/v1/metrics/?year_min=abc", "year_min"),
    ("/api/v1/metrics/?value_max=1e309", "value_max"),
    ("/api/v1/metrics/?ids=1,x", "ids"),
    ("/api/v1/metrics/?o=-value", "o"),
    ("/api/v1/articles/?year=abc", "year"),
    ("/api/v1/articles/?o=title", "o"),
    ("/api/v1/articles/?cursor=WyIyMDI0LTEzLTAxIiwiMSJd", "cursor"),  # ["2024-13-01","1"]: no such day
    ("/api/v1/articles/abc/", "article_id"),
    ("/api/v1/articles/%D9%A1%D9%A2/", "article_id"),  # Arabic-Indic 12
    ("/api/v1/articles/99999999999999999999/", "article_id"),
    ("/api/v1/articles/0/", "article_id"),
]


@pytest.mark.parametrize(("url", "parameter"), BAD_PARAMETERS)
def test_bad_parameter_gives_400_json_naming_it(client, world, url, parameter):
    body = get_json(client, url, status=400)
    assert body["parameter"] == parameter
    assert body["detail"]


def test_unknown_article_gives_404_json(client, world):
    body = get_json(client, "/api/v1/articles/987654/", status=404)
    assert body["detail"] == "No article has the id 987654."


# --- queries -----------------------------------------------------------------------------------------------------

MAX_QUERIES = {
    "/api/v1/metrics/?limit=1000": 1,
    "/api/v1/metrics/?area=xinjiang&kind=funding&limit=50&cursor={cursor}": 1,
    "/api/v1/provinces/": 2,
    "/api/v1/areas/": 2,
    "/api/v1/articles/?province=shanghai&limit=1000": 1,
    "/api/v1/articles/{article}/": 3,
}


def queries_per_request(client, world, cursor) -> dict[str, int]:
    counts = {}
    for template, _ in MAX_QUERIES.items():
        url = template.format(article=world.a.pk, cursor=cursor)
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200, url
        counts[template] = len(queries)
    return counts


def test_each_request_runs_a_fixed_small_number_of_queries(client, world):
    bulk_articles(7, world)
    cursor = get_json(client, "/api/v1/metrics/?limit=3")["next"].rsplit("cursor=", 1)[1]
    small = queries_per_request(client, world, cursor)
    bulk_articles(990, world, start=7)
    large = queries_per_request(client, world, cursor)
    assert small == MAX_QUERIES
    assert large == small



# --- totals ------------------------------------------------------------------------------------------------------

def _api_totals(client, query: str) -> dict:
    """(group, kind, unit family) → (value, figures) as /api/v1/totals/ gives them."""
    return {(t["group"], t["kind"], t["unit_family"]): (Decimal(t["value"]), t["figures"])
            for t in get_json(client, f"/api/v1/totals/?{query}")}


def _page_totals(rows, key: str) -> dict:
    return {(row.total.group[key], row.total.kind, row.total.unit_family): (row.total.value, row.total.figures)
            for row in rows}


@pytest.mark.parametrize("stage", PAGE_STAGES)
def test_totals_by_province_are_the_compare_pages_bars(client, stage):
    make_staged_world()
    page = dashboard.compare(Scope(stage=stage), Kind.FUNDING, None)
    shown = _page_totals(page.province_chart.rows, "province")
    assert shown, "the compare page shows no bars"
    api = _api_totals(client, f"by=province&kind=funding&stage={stage}")
    assert {key: api[key] for key in shown} == shown
    assert {key for key in api if key[2] == page.family} == set(shown)


def test_totals_by_province_are_the_overviews_headline_bars(client):
    make_staged_world()
    overview = dashboard.overview(Scope(stage=Stage.ACHIEVED), Kind.FUNDING)
    api = _api_totals(client, "by=province")
    for chart in overview.headlines:
        if chart.id.startswith("headline-"):
            shown = _page_totals(chart.rows, "province")
            assert {key: api[key] for key in shown} == shown, chart.id


def test_totals_never_add_two_stages(client):
    world = make_staged_world()
    achieved = _api_totals(client, "by=province&kind=funding")
    planned = _api_totals(client, "by=province&kind=funding&stage=planned")
    family = world.funding_a.unit_family
    assert achieved[("jiangsu", "funding", family)][0] == world.funding_a.value
    assert planned[("jiangsu", "funding", family)][0] == world.planned_jiangsu.value
    assert not [key for key in achieved if key[0] == "zhejiang"]  # only a plan: in no achieved total


@pytest.mark.parametrize("by", ["province", "area", "sector", "year", "kind"])
def test_every_total_links_to_the_figures_it_adds(client, by):
    make_staged_world()
    for total in get_json(client, f"/api/v1/totals/?by={by}&stage=planned"):
        assert total["url"].startswith("http://testserver/")
        behind = [m for m in figures_behind(total["url"].removeprefix("http://testserver"))
                  if m.duplicate_of_id is None]
        assert {m.stage for m in behind} == {Stage.PLANNED}
        assert (sum(m.value for m in behind), len(behind)) == (Decimal(total["value"]), total["figures"])


@pytest.mark.parametrize("query, parameter", [
    ("by=county", "by"), ("stage=unknown", "stage"), ("stage=spent", "stage"), ("kind=gdp", "kind"),
    ("verified=yes", "verified"), ("province=atlantis", "province"), ("area=atlantis", "area"),
    ("by=province&by=sector", "by"),
])
def test_a_bad_totals_parameter_is_a_400_naming_it(client, world, query, parameter):
    body = get_json(client, f"/api/v1/totals/?{query}", status=400)
    assert body["parameter"] == parameter and body["detail"]
