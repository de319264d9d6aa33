"""Web archives: a WARC built here with warcio (two captures of one page, a text page, an image) and the same
records in a WACZ import the right articles with their addresses and capture dates."""

import io
import zipfile
from datetime import UTC, date, datetime

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from articles.collect.warc import ArchiveUnreadable, archive_pages
from articles.importer import import_files
from articles.models import Article

from .collect_pages import HOTAN, KASHGAR, NANTONG

PAGE = "https://www.ntrb.example.cn/news/1.html"
TEXT = "https://www.example.cn/xj/notice.txt"
IMAGE = "https://www.ntrb.example.cn/images/1.jpg"
NOTICE = ("关于上海援疆资金安排的通知\n\n2024年，上海市安排援疆资金18.5亿元，实施援疆项目126个，"
          "重点支持喀什地区巴楚、莎车、泽普、叶城四县的产业和民生建设。\n").encode()


def record(writer, url: str, body: bytes, content_type: str, captured: str):
    headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
    return writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers,
                                     warc_headers_dict={"WARC-Date": captured})


def write_warc(handle, gzip: bool = True) -> None:
    writer = WARCWriter(handle, gzip=gzip)
    # The later capture of the page first: the latest is kept whatever the order in the file.
    writer.write_record(record(writer, PAGE, KASHGAR, "text/html; charset=utf-8", "2024-07-02T08:00:00Z"))
    writer.write_record(record(writer, PAGE, NANTONG, "text/html; charset=utf-8", "2024-06-21T08:00:00Z"))
    writer.write_record(record(writer, TEXT, NOTICE, "text/plain; charset=utf-8", "2024-05-09T10:30:00Z"))
    writer.write_record(record(writer, IMAGE, b"\xff\xd8\xff\xe0 not really a jpeg", "image/jpeg",
                               "2024-06-21T08:00:01Z"))


@pytest.fixture
def warc(tmp_path):
    path = tmp_path / "crawl.warc.gz"
    with open(path, "wb") as handle:
        write_warc(handle)
    return path


def test_an_archive_gives_the_latest_capture_of_each_page_and_skips_images(warc):
    pages = list(archive_pages(str(warc), 1_000_000))
    assert [(p.origin.url, p.origin.fetched_at, p.origin.content_type) for p in pages] == [
        (PAGE, datetime(2024, 7, 2, 8, 0, tzinfo=UTC), "text/html"),
        (TEXT, datetime(2024, 5, 9, 10, 30, tzinfo=UTC), "text/plain"),
    ]
    assert pages[0].body == KASHGAR and all(p.origin.captured for p in pages)


@pytest.mark.django_db
def test_a_warc_imports_its_pages_with_their_addresses_and_capture_dates(warc):
    run = import_files([str(warc)])
    assert not run.stats.failed

    articles = {a.url: a for a in Article.objects.all()}
    assert set(articles) == {PAGE, TEXT}
    page = articles[PAGE]
    assert page.title == "上海援疆前方指挥部推进喀什四县产业援疆"  # the later capture
    assert page.fetched_at == datetime(2024, 7, 2, 8, 0, tzinfo=UTC)
    assert (page.published, page.published_from) == (date(2024, 5, 8), "metadata")  # no date in its text
    notice = articles[TEXT]
    # No date in the text, no metadata in a text file: the capture date, marked as such.
    assert (notice.published, notice.published_from) == (date(2024, 5, 9), "capture")
    assert (notice.content_type, notice.http_status) == ("text/plain", 200)
    assert notice.source_file.path == str(warc)


@pytest.mark.django_db
def test_a_second_import_of_the_archive_changes_nothing(warc):
    import_files([str(warc)])
    run = import_files([str(warc)])
    assert not run.wrote and run.stats.files_unchanged == 2


@pytest.mark.django_db
def test_a_wacz_holds_its_warcs_under_archive(tmp_path):
    warc = io.BytesIO()
    write_warc(warc, gzip=True)
    wacz = tmp_path / "crawl.wacz"
    with zipfile.ZipFile(wacz, "w") as archive:
        archive.writestr("datapackage.json", "{}")
        archive.writestr("archive/data.warc.gz", warc.getvalue())
    run = import_files([str(wacz)])
    assert not run.stats.failed
    assert set(Article.objects.values_list("url", flat=True)) == {PAGE, TEXT}


@pytest.mark.django_db
def test_an_unreadable_archive_is_named_and_the_rest_imported(tmp_path, warc):
    broken = tmp_path / "broken.warc"
    broken.write_bytes(b"this is not a WARC file at all\r\n\r\n")
    run = import_files([str(broken), str(warc)])
    ((path, reason),) = run.stats.failed
    assert path == str(broken) and reason.startswith("not a readable web archive")
    assert Article.objects.count() == 2


def test_a_page_over_the_size_limit_is_named(warc):
    (too_large, notice) = archive_pages(str(warc), len(NOTICE) + 1)
    assert notice.origin.url == TEXT
    assert too_large[0] == PAGE and "over the limit" in too_large[1]  # named once: only its latest capture


def test_a_text_file_is_not_an_archive(tmp_path):
    path = tmp_path / "a.warc"
    path.write_bytes(HOTAN)
    with pytest.raises(ArchiveUnreadable):
        list(archive_pages(str(path), 1_000_000))
