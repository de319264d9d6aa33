"""The export: one flat record per figure, read as plain rows (no model objects), written as CSV, JSON lines or xlsx."""

import csv
import json
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from decimal import Decimal
from functools import lru_cache

from django.db.models import DecimalField, FloatField
from django.urls import get_script_prefix, reverse

from .choices import Approx, Kind, Sector, Stage, Status
from .figure_fields import EXPORTED
from .formatting import exact_number
from .models import Metric, Paragraph, Province, RecipientArea

# Each figure's own columns come from figure_fields, in its order, between the article's and the review's.
FIELDS = [
    "id", "source_file", "source_url", "article_id", "article_title", "published", *EXPORTED, "status", "url",
]


def _one_of(zh: str, en: str, choices) -> tuple[str, str]:
    """A column's description in both languages, ending with the values it takes."""
    values = ", ".join(choices.values)
    return f"{zh}：{values}", f"{en}: {values}"


# What each column means, in Chinese and English: the xlsx export's "columns" sheet.
COLUMN_HELP = {
    "id": ("数字在本站的编号，其页面为 /metrics/<id>/", "The figure's number on this site; its page is /metrics/<id>/"),
    "source_file": ("文章导入时所在文件的文件名", "The name of the file the article was imported from"),
    "source_url": ("文章的原始网址（跳转之后），从文件导入时为空",
                   "The article's original web address (after redirects), empty when imported from a file"),
    "article_id": ("文章在本站的编号（/articles/<id>/）", "The article's number on this site (/articles/<id>/)"),
    "article_title": ("文章标题", "The article's title"),
    "published": ("文章发布日期（YYYY-MM-DD），未知时为空", "The article's date (YYYY-MM-DD), empty when unknown"),
    "paragraph": ("数字所在段落在文章中的序号，从 0 起", "The paragraph that holds the figure, counted from 0"),
    "quote": ("含该数字的原句", "The sentence that holds the figure"),
    "number_text": ("原文中的写法，如 3000多人", "The number as the text writes it, e.g. 3000多人"),
    "value": ("以基本单位（元、人、个……）计的数值，全部位数", "The value in base units (yuan, people, …), every digit"),
    "unit": ("原文的单位（元、人、个……）", "The unit as written (元, 人, 个, …)"),
    "approx": _one_of("数字的精确程度", "How exact the number is", Approx),
    "kind": _one_of("数字统计的对象", "What the figure counts", Kind),
    "sector": _one_of("领域", "The sector", Sector),
    "stage": _one_of("进度（committed 指已安排或签约）", "How far along (committed: allocated or signed)", Stage),
    "province": ("援助省市（中文名）", "The donor province or city (Chinese name)"),
    "donor_city": ("省内的援助城市（中文名），如江苏下的南通", "The donor city within the province (Chinese name)"),
    "area": ("受援地（中文名）", "The recipient area in Xinjiang (Chinese name)"),
    "period": ("原文所说的时期，如 2021—2023年", "The period as the text gives it, e.g. 2021—2023年"),
    "confidence": ("提取正确的概率（0–1），由读取方式估算", "How likely the extraction is right (0–1)"),
    "status": _one_of("审核状态", "Review status", Status),
    "url": ("阅读器中该数字所在段落的地址", "The address of the figure's paragraph in the article reader"),
}

# Spreadsheets run a cell that starts with one of these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# The last line of an export that failed half-way (the connection is then broken too, see _in_chunks).
INCOMPLETE = "导出中断，文件不完整，请重新下载 / EXPORT FAILED: this file is incomplete, download it again"

# A relation is exported as this label of the row it points at, joined in SQL.
RELATED_LABELS = {Paragraph: "position", Province: "name_zh", RecipientArea: "name_zh"}


def _query_column(name: str) -> str:
    field = Metric._meta.get_field(name)
    return f"{name}__{RELATED_LABELS[field.related_model]}" if field.is_relation else name


def _converter(name: str):
    """How the export writes a figure's field: a label as it is, a number in plain digits, the confidence to
    three places, empty text as null."""
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


def _plain_number(value: Decimal) -> str:
    return exact_number(value)


# One tuple per figure (values_list): no model objects, every label joined in the same query.
ROW_COLUMNS = [
    "id", "article__source_file__name", "article__url", "article_id", "article__title", "article__published",
    *(_query_column(name) for name in EXPORTED), "status", "paragraph__position",
]
_CONVERTERS = [_converter(name) for name in EXPORTED]


def metric_record(row: tuple) -> dict:
    """The record of one row of ROW_COLUMNS, its url site-relative (iter_records makes it absolute)."""
    pk, file_name, source_url, article_id, title, published, *fields, status, position = row
    return {
        "id": pk,
        "source_file": file_name if source_url else os.path.basename(file_name),
        "source_url": source_url or None,
        "article_id": article_id,
        "article_title": title,
        "published": published.isoformat() if published else None,
        **{name: convert(value) for name, convert, value in zip(EXPORTED, _CONVERTERS, fields, strict=True)},
        "status": status,
        "url": _reader_url(article_id, position),
    }


