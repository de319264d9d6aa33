"""import_articles on bad files: each one named with its reason, the others imported, nothing half-written."""

import codecs
import io
import os
import time
import tracemalloc
import zipfile
import zlib
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from articles.loader import Loader
from articles.models import Article, Metric, Paragraph, SourceFile

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
pytestmark = pytest.mark.django_db

GOOD = "南通援疆工作组投入援疆资金480万元，组织伊宁县党政干部培训3100余人次。\n"
TRADITIONAL = "山東援疆指揮部投入援疆資金480萬元，組織喀什地區幹部培訓3100餘人次。\n"


class Run:
    """One import_articles run: what it printed and whether it ended with CommandError."""

    def __init__(self, *paths):
        self.stdout, self.stderr = io.StringIO(), io.StringIO()
        try:
            call_command("import_articles", *map(str, paths), stdout=self.stdout, stderr=self.stderr)
            self.error = None
        except CommandError as error:
            self.error = error

    def failed(self) -> dict[str, str]:
        lines = [line[len("FAILED "):] for line in self.stderr.getvalue().splitlines() if line.startswith("FAILED ")]
        return dict(line.split(": ", 1) for line in lines)


def _folder_with_good_file(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD, "utf-8")
    return folder


def _stored(name: str) -> bool:
    return SourceFile.objects.filter(name=name).exists() or Article.objects.filter(source_file__name=name).exists()


def _assert_refused(tmp_path: Path, files: dict[str, bytes], reasons: dict[str, str]):
    """Each bad file is named with its reason; good.txt is imported; nothing of a bad file is stored."""
    folder = _folder_with_good_file(tmp_path)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    run = Run(folder)
    assert run.error is not None and f"{len(reasons)} file(s) failed" in str(run.error)
    failed = run.failed()
    assert set(failed) == {str(folder / name) for name in reasons}
    for name, reason in reasons.items():
        assert reason in failed[str(folder / name)]
        assert not _stored(name)
    assert Metric.objects.filter(article__source_file__name="good.txt", number_text="480万元").exists()
    return run


def _png() -> bytes:
    ihdr = b"IHDR" + (1).to_bytes(4, "big") * 2 + b"\x08\x02\x00\x00\x00"
    return b"\x89PNG\r\n\x1a\n" + (13).to_bytes(4, "big") + ihdr + zlib.crc32(ihdr).to_bytes(4, "big")


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("article.txt", GOOD * 20)
    return buffer.getvalue()


def _imports_as(tmp_path: Path, name: str, data: bytes, encoding: str, text: str = "援疆资金480万元"):
    path = tmp_path / name
    path.write_bytes(data)
    run = Run(path)
    assert run.error is None, run.stderr.getvalue()
    source = SourceFile.objects.get(name=name)
    article = Article.objects.get(source_file=source)
    assert source.encoding == encoding
    assert text in article.paragraphs.get(position=0).text
    metric = article.metrics.get(number_text="480万元")
    assert metric.value == Decimal("4800000")
    return article


def test_empty_and_zero_byte_files_are_refused(tmp_path):
    _assert_refused(
        tmp_path, {"zero.txt": b"", "blank.txt": b" \r\n\t\n"},
        {"zero.txt": "the file is empty", "blank.txt": "the file is empty"},
    )


def test_png_and_zip_are_refused_as_binary(tmp_path):
    _assert_refused(
        tmp_path, {"photo.txt": _png(), "pages.zip": _zip()},
        {"photo.txt": "this is a PNG image, not a text file", "pages.zip": "ZIP archive"},
    )


def test_gb18030_text_imports(tmp_path):
    _imports_as(tmp_path, "gb.txt", GOOD.encode("gb18030"), "gb18030")


def test_big5_text_imports_converted_to_simplified(tmp_path):
    article = _imports_as(tmp_path, "big5.txt", TRADITIONAL.encode("big5"), "cp950")
    assert article.script == "traditional"
    assert article.original_text.startswith("山東援疆指揮部")


def test_utf16_text_with_bom_imports(tmp_path):
    _imports_as(tmp_path, "utf16.txt", GOOD.encode("utf-16"), "utf-16")


def test_utf8_text_with_bom_imports_without_the_bom(tmp_path):
    article = _imports_as(tmp_path, "bom.txt", codecs.BOM_UTF8 + GOOD.encode(), "utf-8-sig")
    assert not article.original_text.startswith("\ufeff")
    assert not article.paragraphs.filter(text__contains="\ufeff").exists()


def test_saved_html_page_imports_its_article_text_without_markup(tmp_path):
    page = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>标题_南通网</title>
