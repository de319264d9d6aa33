"""Data migrations, run forwards on rows written in the schema before them."""

from datetime import UTC

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from articles.text.dedupe import shingles, sketch

BEFORE = [("articles", "0005_verbose_names")]
AFTER = [("articles", "0006_sketch_xxh3")]


def article_before(migration: list[tuple[str, str]], **fields):
    """Migrate back to `migration` and write one article (with its file) in that schema: (executor, apps, article)."""
    executor = MigrationExecutor(connection)
    executor.migrate(migration)
    old = executor.loader.project_state(migration).apps
    source = old.get_model("articles", "SourceFile").objects.create(name="a.txt", path="a.txt", sha256="x", size=1)
    article = old.get_model("articles", "Article").objects.create(
        source_file=source, position=0, content_hash="h", **{"original_text": "", **fields}
    )
    return executor, old, article


@pytest.mark.django_db(transaction=True)
def test_sketches_are_recomputed_with_the_new_shingle_hash():
    executor, old, article = article_before(BEFORE, title="标题")
    texts = ["北京市援疆资金3亿元，用于和田地区建设。", "援建学校12所，培训干部人才800人次。"]
    for position, text in enumerate(texts):
        old.get_model("articles", "Paragraph").objects.create(
            article=article, position=position, original_text=text, text=text
        )
    old.get_model("articles", "ArticleSketch").objects.bulk_create(
        old.get_model("articles", "ArticleSketch")(article=article, value=value) for value in (1, 2, 3)
    )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    values = sorted(new.get_model("articles", "ArticleSketch").objects.filter(article_id=article.pk)
                    .values_list("value", flat=True))
    assert values == sketch(shingles("\n".join(texts)))
    assert values and not {1, 2, 3} & set(values)  # the stale rows are gone, not kept beside

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def _single_column_indexes(table: str) -> set[str]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    return {
        info["columns"][0] for info in constraints.values()
        if info["index"] and len(info["columns"]) == 1 and not (info["primary_key"] or info["unique"])
    }


@pytest.mark.django_db(transaction=True)
def test_redundant_metric_indexes_are_dropped_and_restored_backwards():
    redundant = {"kind", "province_id", "area_id", "extraction_key"}
    assert not redundant & _single_column_indexes("articles_metric")
    assert {"article_id", "duplicate_of_id", "status"} <= _single_column_indexes("articles_metric")
    executor = MigrationExecutor(connection)
    executor.migrate([("articles", "0006_sketch_xxh3")])
    assert redundant <= _single_column_indexes("articles_metric")
    assert "kind" in _single_column_indexes("articles_historicalmetric")
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert not redundant & _single_column_indexes("articles_metric")


@pytest.mark.django_db(transaction=True)
def test_merge_roots_and_curator_edited_article_fields_are_found_in_existing_rows():
    from datetime import datetime

    before = [("articles", "0007_drop_redundant_metric_indexes")]
    executor, old, article = article_before(before, title="标题", original_text="援疆资金3亿元。")
    source = article.source_file
    user = old.get_model("auth", "User").objects.create(username="curator")
    history = old.get_model("articles", "HistoricalArticle")
    common = {"id": article.pk, "source_file_id": source.pk, "position": 0, "content_hash": "h",
              "script": "simplified", "created_at": article.created_at, "updated_at": article.updated_at}
    history.objects.create(title="标题", history_date=datetime(2026, 1, 1, tzinfo=UTC), history_type="+",
                           **common)
    history.objects.create(title="更正的标题", history_date=datetime(2026, 1, 2, tzinfo=UTC),
                           history_type="~", history_user=user, **common)
    history.objects.create(title="更正的标题", publisher="新华网", history_type="~",
                           history_date=datetime(2026, 1, 3, tzinfo=UTC), **common)  # an import
    paragraph = old.get_model("articles", "Paragraph").objects.create(article=article, position=0, text="3亿元",
                                                                      original_text="3亿元")
    Metric = old.get_model("articles", "Metric")
    figure = {"article": article, "paragraph": paragraph, "start": 0, "end": 3, "number_text": "3亿元",
              "quote": "3亿元", "value": 300_000_000, "unit": "元", "unit_family": "yuan", "kind": "funding",
              "sector": "general"}
    root = Metric.objects.create(**figure)
    Metric.objects.create(duplicate_of=root, merged_by_curator=True, **figure)
    untouched = Metric.objects.create(**figure)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    from articles.models import Article
    from articles.models import Metric as CurrentMetric

    assert Article.objects.get(pk=article.pk).curated_fields == ["title"]
    assert CurrentMetric.objects.get(pk=root.pk).merged_by_curator
    assert not CurrentMetric.objects.get(pk=untouched.pk).merged_by_curator
