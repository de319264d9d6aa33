"""The export (articles/export.py): rows read without model objects, written as CSV, JSON lines and xlsx."""

import io
import json
import os
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from articles import export
from articles.models import Metric, Paragraph, Province, RecipientArea
from tests.factories import make_article, make_metric, make_sample_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = make_sample_world()
    # Cells every converter has to get right: empty texts, a decimal with a fraction, no date, formulas.
    article = make_article("=SUM(A1)", paragraphs=["资金0.5万元。"], published=None, publisher="")
    world.odd = make_metric(article, "0.5万元", "5000.5", province=world.shanghai, period="", confidence=0.12345,
                            quote="@cmd\x0bx")
    return world


# The record-by-record path the rows path replaced (commit 3883bc1 ran both side by side): model objects with
# their relations, each field read off them. Kept here as the reference for what the export writes.

def legacy_records(metrics):
    related = metrics.select_related("article__source_file", "paragraph", "province", "donor_city", "area")
    for metric in related.order_by("id").iterator(chunk_size=2000):
        article = metric.article
        yield {
            "id": metric.pk,
            "source_file": article.source_file.name if article.url else os.path.basename(article.source_file.name),
            "source_url": article.url or None,
            "article_id": article.pk,
            "article_title": article.title,
            "published": article.published.isoformat() if article.published else None,
            **{name: legacy_cell(getattr(metric, name)) for name in export.EXPORTED},
            "status": metric.status,
            "url": f"/articles/{article.pk}/#p-{metric.paragraph.position}",
        }


def legacy_cell(value):
    if isinstance(value, Paragraph):
        return value.position
    if isinstance(value, (Province, RecipientArea)):
        return value.name_zh
    if isinstance(value, Decimal):
        return export._plain_number(value)
    if isinstance(value, float):
        return round(value, 3)
    return None if value == "" else value


@pytest.mark.parametrize("writer", [export.iter_csv, export.iter_jsonl])
def test_the_rows_path_writes_what_the_record_by_record_path_wrote(world, writer):
    metrics = Metric.objects.all()
    new = "".join(writer(export.iter_records(metrics)))
    assert new == "".join(writer(legacy_records(metrics)))
    assert new.count("\n") >= Metric.objects.count()


def test_the_export_builds_no_model_objects(world, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a model object was built")

    for model in (Metric, Paragraph, Province, RecipientArea):
        monkeypatch.setattr(model, "from_db", classmethod(refuse))
    assert len(list(export.iter_records(Metric.objects.all()))) == Metric.objects.count()


def test_every_column_says_what_it_means():
    assert list(export.COLUMN_HELP) == export.FIELDS
    assert all(zh and en for zh, en in export.COLUMN_HELP.values())


# Absolute links -----------------------------------------------------------------------------------------------

def download(client, query):
    response = client.get("/metrics/", query)
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode("utf-8")


def test_exported_urls_are_absolute_on_the_requests_host(client, world):
    (record,) = [json.loads(line) for line in download(client, {"ids": world.trained_a.pk, "format": "json"})
                 .splitlines()]
    assert record["url"] == f"http://testserver/articles/{world.a.pk}/#p-1"


def test_exported_urls_use_the_site_url_setting(client, world, settings):
    settings.SITE_URL = "https://aidmap.example.org"
    text = download(client, {"ids": world.trained_a.pk, "format": "csv"})
    assert f",https://aidmap.example.org/articles/{world.a.pk}/#p-1\r\n" in text


def test_export_command_takes_the_site_url_from_an_option_or_the_setting(world, tmp_path, settings):
    def urls(*options):
        output = tmp_path / "out.jsonl"
        call_command("export_metrics", "--output", str(output), *options, stdout=io.StringIO())
        return {json.loads(line)["url"] for line in output.read_text("utf-8").splitlines()}

    assert f"/articles/{world.a.pk}/#p-1" in urls()
    assert f"https://a.example/articles/{world.a.pk}/#p-1" in urls("--site-url", "https://a.example/")
    settings.SITE_URL = "https://b.example"
    assert f"https://b.example/articles/{world.a.pk}/#p-1" in urls()


# Format -------------------------------------------------------------------------------------------------------

def test_an_unknown_format_is_refused_by_name(client, world):
    response = client.get("/metrics/?format=<b>xls</b>", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "“<b>xls</b>”" in response.content.decode() and "format=xlsx" in response.content.decode()


# xlsx ---------------------------------------------------------------------------------------------------------

def workbook(client, query):
    response = client.get("/metrics/", {**query, "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="aidmap-metrics.xlsx"'
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)


def test_xlsx_has_the_csv_columns_and_rows(client, world):
    book = workbook(client, {"province": "jiangsu"})
    rows = list(book["figures"].values)
    assert list(rows[0]) == export.FIELDS
    assert sorted(row[0] for row in rows[1:]) == sorted(
        Metric.objects.not_rejected().filter(province=world.jiangsu).values_list("id", flat=True))
    trained = dict(zip(export.FIELDS, next(row for row in rows if row[0] == world.trained_a.pk), strict=True))
    assert trained["value"] == 3000 and trained["province"] == "江苏" and trained["approx"] == "more_than"
    assert trained["url"] == f"http://testserver/articles/{world.a.pk}/#p-1"
    assert trained["period"] is None


def test_xlsx_says_what_each_column_means(client, world):
    rows = list(workbook(client, {})["columns"].values)
    assert rows[0] == ("column", "说明", "meaning")
    assert [row[0] for row in rows[1:]] == export.FIELDS
    assert rows[1 + export.FIELDS.index("value")][2].startswith("The value in base units")


def test_xlsx_defuses_formulas_and_drops_what_a_workbook_cannot_hold(client, world):
    rows = list(workbook(client, {"ids": world.odd.pk})["figures"].values)
    odd = dict(zip(export.FIELDS, rows[1], strict=True))
    assert odd["article_title"] == "'=SUM(A1)" and odd["quote"] == "'@cmdx"
    assert odd["value"] == 5000.5 and odd["published"] is None


def test_export_command_writes_xlsx_to_a_file(world, tmp_path):
    output = tmp_path / "metrics.xlsx"
    call_command("export_metrics", "--format", "xlsx", "--output", str(output), stdout=io.StringIO())
    rows = list(load_workbook(output, read_only=True)["figures"].values)
    assert len(rows) - 1 == Metric.objects.not_rejected().count()
    with pytest.raises(CommandError, match="--output"):
        call_command("export_metrics", "--format", "xlsx")


def test_lines_go_out_in_growing_chunks_the_first_alone():
    records = [{"id": n} for n in range(1000)]
    chunks = list(export.iter_jsonl(records))
    assert [chunk.count("\n") for chunk in chunks] == [1, 2, 4, 8, 16, 32, 64, 128, 256, 256, 233]
    assert "".join(chunks) == "".join(json.dumps(r) + "\n" for r in records)


def test_an_xlsx_export_larger_than_its_limit_is_refused_for_csv(client, world, monkeypatch):
    monkeypatch.setattr("articles.views.XLSX_MAX_ROWS", 2)
    response = client.get("/metrics/?format=xlsx", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and "format=csv" in response.content.decode()
    assert client.get("/metrics/?format=xlsx&province=shanghai&kind=jobs").status_code == 200
