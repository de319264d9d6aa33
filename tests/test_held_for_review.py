"""Figures too large for what they claim (issue 11's guard) stay out of every total until a curator verifies
them, come first in the review queue after stale ones, and the pages say that figures are held."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from articles.choices import Status
from articles.models import Metric
from articles.selectors import data_summary

pytestmark = pytest.mark.django_db

# A county's "aid funding" of 580亿元 (its GDP, misread) and a plausible figure beside it.
TEXT = """北京援疆助力和田县发展
2024年6月3日

2024年，北京安排和田县援疆资金580亿元，实施援疆项目32个。
北京还为和田县培训各类人才1200人次。
"""


@pytest.fixture
def imported(tmp_path) -> Path:
    path = tmp_path / "hetian.txt"
    path.write_text(TEXT, "utf-8")
    call_command("import_articles", str(path), "--no-warm", stdout=io.StringIO(), stderr=io.StringIO())
    return path


@pytest.fixture
def held(imported) -> Metric:
    return Metric.objects.get(number_text="580亿元")


def test_an_implausible_figure_is_imported_held_and_left_out_of_totals(held):
    assert held.hold_reason
    assert not Metric.objects.counted().filter(pk=held.pk).exists()
    assert Metric.objects.counted().filter(number_text="32个").exists()
    assert data_summary()["held"] == 1


def test_a_verified_held_figure_is_counted(held):
    Metric.objects.filter(pk=held.pk).update(status=Status.VERIFIED)
    assert Metric.objects.counted().filter(pk=held.pk).exists()
    assert not Metric.objects.held().filter(pk=held.pk).exists()


def test_a_rejected_held_figure_stays_out_and_is_no_longer_held(held):
    Metric.objects.filter(pk=held.pk).update(status=Status.REJECTED)
    assert not Metric.objects.counted().filter(pk=held.pk).exists()
    assert not Metric.objects.held().exists()


def test_a_reimport_keeps_a_curators_verification_of_a_held_figure(held, imported):
    Metric.objects.filter(pk=held.pk).update(status=Status.VERIFIED)
    imported.write_text(TEXT + "\n北京援疆工作组还走访了当地学校。\n", "utf-8")
    call_command("import_articles", str(imported), "--no-warm", stdout=io.StringIO(), stderr=io.StringIO())
    held.refresh_from_db()
    assert held.status == Status.VERIFIED
    assert Metric.objects.counted().filter(pk=held.pk).exists()


def test_held_figures_come_first_in_the_review_queue(held, admin_client):
    page = admin_client.get(reverse("admin:articles_metric_changelist")).content.decode()
    first_row = page.split('name="_selected_action" value="')[1].split('"')[0]
    assert first_row == str(held.pk)
    awaiting = admin_client.get(reverse("admin:articles_metric_changelist") + "?held=awaiting").content.decode()
    assert awaiting.count('name="_selected_action"') == 1


def test_the_pages_that_would_show_it_say_figures_are_held(held, client):
    for url in ("/", held.area.get_absolute_url(), reverse("articles:province", args=[held.province.slug])):
        page = client.get(url).content.decode()
        assert "held-note" in page and "待核" in page, url
