"""import_articles and export_metrics on the real seeds: counts, idempotency, curation kept, bad files."""

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from articles.choices import Status
from articles.export import FIELDS
from articles.models import Article, Metric, Paragraph, SourceFile

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
pytestmark = pytest.mark.django_db


def run_import(*paths) -> str:
    out = io.StringIO()
    call_command("import_articles", *map(str, paths), stdout=out, stderr=io.StringIO())
    return out.getvalue()


def counts():
    return Article.objects.count(), Paragraph.objects.count(), Metric.objects.count()


@pytest.fixture
def seeds_copy(tmp_path):
    folder = tmp_path / "seeds"
    shutil.copytree(SEEDS, folder)
    return folder


def aid_article(file_prefix: str) -> Article:
    return Article.objects.get(source_file__name__startswith=file_prefix, is_aid=True)


def test_import_seeds_creates_articles_paragraphs_and_metrics():
    summary = run_import(SEEDS)
    assert "5 files" in summary and "0 failed" in summary
    assert Article.objects.filter(is_aid=True).count() == 5
    assert Article.objects.filter(is_aid=False).exists()  # 001's red-tourism reports
    assert Metric.objects.filter(article__is_aid=False).count() == 0
    assert Metric.objects.count() > 100


def test_seed_trouble_spots_are_handled():
    run_import(SEEDS)
    copy, original = aid_article("000"), aid_article("001")
    assert copy.duplicate_of == original
    traditional = aid_article("003")
    assert traditional.script == "traditional"
    assert "務(wù)" in traditional.original_text
    texts = list(Paragraph.objects.values_list("text", flat=True))
    assert not any("(wù)" in text or "(chǎn)" in text for text in texts)
    assert not any("下转二版" in text or "上一版" in text or "Copyright" in text for text in texts)
    assert any("出苗率超95%" in text for text in texts)
    repeated = Paragraph.objects.filter(article=aid_article("004"), text__contains="协调引进经济招商")
    assert repeated.count() == 1
    assert aid_article("004").published is None
    assert str(aid_article("002").published) == "2023-05-03"


def test_second_report_of_a_figure_is_not_counted_twice():
    run_import(SEEDS)
    copies = Metric.objects.filter(article=aid_article("000"), number_text="2.9万人")
    assert copies.count() == 1
    assert copies.get().duplicate_of.article == aid_article("001")
    assert Metric.objects.counted().filter(number_text="2.9万人").count() == 1


def test_reimport_of_same_files_changes_nothing():
    run_import(SEEDS)
    before = counts()
    ids = set(Metric.objects.values_list("id", flat=True))
    summary = run_import(SEEDS)
    assert counts() == before
    assert set(Metric.objects.values_list("id", flat=True)) == ids
    assert "(5 unchanged)" in summary


def test_reimport_keeps_curated_metrics_when_article_text_changed(seeds_copy):
    run_import(seeds_copy)
    article = aid_article("004")
    verified, rejected, edited, vanishing = _pick_metrics(article)
    verified.status = Status.VERIFIED
    verified.save()
    rejected.status = Status.REJECTED
    rejected.save()
    edited.kind, edited.status = "other", Status.EDITED
    edited.save()
    vanishing.status = Status.VERIFIED
    vanishing.save()

    path = seeds_copy / "004_33cfab6a1a367774.txt"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(vanishing.number_text, "若干", 2).replace("热播剧", "热播电视剧"), encoding="utf-8")
    summary = run_import(seeds_copy)

    for metric, status in ((verified, Status.VERIFIED), (rejected, Status.REJECTED), (edited, Status.EDITED)):
        metric.refresh_from_db()
        assert metric.status == status
        assert not metric.stale
        assert metric.paragraph.text[metric.start:metric.end] == metric.number_text
    edited.refresh_from_db()
    assert edited.kind == "other"
    vanishing.refresh_from_db()
    assert vanishing.stale and vanishing.status == Status.VERIFIED
    assert "1 curated flagged stale" in summary
    for metric in (verified, rejected, edited):
        same = Metric.objects.filter(article=article, number_text=metric.number_text, paragraph=metric.paragraph)
        assert same.count() == 1, f"{metric.number_text} duplicated by the re-import"


