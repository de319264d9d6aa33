"""An article read from the web keeps its original address: on its page, in every export, in the API, in the
figure's citation; and migration 0013 adds the columns to articles already stored."""

import csv
import io
import json
from datetime import UTC, date, datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from .factories import make_article, make_metric, make_source_file
from .test_migrations import article_before

pytestmark = pytest.mark.django_db

ADDRESS = "https://www.ntrb.example.cn/news/2024/0621/1.html"
FETCHED = datetime(2024, 6, 22, 3, 4, 5, tzinfo=UTC)


@pytest.fixture
def web_figure():
    article = make_article(
        title="15个援疆项目全部开工", paragraphs=("累计安排援疆资金2.3亿元。",), publisher="南通日报",
        published=date(2024, 5, 8), source_file=make_source_file(name=ADDRESS.replace("/1.html", "/x")),
        url=ADDRESS, requested_url=ADDRESS.replace("1.html", "old"), http_status=200, fetched_at=FETCHED,
        content_type="text/html", published_from="metadata",
    )
    return make_metric(article=article, number_text="2.3亿元", value=230000000)


def test_the_article_page_links_to_the_original(client, web_figure):
    html = client.get(web_figure.article.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'<a class="source-url" href="{ADDRESS}" rel="noopener">{ADDRESS}</a>' in html
    assert "retrieved 2024-06-22 11:04" in html  # shown in the site's time zone (Asia/Shanghai)
    assert "read from the page&#x27;s metadata" in html


def test_an_article_from_a_file_shows_its_file_and_no_link(client):
    article = make_article()
    html = client.get(article.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'class="source-url"' not in html and article.source_file.name in html


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_the_explorer_exports_carry_source_url(client, web_figure, fmt):
    response = client.get("/metrics/", {"format": fmt})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    records = list(csv.DictReader(io.StringIO(body))) if fmt == "csv" else [json.loads(x) for x in body.splitlines()]
    assert [record["source_url"] for record in records] == [ADDRESS]


def test_the_xlsx_export_carries_source_url(client, web_figure):
    from openpyxl import load_workbook

    response = client.get("/metrics/", {"format": "xlsx"})
    content = b"".join(response.streaming_content) if response.streaming else response.content
    rows = list(load_workbook(io.BytesIO(content), read_only=True)["figures"].values)
    column = rows[0].index("source_url")
    assert [row[column] for row in rows[1:]] == [ADDRESS]


def test_export_metrics_carries_source_url(tmp_path, web_figure):
    output = tmp_path / "figures.jsonl"
    call_command("export_metrics", "--format", "jsonl", "--output", str(output), stdout=io.StringIO())
    (record,) = [json.loads(line) for line in output.read_text().splitlines()]
    assert record["source_url"] == ADDRESS


def test_the_api_gives_source_url(client, web_figure):
    (figure,) = client.get("/api/v1/metrics/").json()["results"]
    assert figure["source_url"] == ADDRESS
    (listed,) = client.get("/api/v1/articles/").json()["results"]
    assert listed["source_url"] == ADDRESS
    detail = client.get(f"/api/v1/articles/{web_figure.article_id}/").json()
    assert (detail["source_url"], detail["published_from"]) == (ADDRESS, "metadata")
    assert detail["fetched_at"].startswith("2024-06-22T")


def test_a_web_article_is_cited_at_its_address_with_the_date_it_was_read(client, web_figure):
    html = client.get(f"/metrics/{web_figure.pk}/").content.decode()
    assert f"15个援疆项目全部开工[N/OL]. 南通日报, 2024-05-08[2024-06-22]. {ADDRESS}." in html
    assert f"15个援疆项目全部开工. (2024, May 8). 南通日报. Retrieved June 22, 2024, from {ADDRESS}" in html
    assert f'href="{ADDRESS}" rel="noopener"' in html


@pytest.mark.django_db(transaction=True)
def test_migration_0013_adds_the_columns_and_dates_articles_from_their_text():
    before = [("articles", "0012_metric_fulfilled_by")]
    after = [("articles", "0013_article_source_url")]
    executor, old, dated = article_before(before, title="有日期", published=date(2024, 5, 1))
    old.get_model("articles", "Article").objects.create(
        source_file_id=dated.source_file_id, position=1, content_hash="h2", original_text="", title="无日期")

    executor = MigrationExecutor(connection)
    executor.migrate(after)
    Article = executor.loader.project_state(after).apps.get_model("articles", "Article")
    rows = dict(Article.objects.values_list("title", "published_from"))
    assert rows == {"有日期": "text", "无日期": ""}
    assert set(Article.objects.values_list("url", "http_status", "fetched_at")) == {("", None, None)}

    executor = MigrationExecutor(connection)
    executor.migrate(before)  # and back: the columns go without rebuilding the table
    with connection.cursor() as cursor:
        columns = {c.name for c in connection.introspection.get_table_description(cursor, "articles_article")}
    assert "url" not in columns and "published_from" not in columns
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
