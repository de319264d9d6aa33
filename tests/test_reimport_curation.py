"""Re-importing a changed file keeps every curator decision: merges, article fields, figures beside curated ones."""

from pathlib import Path

import pytest

from articles import curation
from articles.choices import Status
from articles.models import Article, Metric
from tests.test_import import aid_article, run_import
from tests.test_import import seeds_copy as seeds_copy  # a fixture pytest finds here: `as` marks the re-export

pytestmark = pytest.mark.django_db


def edit_paragraph(metric: Metric, addition: str = "此外，工作组还开展了走访。") -> None:
    """Change the source file so that the metric's paragraph gains a sentence at its end."""
    path = Path(metric.article.source_file.path)
    original = metric.paragraph.original_text
    text = path.read_text(encoding="utf-8")
    assert text.count(original) == 1
    path.write_text(text.replace(original, original + addition), encoding="utf-8")


def unique_figures(article: Article) -> list[Metric]:
    """The article's figures whose number text occurs once among them, in reading order."""
    metrics = list(article.metrics.order_by("paragraph__position", "start"))
    return [m for m in metrics if sum(o.number_text == m.number_text for o in metrics) == 1]


# --- merges ------------------------------------------------------------------------------------------------------


def test_merge_survives_a_reimport_that_changes_the_canonical_figures_paragraph(seeds_copy):
    run_import(seeds_copy)
    first = unique_figures(aid_article("002"))[0]
    second = next(m for m in unique_figures(aid_article("004")) if m.unit_family == first.unit_family)
    canonical, _ = curation.merge_metrics([first, second])
    duplicate = second if canonical.pk == first.pk else first
    edit_paragraph(canonical)

    run_import(seeds_copy)

    canonical.refresh_from_db()  # still there: the re-import did not delete and re-create it
    duplicate.refresh_from_db()
    assert duplicate.duplicate_of_id == canonical.pk
    assert canonical.merged_by_curator and duplicate.merged_by_curator
    counted = Metric.objects.counted().filter(pk__in=[canonical.pk, duplicate.pk])
    assert list(counted.values_list("pk", flat=True)) == [canonical.pk]
    same_fact = Metric.objects.counted().filter(
        article=canonical.article, number_text=canonical.number_text, paragraph__position=canonical.paragraph.position,
    )
    assert same_fact.count() == 1, "the re-import added the merged figure a second time"


def test_merge_marks_the_canonical_figure_as_a_curator_decision():
    from tests.factories import make_article, make_metric

    a, b = make_article(paragraphs=["援疆资金12亿元。"]), make_article(paragraphs=["援疆资金12亿元。"])
    first, second = make_metric(a, "12亿元"), make_metric(b, "12亿元")
    canonical, _ = curation.merge_metrics([first, second])
    canonical.refresh_from_db()
    assert canonical.merged_by_curator
    assert canonical.is_curated
    assert canonical.history.latest().merged_by_curator  # with a history row saying so


def test_a_figure_merged_into_cannot_be_deleted_silently():
    from django.db.models import ProtectedError

    from tests.factories import make_article, make_metric

    a, b = make_article(paragraphs=["援疆资金12亿元。"]), make_article(paragraphs=["援疆资金12亿元。"])
    canonical, _ = curation.merge_metrics([make_metric(a, "12亿元"), make_metric(b, "12亿元")])
    with pytest.raises(ProtectedError):
        canonical.delete()


# --- matching extracted figures to curated ones ---------------------------------------------------------------------


def test_reimport_keeps_an_uncurated_figure_sharing_its_number_text_with_a_curated_one(seeds_copy):
    run_import(seeds_copy)
    first, second = Metric.objects.filter(article=aid_article("001"), number_text="80%").order_by("start")
    assert first.paragraph_id == second.paragraph_id  # “80%用于县及县以下、80%用于民生”
    first.status = Status.VERIFIED
    first.save()
    edit_paragraph(first)

    run_import(seeds_copy)

    figures = Metric.objects.filter(paragraph=first.paragraph, number_text="80%").order_by("start")
    assert [(m.start, m.status) for m in figures] == [(first.start, Status.VERIFIED), (second.start, Status.EXTRACTED)]


# --- article fields ------------------------------------------------------------------------------------------------


