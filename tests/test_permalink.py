"""A figure's permalink page /metrics/<id>/ (articles/dashboard/figure.py): sentence, attribution, status, the
same fact reported elsewhere, citations."""

from datetime import date

import pytest
from django.urls import reverse

from articles.dashboard.figure import cite_apa, cite_gbt7714
from articles.models import Metric
from tests.factories import make_article, make_metric, make_sample_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_sample_world()


def page(client, metric_id, language="en"):
    response = client.get(f"/metrics/{metric_id}/", HTTP_ACCEPT_LANGUAGE=language)
    return response, response.content.decode()


def test_the_permalink_is_named_metric():
    assert reverse("articles:metric", args=[12]) == "/metrics/12/"


def test_the_page_marks_the_figure_in_its_sentence_and_links_the_reader(client, world):
    response, html = page(client, world.trained_a.pk)
    assert response.status_code == 200
    reader = f"/articles/{world.a.pk}/?metric={world.trained_a.pk}#p-1"
    mark = f'<mark id="m-{world.trained_a.pk}" class="figure status-extracted current"><a href="{reader}"'
    assert f"培训各类人才{mark}" in html
    assert f'<a href="{reader}">The paragraph in the article</a>' in html


def test_the_page_shows_the_attribution(client, world):
    _, html = page(client, world.funding_a.pk)
    for text in ("Jiangsu", "Nantong", "Yining County", "Aid funding", "Livelihood", "2021—2023年", "12亿元",
                 "verified"):
        assert text in html, text


def test_a_duplicate_links_the_figure_it_repeats_and_both_list_each_other(client, world):
    _, html = page(client, world.funding_b.pk)
    assert f'<a href="/metrics/{world.funding_a.pk}/">figure #{world.funding_a.pk}</a>' in html
    assert f'href="/metrics/{world.funding_a.pk}/">' in html.split("Other reports of the same fact")[1]
    _, html = page(client, world.funding_a.pk)
    assert f'href="/metrics/{world.funding_b.pk}/">' in html.split("Other reports of the same fact")[1]


def test_held_and_stale_figures_say_so(client, world):
    Metric.objects.filter(pk=world.funding_c.pk).update(hold_reason="county funding above the yearly total",
                                                        stale=True)
    _, html = page(client, world.funding_c.pk)
    assert "Held for review" in html and "county funding above the yearly total" in html
    assert "Stale:" in html


def test_the_page_is_in_chinese_by_default(client, world):
    _, html = page(client, world.trained_a.pk, language="zh-CN")
    assert "引用本条" in html and "同一事实的其他报道" in html
    assert "Other reports of the same fact" not in html


def test_the_cite_box_gives_gbt7714_and_apa_with_the_permalink(client, world, settings):
    settings.SITE_URL = "https://aidmap.example.org"
    _, html = page(client, world.funding_a.pk)
    permalink = f"https://aidmap.example.org/metrics/{world.funding_a.pk}/"
    assert "江苏援疆成效显著[N/OL]. 新疆日报, 2024-03-01[" in html
    assert "江苏援疆成效显著. (2024, March 1). 新疆日报. Retrieved " in html
    assert html.count(permalink) >= 3


def test_citations_read_as_the_styles_write_them():
    accessed = date(2026, 12, 1)
    url = "https://aidmap.example.org/metrics/7/"
    assert cite_gbt7714("上海援疆莎车", "文汇报", date(2023, 6, 1), url, accessed) == \
        "上海援疆莎车[N/OL]. 文汇报, 2023-06-01[2026-12-01]. https://aidmap.example.org/metrics/7/."
    assert cite_apa("上海援疆莎车", "文汇报", date(2023, 6, 1), url, accessed) == \
        "上海援疆莎车. (2023, June 1). 文汇报. Retrieved December 1, 2026, from https://aidmap.example.org/metrics/7/"
    assert cite_gbt7714("标题", "", None, url, accessed) == f"标题[N/OL]. [2026-12-01]. {url}."
    assert cite_apa("标题", "", None, url, accessed) == f"标题. (n.d.). Retrieved December 1, 2026, from {url}"


@pytest.mark.parametrize("bad", ["999999", "0", "abc", "１２", "99999999999999999999", "-1"])
def test_an_unknown_or_malformed_id_is_a_404(client, world, bad):
    assert client.get(f"/metrics/{bad}/").status_code == 404


def test_a_quote_not_found_in_its_paragraph_shows_the_paragraph(client, world):
    article = make_article(paragraphs=["前文。资金3亿元。"])
    metric = make_metric(article, "3亿元", 300_000_000, quote="别处的句子")
    _, html = page(client, metric.pk)
    assert f'前文。资金<mark id="m-{metric.pk}"' in html


def test_the_explorer_links_each_figure_to_its_permalink(client, world):
    html = client.get("/metrics/?province=jiangsu").content.decode()
    assert f'<a href="/metrics/{world.trained_a.pk}/">#{world.trained_a.pk}</a>' in html


def test_the_page_runs_few_queries(client, world, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        assert client.get(f"/metrics/{world.funding_b.pk}/").status_code == 200
