"""A figure's stage (planned, committed, achieved, unknown) in the database: import, re-import, migration,
export, the explorer's filter and the curation desk."""

import csv
import io
import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from articles import curation
from articles.choices import Kind, Stage, Status
from articles.export import FIELDS
from articles.models import Metric
from tests.test_admin import admin_client as admin_client  # a fixture pytest finds here: `as` marks the re-export
from tests.test_admin import change_form_data, change_url, changelist_url, make_article, make_metric, run_action
from tests.test_admin import superuser as superuser  # a fixture pytest finds here: `as` marks the re-export
from tests.test_import import SEEDS, run_import
from tests.test_migrations import article_before

NANTONG = SEEDS / "004_33cfab6a1a367774.txt"  # 南通's first year in 伊宁县: plans and money spent
BEFORE = [("articles", "0010_metric_hold_reason")]
AFTER = [("articles", "0011_metric_stage")]


def figure(number_text: str, source=NANTONG) -> Metric:
    return Metric.objects.get(number_text=number_text, article__source_file__name=source.name)


@pytest.fixture
def nantong(tmp_path) -> Path:
    """A copy of the seed, imported: the test may change it and import it again."""
    path = tmp_path / NANTONG.name
    path.write_bytes(NANTONG.read_bytes())
    run_import(tmp_path)
    return path


def reimport_changed(path: Path) -> None:
    path.write_text(path.read_text(encoding="utf-8") + "\n此外，工作组还开展了走访。\n", encoding="utf-8")
    run_import(path.parent)


# --- import and re-import ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_import_stores_the_stage_of_each_figure(nantong):
    assert figure("500万元").stage == Stage.PLANNED    # 二期计划投资500万元
    assert figure("480万元").stage == Stage.ACHIEVED   # 投入援疆资金480万元


@pytest.mark.django_db
def test_reimport_of_a_changed_file_gives_an_uncurated_figure_its_stage_again(nantong):
    Metric.objects.filter(number_text="500万元").update(stage=Stage.UNKNOWN)
    reimport_changed(nantong)
    assert figure("500万元").stage == Stage.PLANNED


@pytest.mark.django_db
def test_reimport_keeps_the_stage_a_curator_set(nantong):
    spent = figure("480万元")
    assert curation.update_metrics(Metric.objects.filter(pk=spent.pk), {"stage": Stage.COMMITTED}) == 1
    spent.refresh_from_db()
    assert (spent.stage, spent.status) == (Stage.COMMITTED, Status.EDITED)  # a curator's decision, kept
    reimport_changed(nantong)
    spent.refresh_from_db()
    assert spent.stage == Stage.COMMITTED


# --- the migration -----------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_migration_stages_figures_no_curator_decided_on_and_leaves_curated_ones_unknown():
    executor, old, article = article_before(BEFORE, title="援疆工作", published=date(2024, 3, 1))
    texts = [("浙江省累计投入援疆资金5亿元，计划安排援疆资金3亿元。", "body"), ("2025年援疆计划", "heading"),
             ("安排援疆资金4亿元。", "body")]
    Paragraph = old.get_model("articles", "Paragraph")
    paragraphs = [Paragraph.objects.create(article=article, position=n, original_text=text, text=text, role=role)
                  for n, (text, role) in enumerate(texts)]
    Metric = old.get_model("articles", "Metric")

    def add(paragraph, number_text, **fields):
        start = paragraph.text.index(number_text)
        return Metric.objects.create(
            article=article, paragraph=paragraph, start=start, end=start + len(number_text), number_text=number_text,
            quote=paragraph.text, value=1, unit="元", unit_family="money", kind="funding", sector="general", **fields)

    spent, planned = add(paragraphs[0], "5亿元"), add(paragraphs[0], "3亿元")
    under_plan_heading = add(paragraphs[2], "4亿元")
    verified = add(paragraphs[0], "3亿元", status="verified")
    added = add(paragraphs[0], "5亿元", origin="curator")
    merged = add(paragraphs[2], "4亿元", merged_by_curator=True)

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    stages = dict(new.get_model("articles", "Metric").objects.values_list("pk", "stage"))
    assert stages == {
        spent.pk: "achieved", planned.pk: "planned", under_plan_heading.pk: "planned",
        verified.pk: "unknown", added.pk: "unknown", merged.pk: "unknown",
    }

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)  # backwards: the column and its index go
    with connection.cursor() as cursor:
        columns = [c.name for c in connection.introspection.get_table_description(cursor, "articles_metric")]
    assert "stage" not in columns
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "articles_metric")
    assert any(info["index"] and info["columns"] == ["stage"] for info in constraints.values())


# --- export and the explorer ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_export_metrics_has_the_stage_column(nantong, capsys):
    call_command("export_metrics", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out.lstrip("\ufeff"))))
    assert "stage" in FIELDS
    by_number = {row["number_text"]: row["stage"] for row in rows}
    assert (by_number["500万元"], by_number["480万元"]) == ("planned", "achieved")


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_explorer_export_has_the_stage_and_filters_by_it(nantong, client, fmt):
    response = client.get("/metrics/", {"stage": "planned", "format": fmt})
    body = b"".join(response.streaming_content).decode().lstrip("\ufeff")
    if fmt == "csv":
        records = list(csv.DictReader(io.StringIO(body)))
    else:
        records = [json.loads(line) for line in body.splitlines()]
    assert {int(record["id"]) for record in records} == set(
        Metric.objects.not_rejected().filter(stage=Stage.PLANNED).values_list("pk", flat=True))
    assert {record["stage"] for record in records} == {"planned"}
    assert "500万元" in {record["number_text"] for record in records}