def _pick_metrics(article):
    metrics = list(article.metrics.order_by("paragraph__position", "start"))
    unique = [m for m in metrics if sum(o.number_text == m.number_text for o in metrics) == 1]
    return unique[0], unique[1], unique[2], unique[3]


def test_bad_files_are_named_and_the_rest_imported(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "picture.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    shutil.copy(SEEDS / "004_33cfab6a1a367774.txt", tmp_path / "good.txt")
    err = io.StringIO()
    with pytest.raises(CommandError, match="2 file"):
        call_command("import_articles", str(tmp_path), stdout=io.StringIO(), stderr=err)
    messages = err.getvalue()
    assert "empty.txt" in messages and "picture.png" in messages
    assert Article.objects.filter(source_file__name="good.txt").count() == 1
    assert not Article.objects.filter(source_file__name__in=["empty.txt", "picture.png"]).exists()


def test_missing_path_is_reported(tmp_path):
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_articles", str(tmp_path / "nope"), stdout=io.StringIO(), stderr=err)
    assert "nope: no such file or folder" in err.getvalue()


def test_export_jsonl_has_exactly_the_fields_and_skips_rejected(tmp_path):
    run_import(SEEDS)
    rejected = Metric.objects.first()
    rejected.status = Status.REJECTED
    rejected.save()
    output = tmp_path / "metrics.jsonl"
    call_command("export_metrics", "--format", "jsonl", "--output", str(output), stdout=io.StringIO())
    records = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    assert len(records) == Metric.objects.exclude(status=Status.REJECTED).count()
    assert all(list(record) == FIELDS for record in records)
    assert rejected.pk not in {record["id"] for record in records}
    sample = next(r for r in records if r["number_text"] == "2.9万人" and r["source_file"].startswith("001"))
    assert sample["value"] == "29000" and sample["unit"] == "人" and sample["province"] == "上海"
    assert sample["url"].startswith(f"/articles/{sample['article_id']}/#p-")


def test_export_csv_to_stdout(capsys):
    run_import(SEEDS)
    call_command("export_metrics", "--format", "csv")
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out.lstrip("\ufeff"))))
    assert rows[0] == FIELDS
    assert len(rows) - 1 == Metric.objects.not_rejected().count()


def test_files_with_one_name_in_two_folders_are_two_sources(tmp_path):
    for month in ("2024-01", "2024-02"):
        (tmp_path / "corpus" / month).mkdir(parents=True)
    shutil.copy(SEEDS / "004_33cfab6a1a367774.txt", tmp_path / "corpus" / "2024-01" / "article.txt")
    shutil.copy(SEEDS / "002_2c688e714d0df1b1.txt", tmp_path / "corpus" / "2024-02" / "article.txt")
    run_import(tmp_path / "corpus")
    assert sorted(SourceFile.objects.values_list("name", flat=True)) == ["2024-01/article.txt", "2024-02/article.txt"]
    assert "2 files (2 unchanged)" in run_import(tmp_path / "corpus")
    call_command("export_metrics", "--format", "jsonl", "--output", str(tmp_path / "out.jsonl"), stderr=io.StringIO())
    records = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text("utf-8").splitlines()]
    assert {r["source_file"] for r in records} == {"article.txt"}  # the export names the file, not its folder


def test_unchanged_files_are_not_parsed_again(seeds_copy, monkeypatch):
    run_import(seeds_copy)

    def must_not_parse(*args, **kwargs):
        raise AssertionError("an unchanged file was parsed again")

    monkeypatch.setattr("articles.text.pipeline.process_bytes", must_not_parse)
    assert "5 files (5 unchanged)" in run_import(seeds_copy)



def test_moved_or_renamed_files_with_the_same_bytes_are_not_imported_again(seeds_copy):
    run_import(seeds_copy)
    before = counts()
    renamed = seeds_copy / "004_33cfab6a1a367774.txt"
    renamed.rename(seeds_copy / "renamed.txt")
    assert "5 files (5 unchanged)" in run_import(seeds_copy.parent)  # another root, so other names too
    assert counts() == before


