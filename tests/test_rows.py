"""articles/rows.py stores exactly what bulk_create stores, for every field type of the models the loader writes."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.utils import timezone

from articles.models import Article, ArticleSketch, Metric, SourceFile
from articles.rows import create_rows, insert_rows
from tests.factories import make_area, make_article, make_province

pytestmark = pytest.mark.django_db

WRITTEN_BY_ROWS = (SourceFile, Article, Metric, ArticleSketch)
# Filled by the database's clock on either path: compared as "set, just now" instead of equal.
AUTO_TIMES = {"created_at", "updated_at", "imported_at"}


@pytest.fixture
def rows():
    """Rows of each model, given as the loader gives them: every field set in the first, defaults in the second."""
    article = make_article(paragraphs=("浙江省今年安排援疆资金30亿元，实施援疆项目120个。",))
    paragraph = article.paragraphs.get()
    province, area = make_province(), make_area()
    city = make_province(parent=province)
    return {
        SourceFile: [
            {"name": "a.txt", "path": "/in/a.txt", "sha256": "a" * 64, "size": 2**40, "encoding": "gb18030"},
            {"name": "b.txt", "path": "/in/b.txt", "sha256": "b" * 64, "size": 0, "encoding": "utf-8"},
        ],
        Article: [
            {
                "source_file_id": article.source_file_id, "position": 9, "title": "标题", "title_original": "標題",
                "publisher": "新华社", "published": date(2023, 12, 31), "dateline": "乌鲁木齐", "byline": "记者",
                "original_text": "原文\n第二行", "content_hash": "c" * 64, "script": "traditional", "is_aid": False,
                "aid_score": 0.375, "duplicate_of_id": article.pk, "curated_fields": ["title", "published"],
                "url": "https://www.example.cn/2.html", "requested_url": "https://www.example.cn/1.html",
                "http_status": 200, "fetched_at": datetime(2024, 6, 21, 1, 2, 3, tzinfo=UTC),
                "content_type": "text/html", "published_from": "metadata",
            },
            {
                "source_file_id": article.source_file_id, "position": 10, "title": "t", "original_text": "x",
                "content_hash": "d", "script": "simplified",
            },
        ],
        Metric: [
            {
                "article_id": article.pk, "paragraph_id": paragraph.pk, "start": 13, "end": 17, "number_text": "30亿元",
                "quote": "浙江省今年安排援疆资金30亿元，", "value": Decimal("3000000000"),
                "value_high": Decimal("1234.5678"), "unit": "元", "unit_family": "money", "approx": "more_than",
                "kind": "funding", "sector": "general", "stage": "committed", "province_id": province.pk,
                "donor_city_id": city.pk,
                "area_id": area.pk, "period": "2021-2025年", "year_start": 2021, "year_end": 2025,
                "confidence": 0.8125, "status": "verified", "origin": "curator", "duplicate_of_id": None,
                "merged_by_curator": True, "hold_reason": "too large", "stale": True, "extraction_key": "e" * 40,
                "fulfilled_by_id": None, "plan_link_by_curator": True,
            },
            {
                "article_id": article.pk, "paragraph_id": paragraph.pk, "start": 24, "end": 28, "number_text": "120个",
                "quote": "实施援疆项目120个。", "value": Decimal("120"), "unit": "个", "unit_family": "count",
                "kind": "projects", "sector": "general",
            },
        ],
        ArticleSketch: [
            {"article_id": article.pk, "value": 2**62 + 5},
            {"article_id": article.pk, "value": -(2**62)},
        ],
    }


def stored(model, after: int) -> list[tuple]:
    """The table's rows newer than primary key `after`, as the database holds them, without key and clock."""
    columns = [f.column for f in model._meta.concrete_fields if not f.primary_key and f.name not in AUTO_TIMES]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(map(quote, columns))} FROM {quote(model._meta.db_table)} WHERE id > %s ORDER BY id",
            [after],
        )
        return cursor.fetchall()


def written(model, insert) -> tuple[list[tuple], list]:
    """What `insert` stores, and its clock fields, rolled back after."""
    after = model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with transaction.atomic():
        insert()
        result = stored(model, after)
        new = model.objects.filter(pk__gt=after)
        times = [t for name in AUTO_TIMES if hasattr(model, name) for t in new.values_list(name, flat=True)]
        transaction.set_rollback(True)
    return result, times


@pytest.mark.parametrize("model", WRITTEN_BY_ROWS, ids=lambda m: m.__name__)
@pytest.mark.parametrize("function", [insert_rows, create_rows], ids=lambda f: f.__name__)
def test_rows_store_what_bulk_create_stores(rows, model, function):
    started = timezone.now()
    fast, fast_times = written(model, lambda: function(model, rows[model]))
    orm, orm_times = written(model, lambda: model.objects.bulk_create([model(**row) for row in rows[model]]))
    assert len(fast) == len(rows[model]) == 2
    assert fast == orm
    assert len(fast_times) == len(orm_times)
    assert all(started - timedelta(seconds=1) <= t <= timezone.now() for t in fast_times)


def test_create_rows_returns_instances_as_stored(rows):
    created = create_rows(Article, rows[Article])
    for instance in created:
        assert not instance._state.adding
        stored_row = Article.objects.get(pk=instance.pk)
        assert (instance.title, instance.published, instance.curated_fields, instance.is_aid, instance.aid_score) == (
            stored_row.title, stored_row.published, stored_row.curated_fields, stored_row.is_aid, stored_row.aid_score
        )


def test_the_rows_cover_every_field_type_of_the_written_models(rows):
    """Each field of each model is given a value in the first row (or filled by the clock): no type goes untried."""
    for model in WRITTEN_BY_ROWS:
        fields = [f for f in model._meta.concrete_fields if not f.primary_key and f.name not in AUTO_TIMES]
        assert {f.attname for f in fields} <= rows[model][0].keys(), model.__name__
    types = {f.get_internal_type() for model in WRITTEN_BY_ROWS for f in model._meta.concrete_fields}
    given = {
        type(value) for model in WRITTEN_BY_ROWS for value in rows[model][0].values() if value is not None
    } | {datetime}
    assert {"DecimalField", "DateField", "DateTimeField", "JSONField", "BigIntegerField", "BooleanField",
            "FloatField", "ForeignKey", "PositiveBigIntegerField", "PositiveSmallIntegerField"} <= types
    assert {Decimal, date, datetime, list, int, bool, float, str} <= given