@pytest.mark.django_db
def test_explorer_filters_by_stage(nantong, client):
    response = client.get("/metrics/", {"stage": "achieved"}, HTTP_ACCEPT_LANGUAGE="en")
    shown = {m.pk for m in response.context["page"].object_list}
    achieved = set(Metric.objects.not_rejected().filter(stage=Stage.ACHIEVED).values_list("pk", flat=True))
    assert shown == achieved and figure("480万元").pk in shown and figure("500万元").pk not in shown
    assert '<option value="achieved" selected>achieved</option>' in response.content.decode()


@pytest.mark.django_db
def test_explorer_refuses_an_unknown_stage(client):
    response = client.get("/metrics/", {"stage": "spent"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400


@pytest.mark.django_db
def test_explorer_stage_select_is_in_chinese(client):
    html = client.get("/metrics/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert '<option value="planned" >计划</option>' in html
    assert '<option value="achieved" >已完成</option>' in html


# --- the curation desk -----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_set_stage_action_sets_it_with_history(admin_client, superuser):
    metrics = [make_metric(), make_metric(status=Status.VERIFIED)]
    page = run_action(admin_client, "set_stage", metrics)
    assert page.status_code == 200 and 'name="apply"' in page.content.decode()
    response = run_action(admin_client, "set_stage", metrics, target=Stage.PLANNED, apply="1")
    assert response.status_code == 302
    for metric in metrics:
        metric.refresh_from_db()
        assert (metric.stage, metric.status) == (Stage.PLANNED, Status.EDITED)
        record = metric.history.latest()
        assert (record.history_user, record.history_change_reason) == (superuser, "bulk: set stage")
        assert record.prev_record.stage == Stage.UNKNOWN


@pytest.mark.django_db
def test_set_stage_action_leaves_alone_a_figure_saved_after_the_page_was_loaded(admin_client):
    seen = timezone.now() - timedelta(minutes=5)
    untouched, changed_since = make_metric(), make_metric()
    Metric.objects.filter(pk=untouched.pk).update(updated_at=seen - timedelta(minutes=1))
    response = run_action(admin_client, "set_stage", [untouched, changed_since], target=Stage.ACHIEVED, apply="1",
                          seen_at=seen.isoformat())
    assert response.status_code == 302
    assert Metric.objects.get(pk=untouched.pk).stage == Stage.ACHIEVED
    assert Metric.objects.get(pk=changed_since.pk).stage == Stage.UNKNOWN


@pytest.mark.django_db
def test_changelist_filters_by_stage(admin_client):
    planned, achieved = make_metric(stage=Stage.PLANNED), make_metric(stage=Stage.ACHIEVED)
    found = {m.pk for m in admin_client.get(changelist_url() + "?stage__exact=planned").context["cl"].result_list}
    assert found == {planned.pk} and achieved.pk not in found


@pytest.mark.django_db
def test_figures_of_unknown_stage_come_first_in_the_review_queue_after_held_ones(admin_client):
    article = make_article()
    known = make_metric(article, stage=Stage.ACHIEVED, confidence=0.1)
    unknown = make_metric(article, stage=Stage.UNKNOWN, confidence=0.9)
    decided = make_metric(article, stage=Stage.UNKNOWN, status=Status.VERIFIED, confidence=0.5)
    results = admin_client.get(changelist_url()).context["cl"].result_list
    assert [m.pk for m in results] == [unknown.pk, known.pk, decided.pk]


@pytest.mark.django_db
def test_change_form_sets_the_stage_and_marks_the_figure_edited(admin_client):
    metric = make_metric(stage=Stage.COMMITTED)
    response = admin_client.post(change_url(metric), change_form_data(metric, stage=Stage.ACHIEVED))
    assert response.status_code == 302
    metric.refresh_from_db()
    assert (metric.stage, metric.status) == (Stage.ACHIEVED, Status.EDITED)
    assert 'name="stage"' in admin_client.get(change_url(metric)).content.decode()


@pytest.mark.django_db
def test_change_form_sent_without_the_stage_keeps_it(admin_client):
    metric = make_metric(stage=Stage.COMMITTED)
    response = admin_client.post(change_url(metric), change_form_data(metric))
    assert response.status_code == 302
    metric.refresh_from_db()
    assert (metric.stage, metric.status) == (Stage.COMMITTED, Status.EXTRACTED)


@pytest.mark.django_db
def test_added_figure_reads_its_stage_from_the_text_unless_the_curator_gives_one(admin_client):
    article = make_article(paragraphs=("今年累计投入援疆资金约3000万元，计划安排援疆资金2亿元。",))
    paragraph = article.paragraphs.get()
    add = {"paragraph": paragraph.pk, "kind": Kind.FUNDING, "sector": "general", "approx": ""}
    url = reverse("admin:articles_metric_add")
    assert admin_client.post(url, {**add, "number_text": "约3000万元"}).status_code == 302
    assert admin_client.post(url, {**add, "number_text": "2亿元", "stage": Stage.COMMITTED}).status_code == 302
    stages = dict(Metric.objects.values_list("number_text", "stage"))
    assert stages == {"约3000万元": Stage.ACHIEVED, "2亿元": Stage.COMMITTED}