def test_reimport_of_a_changed_file_keeps_article_fields_a_curator_edited(seeds_copy, admin_client):
    from datetime import date

    from django.urls import reverse

    from tests.test_admin_permissions import form_data

    run_import(seeds_copy)
    article = aid_article("004")
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = form_data(admin_client.get(url).content.decode())
    data.update(title="南通援疆干部人才首年成绩单", publisher="南通日报", published="2024-06-21",
                byline="记者 张三")
    data.pop("is_aid")  # unticked: not about aid
    assert admin_client.post(url, data).status_code == 302
    article.refresh_from_db()
    assert article.curated_fields == ["title", "publisher", "published", "byline", "is_aid"]
    dateline = article.dateline
    edit_paragraph(article.metrics.first())

    run_import(seeds_copy)

    article.refresh_from_db()
    assert (article.title, article.publisher, article.published, article.byline, article.is_aid) == (
        "南通援疆干部人才首年成绩单", "南通日报", date(2024, 6, 21), "记者 张三", False,
    )
    assert article.dateline == dateline
    assert "此外，工作组还开展了走访。" in article.original_text  # the rest of the article was re-imported


# --- stale figures -------------------------------------------------------------------------------------------------


@pytest.fixture
def stale_figure(seeds_copy):
    """A verified figure of 004 whose number a re-import no longer finds: its span points at other characters."""
    run_import(seeds_copy)
    metric = unique_figures(aid_article("004"))[3]
    metric.status = Status.VERIFIED
    metric.save()
    path = seeds_copy / "004_33cfab6a1a367774.txt"
    path.write_text(path.read_text(encoding="utf-8").replace(metric.number_text, "若干"), encoding="utf-8")
    run_import(seeds_copy)
    metric.refresh_from_db()
    assert metric.stale
    assert metric.paragraph.text[metric.start:metric.end] != metric.number_text
    return metric


def test_a_stale_figure_is_not_counted(stale_figure):
    from articles.selectors import data_summary

    assert not Metric.objects.counted().filter(pk=stale_figure.pk).exists()
    counted = data_summary()["metrics"]
    stale_figure.stale = False
    stale_figure.save()
    assert data_summary()["metrics"] == counted + 1


def test_a_stale_figure_is_not_highlighted_on_the_wrong_characters(stale_figure, client):
    wrong = stale_figure.paragraph.text[stale_figure.start:stale_figure.end]
    page = client.get(stale_figure.article.get_absolute_url()).content.decode()
    assert f'id="m-{stale_figure.pk}"' not in page
    assert f">{wrong}</a></mark>" not in page


def test_stale_figures_come_first_in_the_review_queue(stale_figure, admin_client):
    from django.urls import reverse

    page = admin_client.get(reverse("admin:articles_metric_changelist")).content.decode()
    first_row = page.split('name="_selected_action" value="')[1].split('"')[0]
    assert first_row == str(stale_figure.pk)


def test_a_curator_relocates_a_stale_figure_by_entering_the_number_as_now_written(stale_figure, admin_client):
    from django.urls import reverse

    from tests.test_admin_permissions import form_data

    url = reverse("admin:articles_metric_change", args=[stale_figure.pk])
    data = form_data(admin_client.get(url).content.decode())
    assert admin_client.post(url, data).status_code == 302
    stale_figure.refresh_from_db()
    assert stale_figure.stale  # still not in the text: still out of the totals

    data = form_data(admin_client.get(url).content.decode())
    data["number_text"] = "若干"
    assert admin_client.post(url, data).status_code == 302
    stale_figure.refresh_from_db()
    assert not stale_figure.stale
    assert stale_figure.paragraph.text[stale_figure.start:stale_figure.end] == "若干"
    assert stale_figure.status == Status.EDITED
    assert Metric.objects.counted().filter(pk=stale_figure.pk).exists()


def test_a_near_copy_link_leaves_a_figure_a_curator_verified_on_its_own():
    from articles.nearcopies import link_copy
    from tests.factories import make_article, make_metric

    original, copy = make_article(paragraphs=["援疆资金12亿元。"]), make_article(paragraphs=["援疆资金12亿元。"])
    make_metric(original, "12亿元", 1_200_000_000)
    verified = make_metric(copy, "12亿元", 1_200_000_000, status=Status.VERIFIED)

    link_copy(copy, original)

    verified.refresh_from_db()
    assert verified.duplicate_of_id is None
    assert Metric.objects.counted().filter(pk=verified.pk).exists()