<script>var fake = "援疆资金999亿元"; document.write("<p>脚本</p>");</script>
<style>p {{ color: red }}</style></head>
<body><header><a href="/">南通网</a></header><nav><a href="/">首页</a> &gt; <a href="/n">新闻</a></nav>
<div class="content"><h1>紧握接力棒 跑出新气象</h1><div class="info">时间：2024年06月25日 来源：南通日报</div>
<p>{GOOD.strip()}</p><p>南通援疆工作组围绕伊宁县产业发展，引进企业12家，带动就业&nbsp;1500&nbsp;人。</p></div>
<aside><ul><li><a href="/x">相关新闻：某地投资88亿元</a></li></ul></aside>
<footer>Copyright © 2024 南通网 版权所有 <script>track("1")</script></footer></body></html>"""
    article = _imports_as(tmp_path, "page.html", page.encode(), "utf-8")
    texts = list(article.paragraphs.values_list("text", flat=True))
    assert article.title == "紧握接力棒 跑出新气象"
    assert str(article.published) == "2024-06-25"
    assert not any(mark in text for text in texts for mark in ("<", ">", "script", "color", "999", "88亿元"))
    assert "<" not in article.original_text and "script" not in article.original_text
    assert sorted(article.metrics.values_list("number_text", flat=True)) == ["12家", "1500人", "3100余人次", "480万元"]


def test_nul_bytes_and_control_characters_are_removed_with_a_warning(tmp_path):
    path = tmp_path / "nul.txt"
    path.write_bytes(GOOD.replace("资金", "资\x00金\x07").replace("培训", "培\x1b训").encode())
    run = Run(path)
    assert run.error is None
    assert f"WARNING {path}: 3 NUL or control character(s) removed" in run.stderr.getvalue()
    assert Metric.objects.filter(number_text="480万元", article__source_file__name="nul.txt").exists()
    assert not Paragraph.objects.filter(text__regex=r"[\x00-\x08\x0b-\x1f]").exists()


def test_file_that_is_mostly_nul_bytes_is_refused(tmp_path):
    _assert_refused(tmp_path, {"nul.bin": b"\x00\x01\x00\x02" * 1000}, {"nul.bin": "NUL bytes"})


def test_file_over_the_size_limit_is_refused_without_reading_it(tmp_path):
    big = tmp_path / "in" / "big.txt"
    folder = _folder_with_good_file(tmp_path)
    with open(big, "wb") as handle:  # sparse: 50 MB on the size, almost nothing on the disk
        handle.truncate(50 * 1024 * 1024)
    tracemalloc.start()
    try:
        run = Run(big)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert run.failed() == {
        str(big): "the file is 50.0 MiB, over the limit of 20.0 MiB (AIDMAP_MAX_FILE_BYTES=20971520); "
        "split it into smaller files or raise the limit",
    }
    assert peak < 5 * 1024 * 1024
    assert not _stored("big.txt")
    assert Run(folder).failed() == {str(big): run.failed()[str(big)]}
    assert _stored("good.txt")


def test_size_limit_comes_from_settings(tmp_path, settings):
    settings.AIDMAP_MAX_FILE_BYTES = len(GOOD.encode())
    folder = _folder_with_good_file(tmp_path)
    (folder / "longer.txt").write_text(GOOD + "。", "utf-8")
    run = Run(folder)
    assert list(run.failed()) == [str(folder / "longer.txt")]
    limit = len(GOOD.encode())
    assert (f"over the limit of {limit} bytes (AIDMAP_MAX_FILE_BYTES={limit})"
            in run.failed()[str(folder / "longer.txt")])
    assert _stored("good.txt") and not _stored("longer.txt")


def test_file_without_numbers_imports_with_no_figures(tmp_path):
    path = tmp_path / "words.txt"
    path.write_text("南通援疆工作组深入伊宁县开展调研，对口支援工作稳步推进，各族群众交往交流交融日益密切。\n", "utf-8")
    run = Run(path)
    assert run.error is None
    assert Article.objects.filter(source_file__name="words.txt", is_aid=True).count() == 1
    assert Metric.objects.count() == 0


def test_file_with_ten_thousand_numbers_imports_in_reasonable_time(tmp_path):
    paragraphs = []
    for row in range(500):
        figures = "，".join(f"项目{row * 20 + i + 1}投入援疆资金{row * 20 + i + 1}万元" for i in range(20))
        paragraphs.append(f"南通援疆工作组在伊宁县{figures}。")
    path = tmp_path / "table.txt"
    path.write_text("\n\n".join(paragraphs), "utf-8")
    started = time.perf_counter()
    run = Run(path)
    seconds = time.perf_counter() - started
    assert run.error is None
    assert Metric.objects.filter(unit="元").count() == 10000
    assert seconds < 60


def test_one_very_long_line_imports_in_pieces(tmp_path):
    sentence = "天山南北各族群众交往交流交融日益密切，援疆干部人才扎根边疆、无私奉献"
    parts = [f"{sentence}，南通援疆工作组在伊宁县投入援疆资金{i}万元" if i % 50 == 0 else sentence for i in range(6000)]
    path = tmp_path / "line.txt"
    path.write_text("，".join(parts) + "。", "utf-8")
    started = time.perf_counter()
    run = Run(path)
    seconds = time.perf_counter() - started
    assert run.error is None
    article = Article.objects.get(source_file__name="line.txt")
    assert article.paragraphs.count() > 1
    assert "".join(article.paragraphs.order_by("position").values_list("original_text", flat=True)) == path.read_text()
    assert article.metrics.count() == 120
    assert seconds < 30


def test_malformed_numbers_do_not_break_the_import(tmp_path):
    path = tmp_path / "malformed.txt"
    path.write_text("南通援疆工作组在伊宁县投入援疆资金1.2.3亿元，培训万万人次，组织干部培训3100余人次。\n", "utf-8")
    run = Run(path)
    assert run.error is None
    figures = list(Metric.objects.values_list("number_text", flat=True))
    assert "3100余人次" in figures
    assert not any(figure.startswith(("1.2", "2.3", ".3", "万万")) for figure in figures)
    for metric in Metric.objects.select_related("paragraph"):
        assert metric.paragraph.text[metric.start:metric.end] == metric.number_text


def test_bare_unit_without_a_number_is_not_a_figure(tmp_path):
    path = tmp_path / "bare.txt"
    path.write_text("南通援疆工作组在伊宁县打造亿元产业，组织干部培训3100余人次。\n", "utf-8")
    Run(path)
    assert list(Metric.objects.values_list("number_text", flat=True)) == ["3100余人次"]


def test_symlink_loop_and_unreadable_file_are_named_and_the_rest_imported(tmp_path, monkeypatch):
    folder = _folder_with_good_file(tmp_path)
    (folder / "loop").symlink_to(folder, target_is_directory=True)
    (folder / "self").symlink_to(folder / "self")
    locked = folder / "locked.txt"
    locked.write_text(GOOD.replace("480", "490"), "utf-8")
    locked.chmod(0)
    if os.geteuid() == 0:
        # root reads a file whatever its mode bits, so the refusal the kernel would give is given here.
        real_open = open

        def refusing_open(file, *args, **kwargs):
            if os.fspath(file) == str(locked):
                raise PermissionError(13, "Permission denied", str(locked))
            return real_open(file, *args, **kwargs)

        monkeypatch.setattr("builtins.open", refusing_open)
    try:
        run = Run(folder)
    finally:
        locked.chmod(0o644)
    assert run.failed() == {
        str(folder / "locked.txt"): "cannot read the file: Permission denied",
        str(folder / "loop"): "folder visited already (a symbolic link loop)",
        str(folder / "self"): "a symbolic link that points back at itself (a link loop)",
    }
    assert "3 file(s) failed" in str(run.error)
    assert _stored("good.txt") and not _stored("locked.txt")


def _snapshot(name: str):
    """Everything stored for one source file."""
    articles = Article.objects.filter(source_file__name=name)
    return (
        list(SourceFile.objects.filter(name=name).values_list("pk", "sha256", "size")),
        list(articles.order_by("pk").values_list("pk", "position", "title", "content_hash", "original_text")),
        list(Paragraph.objects.filter(article__in=articles).order_by("pk").values_list("pk", "text")),
        list(Metric.objects.filter(article__in=articles).order_by("pk").values_list("pk", "number_text", "value")),
    )


def test_crash_in_the_middle_of_an_article_leaves_the_database_as_it_was(tmp_path, monkeypatch):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "001.txt").write_bytes(next(SEEDS.glob("001_*.txt")).read_bytes())
    (folder / "004.txt").write_bytes(next(SEEDS.glob("004_*.txt")).read_bytes())
    assert Run(folder).error is None
    before = _snapshot("001.txt")
    text = (folder / "001.txt").read_text("utf-8")
    # Both the aid report and the red-tourism report after it change, so both are written again.
    (folder / "001.txt").write_text(text.replace("2.9万人", "3.9万人").replace("300多种鸟类", "400多种鸟类"), "utf-8")
    (folder / "004.txt").write_text((folder / "004.txt").read_text("utf-8").replace("480万元", "580万元"), "utf-8")
    saved = []
    save_article = Loader._save_article

    def crash_in_second_article(self, *args, **kwargs):
        article = save_article(self, *args, **kwargs)  # the article row is written, then the import dies
        saved.append(article.title)
        if len(saved) == 2:
            raise RuntimeError("power cut")
        return article

    monkeypatch.setattr(Loader, "_save_article", crash_in_second_article)
    run = Run(folder)
    assert saved[:2] == ["山海同心谱新篇——新时代高质量开展对口援疆工作巡礼", "红色热土 金色“收成”——晋绥革命故土展新颜"]
    assert run.failed() == {str(folder / "001.txt"): "could not be stored, nothing of it was written: "
                                                      "RuntimeError('power cut')"}
    assert _snapshot("001.txt") == before
    assert Metric.objects.filter(article__source_file__name="004.txt", number_text="580万元").exists()