def test_a_copy_beside_the_file_it_copies_is_imported_when_the_import_is_run_again(tmp_path):
    """An import killed after the first folder: the identical copies in the second are still to import."""
    corpus = tmp_path / "corpus"
    (corpus / "a").mkdir(parents=True)
    shutil.copy(SEEDS / "004_33cfab6a1a367774.txt", corpus / "a" / "article.txt")
    run_import(corpus)  # what the killed import had committed
    shutil.copytree(corpus / "a", corpus / "b")
    summary = run_import(corpus)
    assert "2 files (1 unchanged)" in summary
    assert sorted(SourceFile.objects.values_list("name", flat=True)) == ["a/article.txt", "b/article.txt"]


def test_new_articles_get_one_created_history_row_in_order_with_later_changes():
    run_import(SEEDS)
    for article in Article.objects.all():
        created = article.history.earliest()
        assert (created.history_type, created.history_change_reason) == ("+", "import")
        assert article.history.filter(history_type="+").count() == 1
    copy = aid_article("000")  # linked as a near-copy when 001 arrived, after its own row was created
    assert [(row.history_type, row.duplicate_of_id) for row in copy.history.order_by("history_date")] == [
        ("+", None), ("~", aid_article("001").pk)
    ]


def test_a_file_that_fails_leaves_no_history_rows(tmp_path, monkeypatch):
    from articles.loader import Loader

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_bytes(next(SEEDS.glob("004_*.txt")).read_bytes())
    (folder / "b.txt").write_bytes(next(SEEDS.glob("001_*.txt")).read_bytes())
    save_article = Loader._save_article
    saved = []

    def crash_in_second_article_of_b(self, source, *args, **kwargs):
        article = save_article(self, source, *args, **kwargs)
        saved.append(source.name)
        if saved.count("b.txt") == 2:
            raise RuntimeError("power cut")
        return article

    monkeypatch.setattr(Loader, "_save_article", crash_in_second_article_of_b)
    with pytest.raises(CommandError):
        run_import(folder)
    assert saved.count("b.txt") == 2
    assert not Article.objects.filter(source_file__name="b.txt").exists()
    assert (Article.history.count() == Article.objects.count()
            == Article.objects.filter(source_file__name="a.txt").count())


def test_parsing_processes_by_default_only_for_large_imports(monkeypatch):
    from articles import importer as import_articles

    monkeypatch.setattr(import_articles.os, "sched_getaffinity", lambda pid: {0, 1, 2, 3}, raising=False)
    assert import_articles._default_workers(5) == 1
    assert import_articles._default_workers(100) == 4
    monkeypatch.setattr(import_articles.os, "sched_getaffinity", lambda pid: set(range(64)), raising=False)
    assert import_articles._default_workers(10_000) == import_articles.MAX_DEFAULT_WORKERS


def test_workers_below_one_are_refused():
    with pytest.raises(CommandError, match="--workers must be 1 or more"):
        call_command("import_articles", str(SEEDS), "--workers", "0", stdout=io.StringIO())


@pytest.mark.django_db(transaction=True)
def test_planner_statistics_refresh_vacuums_on_postgresql_outside_a_transaction():
    from django.db import connection

    from articles.loader import refresh_planner_statistics

    if connection.vendor != "postgresql":
        pytest.skip("VACUUM is PostgreSQL's; SQLite only gets ANALYZE")
    refresh_planner_statistics()
    with connection.cursor() as cursor:
        cursor.execute("SELECT last_vacuum IS NOT NULL, last_analyze IS NOT NULL FROM pg_stat_user_tables "
                       "WHERE relname = 'articles_metric'")
        assert cursor.fetchone() == (True, True)


def test_create_rows_fills_defaults_and_refuses_unknown_fields():
    from articles.rows import create_rows, insert_rows

    row = {"name": "x.txt", "path": "/x.txt", "sha256": "0" * 64, "size": 3, "encoding": "utf-8"}
    (source,) = create_rows(SourceFile, [row])
    stored = SourceFile.objects.get(pk=source.pk)
    assert stored.name == "x.txt" and stored.imported_at is not None
    assert source.imported_at == stored.imported_at
    with pytest.raises(ValueError, match="SourceFile has no field colour"):
        insert_rows(SourceFile, [{"name": "y.txt", "colour": "red"}])
    assert not SourceFile.objects.filter(name="y.txt").exists()
