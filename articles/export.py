"""Metric records for export: one flat dict per metric, written as CSV or JSON lines."""

import csv
import json
import os
from collections.abc import Iterable, Iterator
from decimal import Decimal
from functools import lru_cache

from django.db.models import DecimalField, FloatField
from django.urls import get_script_prefix, reverse

from .figure_fields import EXPORTED
from .formatting import exact_number
from .models import Metric, Paragraph, Province, RecipientArea

# A relation is exported as this label of the row it points at, joined in SQL.
RELATED_LABELS = {Paragraph: "position", Province: "name_zh", RecipientArea: "name_zh"}

# Each figure's own columns come from figure_fields, in its order, between the article's and the review's.
FIELDS = [
    "id", "source_file", "article_id", "article_title", "published", *EXPORTED, "status", "url",
]

# Spreadsheets run a cell that starts with one of these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# The last line of an export that failed half-way (the connection is then broken too, see iter_csv).
INCOMPLETE = "导出中断，文件不完整，请重新下载 / EXPORT FAILED: this file is incomplete, download it again"


def export_queryset(metrics):
    """The related rows every record needs, fetched in the same query."""
    return metrics.select_related(
        "article__source_file", "paragraph", "province", "donor_city", "area"
    ).order_by("id")


def metric_record(metric: Metric) -> dict:
    article = metric.article
    return {
        "id": metric.pk,
        "source_file": os.path.basename(article.source_file.name),
        "article_id": article.pk,
        "article_title": article.title,
        "published": article.published.isoformat() if article.published else None,
        **{name: _cell(getattr(metric, name)) for name in EXPORTED},
        "status": metric.status,
        "url": _reader_url(article.pk, metric.paragraph.position),
    }


def _reader_url(article_id: int, position: int) -> str:
    return _reader_address(get_script_prefix()).format(article_id) + f"#p-{position}"


@lru_cache
def _reader_address(script_prefix: str) -> str:
    """The reader's address with {} for the article id."""
    # reverse() once per script prefix: per row it would slow a long export down noticeably.
    marker = 987654321987654321
    return reverse("articles:article", args=[marker]).replace(str(marker), "{}")


def _cell(value):
    """A figure's field as the export writes it: a paragraph by its position, a donor or area by its Chinese
    name, a number in plain digits, the confidence to three places, empty text as null."""
    if isinstance(value, Paragraph):
        return value.position
    if isinstance(value, (Province, RecipientArea)):
        return value.name_zh
    if isinstance(value, Decimal):
        return _plain_number(value)
    if isinstance(value, float):
        return round(value, 3)
    return None if value == "" else value


def _plain_number(value: Decimal) -> str:
    return exact_number(value)


def _query_column(name: str) -> str:
    field = Metric._meta.get_field(name)
    return f"{name}__{RELATED_LABELS[field.related_model]}" if field.is_relation else name


def _converter(name: str):
    """How the export writes a figure's field, as _cell does for a model's attribute."""
    field = Metric._meta.get_field(name)
    if field.is_relation:
        return _same
    if isinstance(field, DecimalField):
        return _decimal_cell
    if isinstance(field, FloatField):
        return _float_cell
    return _text_cell


def _same(value):
    return value


def _decimal_cell(value):
    return None if value is None else _plain_number(value)


def _float_cell(value):
    return None if value is None else round(value, 3)


def _text_cell(value):
    return None if value == "" else value


# One tuple per figure (values_list): no model objects, every label joined in the same query.
ROW_COLUMNS = [
    "id", "article__source_file__name", "article_id", "article__title", "article__published",
    *(_query_column(name) for name in EXPORTED), "status", "paragraph__position",
]
_CONVERTERS = [_converter(name) for name in EXPORTED]


def row_record(row: tuple) -> dict:
    """The record of one row of ROW_COLUMNS, with its url site-relative."""
    pk, file_name, article_id, title, published, *fields, status, position = row
    return {
        "id": pk,
        "source_file": os.path.basename(file_name),
        "article_id": article_id,
        "article_title": title,
        "published": published.isoformat() if published else None,
        **{name: convert(value) for name, convert, value in zip(EXPORTED, _CONVERTERS, fields, strict=True)},
        "status": status,
        "url": _reader_url(article_id, position),
    }


def export_rows(metrics) -> Iterator[tuple]:
    """The rows of `metrics` in id order, a chunk at a time (a server-side cursor on PostgreSQL)."""
    return metrics.order_by("id").values_list(*ROW_COLUMNS).iterator(chunk_size=2000)


def iter_rows_records(metrics) -> Iterator[dict]:
    for row in export_rows(metrics):
        yield row_record(row)


def iter_jsonl(records: Iterable[dict]) -> Iterator[str]:
    try:
        for record in records:
            yield json.dumps(record, ensure_ascii=False) + "\n"
    except Exception:
        yield json.dumps({"error": INCOMPLETE}, ensure_ascii=False) + "\n"
        raise


class _LineBuffer:
    def write(self, line):
        return line


def iter_csv(records: Iterable[dict]) -> Iterator[str]:
    """CSV lines with a header; cells that a spreadsheet would run as formulas are quoted with '."""
    writer = csv.writer(_LineBuffer())
    yield "\ufeff" + writer.writerow(FIELDS)
    try:
        for record in records:
            yield writer.writerow([_safe_cell(record[field]) for field in FIELDS])
    except Exception:
        # Said in the file, for whoever opens it; raised again so that the server breaks the connection
        # (no last chunk) and the client reports a failed download instead of a complete file.
        yield writer.writerow([INCOMPLETE])
        raise


def _safe_cell(value):
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def iter_records(metrics) -> Iterator[dict]:
    for metric in export_queryset(metrics).iterator(chunk_size=2000):
        yield metric_record(metric)


def checked_records(metrics) -> Iterator[dict]:
    """iter_records, once a first query on the same rows has run: a database that is down fails here, before
    a response is started, so the visitor gets an error page instead of a 200 with a header-only file.

    A probe rather than the first rows of iter_records: those would come from a server-side cursor, which a
    response never read (a client gone before the body) leaves open for the garbage collector to close in
    the middle of another query, and that deadlocks psycopg's connection.
    """
    metrics.exists()
    return iter_records(metrics)