def _reader_url(article_id: int, position: int) -> str:
    return _reader_address(get_script_prefix()).format(article_id) + f"#p-{position}"


@lru_cache
def _reader_address(script_prefix: str) -> str:
    """The reader's address with {} for the article id."""
    # reverse() once per script prefix: per row it would slow a long export down noticeably.
    marker = 987654321987654321
    return reverse("articles:article", args=[marker]).replace(str(marker), "{}")


def export_rows(metrics) -> Iterator[tuple]:
    """The rows of `metrics` in id order, a chunk at a time (a server-side cursor on PostgreSQL)."""
    return metrics.order_by("id").values_list(*ROW_COLUMNS).iterator(chunk_size=2000)


def iter_records(metrics, site_root: str = "") -> Iterator[dict]:
    """The records of `metrics`; `site_root` (https://host) makes each url absolute, empty keeps it site-relative."""
    for row in export_rows(metrics):
        record = metric_record(row)
        record["url"] = site_root + record["url"]
        yield record


def checked_records(metrics, site_root: str = "") -> Iterator[dict]:
    """iter_records, once a first query on the same rows has run: a database that is down fails here, before
    a response is started, so the visitor gets an error page instead of a 200 with a header-only file.

    A probe rather than the first rows of iter_records: those would come from a server-side cursor, which a
    response never read (a client gone before the body) leaves open for the garbage collector to close in
    the middle of another query, and that deadlocks psycopg's connection.
    """
    metrics.exists()
    return iter_records(metrics, site_root)


# Writers -------------------------------------------------------------------------------------------------------

def iter_jsonl(records: Iterable[dict]) -> Iterator[str]:
    lines = (json.dumps(record, ensure_ascii=False) + "\n" for record in records)
    yield from _in_chunks(lines, json.dumps({"error": INCOMPLETE}, ensure_ascii=False) + "\n")


class _LineBuffer:
    def write(self, line):
        return line


def iter_csv(records: Iterable[dict]) -> Iterator[str]:
    """CSV lines with a header; cells that a spreadsheet would run as formulas are quoted with '."""
    writer = csv.writer(_LineBuffer())
    yield "\ufeff" + writer.writerow(FIELDS)
    lines = (writer.writerow([_safe_cell(record[field]) for field in FIELDS]) for record in records)
    yield from _in_chunks(lines, writer.writerow([INCOMPLETE]))


# Lines per chunk handed to the server, at most: one write per chunk instead of one per row.
CHUNK_LINES = 256


def _in_chunks(lines: Iterator[str], incomplete: str) -> Iterator[str]:
    """`lines` joined into chunks: the first line alone, so that a download starts at once, then twice as many
    lines each time up to CHUNK_LINES.

    When `lines` fails, the lines read go out, then `incomplete`, said in the file for whoever opens it; the error
    is raised again so that the server breaks the connection (no last chunk) and the client reports a failed
    download instead of a complete file.
    """
    size, buffer = 1, []
    try:
        for line in lines:
            buffer.append(line)
            if len(buffer) == size:
                yield "".join(buffer)
                buffer, size = [], min(2 * size, CHUNK_LINES)
    except Exception:
        if buffer:
            yield "".join(buffer)
        yield incomplete
        raise
    if buffer:
        yield "".join(buffer)


def _safe_cell(value):
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


# The most rows an xlsx export writes (Excel holds 1,048,575 below the header). openpyxl writes 750–2,600 rows
# a second here and the workbook is sent only once written, so a larger one risks gunicorn's 30 s worker
# timeout on a busy host (docs/benchmarks.md); CSV streams any number.
XLSX_MAX_ROWS = 20_000
# Control characters XML 1.0 (and so xlsx) cannot hold; openpyxl refuses a cell with one.
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def write_xlsx(records: Iterable[dict], handle) -> None:
    """The records as a workbook into `handle` (a binary file): the sheet "figures" with FIELDS, the sheet
    "columns" with what each means. openpyxl's write-only mode keeps the rows in a temporary file, not in memory.
    """
    from openpyxl import Workbook  # only the xlsx export pays for importing it

    book = Workbook(write_only=True)
    figures = book.create_sheet("figures")
    figures.append(FIELDS)
    for record in records:
        figures.append([_xlsx_cell(name, record[name]) for name in FIELDS])
    columns = book.create_sheet("columns")
    columns.append(["column", "说明", "meaning"])
    for name in FIELDS:
        columns.append([name, *COLUMN_HELP[name]])
    book.save(handle)


def xlsx_file(records: Iterable[dict]):
    """The records as a workbook in a temporary file, read from its start (closed by whoever reads it)."""
    handle = tempfile.TemporaryFile()  # noqa: SIM115
    write_xlsx(records, handle)
    handle.seek(0)
    return handle


def _xlsx_cell(name: str, value):
    """The CSV's cell, except that the value is a number Excel can add up; text loses the control characters
    a workbook cannot hold."""
    if value is None:
        return None
    if name == "value":
        return Decimal(value)
    value = _safe_cell(value)
    return _XLSX_ILLEGAL.sub("", value) if isinstance(value, str) else value
